"""Incident tables: ACLED round trip, date styles, column mapping, geocoding, bad input.

Geocoding uses a deterministic fake gazetteer with three places; no index is built.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import pytest

from gazetteer import Candidate, Place
from geomap import Incident, incidents_to_acled_rows, read_reports, write_acled_csv
from geomap._errors import ColumnsError
from geomap.acled import ACLED_COLUMNS, parse_acled_date, parse_columns, read_acled
from geomap.incidents.geocode import geocode_incidents
from geomap.pipeline import incidents_with_summary

# Our own rows, in ACLED's 2023 columns (values as ACLED writes them).
ROWS = [
    {
        "event_id_cnty": "IRQ90001",
        "event_date": "2024-08-05",
        "year": "2024",
        "time_precision": "1",
        "disorder_type": "Political violence",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "actor1": "Unidentified Armed Group (Iraq)",
        "assoc_actor_1": "",
        "actor2": "Military Forces of the United States (2021-)",
        "iso": "368",
        "country": "Iraq",
        "admin1": "Al Anbar",
        "admin2": "Hit",
        "location": "Ain al-Asad Air Base",
        "latitude": "33.7856",
        "longitude": "42.4411",
        "geo_precision": "1",
        "source": "Example Wire; Example Monitor",
        "notes": "On 5 August 2024, two rockets hit the air base, injuring US personnel.",
        "fatalities": "0",
    },
    {
        "event_id_cnty": "IRQ90002",
        "event_date": "2020-03-11",
        "year": "2020",
        "time_precision": "1",
        "disorder_type": "Political violence",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "actor1": "Kataib Hezbollah",
        "assoc_actor_1": "Popular Mobilization Forces",
        "actor2": "Military Forces of the United Kingdom (2019-)",
        "iso": "368",
        "country": "Iraq",
        "admin1": "Baghdad",
        "admin2": "Tarmia",
        "location": "Camp Taji",
        "latitude": "33.5294",
        "longitude": "44.2775",
        "geo_precision": "1",
        "source": "Example Daily",
        "notes": "Rockets hit Camp Taji, killing three coalition personnel.",
        "fatalities": "3",
    },
    {
        "event_id_cnty": "JOR10001",
        "event_date": "2024-01-28",
        "year": "2024",
        "time_precision": "1",
        "disorder_type": "Political violence",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": "Islamic Resistance in Iraq",
        "assoc_actor_1": "",
        "actor2": "Military Forces of the United States (2021-)",
        "iso": "400",
        "country": "Jordan",
        "admin1": "Mafraq",
        "admin2": "",
        "location": "Tower 22",
        "latitude": "33.3222",
        "longitude": "38.6939",
        "geo_precision": "2",
        "source": "Example Daily",
        "notes": "A drone hit Tower 22; three US soldiers were killed.",
        "fatalities": "3",
    },
]
ROUND_TRIP = (
    "event_id_cnty event_date year time_precision disorder_type event_type sub_event_type "
    "actor1 assoc_actor_1 actor2 iso country admin1 admin2 location latitude longitude "
    "geo_precision source notes fatalities"
).split()


def _write(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    columns = columns or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


class FakeGazetteer:
    """Three places and a country, answered like ``Gazetteer`` (no index)."""

    PLACES: ClassVar[dict[str, Place]] = {
        "nasiriyah": Place("p:nas", "Nasiriyah", 31.05, 46.26, "populated_place", "IQ"),
        "dhi qar": Place("p:dq", "Dhi Qar", 31.1, 46.3, "admin1", "IQ", "Dhi Qar", "IQ-DQ"),
        "camp taji": Place("p:taji", "Camp Taji", 33.5294, 44.2775, "military_base", "IQ"),
    }
    COUNTRY = Place("iso3166-1:IQ", "Iraq", 33.0, 44.0, "country", "IQ")

    def __init__(self) -> None:
        self.calls = 0

    def lookup(self, name: str, **_: Any) -> list[Candidate]:
        self.calls += 1
        place = self.PLACES.get(name.lower())
        return [Candidate.from_place(place, score=1.0, matched=name, why=())] if place else []

    def get(self, place_id: str) -> Place | None:
        return self.COUNTRY if place_id == self.COUNTRY.id else None

    def divisions(self, *, level: int = 1) -> list[Any]:
        return []  # no imported boundaries


def test_round_trip_same_values(tmp_path: Path) -> None:
    path = _write(tmp_path / "acled.csv", ROWS, list(ACLED_COLUMNS))
    result = read_reports([path])
    assert result.skipped == [] and len(result.incidents) == 3
    run = incidents_with_summary(result, gazetteer=FakeGazetteer())  # type: ignore[arg-type]
    back = incidents_to_acled_rows(run.incidents)
    for original, written in zip(ROWS, back, strict=True):
        assert list(written) == list(ACLED_COLUMNS)
        assert {k: written[k] for k in ROUND_TRIP} == {k: original[k] for k in ROUND_TRIP}
    out = tmp_path / "again.csv"
    assert write_acled_csv(run.incidents, out) == 3
    again, bad = read_acled(out)
    assert bad == []
    provenance = {"report_id": "", "report_ids": ()}
    assert [replace(i, **provenance) for i in again] == [
        replace(i, **provenance) for i in result.incidents
    ]


def test_read_maps_fields(tmp_path: Path) -> None:
    incidents, _ = read_acled(_write(tmp_path / "a.csv", ROWS))
    taji = incidents[1]
    assert taji.event_date == date(2020, 3, 11) and taji.country == "IQ"
    assert (taji.latitude, taji.longitude, taji.killed) == (33.5294, 44.2775, 3)
    assert taji.sources == ("Example Daily",) and taji.report_ids == ("a.csv:3",)
    assert incidents[0].sources == ("Example Wire", "Example Monitor")
    assert incidents[2].country == "JO"


@pytest.mark.parametrize("text", ["31-Dec-20", "2020-12-31", "20201231", "31 December 2020"])
def test_acled_date_styles(text: str) -> None:
    assert parse_acled_date(text) == date(2020, 12, 31)


def test_older_format_and_date_style(tmp_path: Path) -> None:
    older = [
        {"data_id": "1", "iso": "368", "event_id_cnty": "IRQ1", "event_id_no_cnty": "1"}
        | {k: v for k, v in ROWS[1].items() if k not in ("disorder_type",)}
        | {"event_date": "11-Mar-20"}
    ]
    incidents, bad = read_acled(_write(tmp_path / "old.csv", older))
    assert bad == [] and incidents[0].event_date == date(2020, 3, 11)


def test_rows_without_coordinates_are_geocoded(tmp_path: Path) -> None:
    rows = [
        {"Date": "2021-05-23", "Town": "Nasiriyah", "Province": "Dhi Qar", "Country": "Iraq"},
        {"Date": "2021-05-24", "Town": "Nowhere Village", "Province": "Dhi Qar", "Country": "Iraq"},
        {"Date": "2021-05-25", "Town": "Somewhere", "Province": "", "Country": "Iraq"},
        {"Date": "2021-05-26", "Town": "Nasiriyah", "Province": "Dhi Qar", "Country": "Iraq"},
    ]
    path = _write(tmp_path / "mine.csv", rows)
    result = read_reports([path], columns="date=Date,location=Town,admin1=Province,country=Country")
    assert result.skipped == []
    gaz = FakeGazetteer()
    placed, unresolved = geocode_incidents(result.incidents, gaz)  # type: ignore[arg-type]
    assert [i.geo_precision for i in placed] == [1, 3, 4, 1]
    assert placed[0].place_id == "p:nas" and placed[0].latitude == 31.05
    assert placed[3].event_date == date(2021, 5, 26)  # the cached place, this row's values
    assert not placed[2].mappable
    assert unresolved == {"Nowhere Village": 1, "Somewhere": 1}


def test_columns_option_errors() -> None:
    with pytest.raises(ColumnsError, match=r"unknown column 'when'.*valid names are"):
        parse_columns("when=Date")
    with pytest.raises(ColumnsError, match=r"bad column mapping 'date'; write ours=theirs"):
        parse_columns("date")


def test_malformed_inputs_reported_with_file_and_line(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.csv", ROWS)
    no_date = _write(tmp_path / "no_date.csv", [{"location": "Hit", "fatalities": "1"}])
    bad_date = _write(tmp_path / "bad_date.csv", [ROWS[0], ROWS[1] | {"event_date": "someday"}])
    (tmp_path / "reports.jsonl").write_text(
        '{"id": "a", "text": "Rockets hit Camp Taji on Monday."}\n{not json}\n', "utf-8"
    )
    (tmp_path / "front.md").write_text("---\ntitle: [unclosed\n---\nA report.\n", "utf-8")
    (tmp_path / "latin1.txt").write_bytes("Rockets hit Hīt.\nCaf\xe9".encode("latin-1", "replace"))
    (tmp_path / "fine.md").write_text("---\nid: fine\n---\nA quiet day.\n", "utf-8")
    result = read_reports([tmp_path])
    where = {(Path(e.path).name, e.line): e.problem for e in result.skipped}
    assert set(where) == {
        ("bad_date.csv", 3),
        ("no_date.csv", 1),
        ("reports.jsonl", 2),
        ("front.md", 2),
        ("latin1.txt", 2),
    }
    assert "cannot read the date 'someday'" in where[("bad_date.csv", 3)]
    assert "no event_date column" in where[("no_date.csv", 1)]
    assert "--columns" in where[("no_date.csv", 1)]
    assert where[("reports.jsonl", 2)].startswith("not JSON")
    assert "not valid YAML" in where[("front.md", 2)]
    assert "UTF-8" in where[("latin1.txt", 2)]
    assert {r.id for r in result.reports} == {"a", "fine"}
    assert len(result.incidents) == len(ROWS) + 1  # good.csv and the good row of bad_date.csv
    del good, no_date, bad_date


def test_summary_lists_skipped(tmp_path: Path) -> None:
    _write(tmp_path / "bad.csv", [ROWS[0] | {"latitude": "north"}])
    run = incidents_with_summary(read_reports([tmp_path]), gazetteer=FakeGazetteer())  # type: ignore[arg-type]
    assert run.summary.incidents == 0
    ((path, line, reason),) = run.summary.skipped
    assert (Path(path).name, line) == ("bad.csv", 2) and "latitude 'north'" in reason
    assert run.summary.to_dict()["skipped"][0]["line"] == 2


def test_xlsx_table(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Town", "Deaths"])
    sheet.append([date(2020, 3, 11), "Camp Taji", 3])
    sheet.append(["not a date", "Camp Taji", 1])
    book.save(tmp_path / "table.xlsx")
    result = read_reports(
        [tmp_path / "table.xlsx"], columns="date=Date,location=Town,killed=Deaths"
    )
    assert [i.killed for i in result.incidents] == [3]
    assert [(Path(e.path).name, e.line) for e in result.skipped] == [("table.xlsx", 3)]


def test_incident_record_validation() -> None:
    with pytest.raises(ValueError, match="events must be at least 1, got 0"):
        Incident("x", None, 1, "", "", "", "", "", "", None, None, 4, "", "", "", events=0)

"""Incident tables with hostile rows: numbers that overflow, coordinates out of range or
swapped. A bad row is skipped with its file, line, values and the fix (exit status 1); a
row whose swap is certain (swapped, it lies in its country) is placed swapped, with a note.
No library warning is ever the only trace (the suite turns warnings into errors)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hostile.conftest import GOOD_IDS, assert_outcome, geomap, summary

HEADER = (
    "event_id_cnty,event_date,event_type,sub_event_type,country,location,latitude,longitude,"
    "fatalities"
)
GOOD_ROW = "IRQ1,2024-03-02,Battles,Armed clash,Iraq,Ramadi,33.42,43.30,2"


def _table(folder: Path, *rows: str) -> Path:
    path = folder / "acled.csv"
    path.write_text("\n".join([HEADER, GOOD_ROW, *rows]) + "\n", encoding="utf-8")
    return path


def _row_ids(out: Path) -> set[str]:
    rows = json.loads((out / "incidents.geojson").read_text("utf-8"))["features"]
    return {f["id"] for f in rows}


@pytest.mark.parametrize(
    ("fatalities", "reason"),
    [
        ("inf", "fatalities 'inf' is not a whole number from 0 to 1,000,000"),
        ("1e400", "fatalities '1e400' is not a whole number"),
        ("1e30", "fatalities '1e30' is not a whole number"),
        ("-3", "fatalities '-3' is not a whole number"),
        ("2.5", "fatalities '2.5' is not a whole number"),
        ("nan", "fatalities 'nan' is not a whole number"),
        ("9" * 5000, "is not a whole number"),
    ],
)
def test_fatalities_that_overflow_are_a_bad_row(
    mini: Path, reports: Path, tmp_path: Path, fatalities: str, reason: str
) -> None:
    row = f"IRQ2,2024-03-03,Battles,Armed clash,Iraq,Hit,33.64,42.83,{fatalities}"
    table = _table(reports, row)
    out = tmp_path / "out"
    data = assert_outcome(geomap("run", reports, "-o", out), out, status=1, bad={table: reason})
    assert [(s["line"]) for s in data["skipped"]] == [3]
    assert "fix the row or remove it" in data["skipped"][0]["reason"]
    assert len(data["skipped"][0]["reason"]) < 300
    assert _row_ids(out) >= {"IRQ1"}


@pytest.mark.parametrize(
    ("lat", "lon", "reason"),
    [
        ("133.4", "43.3", "latitude 133.4, longitude 43.3 is out of range"),
        ("33.4", "243.3", "latitude 33.4, longitude 243.3 is out of range"),
        ("inf", "43.3", "must be finite numbers"),
        ("-33.4", "-43.3", "is outside IQ"),  # in range, in the South Atlantic
        ("43.3", "133.4", "latitude 43.3, longitude 133.4 is outside IQ"),
        ("133.4", "-43.3", "swapped they are not in IQ either"),
    ],
)
def test_coordinates_that_cannot_be_right_are_a_bad_row(
    mini: Path, reports: Path, tmp_path: Path, lat: str, lon: str, reason: str
) -> None:
    table = _table(reports, f"IRQ2,2024-03-03,Battles,Armed clash,Iraq,Hit,{lat},{lon},1")
    out = tmp_path / "out"
    data = assert_outcome(geomap("run", reports, "-o", out), out, status=1, bad={table: reason})
    (skipped,) = data["skipped"]
    assert skipped["line"] == 3
    assert "IRQ2" not in _row_ids(out)
    assert data["rows_read"] == 1  # counted as skipped, not read


@pytest.mark.parametrize(
    ("place", "lat", "lon"), [("Iraq,Hit", "42.83", "33.64"), ("Japan,Tokyo", "139.69", "35.69")]
)
def test_a_certain_swap_is_placed_swapped_with_a_note(
    mini: Path, reports: Path, tmp_path: Path, place: str, lat: str, lon: str
) -> None:
    """Hit, Iraq, is at 33.64 N 42.83 E: swapped, (42.83, 33.64) lies far north of Iraq's
    box, while (33.64, 42.83) is inside it. Tokyo's swap is out of range (139.69 as a
    latitude), and (35.69, 139.69) is in Japan."""
    table = _table(reports, f"IRQ2,2024-03-03,Battles,Armed clash,{place},{lat},{lon},1")
    out = tmp_path / "out"
    outcome = geomap("run", reports, "-o", out)
    data = assert_outcome(outcome, out, status=0)
    (note,) = data["notes"]
    assert (Path(note["path"]), note["line"]) == (table, 3)
    assert "swapped" in note["note"] and "exchange the values" in note["note"]
    assert f"note: {table}, line 3:" in outcome.stderr
    rows = json.loads((out / "incidents.geojson").read_text("utf-8"))["features"]
    (hit,) = [f for f in rows if f["id"] == "IRQ2"]
    assert hit["geometry"]["coordinates"] == [float(lat), float(lon)]


def test_every_row_read_is_drawn_or_counted(mini: Path, reports: Path, tmp_path: Path) -> None:
    _table(
        reports,
        "IRQ2,2024-03-03,Battles,Armed clash,Iraq,Hit,33.64,42.83,1",
        "IRQ3,2024-03-03,Battles,Armed clash,Iraq,Hit,-33.64,-42.83,1",
    )
    out = tmp_path / "out"
    geomap("run", reports, "-o", out)
    data = summary(out)
    assert data["rows_read"] + len(data["skipped"]) == 3
    assert len(_row_ids(out)) == data["incidents"] == len(GOOD_IDS) + data["rows_read"]


def test_a_table_that_is_not_acleds_says_how_to_map_it_and_run_can(
    mini: Path, reports: Path, tmp_path: Path
) -> None:
    table = reports / "mine.csv"
    table.write_text("Date,Town,Deaths\n2024-03-03,Mosul,3\n", encoding="utf-8")
    out = tmp_path / "out"
    outcome = geomap("run", reports, "-o", out)
    hint = "map yours with --columns date=...,location=... (geomap run and geomap incidents)"
    assert_outcome(outcome, out, status=1, bad={table: hint})
    mapped = tmp_path / "mapped"
    columns = "date=Date,location=Town,killed=Deaths"
    assert_outcome(geomap("run", reports, "-o", mapped, "--columns", columns), mapped, status=0)
    assert summary(mapped)["rows_read"] == 1

"""Tests for geomap.evaluate.incidents: event tables, scoring, figures and the command.

The tables in ``tests/data/eval`` are ours: invented events at real places, one in ACLED's
export layout and one in UCDP GED's. Scoring is tested on hand-made incidents (a fake
pipeline); the command runs the real pipeline on the full gazetteer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from geomap._errors import ColumnsError, ReportError
from geomap.cli import cli
from geomap.evaluate.incidents import (
    CLASSES,
    CodedEvent,
    compared_incident,
    evaluate_incidents,
    filter_events,
    format_incident_report,
    load_event_table,
    names_place,
    parse_event_columns,
    report_of,
    sample_events,
    score_row,
    write_errors,
)
from geomap.readers.reports import Report
from geomap.records import Incident

DATA = Path(__file__).parent / "data" / "eval"
ACLED = DATA / "events_acled.csv"
UCDP = DATA / "events_ucdp.csv"
KIRKUK = (35.4681, 44.3922)
TIKRIT = (34.6071, 43.6782)
RAMADI = (33.4206, 43.3078)  # 110 km from Kirkuk's province centre, far from Kirkuk


def _event(**fields: object) -> CodedEvent:
    base: dict[str, object] = {
        "id": "e1",
        "line": 2,
        "text": "text",
        "day": date(2020, 10, 9),
        "day_end": date(2020, 10, 9),
        "lat": KIRKUK[0],
        "lon": KIRKUK[1],
        "killed": 2,
        "sub_event_type": "Remote explosive/landmine/IED",
        "where_prec": 1,
        "country": "IQ",
    }
    base.update(fields)
    return CodedEvent(**base)  # type: ignore[arg-type]


def _incident(
    point: tuple[float, float] | None = KIRKUK, *, start: int = 0, **fields: object
) -> Incident:
    base: dict[str, object] = {
        "incident_id": f"gm-{start}",
        "event_date": date(2020, 10, 9),
        "time_precision": 1,
        "date_phrase": "On 9 October 2020",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Remote explosive/landmine/IED",
        "label": "roadside bomb",
        "location": "Kirkuk" if point else "",
        "place_id": "x" if point else "",
        "latitude": point[0] if point else None,
        "longitude": point[1] if point else None,
        "geo_precision": 1 if point else 4,
        "country": "IQ" if point else "",
        "admin1": "",
        "admin1_code": "",
        "killed": 2,
        "quote_start": start,
    }
    base.update(fields)
    return Incident(**base)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- reading


def test_acled_layout_is_recognised() -> None:
    table = load_event_table(ACLED)
    assert table.layout == "ACLED"
    assert table.without_text == 1  # TST005 has no notes
    assert [e.id for e in table.events] == ["TST001", "TST002", "TST003", "TST004"]
    first = table.events[0]
    assert first.day == first.day_end == date(2020, 10, 9)
    assert (first.lat, first.lon, first.killed, first.where_prec) == (*KIRKUK, 2, 1)
    assert first.sub_event_type == "Remote explosive/landmine/IED"
    assert [e.country for e in table.events] == ["IQ", "SY", "IQ", "UA"]  # from ACLED's iso
    assert first.text.startswith("On 9 October 2020, a roadside bomb")


def test_ucdp_layout_is_recognised() -> None:
    table = load_event_table(UCDP)
    assert table.layout == "UCDP GED"
    assert table.without_text == 1
    tikrit, ramadi = table.events[:2]
    # several headlines joined by ";" become lines; a "; " inside one headline stays
    assert tikrit.text.splitlines() == [
        "Car bomb explodes in Tikrit market, killing 7",
        "Police: car bomb tears through Tikrit market",
    ]
    assert ramadi.text == "Clashes in Ramadi kill four soldiers; curfew imposed"
    assert (tikrit.type_of_violence, tikrit.killed, tikrit.country) == (3, 7, "IQ")
    assert tikrit.location == "Tikrīt town"
    assert (ramadi.day, ramadi.day_end) == (date(2014, 4, 10), date(2014, 4, 11))
    assert [e.where_prec for e in table.events] == [1, 1, 4, 2]


def test_other_tables_through_columns(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "Ref,Summary,Day,Y,X,Deaths\n"
        'a1,"Gunmen attacked a checkpoint in Hit.",2021-02-03,33.64,42.83,3\n'
        "a2,Second row,2021-02-04,100,42.83,1\n",
        encoding="utf-8",
    )
    table = load_event_table(path, columns="id=Ref,text=Summary,date=Day,lat=Y,lon=X,best=Deaths")
    assert table.layout == "columns"
    assert [(e.id, e.killed) for e in table.events] == [("a1", 3)]
    assert len(table.skipped) == 1
    assert table.skipped[0].line == 3
    assert "out of range" in str(table.skipped[0])


def test_unknown_layout_names_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Summary,Day\nsomething,2021-01-01\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"no text column.*--columns text=\.\.\.,date="):
        load_event_table(path)
    with pytest.raises(ReportError, match="names 'Lat', which the table lacks"):
        load_event_table(path, columns="text=Summary,date=Day,lat=Lat,lon=Lon")


def test_column_mapping_errors() -> None:
    assert parse_event_columns({"headline": "H", "fatalities": "F"}) == {
        "text": "H",
        "killed": "F",
    }
    with pytest.raises(ColumnsError, match="unknown field 'colour'"):
        parse_event_columns("colour=C")
    with pytest.raises(ColumnsError, match="bad column mapping 'text'; write ours=theirs"):
        parse_event_columns("text")


def test_filter_and_sample() -> None:
    events = [_event(id=str(k), where_prec=1 + k % 3) for k in range(30)]
    assert {e.where_prec for e in filter_events(events, where_prec=[1, 2])} == {1, 2}
    assert filter_events(events) == events
    first = sample_events(events, 5, seed=3)
    assert first == sample_events(events, 5, seed=3)  # reproducible
    assert len(first) == 5
    assert [e.id for e in first] == sorted((e.id for e in first), key=int)  # table order
    assert sample_events(events, 50, seed=1) == events


def test_report_is_published_on_the_coded_date() -> None:
    report = report_of(_event(text="Something happened."))
    assert report == Report(id="row-e1", text="Something happened.", published=date(2020, 10, 9))


# --------------------------------------------------------------------------- scoring


def test_first_mappable_incident_in_text_order_is_compared() -> None:
    later = _incident(RAMADI, start=80)
    unplaced = _incident(None, start=0)
    placed_first = _incident(KIRKUK, start=40)
    assert compared_incident([later, unplaced, placed_first]) is placed_first
    assert compared_incident([later, unplaced]) is later
    assert compared_incident([unplaced]) is unplaced
    assert compared_incident([]) is None


def test_a_right_row_has_no_error_class() -> None:
    result = score_row(_event(), [_incident()])
    assert result.classes == ()
    assert result.km == pytest.approx(0.0)
    assert (result.date_ok, result.killed_exact, result.killed_within_one) == (True, True, True)
    assert result.type_ok is True


@pytest.mark.parametrize(
    ("incidents", "event", "expected"),
    [
        ([], {}, ("no incident",)),
        ([_incident(None)], {}, ("unplaced",)),
        ([_incident(KIRKUK, geo_precision=4)], {}, ("unplaced",)),  # country level
        ([_incident((35.5, 44.4), country="SY")], {}, ("abroad",)),  # another country
        ([_incident((41.0, 44.0))], {}, ("abroad",)),  # 600 km off, same code
        ([_incident(RAMADI, geo_precision=3)], {}, ("parent-level only",)),
        ([_incident(RAMADI, geo_precision=3)], {"where_prec": 4}, ("wrong place",)),
        ([_incident(RAMADI)], {}, ("wrong place",)),
        ([_incident(sub_event_type="Armed clash")], {}, ("wrong type",)),
        ([_incident(time_precision=2)], {}, ("wrong date",)),
        ([_incident(event_date=date(2020, 10, 8))], {}, ("wrong date",)),
        ([_incident(killed=3)], {}, ("wrong toll",)),
        ([_incident(killed=None)], {"killed": 0}, ()),  # no coded toll: not judged
    ],
)
def test_error_classes(
    incidents: list[Incident], event: dict[str, object], expected: tuple[str, ...]
) -> None:
    assert score_row(_event(**event), incidents).classes == expected


def test_dates_within_a_coded_span_are_exact() -> None:
    event = _event(day=date(2020, 10, 8), day_end=date(2020, 10, 10))
    assert score_row(event, [_incident()]).date_ok is True
    assert score_row(event, [_incident(event_date=date(2020, 10, 11))]).date_ok is False


def test_tolls_within_one_and_unsaid() -> None:
    near = score_row(_event(killed=3), [_incident(killed=2)])
    assert (near.killed_exact, near.killed_within_one) == (False, True)
    unsaid = score_row(_event(killed=1), [_incident(killed=None)])  # unsaid counts as 0
    assert (unsaid.killed_exact, unsaid.killed_within_one) == (False, True)


def test_ucdp_types_are_compared_for_compatibility() -> None:
    one_sided = _event(sub_event_type="", type_of_violence=3)
    bombing = _incident()
    clash = _incident(event_type="Battles", sub_event_type="Armed clash")
    protest = _incident(event_type="Protests", sub_event_type="Peaceful protest")
    assert score_row(one_sided, [bombing]).type_ok is True
    assert score_row(one_sided, [clash]).type_ok is False
    state = _event(sub_event_type="", type_of_violence=1)
    assert score_row(state, [clash]).type_ok is True
    assert score_row(state, [protest]).classes == ("wrong type",)
    assert score_row(_event(sub_event_type=""), [protest]).type_ok is None  # no coded type


# --------------------------------------------------------------------------- figures


def _fake(by_text: dict[str, Sequence[Incident]]) -> object:
    def pipeline(report: Report) -> Sequence[Incident]:
        return by_text[report.text]

    return pipeline


def test_figures_of_a_fake_pipeline(tmp_path: Path) -> None:
    events = [
        _event(id="hit", text="a"),  # exact: 0 km
        _event(id="near", text="b", lat=35.6, lon=44.3922),  # 14.7 km north
        _event(id="far", text="c", lat=35.8, lon=44.3922),  # 36.9 km north
        _event(id="abroad", text="d"),
        _event(id="none", text="e"),
        _event(id="unplaced", text="f", killed=0),
    ]
    pipeline = _fake(
        {
            "a": [_incident()],
            "b": [_incident(killed=3)],
            "c": [_incident(event_date=date(2020, 10, 1), aggregate=True)],
            "d": [_incident((48.0, 37.8), country="UA", sub_event_type="Armed clash")],
            "e": [],
            "f": [_incident(None)],
        }
    )
    result = evaluate_incidents(events, pipeline, table="t.csv", layout="ACLED")  # type: ignore[arg-type]
    r = result.report
    assert (r.rows, r.with_incident, r.placed) == (6, 5, 4)
    assert r.within == {10: 1, 25: 2, 50: 3}
    assert r.median_km == pytest.approx((14.69 + 36.93) / 2, abs=0.1)
    assert r.abroad == 1
    assert r.date_exact == 4  # all but "far" among the five with an incident
    assert (r.toll_rows, r.killed_exact, r.killed_within_one) == (4, 3, 4)
    assert (r.toll_rows_single, r.killed_exact_single) == (3, 2)  # "far" is an aggregate row
    assert (r.type_measure, r.type_rows, r.type_ok) == ("agreement", 5, 4)
    assert r.classes == {
        "no incident": 1,
        "unplaced": 1,
        "abroad": 1,
        "parent-level only": 0,
        "wrong place": 1,
        "wrong type": 1,
        "wrong date": 1,
        "wrong toll": 1,
    }
    assert list(r.classes) == list(CLASSES)
    data = r.to_dict()
    assert data["within_km"]["25"] == {"count": 2, "of_all": 2 / 6, "of_placed": 2 / 4}
    assert data["killed_exact_share"] == 3 / 4
    text = format_incident_report(r)
    assert "within 25 km" in text
    assert "33.3% of all, 50.0% of placed" in text
    assert "type agreement" in text

    path = tmp_path / "errors.jsonl"
    assert write_errors(result.results, path) == 5
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["near", "far", "abroad", "none", "unplaced"]
    assert lines[1]["classes"] == ["wrong place", "wrong date"]
    assert lines[1]["text"] == "c"
    assert lines[1]["km"] == pytest.approx(36.9, abs=0.1)
    assert lines[3]["incident"] is None


def test_no_rows_give_no_shares() -> None:
    r = evaluate_incidents([], _fake({})).report  # type: ignore[arg-type]
    assert r.rows == 0
    assert r.median_km is None
    assert r.to_dict()["placed_share"] is None
    assert r.type_measure == "n/a"
    assert "type" in format_incident_report(r)


# --------------------------------------------------------------------------- on real data


@pytest.mark.slow
def test_names_place(gazetteer: object) -> None:
    tikrit = _event(lat=TIKRIT[0], lon=TIKRIT[1], location="Tikrīt town")
    assert names_place(CodedEvent(**{**_asdict(tikrit), "text": "Blast in Tikrit"}), gazetteer)  # type: ignore[arg-type]
    elsewhere = _asdict(tikrit) | {"text": "Blast in Basra kills three", "location": ""}
    assert not names_place(CodedEvent(**elsewhere), gazetteer)  # type: ignore[arg-type]
    province = _asdict(tikrit) | {"text": "Blast in Salahuddin province", "location": ""}
    assert not names_place(CodedEvent(**province), gazetteer)  # type: ignore[arg-type]


def _asdict(event: CodedEvent) -> dict[str, object]:
    return {name: getattr(event, name) for name in CodedEvent.__dataclass_fields__}


@pytest.mark.slow
def test_command_on_both_layouts(tmp_path: Path) -> None:
    runner = CliRunner()
    errors = tmp_path / "errors.jsonl"
    result = runner.invoke(cli, ["eval", "incidents", str(ACLED), "--errors", str(errors)])
    assert result.exit_code == 0, result.output
    assert "Incident evaluation: events_acled.csv (ACLED)" in result.output
    assert "rows: 4 with a text (1 without)" in result.output
    failed = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    # the council meeting is not an incident; the bombing in Kirkuk is placed there
    assert {"id": "TST003", "classes": ["no incident"]}.items() <= failed[0].items()
    assert "TST001" not in {f["id"] for f in failed}

    result = runner.invoke(cli, ["eval", "incidents", str(UCDP), "--json", "--where-prec", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["layout"] == "UCDP GED"
    assert data["rows"] == 2
    assert data["type_measure"] == "compatibility"
    assert data["within_km"]["10"]["count"] >= 1  # the car bomb in Tikrit


@pytest.mark.slow
def test_command_names_place_and_sample() -> None:
    result = CliRunner().invoke(
        cli, ["eval", "incidents", str(UCDP), "--names-place", "--sample", "1", "--seed", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "text names the coded place: 3" in result.output  # Tikrit, Ramadi, Haditha
    assert "sample of 1 (seed 2)" in result.output


def test_command_rejects_a_bad_precision_list() -> None:
    result = CliRunner().invoke(cli, ["eval", "incidents", str(UCDP), "--where-prec", "one"])
    assert result.exit_code == 2
    assert "--where-prec 'one' is not a list of numbers" in result.output

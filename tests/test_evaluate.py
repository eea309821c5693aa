"""Tests for geomap.evaluate.geoparse: corpus loading, span matching and the published metrics.

Expectations are computed by hand on the invented fixture corpus tests/data/eval/mini.jsonl
(4 articles, 10 gold toponyms with coordinates, 1 without). Resolution errors along the
equator are R * Δλ with geopy's mean Earth radius R = 6371.009 km.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from gazetteer.records import Candidate
from geomap._errors import CorpusError, GeomapError
from geomap.evaluate.geoparse import (
    MAX_ERROR_KM,
    WORST_ERRORS,
    EvalReport,
    GoldDocument,
    GoldToponym,
    ResolutionCase,
    accuracy_within,
    error_auc,
    evaluate_geoparse,
    evaluate_resolution,
    format_report,
    load_corpus,
    match_spans,
)
from geomap.records import Mention

MINI = Path(__file__).parent / "data" / "eval" / "mini.jsonl"
EARTH_RADIUS_KM = 6371.009  # geopy's great_circle radius
KM_PER_DEGREE = math.radians(1.0) * EARTH_RADIUS_KM  # 111.195... km along the equator
LN_MAX = math.log(MAX_ERROR_KM)


# --------------------------------------------------------------------------- helpers


def _place(name: str, lat: float, lon: float) -> Candidate:
    return Candidate(
        id=f"test:{name}",
        name=name,
        lat=lat,
        lon=lon,
        feature="populated_place",
        country="",
        admin1="",
        admin1_code="",
        population=0,
        score=1.0,
    )


def _mention(
    start: int,
    surface: str,
    *,
    at: tuple[float, float] | None = None,
    kind: str = "place",
    name: str | None = None,
) -> Mention:
    place = None if at is None else _place(name or surface, *at)
    return Mention(
        start=start,
        end=start + len(surface),
        surface=surface,
        sentence=(0, 0),
        kind=kind,
        place=place,
    )


def _gold_mention(top: GoldToponym) -> Mention:
    assert top.lat is not None
    assert top.lon is not None
    return _mention(top.start, top.name, at=(top.lat, top.lon))


def _fake(by_text: dict[str, list[Mention]]) -> Callable[[str], Sequence[Mention]]:
    """A geoparser that returns canned mentions (none for unknown texts)."""

    def geoparse(text: str) -> Sequence[Mention]:
        return by_text.get(text, [])

    return geoparse


def _perfect(text_docs: Sequence[GoldDocument]) -> Callable[[str], Sequence[Mention]]:
    return _fake({d.text: [_gold_mention(t) for t in d.toponyms] for d in text_docs})


def _doc_by_id(docs: Sequence[GoldDocument], doc_id: str) -> GoldDocument:
    return next(d for d in docs if d.id == doc_id)


def _equator_lon(km: float) -> float:
    """The smallest longitude whose great-circle distance from (0, 0) is >= ``km``."""
    from geopy.distance import great_circle

    lon = math.degrees(km / EARTH_RADIUS_KM)
    while great_circle((0.0, 0.0), (0.0, lon)).km < km:
        lon = math.nextafter(lon, math.inf)
    return lon


def _equator_doc(doc_id: str, n: int) -> GoldDocument:
    """``n`` gold toponyms "Ur" at (0, 0), one per sentence, 20 characters apart."""
    text = "".join(f"Ur is a place {i:04d}." for i in range(n))
    tops = tuple(GoldToponym(20 * i, 20 * i + 2, "Ur", 0.0, 0.0) for i in range(n))
    return GoldDocument(id=doc_id, text=text, toponyms=tops)


@pytest.fixture
def mini() -> list[GoldDocument]:
    return load_corpus(MINI)


# --------------------------------------------------------------------------- loading


def test_load_corpus_reads_the_fixture(mini: list[GoldDocument]) -> None:
    assert [d.id for d in mini] == ["mini-1", "mini-2", "mini-3", "mini-4"]
    assert sum(len(d.toponyms) for d in mini) == 10
    assert all(d.corpus == "mini" for d in mini)
    for doc in mini:
        for top in (*doc.toponyms, *doc.unresolvable):
            assert doc.text[top.start : top.end] == top.name
    assert all(t.has_coordinates for d in mini for t in d.toponyms)
    doc3 = _doc_by_id(mini, "mini-3")
    assert doc3.unresolvable == (GoldToponym(109, 118, "Wadi Sirr", None, None),)
    assert doc3.toponyms[0] == GoldToponym(26, 31, "Basra", 30.51, 47.78)


def test_load_corpus_skips_blank_lines_and_counts_them(tmp_path: Path) -> None:
    lines = MINI.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "blank.jsonl"
    path.write_text("\n".join([lines[0], "", lines[1], "{oops"]) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"blank\.jsonl, line 4: not valid JSON"):
        load_corpus(path)
    path.write_text("\n".join([lines[0], "", "   ", lines[1]]) + "\n", encoding="utf-8")
    assert [d.id for d in load_corpus(path)] == ["mini-1", "mini-2"]


def _good_line() -> dict[str, object]:
    return {
        "id": "x-1",
        "text": "Rain in Basra.",
        "toponyms": [{"start": 8, "end": 13, "name": "Basra", "lat": 30.5, "lon": 47.8}],
        "toponyms_nocoord": [],
    }


def _with(**changes: object) -> str:
    line = _good_line()
    line.update(changes)
    return json.dumps(line)


def _span(**changes: object) -> list[dict[str, object]]:
    span: dict[str, object] = {"start": 8, "end": 13, "name": "Basra", "lat": 30.5, "lon": 47.8}
    span.update(changes)
    return [span]


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        ('{"id": "x-2", "text": ', r"not valid JSON .*one complete JSON object"),
        ("[1, 2]", r"expected a JSON object, got list"),
        (
            json.dumps({"id": "x-2", "toponyms": []}),
            r"the article is missing 'text'; it needs the keys",
        ),
        (_with(id=""), r"'id' must be a non-empty string"),
        (_with(toponyms="Basra"), r"'toponyms' must be a list"),
        (
            _with(toponyms=_span(start=7, end=12)),
            r"toponyms\[0\]: text\[7:12\] is ' Basr', not the name 'Basra'; fix 'start' and 'end'",
        ),
        (
            _with(toponyms=_span(end=99)),
            r"toponyms\[0\] 'Basra': offsets 8:99 are outside the text",
        ),
        (_with(toponyms=_span(start="8")), r"toponyms\[0\]: 'start' and 'end' must be integers"),
        (
            _with(toponyms=[{"start": 8, "end": 13, "name": "Basra"}]),
            r"toponyms\[0\] is missing 'lat', 'lon'",
        ),
        (
            _with(toponyms=_span(lat=91.0)),
            r"toponyms\[0\] 'Basra': latitude 91\.0 is outside \[-90, 90\]; .*swapped",
        ),
        (
            _with(toponyms=_span(lon=None)),
            r"toponyms\[0\] 'Basra': 'lat' and 'lon' must both be numbers or both null",
        ),
        (
            _with(toponyms_nocoord=[{"start": 0, "end": 4, "name": "Rain."}]),
            r"toponyms_nocoord\[0\]: text\[0:4\] is 'Rain'",
        ),
        (_with(id="x-1"), r"duplicate document id 'x-1' \(first used on line 1\)"),
    ],
)
def test_malformed_line_raises_corpus_error(tmp_path: Path, bad: str, problem: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(_with() + "\n" + bad + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.jsonl, line 2: " + problem) as info:
        load_corpus(path)
    assert info.value.line == 2
    assert info.value.path == str(path)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, GeomapError)


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(_with().encode() + b"\n" + '{"id": "Mosul\xe9"}'.encode("latin-1") + b"\n")
    with pytest.raises(CorpusError, match=r"latin1\.jsonl, line 2: not valid UTF-8"):
        load_corpus(path)


# --------------------------------------------------------------------------- recognition


def test_perfect_prediction(mini: list[GoldDocument]) -> None:
    report = evaluate_geoparse(mini, _perfect(mini))
    assert (report.documents, report.gold, report.predicted, report.matched) == (4, 10, 10, 10)
    assert report.precision == report.recall == report.f1 == 1.0
    assert (report.n, report.unresolved) == (10, 0)
    assert report.mean_km == report.median_km == 0.0
    assert report.acc161 == 1.0
    assert report.auc == 0.0
    assert report.mode == "geoparse"
    assert report.corpus == "mini"
    assert report.seconds >= 0.0


def test_case_is_ignored_and_counts_are_micro_averaged(mini: list[GoldDocument]) -> None:
    doc1 = _doc_by_id(mini, "mini-1")
    # gold Mosul 33:38, Erbil 43:48; predictions in other case, at the gold coordinates
    geoparse = _fake({doc1.text: [_mention(33, "MOSUL", at=(36.34, 43.13)), _mention(43, "erbil")]})
    report = evaluate_geoparse(mini, geoparse)
    assert (report.gold, report.predicted, report.matched) == (10, 2, 2)
    assert report.precision == 1.0
    assert report.recall == pytest.approx(0.2)
    assert report.f1 == pytest.approx(2 * 1.0 * 0.2 / 1.2)
    assert report.per_document[0].id == "mini-1"
    assert (report.per_document[0].gold, report.per_document[0].predicted) == (3, 2)
    assert report.per_document[0].matched == 2
    assert [d.matched for d in report.per_document[1:]] == [0, 0, 0]
    # Erbil was matched but not resolved: one of two scored names, at the maximum error
    assert (report.n, report.unresolved) == (2, 1)


@pytest.mark.parametrize(
    ("start", "matches"),
    [
        (83, True),  # midpoint 86.5 vs gold 77.5: 9 characters apart
        (84, False),  # 10 apart: not "less than 10"
        (65, True),  # 9 before
        (64, False),  # 10 before
    ],
)
def test_midpoint_window_boundary(mini: list[GoldDocument], start: int, matches: bool) -> None:
    baghdad = _doc_by_id(mini, "mini-1").toponyms[2]
    assert (baghdad.start, baghdad.end, baghdad.name) == (74, 81, "Baghdad")
    pairs = match_spans([baghdad], [_mention(start, "Baghdad")])
    assert pairs == ([(0, 0)] if matches else [])


def test_surface_must_be_equal_not_just_overlapping(mini: list[GoldDocument]) -> None:
    doc3 = _doc_by_id(mini, "mini-3")
    predicted = [_mention(60, "Umm"), _mention(60, "Umm Qasr, Iraq"), _mention(26, "Basra")]
    assert match_spans(doc3.toponyms, predicted) == [(0, 2)]


def test_gold_span_matched_at_most_once(mini: list[GoldDocument]) -> None:
    doc1 = _doc_by_id(mini, "mini-1")
    # two predictions overlap gold Mosul 33:38; the first in text order takes it
    predicted = [_mention(35, "mosul"), _mention(33, "Mosul")]
    assert match_spans(doc1.toponyms, predicted) == [(0, 1)]
    report = evaluate_geoparse([doc1], _fake({doc1.text: predicted}))
    assert (report.gold, report.predicted, report.matched) == (3, 2, 1)
    assert report.precision == 0.5
    assert report.recall == pytest.approx(1 / 3)


def test_matching_is_greedy_in_text_order() -> None:
    gold = [GoldToponym(6, 8, "Ur", 0.0, 0.0), GoldToponym(0, 2, "Ur", 0.0, 0.0)]
    # the prediction at 4:6 (midpoint 5) is within 10 of both gold midpoints (1 and 7):
    # it takes the first in text order, gold index 1; the one at 10:12 then gets index 0
    predicted = [_mention(10, "Ur"), _mention(4, "Ur")]
    assert match_spans(gold, predicted) == [(0, 0), (1, 1)]
    assert match_spans(gold, predicted[1:]) == [(1, 0)]


def test_repeated_name_matches_each_occurrence(mini: list[GoldDocument]) -> None:
    doc2 = _doc_by_id(mini, "mini-2")  # Tikrit at 30:36 and 73:79
    assert match_spans(doc2.toponyms, [_mention(73, "Tikrit")]) == [(2, 0)]
    predicted = [_mention(73, "Tikrit"), _mention(30, "Tikrit")]
    assert match_spans(doc2.toponyms, predicted) == [(0, 1), (2, 0)]


def test_demonyms_are_ignored(mini: list[GoldDocument]) -> None:
    doc2 = _doc_by_id(mini, "mini-2")
    predicted = [
        _mention(0, "Iraqi", kind="demonym"),
        _mention(30, "Tikrit", kind="demonym"),  # exactly on a gold span, but not a place
        _mention(44, "Kirkuk", at=(35.47, 44.39)),
    ]
    assert match_spans(doc2.toponyms, predicted) == [(1, 2)]
    report = evaluate_geoparse([doc2], _fake({doc2.text: predicted}))
    assert (report.gold, report.predicted, report.matched) == (3, 1, 1)
    assert report.precision == 1.0
    assert report.recall == pytest.approx(1 / 3)


def test_nothing_predicted_scores_zero(mini: list[GoldDocument]) -> None:
    report = evaluate_geoparse(mini, _fake({}))
    assert (report.predicted, report.matched) == (0, 0)
    assert report.precision == report.recall == report.f1 == 0.0
    assert report.n == 0
    assert report.mean_km is report.median_km is report.acc161 is report.auc is None


def test_unresolvable_names_are_not_gold(mini: list[GoldDocument]) -> None:
    doc3 = _doc_by_id(mini, "mini-3")
    geoparse = _fake({doc3.text: [_mention(109, "Wadi Sirr", at=(30.0, 47.0))]})
    report = evaluate_geoparse([doc3], geoparse)
    assert (report.gold, report.predicted, report.matched) == (2, 1, 0)
    assert report.precision == 0.0


# --------------------------------------------------------------------------- resolution


def test_auc_hand_computed() -> None:
    # ln(1 + e) / ln(20039): 0 km -> 0, 20038 km -> 1
    assert error_auc([]) is None
    assert error_auc([20038.0]) == pytest.approx(1.0)
    assert error_auc([20038.0, 0.0]) == pytest.approx(0.5)  # (0 + 1) / 2 / 1
    assert error_auc([0.0, 20038.0, 0.0]) == pytest.approx(0.25)  # (0 + 0.5) / 2
    # scaled values 1/L and 2/L: trapezoid (1 + 2) / 2 / L, divided by n - 1 = 1
    assert error_auc([math.e**2 - 1, math.e - 1]) == pytest.approx(1.5 / LN_MAX)
    # four values 0, 1/L, 2/L, 3/L: trapezoids 0.5 + 1.5 + 2.5 = 4.5 (/L), divided by 3
    errors = [math.e**3 - 1, 0.0, math.e - 1, math.e**2 - 1]
    assert error_auc(errors) == pytest.approx(1.5 / LN_MAX)
    with pytest.raises(ValueError, match="non-negative"):
        error_auc([-1.0])


def test_acc161_boundary() -> None:
    assert accuracy_within([160.9, 161.0]) == 0.5
    assert accuracy_within([160.9]) == 1.0
    assert accuracy_within([161.0]) == 0.0
    assert accuracy_within([]) is None
    assert accuracy_within([99.9, 100.0, 250.0], km=100.0) == pytest.approx(1 / 3)


def test_acc161_boundary_end_to_end() -> None:
    doc = _equator_doc("eq", 2)
    geoparse = _fake(
        {
            doc.text: [
                _mention(0, "Ur", at=(0.0, _equator_lon(160.9))),
                _mention(20, "Ur", at=(0.0, _equator_lon(161.0))),
            ]
        }
    )
    report = evaluate_geoparse([doc], geoparse)
    assert report.n == 2
    assert [e.error_km for e in report.errors] == pytest.approx([161.0, 160.9], abs=1e-9)
    assert report.errors[0].error_km >= 161.0
    assert report.acc161 == 0.5


def test_error_is_great_circle_km(mini: list[GoldDocument]) -> None:
    doc = _equator_doc("eq", 3)
    # errors of 1, 2 and 4 degrees of longitude along the equator
    geoparse = _fake(
        {doc.text: [_mention(20 * i, "Ur", at=(0.0, d)) for i, d in enumerate((1, 2, 4))]}
    )
    report = evaluate_geoparse([doc], geoparse)
    km = [KM_PER_DEGREE, 2 * KM_PER_DEGREE, 4 * KM_PER_DEGREE]
    assert report.mean_km == pytest.approx(sum(km) / 3)
    assert report.median_km == pytest.approx(km[1])
    assert report.acc161 == pytest.approx(1 / 3)  # 111 km only
    values = sorted(math.log1p(e) / LN_MAX for e in km)
    assert report.auc == pytest.approx(
        ((values[0] + values[1]) / 2 + (values[1] + values[2]) / 2) / 2
    )


def test_unresolved_match_counts_as_max_error(mini: list[GoldDocument]) -> None:
    doc1 = _doc_by_id(mini, "mini-1")
    mosul, erbil, _ = doc1.toponyms
    predicted = [_gold_mention(mosul), _gold_mention(erbil), _mention(74, "Baghdad")]
    report = evaluate_geoparse([doc1], _fake({doc1.text: predicted}))
    assert report.precision == report.recall == 1.0  # an unresolved match still matches
    assert (report.n, report.unresolved) == (3, 1)
    assert report.mean_km == pytest.approx(MAX_ERROR_KM / 3)
    assert report.median_km == 0.0
    assert report.acc161 == pytest.approx(2 / 3)
    assert report.auc == pytest.approx(math.log1p(MAX_ERROR_KM) / LN_MAX / 4)
    assert report.errors[0] == ResolutionCase("mini-1", 74, "Baghdad", "", MAX_ERROR_KM)
    assert [e.error_km for e in report.errors[1:]] == [0.0, 0.0]


def test_worst_errors_are_kept_worst_first() -> None:
    doc = _equator_doc("eq", WORST_ERRORS + 5)
    predicted = [
        _mention(20 * i, "Ur", at=(0.0, i / 10), name=f"Ur {i}") for i in range(WORST_ERRORS + 5)
    ]
    report = evaluate_geoparse([doc], _fake({doc.text: predicted}))
    assert report.n == WORST_ERRORS + 5
    assert len(report.errors) == WORST_ERRORS
    assert [e.predicted for e in report.errors[:2]] == [
        f"Ur {WORST_ERRORS + 4}",
        f"Ur {WORST_ERRORS + 3}",
    ]
    assert [e.error_km for e in report.errors] == sorted(
        (e.error_km for e in report.errors), reverse=True
    )


# --------------------------------------------------------------------------- gold-spans mode


def test_gold_spans_mode(mini: list[GoldDocument]) -> None:
    seen: list[tuple[str, tuple[tuple[int, int], ...]]] = []
    by_text = {d.text: d for d in mini}

    def resolve(text: str, spans: Sequence[tuple[int, int]]) -> list[Mention]:
        seen.append((text, tuple(spans)))
        out = []
        for top in by_text[text].toponyms:
            if top.name == "Geneva":  # left unresolved
                out.append(_mention(top.start, top.name))
            elif top.name == "Damascus":  # resolved one degree of latitude off
                out.append(_mention(top.start, top.name, at=(34.51, 36.29)))
            else:
                out.append(_gold_mention(top))
        return out

    report = evaluate_resolution(mini, resolve)
    assert seen[0] == (mini[0].text, ((33, 38), (43, 48), (74, 81)))
    assert len(seen) == 4
    assert report.mode == "gold-spans"
    assert report.precision is report.recall is report.f1 is None
    assert (report.gold, report.predicted, report.matched) == (10, 10, 10)
    assert (report.n, report.unresolved) == (10, 1)
    assert report.acc161 == pytest.approx(0.9)  # Damascus is 111 km off: still below 161
    assert report.mean_km == pytest.approx((MAX_ERROR_KM + KM_PER_DEGREE) / 10)
    assert report.median_km == 0.0
    assert report.errors[0] == ResolutionCase("mini-4", 28, "Geneva", "", MAX_ERROR_KM)
    assert report.errors[1].surface == "Damascus"
    assert report.errors[1].predicted == "Damascus"
    assert report.errors[1].error_km == pytest.approx(KM_PER_DEGREE)


def test_gold_spans_mode_needs_one_mention_per_span(mini: list[GoldDocument]) -> None:
    def resolve(text: str, spans: Sequence[tuple[int, int]]) -> list[Mention]:
        return []

    with pytest.raises(ValueError, match=r"'mini-1'.*returned 0 mentions for 3 gold spans"):
        evaluate_resolution(mini, resolve)


# --------------------------------------------------------------------------- output


def _sample_report(mini: list[GoldDocument]) -> EvalReport:
    doc1 = _doc_by_id(mini, "mini-1")
    predicted = [_gold_mention(t) for t in doc1.toponyms[:2]] + [_mention(74, "Baghdad")]
    return evaluate_geoparse(mini, _fake({doc1.text: predicted}), corpus="mini-fixture")


def test_to_dict_is_json(mini: list[GoldDocument]) -> None:
    report = _sample_report(mini)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["corpus"] == "mini-fixture"
    assert data["mode"] == "geoparse"
    assert (data["gold"], data["predicted"], data["matched"]) == (10, 3, 3)
    assert data["per_document"][0] == {"id": "mini-1", "gold": 3, "predicted": 3, "matched": 3}
    assert data["errors"][0] == {
        "doc_id": "mini-1",
        "start": 74,
        "surface": "Baghdad",
        "predicted": "",
        "error_km": MAX_ERROR_KM,
    }
    assert set(data) >= {"precision", "recall", "f1", "mean_km", "median_km", "acc161", "auc"}


def test_format_report(mini: list[GoldDocument]) -> None:
    text = format_report(_sample_report(mini))
    lines = text.splitlines()
    assert lines[0] == "Geoparsing evaluation: mini-fixture (end to end)"
    assert any(line.startswith("precision") and line.endswith("1.000") for line in lines)
    assert any(line.startswith("recall") and line.endswith("0.300") for line in lines)
    assert any(line.startswith("unresolved") and line.endswith("1") for line in lines)
    assert "(unresolved)" in text
    assert "20039.0" in text
    gold_spans = format_report(
        evaluate_resolution(mini, lambda text, spans: [_mention(s, text[s:e]) for s, e in spans])
    )
    assert "resolution on gold spans" in gold_spans
    assert "precision" not in gold_spans

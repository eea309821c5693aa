"""Geoparsing evaluation: recognition and resolution scores against a gold corpus.

The corpus format and the metrics follow the published geoparser comparisons (Gritta et
al.; Wang & Hu 2019, EUPEG): a predicted place name matches a gold one when the strings are
equal ignoring case and the spans' midpoints are less than 10 characters apart; resolution
is scored by the great-circle error in kilometres, its mean and median, accuracy@161km and
the AUC of the sorted log errors.

Everything here is a pure function of the corpus and a callable: nothing depends on the
gazetteer, so a test can score a fake geoparser.

Examples
--------
>>> docs = load_corpus("trnews.jsonl")  # doctest: +SKIP
>>> report = evaluate_geoparse(docs, pipeline.geoparse)  # doctest: +SKIP
>>> print(format_report(report))  # doctest: +SKIP
"""

from __future__ import annotations

import json
import math
import os
import statistics
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Protocol

from geopy.distance import great_circle

from geomap._errors import CorpusError

__all__ = [
    "ACCURACY_KM",
    "MATCH_WINDOW",
    "MAX_ERROR_KM",
    "WORST_ERRORS",
    "DocumentResult",
    "EvalReport",
    "GoldDocument",
    "GoldToponym",
    "MentionLike",
    "PlaceLike",
    "ResolutionCase",
    "accuracy_within",
    "error_auc",
    "error_km",
    "evaluate_geoparse",
    "evaluate_resolution",
    "format_report",
    "load_corpus",
    "match_spans",
]

#: Error charged to a matched place name that was not resolved (and the AUC's scale):
#: half the Earth's circumference, rounded up, as in the published comparisons.
MAX_ERROR_KM: float = 20039.0
#: accuracy@161km: the share of errors strictly below this many kilometres (100 miles).
ACCURACY_KM: float = 161.0
#: Two spans match when their midpoints are strictly less than this many characters apart.
MATCH_WINDOW: float = 10.0
#: How many of the largest resolution errors a report keeps for debugging.
WORST_ERRORS: int = 20

_GEOPARSE = "geoparse"
_GOLD_SPANS = "gold-spans"


# --------------------------------------------------------------------------- records


class PlaceLike(Protocol):
    """What the evaluation reads from a resolved place (e.g. a ``Candidate``)."""

    @property
    def lat(self) -> float: ...

    @property
    def lon(self) -> float: ...


class MentionLike(Protocol):
    """What the evaluation reads from a predicted mention (e.g. a ``geomap.records.Mention``).

    Only ``kind == "place"`` counts as a predicted place name; ``place`` is None when the
    name was found but not resolved. ``place.name`` is read, when present, for the error
    listing only.
    """

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def surface(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def place(self) -> PlaceLike | None: ...


@dataclass(frozen=True, slots=True)
class GoldToponym:
    """One annotated place name: ``text[start:end] == name``.

    ``lat`` and ``lon`` are None for a name the annotators could not resolve.
    """

    start: int
    end: int
    name: str
    lat: float | None
    lon: float | None

    @property
    def has_coordinates(self) -> bool:
        """True when the gold annotation has coordinates to score resolution against."""
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One article of a gold corpus.

    ``toponyms`` are the gold spans scored for recognition and resolution (the corpus's
    ``toponyms`` list); ``unresolvable`` are the names the annotators could not resolve
    (``toponyms_nocoord``), kept for information and never scored.
    """

    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]
    unresolvable: tuple[GoldToponym, ...] = ()
    corpus: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """Recognition counts for one document."""

    id: str
    gold: int
    predicted: int
    matched: int


@dataclass(frozen=True, slots=True)
class ResolutionCase:
    """One scored resolution: a gold place name, what it was resolved to, and the error.

    ``predicted`` is the resolved place's name, "" when the mention was not resolved
    (then ``error_km`` is ``MAX_ERROR_KM``).
    """

    doc_id: str
    start: int
    surface: str
    predicted: str
    error_km: float


@dataclass(frozen=True, slots=True)
class EvalReport:
    """The scores of one evaluation run.

    ``mode`` is ``"geoparse"`` (end to end) or ``"gold-spans"`` (resolution only, where
    ``precision``, ``recall`` and ``f1`` are None and ``matched`` is the number of gold
    spans scored). The resolution fields cover ``n`` scored place names, of which
    ``unresolved`` had no place; the error fields are None when ``n`` is 0. ``errors`` holds
    the largest errors, worst first.
    """

    mode: str
    corpus: str
    documents: int
    gold: int
    predicted: int
    matched: int
    precision: float | None
    recall: float | None
    f1: float | None
    n: int
    unresolved: int
    mean_km: float | None
    median_km: float | None
    acc161: float | None
    auc: float | None
    seconds: float
    per_document: tuple[DocumentResult, ...] = ()
    errors: tuple[ResolutionCase, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-serialisable data.

        Returns
        -------
        dict
            Every field; ``per_document`` and ``errors`` as lists of dicts.
        """
        return {
            "mode": self.mode,
            "corpus": self.corpus,
            "documents": self.documents,
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "n": self.n,
            "unresolved": self.unresolved,
            "mean_km": self.mean_km,
            "median_km": self.median_km,
            "acc161": self.acc161,
            "auc": self.auc,
            "seconds": self.seconds,
            "per_document": [
                {"id": d.id, "gold": d.gold, "predicted": d.predicted, "matched": d.matched}
                for d in self.per_document
            ],
            "errors": [
                {
                    "doc_id": e.doc_id,
                    "start": e.start,
                    "surface": e.surface,
                    "predicted": e.predicted,
                    "error_km": e.error_km,
                }
                for e in self.errors
            ],
        }


# --------------------------------------------------------------------------- loading


class _BadLine(Exception):
    """A problem with one corpus line; ``load_corpus`` adds the file and line number."""


def load_corpus(path: str | os.PathLike[str]) -> list[GoldDocument]:
    """Read a gold corpus in JSON Lines, one article per line.

    Parameters
    ----------
    path : str or os.PathLike
        The corpus file (UTF-8). Blank lines are skipped; keys other than ``id``,
        ``text``, ``toponyms``, ``toponyms_nocoord``, ``corpus`` and ``title`` are ignored.

    Returns
    -------
    list of GoldDocument
        The articles, in file order.

    Raises
    ------
    CorpusError
        A line is not valid JSON, lacks a required key, has a duplicate id, a bad
        coordinate, or an offset that does not slice ``text`` to the name. The message
        names the file and the line.
    FileNotFoundError
        ``path`` does not exist.
    """
    name = os.fspath(path)
    docs: list[GoldDocument] = []
    first_line: dict[str, int] = {}
    with open(name, "rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            try:
                doc = _parse_line(raw, first=lineno == 1)
                if doc is None:
                    continue
                if doc.id in first_line:
                    msg = (
                        f"duplicate document id {doc.id!r} (first used on line "
                        f"{first_line[doc.id]}); give every document a unique id"
                    )
                    raise _BadLine(msg)
            except _BadLine as exc:
                raise CorpusError(name, lineno, str(exc)) from None
            first_line[doc.id] = lineno
            docs.append(doc)
    return docs


def _parse_line(raw: bytes, *, first: bool) -> GoldDocument | None:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"not valid UTF-8 ({exc.reason} at byte {exc.start}); save the corpus as UTF-8"
        raise _BadLine(msg) from None
    if first:
        line = line.removeprefix("\ufeff")
    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        msg = (
            f"not valid JSON ({exc.msg} at column {exc.colno}); "
            "each line must hold one complete JSON object"
        )
        raise _BadLine(msg) from None
    if not isinstance(obj, dict):
        msg = f"expected a JSON object, got {type(obj).__name__}; each line must hold one article"
        raise _BadLine(msg)
    return _parse_document(obj)


def _parse_document(obj: Mapping[str, Any]) -> GoldDocument:
    _require_keys(obj, ("id", "text", "toponyms"), "the article")
    doc_id, text = obj["id"], obj["text"]
    if not isinstance(doc_id, str) or not doc_id:
        msg = f"'id' must be a non-empty string, got {doc_id!r}"
        raise _BadLine(msg)
    if not isinstance(text, str):
        msg = f"'text' must be a string, got {type(text).__name__}"
        raise _BadLine(msg)
    corpus = obj.get("corpus", "")
    title = obj.get("title", "")
    if not isinstance(corpus, str) or not isinstance(title, str):
        msg = "'corpus' and 'title' must be strings when present"
        raise _BadLine(msg)
    toponyms = _parse_spans(obj["toponyms"], text, "toponyms", with_coordinates=True)
    nocoord = _parse_spans(
        obj.get("toponyms_nocoord", []), text, "toponyms_nocoord", with_coordinates=False
    )
    return GoldDocument(
        id=doc_id,
        text=text,
        toponyms=toponyms,
        unresolvable=nocoord,
        corpus=corpus,
        title=title,
    )


def _require_keys(obj: Mapping[str, Any], keys: Sequence[str], what: str) -> None:
    missing = [k for k in keys if k not in obj]
    if missing:
        names = ", ".join(repr(k) for k in missing)
        need = ", ".join(repr(k) for k in keys)
        msg = f"{what} is missing {names}; it needs the keys {need}"
        raise _BadLine(msg)


def _parse_spans(
    items: Any, text: str, key: str, *, with_coordinates: bool
) -> tuple[GoldToponym, ...]:
    if not isinstance(items, list):
        msg = f"{key!r} must be a list of spans, got {type(items).__name__}"
        raise _BadLine(msg)
    return tuple(
        _parse_span(item, text, f"{key}[{i}]", with_coordinates=with_coordinates)
        for i, item in enumerate(items)
    )


def _parse_span(item: Any, text: str, where: str, *, with_coordinates: bool) -> GoldToponym:
    if not isinstance(item, dict):
        msg = f"{where} must be a JSON object, got {type(item).__name__}"
        raise _BadLine(msg)
    keys = ("start", "end", "name", "lat", "lon") if with_coordinates else ("start", "end", "name")
    _require_keys(item, keys, where)
    start, end, name = item["start"], item["end"], item["name"]
    if not (_is_int(start) and _is_int(end)) or not isinstance(name, str):
        msg = f"{where}: 'start' and 'end' must be integers and 'name' a string"
        raise _BadLine(msg)
    if not 0 <= start < end <= len(text):
        msg = (
            f"{where} {name!r}: offsets {start}:{end} are outside the text "
            f"(length {len(text)}) or empty; they must satisfy 0 <= start < end <= len(text)"
        )
        raise _BadLine(msg)
    if text[start:end] != name:
        msg = (
            f"{where}: text[{start}:{end}] is {text[start:end]!r}, not the name {name!r}; "
            "fix 'start' and 'end' so that text[start:end] == name "
            "(offsets count Python code points, not bytes)"
        )
        raise _BadLine(msg)
    lat, lon = (item["lat"], item["lon"]) if with_coordinates else (None, None)
    _check_coordinates(lat, lon, f"{where} {name!r}")
    return GoldToponym(
        start=start,
        end=end,
        name=name,
        lat=None if lat is None else float(lat),
        lon=None if lon is None else float(lon),
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_coordinates(lat: Any, lon: Any, where: str) -> None:
    if lat is None and lon is None:
        return
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon))
    if not numbers or not (math.isfinite(lat) and math.isfinite(lon)):
        msg = f"{where}: 'lat' and 'lon' must both be numbers or both null, got {lat!r}, {lon!r}"
        raise _BadLine(msg)
    if not -90.0 <= lat <= 90.0:
        msg = f"{where}: latitude {lat!r} is outside [-90, 90]; are 'lat' and 'lon' swapped?"
        raise _BadLine(msg)
    if not -180.0 <= lon <= 180.0:
        msg = f"{where}: longitude {lon!r} is outside [-180, 180]"
        raise _BadLine(msg)


# --------------------------------------------------------------------------- matching


def match_spans(
    gold: Sequence[GoldToponym], predicted: Sequence[MentionLike]
) -> list[tuple[int, int]]:
    """Pair predicted place names with gold ones.

    A prediction matches a gold span when ``surface`` equals ``name`` ignoring case and the
    midpoints ``(start + end) / 2`` are less than ``MATCH_WINDOW`` (10) characters apart.
    Predictions are taken in text order, each pairing with the first gold span in text
    order that it matches and that is still free, so a gold span is matched at most once.
    Mentions whose ``kind`` is not ``"place"`` (demonyms) are ignored.

    Parameters
    ----------
    gold : sequence of GoldToponym
        The gold spans of one document.
    predicted : sequence of MentionLike
        The predicted mentions of the same document.

    Returns
    -------
    list of (int, int)
        ``(gold index, predicted index)`` pairs, indices into the sequences as given,
        sorted by gold index.
    """
    free: dict[str, list[int]] = {}
    for i in sorted(range(len(gold)), key=lambda i: (gold[i].start, gold[i].end)):
        free.setdefault(gold[i].name.casefold(), []).append(i)
    places = [j for j, m in enumerate(predicted) if m.kind == "place"]
    places.sort(key=lambda j: (predicted[j].start, predicted[j].end))
    pairs: list[tuple[int, int]] = []
    for j in places:
        mention = predicted[j]
        candidates = free.get(mention.surface.casefold())
        if not candidates:
            continue
        middle = (mention.start + mention.end) / 2
        for k, i in enumerate(candidates):
            if abs((gold[i].start + gold[i].end) / 2 - middle) < MATCH_WINDOW:
                pairs.append((i, j))
                del candidates[k]
                break
    pairs.sort()
    return pairs


# --------------------------------------------------------------------------- metrics


def error_km(gold: GoldToponym, place: PlaceLike | None) -> float:
    """The resolution error of one place name, in kilometres.

    Parameters
    ----------
    gold : GoldToponym
        The gold annotation; it must have coordinates.
    place : PlaceLike or None
        The predicted place; None (not resolved) costs ``MAX_ERROR_KM``.

    Returns
    -------
    float
        The great-circle distance between the gold and predicted coordinates.

    Raises
    ------
    ValueError
        ``gold`` has no coordinates.
    """
    if gold.lat is None or gold.lon is None:
        msg = f"gold toponym {gold.name!r} at {gold.start} has no coordinates to score against"
        raise ValueError(msg)
    if place is None:
        return MAX_ERROR_KM
    # Great-circle (spherical, mean Earth radius), not geodesic: the metric the published
    # comparisons and the corpus README define.
    return float(great_circle((gold.lat, gold.lon), (place.lat, place.lon)).km)


def accuracy_within(errors_km: Sequence[float], km: float = ACCURACY_KM) -> float | None:
    """The share of errors strictly below ``km`` (accuracy@161km by default).

    Parameters
    ----------
    errors_km : sequence of float
        Resolution errors in kilometres.
    km : float, optional
        The threshold, 161 km unless given.

    Returns
    -------
    float or None
        A share in [0, 1]; None when there are no errors to score.
    """
    if not errors_km:
        return None
    return sum(1 for e in errors_km if e < km) / len(errors_km)


def error_auc(errors_km: Sequence[float]) -> float | None:
    """The area under the curve of sorted, log-scaled errors; lower is better.

    Each error becomes ``ln(1 + error_km) / ln(MAX_ERROR_KM)``; the sorted values are
    integrated by the trapezoid rule with unit spacing and divided by ``n - 1``. A single
    error gives its own scaled value.

    Parameters
    ----------
    errors_km : sequence of float
        Resolution errors in kilometres, each >= 0.

    Returns
    -------
    float or None
        The AUC, in [0, 1] for errors up to ``MAX_ERROR_KM - 1`` (an unresolved name, at
        ``MAX_ERROR_KM``, scales to a hair above 1); None when there are no errors.

    Raises
    ------
    ValueError
        An error is negative or NaN.
    """
    if not errors_km:
        return None
    if any(not e >= 0.0 for e in errors_km):
        msg = "resolution errors must be non-negative kilometres"
        raise ValueError(msg)
    scale = math.log(MAX_ERROR_KM)
    values = sorted(math.log1p(e) / scale for e in errors_km)
    if len(values) == 1:
        return values[0]
    area = sum((a + b) / 2.0 for a, b in pairwise(values))
    return area / (len(values) - 1)


# --------------------------------------------------------------------------- evaluation


def evaluate_geoparse(
    docs: Sequence[GoldDocument],
    geoparse: Callable[[str], Sequence[MentionLike]],
    *,
    corpus: str | None = None,
) -> EvalReport:
    """Score a geoparser end to end: recognition and resolution.

    Parameters
    ----------
    docs : sequence of GoldDocument
        The gold corpus.
    geoparse : callable
        Takes a document's text and returns its mentions (``geomap.records.Mention`` or
        anything with the same attributes). Only ``kind == "place"`` mentions count.
    corpus : str, optional
        The name shown in the report; by default the documents' ``corpus`` field.

    Returns
    -------
    EvalReport
        Micro-averaged precision, recall and F1 over all documents, and resolution errors
        over the matched place names whose gold annotation has coordinates (an unresolved
        match costs ``MAX_ERROR_KM``). ``seconds`` includes the geoparser's own time.
    """
    started = time.perf_counter()
    per_document: list[DocumentResult] = []
    cases: list[ResolutionCase] = []
    unresolved = 0
    for doc in docs:
        predicted = list(geoparse(doc.text))
        pairs = match_spans(doc.toponyms, predicted)
        n_places = sum(1 for m in predicted if m.kind == "place")
        per_document.append(DocumentResult(doc.id, len(doc.toponyms), n_places, len(pairs)))
        for i, j in pairs:
            gold = doc.toponyms[i]
            if not gold.has_coordinates:
                continue
            place = predicted[j].place
            if place is None:
                unresolved += 1
            cases.append(_case(doc.id, gold, place))
    n_gold = sum(d.gold for d in per_document)
    n_predicted = sum(d.predicted for d in per_document)
    n_matched = sum(d.matched for d in per_document)
    precision = n_matched / n_predicted if n_predicted else 0.0
    recall = n_matched / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return _report(
        _GEOPARSE,
        _corpus_name(docs, corpus),
        docs,
        counts=(n_gold, n_predicted, n_matched),
        prf=(precision, recall, f1),
        cases=cases,
        unresolved=unresolved,
        per_document=per_document,
        started=started,
    )


def evaluate_resolution(
    docs: Sequence[GoldDocument],
    resolve: Callable[[str, Sequence[tuple[int, int]]], Sequence[MentionLike]],
    *,
    corpus: str | None = None,
) -> EvalReport:
    """Score resolution alone, on the gold spans (``--gold-spans``).

    Parameters
    ----------
    docs : sequence of GoldDocument
        The gold corpus.
    resolve : callable
        Takes a document's text and its gold ``(start, end)`` spans, in the order of
        ``GoldDocument.toponyms``, and returns one mention per span, in the same order.
        The mentions' ``kind`` is not checked.
    corpus : str, optional
        The name shown in the report; by default the documents' ``corpus`` field.

    Returns
    -------
    EvalReport
        Every gold span with coordinates is scored (an unresolved one costs
        ``MAX_ERROR_KM``); ``precision``, ``recall`` and ``f1`` are None.

    Raises
    ------
    ValueError
        ``resolve`` returned a different number of mentions than it was given spans.
    """
    started = time.perf_counter()
    per_document: list[DocumentResult] = []
    cases: list[ResolutionCase] = []
    unresolved = 0
    for doc in docs:
        spans = tuple((t.start, t.end) for t in doc.toponyms)
        mentions = list(resolve(doc.text, spans))
        if len(mentions) != len(spans):
            msg = (
                f"document {doc.id!r}: the resolver returned {len(mentions)} mentions for "
                f"{len(spans)} gold spans; it must return one mention per span, in order"
            )
            raise ValueError(msg)
        scored = 0
        for gold, mention in zip(doc.toponyms, mentions, strict=True):
            if not gold.has_coordinates:
                continue
            scored += 1
            if mention.place is None:
                unresolved += 1
            cases.append(_case(doc.id, gold, mention.place))
        per_document.append(DocumentResult(doc.id, len(spans), len(mentions), scored))
    return _report(
        _GOLD_SPANS,
        _corpus_name(docs, corpus),
        docs,
        counts=(
            sum(d.gold for d in per_document),
            sum(d.predicted for d in per_document),
            sum(d.matched for d in per_document),
        ),
        prf=(None, None, None),
        cases=cases,
        unresolved=unresolved,
        per_document=per_document,
        started=started,
    )


def _case(doc_id: str, gold: GoldToponym, place: PlaceLike | None) -> ResolutionCase:
    name = "" if place is None else str(getattr(place, "name", ""))
    return ResolutionCase(doc_id, gold.start, gold.name, name, error_km(gold, place))


def _corpus_name(docs: Iterable[GoldDocument], given: str | None) -> str:
    if given is not None:
        return given
    names = dict.fromkeys(d.corpus for d in docs if d.corpus)
    return "+".join(names)


def _report(  # noqa: PLR0913 - internal assembly of the report's many fields
    mode: str,
    corpus: str,
    docs: Sequence[GoldDocument],
    *,
    counts: tuple[int, int, int],
    prf: tuple[float | None, float | None, float | None],
    cases: Sequence[ResolutionCase],
    unresolved: int,
    per_document: Sequence[DocumentResult],
    started: float,
) -> EvalReport:
    errors = [c.error_km for c in cases]
    worst = sorted(cases, key=lambda c: -c.error_km)[:WORST_ERRORS]
    return EvalReport(
        mode=mode,
        corpus=corpus,
        documents=len(docs),
        gold=counts[0],
        predicted=counts[1],
        matched=counts[2],
        precision=prf[0],
        recall=prf[1],
        f1=prf[2],
        n=len(errors),
        unresolved=unresolved,
        mean_km=statistics.fmean(errors) if errors else None,
        median_km=statistics.median(errors) if errors else None,
        acc161=accuracy_within(errors),
        auc=error_auc(errors),
        seconds=time.perf_counter() - started,
        per_document=tuple(per_document),
        errors=tuple(worst),
    )


# --------------------------------------------------------------------------- output


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def format_report(report: EvalReport) -> str:
    """Render a report as a readable multi-line table.

    Parameters
    ----------
    report : EvalReport
        The scores to show.

    Returns
    -------
    str
        Recognition counts and scores, resolution scores, elapsed time and the worst
        errors, without a trailing newline.
    """
    mode = "end to end" if report.mode == _GEOPARSE else "resolution on gold spans"
    title = f"Geoparsing evaluation: {report.corpus or 'corpus'} ({mode})"
    rows: list[tuple[str, str]] = [
        ("documents", str(report.documents)),
        ("gold toponyms", str(report.gold)),
        ("predicted", str(report.predicted)),
        ("matched" if report.mode == _GEOPARSE else "scored", str(report.matched)),
    ]
    if report.mode == _GEOPARSE:
        rows += [
            ("precision", _fmt(report.precision)),
            ("recall", _fmt(report.recall)),
            ("F1", _fmt(report.f1)),
        ]
    rows += [
        ("resolution n", str(report.n)),
        ("unresolved", str(report.unresolved)),
        ("mean error km", _fmt(report.mean_km, 1)),
        ("median error km", _fmt(report.median_km, 1)),
        ("accuracy@161km", _fmt(report.acc161)),
        ("AUC", _fmt(report.auc)),
        ("seconds", _fmt(report.seconds, 2)),
    ]
    width = max(len(label) for label, _ in rows)
    lines = [title, "=" * len(title)]
    lines += [f"{label:<{width}}  {value:>10}" for label, value in rows]
    if report.errors:
        lines += ["", f"Worst {len(report.errors)} resolution errors"]
        table = [("document", "offset", "name", "resolved to", "km")]
        table += [
            (e.doc_id, str(e.start), e.surface, e.predicted or "(unresolved)", f"{e.error_km:.1f}")
            for e in report.errors
        ]
        widths = [max(len(row[k]) for row in table) for k in range(5)]
        for row in table:
            cells = [f"{c:<{w}}" for c, w in zip(row[:4], widths, strict=False)]
            lines.append("  ".join([*cells, f"{row[4]:>{widths[4]}}"]))
    return "\n".join(lines)

"""Geoparsing: a report's text in, its place mentions out, resolved at document level."""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from gazetteer import Gazetteer
from gazetteer.normalize import normalize_name
from geomap.geoparser.recognize import RECOGNITION_RULES, Recognizer, Span
from geomap.geoparser.resolve import RESOLUTION_RULES, PassCounter, resolve_spans
from geomap.geoparser.rules import Rule, check_rule_names
from geomap.geoparser.text import sentence_spans
from geomap.geoparser.weights import DEFAULT_WEIGHTS, Weights
from geomap.records import Mention

__all__ = ["RULES", "RULE_NAMES", "default_gazetteer", "geoparse", "recognizer_for"]

logger = logging.getLogger(__name__)

#: Every rule of the geoparser, recognition then resolution, in the order they run.
RULES: tuple[Rule[Any], ...] = (*RECOGNITION_RULES, *RESOLUTION_RULES)
RULE_NAMES: tuple[str, ...] = tuple(r.name for r in RULES)

_RECOGNIZERS: weakref.WeakKeyDictionary[Gazetteer, Recognizer] = weakref.WeakKeyDictionary()
_DEFAULT: list[Gazetteer] = []


def default_gazetteer() -> Gazetteer:
    """The gazetteer opened once per process (built at first use)."""
    if not _DEFAULT:
        _DEFAULT.append(Gazetteer.open())
    return _DEFAULT[0]


def recognizer_for(gazetteer: Gazetteer) -> Recognizer:
    """The recogniser for a gazetteer's names, made once per gazetteer."""
    rec = _RECOGNIZERS.get(gazetteer)
    if rec is None:
        rec = _RECOGNIZERS[gazetteer] = Recognizer(
            gazetteer.name_keys(), gazetteer.capitals(), gazetteer.loose_keys()
        )
    return rec


def geoparse(
    text: str,
    *,
    published: date | datetime | str | None = None,
    country_hint: str | None = None,
    gazetteer: Gazetteer | None = None,
    spans: Sequence[tuple[int, int]] | None = None,
    counter: PassCounter | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
    without: Collection[str] = (),
) -> list[Mention]:
    """Find the place names of ``text`` and resolve them.

    Parameters
    ----------
    text
        The report's text.
    published
        When the report was published (kept for the incident stage; unused here yet).
    country_hint
        ISO 3166-1 code of the country the report is about, if known.
    gazetteer
        The gazetteer to use; by default the one opened once per process.
    spans
        Resolve exactly these (start, end) spans instead of recognising names (used to
        score resolution alone on gold spans).
    counter
        Collects how often each rule decided.
    weights
        The geoparser's numbers (:class:`~geomap.geoparser.weights.Weights`).
    without
        Names of rules to leave out (see :data:`RULES`), to measure what each one does.

    Returns
    -------
    list of Mention
        In text order; demonyms ("Iraqi") have ``kind == "demonym"``.
    """
    if not isinstance(text, str):
        msg = f"geoparse takes the report's text as a str, got {type(text).__name__}"
        raise TypeError(msg)
    del published  # the incident stage resolves dates; accepted here for one signature
    gaz = gazetteer or default_gazetteer()
    off = check_rule_names(without, RULE_NAMES) if without else frozenset()

    def resolve(found: Sequence[Span]) -> list[Mention]:
        return resolve_spans(
            found,
            text,
            gaz,
            country_hint=country_hint,
            counter=counter,
            weights=weights,
            without=off,
        )

    if spans is None:
        return resolve(recognizer_for(gaz).find(text, without=off, counter=counter))
    rec = recognizer_for(gaz)
    sentences = sentence_spans(text)
    # in text order, as the passes that read neighbours ("Newark, N.J.") expect
    given = [_given_span(text, s, e, rec, sentences) for s, e in sorted(set(spans))]
    mentions = resolve(given)
    by_span = {(m.start, m.end): m for m in mentions}
    return [by_span[(s, e)] for s, e in spans]  # one mention per given span, in its order


def _given_span(
    text: str,
    start: int,
    end: int,
    rec: Recognizer,
    sentences: list[tuple[int, int]],
) -> Span:
    if not 0 <= start <= end <= len(text):
        msg = f"span ({start}, {end}) is outside the text of length {len(text)}"
        raise ValueError(msg)
    surface = text[start:end]
    sentence = next(((s, e) for s, e in sentences if s <= start < e), (start, end))
    if surface in rec.demonyms:
        country = rec.demonyms[surface]
        return Span(start, end, surface, "", sentence, "demonym", country, cue="given")
    for form in (surface, f"{surface}.", f"{surface.title()}."):  # "Ky.", "Ky", "KY"
        if form in rec.abbreviations:
            place_id = rec.abbreviations[form]
            return Span(start, end, surface, "", sentence, place_id=place_id, cue="given")
    lookup = _COUNTY_ABBREVIATION.sub(" County", surface)  # "PLYMOUTH CO."
    return Span(start, end, surface, normalize_name(lookup), sentence, cue="given", lookup=lookup)


_COUNTY_ABBREVIATION = re.compile(r"\s+co\.?$", re.IGNORECASE)

"""Geoparsing: a report's text in, its place mentions out, resolved at document level."""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Sequence
from datetime import date, datetime

from gazetteer import Gazetteer
from gazetteer.build import feature_prominence
from gazetteer.normalize import normalize_name
from geomap._text import sentence_spans
from geomap.recognize import Recognizer, Span
from geomap.records import Mention
from geomap.resolve import PassCounter, resolve_spans

__all__ = ["default_gazetteer", "geoparse", "recognizer_for"]

logger = logging.getLogger(__name__)

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
        rec = _RECOGNIZERS[gazetteer] = Recognizer(gazetteer.name_keys(), gazetteer.capitals())
    return rec


def geoparse(
    text: str,
    *,
    published: date | datetime | str | None = None,
    country_hint: str | None = None,
    gazetteer: Gazetteer | None = None,
    spans: Sequence[tuple[int, int]] | None = None,
    counter: PassCounter | None = None,
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
        Collects how often each disambiguation pass decided.

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
    if spans is None:
        found = recognizer_for(gaz).find(text)
        return resolve_spans(found, text, gaz, country_hint=country_hint, counter=counter)
    rec = recognizer_for(gaz)
    sentences = sentence_spans(text)
    given = [_given_span(text, s, e, rec, sentences, gaz) for s, e in spans]
    mentions = resolve_spans(given, text, gaz, country_hint=country_hint, counter=counter)
    by_span = {(m.start, m.end): m for m in mentions}
    return [by_span[(s, e)] for s, e in spans]  # one mention per given span, in its order


def _given_span(
    text: str,
    start: int,
    end: int,
    rec: Recognizer,
    sentences: list[tuple[int, int]],
    gazetteer: Gazetteer,
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
    if not gazetteer.lookup(lookup, limit=1):
        lookup = _inner_place(lookup, gazetteer) or lookup
    key = normalize_name(lookup)
    return Span(start, end, surface, key, sentence, cue="given", lookup=lookup)


_COUNTY_ABBREVIATION = re.compile(r"\s+co\.?$", re.IGNORECASE)
# Words around a place's name in the name of something in or part of it: "North London",
# "Greater Toronto Area", "Vancouver Art Gallery", "Heathrow Airport".
_AROUND_A_PLACE = frozenset(
    """north south east west northern southern eastern western central upper lower
    greater inner outer downtown metro metropolitan rural suburban the of area region
    district art gallery museum university college hospital stadium airport international
    station square street road bridge harbour harbor port centre center city""".split()
)
_INNER_PROMINENCE = 0.5  # an inner name stands for the span only if it names a real town


def _inner_place(surface: str, gazetteer: Gazetteer) -> str:
    """The place a longer name is built on, when every other word is a modifier."""
    words = surface.split()
    for size in range(len(words) - 1, 0, -1):
        for i in range(len(words) - size + 1):
            inner = " ".join(words[i : i + size])
            rest = words[:i] + words[i + size :]
            if not inner[:1].isupper() or any(w.lower() not in _AROUND_A_PLACE for w in rest):
                continue
            if all(w.lower() in _AROUND_A_PLACE for w in words[i : i + size]):
                continue  # "University Hospital" is built on no place
            found = gazetteer.lookup(inner, limit=1)
            if found and feature_prominence(found[0].feature, found[0].population) >= (
                _INNER_PROMINENCE
            ):
                return inner
    return ""

"""Resolution: pick the place each recognised span names, using the whole document.

Each span's candidates come from the gazetteer, ranked by prominence and name match. Then
small named passes, in order, adjust the ranking; each counts how often it changed the
winner, and the mention records which one decided:

1. ``hierarchy``: an explicit parent right after the name ("Hit, in Anbar", "Paris, Texas",
   "Erbil, in the Kurdistan Region") keeps the candidates inside it;
2. ``country_focus``: places in the countries the document is about (named countries,
   demonyms, the caller's hint, and names with one clear reading) rank up;
3. ``coherence``: candidates near the document's other places rank up;
4. ``prominence``: otherwise the lookup's ranking stands.

Spans whose only readings are obscure, or common words that name no prominent place and
follow no place cue, are dropped. Ambiguity that stays close keeps its alternatives.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from gazetteer import Candidate, Gazetteer
from gazetteer.build import prominence
from gazetteer.records import Place
from geomap.recognize import Span
from geomap.records import Mention

__all__ = ["PASSES", "PassCounter", "resolve_spans"]

logger = logging.getLogger(__name__)

#: The disambiguation passes, in order, with what each does.
PASSES: dict[str, str] = {
    "hierarchy": "a parent named right after the place keeps the candidates inside it",
    "country_focus": "places in the countries the document is about rank up",
    "coherence": "places near the document's other places rank up",
    "prominence": "the most prominent, best-matching place",
}

_CANDIDATES = 25
_W_FOCUS = 0.35
_W_ADMIN1_FOCUS = 0.1
_W_HIERARCHY = 0.6
_W_COHERENCE = 0.12
_NEAR_DEGREES = 2.5  # bounding box of "near" for coherence, about 250 km
_MIN_PROMINENCE = 0.3  # weaker readings need a cue to count
_COMMON_PROMINENCE = 0.78  # a common English word must name a place this prominent
_AMBIGUOUS_MARGIN = 0.05
_RELATION = re.compile(
    r"(?:(?P<distance>\d+(?:[.,]\d+)?\s*(?:km|kilometers|kilometres|miles|mi)\s+)?"
    r"(?P<direction>(?:north|south)(?:-?(?:east|west))?|east|west|northeast|northwest|"
    r"southeast|southwest)\s+of\s+(?:the\s+)?)$",
    re.IGNORECASE,
)
_PARENT_GAP = re.compile(r"^(?:,\s*(?:in\s+(?:the\s+)?)?|\s+in\s+(?:the\s+)?|\s*\(\s*)$")
_BROAD = ("continent", "country", "region", "admin1")


class PassCounter(Counter[str]):
    """How many mentions each pass decided; logged after each document set."""


@dataclass(slots=True)
class _Item:
    span: Span
    candidates: list[Candidate]
    scores: list[float]
    decision: str = "prominence"


def _prominence(c: Candidate) -> float:
    place = Place(c.id, c.name, c.lat, c.lon, c.feature, c.country, population=c.population)
    value = prominence(place)
    return value + (0.2 if c.id.startswith(("overlay:", "user:")) else 0.0)


def _keep(span: Span, candidates: list[Candidate]) -> bool:
    """Recognition rules that need the candidates: obscure readings and common words."""
    best = max(_prominence(c) for c in candidates)
    if span.common_word and best < _COMMON_PROMINENCE and not span.cue:
        return False
    if span.sentence_initial and span.common_word and not span.cue:
        return best >= _COMMON_PROMINENCE
    return best >= _MIN_PROMINENCE or bool(span.cue)


def _focus(items: list[_Item], demonyms: Sequence[Span], hint: str | None) -> Counter[str]:
    weights: Counter[str] = Counter()
    for it in items:
        top = it.candidates[0]
        if top.feature == "country":
            weights[top.country] += 2.0
        elif len(it.candidates) == 1 or it.scores[0] - it.scores[1] > 0.15:
            weights[top.country] += 1.0
        else:
            weights[top.country] += 0.3
    for d in demonyms:
        weights[d.country] += 1.0
    if hint:
        weights[hint.upper()] += 5.0
    return weights


def _share(weights: Counter[str], key: str) -> float:
    total = sum(weights.values())
    return weights[key] / total if total else 0.0


def _near(a: Candidate, b: Candidate) -> bool:
    return abs(a.lat - b.lat) < _NEAR_DEGREES and abs(a.lon - b.lon) < _NEAR_DEGREES * 1.5


def _rescore(it: _Item, bonus: list[float], name: str, counter: PassCounter) -> None:
    before = max(range(len(it.scores)), key=it.scores.__getitem__)
    it.scores = [s + b for s, b in zip(it.scores, bonus, strict=True)]
    after = max(range(len(it.scores)), key=it.scores.__getitem__)
    if after != before:
        it.decision = name
        counter[name] += 1


def _hierarchy(items: list[_Item], text: str, counter: PassCounter) -> None:
    for a, b in zip(items, items[1:], strict=False):
        if not _PARENT_GAP.match(text[a.span.end : b.span.start]):
            continue
        parents = [c for c in b.candidates[:5] if c.feature in _BROAD]
        if not parents:
            continue
        bonus = [
            _W_HIERARCHY
            if any(
                c.country == p.country
                and (p.feature == "country" or c.admin1_code == p.admin1_code)
                for p in parents
            )
            and c.feature not in ("country", "continent")
            else 0.0
            for c in a.candidates
        ]
        if any(bonus):
            _rescore(a, bonus, "hierarchy", counter)


def _country_focus(items: list[_Item], weights: Counter[str], counter: PassCounter) -> None:
    admin1: Counter[str] = Counter(it.candidates[0].admin1_code for it in items)
    for it in items:
        bonus = [
            _W_FOCUS * _share(weights, c.country) + _W_ADMIN1_FOCUS * _share(admin1, c.admin1_code)
            for c in it.candidates
        ]
        _rescore(it, bonus, "country_focus", counter)


def _coherence(items: list[_Item], counter: PassCounter) -> None:
    anchors = [
        (it, it.candidates[max(range(len(it.scores)), key=it.scores.__getitem__)]) for it in items
    ]
    for it in items:
        others = [
            c for other, c in anchors if other.span.key != it.span.key and c.feature not in _BROAD
        ]
        if not others or len(it.candidates) == 1:
            continue
        bonus = [_W_COHERENCE if any(_near(c, o) for o in others) else 0.0 for c in it.candidates]
        _rescore(it, bonus, "coherence", counter)


def _mention(it: _Item, text: str) -> Mention:
    order = sorted(range(len(it.candidates)), key=lambda k: -it.scores[k])
    ranked = [it.candidates[k] for k in order]
    scores = [it.scores[k] for k in order]
    best = replace(ranked[0], score=round(min(1.0, max(0.0, scores[0])), 4))
    decision = it.decision
    if len(scores) > 1 and scores[0] - scores[1] < _AMBIGUOUS_MARGIN:
        decision += " (ambiguous)"
    relation = ""
    m = _RELATION.search(text[max(0, it.span.start - 40) : it.span.start])
    if m:
        relation = " ".join(m.group(0).split()).removesuffix(" the")
    return Mention(
        start=it.span.start,
        end=it.span.end,
        surface=it.span.surface,
        sentence=it.span.sentence,
        place=best,
        score=best.score,
        alternatives=tuple(ranked[1:6]),
        decision=decision,
        relation=relation,
    )


def _candidates(span: Span, gazetteer: Gazetteer) -> list[Candidate]:
    if span.place_id:
        place = gazetteer.get(span.place_id)
        return (
            [Candidate.from_place(place, score=1.0, matched=span.surface, why=("abbreviation",))]
            if place
            else []
        )
    return gazetteer.lookup(span.surface, limit=_CANDIDATES)


def resolve_spans(
    spans: Sequence[Span],
    text: str,
    gazetteer: Gazetteer,
    *,
    country_hint: str | None = None,
    counter: PassCounter | None = None,
) -> list[Mention]:
    """Resolve recognised spans to places at document level; demonyms pass through."""
    counter = counter if counter is not None else PassCounter()
    cache: dict[str, list[Candidate]] = {}
    items: list[_Item] = []
    demonyms = [s for s in spans if s.kind == "demonym"]
    for span in spans:
        if span.kind != "place":
            continue
        found = cache.get(span.surface)
        if found is None:
            found = cache[span.surface] = _candidates(span, gazetteer)
        if found and _keep(span, found):
            items.append(_Item(span, found, [c.score for c in found]))
    _hierarchy(items, text, counter)
    _country_focus(items, _focus(items, demonyms, country_hint), counter)
    _coherence(items, counter)
    mentions = [_mention(it, text) for it in items]
    for it in items:
        if it.decision == "prominence":
            counter["prominence"] += 1
    for d in demonyms:
        country = gazetteer.get(f"iso3166-1:{d.country}")
        place = (
            Candidate.from_place(country, score=1.0, matched=d.surface, why=("demonym",))
            if country
            else None
        )
        mentions.append(
            Mention(
                start=d.start,
                end=d.end,
                surface=d.surface,
                sentence=d.sentence,
                kind="demonym",
                place=place,
                score=1.0 if place else 0.0,
                decision="demonym",
                country=d.country,
            )
        )
    mentions.sort(key=lambda m: (m.start, m.end))
    return mentions

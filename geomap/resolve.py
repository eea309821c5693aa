"""Resolution: pick the place each recognised span names, using the whole document.

Each span's candidates come from the gazetteer, ranked by prominence and name match. Then
small named passes, in order, adjust the ranking; each counts how often it changed the
winner, and the mention records which one decided:

1. ``hierarchy``: an explicit parent right after the name ("Hit, in Anbar", "Paris, Texas",
   "Glasgow, Ky.") keeps the candidates inside it, and when none is ("Holliday, Missouri",
   where the gazetteer knows only Holiday, Florida) the name is placed at the parent; a
   title or institution right after the name ("New York Gov.", "Kentucky State Police")
   points at a division; names listed with a division ("New South Wales, Western
   Australia and Queensland") lean to divisions of its country; a standalone dateline
   ("WASHINGTON (AP)") is a city that needs no qualifier;
2. ``proximity``: readings of different names that lie within a few kilometres of each
   other ("Edmonton" and "Enfield", both in north London) support each other, chosen or
   not: two names rarely share a neighbourhood by chance;
3. ``country_focus``: places in the countries and divisions the document is about (named
   countries, demonyms, the caller's hint, and names with one clear reading) rank up;
4. ``coherence``: candidates near the document's confidently placed names rank up;
5. ``discourse``: one name means one place throughout a document, so every mention of a
   name takes the reading its mentions support most;
6. ``prominence``: otherwise the lookup's ranking stands;
7. ``locality``: a span the caller gave that the gazetteer cannot read ("Thomas Memorial
   Hospital"), or reads only as a small town in a country nothing else in the report is
   in, is placed at the locality the report puts it in (see :mod:`geomap._unlisted`).

A name known only by its loose key (a news spelling of a transliterated name, "Dhuluiya"
for "Aḑ Ḑulū‘īyah") is kept only when its reading lies in a country the report is about:
the caller's hint, a demonym's country, or the country of a name read by its own spelling.
Spans whose only readings are obscure, lowercase descriptions ("north central Missouri")
with no curated reading, common words that name no prominent place and follow no place
cue, and names found with no cue whose reading is a small town in a country nothing else
in the report is in ("Orbis Business Intelligence"), are dropped. A US county the
gazetteer has no point for (it has most, from ZIP code points) resolves to its state,
saying so. Ambiguity that stays close is marked "(ambiguous)" and keeps its alternatives.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from itertools import pairwise

from gazetteer import Candidate, Gazetteer
from gazetteer.build import feature_prominence
from gazetteer.normalize import fold, normalize_name, parse_name
from geomap._unlisted import in_locality, in_parent
from geomap.recognize import Span, common_words
from geomap.records import Mention

__all__ = ["PASSES", "PassCounter", "resolve_spans"]

logger = logging.getLogger(__name__)

#: The disambiguation passes, in order, with what each does.
PASSES: dict[str, str] = {
    "hierarchy": "a parent or a title right after the place, a list it is in, a dateline",
    "proximity": "readings of different names within a few kilometres support each other",
    "country_focus": "places in the countries the document is about rank up",
    "coherence": "places near the document's confidently placed names rank up",
    "discourse": "one name, one place, throughout a document",
    "prominence": "the most prominent, best-matching place",
    "locality": "a given name the gazetteer lacks: the locality the report puts it in",
}

_CANDIDATES = 25
_DIVISION_RATIO = 15  # a division this many times its namesake city's people outranks it,
_DIVISION_PEOPLE = 5_000_000  # ... if it has millions: not Banjul's or Ramallah's division
_W_CURATED = 0.15  # a listed place's lead over namesakes in the first ranking
_CURATED_PROMINENCE = 0.2  # ... and in the prominence the recognition rules ask of a name
_COUNTY_SCORE = 0.85  # a county of this name exists: as good as a division named so
_W_FOCUS = 0.35
_W_ADMIN1_FOCUS = 0.15
# A country's mentions do not make a small town of a world city's name: "the U.S. envoy
# flew to Paris" is not Paris, Texas. Readings this far below the name's most prominent
# one get no country bonus, unless the report names places in their division too
# (Edmonton beside Cairns and Townsville is the Queensland suburb).
_FOCUS_GAP = 0.25
_W_HIERARCHY = 0.6
_W_TITLE = 0.3
_W_COHERENCE = 0.15
_W_PROXIMITY = 0.1  # per other name with a reading close by, up to _PROXIMITY_NAMES
_PROXIMITY_NAMES = 3
_PROXIMITY_DEGREES = 0.25  # about 25 km
_PROXIMITY_CANDIDATES = 10
_W_COUNTRY = 0.15  # a country named in full almost always means the country
_W_NAMED_COUNTRY = 0.1  # "in France ... Paris": a country the text names, however briefly
_W_LOCAL_COUNTRY = 0.1  # ... more when named in the mention's sentence or the one before
_NEAR_DEGREES = 2.0  # "near" for coherence: about 200 km
_CONFIDENT_MARGIN = 0.15
_CUED_VOTES = 3.0  # in "one name, one place", a mention placed by a parent or a title
_MIN_PROMINENCE = 0.3  # weaker readings need a cue to count
_COMMON_PROMINENCE = 0.85  # a common word opening a sentence must name a place this prominent
_COMMON_MIDSENTENCE = 0.65  # ... and a capitalised common word inside a sentence
_COUNTRY_PROMINENCE = 0.95
_AMBIGUOUS_MARGIN = 0.05
_STRAY_PROMINENCE = {  # a town of about 30,000 people or fewer, a division of 150,000
    "populated_place": 0.65,
    "admin1": 0.72,
}
_STRAY_CONTEXT = 2  # other names placed elsewhere before a lone foreign town is doubted
_RELATION = re.compile(
    r"(?:(?P<distance>\d+(?:[.,]\d+)?\s*(?:km|kilometers|kilometres|miles|mi)\s+)?"
    r"(?P<direction>(?:north|south)(?:-?(?:east|west))?|east|west|northeast|northwest|"
    r"southeast|southwest)\s+of\s+(?:the\s+)?)$",
    re.IGNORECASE,
)
_STANDALONE = re.compile(r"^\s*(?:\(|[-\u2013\u2014]|\n)")  # "WASHINGTON (AP)", "PARIS -"
_W_DATELINE = 0.3
_W_SIBLING = 0.3
_LIST_GAP = re.compile(r"^(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")
_DATELINE_POPULATION = 100_000
_PARENT_GAP = re.compile(  # "Hit, in Anbar", "Maoxian county in Sichuan", "Erbil (Kurdistan"
    r"^(?:\s+(?:county|district|city|town|village|province|governorate|region))?"
    r"(?:,\s*(?:in\s+(?:the\s+)?)?|\s+in\s+(?:the\s+)?|\s*\(\s*)$"
)
# Words right after a name that make it a division: "New York Gov.", "Kentucky State Police",
# "the Quebec government", "Quebec Health Minister".
_DIVISION_TITLE = re.compile(
    r"^\s+(?:Gov\b|Governor|Premier|Lt\. Gov|State\s+(?:Police|Patrol|Senate|Legislature|"
    r"University|Department)|Legislature|Attorney General|Sen\b|Senator|Rep\b|"
    r"Republican|Democrat|provincial|state\b|government\b|"
    r"(?:[A-Z][a-z]+\s+){0,2}Minist(?:er|ry)\b)"
)
_BROAD = ("continent", "country", "region", "admin1")
_SEAS_AND_LANDS = frozenset({"continent", "country", "region"})
_OF_AN_OFFICE = re.compile(
    r"\b(?:Department|Ministry|Minister|Secretary|Secretariat|Office|Bureau|Division)"
    r"\s+of\s+(?:the\s+)?$"
)
_A_LEADERS_TERM = re.compile(r"(?:'s)?\s+(?:administration|presidency)\b")


class PassCounter(Counter[str]):
    """How many mentions each pass decided."""


@dataclass(slots=True)
class _Item:
    span: Span
    candidates: list[Candidate]
    scores: list[float]
    decision: str = "prominence"
    close: dict[int, float] = field(default_factory=dict)  # proximity's bonus by candidate

    def best(self) -> int:
        return max(range(len(self.scores)), key=self.scores.__getitem__)

    def margin(self) -> float:
        if len(self.scores) < 2:
            return 1.0
        top = sorted(self.scores, reverse=True)
        return top[0] - top[1]


def _is_curated(c: Candidate) -> bool:
    """A place someone chose to list: the package's overlays or a user's places file."""
    return c.id.startswith(("overlay:", "user:"))


def _curated(c: Candidate) -> float:
    """Listed places lead their namesakes: the White House over Casablanca, whose name
    translates as much."""
    return _W_CURATED if _is_curated(c) else 0.0


def _division_over_small_namesake(
    span: Span, candidates: list[Candidate], scores: list[float]
) -> None:
    """A division many times its namesake city's size is what the bare name means.

    "Quebec" is the province of 8 million, not its capital of half a million ("Quebec City"
    is the city); "New York", "Washington" and "Basra" stay cities, their divisions being
    less than fifteen times as populous, and so do capitals of small divisions ("Ramallah").
    """
    for k, c in enumerate(candidates):
        if c.feature != "admin1" or c.population < _DIVISION_PEOPLE:
            continue
        if _fold_name(c.name) != fold(span.surface):
            continue
        for city, score in zip(candidates, scores, strict=True):
            if (
                city.feature == "populated_place"
                and city.admin1_code == c.admin1_code
                and 0 < city.population * _DIVISION_RATIO <= c.population
                and _fold_name(city.name) == _fold_name(c.name)
                and score > scores[k]
            ):
                scores[k] = score + 0.01


def _prominence(c: Candidate) -> float:
    curated = _CURATED_PROMINENCE if _is_curated(c) else 0.0
    return feature_prominence(c.feature, c.population) + curated


def _keep(span: Span, candidates: list[Candidate], text: str) -> bool:
    """Recognition rules that need the candidates: obscure readings and common words."""
    if span.place_id or span.cue == "given":
        return True
    before = text[max(0, span.start - 40) : span.start]
    office = before.endswith(("of ", "the ")) and _OF_AN_OFFICE.search(before)
    if office or _A_LEADERS_TERM.match(text, span.end):
        # "the Department of Justice", "Fish and Wildlife", "the Obama administration"
        return any(c.feature in ("country", "admin1") for c in candidates)
    if span.surface.islower():  # "north central Missouri" describes; "the western desert"
        return any(_is_curated(c) for c in candidates)
    best = max(_prominence(c) for c in candidates)
    if (span.in_name and not span.cue) or span.hyphen_pair:
        # "Environment Canada" but "Rose Garden"; "Russia-Turkey ties" but "Coca-Cola"
        return best >= _COUNTRY_PROMINENCE
    if span.common_word and not span.cue:
        limit = _COMMON_PROMINENCE if span.sentence_initial else _COMMON_MIDSENTENCE
        return best >= limit
    return best >= _MIN_PROMINENCE or bool(span.cue)


@cache
def _counties() -> dict[str, tuple[str, ...]]:
    from gazetteer.sources import us_counties

    return us_counties()


def _candidates(span: Span, gazetteer: Gazetteer) -> list[Candidate]:
    if span.place_id:
        place = gazetteer.get(span.place_id)
        if place is None:
            return []
        return [Candidate.from_place(place, score=1.0, matched=span.surface, why=("abbreviation",))]
    found = gazetteer.lookup(span.lookup or span.surface, limit=_CANDIDATES)
    placed_county = any(c.feature == "admin2" and c.country == "US" for c in found)
    if (span.lookup or span.surface).lower().endswith(" county") and not placed_county:
        states = _counties().get(span.key, ())
        placed = [gazetteer.get(f"iso3166-2:{code}") for code in states]
        why = (f"{span.surface} is a county of this state; the gazetteer has no point for it",)
        counties = [
            Candidate.from_place(p, score=_COUNTY_SCORE, matched=span.surface, why=why)
            for p in placed
            if p
        ]
        found = sorted(counties + found, key=lambda c: -c.score)
    return found


@lru_cache(maxsize=65_536)
def _fold_name(name: str) -> str:
    """``fold`` for gazetteer names, which recur from report to report."""
    return fold(name)


def _a_common_word(span: Span) -> bool:
    """A found span the recogniser marked so, or a given one-word span in the word list."""
    if span.cue != "given":
        return span.common_word
    return " " not in span.surface and span.surface.lower() in common_words()


def _named_so(span: Span, candidates: list[Candidate]) -> list[Candidate]:
    """The places a common word is the own name of.

    "Tiger" is not Macon by way of its nickname "Tiger Town", nor "Garden" Singapore by
    "Garden City", nor "Public" a Ugandan district by a stray alternate name; "Reading"
    and "Hit" are the towns' own names. Seas and continents keep their short names ("the
    Pacific").
    """
    surface = fold(span.surface)

    def own_name(c: Candidate) -> bool:
        if c.matched == c.name:
            return _fold_name(c.name) == surface
        return _fold_name(c.matched) == surface == _fold_name(c.name)

    return [c for c in candidates if c.feature in _SEAS_AND_LANDS or own_name(c)]


# Words around a place's name in the name of something in or part of it: "North London",
# "Greater Toronto Area", "Vancouver Art Gallery".
_AROUND_A_PLACE = frozenset(
    """north south east west northern southern eastern western central upper lower
    greater inner outer downtown metro metropolitan rural suburban the of area region
    district art gallery museum university college hospital stadium airport international
    station square street road bridge harbour harbor port centre center city""".split()
)
_INNER_PROMINENCE = 0.5  # an inner name stands for the span only if it names a real town


def _built_on(span: Span, gazetteer: Gazetteer) -> tuple[Span, list[Candidate]]:
    """A given span the gazetteer lacks, read as the place it is built on, if any.

    Every other word must be a modifier or a facility word ("University Hospital" is built
    on no place), and the place must be a prominent one.
    """
    words = (span.lookup or span.surface).split()
    for size in range(len(words) - 1, 0, -1):
        for i in range(len(words) - size + 1):
            inner, rest = words[i : i + size], words[:i] + words[i + size :]
            if not inner[0][:1].isupper() or any(w.lower() not in _AROUND_A_PLACE for w in rest):
                continue
            if all(w.lower() in _AROUND_A_PLACE for w in inner):
                continue
            name = " ".join(inner)
            narrower = replace(span, key=normalize_name(name), lookup=name)
            found = _candidates(narrower, gazetteer)
            if found and _prominence(found[0]) >= _INNER_PROMINENCE:
                return narrower, found
    return span, []


_Weights = defaultdict[str, float]


def _focus(
    items: list[_Item], demonyms: Sequence[Span], hint: str | None
) -> tuple[_Weights, _Weights]:
    countries: _Weights = defaultdict(float)
    divisions: _Weights = defaultdict(float)
    for it in items:
        top = it.candidates[it.best()]
        confident = len(it.candidates) == 1 or it.margin() > _CONFIDENT_MARGIN
        weight = 2.0 if top.feature == "country" else 1.0 if confident else 0.25
        countries[top.country] += weight
        if top.admin1_code and (confident or top.feature in ("admin1", "region")):
            divisions[top.admin1_code] += weight
    for d in demonyms:
        countries[d.country] += 1.0
    if hint:
        countries[hint.upper()] += 5.0
    return countries, divisions


def _share(weights: _Weights, key: str) -> float:
    total = sum(weights.values())
    return weights[key] / total if total and key else 0.0


def _near(a: Candidate, b: Candidate) -> bool:
    """Whether ``b`` lies near ``a``, or inside it when ``a`` is a country or division."""
    if a.feature == "country":
        return a.country == b.country
    if a.feature == "admin1":
        return a.country == b.country and a.admin1_code == b.admin1_code
    return abs(a.lat - b.lat) < _NEAR_DEGREES and abs(a.lon - b.lon) < _NEAR_DEGREES * 1.5


def _rescore(it: _Item, bonus: list[float], name: str, counter: PassCounter) -> None:
    before = it.best()
    it.scores = [s + b for s, b in zip(it.scores, bonus, strict=True)]
    if it.best() != before:
        it.decision = name
        counter[name] += 1


def _dateline(it: _Item, text: str, counter: PassCounter) -> None:
    """A dateline standing alone ("WASHINGTON (AP) -") names a city big enough to need no
    qualifier: agencies add the state or country to any other ("WASHINGTON, N.C.")."""
    line_start = text.rfind("\n", 0, it.span.start) + 1
    if not (it.span.surface.isupper() and not text[line_start : it.span.start].strip()):
        return
    if _STANDALONE.match(text[it.span.end : it.span.end + 4]):
        surface = fold(it.span.surface)
        bonus = [  # by its own name: not Hong Kong for "VICTORIA"
            _W_DATELINE
            if c.feature == "populated_place"
            and c.population >= _DATELINE_POPULATION
            and fold(c.name) == surface
            else 0.0
            for c in it.candidates
        ]
        _rescore(it, bonus, "hierarchy", counter)


def _siblings(items: list[_Item], text: str, counter: PassCounter) -> None:
    """Names listed together are alike: in "New South Wales, Western Australia and
    Queensland" the last is the Australian state, not the hamlet in Alberta."""
    for a, b in pairwise(items):
        if not _LIST_GAP.match(text[a.span.end : b.span.start]):
            continue
        for it, other in ((a, b), (b, a)):
            top = other.candidates[other.best()]
            if top.feature != "admin1" or other.margin() <= _CONFIDENT_MARGIN:
                continue
            bonus = [
                _W_SIBLING if c.feature == "admin1" and c.country == top.country else 0.0
                for c in it.candidates
            ]
            if any(bonus):
                _rescore(it, bonus, "hierarchy", counter)


def _hierarchy(items: list[_Item], text: str, counter: PassCounter) -> None:
    for it in items:
        _dateline(it, text, counter)
    _siblings(items, text, counter)
    for it in items:  # "New York Gov. Mario Cuomo": the state, not the city
        if _DIVISION_TITLE.match(text[it.span.end : it.span.end + 30]):
            bonus = [_W_TITLE if c.feature in ("admin1", "region") else 0.0 for c in it.candidates]
            _rescore(it, bonus, "hierarchy", counter)
    for a, b in pairwise(items):
        if not _PARENT_GAP.match(text[a.span.end : b.span.start]):
            continue
        if a.candidates[a.best()].feature in ("country", "continent"):
            continue  # "Russia, Turkey and Iran" is a list, not a hierarchy
        parents = [c for c in b.candidates[:5] if c.feature in _BROAD]

        def inside(c: Candidate, parents: list[Candidate] = parents) -> bool:
            return c.feature not in ("country", "continent") and any(
                c.country == p.country
                and (p.feature == "country" or c.admin1_code == p.admin1_code)
                for p in parents
            )

        bonus = [_W_HIERARCHY if inside(c) else 0.0 for c in a.candidates]
        if any(bonus):
            _rescore(a, bonus, "hierarchy", counter)
            child = a.candidates[a.best()]  # "Bronx, New York": the parent is the state
            up = [
                _W_HIERARCHY
                if c in parents
                and fold(c.matched) == fold(b.span.surface)  # not "Quebec City"
                and c.country == child.country
                and (c.feature == "country" or c.admin1_code == child.admin1_code)
                else 0.0
                for c in b.candidates
            ]
            _rescore(b, up, "hierarchy", counter)
            continue
        parent = b.candidates[b.best()]
        if (
            parent.feature == "admin1"  # "According to Conrad, South Africa ..." is no parent
            and not b.span.surface.islower()
            and a.candidates[a.best()].feature not in _BROAD
        ):
            # "Holliday, Missouri": no Holliday in Missouri; the state, not Holiday, Florida
            a.candidates = [*a.candidates, in_parent(a.span.surface, parent)]
            a.scores = [*a.scores, max(a.scores) + _W_HIERARCHY]
            a.decision = "hierarchy (parent)"
            counter["hierarchy"] += 1


def _proximity(items: list[_Item], counter: PassCounter) -> None:
    local = [
        (it.span.key, [c for c in it.candidates[:_PROXIMITY_CANDIDATES] if c.feature not in _BROAD])
        for it in items
    ]
    names = {key for key, found in local if found}
    if len(names) < 2:
        return

    def cell(c: Candidate) -> tuple[int, int]:
        return int(c.lat // _PROXIMITY_DEGREES), int(c.lon // _PROXIMITY_DEGREES)

    # Each name's reading once, however often the name recurs: a report that repeats
    # names thousands of times must not compare every mention with every other.
    cells: defaultdict[tuple[int, int], list[tuple[str, Candidate]]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for key, found in local:
        for c in found:
            if (key, c.id) not in seen:
                seen.add((key, c.id))
                cells[cell(c)].append((key, c))
    supported: dict[tuple[str, str], int] = {}

    def support(key: str, c: Candidate) -> int:
        if (key, c.id) not in supported:
            supported[key, c.id] = names_near(key, c)
        return supported[key, c.id]

    def names_near(key: str, c: Candidate) -> int:
        y, x = cell(c)
        near = {
            other
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
            for other, o in cells.get((y + dy, x + dx), ())
            if other != key
            and abs(o.lat - c.lat) < _PROXIMITY_DEGREES
            and abs(o.lon - c.lon) < _PROXIMITY_DEGREES * 1.5
        }
        return min(len(near), _PROXIMITY_NAMES)

    for it, (key, _found) in zip(items, local, strict=True):
        if len(it.candidates) == 1:
            continue
        bonus = [
            _W_PROXIMITY * support(key, c) if c.feature not in _BROAD else 0.0
            for c in it.candidates
        ]
        if any(bonus):
            it.close = {k: b for k, b in enumerate(bonus) if b}
            _rescore(it, bonus, "proximity", counter)


def _country_focus(
    items: list[_Item], focus: tuple[_Weights, _Weights], counter: PassCounter
) -> None:
    countries, divisions = focus
    named: defaultdict[str, set[str]] = defaultdict(set)  # country -> names naming it
    for it in items:
        if (top := it.candidates[it.best()]).feature == "country":
            named[top.country].add(it.span.key)
    sentences = sorted({it.span.sentence for it in items})
    previous = dict(zip(sentences[1:], sentences, strict=False))
    local: defaultdict[tuple[int, int], set[str]] = defaultdict(set)  # sentence -> countries
    for it in items:
        if (top := it.candidates[it.best()]).feature == "country":
            local[it.span.sentence].add(top.country)
    for it in items:
        elsewhere = {code for code, keys in named.items() if keys - {it.span.key}}
        here = local[it.span.sentence] | local.get(previous.get(it.span.sentence, (0, 0)), set())
        prominence = [_prominence(c) for c in it.candidates]
        highest = max(prominence)
        bonus = []
        for c, own in zip(it.candidates, prominence, strict=True):
            in_division = _share(divisions, c.admin1_code)
            national = (
                _W_FOCUS * _share(countries, c.country)
                + (_W_NAMED_COUNTRY if c.country in elsewhere else 0.0)
                + (_W_LOCAL_COUNTRY if c.country in here and c.feature != "country" else 0.0)
            )
            if own <= highest - _FOCUS_GAP and not in_division:
                national = 0.0
            country = _W_COUNTRY if c.feature == "country" else 0.0
            bonus.append(national + _W_ADMIN1_FOCUS * in_division + country)
        _rescore(it, bonus, "country_focus", counter)


def _coherence(items: list[_Item], counter: PassCounter) -> None:
    anchors = {  # each name's confident reading once, however often the name recurs
        (it.span.key, it.candidates[it.best()].id): it.candidates[it.best()]
        for it in items
        if it.margin() > _CONFIDENT_MARGIN and it.candidates[it.best()].feature not in _BROAD
    }
    near_other: dict[tuple[str, str], bool] = {}  # (name, reading) -> near another name's

    def near(key: str, c: Candidate) -> bool:
        if (key, c.id) not in near_other:
            near_other[key, c.id] = any(
                _near(c, o) for (other, _), o in anchors.items() if other != key
            )
        return near_other[key, c.id]

    for it in items:
        key = it.span.key
        if len(it.candidates) == 1 or all(other == key for other, _ in anchors):
            continue
        bonus = [  # neighbours proximity has counted already do not count twice
            max(0.0, _W_COHERENCE - it.close.get(k, 0.0)) if near(key, c) else 0.0
            for k, c in enumerate(it.candidates)
        ]
        _rescore(it, bonus, "coherence", counter)


def _discourse(items: list[_Item], counter: PassCounter) -> None:
    groups: dict[tuple[str, str | None], list[_Item]] = defaultdict(list)
    for it in items:  # "Basra province" and "Basra" are different names; "Ont." is its place
        key = it.span.key or it.span.place_id or it.span.surface
        groups[(key, parse_name(it.span.lookup or it.span.surface)[1])].append(it)
    for group in groups.values():
        if len(group) < 2:
            continue
        support: _Weights = defaultdict(float)
        chosen: dict[str, Candidate] = {}
        for it in group:  # a mention an explicit parent or title placed counts for more
            best = it.best()
            cued = _CUED_VOTES if it.decision.startswith("hierarchy") else 1.0
            support[it.candidates[best].id] += it.scores[best] * cued
            chosen[it.candidates[best].id] = it.candidates[best]
        winner = max(support, key=support.__getitem__)
        for it in group:
            ids = [c.id for c in it.candidates]
            if ids[it.best()] == winner:
                continue
            if winner not in ids:  # the parent "Holliday, Missouri" was placed at
                it.candidates = [*it.candidates, chosen[winner]]
                it.scores = [*it.scores, 0.0]
                ids.append(winner)
            k = ids.index(winner)
            it.scores[k] = max(it.scores) + 0.01
            it.decision = "discourse"
            counter["discourse"] += 1


def _names_by_country(items: list[_Item]) -> defaultdict[str, set[str]]:
    """The names whose current reading lies in each country."""
    countries: defaultdict[str, set[str]] = defaultdict(set)
    for it in items:
        countries[it.candidates[it.best()].country].add(it.span.key)
    return countries


def _without_first_names(items: list[_Item], demonyms: set[str]) -> list[_Item]:
    """Drop a person's first name read as a place nothing else in the report is in.

    "Georgia Stevens ... Georgia began skating", in a report about Alberta, is the skater;
    "Israel Katz ... Israel", in a report with Israeli troops in it, is still the country.
    """
    countries = _names_by_country(items)
    return [
        it
        for it in items
        if not it.span.first_name
        or it.span.cue
        or (country := it.candidates[it.best()].country) in demonyms
        or countries[country] - {it.span.key}
    ]


def _strays(items: list[_Item], demonyms: set[str]) -> list[_Item]:
    """Names read as a small town in a country nothing else in the report is in.

    In a report about Egypt, "Haram" is not the Norwegian town of 9,000. A given name
    yields to the locality the report places it in; a name the recogniser found with no
    cue before it ("the Unite union", "Orbis Business Intelligence") is not a place name.
    """
    countries = _names_by_country(items)
    out = []
    for it in items:
        top = it.candidates[it.best()]
        others = sum(len(keys - {it.span.key}) for code, keys in countries.items() if code)
        if (
            (it.span.cue == "given" or not it.span.cue)
            and _prominence(top) < _STRAY_PROMINENCE.get(top.feature, 0.0)
            and not countries[top.country] - {it.span.key}
            and top.country not in demonyms
            and others >= _STRAY_CONTEXT
        ):
            out.append(it)
    return out


def _unsupported_respellings(
    items: list[_Item], demonyms: set[str], hint: str | None
) -> list[_Item]:
    """Names known only by their loose key, read in a country nothing else points at.

    "Qatraneh" beside Amman is Al Qaţrānah in Jordan; alone in a report about football,
    "Kadro" is not Khadro in Pakistan.
    """
    supported = demonyms | ({hint.upper()} if hint else set())
    for it in items:
        if not it.span.loose:
            supported.add(it.candidates[it.best()].country)
    return [
        it for it in items if it.span.loose and it.candidates[it.best()].country not in supported
    ]


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


def _unlisted_mention(
    span: Span, text: str, placed: list[tuple[Span, Candidate]], counter: PassCounter
) -> Mention:
    """A given span the gazetteer lacks: at the locality the report puts it in, if any."""
    locality = in_locality(span, text, placed, _PARENT_GAP)
    if locality is None:
        return Mention(span.start, span.end, span.surface, span.sentence, decision="no match")
    counter["locality"] += 1
    return Mention(
        start=span.start,
        end=span.end,
        surface=span.surface,
        sentence=span.sentence,
        place=locality,
        score=locality.score,
        decision="locality (approximate)",
        relation="in",
    )


def _demonym_mention(d: Span, gazetteer: Gazetteer) -> Mention:
    # a country code, or the id of a larger place: "European" points at Europe
    country = gazetteer.get(d.country if ":" in d.country else f"iso3166-1:{d.country}")
    place = (
        Candidate.from_place(country, score=1.0, matched=d.surface, why=("demonym",))
        if country
        else None
    )
    return Mention(
        start=d.start,
        end=d.end,
        surface=d.surface,
        sentence=d.sentence,
        kind="demonym",
        place=place,
        score=1.0 if place else 0.0,
        decision="demonym",
        country=d.country if ":" not in d.country else "",
    )


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
    cache_: dict[str, list[Candidate]] = {}
    items: list[_Item] = []
    unlisted: list[Span] = []
    demonyms = [s for s in spans if s.kind == "demonym"]
    for span in spans:
        if span.kind != "place":
            continue
        found = cache_.get(span.lookup or span.surface)
        if found is None:
            found = cache_[span.lookup or span.surface] = _candidates(span, gazetteer)
        if not found and span.cue == "given":  # "North London", "Vancouver Art Gallery"
            span, found = _built_on(span, gazetteer)
        if _a_common_word(span) and not span.surface.isupper():  # "US" is not "us"
            found = _named_so(span, found)
        if found and _keep(span, found, text):
            scores = [c.score + _curated(c) for c in found]
            _division_over_small_namesake(span, found, scores)
            items.append(_Item(span, found, scores))
        elif span.cue == "given":  # spans given by the caller are all answered
            unlisted.append(span)
    items = _without_first_names(items, {d.country for d in demonyms})
    _hierarchy(items, text, counter)
    _proximity(items, counter)
    _country_focus(items, _focus(items, demonyms, country_hint), counter)
    _coherence(items, counter)
    _discourse(items, counter)
    stray = _strays(items, {d.country for d in demonyms})
    stray += _unsupported_respellings(items, {d.country for d in demonyms}, country_hint)
    if stray:  # given ones yield to their locality; found ones were not place names
        unlisted.extend(it.span for it in stray if it.span.cue == "given")
        items = [it for it in items if it not in stray]
    counter["prominence"] += sum(1 for it in items if it.decision == "prominence")
    mentions = [_mention(it, text) for it in items]
    mentions.extend(_demonym_mention(d, gazetteer) for d in demonyms)
    placed = sorted(((it.span, it.candidates[it.best()]) for it in items), key=lambda p: p[0].start)
    mentions.extend(_unlisted_mention(span, text, placed, counter) for span in unlisted)
    mentions.sort(key=lambda m: (m.start, m.end))
    return mentions

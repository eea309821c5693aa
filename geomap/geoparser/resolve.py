"""Resolution: pick the place each recognised span names, using the whole document.

Each span's candidates come from the gazetteer, ranked by prominence and name match. Then
the rules of ``RESOLUTION_RULES``, in order, filter the spans and adjust the ranking; each
is a :class:`~geomap.geoparser.rules.Rule` that counts how often it decided, can be left out
by name, and takes its numbers from :class:`~geomap.geoparser.weights.Weights`. The mention
records which rule decided (a :class:`~geomap.records.Decision`). The placing rules, in
families:

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
   in, is placed at the locality the report puts it in (see :mod:`geomap.geoparser.unlisted`).

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
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from itertools import pairwise

from gazetteer import Candidate, Gazetteer
from gazetteer.build import feature_prominence
from gazetteer.normalize import fold, normalize_name, parse_name
from geomap.geoparser.recognize import Span, armed_groups, common_words
from geomap.geoparser.rules import Rule, RuleCounter
from geomap.geoparser.unlisted import in_locality, in_parent
from geomap.geoparser.weights import DEFAULT_WEIGHTS, Weights
from geomap.geoparser.words import word_list
from geomap.records import Decision, Mention

__all__ = ["PASSES", "RESOLUTION_RULES", "PassCounter", "resolve_spans"]

logger = logging.getLogger(__name__)

_RELATION = re.compile(
    r"(?:(?P<distance>\d+(?:[.,]\d+)?\s*(?:km|kilometers|kilometres|miles|mi)\s+)?"
    r"(?P<direction>(?:north|south)(?:-?(?:east|west))?|east|west|northeast|northwest|"
    r"southeast|southwest)\s+of\s+(?:the\s+)?)$",
    re.IGNORECASE,
)
_STANDALONE = re.compile(r"^\s*(?:\(|[-\u2013\u2014]|\n)")  # "WASHINGTON (AP)", "PARIS -"
_LIST_GAP = re.compile(r"^(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")
# The generic words of second-level divisions: "Hawija district", "Bassa LGA", "Djugu territory".
_DISTRICT_WORDS = (
    r"district|sub-?district|county|township|cercle|LGA|territory|commune|municipality"
    r"|department|prefecture|woreda|tehsil|raion|rayon"
)
_PARENT_GAP = re.compile(  # "Hit, in Anbar", "Maoxian county in Sichuan", "Erbil (Kurdistan"
    rf"^(?:\s+(?:{_DISTRICT_WORDS}|city|town|village|province|governorate|region|camp))?"
    r"(?:,\s*(?:in\s+(?:the\s+)?)?|\s+in\s+(?:the\s+)?|\s*\(\s*)$"
)
# A part of a city or district named with "of" before its parent: "the Shaab district of
# Baghdad", "the Adhamiyah neighbourhood of Baghdad", "a suburb of Aleppo".
_PART_OF_GAP = re.compile(
    r"^\s+(?:district|sub-?district|neighbou?rhood|quarter|suburb|area|township)\s+of\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
# ... or whose own name ends in such a word: "the Old City of Mosul".
_PART_HEADS = word_list("part_heads")
_OF_GAP = re.compile(r"^\s+of\s+(?:the\s+)?$")
# A parent in the possessive before its child: "Iraq's Fallujah", "Syria's Idlib province".
_POSSESSIVE_GAP = re.compile(r"^['’]s\s+$")
# A settlement word after a country's name makes the name a modifier: "an Iraq town".
_SETTLEMENT_WORDS = word_list("settlement_words")
_POSSESSORS = frozenset({"country", "admin1", "region", "admin2", "populated_place"})
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
_TITLE_WORDS = word_list("titles")
_ADMIN_WORDS = word_list("admin_words")
_A_LEADERS_TERM = re.compile(r"(?:'s)?\s+(?:administration|presidency)\b")


#: How many decisions each rule made (the name it had when rules were passes).
PassCounter = RuleCounter


@dataclass(slots=True)
class _Item:
    span: Span
    candidates: list[Candidate]
    scores: list[float]
    decision: str = "prominence"
    close: dict[int, float] = field(default_factory=dict)  # proximity's bonus by candidate
    dropped: bool = False  # a filter rule found it is not a place name

    def best(self) -> int:
        return max(range(len(self.scores)), key=self.scores.__getitem__)

    def margin(self) -> float:
        if len(self.scores) < 2:
            return 1.0
        top = sorted(self.scores, reverse=True)
        return top[0] - top[1]


@dataclass(slots=True)
class _Doc:
    """One document's state as the resolution rules see it and change it."""

    text: str
    gazetteer: Gazetteer
    weights: Weights
    items: list[_Item]
    demonyms: list[Span]
    hint: str | None
    unlisted: list[Span] = field(default_factory=list)  # given spans answered by locality

    @property
    def demonym_countries(self) -> set[str]:
        return {d.country for d in self.demonyms}


def _is_curated(c: Candidate) -> bool:
    """A place someone chose to list: the package's overlays or a user's places file."""
    return c.id.startswith(("overlay:", "user:"))


def _prominence(c: Candidate, w: Weights) -> float:
    curated = w.curated_prominence if _is_curated(c) else 0.0
    return feature_prominence(c.feature, c.population) + curated


@cache
def _counties() -> dict[str, tuple[str, ...]]:
    from gazetteer.sources import us_counties

    return us_counties()


def _candidates(span: Span, gazetteer: Gazetteer, w: Weights) -> list[Candidate]:
    if span.place_id:
        place = gazetteer.get(span.place_id)
        if place is None:
            return []
        return [Candidate.from_place(place, score=1.0, matched=span.surface, why=("abbreviation",))]
    found = gazetteer.lookup(span.lookup or span.surface, limit=w.candidates)
    placed_county = any(c.feature == "admin2" and c.country == "US" for c in found)
    if (span.lookup or span.surface).lower().endswith(" county") and not placed_county:
        states = _counties().get(span.key, ())
        placed = [gazetteer.get(f"iso3166-2:{code}") for code in states]
        why = (f"{span.surface} is a county of this state; the gazetteer has no point for it",)
        counties = [
            Candidate.from_place(p, score=w.county_score, matched=span.surface, why=why)
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


# Words around a place's name in the name of something in or part of it: "North London",
# "Greater Toronto Area", "Vancouver Art Gallery".
_AROUND_A_PLACE = word_list("around_a_place")


# --------------------------------------------------------------------- filters and reweights


def _built_on(doc: _Doc) -> int:
    """A given span the gazetteer lacks, read as the prominent place it is built on.

    Every other word must be a modifier or a facility word ("North London", "Vancouver Art
    Gallery"; "University Hospital" is built on no place).
    """
    fired = 0
    for it in doc.items:
        if it.candidates or it.span.cue != "given":
            continue
        words = (it.span.lookup or it.span.surface).split()
        for size in range(len(words) - 1, 0, -1):
            found = _inner_place(doc, it.span, words, size)
            if found:
                it.span, it.candidates = found
                fired += 1
                break
    return fired


def _inner_place(
    doc: _Doc, span: Span, words: list[str], size: int
) -> tuple[Span, list[Candidate]] | None:
    for i in range(len(words) - size + 1):
        inner, rest = words[i : i + size], words[:i] + words[i + size :]
        if not inner[0][:1].isupper() or any(w.lower() not in _AROUND_A_PLACE for w in rest):
            continue
        if all(w.lower() in _AROUND_A_PLACE for w in inner):
            continue
        name = " ".join(inner)
        narrower = replace(span, key=normalize_name(name), lookup=name)
        found = _candidates(narrower, doc.gazetteer, doc.weights)
        if found and _prominence(found[0], doc.weights) >= doc.weights.inner_prominence:
            return narrower, found
    return None


def _own_name(doc: _Doc) -> int:
    """A common word is read only as the places it is the own name of.

    "Tiger" is not Macon by way of its nickname "Tiger Town", nor "Garden" Singapore by
    "Garden City", nor "Public" a Ugandan district by a stray alternate name; "Reading" and
    "Hit" are the towns' own names, and so is "Karma" Al-Karmah's (an Arabic article and a
    final -h aside, when the name has the article). Seas and continents keep their short names
    ("the Pacific"). All-capital spans are not common words ("US" is not "us").
    """
    fired = 0
    for it in doc.items:
        if not it.candidates or not _a_common_word(it.span) or it.span.surface.isupper():
            continue
        surface = fold(it.span.surface)

        def own_name(c: Candidate, surface: str = surface) -> bool:
            if c.matched == c.name:  # "Karma" is Al-Karmah's own name, its article aside
                bare = _without_article(_fold_name(c.name))
                return _fold_name(c.name) == surface or bare in (surface, f"{surface}h")
            return _fold_name(c.matched) == surface == _fold_name(c.name)

        kept = [c for c in it.candidates if c.feature in _SEAS_AND_LANDS or own_name(c)]
        if len(kept) < len(it.candidates):
            it.candidates = kept
            fired += 1
    return fired


_ARTICLE = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az|ath|adh)[-\s]+(?=\w)")


def _without_article(folded: str) -> str:
    """ "al-karmah" -> "karmah"; a name with no article -> "" (it has no such other form)."""
    stripped = _ARTICLE.sub("", folded, count=1)
    return stripped if stripped != folded else ""


def _keep(span: Span, candidates: list[Candidate], text: str, w: Weights) -> bool:
    if span.place_id or span.cue == "given":
        return True
    before = text[max(0, span.start - 40) : span.start]
    office = before.endswith(("of ", "the ")) and _OF_AN_OFFICE.search(before)
    if office or _A_LEADERS_TERM.match(text, span.end):
        # "the Department of Justice", "Fish and Wildlife", "the Obama administration"
        return any(c.feature in ("country", "admin1") for c in candidates)
    if span.surface.islower():  # "north central Missouri" describes; "the western desert"
        return any(_is_curated(c) for c in candidates)
    best = max(_prominence(c, w) for c in candidates)
    if (span.in_name and not span.cue) or span.hyphen_pair:
        # "Environment Canada" but "Rose Garden"; "Russia-Turkey ties" but "Coca-Cola"
        return best >= w.country_prominence
    if span.common_word and not span.cue:
        limit = w.common_prominence if span.sentence_initial else w.common_midsentence
        return best >= limit
    return best >= w.min_prominence or bool(span.cue)


def _obscure(doc: _Doc) -> int:
    """Drop found names whose readings are too obscure for what surrounds them.

    A portfolio ("the Department of Justice") or a leader's term ("the Obama
    administration") keeps only a country or division; a lowercase description ("north
    central Missouri") only a curated place; a name inside another name ("Environment
    Canada") or a hyphenated pair only a country; a common word with no cue only a
    prominent place; and any other name without a cue a place of some prominence.
    """
    fired = 0
    for it in doc.items:
        if it.candidates and not _keep(it.span, it.candidates, doc.text, doc.weights):
            it.dropped = True
            fired += 1
    return fired


def _partial_names(doc: _Doc) -> int:
    """The end of a longer name the gazetteer lacks is not a place by itself: "in Zawiyat
    Hamdi" is not Hamdi, "Bayt Qasim" not Qassim in Saudi Arabia. A country stays
    ("Costco Canada")."""
    fired = 0
    for it in doc.items:
        if (
            it.candidates
            and it.span.after_unknown
            and it.span.cue != "given"
            and it.candidates[0].feature != "country"
        ):
            it.dropped = True
            fired += 1
    return fired


# What may follow a name inside a longer name the gazetteer lacks, before its parent:
# "Qara Tapa, Diyala", "Wadi al-Shay (Kirkuk)", "Mutaibija area (Samarra": capitalised
# words (an article may join them), an optional generic word, then a comma or a bracket.
_NAME_GOES_ON = re.compile(
    r"^(?P<tail>(?:(?:\s+|-)(?:(?:al|el|ad|as|ash|an|ar|az|at|ul|bin|abu)[\s-])?"
    r"[A-Z][\w'’]*){1,3})"
    r"(?:\s+(?:area|village|town|region|mountains?|valley|district|sub-?district|camp))?"
    r"\s*(?:,\s*(?:in\s+(?:the\s+)?)?|\()\s*$"
)


def _name_start(doc: _Doc) -> int:
    """The start of a longer name the gazetteer lacks is not a place by itself when a parent
    it has no reading in follows: "near Qara Tapa, Diyala" is not Qarah in Yemen, "in Wadi
    al-Shay (Kirkuk)" not Wadi in India. The name as written goes to the parent (see
    ``geomap.incidents.where``). A site's name ("Mosul Dam, Nineveh") or a title after the
    name ("Kirkuk Governor") is not such a name."""
    w = doc.weights
    stop = _TITLE_WORDS | _ADMIN_WORDS
    fired = 0
    for a, b in pairwise(_live(doc)):
        if a.span.site or a.span.cue == "given":
            continue
        m = _NAME_GOES_ON.match(doc.text[a.span.end : b.span.start])
        if m is None or any(t.lower() in stop for t in re.findall(r"[\w'’]+", m["tail"])):
            continue
        how = "part" if doc.text[a.span.end : b.span.start].rstrip().endswith("(") else "after"
        parents, bonus = _inside(a, b, w, how)
        if parents and not any(bonus):
            a.dropped = True
            fired += 1
    return fired


def _exact_spelling(doc: _Doc) -> int:
    """A name spelled exactly as a place's own name (accents aside) outranks a place in
    another country that it matches only once normalised, double letters and all:
    "Samarra" is Sāmarrā' in Iraq, not Samara in Russia (nor, as "Samarra province", the
    Samara region), unless that other place is many times bigger."""
    w = doc.weights
    fired = 0
    for it in _live(doc):
        surface = _fold_name(it.span.surface)
        best = it.best()
        top = it.candidates[best]
        if _fold_name(top.matched) == surface or top.feature in _SEAS_AND_LANDS:
            continue
        if it.span.lookup and _fold_name(top.matched) == _fold_name(it.span.lookup):
            continue  # "Donetsk region": the name with its generic word, as written
        if any(c.country == top.country and _fold_name(c.name) == surface for c in it.candidates):
            continue  # "Kabul airport": Kabul is spelled as written in the airport's country
        exact = [
            k
            for k, c in enumerate(it.candidates)
            if _fold_name(c.name) == surface  # its own name, not one of its other names
            and c.country != top.country
            and c.population >= w.exact_spelling_people  # a town of some size, not a hamlet
        ]
        if not exact:
            continue
        k = max(exact, key=it.scores.__getitem__)
        near = it.candidates[k]
        divisions = ("admin1", "admin2")
        if top.feature not in divisions and top.population > w.exact_spelling_ratio * max(
            near.population, 1
        ):
            continue  # "Kiev" the capital, by its other spelling, not a village so named
        it.scores[k] = max(it.scores) + w.discourse_step
        it.decision = "exact_spelling"
        fired += 1
    return fired


def _curated_lead(doc: _Doc) -> int:
    """Listed places lead their namesakes: the White House over Casablanca, whose name
    translates as much; a user's own places over the built-in data."""
    fired = 0
    for it in _live(doc):
        words = len(it.span.surface.split())
        for k, c in enumerate(it.candidates):
            # "Tal Afar" is the town, not Tal Afar Airport: a listed place leads only when
            # named in full, not when the name lacks its generic word
            if _is_curated(c) and len(c.matched.split()) <= words:
                it.scores[k] += doc.weights.curated
                fired += 1
    return fired


def _division_over_namesake(doc: _Doc) -> int:
    """A division many times its namesake city's size is what the bare name means.

    "Quebec" is the province of 8 million, not its capital of half a million ("Quebec City"
    is the city); "New York", "Washington" and "Basra" stay cities, their divisions being
    less than fifteen times as populous, and so do capitals of small divisions ("Ramallah").
    """
    w = doc.weights
    fired = 0
    for it in _live(doc):
        for k, c in enumerate(it.candidates):
            if c.feature != "admin1" or c.population < w.division_people:
                continue
            if _fold_name(c.name) != fold(it.span.surface):
                continue
            for city, score in zip(it.candidates, list(it.scores), strict=True):
                if (
                    city.feature == "populated_place"
                    and city.admin1_code == c.admin1_code
                    and 0 < city.population * w.division_ratio <= c.population
                    and _fold_name(city.name) == _fold_name(c.name)
                    and score > it.scores[k]
                ):
                    it.scores[k] = score + w.division_step
                    fired += 1
    return fired


def _live(doc: _Doc) -> list[_Item]:
    return [it for it in doc.items if it.candidates and not it.dropped]


def _names_by_country(items: list[_Item]) -> defaultdict[str, set[str]]:
    """The names whose current reading lies in each country."""
    countries: defaultdict[str, set[str]] = defaultdict(set)
    for it in items:
        countries[it.candidates[it.best()].country].add(it.span.key)
    return countries


def _first_names(doc: _Doc) -> int:
    """Drop a person's first name read as a place nothing else in the report is in.

    "Georgia Stevens ... Georgia began skating", in a report about Alberta, is the skater;
    "Israel Katz ... Israel", in a report with Israeli troops in it, is still the country.
    """
    items = _live(doc)
    countries = _names_by_country(items)
    demonyms = doc.demonym_countries
    fired = 0
    for it in items:
        if not it.span.first_name or it.span.cue:
            continue
        country = it.candidates[it.best()].country
        if country not in demonyms and not countries[country] - {it.span.key}:
            it.dropped = True
            fired += 1
    return fired


def _country_modifier(doc: _Doc) -> int:
    """A country's name before a settlement word is a modifier: "an Iraq town" is a town
    in Iraq, read as Iraq, not a town named Iraq abroad (Arak, in Iran)."""
    fired = 0
    for it in _live(doc):
        words = (it.span.lookup or "").lower().split()
        if len(words) < 2 or words[-1] not in _SETTLEMENT_WORDS:
            continue
        surface = fold(it.span.surface)
        countries = [
            c for c in it.candidates if c.feature == "country" and _fold_name(c.name) == surface
        ]
        if countries and countries != it.candidates:
            it.candidates = countries
            fired += 1
    return fired


# --------------------------------------------------------------------- placing rules


_Weights = defaultdict[str, float]


def _rescore(it: _Item, bonus: list[float], name: str) -> int:
    before = it.best()
    it.scores = [s + b for s, b in zip(it.scores, bonus, strict=True)]
    if it.best() != before:
        it.decision = name
        return 1
    return 0


def _dateline(doc: _Doc) -> int:
    """A dateline standing alone ("WASHINGTON (AP) -") names a city big enough to need no
    qualifier: agencies add the state or country to any other ("WASHINGTON, N.C.")."""
    text, w = doc.text, doc.weights
    fired = 0
    for it in _live(doc):
        line_start = text.rfind("\n", 0, it.span.start) + 1
        if not (it.span.surface.isupper() and not text[line_start : it.span.start].strip()):
            continue
        if _STANDALONE.match(text[it.span.end : it.span.end + 4]):
            surface = fold(it.span.surface)
            bonus = [  # by its own name: not Hong Kong for "VICTORIA"
                w.dateline
                if c.feature == "populated_place"
                and c.population >= w.dateline_population
                and fold(c.name) == surface
                else 0.0
                for c in it.candidates
            ]
            fired += _rescore(it, bonus, "dateline")
    return fired


def _siblings(doc: _Doc) -> int:
    """Names listed together are alike: in "New South Wales, Western Australia and
    Queensland" the last is the Australian state, not the hamlet in Alberta."""
    w = doc.weights
    fired = 0
    for a, b in pairwise(_live(doc)):
        if not _LIST_GAP.match(doc.text[a.span.end : b.span.start]):
            continue
        for it, other in ((a, b), (b, a)):
            top = other.candidates[other.best()]
            if top.feature != "admin1" or other.margin() <= w.confident_margin:
                continue
            bonus = [
                w.sibling if c.feature == "admin1" and c.country == top.country else 0.0
                for c in it.candidates
            ]
            if any(bonus):
                fired += _rescore(it, bonus, "siblings")
    return fired


def _division_title(doc: _Doc) -> int:
    """A title or institution right after a name makes it a division: "New York Gov. Mario
    Cuomo", "Kentucky State Police", "the Quebec government"."""
    fired = 0
    for it in _live(doc):
        if _DIVISION_TITLE.match(doc.text[it.span.end : it.span.end + 30]):
            bonus = [
                doc.weights.title if c.feature in ("admin1", "region") else 0.0
                for c in it.candidates
            ]
            fired += _rescore(it, bonus, "division_title")
    return fired


def _parent_gap(doc: _Doc, a: _Item, b: _Item) -> str:
    """How the words between adjacent names make one the other's parent: "after" (the
    parent follows: "Hit, in Anbar"), "part" (a part of the parent: "the Shaab district of
    Baghdad", "the Old City of Mosul"), "possessive" (the parent comes first: "Iraq's
    Fallujah"), or ""."""
    gap = doc.text[a.span.end : b.span.start]
    if _PARENT_GAP.match(gap):
        return "after"
    head = a.span.surface.rsplit(None, 1)[-1].lower()
    if _PART_OF_GAP.match(gap) or (_OF_GAP.match(gap) and head in _PART_HEADS):
        return "part"
    if _POSSESSIVE_GAP.match(gap):
        top = a.candidates[a.best()]
        child_head = b.span.surface.rsplit(None, 1)[-1].lower()
        town = top.feature in ("admin2", "populated_place")
        if (  # a town owns only its parts: "Mosul's Old City", not "Newcastle's Wellcome"
            top.feature in _POSSESSORS
            and not a.span.surface.islower()
            and (not town or child_head in _PART_HEADS)
        ):
            return "possessive"
    return ""


def _parent_pairs(doc: _Doc) -> Iterator[tuple[_Item, _Item, str]]:
    """(child, parent, how) for adjacent names one of which is the other's parent by the
    words between them, the child not being read as a country ("Russia, Turkey and Iran"
    is a list). Checked pair by pair, as earlier pairs change the readings."""
    for a, b in pairwise(_live(doc)):
        how = _parent_gap(doc, a, b)
        # "the Cincinnati suburb of West Chester": the larger place is the parent
        reverse = how == "part" and _size(a) > _size(b)
        child, parent = (b, a) if how == "possessive" or reverse else (a, b)
        if not how or child.candidates[child.best()].feature in ("country", "continent"):
            continue
        yield child, parent, how


def _size(it: _Item) -> int:
    """How large a name's reading is, to tell a part from its parent: a division of known
    population by its people ("the Salah al-Din neighbourhood of Aleppo": the city of two
    million is the parent, not a province of 800,000), else a division outranks any town."""
    top = it.candidates[it.best()]
    if top.feature in _BROAD and not (top.feature == "admin1" and top.population):
        return 1 << 40
    return top.population


def _parent_readings(b: _Item, how: str) -> list[Candidate]:
    """The readings of ``b`` that may be a parent: divisions and countries, and for a part
    of a city ("the Old City of Mosul") the towns too."""
    kinds = (*_BROAD, "admin2", "populated_place") if how in ("part", "possessive") else _BROAD
    return [c for c in b.candidates[:5] if c.feature in kinds]


def _within(c: Candidate, p: Candidate, w: Weights) -> bool:
    """Whether reading ``c`` lies in parent reading ``p`` ("Gao, Gao region": the town, not
    the region itself)."""
    if c.country != p.country or c.feature in ("country", "continent") or c.id == p.id:
        return False
    if p.feature == "country":
        return True
    if p.feature in _BROAD:
        # a division holds its namesake seat even where the data files the town under
        # another division ("Jenin (Jenin, West Bank)": GeoNames puts the town elsewhere)
        if c.admin1_code == p.admin1_code:
            return True
        if c.feature != "populated_place":
            return False
        # ... and a town right by the division's point ("Beit Lahia (North Gaza)")
        seat = _fold_name(c.matched) == _fold_name(p.matched)
        return _km(c, p) <= (w.namesake_seat_km if seat else w.part_of_city_km)
    return _km(c, p) <= w.part_of_city_km  # a town or district: its parts lie close to it


def _km(a: Candidate, b: Candidate) -> float:
    """Great-circle kilometres between two readings."""
    from geopy.distance import great_circle

    return float(great_circle((a.lat, a.lon), (b.lat, b.lon)).km)


def _inside(
    a: _Item, b: _Item, w: Weights, how: str = "after"
) -> tuple[list[Candidate], list[float]]:
    """The parent readings of ``b`` and, for each reading of ``a``, the bonus of lying in one."""
    parents = _parent_readings(b, how)
    return parents, [
        w.hierarchy if any(_within(c, p, w) for p in parents) else 0.0 for c in a.candidates
    ]


def _named_as_division(c: Candidate, surface: str) -> bool:
    """Whether a division reading was matched by the name as written, or by that name with
    a division's generic word ("Idleb" for the governorate known as "Idleb province")."""
    if fold(c.matched) == fold(surface):
        return True
    key, hint = parse_name(c.matched)
    return hint in ("admin1", "admin2", "region") and key == parse_name(surface)[0]


def _parent(doc: _Doc) -> int:
    """An explicit parent right after a name keeps the readings inside it ("Hit, in
    Anbar", "Paris, Texas"), and the parent is read as the one that contains the child
    ("Bronx, New York": the state)."""
    w = doc.weights
    fired = 0
    for a, b, how in _parent_pairs(doc):
        parents, bonus = _inside(a, b, w, how)
        if not any(bonus):
            continue
        fired += _rescore(a, bonus, "parent")
        child = a.candidates[a.best()]
        up = [
            w.hierarchy
            if c in parents
            and _named_as_division(c, b.span.surface)  # not "Quebec City"
            and c.country == child.country
            and (c.feature == "country" or c.admin1_code == child.admin1_code)
            else 0.0
            for c in b.candidates
        ]
        fired += _rescore(b, up, "parent")
    return fired


def _within_parent(doc: _Doc) -> int:
    """A name none of whose readings lies in the parent named with it is placed at the
    parent: "Holliday, Missouri" (no Holliday in Missouri; not Holiday, Florida), "the Shaab
    district of Baghdad" (not the Sha'ab in Israel), "Karma, Anbar" (no Karma in the
    gazetteer's Anbar). A country or a town is such a parent only when no reading of the
    name lies in its country at all."""
    fired = 0
    # each name's next one, found once: this rule adds readings but drops no name
    following = {id(it): nxt for it, nxt in pairwise(_live(doc))}
    for a, b, how in _parent_pairs(doc):
        if any(_inside(a, b, doc.weights, how)[1]):
            continue
        parent = _parent_by_evidence(doc, b)
        if b.span.surface.islower() or a.candidates[a.best()].feature in _BROAD:
            continue
        held = _town_holds(doc, a, b, following.get(id(b)), parent, how) or _seat_holds(
            doc, a, b, parent
        )
        if not (_may_hold(a, parent, how) or held):
            parent = _bracketed_division(doc, a, b) or parent
            if parent.feature != "admin1":
                continue
        if parent.feature == "country" and how == "after" and not _closed(doc.text, b):
            continue  # "According to Conrad, South Africa now ships ...": a subject
        a.candidates = [*a.candidates, in_parent(a.span.surface, parent)]
        a.scores = [*a.scores, max(a.scores) + doc.weights.hierarchy]
        a.decision = "within_parent"
        fired += 1
    return fired


# A division's title after a name the gazetteer holds only as a town: "Bassa LGA".
_DIVISION_TITLE_AFTER = re.compile(rf"\s+(?:{_DISTRICT_WORDS})\b")


def _seat_holds(doc: _Doc, child: _Item, seat: _Item, reading: Candidate) -> bool:
    """ "Kukawa village in Bassa LGA (Plateau)": a division the gazetteer knows only by its
    seat's town holds a name none of whose readings lies in the seat's first-level
    division (Kukawa, Borno is 600 km away); the name goes to the seat."""
    if reading.feature != "populated_place" or not reading.admin1_code:
        return False
    if not _DIVISION_TITLE_AFTER.match(doc.text, seat.span.end):
        return False
    return all(
        c.country != reading.country or c.admin1_code != reading.admin1_code
        for c in child.candidates
    )


def _parent_by_evidence(doc: _Doc, b: _Item) -> Candidate:
    """The parent's reading, or its namesake of the same kind in a country the report's
    demonyms or hint point at ("Houthi forces shelled X (Al Jawf)": Yemen's Al Jawf, not
    Saudi Arabia's), which then becomes the parent's reading too."""
    best = b.best()
    parent = b.candidates[best]
    evidence = doc.demonym_countries | ({doc.hint.upper()} if doc.hint else set())
    if parent.country in evidence:
        return parent
    for k, c in enumerate(b.candidates):
        same = c.feature == parent.feature and _fold_name(c.matched) == _fold_name(parent.matched)
        if k != best and same and c.country in evidence:
            b.scores[k] = max(b.scores) + doc.weights.discourse_step
            b.decision = "parent"
            return c
    return parent


def _bracketed_division(doc: _Doc, a: _Item, b: _Item) -> Candidate | None:
    """ "Pale township (Sagaing)", "Tahoua village (Tillaberi)": a coder's bracket names the
    first-level division, so a name with no reading inside it goes to the division of the
    bracketed name, not to the town of that name. (Called only when no reading of the name
    lies in any division the bracketed name may be.)"""
    if not doc.text[a.span.end : b.span.start].rstrip().endswith("("):
        return None
    surface = _fold_name(b.span.surface)
    return next(
        (c for c in b.candidates[:5] if c.feature == "admin1" and _fold_name(c.matched) == surface),
        None,
    )


def _proximity(doc: _Doc) -> int:
    """Readings of different names that lie within a few kilometres of each other support
    each other, chosen or not: two names rarely share a neighbourhood by chance."""
    w = doc.weights
    items = _live(doc)
    local = [
        (
            it.span.key,
            [c for c in it.candidates[: w.proximity_candidates] if c.feature not in _BROAD],
        )
        for it in items
    ]
    names = {key for key, found in local if found}
    if len(names) < 2:
        return 0

    def cell(c: Candidate) -> tuple[int, int]:
        return int(c.lat // w.proximity_degrees), int(c.lon // w.proximity_degrees)

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
            and abs(o.lat - c.lat) < w.proximity_degrees
            and abs(o.lon - c.lon) < w.proximity_degrees * 1.5
        }
        return min(len(near), w.proximity_names)

    fired = 0
    for it, (key, _found) in zip(items, local, strict=True):
        if len(it.candidates) == 1:
            continue
        bonus = [
            w.proximity * support(key, c) if c.feature not in _BROAD else 0.0 for c in it.candidates
        ]
        if any(bonus):
            it.close = {k: b for k, b in enumerate(bonus) if b}
            fired += _rescore(it, bonus, "proximity")
    return fired


# Armed forces and strikes after a demonym: the nation of an actor, who often fights
# abroad ("Russian forces shelled Donetsk", "Israeli forces raided Jenin", "a US airstrike").
_ARMED_NOUN_AFTER = re.compile(
    r"[\s-]+(?:led\s+)?(?:forces|troops|army|military|soldiers|jets|warplanes|aircraft|drones?"
    r"|air\s*strikes?|strikes?|missiles?|rockets?|shelling|artillery|navy|air\s+force"
    r"|special\s+forces|paratroopers|marines|mercenaries|occupation)\b",
    re.IGNORECASE,
)


def _focus(doc: _Doc, items: list[_Item]) -> tuple[_Weights, _Weights]:
    """The weight of each country and division in the document: what it is about."""
    w = doc.weights
    countries: _Weights = defaultdict(float)
    divisions: _Weights = defaultdict(float)
    for it in items:
        top = it.candidates[it.best()]
        confident = len(it.candidates) == 1 or it.margin() > w.confident_margin
        weight = _vote(it, w)
        countries[top.country] += weight
        if top.admin1_code and (confident or top.feature in ("admin1", "region")):
            divisions[top.admin1_code] += weight
    for d in doc.demonyms:
        # "Russian forces shelled Donetsk": a nation's forces; "Houthi forces" fight at home
        actor = _ARMED_NOUN_AFTER.match(doc.text, d.end) and d.surface not in armed_groups()
        countries[d.country] += w.focus_actor_demonym_vote if actor else w.focus_demonym_vote
    if doc.hint:
        countries[doc.hint.upper()] += w.focus_hint_vote
    return countries, divisions


def _vote(it: _Item, w: Weights) -> float:
    """What a name's current reading adds to its country's weight in the focus tally."""
    if it.candidates[it.best()].feature == "country":
        return w.focus_country_vote
    confident = len(it.candidates) == 1 or it.margin() > w.confident_margin
    return w.focus_confident_vote if confident else w.focus_unsure_vote


def _share(weights: _Weights, key: str) -> float:
    total = sum(weights.values())
    return weights[key] / total if total and key else 0.0


def _closed(text: str, it: _Item) -> bool:
    """Whether punctuation or the end of the text follows a name: "Karma, Iraq, on"."""
    after = text[it.span.end : it.span.end + 2].lstrip(" ")
    return not after or after[0] in ",.;:)"


def _may_hold(child: _Item, parent: Candidate, how: str) -> bool:
    """Whether a name with no reading in ``parent`` is placed there: always in a division
    named after it; in a country named after it, or a town it is a part of, only when no
    reading of the name lies in that country ("Clacton, Essex" is not in Essex, Maryland;
    "According to Conrad, South Africa" names no parent)."""
    if parent.feature == "admin1":
        return True
    towns = how in ("part", "possessive")
    kinds = ("country", "admin2", "populated_place") if towns else ("country",)
    return parent.feature in kinds and all(c.country != parent.country for c in child.candidates)


_LIST_GOES_ON = re.compile(r"^\s*(?:,|and\b|or\b|&)\s*(?:the\s+)?[A-Z]")


def _town_holds(
    doc: _Doc, child: _Item, town: _Item, nxt: _Item | None, parent: Candidate, how: str
) -> bool:
    """A city after a comma holds a small place, or a site, none of whose readings lies in
    the city's country: "Tahrir Square, Baghdad" (not Cairo's). Not a list of towns ("Paris,
    London and Berlin"), nor a child that is a large place itself, nor a small town that
    may be a namesake of a division ("Clacton, Essex" is not in Essex, Maryland), unless a
    parent of its own follows it ("Boni, Douentza cercle, Mopti")."""
    big = doc.weights.town_child_people
    if how != "after" or parent.feature != "populated_place":
        return False
    if not doc.text[child.span.end : town.span.start].strip().startswith(","):
        return False
    if any(c.country == parent.country for c in child.candidates):
        return False
    small = all(c.population < big for c in child.candidates)
    # a chain of parents agrees ("Boni, Douentza cercle, Mopti"): the child's readings
    # abroad, small or known there by another name (Bonn is "Boni" in some language), yield
    others = all(_fold_name(c.matched) != _fold_name(c.name) for c in child.candidates)
    if (small or others) and nxt is not None and _held_by_next(doc, town, nxt, parent):
        return True
    if not small or parent.population < big:
        return False  # "Clacton, Essex": not Essex, Maryland, a town of 40,000
    return not _LIST_GOES_ON.match(doc.text[town.span.end : town.span.end + 40])


def _held_by_next(doc: _Doc, town: _Item, nxt: _Item, reading: Candidate) -> bool:
    """Whether ``nxt``, the name after ``town``, is its parent too, in the same first-level
    division: "Douentza cercle, Mopti" (a chain of parents agrees), not "Kirkuk, Erbil" (a
    list)."""
    gap = doc.text[town.span.end : nxt.span.start]
    if not (_PARENT_GAP.match(gap) or re.match(r"^\s+[a-z]+\s*,\s*$", gap)):
        return False  # "Douentza, Mopti", "Douentza cercle, Mopti"
    up = nxt.candidates[nxt.best()]
    return (
        up.country == reading.country
        and bool(reading.admin1_code)
        and (up.admin1_code == reading.admin1_code or up.feature == "country")
    )


def _country_focus(doc: _Doc) -> int:
    """Places in the countries and divisions the document is about rank up: named
    countries, demonyms, the caller's hint, names with one clear reading. A world city's
    name is not made a small town by its country's mentions ("the U.S. envoy flew to
    Paris"), unless the report names places in that town's division too."""
    w = doc.weights
    items = _live(doc)
    countries, divisions = _focus(doc, items)
    named: defaultdict[str, set[str]] = defaultdict(set)  # country -> names naming it
    local: defaultdict[tuple[int, int], set[str]] = defaultdict(set)  # sentence -> countries
    for it in items:
        if (top := it.candidates[it.best()]).feature == "country":
            named[top.country].add(it.span.key)
            local[it.span.sentence].add(top.country)
    sentences = sorted({it.span.sentence for it in items})
    previous = dict(zip(sentences[1:], sentences, strict=False))
    fired = 0
    for it in items:
        if _names_a_country(it):
            continue  # "offices in Iraq", about Iran: not Arak, one of whose names is Iraq
        elsewhere = {code for code, keys in named.items() if keys - {it.span.key}}
        here = local[it.span.sentence] | local.get(previous.get(it.span.sentence, (0, 0)), set())
        prominence = [_prominence(c, w) for c in it.candidates]
        highest, top_score = max(prominence), max(it.scores)
        bonus = []
        for c, own, score in zip(it.candidates, prominence, it.scores, strict=True):
            in_division = _share(divisions, c.admin1_code)
            national = (
                w.focus * _share(countries, c.country)
                + (w.named_country if c.country in elsewhere else 0.0)
                + (w.local_country if c.country in here and c.feature != "country" else 0.0)
            )
            # far below the name's best (the lookup's first reading still counts, a town of
            # unknown size ranked ahead of a listed site named after it: "Tal Afar")
            behind = own <= highest - w.focus_gap and score < top_score
            if behind and not in_division:
                national = 0.0
            country = w.country if c.feature == "country" else 0.0
            bonus.append(national + w.admin1_focus * in_division + country)
        fired += _rescore(it, bonus, "country_focus")
    return fired


def _near(a: Candidate, b: Candidate, w: Weights) -> bool:
    """Whether ``b`` lies near ``a``, or inside it when ``a`` is a country or division."""
    if a.feature == "country":
        return a.country == b.country
    if a.feature == "admin1":
        return a.country == b.country and a.admin1_code == b.admin1_code
    return abs(a.lat - b.lat) < w.near_degrees and abs(a.lon - b.lon) < w.near_degrees * 1.5


def _coherence(doc: _Doc) -> int:
    """Readings near the document's confidently placed names rank up."""
    w = doc.weights
    items = _live(doc)
    anchors = {  # each name's confident reading once, however often the name recurs
        (it.span.key, it.candidates[it.best()].id): it.candidates[it.best()]
        for it in items
        if it.margin() > w.confident_margin and it.candidates[it.best()].feature not in _BROAD
    }
    near_other: dict[tuple[str, str], bool] = {}  # (name, reading) -> near another name's

    def near(key: str, c: Candidate) -> bool:
        if (key, c.id) not in near_other:
            near_other[key, c.id] = any(
                _near(c, o, w) for (other, _), o in anchors.items() if other != key
            )
        return near_other[key, c.id]

    fired = 0
    for it in items:
        key = it.span.key
        if len(it.candidates) == 1 or all(other == key for other, _ in anchors):
            continue
        bonus = [  # neighbours proximity has counted already do not count twice
            max(0.0, w.coherence - it.close.get(k, 0.0)) if near(key, c) else 0.0
            for k, c in enumerate(it.candidates)
        ]
        fired += _rescore(it, bonus, "coherence")
    return fired


_CUED = frozenset({"dateline", "siblings", "division_title", "parent", "within_parent"})


def _discourse(doc: _Doc) -> int:
    """One name means one place throughout a document: every mention of a name takes the
    reading its mentions support most, a mention placed by a parent or a title counting
    three times. "Basra province" and "Basra" are different names, and so are a name and
    the namesake division named as its parent: "Mandalay (Mandalay)" is the city in the
    region."""
    own_parent = {id(b) for a, b, _ in _parent_pairs(doc) if a.span.key == b.span.key}
    groups: dict[tuple[str, str | None], list[_Item]] = defaultdict(list)
    for it in _live(doc):  # "Ont." is its place
        if id(it) in own_parent:
            continue
        key = it.span.key or it.span.place_id or it.span.surface
        groups[(key, parse_name(it.span.lookup or it.span.surface)[1])].append(it)
    fired = 0
    for group in groups.values():
        if len(group) < 2:
            continue
        support: _Weights = defaultdict(float)
        chosen: dict[str, Candidate] = {}
        for it in group:
            best = it.best()
            cued = doc.weights.cued_votes if it.decision in _CUED else 1.0
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
            it.scores[k] = max(it.scores) + doc.weights.discourse_step
            it.decision = "discourse"
            fired += 1
    return fired


def _strays(doc: _Doc) -> int:
    """Names read as a small town in a country nothing else in the report is in.

    In a report about Egypt, "Haram" is not the Norwegian town of 9,000. A given name
    yields to the locality the report places it in; a name the recogniser found with no
    cue before it ("the Unite union", "Orbis Business Intelligence") is not a place name.
    """
    w = doc.weights
    items = _live(doc)
    countries = _names_by_country(items)
    demonyms = doc.demonym_countries
    fired = 0
    for it in items:
        top = it.candidates[it.best()]
        others = sum(len(keys - {it.span.key}) for code, keys in countries.items() if code)
        if (
            (it.span.cue == "given" or not it.span.cue)
            and _prominence(top, w) < w.stray_prominence.get(top.feature, 0.0)
            and not countries[top.country] - {it.span.key}
            and top.country not in demonyms
            and others >= w.stray_context
        ):
            it.dropped = True
            if it.span.cue == "given":
                doc.unlisted.append(it.span)
            fired += 1
    return fired


def _unsupported_respellings(doc: _Doc) -> int:
    """A name known only by its loose key (a news spelling of a transliterated name,
    "Dhuluiya" for "Aḑ Ḑulū‘īyah") is kept only when its reading lies in a country the
    report points at: the caller's hint, a demonym's country, or the country of a name read
    by its own spelling. "Qatraneh" beside Amman is Al Qaţrānah in Jordan; alone in a
    report about football, "Kadro" is not Khadro in Pakistan."""
    items = _live(doc)
    supported = doc.demonym_countries | ({doc.hint.upper()} if doc.hint else set())
    supported |= {it.candidates[it.best()].country for it in items if not it.span.loose}
    fired = 0
    for it in items:
        if it.span.loose and it.candidates[it.best()].country not in supported:
            it.dropped = True
            if it.span.cue == "given":
                doc.unlisted.append(it.span)
            fired += 1
    return fired


def _one_country(doc: _Doc) -> int:
    """A report about one country does not place a small town abroad.

    When the country the report is about (its share of the names, demonyms and the caller's
    hint is at least ``Weights.one_country_share``) is also named in it, a name read as a
    small place in another country takes its reading in that country if it has one, and
    is dropped if not ("an ISIS leader was killed in Tal", in a report about Iraq, is not
    the Indian village of Tal). Prominent places abroad stay (a minister flying to
    Paris), and so do names the caller gave, names placed by a parent named beside them,
    and places in a country other names of the report lie in too.
    """
    w = doc.weights
    items = _live(doc)
    naming = [it for it in items if _is_country(it)]
    named = {it.candidates[it.best()].country for it in naming}
    # countries a naming mention may also be read in ("Georgia": the US state too)
    maybe = {c.country for it in naming for c in it.candidates}
    named |= {d.country for d in doc.demonyms if ":" not in d.country}
    # a first-level division read with confidence names its country as well as the country's
    # name would ("a farmer from Ninewa governorate")
    named |= {
        it.candidates[it.best()].country
        for it in items
        if it.candidates[it.best()].feature == "admin1" and it.margin() > w.confident_margin
    }
    if doc.hint:
        named.add(doc.hint.upper())
    named.discard("")
    if not named:
        return 0
    countries, _ = _focus(doc, items)
    home = max(sorted(named), key=countries.__getitem__)
    total = sum(countries.values())
    by_country = _names_by_country(items)
    fired = 0
    for it in items:
        top = it.candidates[it.best()]
        if top.country == home or top.feature in _SEAS_AND_LANDS or it.span.cue == "given":
            continue
        if top.feature == "country":
            continue  # a country named is that country ("offices in Iraq": not Arak, Iran)
        if it.decision in ("parent", "within_parent"):
            continue  # its parent is named beside it: "Jenin (Jenin, West Bank)"
        if it.span.lookup and top.feature != "populated_place":
            continue  # named with its kind: "Kabul airport" is the airport, wherever
        if by_country[top.country] - {it.span.key} or top.country in maybe:
            continue  # other names of the report lie, or may lie, in that country too
        # the country's share of the report, leaving this name's own vote out
        if countries[home] < w.one_country_share * (total - _vote(it, w)):
            continue
        at_home = [k for k, c in enumerate(it.candidates) if c.country == home]
        if _prominence(top, w) >= w.abroad_prominence:  # a town abroad of some size stays,
            # unless the home country has a town of that name of some size too, not many
            # times smaller ("Tripoli" in a report about Lebanon; but "Russian forces
            # shelled Donetsk" is the Ukrainian city, not the Russian town of 50,000)
            floor = w.abroad_prominence
            if _fold_name(top.matched) == _fold_name(top.name):  # not by another name
                floor = max(floor, _prominence(top, w) - w.abroad_gap)
            at_home = [k for k in at_home if _prominence(it.candidates[k], w) >= floor]
            if not at_home:
                continue
        if at_home:
            k = max(at_home, key=it.scores.__getitem__)
            it.scores[k] = max(it.scores) + w.discourse_step
            it.decision = "one_country"
        else:
            it.dropped = True
        fired += 1
    return fired


def _names_a_country(it: _Item) -> bool:
    """Whether the name as written is a country's own name ("Iraq"; "Georgia", whose US
    state reading the other rules weigh)."""
    surface = _fold_name(it.span.surface)
    return any(c.feature == "country" and _fold_name(c.name) == surface for c in it.candidates)


def _is_country(it: _Item) -> bool:
    return it.candidates[it.best()].feature == "country"


def _sites(doc: _Doc) -> int:
    """A place name inside a site's or an organisation's name ("Mosul University", "the
    Basra Times") is kept as a mention of kind "site", placed at the place: the site is
    there, but the name is the site's (``geomap/data/site_words.txt``)."""
    return sum(1 for it in _live(doc) if it.span.site)


def _prominence_rule(doc: _Doc) -> int:
    """Otherwise the lookup's ranking stands: the most prominent, best-matching place."""
    return sum(1 for it in _live(doc) if it.decision == "prominence")


def _locality(doc: _Doc) -> int:
    """A span the caller gave that the gazetteer cannot read, or that yielded as a stray,
    is placed at the locality the report puts it in (``geomap.geoparser.unlisted``)."""
    return 0  # placed when the mentions are made; counted there


def _rule(name: str, description: str, run: Callable[[_Doc], int]) -> Rule[_Doc]:
    return Rule(name, "resolution", description, run)


#: The resolution rules, in the order they run. The first six filter and re-weight the
#: readings; the rest place each name. Leave one out by name with ``without=``.
RESOLUTION_RULES: tuple[Rule[_Doc], ...] = (
    _rule(
        "built_on", "a given name the gazetteer lacks, read as the place it is built on", _built_on
    ),
    _rule("own_name", "a common word is read only as places it is the own name of", _own_name),
    _rule(
        "country_modifier",
        "a country's name before 'town' or 'city' is the country",
        _country_modifier,
    ),
    _rule(
        "partial_names",
        "the end of a longer name the gazetteer lacks is not a place by itself",
        _partial_names,
    ),
    _rule("obscure", "drop names whose readings are too obscure for their context", _obscure),
    _rule(
        "name_start",
        "the start of a longer name the gazetteer lacks, before a parent it is not in, is no place",
        _name_start,
    ),
    _rule("curated_lead", "curated and users' places lead their namesakes", _curated_lead),
    _rule(
        "exact_spelling",
        "a place spelled exactly as written outranks one abroad matched only once normalised",
        _exact_spelling,
    ),
    _rule(
        "division_over_namesake",
        "a division of millions outranks its much smaller namesake city",
        _division_over_namesake,
    ),
    _rule("first_names", "drop a first name read as a place nothing else supports", _first_names),
    _rule("dateline", "a standalone dateline is a big city by its own name", _dateline),
    _rule("siblings", "names listed with a division lean to divisions of its country", _siblings),
    _rule("division_title", "a title after a name makes it a division", _division_title),
    _rule("parent", "a parent named right after a name keeps readings inside it", _parent),
    _rule(
        "within_parent",
        "a name with no reading in its named parent goes to the parent",
        _within_parent,
    ),
    _rule("proximity", "readings of different names within ~25 km support each other", _proximity),
    _rule("country_focus", "places in the countries the document is about rank up", _country_focus),
    _rule("coherence", "readings near the document's confidently placed names rank up", _coherence),
    _rule("discourse", "one name, one place, throughout a document", _discourse),
    _rule(
        "strays", "a lone small town abroad is not the place (or yields to its locality)", _strays
    ),
    _rule(
        "supported_respellings",
        "a news spelling is kept only in a country the report points at",
        _unsupported_respellings,
    ),
    _rule("one_country", "a report about one country places no small town abroad", _one_country),
    _rule("sites", "a place name inside a site's name is a site there", _sites),
    _rule("prominence", "otherwise the most prominent, best-matching place", _prominence_rule),
    _rule("locality", "a given name the gazetteer lacks goes to the locality around it", _locality),
)
#: Each resolution rule's name and what it does, in order.
PASSES: dict[str, str] = {r.name: r.description for r in RESOLUTION_RULES}


# --------------------------------------------------------------------- mentions


def _mention(it: _Item, text: str, w: Weights, without: Collection[str] = ()) -> Mention:
    order = sorted(range(len(it.candidates)), key=lambda k: -it.scores[k])
    ranked = [it.candidates[k] for k in order]
    scores = [it.scores[k] for k in order]
    best = replace(ranked[0], score=round(min(1.0, max(0.0, scores[0])), 4))
    ambiguous = len(scores) > 1 and scores[0] - scores[1] < w.ambiguous_margin
    relation = ""
    m = _RELATION.search(text[max(0, it.span.start - 40) : it.span.start])
    if m:
        relation = " ".join(m.group(0).split()).removesuffix(" the")
    return Mention(
        start=it.span.start,
        end=it.span.end,
        surface=it.span.surface,
        sentence=it.span.sentence,
        kind="site" if it.span.site and "sites" not in without else "place",
        place=best,
        score=best.score,
        alternatives=tuple(ranked[1:6]),
        decision=Decision(
            it.decision, ambiguous=ambiguous, approximate=it.decision == "within_parent"
        ),
        relation=relation,
    )


def _unlisted_mention(
    span: Span,
    doc: _Doc,
    placed: list[tuple[Span, Candidate]],
    counter: RuleCounter,
    use_locality: bool,
) -> Mention:
    """A given span the gazetteer lacks: at the locality the report puts it in, if any."""
    w = doc.weights
    scores = (w.locality_after, w.locality_before)
    locality = in_locality(span, doc.text, placed, _PARENT_GAP, scores) if use_locality else None
    if locality is None:
        return Mention(span.start, span.end, span.surface, span.sentence)
    counter["locality"] += 1
    return Mention(
        start=span.start,
        end=span.end,
        surface=span.surface,
        sentence=span.sentence,
        place=locality,
        score=locality.score,
        decision=Decision("locality", approximate=True),
        relation="in",
    )


# "the Iraqi capital": the country's capital city.
_CAPITAL_AFTER = re.compile(r"\s+capital\b(?!\s+(?:punishment|city\s+of\s+\w))", re.IGNORECASE)


def _capital_mention(d: Span, gazetteer: Gazetteer, text: str) -> Mention | None:
    """ "the Iraqi capital" as a mention of kind site at the capital city, or None."""
    capital = _CAPITAL_AFTER.match(text, d.end) if ":" not in d.country else None
    city = gazetteer.capital(d.country) if capital else None
    if capital and city is not None:  # a site-like mention: placed, not a place name
        near = _RELATION.search(text[max(0, d.start - 40) : d.start])
        return Mention(
            start=d.start,
            end=capital.end(),
            surface=text[d.start : capital.end()],
            sentence=d.sentence,
            kind="site",
            place=Candidate.from_place(city, score=1.0, matched=city.name, why=("capital",)),
            score=1.0,
            decision=Decision("capital"),
            relation=" ".join(near.group(0).split()).removesuffix(" the") if near else "",
        )
    return None


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
        decision=Decision("demonym"),
        country=d.country if ":" not in d.country else "",
    )


def resolve_spans(
    spans: Sequence[Span],
    text: str,
    gazetteer: Gazetteer,
    *,
    country_hint: str | None = None,
    counter: RuleCounter | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
    without: Collection[str] = (),
) -> list[Mention]:
    """Resolve recognised spans to places at document level; demonyms pass through.

    Runs ``RESOLUTION_RULES`` in order, except those named in ``without``, counting what
    each decided in ``counter``.
    """
    counter = counter if counter is not None else RuleCounter()
    found_for: dict[str, list[Candidate]] = {}
    items: list[_Item] = []
    for span in spans:
        if span.kind != "place":
            continue
        name = span.lookup or span.surface
        found = found_for.get(name)
        if found is None:
            found = found_for[name] = _candidates(span, gazetteer, weights)
        items.append(_Item(span, found, [c.score for c in found]))
    demonyms = [s for s in spans if s.kind == "demonym"]
    doc = _Doc(text, gazetteer, weights, items, demonyms, country_hint)
    for rule in RESOLUTION_RULES:
        if rule.name == "curated_lead":  # the filters are done: what is left has readings
            _answer_the_unread(doc)
        if rule.name not in without:
            rule.apply(doc, counter)
    live = _live(doc)
    mentions = [_mention(it, text, weights, without) for it in live]
    mentions.extend(_demonym_mention(d, gazetteer) for d in demonyms)
    # "the Iraqi capital": the demonym stays a demonym, and the phrase is the capital too
    mentions.extend(c for d in demonyms if (c := _capital_mention(d, gazetteer, text)))
    placed = sorted(((it.span, it.candidates[it.best()]) for it in live), key=lambda p: p[0].start)
    use_locality = "locality" not in without
    mentions.extend(
        _unlisted_mention(span, doc, placed, counter, use_locality) for span in doc.unlisted
    )
    mentions.sort(key=lambda m: (m.start, m.end))
    return mentions


def _answer_the_unread(doc: _Doc) -> None:
    """Given spans with no reading are answered by their locality; the scores of the rest
    start from the lookup's (items without readings leave the list)."""
    for it in doc.items:
        if not it.candidates and it.span.cue == "given" and not it.dropped:
            doc.unlisted.append(it.span)
            it.dropped = True
    doc.items = [it for it in doc.items if it.candidates and not it.dropped]
    for it in doc.items:
        it.scores = [c.score for c in it.candidates]

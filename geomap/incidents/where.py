"""Where an event happened: the place of a clause that its trigger is tied to.

A place is *linked* to the event when a locative preposition governs it ("in Babel
province", "near Erbil airport"), when it is the object of a strike verb ("struck the Ain
al-Asad airbase"), the subject of a passive one ("X was targeted"), or names the event ("the
Ain al-Asad attack"). Places are *left out* when they modify an actor ("a U.S. drone strike",
"US forces"), are a reference point set off by a comma ("Babel province, south of
Baghdad"), follow a non-event head ("talks in Washington") or give an origin ("launched from
Iran"). Of the linked places the finest wins (a base over its province over its country),
then the nearest to the trigger; with none linked, the same order over the places left.

A place named after a possessive parent ("in Iraq's Fallujah") takes the parent's link. Where
the text gives the event's position relative to places, :func:`placement` says where to put
it and how precisely (ACLED's geo_precision):

- "30 km north of Baghdad": offset from the reference along the bearing (precision 2);
- "on the road between Kirkuk and Tikrit": midway between the two (precision 2);
- "near Erbil", "on the outskirts of Mosul", "a village in Soran", "Sirwah district": at the
  place, precision 2 (somewhere around it, or in its district);
- a name the gazetteer lacks inside a named parent ("Karma, Anbar"; "the Shaab district of
  Baghdad"; "in Tell Zaghrub, Idlib governorate"; "in Mutaibija area (Samarra, Salah
  al-Din)"): at the parent, the name kept as written
  and listed as unresolved; precision 1 for a part of a town, 2 for a town or district, 3
  for a province.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gazetteer import Candidate
from geomap.incidents import cues as _cues
from geomap.incidents.cues import Tok
from geomap.records import Mention

__all__ = [
    "CITY_PEOPLE",
    "FEATURE_RANK",
    "GENERIC_AFTER",
    "PlaceChoice",
    "Placement",
    "choose_place",
    "placement",
]

#: Feature types from finest (0) to coarsest (4); the rank also gives geo_precision.
FEATURE_RANK = {
    "military_base": 0,
    "airport": 0,
    "facility": 0,
    "populated_place": 1,
    "admin2": 2,
    "area": 2,
    "natural": 2,
    "admin1": 3,
    "region": 3,
    "country": 4,
    "continent": 4,
}
#: Generic words after a name ("Ain al-Asad *airbase*", "Babel *province*"), skipped as part of it.
GENERIC_AFTER = frozenset("base airbase air airfield province governorate city camp".split())
# What follows a country used as a modifier: a noun ("US forces", "U.S. Army"), "-led", "'s".
_MODIFIES = re.compile(
    r"(?:\s(?!(?:was|were|is|are|has|had|and|or|said|on|in|at|to)\b)[A-Za-z]|-led|['’]s\b)"
)
_BORDER = re.compile(r"(?:['’]s)?\s+(?:border|borders|frontier|boundary)\b", re.IGNORECASE)
# A road named by the towns it joins: "the Baghdad-Basra highway", "the Kirkuk-Erbil road".
_ROAD_AFTER = re.compile(
    r"(?:-[\w'’ -]+?)?\s+(?:road|highway|motorway|expressway|railway|pipeline|route)\b",
    re.IGNORECASE,
)
# Verbs after which "from" names where people were taken, not where a strike came from.
_TAKEN = frozenset(
    "abducted kidnapped seized arrested detained snatched taken abducting kidnapping".split()
)
_PASSIVE_NEXT = frozenset("targeted attacked hit struck shelled the".split())
_POSSESSIVE = re.compile(r"^['’]s\s+$")
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?$", re.IGNORECASE)
_AND = re.compile(r"^\s+and\s+(?:the\s+)?$")
# "a village in", "villages near", "the countryside of": somewhere in the place's area
_IN_AREA = re.compile(
    r"\b(?:village|villages|hamlet|farm|farms|countryside|desert|outskirts|suburbs?|"
    r"area|areas|orchards?|fields?)\s+(?:in|near|of|outside)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_DISTRICT_AFTER = re.compile(
    r"\s+(?:district|sub-?district|nahiya|qadha|qada|raion|rayon|county|municipality|cercle|"
    r"lga|territory|commune|township|department|prefecture)\b",
    re.IGNORECASE,
)
_OFFSET = re.compile(
    r"(?P<n>\d+(?:[.,]\d+)?)\s*(?P<unit>km|kilometers|kilometres|miles|mi)\s+"
    r"(?P<dir>(?:north|south)(?:-?(?:east|west))?|east|west|northeast|northwest|southeast|"
    r"southwest)\s+of$",
    re.IGNORECASE,
)
_BEARINGS = {
    "north": 0.0, "northeast": 45.0, "east": 90.0, "southeast": 135.0,
    "south": 180.0, "southwest": 225.0, "west": 270.0, "northwest": 315.0,
}  # fmt: skip
# A name the gazetteer lacks, governed by a preposition, right before its parent:
# "in Tell Zaghrub, Idlib governorate" (searched in a short window, so it stays linear).
_UNKNOWN_BEFORE = re.compile(
    r"\b(?:in|near|at|outside|of|hit|struck|targeted|shelled|attacked|bombed|stormed|raided)\s+"
    r"(?:the\s+(?:village|town)\s+of\s+)?(?:the\s+)?"
    r"(?P<name>[A-Z][\w'’]+(?:[\s-](?:al-|el-|ad-|as-)?[A-Z][\w'’]+){0,3})"
    r"(?:\s+(?:area|village|town|region|mountains?|valley|(?:sub-?)?district|camp))?"
    r"\s*(?:,|\()\s*"
    r"(?:(?:north|south|east|west|central)(?:ern)?\s+)?$"
)
_UNKNOWN_WINDOW = 80
# First words of names of land, not of a city's parts: "Wadi al-Shay", "Jabal Makhoul".
_LAND_WORDS = frozenset("wadi jabal jebel jabel mount tal tell tel lake bir ain".split())
#: A town this populous is a city: an unknown name placed in it is a part of it (precision 1).
CITY_PEOPLE = 500_000
#: The most kilometres an offset is taken at its word (a typo beyond this is not believed).
MAX_OFFSET_KM = 300.0


@dataclass(frozen=True, slots=True)
class PlaceChoice:
    """The place chosen for an event, how it was linked, and its relation."""

    mention: Mention
    place: Candidate
    linked: bool  # a preposition, verb or name tied it to the event (else: nearest place)
    relation: str
    other: Mention | None = None  # "between X and Y": Y
    after: int = 0  # where the place named before this one ends (0: none in the clause)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an incident goes: a point, its precision, the name as written, the relation."""

    lat: float
    lon: float
    geo_precision: int
    location: str
    relation: str
    unresolved: str = ""  # a name placed at its parent: listed in the run's summary


def _word_before(toks: list[Tok], offset: int) -> int:
    """Index of the last token ending at or before ``offset``, or -1."""
    k = -1
    for i, t in enumerate(toks):
        if t.end <= offset:
            k = i
        else:
            break
    return k


def _before(m: Mention, toks: list[Tok]) -> tuple[int, str, bool] | None:
    """What the words before a mention say: a locative preposition, an origin, a verb."""
    w = _cues.words()
    k = _word_before(toks, m.start)
    while k >= 0 and toks[k].low in ("the", "a", "an"):
        k -= 1
    if k < 0:
        return None
    for n in (2, 1):
        phrase = w.match(toks, k - n + 1, "location") if k - n + 1 >= 0 else None
        if phrase is not None and phrase[1] == "kind":  # "the Iraqi town of Khalis"
            broad = m.place is None or m.place.feature in ("country", "continent")
            phrase = None if broad else (phrase[0], "")  # not "a southern city of Iraq"
        if phrase is not None and phrase[0] == n:
            head = k - n
            if (
                head >= 0
                and w.match(toks, head, "not_event_head")
                and not _struck(toks, head)
                and not _building_at(toks, head)
            ):
                return 0, "", True  # "talks in Washington"
            return 2, m.relation or phrase[1], False
    if w.match(toks, k, "origin"):
        if any(t.low in _TAKEN for t in toks[max(0, k - 6) : k]):
            return 2, m.relation, False  # "abducted 20 civilians from Hawijah": there
        return 0, "", True  # "launched from Iran"
    if w.match(toks, k, "link_verb"):
        return 2, m.relation, False  # "struck the Ain al-Asad airbase"
    return None


#: Buildings whose place is not the event's when they are the subject ("the embassy in
#: Baghdad said"), but is when the event happened at them ("landed near the US embassy in
#: Baghdad").
_BUILDINGS = frozenset({"embassy", "consulate", "headquarters", "bases"})


def _building_at(toks: list[Tok], head: int) -> bool:
    """ "near the US embassy in Baghdad": a building after a locative preposition (within
    three words: an article and a modifier) is where the event happened."""
    if toks[head].low not in _BUILDINGS:
        return False
    w = _cues.words()
    return any(w.match(toks, k, "location") for k in range(max(0, head - 3), head))


def _struck(toks: list[Tok], head: int) -> bool:
    """ "stormed the KDP headquarters in Baghdad", "rockets hit the US embassy in Baghdad":
    the head is the event's target (an event word or a striking verb a few words before
    it), so the place after it is where the event happened."""
    w = _cues.words()
    for k in range(max(0, head - 4), head):
        if toks[k].low in w.triggers or w.match(toks, k, "link_verb"):
            return True
    return False


def _after(m: Mention, toks: list[Tok]) -> bool:
    """ "X was targeted", "X ... was the main target", "the X attack"."""
    j = _word_before(toks, m.end) + 1
    while j < len(toks) and toks[j].low in GENERIC_AFTER:
        j += 1
    tail = [t.low for t in toks[j : j + 8]]
    if tail and tail[0] in _cues.words().triggers:
        return True
    for i, low in enumerate(tail[:-1]):
        if low in (",", ";", "."):
            break
        if low in ("was", "were") and tail[i + 1] in _PASSIVE_NEXT:
            return True
    return False


def _link(m: Mention, toks: list[Tok], text: str) -> tuple[int, str, bool]:
    """How a mention is tied to the sentence: (score, relation, excluded).

    score 2: linked to the event; 0: merely present. ``excluded`` marks places that are
    not where anything happened (modifiers, origins, reference points, non-event heads).
    """
    if _BORDER.match(text, m.end):
        return 0, "", True  # "near the Syria border": a reference, not where it happened
    joined = text[m.end : m.end + 1] == "-" or text[max(0, m.start - 1) : m.start] == "-"
    if joined and _ROAD_AFTER.match(text, m.end):
        return 0, "near", False  # "on the Baghdad-Basra highway near Diwaniyah": the road
    before = _before(m, toks)
    if before is not None and not _modifies_next(m, toks):
        return before
    after = text[m.end : m.end + 12]
    feature = m.place.feature if m.place else ""
    if feature in ("country", "continent") and _MODIFIES.match(after):
        return 0, "", True  # "U.S. drone strike", "US Forces", "U.S.-led", "Iraq's"
    if re.match(r"['’]s\b", after):
        return 0, "", True
    return (2 if _after(m, toks) else 0), m.relation, False


def _modifies_next(m: Mention, toks: list[Tok]) -> bool:
    """ "in a US airstrike", "at the Turkish army's base": a country that modifies the event
    or armed-forces noun after it, even after a preposition, is not the place."""
    if m.place is None or m.place.feature not in ("country", "continent"):
        return False
    j = _word_before(toks, m.end) + 1
    if j >= len(toks):
        return False
    w = _cues.words()
    low = toks[j].low
    return low in w.triggers or (low,) in w.roles["security"] or low in ("embassy", "consulate")


def _owned_by(previous: Mention, gap: str) -> bool:
    """Whether a place is qualified by the one right before it: a possessive ("Iraq's
    Fallujah") or a country or province with nothing between ("Iraq Mosul")."""
    if _POSSESSIVE.match(gap):
        return True
    broad = previous.place is not None and previous.place.feature in ("country", "admin1")
    return broad and gap.isspace() and "\n" not in gap


def _appositive(m: Mention, previous: Mention | None, text: str) -> bool:
    """A reference point set off by a comma after another place: ", south of Baghdad"."""
    if previous is None or not m.relation:
        return False
    gap = text[previous.end : m.start]
    return "," in gap and len(gap) < 40


def choose_place(
    mentions: Sequence[Mention], toks: list[Tok], text: str, trigger_at: int
) -> PlaceChoice | None:
    """The place where the event of a clause happened, or None.

    Parameters
    ----------
    mentions
        The resolved place mentions of the clause, in text order.
    toks
        The clause's tokens.
    text
        The report's text.
    trigger_at
        Offset of the trigger word.
    """
    options: list[tuple[int, int, int, PlaceChoice]] = []
    previous: Mention | None = None
    places = [(m, m.place) for m in mentions if m.kind in ("place", "site") and m.place is not None]
    for k, (m, place) in enumerate(places):
        score, relation, excluded = _link(m, toks, text)
        if previous is not None and _owned_by(previous, text[previous.end : m.start]):
            # "in Iraq's Fallujah", "in Iraq Mosul": the preposition before the country
            # governs the place it qualifies
            score, relation, excluded = _before(previous, toks) or (score, relation, False)
        other = None
        nxt = places[k + 1][0] if k + 1 < len(places) else None
        if (
            nxt is not None
            and _BETWEEN.search(text, max(0, m.start - 20), m.start)
            and _AND.match(text[m.end : nxt.start])
        ):
            other, relation, score = nxt, "between", 2
        if not excluded and not _appositive(m, previous, text):
            rank = FEATURE_RANK.get(place.feature, 2)
            after = previous.end if previous is not None else 0
            choice = PlaceChoice(m, place, score >= 2, relation, other, after)
            options.append((score, rank, abs(m.start - trigger_at), choice))
        previous = m
    linked = [o for o in options if o[0] >= 2]
    pool = linked or options
    return min(pool, key=lambda o: (o[1], o[2]))[3] if pool else None


def placement(choice: PlaceChoice, text: str, precision: int) -> Placement:
    """Where to put an incident at ``choice``, given its place's own ``precision``."""
    place, m = choice.place, choice.mention
    lat, lon, relation, location = place.lat, place.lon, choice.relation, place.name
    if m.decision.approximate and m.decision.rule == "within_parent":
        # a name the gazetteer lacks, placed at the parent the report gives it; a town
        # named as a district ("Boni, Douentza cercle") is its district: precision 2
        precision = {"populated_place": 1, "admin2": 2}.get(place.feature, precision)
        parent_at = text.find(place.matched or place.name, m.end, m.end + _UNKNOWN_WINDOW)
        if parent_at >= 0 and _DISTRICT_AFTER.match(
            text, parent_at + len(place.matched or place.name)
        ):
            precision = max(precision, 2)
        return Placement(lat, lon, precision, m.surface, f"in {place.name}", m.surface)
    # a name the gazetteer knows is no unknown name: "in Hawija district (Kirkuk)"
    unknown = _UNKNOWN_BEFORE.search(text, max(0, m.start - _UNKNOWN_WINDOW, choice.after), m.start)
    if unknown and place.feature in ("admin1", "admin2", "populated_place"):
        # "in Tell Zaghrub, Idlib": somewhere in the parent, the name kept as written; in a
        # city ("Zayouna, Baghdad") a part of it, precision 1
        name = unknown.group("name")
        city = place.feature == "populated_place" and place.population >= CITY_PEOPLE
        bracket = "(" in unknown.group(0)  # "Wadi al-Shay (Kirkuk)": the coders' district
        part = city and not bracket and name.split()[0].lower() not in _LAND_WORDS
        precision = 1 if part and precision == 1 else max(precision, 2)
        return Placement(lat, lon, precision, name, f"in {place.name}", name)
    if choice.other is not None and choice.other.place is not None:
        far = choice.other.place
        lat, lon = (place.lat + far.lat) / 2, (place.lon + far.lon) / 2
        relation = f"between {place.name} and {far.name}"
        precision = max(precision, 2)
    elif relation:
        offset = _OFFSET.search(relation)
        if offset:
            lat, lon = _moved(lat, lon, offset)
        precision = max(precision, 2) if precision == 1 else precision
    elif _IN_AREA.search(text, max(0, m.start - 40), m.start) and precision == 1:
        relation, precision = "in the area of", 2  # "a village in Soran"
    elif _DISTRICT_AFTER.match(text, m.end) and place.feature == "populated_place":
        relation, precision = "in the district of", 2  # "Sirwah district": its seat
    return Placement(lat, lon, precision, location, relation)


def _moved(lat: float, lon: float, offset: re.Match[str]) -> tuple[float, float]:
    """A point moved the distance and bearing of "30 km north of"."""
    from geopy.distance import distance

    km = float(offset.group("n").replace(",", "."))
    if offset.group("unit").lower() in ("miles", "mi"):
        km *= 1.609344
    if not 0 < km <= MAX_OFFSET_KM:
        return lat, lon
    bearing = _BEARINGS[offset.group("dir").lower().replace("-", "")]
    moved = distance(kilometers=km).destination((lat, lon), bearing=bearing)
    return round(float(moved.latitude), 6), round(float(moved.longitude), 6)

"""Where an event happened: the place of a clause that its trigger is tied to.

A place is *linked* to the event when a locative preposition governs it ("in Babel
province", "near Erbil airport"), when it is the object of a strike verb ("struck the Ain
al-Asad airbase"), the subject of a passive one ("X was targeted"), or names the event ("the
Ain al-Asad attack"). Places are *left out* when they modify an actor ("a U.S. drone strike",
"US forces"), are a reference point set off by a comma ("Babel province, south of
Baghdad"), follow a non-event head ("talks in Washington") or give an origin ("launched from
Iran"). Of the linked places the finest wins (a base over its province over its country),
then the nearest to the trigger; with none linked, the same order over the places left.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gazetteer import Candidate
from geomap.incidents import cues as _cues
from geomap.incidents.cues import Tok
from geomap.records import Mention

__all__ = ["FEATURE_RANK", "GENERIC_AFTER", "PlaceChoice", "choose_place"]

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
_PASSIVE_NEXT = frozenset("targeted attacked hit struck shelled the".split())


@dataclass(frozen=True, slots=True)
class PlaceChoice:
    """The place chosen for an event, how it was linked, and its relation."""

    mention: Mention
    place: Candidate
    linked: bool  # a preposition, verb or name tied it to the event (else: nearest place)
    relation: str


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
        if phrase is not None and phrase[0] == n:
            head = k - n
            if head >= 0 and w.match(toks, head, "not_event_head"):
                return 0, "", True  # "talks in Washington"
            return 2, m.relation or phrase[1], False
    if w.match(toks, k, "origin"):
        return 0, "", True  # "launched from Iran"
    if w.match(toks, k, "link_verb"):
        return 2, m.relation, False  # "struck the Ain al-Asad airbase"
    return None


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
    before = _before(m, toks)
    if before is not None:
        return before
    after = text[m.end : m.end + 12]
    feature = m.place.feature if m.place else ""
    if feature in ("country", "continent") and _MODIFIES.match(after):
        return 0, "", True  # "U.S. drone strike", "US Forces", "U.S.-led", "Iraq's"
    if re.match(r"['’]s\b", after):
        return 0, "", True
    return (2 if _after(m, toks) else 0), m.relation, False


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
    for m in mentions:
        if m.kind != "place" or m.place is None:
            continue
        score, relation, excluded = _link(m, toks, text)
        if not excluded and not _appositive(m, previous, text):
            rank = FEATURE_RANK.get(m.place.feature, 2)
            choice = PlaceChoice(m, m.place, score >= 2, relation)
            options.append((score, rank, abs(m.start - trigger_at), choice))
        previous = m
    linked = [o for o in options if o[0] >= 2]
    pool = linked or options
    return min(pool, key=lambda o: (o[1], o[2]))[3] if pool else None

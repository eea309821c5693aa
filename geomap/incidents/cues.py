"""Cue words of the incident extractor, read from ``geomap/data``, and the small readers
that use them: triggers, counts, casualties, actors and targets within one clause.

The word lists are data (``incident_triggers.csv``, ``incident_words.csv``); the code here
only walks tokens.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import NamedTuple

from geomap.incidents import counts as _counts

__all__ = [
    "NP_STOP",
    "Casualties",
    "Tok",
    "Trigger",
    "Words",
    "casualties",
    "claimed_by",
    "events_count",
    "find_triggers",
    "has_role",
    "in_use",
    "projectiles",
    "several_events",
    "target",
    "tokens",
    "victims_kind",
    "words",
]

_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+|[^\w\s]")
# Words that end a noun phrase read after a count or a preposition.
NP_STOP = frozenset(
    "in at on near from who which that were was and when after as during by while with "
    "into outside inside since but according said say says killed wounded injured dead to".split()
)
_NAME_INNER = frozenset("of in the al el for and al-".split())
_DETERMINERS = ("the ", "a ", "an ")
#: Casualty nouns whose dead follow "of": "the death of 2 soldiers", "the killing of 10".
_OF_DEAD = frozenset("death deaths lives killing killings massacre slaughter".split())


class Tok(NamedTuple):
    """A token of a sentence: offsets in the report, the text, and its lowercase form."""

    start: int
    end: int
    text: str
    low: str


def tokens(text: str, start: int, end: int) -> list[Tok]:
    """The tokens of ``text[start:end]`` (words and punctuation), with report offsets."""
    return [
        Tok(m.start(), m.end(), m.group(), m.group().lower())
        for m in _TOKEN.finditer(text, start, end)
    ]


def _split(phrase: str) -> tuple[str, ...]:
    return tuple(m.group().lower() for m in _TOKEN.finditer(phrase))


@dataclass(frozen=True, slots=True)
class Trigger:
    """A word that reports an event, with its ACLED type and a plain label."""

    words: tuple[str, ...]
    event_type: str
    sub_event_type: str
    label: str
    family: str  # an ACLED sub-event family, or "attack" for unknown means
    rank: int
    realis: bool


class Words:
    """The cue words by role, as token tuples."""

    def __init__(self) -> None:
        self.roles: dict[str, dict[tuple[str, ...], str]] = defaultdict(dict)
        for row in _rows("incident_words.csv"):
            self.roles[row["role"]][_split(row["word"])] = row["value"]
        self.triggers: dict[str, list[Trigger]] = defaultdict(list)
        for row in _rows("incident_triggers.csv"):
            trig = Trigger(
                _split(row["words"]),
                row["event_type"],
                row["sub_event_type"],
                row["label"],
                row["family"],
                int(row["rank"]),
                row["realis"] == "1",
            )
            self.triggers[trig.words[0]].append(trig)
        for found in self.triggers.values():
            found.sort(key=lambda t: -len(t.words))
        self.numbers = {k[0]: int(v) for k, v in self.roles["number"].items()}
        #: Words for people a violent event hits: armed forces and civilians.
        self.people = frozenset(self.roles["security"]) | frozenset(self.roles["civilian"])

        # per role: the first words of its phrases and the longest phrase, so that a word
        # no phrase starts with is rejected at once
        self._starts = {
            role: (frozenset(key[0] for key in table), max(map(len, table)))
            for role, table in self.roles.items()
        }

    def match(self, toks: list[Tok], i: int, role: str) -> tuple[int, str] | None:
        """The longest phrase of ``role`` starting at token ``i``: (its length, its value)."""
        starts = self._starts.get(role)
        if starts is None or i >= len(toks) or toks[i].low not in starts[0]:
            return None
        table = self.roles[role]
        for n in range(min(starts[1], len(toks) - i), 0, -1):
            key = tuple(t.low for t in toks[i : i + n])
            if key in table:
                return n, table[key]
        return None

    def number(self, tok: Tok) -> int | None:
        if tok.low.isdigit() and len(tok.low) <= 4:
            return int(tok.low)
        return self.numbers.get(tok.low)


def _rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("geomap") / "data" / name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


@cache
def words() -> Words:
    """The cue words, read once per process."""
    return Words()


def find_triggers(toks: list[Tok]) -> list[tuple[int, Trigger]]:
    """(token index, trigger) for every trigger among ``toks``, longest match first."""
    w = words()
    found = []
    i = 0
    while i < len(toks):
        for trig in w.triggers.get(toks[i].low, ()):
            n = len(trig.words)
            if tuple(t.low for t in toks[i : i + n]) == trig.words:
                found.append((i, trig))
                i += n - 1
                break
        i += 1
    return found


#: Words before a trigger that make it a noun ("a storm", "their arrest") or weather.
_NOUN_BEFORE = frozenset(
    "a an the this that its their his her our no any each every tropical dust sand snow "
    "winter ice thunder rain political media perfect s".split()  # s: "the army's advance"
)
_QUOTES = frozenset({'"', "'", "“", "”", "‘", "’"})
#: Words that are not an object after a verb: prepositions and clause words.
_NOT_OBJECT = NP_STOP | frozenset(
    "of for over about against through across not between among amongst".split()
)
#: Words skipped before a taken place: "seized the key town", "captured most of Raqqa".
_BEFORE_PLACE = frozenset(
    "the a an key strategic large small new most much all part parts of control "
    "remaining last another several two three four".split()
)
#: What protesters block: "blocked the Kut-Baghdad highway".
_ROADS = frozenset(
    "road roads highway highways street streets bridge bridges entrance entrances junction "
    "intersection crossing motorway railway".split()
)
#: How many words of a verb's object are read for a place: "the ancient site of Hatra".
_OBJECT_SPAN = 6
#: Nouns of places that can be taken.
_PLACE_NOUNS = frozenset(
    "town towns city cities village villages district districts area areas base bases airport "
    "airbase neighbourhood neighbourhoods neighborhood neighborhoods quarter quarters hill hills "
    "territory region province camp camps checkpoint checkpoints outpost outposts border "
    "crossing bridge bridges road highway dam island port stronghold strongholds headquarters "
    "positions position field oilfield oilfields centre center capital compound site sites "
    "ruins".split()
)


def _is_verb(toks: list[Tok], i: int, n: int) -> bool:
    """Whether the trigger of ``n`` tokens at ``i`` is a verb with an object: a word before
    it that is no determiner ("troops storm", not "a storm") and one after that starts an
    object ("storm the base", "arrest 15", "downs army helicopter")."""
    before = i - 1
    while before >= 0 and toks[before].low in _QUOTES:
        before -= 1  # forces "storm" the town
    after = i + n
    while after < len(toks) and toks[after].low in _QUOTES:
        after += 1
    if before < 0 or after >= len(toks):
        return False
    if toks[before].low in _NOUN_BEFORE or toks[before].low.isdigit():  # "50 pounds"
        return False
    if toks[before].low == "to":  # "options are open to target US bases": not done
        return False
    nxt = toks[after].low
    return nxt[:1].isalnum() and nxt not in _NOT_OBJECT


def _place_object(
    toks: list[Tok],
    i: int,
    n: int,
    place_starts: frozenset[int],
    nouns: frozenset[str] = _PLACE_NOUNS,
) -> bool:
    """Whether the object of the trigger at ``i`` is a place: one of ``nouns`` or a place
    name within its first few words ("seized the key town", "the ancient site of Hatra",
    "the IS-held district", "most of Raqqa"), not people or things ("seized five men")."""
    end = min(len(toks), i + n + _OBJECT_SPAN)
    for k in range(i + n, end):
        low = toks[k].low
        if low in nouns or toks[k].start in place_starts:
            return True
        if low == "of" and toks[k - 1].low not in _BEFORE_PLACE:
            return False  # "the commander of the town" is a person
        if low in NP_STOP or low in (",", ";", ":", "."):
            return False
    return False


def has_role(toks: list[Tok], role: str) -> bool:
    """Whether a phrase of ``role`` occurs among the tokens."""
    w = words()
    return any(w.match(toks, k, role) is not None for k in range(len(toks)))


#: Roles that name armed forces or attackers.
_ARMED_ROLES = ("security", "perpetrator", "non_state", "state_forces")


def in_use(
    toks: list[Tok], i: int, trig: Trigger, place_starts: frozenset[int] = frozenset()
) -> bool:
    """Whether the trigger at ``i`` tells of an event as used here: a ``verb_only`` word
    used as a verb, a ``place_object`` word whose object is a place (``place_starts``:
    where place names start), a ``needs_purpose`` word beside a protest's purpose."""
    w = words()
    n = len(trig.words)
    if w.match(toks, i, "verb_only") == (n, "") and not _is_verb(toks, i, n):
        return False
    if w.match(toks, i, "place_object") == (n, ""):
        return _place_object(toks, i, n, place_starts)
    if w.match(toks, i, "road_object") == (n, ""):  # "blocked the Kut-Baghdad highway"
        return _place_object(toks, i, n, frozenset(), _ROADS)
    if w.match(toks, i, "needs_armed") == (n, ""):  # "militants destroyed a bridge"
        return any(has_role(toks, role) for role in _ARMED_ROLES)
    if w.match(toks, i, "needs_purpose") == (n, ""):  # "gathered ... to demand jobs"
        return has_role(toks, "protest_purpose")
    return True


class Count(NamedTuple):
    """A count of people or things: tokens ``at`` up to ``end`` (the phrase, "at least four")."""

    value: int
    at_least: bool
    at: int  # token index where the count's phrase starts
    end: int  # token index after its number


_QUOTES_AND_COLON = frozenset({":", '"', "'", "“", "”", "‘", "’"})
_UNITS = frozenset("km kilometers kilometres miles percent % years days".split())


def _count_at(toks: list[Tok], i: int, *, allow_article: bool) -> Count | None:
    """A count starting at token ``i``: "at least four", "12", "more than 20", "dozens of",
    "about 70", "10 to 15" (the lower bound, a minimum), "twenty-five"."""
    w = words()
    start = i
    at_least = False
    m = w.match(toks, i, "minimum")
    if m is not None:
        n, value = m
        at_least = True
        if value:  # "dozens of": ACLED's conservative value
            return Count(int(value), True, start, i + n)
        i += n
    m = w.match(toks, i, "approximate")
    if m is not None:
        i += m[0]
    between = i < len(toks) and toks[i].low == "between"
    i += between
    if i >= len(toks):
        return None
    if not allow_article and toks[i].low in ("a", "an"):
        return None
    read = _counts.number_at(w, toks, i)
    if read is None:
        return None
    value_, end = read
    if end < len(toks) and toks[end].low in _UNITS:
        return None
    upper = _counts.range_end(w, toks, end, between=between)
    if upper is not None:
        at_least, end = True, upper
    return Count(value_, at_least, start, end)


def _ends_phrase(low: str, *, first: bool) -> bool:
    if low in NP_STOP or (not low[0].isalnum() and low not in "-'’"):
        return True
    return not first and low.isdigit()  # "a convoy 20 km north of ...": the distance ends it


def _noun_phrase(text: str, toks: list[Tok], i: int, limit: int = 12) -> str:
    """The words from token ``i`` up to a stop word or punctuation (parentheses kept)."""
    j = i
    depth = 0
    while j < len(toks) and j - i < limit:
        low = toks[j].low
        if low == "(":
            depth += 1
        elif low == ")":
            depth -= 1
        elif depth <= 0 and _ends_phrase(low, first=j == i):
            break
        j += 1
    if j == i:
        return ""
    return text[toks[i].start : toks[j - 1].end].strip()


class Casualties(NamedTuple):
    killed: int | None  # the count the text gives (attackers added by ``killed_total``)
    killed_at_least: bool
    injured: int | None
    injured_at_least: bool
    victims: str  # the people counted: "PMF members"
    perpetrators: int | None = None  # attackers among the dead, where the text says
    perpetrators_included: bool = False  # ``killed`` already counts them


_POSSESSIVES = frozenset({"his", "her", "their"})
#: One person named by a tie to the one counted before: "a man and his son".
_KIN = frozenset(
    "son daughter wife husband brother sister father mother child baby nephew niece cousin "
    "uncle aunt grandson granddaughter grandfather grandmother bodyguard driver companion "
    "friend colleague".split()
)


def _and_more(toks: list[Tok], count: Count) -> Count:
    """ "two American soldiers and a British soldier": three; "a man and his son": two."""
    for j in range(count.end, min(count.end + 5, len(toks) - 1)):
        low = toks[j].low
        if low == "and":
            more = _count_at(toks, j + 1, allow_article=True)
            if more is None and j + 2 < len(toks) and toks[j + 1].low in _POSSESSIVES:
                more = _count_at(toks, j + 2, allow_article=False)  # "and his two sons"
                verb_after = j + 3 < len(toks) and toks[j + 3].low in ("was", "were", "is")
                if more is None and toks[j + 2].low in _KIN and not verb_after:
                    more = Count(1, False, j + 2, j + 3)  # "a man and his son", not "... was hurt"
            if more is not None:
                return Count(
                    count.value + more.value, count.at_least or more.at_least, count.at, count.end
                )
            return count
        if low in NP_STOP or not low[0].isalnum():
            return count
    return count


def _widest(toks: list[Tok], count: Count, k: int) -> Count:
    """The count that ends where ``count`` does but starts earlier ("at least 15",
    "twenty-five", "10 to 15", "between 10 and 15"), else ``count``."""
    for start in range(max(0, count.at - 4), count.at):
        wider = _count_at(toks, start, allow_article=False)
        if wider is not None and wider.end == count.end and wider.end <= k:
            return wider
    return count


def _one_passive(toks: list[Tok], back: int, k: int) -> bool:
    """ "a policeman was killed", "an officer has been wounded": one person."""
    between = [t.low for t in toks[back + 1 : k]]
    return 1 <= len(between) <= 5 and ("was" in between or "has" in between)


def _count_near(toks: list[Tok], k: int, role: str, n: int = 1) -> tuple[Count, int] | None:
    """The count a casualty word of ``n`` tokens at ``k`` refers to, and where its noun
    starts."""
    w = words()
    step = k + n
    if toks[k].low in _OF_DEAD and step < len(toks) and toks[step].low == "of":
        step += 1  # "the death of 2 soldiers", "claiming the lives of 3", "killing of 10"
    while step < len(toks) and toks[step].low in _QUOTES_AND_COLON:
        step += 1  # "Fatalities: 4", "forces 'kill' 55"
    if (
        step + 2 < len(toks)
        and toks[step].low in ("family", "total")
        and toks[step + 1].low == "of"
    ):
        step += 2  # "kills family of 12", "killing a total of 30"
    if role and step < len(toks):  # "killing three fighters", "injuring at least five"
        count = _count_at(toks, step, allow_article=True)
        if count is None:  # "killing the bomber and seven civilians": the victims' count
            victims_at = _past_attackers(toks, step)
            count = _count_at(toks, victims_at, allow_article=True) if victims_at else None
        if count is not None:
            return _and_more(toks, count), count.end
    for back in _words_before(toks, k):  # "three soldiers were killed"
        if toks[back].low in (".", ";", ",", ":") and back < k - 1:
            break
        count = _count_at(toks, back, allow_article=False)
        if count is None:
            if toks[back].low in ("a", "an") and _one_passive(toks, back, k):
                return Count(1, False, back, back + 1), back + 1
            continue
        after = toks[count.end].low if count.end < len(toks) else ""
        if (after,) in w.roles["projectile"]:
            continue  # "three rockets killed ..." counts rockets, not people
        count = _widest(toks, count, k)
        return _and_before(toks, count), count.end
    return _one_person(toks, k, n)


def _and_before(toks: list[Tok], count: Count) -> Count:
    """ "6 fighters and 4 soldiers were killed": the count joined before the one found."""
    j = count.at - 1
    if j < 2 or toks[j].low != "and":
        return count
    for start in range(max(0, j - 4), j - 1):
        more = _count_at(toks, start, allow_article=False)
        if more is None or more.end >= j:
            continue
        if all(t.low[:1].isalnum() and t.low not in NP_STOP for t in toks[more.end : j]):
            at_least = more.at_least or count.at_least
            return Count(more.value + count.value, at_least, more.at, count.end)
    return count


def _another_group(toks: list[Tok], count: Count, first: Count) -> bool:
    """Whether a second count of the dead in a clause is another group's, to be added: it
    comes after the first count ("shot dead a civilian" reads the civilian twice, from
    "shot dead" and from "dead"), and is not a part of it ("including three children",
    "three of them", "among them")."""
    if count.at < first.end:
        return False
    before = {t.low for t in toks[max(0, count.at - 3) : count.at]}
    after = toks[count.end].low if count.end < len(toks) else ""
    return not before & {"including", "among", "of", "incl"} and after != "of"


def _words_before(toks: list[Tok], k: int, n: int = 6) -> list[int]:
    """The indices of the ``n`` tokens before ``k``, nearest first, passing over an aside
    set off by commas: "five people, including the bomber, were killed"."""
    out: list[int] = []
    back = k - 1
    while back >= 0 and len(out) < n:
        aside = _aside_start(toks, back) if toks[back].low == "," and back < k - 1 else None
        if aside is not None:
            back = aside - 1  # strictly smaller: the loop ends
            continue
        out.append(back)
        back -= 1
    return out


def _past_attackers(toks: list[Tok], i: int) -> int | None:
    """Where the victims start after the attackers named first: "the bomber and", "both
    gunmen and", "the two attackers and"; None when no attackers open the phrase."""
    perp = words().roles["perpetrator"]
    for j in range(i, min(i + 4, len(toks) - 1)):
        if (toks[j].low,) in perp:
            k = j + 1
            return k + 1 if toks[k].low == "and" and k + 1 < len(toks) else None
        if not toks[j].low[:1].isalnum():
            return None
    return None


def _aside_start(toks: list[Tok], comma: int) -> int | None:
    """Where an aside that ends at ``comma`` opens, with its own comma: ", including the
    bomber," ", among them two children,"; None when the comma ends no such aside."""
    for j in range(comma - 1, max(-1, comma - 7), -1):
        if toks[j].low == ",":
            opens = toks[j + 1].low if j + 1 < comma else ""
            return j if opens in ("including", "among") else None
    return None


def _one_person(toks: list[Tok], k: int, n: int) -> tuple[Count, int] | None:
    """ "kills journalist", "IS official killed": a singular person noun next to the
    casualty word, with no number, is one person (headlines drop the article)."""
    person = words().roles["person"]
    for j in range(k + n, min(k + n + 4, len(toks))):  # "killed senior IS official"
        low = toks[j].low
        if (low,) in person:
            return Count(1, False, j, j), j
        if low in _QUOTES_AND_COLON:
            continue  # 'kill IS "judge"'
        if low in NP_STOP or not low[:1].isalnum():
            break
    for j in range(k - 1, max(-1, k - 4), -1):  # "journalist reportedly killed"
        low = toks[j].low
        if (low,) in person:
            return Count(1, False, j, j + 1), j + 1
        if not low[:1].isalnum():
            break
    return None


def _toll_phrase(toks: list[Tok], k: int) -> Count | None:
    """ "the death toll rose to 19", "toll in the bombing reaches 19": the count after."""
    w = words()
    for j in range(k + 1, min(k + 10, len(toks))):
        if toks[j].low in (".", ";"):
            return None
        if w.match(toks, j, "toll_verb") is None:
            continue
        n = j + 1
        while n < len(toks) and toks[n].low in ("to", "at", "past"):
            n += 1
        return _count_at(toks, n, allow_article=False) if n < len(toks) else None
    return None


def casualties(text: str, toks: list[Tok]) -> Casualties:
    """Killed and injured in a clause, with "at least" flags and zeros said outright, and
    the attackers among the dead (see :mod:`geomap.incidents.counts`)."""
    w = words()
    killed: Count | None = None
    injured: Count | None = None
    killed_word = -1
    zero_killed = zero_injured = False
    victims = ""
    after_zero = 0  # the tokens of a zero phrase ("no one was killed") count nothing more
    for k in range(len(toks)):
        z = w.match(toks, k, "zero")
        if z is not None:
            zero_killed |= z[1] in ("killed", "both")
            zero_injured |= z[1] in ("injured", "both")
            after_zero = k + z[0]
            continue
        if k < after_zero:
            continue
        running = k > 0 and w.match(toks, k - 1, "running_toll") is not None
        if killed is None and not running and w.match(toks, k, "toll") is not None:
            killed = _toll_phrase(toks, k)
            killed_word = k if killed is not None else killed_word
        for role in ("killed", "injured"):
            said = w.match(toks, k, role)
            if said is None or (k > 0 and toks[k - 1].low in ("no", "not")):
                continue
            if role == "killed" and killed_word < 0:
                killed_word = k
            found = _count_near(toks, k, role, said[0])
            if found is None:
                continue
            count, noun = found
            if role == "killed" and killed is None:
                killed, killed_word = count, k
            elif role == "killed" and killed is not None and _another_group(toks, count, killed):
                # "2 Peshmerga killed, 3 ISIS killed": each side's dead, added up
                at_least = killed.at_least or count.at_least
                # the sum spans both counts, so the attackers named last are among it
                killed = Count(killed.value + count.value, at_least, killed.at, count.end)
            elif role == "injured" and injured is None:
                injured = count
            if not victims and noun < len(toks) and noun != k:
                victims = _noun_phrase(text, toks, noun)
    span = (killed.value, killed.at, killed.end) if killed else None
    perp = _counts.perpetrators(w, toks, killed_word, span) if killed_word >= 0 else None
    return Casualties(
        killed.value if killed else (0 if zero_killed else None),
        bool(killed and killed.at_least),
        injured.value if injured else (0 if zero_injured else None),
        bool(injured and injured.at_least),
        victims,
        perp.attackers if perp else None,
        bool(perp and perp.included),
    )


def projectiles(toks: list[Tok]) -> int | None:
    """The number of rockets, missiles, drones or shells: "three rockets", "one rocket round"."""
    w = words()
    proj = w.roles["projectile"]
    for i, tok in enumerate(toks):
        value = w.number(tok)
        if value is None:
            continue
        for j in (i + 1, i + 2):
            if j < len(toks) and (toks[j].low,) in proj:
                return value
    return None


_EVENT_NOUNS = frozenset(
    "attacks strikes airstrikes raids bombings clashes protests ambushes explosions".split()
)


def several_events(trigger: Trigger) -> bool:
    """Whether the trigger is a plural of events that each happen at one point ("bombings",
    "car bombs", "attacks"): a toll given with it covers several events. Weapons ("rockets")
    and collective nouns ("clashes", "protests") tell of one event."""
    return trigger.words in words().roles["several"]


def events_count(toks: list[Tok], trigger_index: int, trigger: Trigger) -> int:
    """How many events a plural event noun stands for: "four more attacks" is 4, "twin
    bombings" 2.

    Weapons are not events: "three rockets" is one attack with three projectiles.
    """
    w = words()
    i = trigger_index - 1
    while i >= 0 and toks[i].low in ("more", "other", "separate", "further", "new"):
        i -= 1
    if i >= 0 and (trigger.words[-1] in _EVENT_NOUNS or several_events(trigger)):
        multiple = w.match(toks, i, "multiple")
        if multiple is not None:
            return int(multiple[1])
        value = w.number(toks[i])
        if value is not None and toks[i].low not in ("a", "an"):
            return value
    return 1


#: Words that start a clause about the victims, whose nouns are not the victims' own.
_ABOUT_THEM = frozenset(
    "accused suspected alleged allegedly said believed who whom whose which that working "
    "linked".split()
)


def victims_kind(toks: list[Tok], victims: str, target: str) -> str:
    """Who a shooting hit: "civilian" or "security" (armed forces), "" when the clause does
    not say. The victims' or target's words decide; else civilian words in a clause that
    names no armed forces ("gunmen killed 12 at liquor shops")."""
    w = words()
    civilian, security = w.roles["civilian"], w.roles["security"]
    for phrase in (victims, target):
        lows = []  # up to a clause about them: "a villager accused of being a police informer"
        for m in _TOKEN.finditer(phrase):
            if m.group().lower() in _ABOUT_THEM:
                break
            lows.append((m.group().lower(),))
        if any(low in security for low in lows):
            return "security"
        if any(low in civilian for low in lows):
            return "civilian"
    lows = [(t.low,) for t in toks]
    if any(low in civilian for low in lows) and not any(low in security for low in lows):
        return "civilian"
    return ""


def _name_forward(text: str, toks: list[Tok], i: int) -> str:
    j = i
    while j < len(toks) and (
        toks[j].text[:1].isupper()
        or (j > i and toks[j].low in _NAME_INNER and j + 1 < len(toks))
        or (j > i and toks[j].low == "-" and j + 1 < len(toks))
    ):
        j += 1
    while j > i and (toks[j - 1].low in _NAME_INNER or toks[j - 1].low == "-"):
        j -= 1
    return text[toks[i].start : toks[j - 1].end] if j > i else ""


def _name_backward(text: str, toks: list[Tok], k: int) -> str:
    j = k
    while j > 0 and (
        toks[j - 1].text[:1].isupper() or (j < k and toks[j - 1].low in _NAME_INNER | {"-"})
    ):
        j -= 1
    while j < k and toks[j].low in _NAME_INNER | {"-"}:
        j += 1
    return text[toks[j].start : toks[k - 1].end] if j < k else ""


def claimed_by(text: str, toks: list[Tok]) -> str:
    """Who claimed or did it: "claimed by a group called X", "X claimed the attack",
    "X said it targeted ...", "carried out by X", "sources attributed the attack to X"."""
    lows = [t.low for t in toks]
    for i, low in enumerate(lows):
        if low == "by" and i > 0 and lows[i - 1] in ("claimed", "out", "launched", "conducted"):
            j = i + 1
            for lead in (("a", "group", "called"), ("a", "group", "calling", "itself"), ("group",)):
                if tuple(lows[j : j + len(lead)]) == lead:
                    j += len(lead)
            name = _name_forward(text, toks, j) if j < len(toks) else ""
            if name:
                return name
        if low in ("claimed", "claiming") and i > 0:
            after = lows[i + 1 : i + 3]
            if after and after[0] in ("responsibility", "the", "it", "an", "a"):
                name = _name_backward(text, toks, i)
                if name:
                    return name
        if low == "said" and lows[i + 1 : i + 2] == ["it"] and i > 0:
            name = _name_backward(text, toks, i)
            if name:
                return name
        ahead = lows[i + 1 : i + 5]
        joint = "to" if low == "attributed" else "on" if low == "blamed" else ""
        if joint and joint in ahead:
            # "sources attributed the attack to the Islamic State", "blamed it on X"
            j = i + 1 + ahead.index(joint) + 1
            while j < len(lows) and lows[j] in ("the", "a", "an"):
                j += 1
            name = _name_forward(text, toks, j) if j < len(toks) else ""
            if name:
                return name
    return ""


def _strip_determiner(phrase: str) -> str:
    lowered = phrase.lower()
    for det in _DETERMINERS:
        if lowered.startswith(det):
            return phrase[len(det) :]
    return phrase


def target(text: str, toks: list[Tok], trigger_index: int) -> tuple[str, str]:
    """What was targeted, and how it was said ("passive", "object").

    "X was targeted", "X have been the target of"; else "attack on X", "targeting X".
    """
    lows = [t.low for t in toks]
    for i, low in enumerate(lows):
        if low not in ("was", "were", "been"):
            continue
        nxt = lows[i + 1 : i + 4]
        if nxt and (
            nxt[0] in ("targeted", "attacked", "hit", "struck", "shelled", "ambushed")
            or nxt[:2] == ["the", "target"]
            or nxt[:3] == ["the", "main", "target"]
        ):
            k = i - 1 if low != "been" else i - 2
            start = k
            while start > 0 and lows[start - 1] not in (",", ";", ".", ":", "“", '"', "that"):
                start -= 1
            if start <= k:
                return _strip_determiner(text[toks[start].start : toks[k].end]), "passive"
    for i, low in enumerate(lows):
        after_trigger = i > 0 and i - 1 >= trigger_index - 1
        if low in ("on", "against") and after_trigger and i + 1 < len(toks):
            prev = lows[i - 1]
            if prev.startswith(("attack", "strike", "raid", "assault")) or prev in (
                "rocket",
                "rockets",
                "missiles",
                "drone",
            ):
                phrase = _noun_phrase(text, toks, i + 1)
                if phrase:
                    return _strip_determiner(phrase), "object"
        active = ("targeting", "targeted", "hit", "struck", "attacked", "ambushed")
        if low in active and i + 1 < len(toks) and lows[i - 1 : i] not in (["was"], ["were"]):
            phrase = _noun_phrase(text, toks, i + 1)
            if phrase and lows[i + 1] not in ("by",):
                return _strip_determiner(phrase), "object"
    return "", ""

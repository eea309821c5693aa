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

__all__ = [
    "Casualties",
    "Tok",
    "Trigger",
    "Words",
    "casualties",
    "claimed_by",
    "events_count",
    "find_triggers",
    "projectiles",
    "target",
    "tokens",
    "words",
]

_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+|[^\w\s]")
# Words that end a noun phrase read after a count or a preposition.
_NP_STOP = frozenset(
    "in at on near from who which that were was and when after as during by while with "
    "into outside inside since but according said say says".split()
)
_NAME_INNER = frozenset("of in the al el for and al-".split())
_DETERMINERS = ("the ", "a ", "an ")


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

    def match(self, toks: list[Tok], i: int, role: str) -> tuple[int, str] | None:
        """The longest phrase of ``role`` starting at token ``i``: (its length, its value)."""
        table = self.roles[role]
        best = None
        for n in (4, 3, 2, 1):
            key = tuple(t.low for t in toks[i : i + n])
            if len(key) == n and key in table:
                best = (n, table[key])
                break
        return best

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


class Count(NamedTuple):
    """A count of people or things, said at ``index``."""

    value: int
    at_least: bool
    at: int  # token index of the number


def _count_at(toks: list[Tok], i: int, *, allow_article: bool) -> Count | None:
    """A count starting at token ``i``: "at least four", "12", "more than 20"."""
    w = words()
    at_least = False
    m = w.match(toks, i, "minimum")
    if m is not None:
        n, value = m
        at_least = True
        if value:  # "dozens of"
            return Count(int(value), True, i)
        i += n
    if i >= len(toks):
        return None
    if not allow_article and toks[i].low in ("a", "an"):
        return None
    value_ = w.number(toks[i])
    if value_ is None:
        return None
    nxt = toks[i + 1].low if i + 1 < len(toks) else ""
    if nxt in ("km", "kilometers", "kilometres", "miles", "percent", "%", "years", "days"):
        return None
    return Count(value_, at_least, i)


def _ends_phrase(low: str, *, first: bool) -> bool:
    if low in _NP_STOP or (not low[0].isalnum() and low not in "-'’"):
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
    killed: int | None
    killed_at_least: bool
    injured: int | None
    injured_at_least: bool
    victims: str  # the people counted: "PMF members"


def _and_more(toks: list[Tok], count: Count) -> Count:
    """ "two American soldiers and a British soldier": three."""
    for j in range(count.at + 1, min(count.at + 6, len(toks) - 1)):
        low = toks[j].low
        if low == "and":
            more = _count_at(toks, j + 1, allow_article=True)
            if more is not None:
                return Count(count.value + more.value, count.at_least or more.at_least, count.at)
            return count
        if low in _NP_STOP or not low[0].isalnum():
            return count
    return count


def _count_near(toks: list[Tok], k: int, role: str) -> tuple[Count, int] | None:
    """The count a casualty word at token ``k`` refers to, and where its noun starts."""
    w = words()
    step = k + 1
    if toks[k].low in ("death", "deaths") and step < len(toks) and toks[step].low == "of":
        step += 1
    if role and step < len(toks):  # "killing three fighters", "injuring at least five"
        count = _count_at(toks, step, allow_article=True)
        if count is not None:
            return _and_more(toks, count), count.at + 1
    for back in range(k - 1, max(-1, k - 7), -1):  # "three soldiers were killed"
        if toks[back].low in (".", ";", ",") and back < k - 1:
            break
        count = _count_at(toks, back, allow_article=False)
        if count is None:
            continue
        if back > 0 and toks[back - 1].low in ("least", "than"):
            count = Count(count.value, True, back)
        after = toks[back + 1].low if back + 1 < len(toks) else ""
        if (after,) in w.roles["projectile"]:
            continue  # "three rockets killed ..." counts rockets, not people
        return count, back + 1
    return None


def casualties(text: str, toks: list[Tok]) -> Casualties:
    """Killed and injured in a clause, with "at least" flags and zeros said outright."""
    w = words()
    killed: Count | None = None
    injured: Count | None = None
    zero_killed = zero_injured = False
    victims = ""
    for k in range(len(toks)):
        z = w.match(toks, k, "zero")
        if z is not None:
            zero_killed |= z[1] in ("killed", "both")
            zero_injured |= z[1] in ("injured", "both")
            continue
        for role in ("killed", "injured"):
            if w.match(toks, k, role) is None or (k > 0 and toks[k - 1].low in ("no", "not")):
                continue
            found = _count_near(toks, k, role)
            if found is None:
                continue
            count, noun = found
            if role == "killed" and killed is None:
                killed = count
            elif role == "injured" and injured is None:
                injured = count
            if not victims and noun < len(toks) and noun != k:
                victims = _noun_phrase(text, toks, noun)
    return Casualties(
        killed.value if killed else (0 if zero_killed else None),
        bool(killed and killed.at_least),
        injured.value if injured else (0 if zero_injured else None),
        bool(injured and injured.at_least),
        victims,
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


def events_count(toks: list[Tok], trigger_index: int, trigger: Trigger) -> int:
    """How many events a plural event noun stands for: "four more attacks" is 4.

    Weapons are not events: "three rockets" is one attack with three projectiles.
    """
    w = words()
    i = trigger_index - 1
    while i >= 0 and toks[i].low in ("more", "other", "separate", "further", "new"):
        i -= 1
    if i >= 0 and trigger.words[-1] in _EVENT_NOUNS:
        value = w.number(toks[i])
        if value is not None and toks[i].low not in ("a", "an"):
            return value
    return 1


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
    "X said it targeted ...", "carried out by X"."""
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

"""Numbers of people in a clause, and who the dead were, by ACLED's rules.

- **Numbers**: digits ("12", "1,200"), words ("twelve", "twenty-five", "twenty five"),
  multiples ("a dozen", "two hundred"); ranges take the lower bound and count as a minimum
  ("10 to 15", "10-15", "between 10 and 15", "one or two").
- **Vague numbers** take ACLED's conservative values, as minimums: "tens" 10, "dozens" 12,
  "scores" 20, "hundreds" 100, "thousands" 1,000 (``minimum`` rows of
  ``geomap/data/incident_words.csv``).
- **The attackers' share** (``perpetrator`` words: bomber, attacker, assailant, gunman): "the
  bomber and 20 soldiers were killed" is 21 with 1 attacker; "killing 12 people, including
  the bomber" is 12 with 1 attacker; "killing 12 attackers" is 12, all attackers; "the gunman
  was also killed" adds 1.

The functions take the cue words (:class:`geomap.incidents.cues.Words`) and tokens; nothing here
reads data itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from geomap.incidents.cues import Tok, Words

__all__ = ["Perpetrators", "number_at", "perpetrator_count", "perpetrators", "range_end"]

_MULTIPLIERS = frozenset({"dozen", "hundred", "thousand"})
_RANGE_WORDS = frozenset({"to", "-", "or"})
_ARTICLES = frozenset({"a", "an"})
_AS_SUBJECT = frozenset({"was", "were", "also", "reportedly", "himself", "herself", "both"})
_INTRANSITIVE = frozenset({"died", "dead", "perished"})


def number_at(w: Words, toks: list[Tok], i: int) -> tuple[int, int] | None:
    """The number starting at token ``i`` and the index after it, or None.

    >>> from geomap.incidents.cues import tokens, words
    >>> toks = tokens("twenty-five people and 1,200 more", 0, 33)
    >>> number_at(words(), toks, 0), number_at(words(), toks, 5)
    ((25, 3), (1200, 8))
    """
    low = toks[i].low
    if low.isdigit():
        if len(low) > 4:
            return None
        value, j = int(low), i + 1
        while (
            j + 1 < len(toks)
            and toks[j].low == ","
            and toks[j].start == toks[j - 1].end  # "1,200", not "12, 200"
            and toks[j + 1].low.isdigit()
            and len(toks[j + 1].low) == 3
        ):
            value, j = value * 1000 + int(toks[j + 1].low), j + 2
        return value, j
    found = w.numbers.get(low)
    if found is None:
        return None
    value, j = found, i + 1
    if 20 <= value <= 90 and value % 10 == 0 and j < len(toks):  # "twenty-five", "twenty five"
        k = j + 1 if toks[j].low == "-" else j
        unit = w.numbers.get(toks[k].low) if k < len(toks) else None
        if unit is not None and 1 <= unit <= 9 and toks[k].low not in _ARTICLES:
            value, j = value + unit, k + 1
    if j < len(toks) and toks[j].low in _MULTIPLIERS and low not in _MULTIPLIERS:
        value, j = value * w.numbers[toks[j].low], j + 1  # "a dozen", "two hundred"
    return value, j


def range_end(w: Words, toks: list[Tok], end: int, *, between: bool) -> int | None:
    """Where a range ends when the number ending at ``end`` opens one ("10 to 15",
    "10-15", "one or two", "between 10 and 15"), else None."""
    if end + 1 >= len(toks):
        return None
    joins = _RANGE_WORDS | {"and"} if between else _RANGE_WORDS
    if toks[end].low not in joins:
        return None
    upper = number_at(w, toks, end + 1)
    return upper[1] if upper is not None else None


class Perpetrators(NamedTuple):
    """How many of the dead were the attackers, and whether the toll already counts them."""

    attackers: int
    included: bool


def perpetrator_count(w: Words, toks: list[Tok], p: int) -> int:
    """How many attackers the noun at ``p`` names: "two bombers" 2, "both attackers" 2,
    "the bomber" 1."""
    k = p - 1
    while k >= 0 and toks[k].low == "suicide":
        k -= 1
    if k >= 0 and toks[k].low == "both":
        return 2
    for start in range(max(0, k - 3), k + 1):
        read = number_at(w, toks, start)
        if read is not None and read[1] == k + 1 and toks[start].low not in _ARTICLES:
            return read[0]
    return 1


def perpetrators(
    w: Words, toks: list[Tok], killed_word: int, count: tuple[int, int, int] | None
) -> Perpetrators | None:
    """The attackers among the dead of a clause, or None when it does not say.

    Parameters
    ----------
    w, toks
        The cue words and the clause's tokens.
    killed_word
        The index of the casualty word ("killed", "killing").
    count
        The count read for it: (value, first token, index after it), or None.
    """
    perp = w.roles["perpetrator"]
    if count is not None:
        value, at, end = count
        head = toks[end : end + 3]
        for t in head:
            if (t.low,) in perp:  # "killing 12 attackers"; of "4 soldiers and 2 assailants", 2
                return Perpetrators(_last_number(w, toks, at, end, value), True)
            if not t.low[:1].isalnum():
                break
    for p, tok in enumerate(toks):
        if (tok.low,) not in perp:
            continue
        if any(t.low == "including" for t in toks[max(0, p - 3) : p]):
            return Perpetrators(perpetrator_count(w, toks, p), True)
        if count is not None and _conjoined(toks, p, count[1], count[2]):
            return Perpetrators(perpetrator_count(w, toks, p), False)
        if count is None and p < killed_word and _subject_of(toks, p, killed_word):
            return Perpetrators(perpetrator_count(w, toks, p), False)
    return None


def _last_number(w: Words, toks: list[Tok], at: int, end: int, value: int) -> int:
    """The last number read in ``toks[at:end]`` (a sum of groups names its parts), else
    ``value``."""
    for k in range(end - 1, at - 1, -1):
        read = number_at(w, toks, k)
        if read is not None and read[1] == end:
            return read[0]
    return value


def _conjoined(toks: list[Tok], p: int, start: int, end: int) -> bool:
    """ "the bomber and 20 soldiers", "20 soldiers and the bomber": joined to the victims."""
    if p + 1 < len(toks) and toks[p + 1].low == "and" and p + 2 <= start <= p + 4:
        return True
    if p <= end:
        return False
    between = toks[end:p]
    ands = [k for k, t in enumerate(between) if t.low == "and"]
    return (
        len(between) <= 6
        and bool(ands)
        and p - (end + ands[-1]) <= 4
        and all(t.low[:1].isalnum() for t in between)
    )


def _subject_of(toks: list[Tok], p: int, killed_word: int) -> bool:
    """ "the gunman was also killed", "both attackers died": the attackers as the subject of a
    passive or of "died", not of an active verb ("gunmen killed the mayor's son")."""
    between = toks[p + 1 : killed_word]
    if len(between) > 3 or not all(t.low in _AS_SUBJECT for t in between):
        return False
    passive = any(t.low in ("was", "were") for t in between)
    return passive or toks[killed_word].low in _INTRANSITIVE

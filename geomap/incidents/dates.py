"""Date phrases of a report: found here, parsed by dateparser, resolved against an anchor.

Four kinds of phrase, found by one pattern each (month and weekday names come from
:mod:`calendar`, with "Sept"):

- ``absolute``: "March 11, 2020", "11 March 2020", "Sept 9, 2019", "in March 2020";
- ``numeric``: "05/12/2019", "05.12.2019", "05-12-2019", "09 06 2019", "2019-06-09",
  "2019/06/09". Year first is always year-month-day. Otherwise the order is month first
  ("05/12/2019" is May 12) unless the caller says day first (5 December: ``--dayfirst``, or a
  report whose language is not US English); dots always say day first ("05.12.2019" is 5
  December: the European writing; no month-first convention uses dots); a reading
  impossible in that order ("13/05/2019"
  month first) is read in the other, and one impossible in both is left unresolved, saying
  why;
- ``deictic``: relative to the published date: "on July 30", "on Tuesday", "early hours of
  Monday", "yesterday", "last month", "earlier this month", "in late July";
- ``narrative``: relative to the event told before: "less than a week later", "hours
  later", "the next day", "within hours after the statement".

dateparser reads every phrase but the numeric ones (and the offsets of narrative ones, as
"in 1 week" from the anchor); numeric dates are read here, in the documented order, because
their order is a choice dateparser would make silently.

A phrase that needs an anchor the report does not give (no published date, or an earlier
event without a date) stays unresolved, and ``DateGuess.note`` says why.

Every pattern starts at a word boundary, so finding phrases takes time linear in the text, a
1 MB token included: a long token is tried once, from its start, not from every character.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

__all__ = [
    "DateGuess",
    "DatePhrase",
    "dayfirst_for_language",
    "find_date_phrases",
    "resolve_date_phrase",
    "stated_precision",
    "window",
]

_MONTHS = "|".join(
    [m for m in calendar.month_name if m]
    + ["Sept"]  # before "Sep": the longer spelling first
    + [m for m in calendar.month_abbr if m and m != "May"]
)
_DAYS = "|".join(d for d in calendar.day_name)
_PART = r"(?:\s+(?:morning|afternoon|evening|night))"
_EDGE = r"(?:(?:early|late|mid|mid-)\s*)"
_ABSOLUTE = (
    rf"(?:(?:on\s+)?(?:(?:{_DAYS}),?\s+)?(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|(?:on\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+\d{{4}}"
    rf"|(?:in\s+)?{_EDGE}?(?:{_MONTHS})\s+\d{{4}})"
)
# Numeric dates: year first with "-" or "/", else day and month (in either order) with one
# separator used twice, or two digits each separated by single spaces ("09 06 2019").
_NUMERIC = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}"
    r"|\d{1,2}/\d{1,2}/\d{4}|\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}-\d{1,2}-\d{4}|\d{2} \d{2} \d{4})"
    r"(?![\d/.-]\d)(?!\d)"
)
_NUMERIC_PARTS = re.compile(r"(\d+)[-/. ](\d+)[-/. ](\d+)")
_DEICTIC = (
    rf"(?:(?:on\s+)?(?:(?:{_DAYS}),?\s+)?(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    rf"|(?:on\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b"
    rf"|(?:(?:in\s+the\s+|in\s+)?early\s+hours\s+of\s+|early\s+on\s+|late\s+on\s+|on\s+)?"
    rf"(?:{_DAYS}){_PART}?"
    rf"|(?:in\s+)?{_EDGE}?(?:{_MONTHS})\b"
    r"|yesterday|today|tonight|last\s+night|this\s+morning|earlier\s+(?:today|this\s+week)"
    r"|(?:earlier\s+)?this\s+month|last\s+(?:week|month)"
    r"|(?:\b\w{1,20}\s+)?(?:days?|weeks?|months?)\s+ago)"
)
_NARRATIVE = (
    r"(?:(?:less\s+than\s+|more\s+than\s+|about\s+|nearly\s+|just\s+|only\s+)?"
    r"(?:a|an|one|two|three|four|five|six|seven|a\s+few|several|\d{1,4})\s+"
    r"(?:hours?|days?|weeks?|months?)\s+later"
    r"|hours\s+later|days\s+later|later\s+that\s+day|the\s+(?:next|following)\s+day"
    r"|the\s+same\s+day|within\s+(?:hours|days|minutes)\s+(?:after|of)\s+[^,.;]{3,60})"
)
# "\b" first: a match starts only where a word does, so a long token is tried once.
_PATTERN = re.compile(
    rf"\b(?:(?P<numeric>{_NUMERIC})|(?P<absolute>{_ABSOLUTE})|(?P<narrative>{_NARRATIVE})"
    rf"|(?P<deictic>{_DEICTIC}))",
    re.IGNORECASE,
)
_CAPITALISED_ONLY = re.compile(rf"(?:{_MONTHS}|{_DAYS})\b", re.IGNORECASE)
_PERIOD_PRECISION = {"day": 1, "week": 2, "month": 3}
_SPAN_DAYS = {1: 1, 2: 7, 3: 31}
_WORD_COUNT = re.compile(
    r"(?P<min>less\s+than\s+|within\s+|just\s+|only\s+)?(?P<n>a\s+few|several|an?|\w+)?\s*"
    r"(?P<unit>hours?|days?|weeks?|months?)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DatePhrase:
    """A date phrase of a text: its offsets, its words and its kind."""

    start: int
    end: int
    text: str
    kind: str  # "numeric", "absolute", "deictic" or "narrative"


@dataclass(frozen=True, slots=True)
class DateGuess:
    """What a date phrase resolves to: a day and ACLED's precision, or None and why."""

    day: date | None
    precision: int  # 1 day, 2 week, 3 month
    phrase: str
    note: str = ""


def find_date_phrases(text: str) -> list[DatePhrase]:
    """The date phrases of ``text``, in order.

    >>> [p.text for p in find_date_phrases("Rockets hit the base on July 30, hours later.")]
    ['on July 30', 'hours later']
    """
    found = []
    for m in _PATTERN.finditer(text):
        kind = m.lastgroup or "deictic"
        phrase = m.group()
        bare = re.sub(r"^(?:on|in|early|late|mid-?)\s*", "", phrase, flags=re.IGNORECASE)
        if (
            kind in ("absolute", "deictic")
            and _CAPITALISED_ONLY.match(bare)
            and not bare[:1].isupper()
        ):
            continue  # "may", "march", "sun" in lowercase are not dates
        found.append(DatePhrase(m.start(), m.end(), phrase, kind))
    return found


@lru_cache(maxsize=20_000)
def _parse(text: str, base: datetime | None, prefer: str) -> tuple[date | None, str]:
    """dateparser's reading of ``text``: the day and its period ("day", "week", "month")."""
    from dateparser.date import DateDataParser  # type: ignore[import-untyped]

    if not text:
        return None, ""
    settings: dict[str, Any] = {"PREFER_DATES_FROM": prefer, "PREFER_DAY_OF_MONTH": "first"}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if data is None or data.date_obj is None:
        return None, ""
    return data.date_obj.date(), str(data.period or "day")


def _core(phrase: str) -> str:
    """The words dateparser reads: no leading preposition, part of day or edge word."""
    core = re.sub(
        r"^(?:on|in(?:\s+the)?|early\s+on|late\s+on|early\s+hours\s+of|earlier)\s+",
        "",
        phrase.strip(),
        flags=re.IGNORECASE,
    )
    core = re.sub(r"^(?:early|late|mid-?)\s*", "", core, flags=re.IGNORECASE)
    return re.sub(rf"{_PART}$", "", core, flags=re.IGNORECASE).strip()


def _as_datetime(day: date | datetime) -> datetime:
    if isinstance(day, datetime):
        return day.replace(tzinfo=None)
    return datetime(day.year, day.month, day.day)


def _start_of(day: date, precision: int) -> date:
    if precision == 3:
        return day.replace(day=1)
    if precision == 2:
        return day - timedelta(days=day.weekday())
    return day


def _deictic(phrase: DatePhrase, published: date | datetime | None) -> DateGuess:
    if published is None:
        note = f"no published date: {phrase.text!r} cannot be placed in time"
        return DateGuess(None, 1, phrase.text, note)
    core = _core(phrase.text)
    base = _as_datetime(published)
    if re.fullmatch(rf"(?:{_DAYS}),?", core, re.IGNORECASE):
        base += timedelta(days=1)  # "on Tuesday" in Tuesday's paper is that Tuesday
    day, period = _parse(core, base, "past")
    if day is None:
        return DateGuess(None, 1, phrase.text, f"dateparser cannot read {phrase.text!r}")
    precision = _PERIOD_PRECISION.get(period, 3)
    if re.match(r"(?:early|late|mid)", phrase.text, re.IGNORECASE) and precision == 1:
        precision = 1 if re.search(_DAYS, phrase.text, re.IGNORECASE) else 3
    if re.search(r"\bago\b", core) and precision == 1 and "day" not in core:
        precision = 2
    return DateGuess(_start_of(day, precision), precision, phrase.text)


def _narrative(phrase: DatePhrase, anchor: DateGuess | None, published: date | None) -> DateGuess:
    text = phrase.text
    if anchor is None or anchor.day is None:
        if re.match(r"within\s", text, re.IGNORECASE) and published is not None:
            anchor = DateGuess(published, 1, "", "")  # "after the statement": the report's day
        else:
            why = "an earlier date that is itself unresolved" if anchor else "no earlier date"
            return DateGuess(None, 1, text, f"{text!r} is relative to {why}")
    day: date = anchor.day  # type: ignore[assignment]  # set above
    lowered = text.lower()
    if "same day" in lowered or "that day" in lowered or lowered.startswith("hours"):
        return DateGuess(day, anchor.precision, text, anchor.note)
    if "next day" in lowered or "following day" in lowered:
        return DateGuess(day + timedelta(days=1), anchor.precision, text)
    m = _WORD_COUNT.search(text)
    if m is None:
        return DateGuess(None, 1, text, f"dateparser cannot read {text!r}")
    unit = m.group("unit").lower()
    count = (m.group("n") or "1").lower()
    if unit.startswith("hour"):
        return DateGuess(day, anchor.precision, text, anchor.note)
    if count in ("a few", "several"):
        count = "3"
    end, _ = _parse(f"in {count} {unit}", _as_datetime(day), "future")
    if end is None:
        return DateGuess(None, 1, text, f"dateparser cannot read {text!r}")
    if m.group("min"):  # "less than a week later": somewhere in the window after the anchor
        span = (end - day).days
        precision = 1 if span <= 1 else 2 if span <= 7 else 3
        return DateGuess(day + timedelta(days=1), max(precision, anchor.precision), text)
    precision = 2 if unit.startswith("week") else 3 if unit.startswith("month") else 1
    return DateGuess(end, max(precision, anchor.precision), text)


def dayfirst_for_language(language: str) -> bool:
    """Whether numeric dates of a report in this language put the day first: all but US
    English (and reports that give no language, read as English) do.

    >>> dayfirst_for_language(""), dayfirst_for_language("en-US"), dayfirst_for_language("fr")
    (False, False, True)
    """
    return language.strip().lower().replace("_", "-") not in ("", "en", "en-us")


def _numeric(phrase: DatePhrase, *, dayfirst: bool) -> DateGuess:
    """A numeric date in the documented order, or the other when that one is impossible."""
    m = _NUMERIC_PARTS.fullmatch(phrase.text)
    if m is None:  # unreachable for phrases the pattern found
        return DateGuess(None, 1, phrase.text, f"cannot read {phrase.text!r}")
    a, b, c = m.groups()
    readings: list[tuple[tuple[int, int, int], str]]
    if len(a) == 4:
        readings = [((int(a), int(b), int(c)), "")]
    else:
        day_first = ((int(c), int(b), int(a)), "day first")
        month_first = ((int(c), int(a), int(b)), "month first")
        dotted = "." in phrase.text  # "05.12.2019": day first wherever it is written
        readings = [day_first, month_first] if dayfirst or dotted else [month_first, day_first]
    for k, ((year, month, day), order) in enumerate(readings):
        if day == 0 and 1 <= month <= 12 and year >= 1:  # "03/00/2016": the day unknown
            note = "the day is given as 00: the month"
            return DateGuess(date(year, month, 1), 3, phrase.text, note)
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        note = f"read {order}: the other order is not a date" if k else ""
        return DateGuess(found, 1, phrase.text, note)
    return DateGuess(None, 1, phrase.text, f"{phrase.text!r} is not a date in either order")


_COARSER = re.compile(r"\s*\(\s*(?P<unit>week|month)\s+of\s*\)", re.IGNORECASE)


def stated_precision(guess: DateGuess, after: str) -> DateGuess:
    """A date the text itself marks as approximate: "Around 9 October 2020 (week of)" is
    precision 2, "(month of)" 3, as event coders write them; ``after`` is the text right
    after the phrase."""
    m = _COARSER.match(after[:24])
    if m is None or guess.day is None:
        return guess
    precision = 2 if m["unit"].lower() == "week" else 3
    return DateGuess(guess.day, max(precision, guess.precision), guess.phrase, guess.note)


def resolve_date_phrase(
    phrase: DatePhrase,
    *,
    published: date | datetime | None,
    anchor: DateGuess | None = None,
    dayfirst: bool = False,
) -> DateGuess:
    """Resolve a phrase to a day and a precision.

    Parameters
    ----------
    phrase
        The phrase, as found by :func:`find_date_phrases`.
    published
        When the report was published: the base of deictic phrases.
    anchor
        The date of the event told before: the base of narrative phrases.
    dayfirst
        Read numeric dates day first ("05/12/2019" is 5 December); by default month first.
    """
    if phrase.kind == "numeric":
        return _numeric(phrase, dayfirst=dayfirst)
    if phrase.kind == "absolute":
        day, period = _parse(_core(phrase.text), None, "past")
        if day is None:
            return DateGuess(None, 1, phrase.text, f"dateparser cannot read {phrase.text!r}")
        precision = _PERIOD_PRECISION.get(period, 3)
        return DateGuess(_start_of(day, precision), precision, phrase.text)
    if phrase.kind == "narrative":
        pub = _as_datetime(published).date() if published is not None else None
        return _narrative(phrase, anchor, pub)
    return _deictic(phrase, published)


def window(day: date, precision: int) -> tuple[date, date]:
    """The first and last day a date of this precision may mean."""
    return day, day + timedelta(days=_SPAN_DAYS[precision] - 1)

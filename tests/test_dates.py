"""Date phrases: found in text, read by dateparser, resolved against an anchor."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from geomap.incidents.dates import DateGuess, find_date_phrases, resolve_date_phrase

PUBLISHED = datetime(2024, 8, 6, 21, 30)  # a Tuesday


def _resolve(text: str, published: datetime | None = PUBLISHED, anchor: DateGuess | None = None):  # type: ignore[no-untyped-def]
    (phrase,) = find_date_phrases(text)
    return resolve_date_phrase(phrase, published=published, anchor=anchor)


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        ("rockets fell on July 30.", date(2024, 7, 30), 1),
        ("a strike on Tuesday", date(2024, 8, 6), 1),  # Tuesday's paper: that Tuesday
        ("in early hours of Monday", date(2024, 8, 5), 1),
        ("on Monday night", date(2024, 8, 5), 1),
        ("last month", date(2024, 7, 1), 3),
        ("In January, talks began", date(2024, 1, 1), 3),
        ("earlier this month", date(2024, 8, 1), 3),
        ("On March 11, 2020, rockets", date(2020, 3, 11), 1),
        ("on 15 February 2021", date(2021, 2, 15), 1),
        ("in March 2020", date(2020, 3, 1), 3),
    ],
)
def test_phrases(text: str, day: date, precision: int) -> None:
    guess = _resolve(text)
    assert (guess.day, guess.precision) == (day, precision)
    assert guess.note == ""


def test_lowercase_month_words_are_not_dates() -> None:
    assert find_date_phrases("they may march on the base") == []


def test_narrative_phrases_count_from_the_anchor() -> None:
    anchor = DateGuess(date(2024, 7, 30), 1, "on July 30")
    later = _resolve("Less than a week later, rockets", anchor=anchor)
    assert (later.day, later.precision) == (date(2024, 7, 31), 2)
    assert _resolve("Two days later, a drone", anchor=anchor).day == date(2024, 8, 1)
    assert _resolve("Hours later, a bomb", anchor=anchor).day == date(2024, 7, 30)
    assert _resolve("the next day", anchor=anchor).day == date(2024, 7, 31)


def test_unresolved_without_a_published_date_says_so() -> None:
    guess = _resolve("on July 30", published=None)
    assert guess.day is None and "no published date" in guess.note
    unresolved = DateGuess(None, 1, "on July 30", guess.note)
    later = _resolve("Less than a week later", published=None, anchor=unresolved)
    assert later.day is None and "itself unresolved" in later.note
    assert _resolve("On March 11, 2020", published=None).day == date(2020, 3, 11)


def test_within_hours_after_the_statement_uses_the_published_day() -> None:
    guess = _resolve("Within hours after the statement was released, attacks")
    assert (guess.day, guess.precision) == (date(2024, 8, 6), 1)
    assert _resolve("Within hours after the statement", published=None).day is None


# -- numeric dates, "Sept", and hostile input ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "dayfirst", "day", "note"),
    [
        ("05/12/2019: a roadside bomb", False, date(2019, 5, 12), ""),  # month first
        ("05/12/2019: a roadside bomb", True, date(2019, 12, 5), ""),
        ("on 05.12.2019 a convoy", False, date(2019, 12, 5), ""),  # dots: day first
        ("on 12.31.2019 a convoy", False, date(2019, 12, 31), "read month first"),
        ("on 05-12-2019 a convoy", True, date(2019, 12, 5), ""),
        ("09 06 2019 - clashes", False, date(2019, 9, 6), ""),
        ("2019-06-09: clashes", True, date(2019, 6, 9), ""),  # year first: always Y-M-D
        ("2019/06/09: clashes", False, date(2019, 6, 9), ""),
        ("13/05/2019: clashes", False, date(2019, 5, 13), "read day first"),  # impossible M-D
        ("05/13/2019: clashes", True, date(2019, 5, 13), "read month first"),
    ],
)
def test_numeric_dates(text: str, dayfirst: bool, day: date, note: str) -> None:
    (phrase,) = find_date_phrases(text)
    assert phrase.kind == "numeric"
    guess = resolve_date_phrase(phrase, published=None, dayfirst=dayfirst)
    assert (guess.day, guess.precision) == (day, 1)
    assert guess.note.startswith(note) if note else guess.note == ""


@pytest.mark.parametrize("text", ["03/00/2016: clashes", "2016-03-00: clashes"])
def test_a_day_of_00_is_the_month(text: str) -> None:
    # event tables write an unknown day as 00
    (phrase,) = find_date_phrases(text)
    guess = resolve_date_phrase(phrase, published=None)
    assert (guess.day, guess.precision) == (date(2016, 3, 1), 3)
    assert "00" in guess.note


def test_a_numeric_date_impossible_in_both_orders_says_so() -> None:
    (phrase,) = find_date_phrases("31/31/2019: clashes")
    guess = resolve_date_phrase(phrase, published=None)
    assert guess.day is None
    assert "not a date in either order" in guess.note


@pytest.mark.parametrize("text", ["call 0790 123 4567", "12/2019 budget", "1.2.3.4 address"])
def test_numbers_that_are_not_dates(text: str) -> None:
    assert [p for p in find_date_phrases(text) if p.kind == "numeric"] == []


def test_sept_is_a_month() -> None:
    assert _resolve("On Sept 9, 2019, rockets").day == date(2019, 9, 9)
    assert _resolve("on 9 Sept. 2019").day == date(2019, 9, 9)


def test_day_first_by_language() -> None:
    from geomap.incidents.dates import dayfirst_for_language

    assert not dayfirst_for_language("")
    assert not dayfirst_for_language("en_US")
    assert dayfirst_for_language("en-GB")
    assert dayfirst_for_language("ar")


_HOSTILE = """
import sys, time
from geomap.incidents.dates import find_date_phrases
texts = [
    "a" * 1_000_000,  # one long token
    "1" * 1_000_000,
    "on" + " " * 1_000_000 + "Monday",  # one long run of spaces
    "1/" * 100_000,  # many short tokens that each start a numeric date
    "09 06 " * 30_000,
    "two " * 50_000 + "days",
]
for text in texts:
    started = time.process_time()
    find_date_phrases(text)
    print(round(time.process_time() - started, 2), flush=True)
"""


def test_finding_dates_is_linear_on_hostile_text() -> None:
    """A pattern that tried every character of a 1 MB token would take hours: the child
    process is stopped after a minute and the test fails."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run(
        [sys.executable, "-c", _HOSTILE], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr
    seconds = [float(line) for line in done.stdout.split()]
    assert len(seconds) == 6
    assert max(seconds) < 20

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

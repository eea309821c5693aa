"""The bulk-import name keys (gazetteer._fastnames) equal gazetteer.normalize's."""

from __future__ import annotations

import doctest

from hypothesis import given, settings
from hypothesis import strategies as st

from gazetteer import _fastnames
from gazetteer._fastnames import NameKeys, fast_fold
from gazetteer.normalize import fold, parse_name
from tests.test_normalize import _NAMEISH

_KEYS = NameKeys()  # shared, so that remembered words and keys are exercised too


def _expected(name: str) -> tuple[str, str, str]:
    key, hint = parse_name(name)
    return fold(name), key, hint or ""


@settings(max_examples=1000)
@given(st.one_of(st.text(), st.text(st.characters(codec="utf-8")), _NAMEISH))
def test_name_keys_equal_parse_name(name: str) -> None:
    assert _KEYS(name) == _expected(name)
    assert NameKeys()(name) == _expected(name)


@settings(max_examples=1000)
@given(st.one_of(st.text(), st.text(alphabet=st.characters(max_codepoint=0x7F))))
def test_fast_fold_equals_fold(text: str) -> None:
    assert fast_fold(text) == fold(text)


@settings(max_examples=300)
@given(st.lists(st.one_of(st.text(), _NAMEISH), max_size=20))
def test_name_keys_equal_parse_name_when_forgetting(names: list[str]) -> None:
    keys = NameKeys(remember=3)  # forgets what it remembered every third new name
    for name in names + names:
        assert keys(name) == _expected(name)


def test_known_names() -> None:
    names = [
        "ʿAyn al-Assad Air Base",
        "Basra Governorate",
        "Camp Taji",
        "The Hague",
        "Qaḑā’ al Fallūjah",
        "اللاذقية",
        "Al Ḩillah",
        "Tall al-'Amarah",
        "Province of Babel",
        "all",
        "Saint-Pierre-de-la-Roche",
    ]
    for name in names:
        assert _KEYS(name) == _expected(name), name


def test_docstring_examples() -> None:
    failed, attempted = doctest.testmod(_fastnames, verbose=False)
    assert attempted > 0
    assert failed == 0

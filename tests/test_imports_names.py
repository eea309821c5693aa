"""The bulk-import name keys (gazetteer._fastnames, and what a dump parser remembers of a
name) equal gazetteer.normalize's."""

from __future__ import annotations

import doctest

from hypothesis import given, settings
from hypothesis import strategies as st

from gazetteer import _fastnames
from gazetteer._fastnames import NameKeys, fast_fold
from gazetteer.imports.geonames import _CAPITAL, _GOOD, _LEFT_OUT, DumpNames, _capital
from gazetteer.normalize import fold, parse_name
from gazetteer.sources import _good_alternate
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


# Words that take each way to a key: doubled letters alone ("Tall", "Abbas"), doubled
# letters that undouble into an article or generic word ("all", "ass", "garrison"), a
# final "h" ("Hillah"), the Arabic article, 'Ain spellings, doubled digits ("2211", and
# digits NFKC makes ASCII, "²²") and digits it does not ("𐩀𐩀").
_DOUBLED = st.sampled_from(
    [
        *("Tall", "Abbas", "Mazzeh", "Jabbal", "Kuwwah", "Hillah", "Tell", "Assad", "oo"),
        *("all", "ass", "aal", "ann", "eel", "thee", "off", "garrison", "Airr", "Campp"),
        *("ayyn", "aiin", "Ayn", "al", "the", "of", "ال", "اللاذقية", "الله", "ضضض"),
        *("2211", "11", "²²", "𐩀𐩀", "Ⅻ", "ﬀ", "ß", "Mosul", "Camp", "Province", "city"),
    ]
)
_DOUBLED_NAMES = st.lists(
    st.tuples(_DOUBLED, st.sampled_from([" ", "-", "'", " al-"])), max_size=6
).map(lambda parts: "".join(p + s for p, s in parts))


@settings(max_examples=2000)
@given(_DOUBLED_NAMES)
def test_name_keys_of_doubled_letters_equal_parse_name(name: str) -> None:
    keys = NameKeys()
    assert keys(name) == _expected(name)
    assert keys(name) == _expected(name)  # remembered


@settings(max_examples=500)
@given(st.one_of(st.text(), _NAMEISH, _DOUBLED_NAMES))
def test_dump_names_equal_name_keys(name: str) -> None:
    names = DumpNames(remember=3)
    flags = (_GOOD if _good_alternate(name) else 0) | (_CAPITAL if _capital(name) else 0)
    assert names.name(name) == (*_expected(name), flags)
    alternate = names.alternate(name)
    assert alternate == ((*_expected(name), flags) if flags & _GOOD else _LEFT_OUT)

"""Name keys for bulk imports: the keys of :mod:`gazetteer.normalize`, made faster.

An import of allCountries keys some 30 million names, where :func:`parse_name` (about
15 µs a name) would take most of the time. :class:`NameKeys` gives the same answers:

- ASCII names skip the Unicode normalisations, which leave ASCII unchanged;
- a name's key depends only on its folded form, and each folded word's key only on the
  word, so names, folded forms and words are remembered (up to a million of each, then
  forgotten at once);
- most folded names have no word the rules change (no doubled letter, no final "h", no
  Arabic article, no article or generic word): one pattern search and one set look-up
  over the whole name tell, and their folded form is their key (the same string, which
  saves memory too), with no work per word; in ASCII names whose only rule is doubled
  letters, the letters are undoubled all at once;
- the table that drops combining marks is filled as characters are met, instead of
  from all 1.1 million code points at once (0.3 s, in every worker process of an import);
- a name with no generic word or leading "the" needs none of :func:`parse_name`'s loop
  beyond dropping articles, and any other name goes through :func:`parse_name` itself.

``tests/test_imports_names.py`` checks the equality on generated names.
"""

from __future__ import annotations

import operator
import re
import unicodedata

import gazetteer.normalize as normalize
from gazetteer.normalize import GENERIC_WORDS, parse_name

__all__ = ["NameKeys", "fast_fold"]

_WORDS = re.compile(r"[^\W_]+")
# First words of a name that parse_name may strip, and last words.
_HEAD = frozenset(
    {"the"} | {p.split()[0] for p in GENERIC_WORDS if p.split()[0] in normalize._LEADING}
)
_TAIL = frozenset(p.split()[-1] for p in GENERIC_WORDS)
_ARTICLES = normalize._ARTICLES
_SPECIAL = normalize._SPECIAL
_AIN = normalize._AIN
_REPEATS = normalize._REPEATS
_FINAL_H = normalize._FINAL_H
_strip_arabic_article = normalize._strip_arabic_article
_FIRST = operator.itemgetter(1)  # a match's first group
_LETTERS: dict[int, str] = normalize._LETTERS
_MAX_REMEMBERED = 1_000_000
# What may make a folded word's key differ from the word (see _token_key): a doubled
# letter (_REPEATS), a final "h" (_FINAL_H), the Arabic article written together with
# the word. A doubled character of any kind is quicker to spot than a doubled letter,
# and a name with only a doubled digit takes the longer way to the same key.
_MAY_CHANGE = re.compile(r"(.)\1|h(?: |$)|ال")
# Words that make a name's key differ from its folded form: 'Ain and its spellings,
# articles, and the generic words parse_name may strip.
_NOTABLE = _AIN | _ARTICLES | _HEAD | _TAIL
_SPECIAL_OR_AIN = _SPECIAL | _AIN


def _token_key(token: str) -> str:
    """:func:`gazetteer.normalize._token_key`, quicker.

    The Arabic article rules only for words not in ASCII, and repeated letters replaced
    through :data:`_FIRST`: a replacement string with a group reference costs 2 µs a
    word in Python 3.11, which expands it in Python.
    """
    if token in _SPECIAL or token.isdigit():
        return token
    arabic = not token.isascii()
    key = _strip_arabic_article(token) if arabic else token
    if _REPEATS.search(key) is not None:
        key = _REPEATS.sub(_FIRST, key)
    if arabic:
        key = _strip_arabic_article(key)
    if key[-1] == "h":
        key = _FINAL_H.sub("", key)
    if key in _AIN:
        return "ain"
    return token if key in _SPECIAL else key


class _StripTable(dict[int, int | str | None]):
    """fold's two last steps as one translation: drop combining marks, map letters.

    A mapping for :meth:`str.translate`, filled in as characters are met.
    """

    def __missing__(self, cp: int) -> int | str | None:
        to: int | str | None = None if unicodedata.combining(chr(cp)) else cp
        if to is not None:
            to = _LETTERS.get(cp, cp)
        self[cp] = to
        return to


_STRIP = _StripTable()


def fast_fold(name: str) -> str:
    """:func:`gazetteer.normalize.fold`, quicker (one translation instead of a loop).

    >>> fast_fold("Tall al-'Amārah") == normalize.fold("Tall al-'Amārah")
    True
    """
    if name.isascii():  # NFKC, NFKD, casefold and the letter table leave ASCII as lower()
        if "'" in name or "`" in name:
            name = name.replace("'", "").replace("`", "")
        lowered = name.lower()
        if lowered.isalpha():  # one word: most names
            return lowered
        return _words(lowered)
    text = normalize._MARKS.sub("", unicodedata.normalize("NFKC", name))
    return _words(unicodedata.normalize("NFKD", text.casefold()).translate(_STRIP))


def _words(text: str) -> str:
    """The words of a text (letters and digits), one space apart."""
    if text.replace(" ", "").isalnum():  # words and spaces only: what the pattern finds
        return " ".join(text.split())
    return " ".join(_WORDS.findall(text))


class NameKeys:
    """``(folded, key, hint)`` of names, equal to :func:`fold` and :func:`parse_name`."""

    def __init__(self, remember: int = _MAX_REMEMBERED) -> None:
        self.remember = max(1, remember)
        self._words: dict[str, str] = {}
        self._keys: dict[str, tuple[str, str]] = {}
        self._names: dict[str, tuple[str, str, str]] = {}

    def _word(self, token: str) -> str:
        words = self._words
        if len(words) >= self.remember:
            words.clear()
        key = words[token] = _token_key(token)
        return key

    def key_of_folded(self, folded: str) -> tuple[str, str]:
        """The key and hint ("" for none) of a name given its folded form.

        Most names need no rule beyond the folding: their key is their folded form (the
        same string). The others' keys are remembered.
        """
        if " " not in folded:  # one word
            if folded not in _NOTABLE and _MAY_CHANGE.search(folded) is None:
                return folded, ""
        elif _MAY_CHANGE.search(folded) is None and _NOTABLE.isdisjoint(folded.split()):
            return folded, ""
        found = self._keys.get(folded)
        if found is None:
            found = self._key_by_words(folded, folded.split())
            if len(self._keys) >= self.remember:
                self._keys.clear()
            self._keys[folded] = found
        return found

    def _key_by_words(self, folded: str, tokens: list[str]) -> tuple[str, str]:
        """:func:`parse_name` of a folded name, its words keyed one by one if need be."""
        if folded.isascii() and not folded.endswith("h") and "h " not in folded:
            # doubled letters, likely the only rule left: undoubled all at once
            undoubled = _REPEATS.sub(_FIRST, folded)
            if _SPECIAL_OR_AIN.isdisjoint(tokens) and _SPECIAL_OR_AIN.isdisjoint(undoubled.split()):
                return undoubled, ""
        get = self._words.get
        tokens = [
            t if _MAY_CHANGE.search(t) is None and t not in _AIN else get(t) or self._word(t)
            for t in tokens
        ]
        if tokens and not _ARTICLES.isdisjoint(tokens):
            tokens = [t for t in tokens if t not in _ARTICLES] or tokens
        if tokens and (tokens[0] in _HEAD or tokens[-1] in _TAIL):
            key, hint = parse_name(folded)  # a generic word: the full rules
            return key, hint or ""
        return " ".join(tokens), ""

    def __call__(self, name: str) -> tuple[str, str, str]:
        """Folded form, key and hint of ``name``."""
        found = self._names.get(name)
        if found is None:
            folded = fast_fold(name)
            found = (folded, *self.key_of_folded(folded))
            if len(self._names) >= self.remember:
                self._names.clear()
            self._names[name] = found
        return found

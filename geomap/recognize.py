"""Recognition: find the spans of a text that name places, offline and fast.

Candidate spans come from the gazetteer's own names. Every normalised name key (and each
of its word prefixes) sits in one hash table; from each capitalised word the recogniser
extends a span word by word while the span's key is still a prefix of some name, and keeps
the longest span that is a whole name (so "Ain al-Asad airbase" wins over "Ain"). Spans
are then filtered by rules that need no model:

- capitalisation: a span starts with a capital (or Arabic script, or a lowercase article
  joined by a hyphen, "al-Baghdadi");
- a stop list of words that name places somewhere but rarely in news (months, titles,
  pronouns; ``geomap/data/stopnames.txt``);
- common words: a single word that is also a frequent English word (wordfreq) must name a
  prominent place or follow a cue ("in", "near", "north of") to count;
- people and organisations: a span inside a known actor's name
  (``geomap/data/actors.txt``: "Islamic Resistance in Iraq", "The National") or right after
  a capitalised name ("Haider Al-Lami") is not a place.

Demonyms and adjectives ("Iraqi", "Syrian") are found by the same walk from
``geomap/data/demonyms.csv`` and reported as their own kind.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from gazetteer.normalize import GENERIC_WORDS, fold, normalize_name
from geomap._text import Token, sentence_spans, tokenize

__all__ = ["CUE_WORDS", "Recognizer", "Span"]

_MAX_WORDS = 7
_JOINERS = frozenset({" ", "-", "'", "’", "‘", "ʿ", "`", "–"})
# Lowercase words allowed inside a name (not at its start, not at its end).
_INNER_LOWER = frozenset(
    "al el ad ar as at az an ash adh ath ed er es ez ul un bin ibn bint abu umm "
    "de del della di da do dos das du des la le les los las van von der den y e "
    "of on upon the and sur am im".split()
)
# Articles that may open a name when joined to the next word by a hyphen.
_LEADING_ARTICLES = frozenset("al el ad ar as at az an ash ad".split())
_LEADING_GENERIC = frozenset(
    w for phrase in GENERIC_WORDS for w in phrase.split()[:1] if w in ("camp", "base", "province")
)
_GENERIC_TOKENS = frozenset(w for phrase in GENERIC_WORDS for w in phrase.split())

#: Words right before a span that make it a place: "in Hit", "near Balad", "north of Baghdad".
CUE_WORDS = frozenset(
    "in near at into from outside across around toward towards to via through inside "
    "province governorate city town village district region of".split()
)
_COMMON_WORD_ZIPF = 4.3  # wordfreq Zipf frequency from which a word is "common"
_PROMINENT = 0.8  # a common word names a place only if the place is this prominent


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of text that may name a place (or be a demonym)."""

    start: int
    end: int
    surface: str
    key: str
    sentence: tuple[int, int]
    kind: str = "place"
    country: str = ""  # demonyms: the country they point at
    sentence_initial: bool = False
    cue: str = ""  # the cue word right before, lowercased
    common_word: bool = False  # one word that is also a frequent English word


def _data(name: str) -> str:
    return (resources.files("geomap") / "data" / name).read_text(encoding="utf-8")


def _lines(name: str) -> list[str]:
    return [s.strip() for s in _data(name).splitlines() if s.strip() and not s.startswith("#")]


class Recognizer:
    """Finds place-name spans using the name keys of a gazetteer.

    Parameters
    ----------
    keys
        The normalised name keys the gazetteer knows (``Gazetteer.name_keys()``).
    """

    def __init__(self, keys: Iterable[str], abbreviations: Iterable[str] = ()) -> None:
        table: dict[str, bool] = {}
        for key in keys:
            table[key] = True
            words = key.split(" ")
            for i in range(1, len(words)):
                table.setdefault(" ".join(words[:i]), False)
        self._table = table
        self._abbreviations = frozenset(abbreviations)
        self._stop = frozenset(fold(s) for s in _lines("stopnames.txt"))
        self._actors = [fold(a) for a in _lines("actors.txt")]
        rows = csv.DictReader(_data("demonyms.csv").splitlines())
        self._demonyms = {r["demonym"]: r["country"] for r in rows}
        for word in list(self._demonyms):  # plural forms: "Iraqis", "Syrians"
            if not word.endswith(("s", "sh", "ch", "ese")):
                self._demonyms.setdefault(word + "s", self._demonyms[word])
        self._key_cache: dict[str, str] = {}
        self._common_cache: dict[str, bool] = {}

    def _key(self, surface: str) -> str:
        key = self._key_cache.get(surface)
        if key is None:
            if len(self._key_cache) > 200_000:
                self._key_cache.clear()
            key = self._key_cache[surface] = normalize_name(surface)
        return key

    def _common(self, word: str) -> bool:
        value = self._common_cache.get(word)
        if value is None:
            from wordfreq import zipf_frequency

            value = zipf_frequency(word, "en") >= _COMMON_WORD_ZIPF
            self._common_cache[word] = value
        return value

    @staticmethod
    def _may_start(tokens: list[Token], i: int, text: str) -> bool:
        tok = tokens[i]
        if tok.capitalised:
            return True
        value = tok.value.lower()
        if value in _LEADING_ARTICLES and i + 1 < len(tokens):
            nxt = tokens[i + 1]
            return text[tok.end : nxt.start] == "-" and nxt.capitalised
        return False

    def _longest(self, tokens: list[Token], i: int, text: str) -> int:
        """Index of the last token of the longest name starting at token ``i``, or -1."""
        best = -1
        start = tokens[i].start
        for j in range(i, min(i + _MAX_WORDS, len(tokens))):
            tok = tokens[j]
            if j > i:
                if text[tokens[j - 1].end : tok.start] not in _JOINERS:
                    break
                if (
                    tok.value[0].islower()
                    and tok.value.lower() not in _INNER_LOWER | _GENERIC_TOKENS
                ):
                    break
            known = self._table.get(self._key(text[start : tok.end]))
            lower = tok.value.lower()
            if known and not (j > i and lower in _INNER_LOWER):
                best = j
            elif known is None and lower not in _GENERIC_TOKENS and lower not in _INNER_LOWER:
                if not (j == i and lower in _LEADING_GENERIC):
                    break
        return best

    def _demonym(self, tokens: list[Token], i: int, text: str) -> tuple[int, str] | None:
        tok = tokens[i]
        if i + 1 < len(tokens) and text[tok.end : tokens[i + 1].start] == " ":
            two = f"{tok.value} {tokens[i + 1].value}"
            if two in self._demonyms:
                return i + 1, self._demonyms[two]
        country = self._demonyms.get(tok.value)
        return (i, country) if country else None

    def _masked(self, text: str) -> list[tuple[int, int]]:
        """Offsets of actor names: spans inside them are not places."""
        folded = text.lower()
        spans = []
        for actor in self._actors:
            for m in re.finditer(r"\b" + re.escape(actor) + r"\b", folded):
                spans.append((m.start(), m.end()))
        return spans

    def find(self, text: str) -> list[Span]:
        """Candidate place-name and demonym spans of ``text``, in text order."""
        sentences = sentence_spans(text)
        tokens = tokenize(text, sentences)
        masked = self._masked(text) if any(c.isupper() for c in text[:100_000]) else []
        sentence_of = _sentence_lookup(sentences)
        spans: list[Span] = []
        people: set[str] = set()
        i = 0
        while i < len(tokens):
            if not self._may_start(tokens, i, text) or fold(tokens[i].value) in self._stop:
                i += 1
                continue
            end = self._longest(tokens, i, text)
            demonym = self._demonym(tokens, i, text)
            if demonym and demonym[0] >= end:
                j, country = demonym
                s, e = tokens[i].start, tokens[j].end
                spans.append(Span(s, e, text[s:e], "", sentence_of(s), "demonym", country))
                i = j + 1
                continue
            if end < 0:
                i += 1
                continue
            if i > 0 and _person_before(tokens, i, text, self):
                people.add(fold(text[tokens[i].start : tokens[end].end]))
                i = end + 1
                continue
            span = self._span(tokens, i, end, text, sentence_of)
            if span is not None and not any(a <= span.start and span.end <= b for a, b in masked):
                spans.append(span)
            i = end + 1
        # A name once seen as a person's ("Haider Al-Lami") is a person's all through the text.
        return [s for s in spans if fold(s.surface) not in people]

    def _span(
        self, tokens: list[Token], i: int, j: int, text: str, sentence_of: _SentenceOf
    ) -> Span | None:
        s, e = tokens[i].start, tokens[j].end
        if text[e : e + 1] == "." and text[s : e + 1] in self._abbreviations:
            e += 1  # "Ky." and "Calif." keep their period
        surface = text[s:e]
        folded = fold(surface)
        if folded in self._stop:
            return None
        key = self._key(surface)
        prev = tokens[i - 1].value.lower() if i > 0 else ""
        if i > 0 and text[tokens[i - 1].end : s] not in (" ", "\n") and prev != "of":
            prev = ""
        common = i == j and self._common(folded)
        return Span(
            s,
            e,
            surface,
            key,
            sentence_of(s),
            sentence_initial=tokens[i].sentence_start,
            cue=prev if prev in CUE_WORDS else "",
            common_word=common,
        )


class _SentenceOf:
    def __init__(self, sentences: list[tuple[int, int]]) -> None:
        self.sentences = sentences or [(0, 0)]
        self.pos = 0

    def __call__(self, offset: int) -> tuple[int, int]:
        # Offsets arrive in increasing order: walk forward.
        while self.pos + 1 < len(self.sentences) and self.sentences[self.pos][1] <= offset:
            self.pos += 1
        return self.sentences[self.pos]


def _sentence_lookup(sentences: list[tuple[int, int]]) -> _SentenceOf:
    return _SentenceOf(sentences)


def _person_before(tokens: list[Token], i: int, text: str, rec: Recognizer) -> bool:
    """True when the span continues a capitalised name: "Haider Al-Lami", "Thabit Al-Abbasi".

    The word before must be capitalised, joined by one space, not itself (part of) a place
    or a demonym, and not a common word opening a sentence ("Former New York ...").
    """
    prev = tokens[i - 1]
    if _after_title(tokens, i, text):
        return True
    if not prev.capitalised or text[prev.end : tokens[i].start] != " ":
        return False
    if (
        prev.value in rec._demonyms
        or (rec._table.get(rec._key(prev.value))
        and not prev.sentence_start)
    ):
        return False
    if "." in prev.value or prev.value.isupper():  # "U.S." or "UN" before a place
        return False
    if prev.sentence_start and rec._common(prev.value.lower()):
        return False
    if fold(prev.value) in rec._stop:  # titles: "President", "Gen" stay out of the way
        return False
    # A lone lowercase article joins a surname ("Al-Lami"): the strongest sign of a person.
    following = tokens[i].value.lower()
    return following in _LEADING_ARTICLES or not rec._common(prev.value.lower())


_TITLES = frozenset(
    "mr mrs ms dr sir col gen lt sgt capt maj cmdr adm gov sen rep president minister premier "
    "governor senator general colonel captain sergeant commander spokesman spokeswoman "
    "spokesperson chief mayor sheikh imam ayatollah king queen prince judge".split()
)


def _after_title(tokens: list[Token], i: int, text: str) -> bool:
    """True when one to three capitalised words after a title lead to the span ("Col. Wayne")."""
    j = i - 1
    while j >= 0 and i - j <= 3:
        tok = tokens[j]
        gap = text[tok.end : tokens[j + 1].start]
        if gap not in (" ", ". "):
            return False
        if tok.value.lower() in _TITLES:
            return True
        if not tok.capitalised:
            return False
        j -= 1
    return False

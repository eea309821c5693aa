"""Tokens and sentences with their offsets: the shared text utilities of the geoparser."""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

__all__ = ["Token", "sentence_spans", "tokenize"]

# Abbreviations with inner dots ("U.S.", "D.C.", "B.C.") are one token; other tokens are
# runs of letters and digits, an inner apostrophe of a transliterated name included
# ("Sana'a", "Samarr'a", "Ma'rib"), but not an English clitic ("Iraq's", "don't").
_TOKEN = re.compile(
    r"(?:[^\W\d_]\.){2,}"
    r"|[^\W_]+(?:['’](?!(?:s|t|d|m|ll|re|ve)(?![^\W_]))[^\W\d_]{1,8}(?![^\W_]))?"
)
# A run of end marks is tried from its first mark only, so that a long run ("......") is
# read once, not once per mark (report text is hostile: every pattern here runs in linear time).
_SENTENCE_END = re.compile(r"(?<![.!?])[.!?]++[\"'”’)\]]*+(?=\s+[\"'“‘(\[]?[^\W\d_])|\n\s*\n|\n")
# Words after which a period does not end a sentence.
_NO_BREAK = frozenset(
    "mr mrs ms dr st gen col lt sgt capt gov sen rep maj cmdr adm prof jr sr no vs inc corp co"
    " ltd jan feb mar apr jun jul aug sep sept oct nov dec mt ft".split()
)


class Token(NamedTuple):
    """A word of the text: ``text[start:end] == value``."""

    start: int
    end: int
    value: str
    sentence_start: bool  # first word of its sentence
    capitalised: bool  # starts with a capital letter, or is in Arabic script


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence boundaries as (start, end) offsets, covering every non-blank stretch."""
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group().startswith("."):
            before = text[max(0, m.start() - 6) : m.start()]
            word = re.split(r"[^\w.]", before)[-1].lower()
            if word in _NO_BREAK or (re.fullmatch(r"(?:\w\.)*\w", word) and len(word) <= 1):
                continue
            if re.fullmatch(r"(?:[^\W\d_]\.)+[^\W\d_]", word):  # "U.S." at a period
                continue
        end = m.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def tokenize(text: str, sentences: list[tuple[int, int]] | None = None) -> list[Token]:
    """The words of ``text`` with offsets, each marked when it opens a sentence."""
    sentences = sentences if sentences is not None else sentence_spans(text)
    matches = list(_TOKEN.finditer(text))
    positions = [m.start() for m in matches]
    firsts = set()
    for s, _ in sentences:  # the first word at or after each sentence start opens it
        k = bisect.bisect_left(positions, s)
        if k < len(positions):
            firsts.add(positions[k])
    # The geoparser's hottest loop: tuples made directly, without NamedTuple's keyword
    # handling, are the same Tokens at about half the cost.
    make = tuple.__new__
    tokens = []
    for m in matches:
        word, start = m.group(), m.start()
        first = word[0]
        capital = first.isupper() or "\u0600" <= first <= "\u06ff"  # Arabic script counts
        tokens.append(make(Token, (start, m.end(), word, start in firsts, capital)))
    return tokens

"""Places the gazetteer does not list, placed by what the report says around them.

Two fallbacks for the resolution stage, both marked as approximate in the mention:

- ``in_parent``: a name with an explicit parent whose readings all lie outside that parent
  ("Holliday, Missouri", where the gazetteer knows only Holiday, Florida) is placed at the
  parent, not at a namesake elsewhere;
- ``in_locality``: a span the caller gave that the gazetteer cannot read ("Thomas Memorial
  Hospital", "Stoke Newington"), or reads only as a small town abroad, is placed at the
  locality the report puts it in: the place named right after it ("University Hospital in
  Columbia", "the Coptic Orthodox Church of Alexandria"), else, for a building or street,
  the last town or district named before it, and for any other name, one named in its own
  sentence or the one before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from gazetteer import Candidate
from geomap.geoparser.recognize import Span
from geomap.geoparser.text import sentence_spans
from geomap.geoparser.words import word_list

__all__ = ["FACILITY_WORDS", "in_locality", "in_parent"]

#: Words that make a name a building, site or street: such a name lies inside a town.
FACILITY_WORDS = word_list("facility_words")
_WORD = re.compile(r"[A-Za-z]+")
_OF = re.compile(r"^\s+of\s+(?:the\s+)?$")  # "the Coptic Orthodox Church of Alexandria"
_NOT_A_LOCALITY = ("continent", "country", "region", "admin1")


def _is_facility(surface: str) -> bool:
    return any(w.lower() in FACILITY_WORDS for w in _WORD.findall(surface))


def _approximate(c: Candidate, reason: str, score: float) -> Candidate:
    return replace(c, score=round(min(score, c.score), 4), why=(*c.why, reason))


def in_parent(surface: str, parent: Candidate) -> Candidate:
    """``parent`` as the reading of a name none of whose readings lie inside it."""
    reason = f"{surface!r} is not in the gazetteer under {parent.name}: placed at {parent.name}"
    return _approximate(parent, reason, parent.score)


def in_locality(
    span: Span,
    text: str,
    placed: Sequence[tuple[Span, Candidate]],
    parent_gap: re.Pattern[str],
    scores: tuple[float, float] = (0.5, 0.4),
) -> Candidate | None:
    """The locality a name the gazetteer lacks lies in, from the places around it.

    ``placed`` is the document's resolved place spans with their readings, in text order;
    ``scores`` caps the score of a placement at the place named right after the name, and
    at the last locality named before it (``Weights.locality_after``, ``locality_before``).
    """
    after = [(s, c) for s, c in placed if s.start >= span.end]
    gap = text[span.end : after[0][0].start] if after else ""
    if after and (parent_gap.match(gap) or _OF.match(gap)):
        s, c = after[0]
        reason = f"{span.surface!r} is not in the gazetteer: placed in {c.name}, named after it"
        return _approximate(c, reason, scores[0])
    before = [(s, c) for s, c in placed if s.end <= span.start and c.feature not in _NOT_A_LOCALITY]
    if not before:
        return None
    s, c = before[-1]
    if not _is_facility(span.surface) and s.sentence[0] < _previous_sentence(span, text):
        return None
    reason = (
        f"{span.surface!r} is not in the gazetteer: placed in {c.name}, "
        "the last locality named before it"
    )
    return _approximate(c, reason, scores[1])


def _previous_sentence(span: Span, text: str) -> int:
    """Where the sentence before ``span``'s starts (its own, if it is the first)."""
    starts = [start for start, _ in sentence_spans(text) if start < span.sentence[0]]
    return starts[-1] if starts else span.sentence[0]

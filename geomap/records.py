"""Records that flow between the pipeline's stages."""

from __future__ import annotations

from dataclasses import dataclass, field

from gazetteer.records import Candidate

__all__ = ["MENTION_KINDS", "Mention"]

#: "place" is a place name; "demonym" an adjective or demonym ("Iraqi") pointing at a country.
MENTION_KINDS: tuple[str, ...] = ("place", "demonym")


@dataclass(frozen=True, slots=True)
class Mention:
    """A place name found in a text, with the place it was resolved to.

    ``start`` and ``end`` are Python string offsets: ``text[start:end] == surface``.
    ``place`` is None when no candidate was good enough ("no match" is a valid answer);
    ``alternatives`` keeps the other candidates considered, best first, and ``decision``
    names the disambiguation pass that picked ``place``.
    """

    start: int
    end: int
    surface: str
    sentence: tuple[int, int]
    kind: str = "place"
    place: Candidate | None = None
    score: float = 0.0
    alternatives: tuple[Candidate, ...] = field(default_factory=tuple)
    decision: str = ""
    relation: str = ""  # "south of", "20 km north of": the mention is a reference point
    country: str = ""  # for demonyms: the ISO code of the country they point at

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            msg = f"mention offsets must satisfy 0 <= start <= end, got {self.start}, {self.end}"
            raise ValueError(msg)
        if self.kind not in MENTION_KINDS:
            msg = f"unknown mention kind {self.kind!r}; valid kinds are {', '.join(MENTION_KINDS)}"
            raise ValueError(msg)

    @property
    def resolved(self) -> bool:
        return self.place is not None

"""The geoparser's word lists, read from ``geomap/data/geoparser_words.txt``.

Each list is a section of that file (``[titles]``, ``[street_words]`` ...) with a line saying
what it is for; the code names a list and gets a frozen set of its words.

>>> "president" in word_list("titles")
True
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["word_list", "word_lists"]


@cache
def word_lists() -> dict[str, frozenset[str]]:
    """Every list of the file, by name."""
    text = (resources.files("geomap") / "data" / "geoparser_words.txt").read_text(encoding="utf-8")
    lists: dict[str, set[str]] = {}
    current: set[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = lists.setdefault(line[1:-1], set())
        elif current is not None:
            current.update(line.split())
    return {name: frozenset(words) for name, words in lists.items()}


def word_list(name: str) -> frozenset[str]:
    """The words of one list; a name the file lacks is an error that names the valid ones."""
    lists = word_lists()
    if name not in lists:
        msg = f"no word list {name!r} in geoparser_words.txt; the lists are: {', '.join(lists)}"
        raise KeyError(msg)
    return lists[name]

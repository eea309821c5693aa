"""The geoparser's rules as named objects: one signature, one counter, switchable by name.

Every recognition filter (``geomap.geoparser.recognize.RECOGNITION_RULES``) and every
resolution rule (``geomap.geoparser.resolve.RESOLUTION_RULES``) is a :class:`Rule`: a name, a
one-line description and a function of the document's state that returns how many decisions
it made. The stage iterates its tuple in order, skips the rules it is told to leave out
(``geoparse(text, without={"proximity"})``, ``geomap eval geoparse --without proximity``) and
counts what each one did in a :class:`RuleCounter`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["Rule", "RuleCounter", "check_rule_names"]

DocT = TypeVar("DocT")


class RuleCounter(Counter[str]):
    """How many decisions each rule made (a mention placed, a span dropped or kept)."""


@dataclass(frozen=True, slots=True)
class Rule(Generic[DocT]):
    """A named rule of one stage.

    ``run(doc)`` changes the stage's document state and returns how many decisions it
    made; :meth:`apply` runs it and counts them under the rule's name.
    """

    name: str
    stage: str  # "recognition" or "resolution"
    description: str
    run: Callable[[DocT], int]

    def apply(self, doc: DocT, counter: RuleCounter) -> int:
        fired = self.run(doc)
        if fired:
            counter[self.name] += fired
        return fired


def check_rule_names(names: Iterable[str], known: Iterable[str]) -> frozenset[str]:
    """``names`` as a set, after checking that every one is a rule's name.

    >>> sorted(check_rule_names(["a"], ["a", "b"]))
    ['a']
    """
    wanted, valid = frozenset(names), frozenset(known)
    unknown = sorted(wanted - valid)
    if unknown:
        msg = (
            f"unknown geoparser rule {', '.join(map(repr, unknown))}; "
            f"the rules are: {', '.join(sorted(valid))}"
        )
        raise ValueError(msg)
    return wanted

"""What each geoparser rule does to the scores: fired, fixed and broken, by ablation.

The corpus is run once with every rule and once more without each rule in turn. Every
decision the scores rest on is compared between the two runs:

- each gold place name: right when it is found (end to end) and placed within
  ``ACCURACY_KM`` (161 km) of the gold point (a gold name without coordinates: when found);
- each predicted place name that matches no gold one: wrong (a false place).

A rule *fixed* a decision that is right with it and wrong without it (a gold name it placed
right, a false place it dropped), and *broke* one that is wrong with it and right without
it. A rule that breaks more than it fixes is a candidate to delete.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from geomap.evaluate.geoparse import (
    ACCURACY_KM,
    GoldDocument,
    MentionLike,
    error_km,
    match_spans,
)

__all__ = ["RuleEffect", "decision_outcomes", "format_rules_report", "rules_report"]

#: A decision's key: (document id, "gold" or "false", start, end).
Key = tuple[str, str, int, int]
#: A run of the geoparser on one document, with the rules left out and a counter to fill.
Runner = Callable[[GoldDocument, frozenset[str], Any], Sequence[MentionLike]]


@dataclass(frozen=True, slots=True)
class RuleEffect:
    """One rule's effect on a corpus."""

    name: str
    stage: str
    description: str
    fired: int  # decisions the rule made, with every rule on
    fixed: int  # right with the rule, wrong without it
    broke: int  # wrong with the rule, right without it

    @property
    def net(self) -> int:
        return self.fixed - self.broke


def decision_outcomes(
    doc: GoldDocument, predicted: Sequence[MentionLike], *, gold_spans: bool
) -> dict[Key, bool]:
    """Each decision of one document and whether it was right (see the module's doc)."""
    out: dict[Key, bool] = {}
    if gold_spans:  # one mention per gold span, in order
        for gold, mention in zip(doc.toponyms, predicted, strict=True):
            if gold.has_coordinates:
                right = error_km(gold, mention.place) < ACCURACY_KM
                out[(doc.id, "gold", gold.start, gold.end)] = right
        return out
    pairs = dict(match_spans(doc.toponyms, predicted))
    matched = set(pairs.values())
    for i, gold in enumerate(doc.toponyms):
        j = pairs.get(i)
        right = j is not None and (
            not gold.has_coordinates or error_km(gold, predicted[j].place) < ACCURACY_KM
        )
        out[(doc.id, "gold", gold.start, gold.end)] = right
    for j, m in enumerate(predicted):
        if m.kind == "place" and j not in matched:
            out[(doc.id, "false", m.start, m.end)] = False
    return out


def _outcomes(
    docs: Sequence[GoldDocument], run: Runner, without: frozenset[str], counter: Any, gold: bool
) -> dict[Key, bool]:
    out: dict[Key, bool] = {}
    for doc in docs:
        out.update(decision_outcomes(doc, run(doc, without, counter), gold_spans=gold))
    return out


def rules_report(
    docs: Sequence[GoldDocument],
    run: Runner,
    rules: Iterable[tuple[str, str, str]],
    *,
    gold_spans: bool = False,
    counter_factory: Callable[[], Any],
    base_without: Collection[str] = (),
) -> list[RuleEffect]:
    """Each rule's fired, fixed and broke counts on ``docs``, by one run without it.

    ``rules`` are (name, stage, description); ``run(doc, without, counter)`` geoparses one
    document leaving out the rules named in ``without``; ``base_without`` are left out of
    every run (``--without``).
    """
    base = frozenset(base_without)
    counts = counter_factory()
    full = _outcomes(docs, run, base, counts, gold_spans)
    effects = []
    for name, stage, description in rules:
        if name in base:
            continue
        ablated = _outcomes(docs, run, base | {name}, counter_factory(), gold_spans)
        keys = full.keys() | ablated.keys()
        # a false place absent from a run was not made: right
        fixed = sum(1 for k in keys if full.get(k, True) and not ablated.get(k, True))
        broke = sum(1 for k in keys if not full.get(k, True) and ablated.get(k, True))
        effects.append(RuleEffect(name, stage, description, counts[name], fixed, broke))
    return effects


def format_rules_report(effects: Sequence[RuleEffect]) -> str:
    """The report as a Markdown table, in the order the rules run."""
    lines = [
        "| rule | stage | fired | fixed | broke | net | what it does |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for e in effects:
        flag = " **(breaks more than it fixes)**" if e.net < 0 else ""
        lines.append(
            f"| {e.name} | {e.stage} | {e.fired} | {e.fixed} | {e.broke} | {e.net:+d} | "
            f"{e.description}{flag} |"
        )
    return "\n".join(lines)

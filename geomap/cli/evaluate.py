"""``geomap eval``: scores against gold data."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import click

from geomap.cli._base import (
    _CONTEXT,
    _Group,
    cli,
)
from geomap.records import Mention

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

__all__ = ["eval_group"]


@cli.group(cls=_Group, context_settings=_CONTEXT, name="eval")
def eval_group() -> None:
    """Measure the geoparser against a gold corpus.

    \b
    Example:
        geomap eval geoparse corpus.jsonl
    """


@eval_group.command(name="geoparse", context_settings=_CONTEXT)
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--gold-spans", is_flag=True, help="Resolve the gold spans: score resolution alone.")
@click.option(
    "--demonyms/--no-demonyms",
    default=True,
    show_default=True,
    help='Count demonyms ("Iraqi") as place names pointing at their country, as corpora '
    "that annotate them (TR-News) expect.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def eval_geoparse(corpus: Path, gold_spans: bool, demonyms: bool, as_json: bool) -> None:
    """Score recognition (P, R, F1) and resolution (error km, accuracy@161km, AUC).

    CORPUS is JSON Lines: {"id", "text", "toponyms": [{"start", "end", "name", "lat",
    "lon"}]}; the metrics are those of the published geoparser comparisons.

    \b
    Examples:
        geomap eval geoparse trnews.jsonl
        geomap eval geoparse trnews.jsonl --gold-spans --json
    """
    from dataclasses import replace

    from geomap.evaluate.geoparse import (
        evaluate_geoparse,
        evaluate_resolution,
        format_report,
        load_corpus,
    )
    from geomap.geoparser.parse import default_gazetteer, geoparse
    from geomap.geoparser.resolve import PassCounter

    docs = load_corpus(corpus)
    gaz = default_gazetteer()
    counter = PassCounter()

    def as_places(mentions: list[Mention]) -> list[Mention]:
        if not demonyms:
            return mentions
        return [replace(m, kind="place") if m.kind == "demonym" else m for m in mentions]

    if gold_spans:
        report = evaluate_resolution(
            docs,
            lambda text, spans: geoparse(text, gazetteer=gaz, spans=spans, counter=counter),
        )
    else:
        report = evaluate_geoparse(
            docs, lambda text: as_places(geoparse(text, gazetteer=gaz, counter=counter))
        )
    if as_json:
        data = report.to_dict()
        data["passes"] = dict(counter)
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(format_report(report))
    click.echo("decided by: " + ", ".join(f"{k} {v}" for k, v in counter.most_common()))

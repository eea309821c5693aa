"""``geomap eval``: scores against gold data."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from geomap.cli._base import (
    _CONTEXT,
    _DAYFIRST_OPTION,
    _FOCUS_OPTION,
    InputFile,
    _Group,
    cli,
    open_gazetteer,
)
from geomap.records import Mention

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

__all__ = ["eval_group"]


@cli.group(cls=_Group, context_settings=_CONTEXT, name="eval")
def eval_group() -> None:
    """Measure the geoparser against a gold corpus, or incidents against coded events.

    \b
    Example:
        geomap eval geoparse corpus.jsonl
    """


def _rule_list(value: str | None) -> frozenset[str]:
    from geomap.geoparser.parse import RULE_NAMES
    from geomap.geoparser.rules import check_rule_names

    names = [n.strip() for n in (value or "").split(",") if n.strip()]
    try:
        return check_rule_names(names, RULE_NAMES)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--without") from e


@eval_group.command(name="geoparse", context_settings=_CONTEXT)
@click.argument("corpus", type=InputFile())
@click.option("--gold-spans", is_flag=True, help="Resolve the gold spans: score resolution alone.")
@click.option(
    "--demonyms/--no-demonyms",
    default=True,
    show_default=True,
    help='Count demonyms ("Iraqi") as place names pointing at their country, as corpora '
    "that annotate them (TR-News) expect.",
)
@click.option(
    "--without",
    metavar="RULE[,RULE]",
    help="Leave these geoparser rules out (names as in --rules-report).",
)
@click.option(
    "--rules-report",
    is_flag=True,
    help="For each rule: how often it fired, and how many decisions it turned from wrong to "
    "right and from right to wrong against the gold (one run without each rule).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def eval_geoparse(
    corpus: Path,
    gold_spans: bool,
    demonyms: bool,
    without: str | None,
    rules_report: bool,
    as_json: bool,
) -> None:
    """Score recognition (P, R, F1) and resolution (error km, accuracy@161km, AUC).

    CORPUS is JSON Lines: {"id", "text", "toponyms": [{"start", "end", "name", "lat",
    "lon"}]}; the metrics are those of the published geoparser comparisons.

    \b
    Examples:
        geomap eval geoparse trnews.jsonl
        geomap eval geoparse trnews.jsonl --gold-spans --json
        geomap eval geoparse trnews.jsonl --without proximity,coherence
        geomap eval geoparse trnews.jsonl --rules-report
    """
    from dataclasses import replace

    from geomap.evaluate.geoparse import (
        GoldDocument,
        evaluate_geoparse,
        evaluate_resolution,
        format_report,
        load_corpus,
    )
    from geomap.geoparser.parse import RULES, geoparse
    from geomap.geoparser.resolve import PassCounter

    off = _rule_list(without)
    docs = load_corpus(corpus)
    gaz = open_gazetteer()
    counter = PassCounter()

    def as_places(mentions: list[Mention]) -> list[Mention]:
        if not demonyms:
            return mentions
        return [replace(m, kind="place") if m.kind == "demonym" else m for m in mentions]

    def run(doc: GoldDocument, leave_out: frozenset[str], count: PassCounter) -> list[Mention]:
        if gold_spans:
            spans = [(t.start, t.end) for t in doc.toponyms]
            return geoparse(doc.text, gazetteer=gaz, spans=spans, counter=count, without=leave_out)
        return as_places(geoparse(doc.text, gazetteer=gaz, counter=count, without=leave_out))

    if rules_report:
        _print_rules_report(docs, run, [(r.name, r.stage, r.description) for r in RULES],
                            gold_spans=gold_spans, base=off, as_json=as_json)  # fmt: skip
        return
    if gold_spans:
        report = evaluate_resolution(
            docs,
            lambda text, spans: geoparse(
                text, gazetteer=gaz, spans=spans, counter=counter, without=off
            ),
        )
    else:
        report = evaluate_geoparse(
            docs,
            lambda text: as_places(geoparse(text, gazetteer=gaz, counter=counter, without=off)),
        )
    if as_json:
        data = report.to_dict()
        data["passes"] = dict(counter)  # by rule; the name it had when rules were passes
        data["without"] = sorted(off)
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(format_report(report))
    if off:
        click.echo("without: " + ", ".join(sorted(off)))
    click.echo("decided by: " + ", ".join(f"{k} {v}" for k, v in counter.most_common()))


def _print_rules_report(
    docs: Any,
    run: Any,
    rules: list[tuple[str, str, str]],
    *,
    gold_spans: bool,
    base: frozenset[str],
    as_json: bool,
) -> None:
    from geomap.evaluate.rules import format_rules_report, rules_report
    from geomap.geoparser.resolve import PassCounter

    effects = rules_report(
        docs, run, rules, gold_spans=gold_spans, counter_factory=PassCounter, base_without=base
    )
    if as_json:
        rows = [
            {
                "rule": e.name,
                "stage": e.stage,
                "fired": e.fired,
                "fixed": e.fixed,
                "broke": e.broke,
                "description": e.description,
            }
            for e in effects
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(format_rules_report(effects))


def _precisions(value: str | None) -> tuple[int, ...] | None:
    if value is None:
        return None
    try:
        return tuple(int(v) for v in value.split(",") if v.strip())
    except ValueError:
        msg = f"--where-prec {value!r} is not a list of numbers; write e.g. --where-prec 1,2"
        raise click.BadParameter(msg) from None


@eval_group.command(name="incidents", context_settings=_CONTEXT)
@click.argument("table", type=InputFile())
@click.option("--sample", type=click.IntRange(1), help="Score N rows drawn at random.")
@click.option("--seed", default=0, show_default=True, help="Seed of --sample's draw.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--errors",
    "errors_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write each failed row, with its text and error classes, to this JSON Lines file.",
)
@click.option(
    "--columns",
    metavar="MAP",
    help="How the table names its columns: text=...,date=...,lat=...,lon=...,killed=...",
)
@click.option(
    "--where-prec",
    metavar="N[,N]",
    help="Only rows whose coded point has one of these precisions (UCDP where_prec, "
    "ACLED geo_precision; 1 is the exact place).",
)
@click.option(
    "--names-place",
    is_flag=True,
    help="Only rows whose text names the coded place (its name, or a gazetteer name of a "
    "town or site within 25 km of the coded point).",
)
@_FOCUS_OPTION
@_DAYFIRST_OPTION
def eval_incidents(  # noqa: PLR0913 (one parameter per command-line option)
    table: Path,
    sample: int | None,
    seed: int,
    as_json: bool,
    errors_path: Path | None,
    columns: str | None,
    where_prec: str | None,
    names_place: bool,
    country: str | None,
    dayfirst: bool | None,
) -> None:
    """Score incidents against coded events: place, date, toll and type per row.

    TABLE is an ACLED export (notes, event_date, latitude, longitude, fatalities,
    sub_event_type ...), a UCDP GED table (source_headline, date_start, latitude,
    longitude, best, type_of_violence, where_prec ...) or any table --columns maps. Each
    row's text is a report published on the coded date; the first incident with a
    mappable point (else the first) is compared with the coded event.

    \b
    Examples:
        geomap eval incidents ged.csv --sample 500 --seed 1
        geomap eval incidents ged.csv --where-prec 1 --names-place --errors misses.jsonl
        geomap eval incidents mine.csv --columns text=Summary,date=Day,lat=Y,lon=X
    """
    from geomap.evaluate import incidents as ev

    loaded = ev.load_event_table(table, columns=columns)
    precisions = _precisions(where_prec)
    events = ev.filter_events(loaded.events, where_prec=precisions)
    filters = [f"{len(loaded.events):,} with a text ({loaded.without_text:,} without)"]
    if precisions is not None:
        filters.append(f"where_prec in {', '.join(map(str, precisions))}: {len(events):,}")
    gaz = open_gazetteer()
    if names_place:
        cache: dict[str, tuple[tuple[float, float], ...]] = {}
        events = [e for e in events if ev.names_place(e, gaz, cache=cache)]
        filters.append(f"text names the coded place: {len(events):,}")
    if sample is not None:
        events = ev.sample_events(events, sample, seed)
        filters.append(f"sample of {len(events):,} (seed {seed})")
    result = ev.evaluate_incidents(
        events,
        ev.run_pipeline(gaz, country_hint=country, dayfirst=dayfirst),
        table=str(table),
        layout=loaded.layout,
        filters=filters,
    )
    if errors_path is not None:
        written = ev.write_errors(result.results, errors_path)
        click.echo(f"wrote {written:,} failed rows to {errors_path}", err=True)
    for problem in loaded.skipped:
        click.echo(f"skipped: {problem}", err=True)
    if as_json:
        click.echo(json.dumps(result.report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(ev.format_incident_report(result.report))

"""``geomap incidents``: incidents of reports and tables, as a table."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from geomap.cli._base import (
    _CONTEXT,
    _DAYFIRST_OPTION,
    _FOCUS_OPTION,
    _PUBLISHED_OPTION,
    cli,
)

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

__all__ = ["incidents_command"]


@cli.command(name="incidents", context_settings=_CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "jsonl", "acled"]),
    default="table",
    show_default=True,
    help="A table, one JSON object per incident, or an ACLED-format CSV.",
)
@click.option(
    "--columns",
    metavar="MAP",
    help="How a table that is not ACLED's names its columns: date=Date,location=Town,...",
)
@_PUBLISHED_OPTION
@_DAYFIRST_OPTION
@_FOCUS_OPTION
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File.")
def incidents_command(
    paths: tuple[Path, ...],
    fmt: str,
    columns: str | None,
    published: Any,
    dayfirst: bool | None,
    country: str | None,
    output: Path | None,
) -> None:
    """Extract incidents from reports and incident tables (ACLED CSV, other CSV/XLSX).

    Prints the incidents, then a summary on stderr: reports read, reports with no
    incident, incidents without a mappable place, unresolved place names and skipped
    inputs (each with its file and line). The exit status is 1 when inputs were skipped.

    \b
    Examples:
        geomap incidents examples/reports
        geomap incidents acled_export.csv --format acled -o incidents.csv
        geomap incidents mine.csv --columns date=Date,location=Town,killed=Deaths
    """
    import dataclasses

    from geomap.acled import acled_csv
    from geomap.cli._base import open_gazetteer
    from geomap.exporters.bounds import check_point
    from geomap.pipeline import incidents_with_summary
    from geomap.readers.reports import read_reports

    result = read_reports(paths, columns=columns, check_point=check_point)
    with open_gazetteer() as gaz:
        run = incidents_with_summary(
            result,
            gazetteer=gaz,
            published=published.date() if published else None,
            country_hint=country,
            dayfirst=dayfirst,
        )
    lines: list[str] = []
    if fmt == "jsonl":
        for i in run.incidents:
            row = dataclasses.asdict(i)
            row["event_date"] = i.event_date.isoformat() if i.event_date else None
            lines.append(json.dumps(row, ensure_ascii=False))
    elif fmt == "acled":
        lines.append(acled_csv(run.incidents).rstrip("\n"))
    else:
        for i in run.incidents:
            when = i.event_date.isoformat() if i.event_date else f"({i.date_phrase or '?'})"
            where = i.location or "(no place)"
            lines.append(f"{when:12} {i.label:18} {where[:30]:30} {i.quote[:60]}")
    text = "\n".join(lines)
    if output is not None:
        output.write_text(text + "\n", encoding="utf-8")
    elif text:
        click.echo(text)
    s = run.summary
    click.echo(
        f"{s.reports_read} reports, {s.rows_read} table rows: {s.incidents} incidents "
        f"({s.incidents_merged} merged), {len(s.reports_without_incident)} reports without "
        f"an incident, {s.incidents_not_mappable} without a mappable place",
        err=True,
    )
    for name, count in s.unresolved_places:
        click.echo(f"unresolved place: {name} ({count})", err=True)
    for problem in result.skipped:
        click.echo(f"skipped: {problem}", err=True)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if result.skipped:
        sys.exit(1)

"""``geomap places``: every place name of reports, resolved."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from geomap.cli._base import (
    _CONTEXT,
    _FOCUS_OPTION,
    _PLACES_OPTION,
    _open,
    cli,
)
from geomap.readers.reports import Report
from geomap.records import Mention

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

__all__ = ["places"]


def _place_dict(m: Mention) -> dict[str, Any]:
    p = m.place
    return {
        "start": m.start,
        "end": m.end,
        "text": m.surface,
        "kind": m.kind,
        "name": p.name if p else None,
        "lat": p.lat if p else None,
        "lon": p.lon if p else None,
        "feature": p.feature if p else None,
        "country": p.country if p else None,
        "admin1": p.admin1 if p else None,
        "id": p.id if p else None,
        "score": m.score,
        "decision": str(m.decision),
        "relation": m.relation or None,
    }


@cli.command(context_settings=_CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "jsonl"]),
    default="table",
    show_default=True,
)
@_FOCUS_OPTION
@_PLACES_OPTION
def places(
    paths: tuple[Path, ...], fmt: str, country: str | None, places_files: tuple[Path, ...]
) -> None:
    """Find and resolve the place names of reports.

    PATHS are .txt or .md reports, folders of them, or .jsonl files with one
    {"id", "text", "published"} report per line. Inputs that cannot be read are named on
    stderr and the exit status is 1; the others are still processed.

    \b
    Examples:
        geomap places examples/reports
        geomap places corpus.jsonl --format jsonl > places.jsonl
    """
    from geomap.geoparser.parse import geoparse
    from geomap.readers.reports import read_reports

    result = read_reports(paths)
    with _open(places_files) as gaz:
        for report in result.reports:
            _print_places(report, geoparse(report.text, country_hint=country, gazetteer=gaz), fmt)
    for problem in result.skipped:
        click.echo(f"skipped: {problem}", err=True)
    if result.skipped:
        sys.exit(1)


def _print_places(report: Report, mentions: list[Mention], fmt: str) -> None:
    if fmt in ("json", "jsonl"):
        row = {"id": report.id, "places": [_place_dict(m) for m in mentions]}
        indent = 2 if fmt == "json" else None
        click.echo(json.dumps(row, ensure_ascii=False, indent=indent))
        return
    click.echo(click.style(f"{report.id}  ({report.path})", bold=True))
    for m in mentions:
        p = m.place
        where = (
            f"{p.name} [{p.feature}, {p.country}] {p.lat:.4f},{p.lon:.4f}" if p else "unresolved"
        )
        click.echo(f"  {m.start:>6}  {m.surface[:40]:40}  {where}  {m.decision!s}")

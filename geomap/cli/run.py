"""``geomap run``: the whole job, reports in, map and GIS files out."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from geomap.cli._base import (
    _CDN_OPTION,
    _CONTEXT,
    _DAYFIRST_OPTION,
    _FOCUS_OPTION,
    _PLACES_OPTION,
    _PUBLISHED_OPTION,
    _TILES_OPTION,
    cli,
)

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

__all__ = ["run_command"]


_RUN_STAGES = ("read", "gazetteer", "extract", "frame", "write", "map")


@cli.command(name="run", context_settings=_CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    default="outputs",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write to.",
)
@_PUBLISHED_OPTION
@_DAYFIRST_OPTION
@_FOCUS_OPTION
@_PLACES_OPTION
@click.option(
    "--boundaries",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Polygons with a name or ISO 3166-2 field: the map's regions as a choropleth.",
)
@_TILES_OPTION
@_CDN_OPTION
@click.option(
    "--formats",
    default="geojson,gpkg,csv",
    show_default=True,
    help="Incident files to write: geojson, gpkg, csv, kml, parquet, geojsonl.",
)
@click.option("--strict", is_flag=True, help="Stop at the first bad input and write nothing.")
@click.option("-q", "--quiet", "run_quiet", is_flag=True, help="No progress bar or summary.")
@click.option("-v", "--verbose", "run_verbose", is_flag=True, help="Log each stage.")
@click.pass_context
def run_command(  # noqa: PLR0913 (one parameter per command-line option)
    ctx: click.Context,
    paths: tuple[Path, ...],
    out_dir: Path,
    published: Any,
    dayfirst: bool | None,
    country: str | None,
    places_files: tuple[Path, ...],
    boundaries: Path | None,
    tiles: tuple[str, ...],
    cdn: bool,
    formats: str,
    strict: bool,
    run_quiet: bool,
    run_verbose: bool,
) -> None:
    """Run the whole job: reports in; incidents, places, a map and GIS files out.

    PATHS are reports (.txt, .md with YAML front matter, .jsonl), incident tables (.csv,
    .xlsx, ACLED exports recognised by their columns) and folders of them. Writes
    incidents.geojson/.gpkg/.csv, places.geojson, map.html and summary.json to the output
    folder. Inputs that cannot be read are skipped, named on stderr and in summary.json,
    and the exit status is 1; with --strict the run stops at the first and writes nothing.

    \b
    Examples:
        geomap run examples/reports -o outputs/
        geomap run reports/ acled.csv --country IQ --formats geojson,gpkg,kml
    """
    from geomap.pipeline import run

    quiet = run_quiet or bool(ctx.find_root().params.get("quiet"))
    if run_verbose:
        logging.getLogger().setLevel(logging.INFO)
    show = not quiet and sys.stderr.isatty()
    with click.progressbar(
        length=len(_RUN_STAGES), label="geomap run", file=sys.stderr, hidden=not show
    ) as bar:
        out = run(
            paths,
            out_dir,
            published=published.date() if published else None,
            country=country,
            places=places_files,
            boundaries=boundaries,
            tiles=tiles or None,
            cdn=cdn,
            formats=formats.split(","),
            strict=strict,
            progress=lambda stage: bar.update(1),
            dayfirst=dayfirst,
        )
    summary = out.summary
    if summary is None:  # unreachable: run always sets it
        return
    for path, line, why in summary.skipped:
        where = f"{path}, line {line}" if line else path
        click.echo(f"skipped: {where}: {why}", err=True)
    if not quiet:
        _echo_run_summary(out)
    if summary.skipped:
        sys.exit(1)


def _echo_run_summary(out: Any) -> None:
    s = out.summary
    click.echo(
        f"{s.reports_read} reports and {s.rows_read} table rows read; "
        f"{s.incidents} incidents ({s.incidents_merged} merged from {s.incidents_found} found), "
        f"{out.incidents_drawn} on the map, {s.incidents_not_mappable} without a mappable place"
    )
    if s.reports_without_incident:
        click.echo(f"reports without an incident: {', '.join(s.reports_without_incident)}")
    if s.unresolved_places:
        names = ", ".join(f"{n} ({c})" for n, c in s.unresolved_places[:10])
        more = len(s.unresolved_places) - 10
        click.echo(f"unresolved place names: {names}" + (f" and {more} more" if more > 0 else ""))
    timing = ", ".join(f"{k} {v:.1f} s" for k, v in out.seconds.items())
    click.echo(f"wrote {len(out.files)} files to {out.out_dir}/ ({timing})")

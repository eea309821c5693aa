"""``geomap run``: the whole job, reports in, map and GIS files out."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from geomap._errors import shown
from geomap.cli._base import (
    _CDN_OPTION,
    _CONTEXT,
    _DAYFIRST_OPTION,
    _FOCUS_OPTION,
    _PLACES_OPTION,
    _PUBLISHED_OPTION,
    _TILES_OPTION,
    InputFile,
    cli,
    open_gazetteer,
)

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

__all__ = ["run_command"]


_RUN_STAGES = ("read", "gazetteer", "extract", "frame", "write", "map")


def _check_formats(ctx: click.Context, param: click.Parameter, value: str) -> list[str]:
    """``--formats``: known names, comma-separated, else a usage error."""
    from geomap.pipeline import FORMATS

    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    unknown = [v for v in names if v not in FORMATS] or ([] if names else [value])
    if unknown:
        msg = f"unknown format {shown(unknown[0])}; choose from {', '.join(FORMATS)}"
        raise click.BadParameter(msg)
    return names


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
    type=InputFile(),
    help="Polygons with a name or ISO 3166-2 field: the map's regions as a choropleth.",
)
@_TILES_OPTION
@_CDN_OPTION
@click.option(
    "--formats",
    default="geojson,gpkg,csv",
    show_default=True,
    callback=_check_formats,
    help="Incident files to write: geojson, gpkg, csv, kml, parquet, geojsonl.",
)
@click.option(
    "--columns",
    metavar="MAP",
    help="How a table that is not ACLED's names its columns: date=Date,location=Town,...",
)
@click.option("--strict", is_flag=True, help="Stop at the first bad input and write nothing.")
@click.option(
    "--force",
    is_flag=True,
    help="Replace output files geomap did not write, or that were edited since.",
)
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
    formats: list[str],
    columns: str | None,
    strict: bool,
    force: bool,
    run_quiet: bool,
    run_verbose: bool,
) -> None:
    """Run the whole job: reports in; incidents, places, a map and GIS files out.

    PATHS are reports (.txt, .md with YAML front matter, .jsonl), incident tables (.csv,
    .xlsx, ACLED exports recognised by their columns) and folders of them. Writes
    incidents.geojson/.gpkg/.csv, places.geojson, map.html and summary.json to the output
    folder, replacing the previous outputs as a set (never a file you edited, unless
    --force). Inputs that cannot be read are skipped, named on stderr and in summary.json,
    and the exit status is 1; with --strict the run stops at the first and writes nothing.
    Inputs that give no report at all write nothing either (exit status 1).

    \b
    Examples:
        geomap run examples/reports -o outputs/
        geomap run reports/ acled.csv --country IQ --formats geojson,gpkg,kml
    """
    from geomap._errors import NoReportsError
    from geomap._outputs import check_output_folder
    from geomap.pipeline import run

    quiet = run_quiet or bool(ctx.find_root().params.get("quiet"))
    if run_verbose:
        logging.getLogger().setLevel(logging.INFO)
    show = not quiet and sys.stderr.isatty()
    check_output_folder(out_dir)  # before the first run's gazetteer build, and any work
    gaz = open_gazetteer(places_files, quiet=quiet)
    with (
        gaz,
        click.progressbar(
            length=len(_RUN_STAGES), label="geomap run", file=sys.stderr, hidden=not show
        ) as bar,
    ):
        try:
            out = run(
                paths,
                out_dir,
                published=published.date() if published else None,
                country=country,
                places=places_files,
                boundaries=boundaries,
                tiles=tiles or None,
                cdn=cdn,
                formats=formats,
                columns=columns,
                strict=strict,
                force=force,
                gazetteer=gaz,
                progress=lambda stage: bar.update(1),
                dayfirst=dayfirst,
            )
        except NoReportsError as e:
            for error in e.skipped:
                click.echo(f"skipped: {error}", err=True)
            raise click.ClickException(str(e)) from e
    summary = out.summary
    if summary is None:  # unreachable: run always sets it
        return
    for path, line, why in summary.skipped:
        where = f"{path}, line {line}" if line else path
        click.echo(f"skipped: {where}: {why}", err=True)
    for path, line, why in summary.notes:
        click.echo(f"note: {path}, line {line}: {why}", err=True)
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

"""``geomap gazetteer import`` and the imports part of ``geomap gazetteer info``.

Registered on the ``gazetteer`` group by :mod:`geomap.cli`, whose group turns library
errors into one ``Error: ...`` line.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from gazetteer import Gazetteer
from gazetteer.imports import ImportOptions, ImportReport

__all__ = ["import_command", "imports_info_lines"]

_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
_PROBLEMS_SHOWN = 20


@contextlib.contextmanager
def _progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr, advanced by bytes read."""
    with click.progressbar(length=max(total, 1), label=label, file=sys.stderr) as bar:
        yield bar.update


def _report(r: ImportReport) -> None:
    if r.skipped:
        click.echo(f"{r.path}: nothing to do, {r.skipped}")
        return
    merged = f", {r.merged:,} merged into known places" if r.merged else ""
    took = f"in {r.seconds:.1f} s"
    click.echo(f"{r.path}: imported {r.rows:,} rows as {r.source!r} ({r.kind}){merged} {took}")
    if r.note:
        click.echo(f"  note: {r.note}")
    for line in r.problem_lines()[:_PROBLEMS_SHOWN]:
        click.echo(f"left out: {line}", err=True)
    if r.n_problems:
        hidden = r.n_problems - min(len(r.problems), _PROBLEMS_SHOWN)
        more = f" ({hidden:,} not shown)" if hidden > 0 else ""
        click.echo(f"{r.path}: {r.n_problems:,} malformed rows left out{more}", err=True)


@click.command(name="import", context_settings=_CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", metavar="NAME", help="Name of the import (default: the file's name).")
@click.option(
    "--boundaries",
    "boundary_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Administrative boundaries (polygons) to import as divisions, with --level.",
)
@click.option(
    "--level", type=click.IntRange(1, 2), help="Level of the --boundaries: 1 province, 2 district."
)
@click.option("--licence", metavar="TEXT", help="Licence note shown by info and on maps.")
@click.option("--name-field", metavar="FIELD", help="The field holding names, if not 'name'.")
@click.option("--force", is_flag=True, help="Import files again even if imported before.")
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Processes parsing a large GeoNames dump."
)
@click.option("--silent", is_flag=True, help="Show no progress bar.")
def import_command(  # noqa: PLR0913 (one parameter per command-line option)
    paths: tuple[Path, ...],
    source: str | None,
    boundary_files: tuple[Path, ...],
    level: int | None,
    licence: str | None,
    name_field: str | None,
    force: bool,
    workers: int | None,
    silent: bool,
) -> None:
    """Import GeoNames dumps, your own gazetteers and boundaries into the index.

    PATHS are GeoNames files as downloaded (a country's IQ.zip or allCountries.zip, or
    the .txt inside; admin1CodesASCII.txt, admin2Codes.txt, alternateNamesV2.zip,
    hierarchy.txt, countryInfo.txt), event tables (ACLED, UCDP GED or GTD exports, .csv
    or .xlsx: their precisely coded locations become places) and gazetteers of your own
    (.csv with name, lat, lon; .geojson or .gpkg with points or polygons). Imports are
    kept beside the index and survive its rebuilds; importing a file again is a no-op.
    Malformed rows are listed on stderr and left out. GeoNames data is CC BY 4.0: maps
    and exports made with it say so, as they give the event tables' licence notes.

    \b
    Examples:
        geomap gazetteer import IQ.zip SY.zip admin1CodesASCII.txt admin2Codes.txt
        geomap gazetteer import alternatenames/IQ.zip hierarchy.zip
        geomap gazetteer import my_sites.gpkg --source sites --licence "ours, CC BY"
        geomap gazetteer import acled_iraq_2024.csv ged241.csv
        geomap gazetteer import --boundaries geoBoundaries-IRQ-ADM1.geojson --level 1
    """
    if boundary_files and level is None:
        msg = "--boundaries needs --level 1 (provinces) or --level 2 (districts)"
        raise click.UsageError(msg)
    if not paths and not boundary_files:
        msg = "give files to import, or --boundaries FILE --level N"
        raise click.UsageError(msg)
    options = ImportOptions(
        source=source, licence=licence, force=force, name_field=name_field, workers=workers
    )
    with Gazetteer.open() as gaz:
        reports = gaz.import_files(
            paths,
            boundaries=[(b, level or 1) for b in boundary_files],
            options=options,
            progress=None if silent else _progress,
        )
    for r in reports:
        _report(r)


def imports_info_lines(data: dict[str, Any] | None) -> list[str]:
    """The lines ``geomap gazetteer info`` prints about imports (``info()["imports"]``)."""
    if not data:
        return ["imports:  none (add places with `geomap gazetteer import FILE`)"]
    lines = [
        f"imports:  {data['path']} ({data['size_bytes'] / 1e6:.1f} MB): "
        f"{data['places']:,} places, {data['merged']:,} rows merged into known places, "
        f"{data['names']:,} names"
    ]
    for s in data["sources"]:
        left_out = f", {s['problems']:,} left out" if s["problems"] else ""
        licence = s["licence"] or "no licence note (give one with --licence)"
        kind, rows = s["kind"], f"{s['rows']:,} rows"
        if "format" in s:  # an event table
            kind = f"events ({s['format']})"
            rows = (
                f"{s['rows']:,} rows read, {s['places']:,} places added, "
                f"{s['merged']:,} merged with known places, {s['imprecise']:,} rows not points"
            )
        lines.append(f"  {s['name']}: {kind}, {rows}{left_out}, {s['imported_at']}; {licence}")
    return lines

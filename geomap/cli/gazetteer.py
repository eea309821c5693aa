"""``geomap gazetteer``: build, inspect, query and import into the offline place index.

The group's error handling (one ``Error: ...`` line) is :class:`geomap.cli._base._Group`'s.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from gazetteer import Candidate
from gazetteer.build import BUILD_TIME, build_index, default_cache_dir, index_path
from gazetteer.imports.importer import ImportOptions, ImportReport
from geomap.cli._base import (
    _CONTEXT,
    InputFile,
    _Group,
    _open,
    check_country,
    check_feature,
    cli,
    open_gazetteer,
    progress_bar,
)

__all__ = ["gazetteer", "import_command", "imports_info_lines"]

_PROBLEMS_SHOWN = 20


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
@click.argument("paths", nargs=-1, type=InputFile())
@click.option("--source", metavar="NAME", help="Name of the import (default: the file's name).")
@click.option(
    "--boundaries",
    "boundary_files",
    multiple=True,
    type=InputFile(),
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
    with open_gazetteer(quiet=silent) as gaz:
        reports = gaz.import_files(
            paths,
            boundaries=[(b, level or 1) for b in boundary_files],
            options=options,
            progress=None if silent else progress_bar,
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


@cli.group(cls=_Group, context_settings=_CONTEXT)
def gazetteer() -> None:
    """Build, inspect and query the offline place-name index.

    \b
    Example:
        geomap gazetteer lookup Basra "Basra province"
    """


def _table(rows: list[Candidate]) -> str:
    header = ("score", "name", "feature", "country", "admin1", "lat", "lon", "id")
    lines = [
        (
            f"{c.score:.2f}",
            c.name,
            c.feature,
            c.country,
            f"{c.admin1} ({c.admin1_code})" if c.admin1_code else c.admin1,
            f"{c.lat:.5f}",
            f"{c.lon:.5f}",
            c.id,
        )
        for c in rows
    ]
    widths = [max(len(r[i]) for r in [header, *lines]) for i in range(len(header))]
    return "\n".join(
        "  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *lines]
    )


@gazetteer.command(context_settings=_CONTEXT)
@click.argument("names", nargs=-1, required=True)
@click.option(
    "--country",
    metavar="CC",
    callback=check_country,
    help="Only places in this country (ISO code, e.g. IQ).",
)
@click.option("--admin1", metavar="NAME", help="Only places in this first-level division.")
@click.option(
    "--feature",
    callback=check_feature,
    help="Only places of this feature type (e.g. military_base).",
)
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--places",
    type=InputFile(),
    multiple=True,
    help="Your own places CSV, ranked ahead of the built-in data (repeatable).",
)
@click.option(
    "--online",
    type=click.Choice(["nominatim"]),
    help="Ask this online service for names the offline data lacks (off by default).",
)
@click.option("--user-agent", help="Identifies you to the online service (required with --online).")
def lookup(  # noqa: PLR0913 (one parameter per command-line option)
    names: tuple[str, ...],
    country: str | None,
    admin1: str | None,
    feature: str | None,
    limit: int,
    as_json: bool,
    places: tuple[Path, ...],
    online: str | None,
    user_agent: str | None,
) -> None:
    """Look up place NAMES: ranked candidates with coordinates, type and parents.

    With one NAME, --json prints a list of candidates; with several, a list of
    {"query": NAME, "candidates": [...]}.

    \b
    Examples:
        geomap gazetteer lookup "Ain al-Assad"
        geomap gazetteer lookup Paris --country US --json
        geomap gazetteer lookup Springfield --admin1 Illinois
    """
    if online and not user_agent:
        msg = 'with --online, give --user-agent "your-app/1.0 (you@example.org)"'
        raise click.UsageError(msg)
    gaz = _open(places)
    geocoder = None
    if online:
        from gazetteer.online import OnlineGeocoder

        geocoder = OnlineGeocoder(
            str(user_agent), cache_path=default_cache_dir() / "nominatim.sqlite"
        )
    results: list[tuple[str, list[Candidate]]] = []
    try:
        for name in names:
            found = gaz.lookup(name, country=country, admin1=admin1, feature=feature, limit=limit)
            if not found and geocoder is not None:
                found = geocoder.lookup(name, country=country, limit=limit)
            results.append((name, found))
    finally:
        if geocoder is not None:
            geocoder.close()
        gaz.close()
    if as_json:
        if len(results) == 1:
            payload: Any = [c.to_dict() for c in results[0][1]]
        else:
            payload = [{"query": q, "candidates": [c.to_dict() for c in f]} for q, f in results]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for query, found in results:
        click.echo(click.style(f"{query}", bold=True))
        click.echo(_table(found) if found else "  no match")
        click.echo()


@gazetteer.command(context_settings=_CONTEXT)
@click.option("--force", is_flag=True, help="Rebuild even if an up-to-date index exists.")
def build(force: bool) -> None:
    """Build the index from the installed place data (once; about a minute on 2 cores).

    \b
    Example:
        geomap gazetteer build
    """
    path = index_path()
    if path.exists() and not force:
        click.echo(f"the index is up to date: {path}")
        return
    click.echo(f"Building the gazetteer index: {BUILD_TIME}.", err=True)
    click.echo(f"built {build_index(path, progress=progress_bar)}")


@gazetteer.command(context_settings=_CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def info(as_json: bool) -> None:
    """Show the index: sources, counts by feature type, path, age and imported files.

    \b
    Example:
        geomap gazetteer info
    """
    with _open(()) as gaz:
        data = gaz.info()
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"index:    {data['path']} ({data['size_bytes'] / 1e6:.1f} MB)")
    click.echo(f"built:    {data['built_at']} (sources {data['sources_hash']})")
    click.echo(f"places:   {data['places']:,} with {data['names']:,} names")
    click.echo("sources:  " + ", ".join(f"{k} {v:,}" for k, v in sorted(data["by_source"].items())))
    click.echo(
        "features: " + ", ".join(f"{k} {v:,}" for k, v in sorted(data["by_feature"].items()))
    )
    click.echo(
        "licences: GeoNames data CC BY 4.0 (geonames.org); countrystatecity data ODbL; "
        "airportsdata and zipcodes MIT; ISO codes via pycountry"
    )
    for line in imports_info_lines(data.get("imports")):
        click.echo(line)


gazetteer.add_command(import_command)

"""The ``geomap`` command line: a thin click layer over the library.

Library errors become one ``Error: ...`` line and exit status 1; usage errors exit 2;
``--verbose`` shows tracebacks and debug logs.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from gazetteer import Candidate, Gazetteer, GazetteerError
from gazetteer.build import build_index, default_cache_dir, index_path
from geomap import __version__
from geomap._errors import GeomapError
from geomap._gazetteer_cli import import_command, imports_info_lines
from geomap.ingest import Report
from geomap.records import Mention

if TYPE_CHECKING:
    import geopandas

logger = logging.getLogger(__name__)

__all__ = ["main"]

_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Group(click.Group):
    """Turns library errors into one clear line, unless --verbose asks for the traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (GazetteerError, GeomapError, OSError) as e:
            if ctx.find_root().params.get("verbose"):
                raise
            raise click.ClickException(str(e)) from e


# Options several commands share.
_FOCUS_OPTION = click.option(
    "--country", metavar="CC", help="Country the reports are about (a focus hint)."
)
_PLACES_OPTION = click.option(
    "--places",
    "places_files",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    multiple=True,
    help="Your own places CSV, ranked ahead of the built-in data (repeatable).",
)
_PUBLISHED_OPTION = click.option(
    "--published",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Published date (YYYY-MM-DD) of reports that give none; relative dates count from it.",
)
_TILES_OPTION = click.option(
    "--tiles",
    multiple=True,
    metavar="NAME",
    help="Base layer by xyzservices name (repeatable, or comma-separated; the first is "
    "shown), or 'none'. Default: Esri.WorldStreetMap, Esri.WorldGrayCanvas, "
    "Esri.WorldImagery. OpenStreetMap.Mapnik tiles load only when the page is served "
    "over http, not opened from disk. The offline basemap is always there, shown first.",
)
_CDN_OPTION = click.option(
    "--cdn",
    is_flag=True,
    help="Load Leaflet and its plugins from a CDN (pinned, with integrity hashes) instead of "
    "carrying them in the page: a smaller file that needs the network to open.",
)


@click.group(cls=_Group, context_settings=_CONTEXT)
@click.version_option(__version__, "--version", prog_name="geomap")
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages and show tracebacks.")
@click.option("-q", "--quiet", is_flag=True, help="Only print results and errors.")
def cli(verbose: bool, quiet: bool) -> None:
    """Find places and incidents in news reports and map them, offline.

    \b
    Example:
        geomap gazetteer lookup "Ain al-Asad" --country IQ
    """
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s", stream=sys.stderr)


@cli.group(cls=_Group, context_settings=_CONTEXT)
def gazetteer() -> None:
    """Build, inspect and query the offline place-name index.

    \b
    Example:
        geomap gazetteer lookup Basra "Basra province"
    """


def _open(places: tuple[Path, ...]) -> Gazetteer:
    return Gazetteer.open(places=places)


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
@click.option("--country", metavar="CC", help="Only places in this country (ISO code, e.g. IQ).")
@click.option("--admin1", metavar="NAME", help="Only places in this first-level division.")
@click.option("--feature", help="Only places of this feature type (e.g. military_base).")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--places",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
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
    """Build the index from the installed place data (once; about 30 seconds).

    \b
    Example:
        geomap gazetteer build
    """
    path = index_path()
    if path.exists() and not force:
        click.echo(f"the index is up to date: {path}")
        return
    click.echo(f"built {build_index(path)}")


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
        "decision": m.decision,
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
    from geomap.geoparse import geoparse
    from geomap.ingest import read_reports

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
        click.echo(f"  {m.start:>6}  {m.surface[:40]:40}  {where}  {m.decision}")


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

    from geomap.evaluate import evaluate_geoparse, evaluate_resolution, format_report, load_corpus
    from geomap.geoparse import default_gazetteer, geoparse
    from geomap.resolve import PassCounter

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


@cli.command(name="export", context_settings=_CONTEXT)
@click.argument(
    "input_path", metavar="INPUT", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write; its extension gives the format.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["geojson", "geojsonseq", "gpkg", "csv", "kml", "parquet"]),
    help="Write this format whatever the extension.",
)
@click.option(
    "--schema",
    type=click.Choice(["geomap", "acled"]),
    default="geomap",
    show_default=True,
    help="geomap's columns, or ACLED's column names and codes.",
)
@click.option(
    "--precision",
    type=click.IntRange(0, 15),
    default=6,
    show_default=True,
    help="Decimals kept in coordinates.",
)
@click.option("--keep-suspect", is_flag=True, help="Write rows whose point fails the checks too.")
@click.option("--force", is_flag=True, help="Overwrite a file geomap did not write.")
def export_command(
    input_path: Path,
    output: Path,
    fmt: str | None,
    schema: str,
    precision: int,
    keep_suspect: bool,
    force: bool,
) -> None:
    """Export incidents to GeoJSON, GeoJSON Sequence, GeoPackage, CSV, KML or GeoParquet.

    INPUT is a file geomap wrote (.geojson, .geojsonl, .gpkg, .csv, .kml, .parquet) or a
    CSV in ACLED's columns. Every point is checked first: a point outside the country its
    row names (latitude and longitude swapped, say) is reported on stderr and left out,
    and the exit status is 1, unless --keep-suspect. The file is written whole or not at
    all, and a file geomap did not write is not overwritten unless --force.

    \b
    Examples:
        geomap export incidents.gpkg -o incidents.geojson
        geomap export incidents.gpkg -o acled.csv --schema acled
        geomap export incidents.geojson -o incidents.parquet --force
    """
    import warnings

    from geomap.export import export, format_for, read_incidents, read_layers

    gdf = read_incidents(input_path)
    layers = read_layers(input_path)
    credits = _place_credits(gdf)
    with warnings.catch_warnings():
        # the suspect rows are printed below, one line each
        warnings.filterwarnings("ignore", message=r"\d+ rows with suspect coordinates")
        result = export(
            gdf,
            output,
            format=fmt,
            schema=schema,
            precision=precision,
            keep_suspect=keep_suspect,
            force=force,
            layers=layers,
            attribution=credits,
        )
    title = format_for(output, fmt).title
    click.echo(
        f"wrote {result.rows:,} incidents to {result.path} ({title}, {result.bytes:,} bytes)"
    )
    action = "kept" if keep_suspect else "left out"
    for suspect in result.suspects:
        click.echo(f"suspect ({action}): {suspect}", err=True)
    if result.suspects and not keep_suspect:
        click.echo(
            f"{len(result.suspects)} suspect rows left out; fix them or pass --keep-suspect",
            err=True,
        )
        sys.exit(1)


def _built_gazetteer() -> Gazetteer | None:
    """The installed gazetteer if its index is built (never built here), else None.

    Commands that read incident files use it for the boundaries imported into it and for
    the licence notes of the places' data; without it they do without.
    """
    from gazetteer import GazetteerNotBuiltError

    try:
        return Gazetteer.open(build=False)
    except GazetteerNotBuiltError:
        logger.info("no gazetteer index built: no imported boundaries or place-data credits")
        return None


def _place_credits(gdf: geopandas.GeoDataFrame) -> list[str]:
    """Licence notes of the data behind the incidents' places (empty without an index)."""
    gaz = _built_gazetteer()
    if gaz is None or "place_id" not in gdf:
        return []
    try:
        return gaz.attribution_of(gdf["place_id"].dropna())
    finally:
        gaz.close()


@cli.command(name="map", context_settings=_CONTEXT)
@click.argument(
    "input_path", metavar="INPUT", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    default="map.html",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write.",
)
@_TILES_OPTION
@_CDN_OPTION
@click.option(
    "--boundaries",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="First-level division polygons (geoBoundaries, OCHA admin 1, ...) with a name or "
    "ISO 3166-2 code field: the regional summary becomes a choropleth.",
)
@click.option("--title", help="The map's title (default: the input's file name).")
@click.option("--country-level", is_flag=True, help="Also draw incidents placed only at a country.")
def map_command(
    input_path: Path,
    output: Path,
    tiles: tuple[str, ...],
    cdn: bool,
    boundaries: Path | None,
    title: str | None,
    country_level: bool,
) -> None:
    """Draw incidents as one HTML map: a layer per type, legend, time slider, popups.

    INPUT is a file geomap writes or reads: GeoJSON, GeoPackage or CSV with the incident
    columns, or an ACLED-format CSV. Rows without usable coordinates, and rows placed only
    at a country (unless --country-level), are left off and counted on stderr.

    \b
    Examples:
        geomap map incidents.geojson -o map.html
        geomap map acled.csv -o map.html --boundaries geoBoundaries-IRQ-ADM1.geojson
        geomap map incidents.gpkg --tiles OpenTopoMap --tiles Esri.WorldImagery
    """
    import warnings

    from geomap._map_input import read_map_input
    from geomap.pipeline import save_map
    from geomap.render import DEFAULT_TILES, make_map

    gdf, problems = read_map_input(input_path)
    for problem in problems:
        click.echo(f"skipped: {problem}", err=True)
    gaz = _built_gazetteer()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            m = make_map(
                gdf,
                boundaries=boundaries,
                tiles=tiles or DEFAULT_TILES,
                title=title or input_path.stem,
                draw_country_level=country_level,
                gazetteer=gaz,
                cdn=cdn,
            )
        finally:
            if gaz is not None:
                gaz.close()
    for w in caught:
        click.echo(f"warning: {w.message}", err=True)
    save_map(m, output)
    click.echo(f"wrote a map of {len(gdf):,} incidents to {output}")


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
@_FOCUS_OPTION
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File.")
def incidents_command(
    paths: tuple[Path, ...],
    fmt: str,
    columns: str | None,
    published: Any,
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

    from geomap.acled import incidents_to_acled_rows
    from geomap.incidents import incidents_with_summary
    from geomap.ingest import read_reports

    result = read_reports(paths, columns=columns)
    run = incidents_with_summary(
        result, published=published.date() if published else None, country_hint=country
    )
    lines: list[str] = []
    if fmt == "jsonl":
        for i in run.incidents:
            row = dataclasses.asdict(i)
            row["event_date"] = i.event_date.isoformat() if i.event_date else None
            lines.append(json.dumps(row, ensure_ascii=False))
    elif fmt == "acled":
        import csv
        import io

        from geomap.acled import ACLED_COLUMNS

        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(ACLED_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(incidents_to_acled_rows(run.incidents))
        lines.append(buffer.getvalue().rstrip("\n"))
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
    if result.skipped:
        sys.exit(1)


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


def main() -> None:
    """Entry point of the ``geomap`` command."""
    cli(prog_name="geomap")

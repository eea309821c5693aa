"""The ``geomap`` command line: a thin click layer over the library.

Library errors become one ``Error: ...`` line and exit status 1; usage errors exit 2;
``--verbose`` shows tracebacks and debug logs.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from gazetteer import Candidate, Gazetteer, GazetteerError
from gazetteer.build import build_index, default_cache_dir, index_path
from geomap import __version__
from geomap._errors import GeomapError
from geomap.ingest import Report
from geomap.records import Mention

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
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
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
    """Show the index: sources, counts by feature type, path and age.

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
        "ISO codes via pycountry"
    )


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
@click.option("--country", metavar="CC", help="Country the reports are about (a focus hint).")
@click.option(
    "--places",
    "places_files",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    multiple=True,
    help="Your own places CSV, ranked ahead of the built-in data (repeatable).",
)
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


def main() -> None:
    """Entry point of the ``geomap`` command."""
    cli(prog_name="geomap")

"""``geomap export``: incident files converted and checked."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from geomap.cli._base import (
    _CONTEXT,
    InputFile,
    built_gazetteer,
    cli,
)

if TYPE_CHECKING:
    import geopandas

logger = logging.getLogger(__name__)

__all__ = ["export_command", "place_credits"]


@cli.command(name="export", context_settings=_CONTEXT)
@click.argument("input_path", metavar="INPUT", type=InputFile())
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

    from geomap.exporters.write import export, format_for, read_incidents, read_layers

    gdf = read_incidents(input_path)
    layers = read_layers(input_path)
    credits = place_credits(gdf)
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


def place_credits(gdf: geopandas.GeoDataFrame) -> list[str]:
    """Licence notes of the data behind the incidents' places (empty without an index)."""
    gaz = built_gazetteer()
    if gaz is None or "place_id" not in gdf:
        return []
    try:
        return gaz.attribution_of(gdf["place_id"].dropna())
    finally:
        gaz.close()

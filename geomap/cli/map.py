"""``geomap map``: an incident file drawn as one HTML page."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import click

from geomap.cli._base import (
    _CDN_OPTION,
    _CONTEXT,
    _TILES_OPTION,
    InputFile,
    built_gazetteer,
    cli,
)

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

__all__ = ["map_command"]


@cli.command(name="map", context_settings=_CONTEXT)
@click.argument("input_path", metavar="INPUT", type=InputFile())
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
    type=InputFile(),
    help="First-level division polygons (geoBoundaries, OCHA admin 1, ...) with a name or "
    "ISO 3166-2 code field: the regional summary becomes a choropleth.",
)
@click.option("--title", help="The map's title (default: the input's file name).")
@click.option("--country-level", is_flag=True, help="Also draw incidents placed only at a country.")
def map_command(
    input_path: Path,
    output: Path,
    tiles: tuple[str, ...],
    boundaries: Path | None,
    title: str | None,
    country_level: bool,
    cdn: bool,
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

    from geomap.frame import division_tallies
    from geomap.render.inputs import read_map_input
    from geomap.render.map import DEFAULT_TILES, make_map, save_map

    gdf, problems = read_map_input(input_path)
    for problem in problems:
        click.echo(f"skipped: {problem}", err=True)
    gaz = built_gazetteer()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            m = make_map(
                gdf,
                boundaries=boundaries,
                tiles=tiles or DEFAULT_TILES,
                title=title or input_path.stem,
                draw_country_level=country_level,
                cdn=cdn,
                regions=division_tallies(gaz, gdf) if gaz and boundaries is None else (),
                attribution=gaz.attribution_of(gdf["place_id"].dropna())
                if gaz is not None and "place_id" in gdf
                else (),
            )
        finally:
            if gaz is not None:
                gaz.close()
    for w in caught:
        click.echo(f"warning: {w.message}", err=True)
    save_map(m, output)
    click.echo(f"wrote a map of {len(gdf):,} incidents to {output}")

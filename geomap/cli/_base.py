"""The ``geomap`` group, its error handling and the options several commands share.

Library errors become one ``Error: ...`` line and exit status 1; usage errors exit 2;
``--verbose`` shows tracebacks and debug logs.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from gazetteer import Gazetteer, GazetteerError
from geomap._errors import GeomapError
from geomap._version import __version__

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

__all__ = ["built_gazetteer", "cli"]

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
_DAYFIRST_OPTION = click.option(
    "--dayfirst/--monthfirst",
    default=None,
    help="Read numeric dates (05/12/2019) day first or month first. Default: month first for "
    "reports in US English or with no language, day first for others; a date impossible in "
    "one order is read in the other.",
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


def _open(places: tuple[Path, ...]) -> Gazetteer:
    return Gazetteer.open(places=places)


def built_gazetteer() -> Gazetteer | None:
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

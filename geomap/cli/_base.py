"""The ``geomap`` group, its error handling and the options several commands share.

Exit statuses (README, "Exit statuses"): 0 when everything was read and written; 1 when
an input was skipped, a file is missing or unreadable, or the work failed (one
``Error: ...`` line); 2 for a usage error: an unknown command or option, a missing
argument, or an option value that can be checked before any work (``--formats kmz``,
``--country Iraq``, ``--tiles Nope``, ``--feature castle``). ``--verbose`` shows
tracebacks and debug logs.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from gazetteer import FEATURE_TYPES, Gazetteer, GazetteerError
from gazetteer.files import file_kind
from geomap._errors import GeomapError, TileProviderError, shown
from geomap._version import __version__

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

__all__ = [
    "InputFile",
    "built_gazetteer",
    "check_country",
    "check_feature",
    "check_tiles",
    "cli",
    "open_gazetteer",
    "progress_bar",
]


class InputFile(click.Path):
    """A file argument or option: a missing one is a missing input like any other (an
    ``Error:`` line, status 1, not a usage error), and only a regular file is read."""

    def __init__(self) -> None:
        super().__init__(dir_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            mode = os.stat(value).st_mode
        except OSError as e:
            why = "no such file or folder" if isinstance(e, FileNotFoundError) else e.strerror
            raise click.ClickException(f"{value}: {why}; check the path") from e
        if not stat.S_ISREG(mode):
            msg = f"{value} is {file_kind(mode)}, not a regular file; give a file"
            raise click.ClickException(msg)
        return super().convert(value, param, ctx)


def check_country(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--country``: an ISO 3166-1 alpha-2 code (upper-cased), else a usage error."""
    import pycountry

    if value is None:
        return None
    code = value.strip().upper()
    if re.fullmatch("[A-Z]{2}", code) and (code == "XK" or pycountry.countries.get(alpha_2=code)):
        return code
    msg = f"unknown country {shown(value)}; give an ISO 3166-1 alpha-2 code such as IQ or US"
    raise click.BadParameter(msg)


def check_feature(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--feature``: one of the gazetteer's feature types, else a usage error."""
    if value is None or value in FEATURE_TYPES:
        return value
    msg = f"unknown feature {shown(value)}; use one of {', '.join(FEATURE_TYPES)}"
    raise click.BadParameter(msg)


def check_tiles(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    """``--tiles``: every name an xyzservices provider needing no key, else a usage error."""
    from geomap.render.map import tile_names, tile_provider

    for name in tile_names(value):
        try:
            tile_provider(name)
        except TileProviderError as e:
            raise click.BadParameter(str(e)) from e
    return value


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
    "--country",
    metavar="CC",
    callback=check_country,
    help="Country the reports are about (a focus hint): an ISO 3166-1 code such as IQ.",
)
_PLACES_OPTION = click.option(
    "--places",
    "places_files",
    type=InputFile(),
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
    callback=check_tiles,
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


@contextlib.contextmanager
def progress_bar(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr (the gazetteer's build steps, imports): advance it by n."""
    with click.progressbar(length=max(total, 1), label=label, file=sys.stderr) as bar:
        yield bar.update


def open_gazetteer(places: Sequence[Path] = (), *, quiet: bool = False) -> Gazetteer:
    """The installed gazetteer; built first if needed, saying so, with a bar per step."""
    from gazetteer.build import BUILD_TIME, index_path

    quiet = quiet or bool(click.get_current_context(silent=True) and _root_quiet())
    if not index_path().exists() and not quiet:
        click.echo(
            f"Building the gazetteer index from the installed place data: once, {BUILD_TIME}. "
            "Later runs open it at once.",
            err=True,
        )
    return Gazetteer.open(places=places, progress=None if quiet else progress_bar)


def _root_quiet() -> bool:
    return bool(click.get_current_context().find_root().params.get("quiet"))


def _open(places: tuple[Path, ...]) -> Gazetteer:
    return open_gazetteer(places)


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

"""``geomap gazetteer download``: GeoNames' files for countries, downloaded and imported.

Registered on the ``gazetteer`` group by :mod:`geomap.cli`, whose group turns library
errors (offline, a missing file, a broken download) into one ``Error: ...`` line and
exit status 1.
"""

from __future__ import annotations

import re

import click

from gazetteer.imports.download import (
    DEFAULT_MIRROR,
    download_dir,
    install_geonames,
    installed_files,
)
from gazetteer.imports.geonames import GEONAMES_LICENCE
from geomap.cli._base import progress_bar
from geomap.cli.gazetteer import _report, gazetteer

__all__ = ["download_command"]

_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _countries(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> tuple[str, ...]:
    bad = [v for v in values if not re.fullmatch("[A-Za-z]{2}", v)]
    if bad:
        msg = f"{bad[0]!r} is not a country code; give ISO 3166-1 alpha-2 codes such as IQ SY"
        raise click.BadParameter(msg, ctx=ctx, param=param)
    return tuple(dict.fromkeys(v.upper() for v in values))


def _list() -> None:
    folder = download_dir()
    files = installed_files()
    if not files:
        click.echo(
            f"no GeoNames files downloaded into {folder}; try `geomap gazetteer download IQ`"
        )
        return
    click.echo(f"GeoNames files in {folder}:")
    for f in files:
        imported = f"imported {f.imported_at}" if f.imported_at else "not imported"
        server = f"server date {f.server_date}; " if f.server_date else ""
        click.echo(
            f"  {f.country or '--'}  {f.name}: {f.size / 1e6:.1f} MB, {f.rows:,} rows; "
            f"{server}downloaded {f.downloaded_at}; {imported}; {f.licence}"
        )


@click.command(name="download", context_settings=_CONTEXT)
@click.argument("countries", nargs=-1, metavar="CC [CC ...]", callback=_countries)
@click.option(
    "--mirror",
    metavar="URL",
    default=DEFAULT_MIRROR,
    show_default=True,
    help="GeoNames' dump server, or a mirror or proxy of it.",
)
@click.option("--refresh", is_flag=True, help="Download and import again, changed or not.")
@click.option("--list", "list_only", is_flag=True, help="Show what is installed, and stop.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds to wait for the server at any moment.",
)
@click.option("--silent", is_flag=True, help="Show no progress bars.")
def download_command(
    countries: tuple[str, ...],
    mirror: str,
    refresh: bool,
    list_only: bool,
    timeout: float,
    silent: bool,
) -> None:
    """Download GeoNames' files for countries and import them (opt-in: the network is
    used only when this command runs).

    For each country CC, its extract (CC.zip: every village, wadi, mountain and district
    GeoNames has) and its alternate names (alternatenames/CC.zip), with
    admin1CodesASCII.txt, admin2Codes.txt and countryInfo.txt. Downloads are kept in the
    cache directory and resumed when the connection drops; each file is checked (size,
    zip CRCs, rows) before it is imported. Running it again downloads only files that
    changed on the server. GeoNames data is CC BY 4.0: maps and exports made with it
    say so.

    \b
    Examples:
        geomap gazetteer download IQ SY
        geomap gazetteer download AD --mirror http://mirror.example.org/geonames/
        geomap gazetteer download --list
    """
    if list_only:
        _list()
        return
    if not countries:
        msg = "give country codes such as IQ SY, or --list"
        raise click.UsageError(msg)
    report = install_geonames(
        countries,
        mirror=mirror,
        refresh=refresh,
        timeout=timeout,
        progress=None if silent else progress_bar,
    )
    for f in report.fetched:
        if f.status == "unchanged":
            click.echo(f"{f.file.path}: unchanged on the server, not downloaded again")
        else:
            how = "downloaded" if f.status == "downloaded" else "downloaded (resumed)"
            click.echo(f"{f.file.path}: {how}, {f.size:,} bytes, {f.rows:,} rows, checked")
    for r in report.imports:
        _report(r)
    for line in report.mismatches:
        click.echo(f"warning: {line}", err=True)
    click.echo(f"licence: {GEONAMES_LICENCE}; maps and exports made with this data credit it")


gazetteer.add_command(download_command)

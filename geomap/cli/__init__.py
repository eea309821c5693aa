"""The ``geomap`` command line: a thin click layer over the library, one module per command.

Library errors become one ``Error: ...`` line and exit status 1; usage errors exit 2;
``--verbose`` shows tracebacks and debug logs.
"""

from geomap.cli import download, evaluate, export, gazetteer, incidents, map, places, run
from geomap.cli._base import cli

__all__ = ["cli", "main"]

_COMMANDS = (
    gazetteer,
    download,
    places,
    evaluate,
    export,
    map,
    incidents,
    run,
)  # registered on import


def main() -> None:
    """Entry point of the ``geomap`` command."""
    cli(prog_name="geomap")

"""Errors raised by the geomap package."""

from __future__ import annotations

__all__ = [
    "ColumnsError",
    "CorpusError",
    "ExportFormatError",
    "ExportOverwriteError",
    "ExportSchemaError",
    "GeomapError",
    "MapDataError",
    "ReportError",
    "TileProviderError",
    "VendoredAssetError",
]


class GeomapError(Exception):
    """Base class for every error geomap raises."""


class CorpusError(GeomapError, ValueError):
    """An evaluation corpus (JSON Lines) has a bad line.

    Parameters
    ----------
    path : str
        The corpus file.
    line : int
        The 1-based line number of the bad line.
    problem : str
        What is wrong with the line and how to fix it.
    """

    def __init__(self, path: str, line: int, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        super().__init__(f"{path}, line {line}: {problem}")


class ReportError(GeomapError, ValueError):
    """A report file (or one line of a JSON Lines file) cannot be read.

    ``line`` is 0 when the problem concerns the whole file.
    """

    def __init__(self, path: str, line: int, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}, line {line}" if line else path
        super().__init__(f"{where}: {problem}")


class ExportFormatError(GeomapError, ValueError):
    """The export format is unknown, or cannot be told from the file name."""


class ExportSchemaError(GeomapError, ValueError):
    """The frame to export lacks columns of the schema, a CRS or an incident id."""


class ExportOverwriteError(GeomapError, FileExistsError):
    """The output file exists and geomap did not write it (or it changed since)."""


class ColumnsError(GeomapError, ValueError):
    """A table's column mapping (``--columns``) is malformed or names an unknown column."""


class MapDataError(GeomapError, ValueError):
    """The map's input cannot be drawn: no CRS, or a file that cannot be read as incidents."""


class TileProviderError(GeomapError, ValueError):
    """A base-layer name is not an xyzservices provider, or the provider needs an API key."""


class VendoredAssetError(GeomapError, ValueError):
    """A map asset is not among the vendored files, or a vendored file cannot be inlined."""

"""Errors raised by the geomap package."""

from __future__ import annotations

import math
import reprlib
from typing import Any

__all__ = [
    "SHOWN_CHARACTERS",
    "ColumnsError",
    "CorpusError",
    "ExportFormatError",
    "ExportOverwriteError",
    "ExportSchemaError",
    "GeomapError",
    "MapDataError",
    "NoReportsError",
    "OutputFolderError",
    "OutputWriteError",
    "ReportError",
    "TileProviderError",
    "VendoredAssetError",
    "shown",
]

#: The most characters of a value an error message shows.
SHOWN_CHARACTERS = 80


class _Short(reprlib.Repr):
    """reprlib's bounded repr, with integers too long for ``repr`` described instead."""

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 256:  # repr() of over 4,300 digits raises; the digits say nothing
            return f"<an integer of about {int(x.bit_length() * math.log10(2)) + 1:,} digits>"
        return super().repr_int(x, level)


_SHORT = _Short()
_SHORT.maxlevel = 2
_SHORT.maxstring = SHOWN_CHARACTERS
_SHORT.maxother = SHOWN_CHARACTERS
_SHORT.maxlong = 40


def shown(value: Any) -> str:
    """A value as an error message shows it: its ``repr``, at most ``SHOWN_CHARACTERS`` long.

    Values come from hostile input (a YAML alias bomb expands to billions of items, an
    integer may have thousands of digits): the repr is built with bounded work, never in
    full, and cut with an ellipsis.

    >>> shown("x" * 1000) == "'" + "x" * 37 + "..." + "x" * 38 + "'"
    True
    >>> shown([[1, 2]] * 10**6)
    '[[1, 2], [1, 2], [1, 2], [1, 2], [1, 2], [1, 2], ...]'
    >>> shown(10**5000)
    '<an integer of about 5,001 digits>'
    """
    text = _SHORT.repr(value)
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"


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


class NoReportsError(GeomapError, FileNotFoundError):
    """No report or table row could be read from the inputs: there is nothing to write."""

    def __init__(self, paths: list[str], skipped: list[ReportError]) -> None:
        self.paths = paths
        self.skipped = skipped
        where = ", ".join(paths) if len(paths) <= 3 else f"{', '.join(paths[:3])} ..."
        reason = (
            f"; every input was skipped ({len(skipped)}, listed above)"
            if skipped
            else "; give .txt, .md or .jsonl reports, or .csv/.xlsx incident tables"
        )
        super().__init__(f"no reports found in {where}{reason}; nothing was written")


class OutputFolderError(GeomapError, PermissionError):
    """The output folder cannot be created or written to (checked before any work)."""


class OutputWriteError(GeomapError, OSError):
    """Writing the outputs failed (a full disk, a quota): no output was replaced."""

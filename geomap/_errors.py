"""Errors raised by the geomap package."""

from __future__ import annotations

__all__ = [
    "CorpusError",
    "GeomapError",
    "ReportError",
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

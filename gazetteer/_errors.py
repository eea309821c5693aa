"""Errors raised by the gazetteer package."""

from __future__ import annotations

__all__ = [
    "DownloadError",
    "GazetteerError",
    "GazetteerNotBuiltError",
    "ImportFileError",
    "NotARegularFileError",
    "OnlineGeocoderError",
    "PlacesFileError",
    "ServerUnreachableError",
]


class GazetteerError(Exception):
    """Base class for every error the gazetteer raises."""


class GazetteerNotBuiltError(GazetteerError, FileNotFoundError):
    """The index does not exist or its build did not finish."""


class PlacesFileError(GazetteerError, ValueError):
    """A places file (the curated overlay or a user's file) has a bad row."""

    def __init__(self, path: str, line: int, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        super().__init__(f"{path}, line {line}: {problem}")


class ImportFileError(GazetteerError, ValueError):
    """A file to import cannot be read, or is in no format the importer knows."""


class OnlineGeocoderError(GazetteerError, RuntimeError):
    """The opt-in online geocoder is misconfigured or the service failed to answer."""


class DownloadError(GazetteerError, OSError):
    """A file could not be downloaded, or what was downloaded is not the file."""


class ServerUnreachableError(DownloadError, ConnectionError):
    """The download server cannot be reached: offline, or the server is down."""


class NotARegularFileError(GazetteerError, OSError):
    """A path names a named pipe, a device, a socket or a folder where a file is read."""

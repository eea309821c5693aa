"""geomap: news reports to place mentions, incidents, maps and GIS files, offline."""

from importlib import metadata

from geomap.records import Mention

try:
    __version__ = metadata.version("geomap")
except metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = ["Mention", "__version__"]

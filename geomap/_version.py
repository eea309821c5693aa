"""The installed version of geomap, for the CLI, exports and manifests."""

from importlib import metadata

__all__ = ["__version__"]

try:
    __version__ = metadata.version("geomap")
except metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0+unknown"

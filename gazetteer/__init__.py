"""An offline gazetteer: place names to places, ranked, in microseconds.

>>> from gazetteer import Gazetteer                     # doctest: +SKIP
>>> Gazetteer.open().resolve("Ain al-Assad").name      # doctest: +SKIP
'Ain al-Asad Air Base'
"""

from gazetteer._errors import (
    DownloadError,
    GazetteerError,
    GazetteerNotBuiltError,
    ImportFileError,
    OnlineGeocoderError,
    PlacesFileError,
    ServerUnreachableError,
)
from gazetteer.imports.importer import ImportOptions, ImportReport
from gazetteer.lookup import Gazetteer
from gazetteer.normalize import normalize_name, parse_name
from gazetteer.records import FEATURE_TYPES, Candidate, Place

__all__ = [
    "FEATURE_TYPES",
    "Candidate",
    "DownloadError",
    "Gazetteer",
    "GazetteerError",
    "GazetteerNotBuiltError",
    "ImportFileError",
    "ImportOptions",
    "ImportReport",
    "OnlineGeocoderError",
    "Place",
    "PlacesFileError",
    "ServerUnreachableError",
    "normalize_name",
    "parse_name",
]

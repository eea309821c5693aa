"""The export formats by name and extension, and the one function that tells them apart."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from geomap._errors import ExportFormatError

__all__ = ["FORMATS", "Format", "format_for"]


@dataclass(frozen=True, slots=True)
class Format:
    """An export format: its GDAL driver and canonical extension."""

    name: str
    driver: str  # "" when geomap streams it itself (KML) or pyarrow writes it (GeoParquet)
    extension: str
    title: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("geojson", "GeoJSON", ".geojson", "GeoJSON (RFC 7946)"),
        Format("geojsonseq", "GeoJSONSeq", ".geojsonl", "GeoJSON Sequence"),
        Format("gpkg", "GPKG", ".gpkg", "GeoPackage 1.3"),
        Format("csv", "CSV", ".csv", "CSV"),
        Format("kml", "", ".kml", "KML"),
        Format("parquet", "", ".parquet", "GeoParquet"),
    )
}
_EXTENSIONS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".geojsonl": "geojsonseq",
    ".geojsons": "geojsonseq",
    ".geojsonseq": "geojsonseq",
    ".gpkg": "gpkg",
    ".csv": "csv",
    ".kml": "kml",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
}


def format_for(path: str | Path, format: str | None = None) -> Format:
    """The format named, else the one the file extension implies.

    >>> format_for("out/incidents.geojsonl").name
    'geojsonseq'
    """
    if format is not None:
        key = format.lower().lstrip(".")
        key = _EXTENSIONS.get(f".{key}", key)
        if key not in FORMATS:
            msg = f"unknown export format {format!r}; valid formats are {', '.join(FORMATS)}"
            raise ExportFormatError(msg)
        return FORMATS[key]
    suffix = Path(path).suffix.lower()
    if suffix not in _EXTENSIONS:
        msg = (
            f"cannot tell the format of {str(path)!r} from its extension {suffix!r}; "
            f"use one of {', '.join(sorted(_EXTENSIONS))} or pass format= "
            f"({', '.join(FORMATS)})"
        )
        raise ExportFormatError(msg)
    return FORMATS[_EXTENSIONS[suffix]]

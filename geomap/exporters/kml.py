"""KML 2.2, streamed: Placemarks with a name, an HTML description, a TimeStamp and every field.

GDAL's LIBKML driver builds the whole document in memory (about 20 GB for a million
Placemarks) and writes some 10,000 a second; this writer streams the file in slices of
100,000 rows, building each Placemark with pyarrow's string kernels. The layout is the one
LIBKML writes and reads back: a ``<Schema>`` typing every field, ``<SimpleData>`` values in
``<ExtendedData>``, ``<TimeStamp><when>`` from the event date, and coordinates as
``longitude,latitude``. Text is XML-escaped (control characters XML cannot hold are
dropped); the description is HTML in a CDATA section, in which the report's quote is itself
HTML-escaped (``html.escape``), so markup in a report shows as text in Google Earth.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["write_kml"]

_SLICE = 100_000
# Characters XML 1.0 does not allow, even escaped: dropped from the text.
_NOT_XML = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x{fffe}\\x{ffff}]"
_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<kml xmlns="http://www.opengis.net/kml/2.2">\n'
    '<Document id="root_doc">\n'
)
_TAIL = "</Folder>\n</Document>\n</kml>\n"


def _kml_type(arrow_type: pa.DataType) -> str:
    import pyarrow as pa

    if pa.types.is_boolean(arrow_type):
        return "bool"
    if pa.types.is_integer(arrow_type):
        return "int"
    if pa.types.is_floating(arrow_type):
        return "double"
    return "string"


def _escaped(arr: pa.Array) -> pa.Array:
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_boolean(arr.type):
        return pc.if_else(arr, "true", "false")
    text = arr.cast(pa.string())
    if pa.types.is_string(arr.type):
        text = pc.replace_substring_regex(text, _NOT_XML, "")
        for old, new in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
            text = pc.replace_substring(text, old, new)
    return text


def _element(arr: pa.Array, start: str, end: str) -> pa.Array:
    """``start + value + end`` per row, ``""`` where the value is null."""
    import pyarrow.compute as pc

    return pc.binary_join_element_wise(start, arr, end, "").fill_null("")


def _cdata(arr: pa.Array) -> pa.Array:
    import pyarrow.compute as pc

    text = pc.replace_substring_regex(arr, _NOT_XML, "")
    return pc.replace_substring(text, "]]>", "]]]]><![CDATA[>")


def _placemarks(table: pa.Table, timestamps: pa.Array, layer: str) -> pa.Array:
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = [
        pa.array(["<Placemark>"] * table.num_rows, type=pa.string()),
        _element(_escaped(table.column("name").combine_chunks()), "<name>", "</name>"),
        _element(
            _cdata(table.column("description").combine_chunks()),
            "<description><![CDATA[",
            "]]></description>",
        ),
        _element(timestamps, "<TimeStamp><when>", "</when></TimeStamp>"),
        pa.array([f'<ExtendedData><SchemaData schemaUrl="#{layer}">'] * table.num_rows),
    ]
    for name in table.column_names:
        if name in ("name", "description", "geometry", "longitude_", "latitude_"):
            continue
        values = _escaped(table.column(name).combine_chunks())
        parts.append(_element(values, f'<SimpleData name="{name}">', "</SimpleData>"))
    parts.append(pa.array(["</SchemaData></ExtendedData>"] * table.num_rows))
    lon = table.column("longitude_").combine_chunks().cast(pa.string())
    lat = table.column("latitude_").combine_chunks().cast(pa.string())
    point = pc.binary_join_element_wise(
        "<Point><coordinates>", lon, ",", lat, "</coordinates></Point>", ""
    )
    parts.append(point.fill_null(""))
    parts.append(pa.array(["</Placemark>\n"] * table.num_rows))
    joined: pa.Array = pc.binary_join_element_wise(*parts, "")
    return joined


def write_kml(
    table: pa.Table, path: Path, *, timestamps: pa.Array, layer: str, description: str = ""
) -> None:
    """Write ``table`` (columns ``name``, ``description``, the fields, ``longitude_`` and
    ``latitude_``) as KML, with one TimeStamp per row (ISO dates, null for none).

    ``description`` (the data's licence notes) becomes the document's description."""
    fields = [
        f'<SimpleField name="{html.escape(f.name)}" type="{_kml_type(f.type)}"/>\n'
        for f in table.schema
        if f.name not in ("name", "description", "geometry", "longitude_", "latitude_")
    ]
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(_HEAD)
        if description:
            out.write(f"<description>{html.escape(description)}</description>\n")
        out.write(f'<Schema name="{layer}" id="{layer}">\n{"".join(fields)}</Schema>\n')
        out.write(f"<Folder><name>{html.escape(layer)}</name>\n")
        for start in range(0, table.num_rows, _SLICE):
            rows = _placemarks(table.slice(start, _SLICE), timestamps.slice(start, _SLICE), layer)
            out.writelines(rows.to_pylist())
        out.write(_TAIL)

"""Every export format, written and read back: pyogrio/GDAL, pyarrow, ogrinfo, check-geojson.

The rows are our own (``tests/export_rows.py``). A round trip must give back the same rows,
coordinates within 1e-6 degrees, and the same values and dtypes; the files' own field types
are checked through pyogrio's Arrow reader and through Debian's ``ogrinfo -al -so``; the
GeoJSON files pass @placemarkio/check-geojson (``tests/package.json``, ``npm ci --prefix tests``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import shapely

from geomap.exporters.write import FORMATS, export, read_incidents
from geomap.frame import SCHEMA, empty_frame, to_geodataframe
from tests.export_rows import incidents
from tests.npm_packages import require_npm_package

pyogrio = pytest.importorskip("pyogrio")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

TESTS = Path(__file__).parent
EXTENSIONS = {name: fmt.extension for name, fmt in FORMATS.items()}


@pytest.fixture(scope="module")
def gdf() -> Any:
    return to_geodataframe(incidents())


@pytest.fixture(scope="module")
def written(gdf: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exports")
    out = {}
    for name, ext in EXTENSIONS.items():
        out[name] = folder / f"incidents{ext}"
        export(gdf, out[name])
    return out


def assert_same_frame(got: Any, expected: Any) -> None:
    """Same rows, columns, dtypes and values; points within 1e-6 degrees."""
    assert list(got.columns) == list(expected.columns)
    assert got.crs.equals(expected.crs)
    pd.testing.assert_frame_equal(
        pd.DataFrame(got.drop(columns="geometry")),
        pd.DataFrame(expected.drop(columns="geometry")),
        check_exact=False,
        atol=1e-6,
        rtol=0,
    )
    g, e = got.geometry.to_numpy(), expected.geometry.to_numpy()
    assert list(shapely.is_missing(g)) == list(shapely.is_missing(e))
    present = ~shapely.is_missing(e)
    assert np.allclose(shapely.get_coordinates(g[present]), shapely.get_coordinates(e[present]),
                       atol=1e-6, rtol=0)  # fmt: skip


@pytest.mark.parametrize("name", list(FORMATS))
def test_round_trip_gives_the_frame_back(name: str, written: dict[str, Path], gdf: Any) -> None:
    assert_same_frame(read_incidents(written[name]), gdf)


@pytest.mark.parametrize("name", list(FORMATS))
def test_zero_rows_round_trip_with_the_schema(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"none{EXTENSIONS[name]}"
    assert export(empty_frame(), path).rows == 0
    back = read_incidents(path)
    assert len(back) == 0
    assert dict(back.dtypes) == dict(empty_frame().dtypes)


# The types each file holds, as GDAL reads them (pyogrio's Arrow reader). GeoJSON spells
# the id as the Feature's "id", integers as JSON numbers (int32) and lists as arrays;
# GeoPackage and CSV (through its .csvt) keep small integers as Int16 and join lists.
_FILE_TYPES = {
    "geojson": {"id": "string", "event_date": "date32[day]", "time_precision": "int32",
                "killed": "int32", "killed_at_least": "bool", "confidence": "double",
                "sources": "list<item: string not null>"},
    "gpkg": {"incident_id": "string", "event_date": "date32[day]", "time_precision": "int16",
             "killed": "int32", "killed_at_least": "bool", "confidence": "double",
             "sources": "string"},
    "csv": {"incident_id": "string", "event_date": "date32[day]", "time_precision": "int16",
            "killed": "int32", "killed_at_least": "bool", "latitude": "double",
            "sources": "string"},
    "kml": {"incident_id": "string", "timestamp": "timestamp[ms]", "event_date": "string",
            "killed": "int32", "killed_at_least": "bool", "sources": "string"},
}  # fmt: skip
_FILE_TYPES["geojsonseq"] = _FILE_TYPES["geojson"]


@pytest.mark.parametrize("name", sorted(_FILE_TYPES))
def test_gdal_reads_typed_fields(name: str, written: dict[str, Path]) -> None:
    layer = "incidents" if name == "gpkg" else None
    _, table = pyogrio.read_arrow(written[name], layer=layer)
    types = {f.name: str(f.type) for f in table.schema}
    assert {k: types.get(k) for k in _FILE_TYPES[name]} == _FILE_TYPES[name]
    assert table.num_rows == len(incidents())


def test_geoparquet_types_and_metadata(written: dict[str, Path]) -> None:
    table = pq.read_table(written["parquet"])
    types = {f.name: str(f.type) for f in table.schema}
    assert types["event_date"] == "date32[day]"
    assert types["time_precision"] == "int8"
    assert types["killed"] == "int32"
    assert types["killed_at_least"] == "bool"
    assert types["sources"] == "list<element: string>"
    assert types["geometry"] == "binary"
    geo = json.loads(table.schema.metadata[b"geo"])
    assert geo["primary_column"] == "geometry"
    assert geo["columns"]["geometry"]["encoding"] == "WKB"
    assert geo["columns"]["geometry"]["geometry_types"] == ["Point"]
    assert table.column_names[:-1] == [c.name for c in SCHEMA]
    row = table.slice(0, 1).to_pylist()[0]
    assert row["sources"] == ["Reuters", "AP"]
    assert str(row["event_date"]) == "2024-07-30"


def test_geojson_follows_rfc_7946(written: dict[str, Path]) -> None:
    doc = json.loads(written["geojson"].read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc
    assert "name" not in doc
    for feature in doc["features"]:
        assert isinstance(feature["id"], str) and feature["id"]
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        if geometry is not None:
            for value in geometry["coordinates"]:
                assert len(repr(value).split(".")[-1]) <= 6
    first = doc["features"][0]
    assert first["id"] == "iq-babel-0730"
    assert first["properties"]["event_date"] == "2024-07-30"
    assert first["properties"]["sources"] == ["Reuters", "AP"]
    assert first["geometry"]["coordinates"] == [44.550176, 32.468191]  # lon, lat
    unplaced = next(f for f in doc["features"] if f["id"] == "iq-four-more")
    assert unplaced["geometry"] is None
    assert unplaced["properties"]["event_date"] is None


def test_geojson_sequence_has_one_feature_per_line(written: dict[str, Path]) -> None:
    lines = written["geojsonseq"].read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(incidents())
    features = [json.loads(line) for line in lines]
    assert all(f["type"] == "Feature" and f["id"] and "properties" in f for f in features)
    assert features[1]["properties"]["event_date"] == "2024-08-05"


def test_csv_has_wkt_latitude_and_longitude(written: dict[str, Path]) -> None:
    text = written["csv"].read_text(encoding="utf-8")
    header = text.splitlines()[0].split(",")
    assert header[0] == "WKT"
    assert header[1:] == [c.name for c in SCHEMA]
    assert '"POINT (44.550176 32.468191)",iq-babel-0730,2024-07-30,' in text
    assert '"Reuters; AP"' in text
    csvt = written["csv"].with_suffix(".csvt").read_text(encoding="ascii").strip().split(",")
    assert csvt[0] == "WKT"
    assert csvt[1 + [c.name for c in SCHEMA].index("event_date")] == "Date"


def test_kml_has_name_escaped_description_and_time_stamp(written: dict[str, Path]) -> None:
    text = written["kml"].read_text(encoding="utf-8")
    assert "<name>drone strike, Babel province</name>" in text
    # The quote is HTML-escaped inside the HTML description: markup in a report stays text.
    assert "killed &quot;at least four&quot; &lt;b&gt;&amp;</blockquote>" in text
    assert "<when>2024-07-30" in text
    assert "<coordinates>" in text and "44.550176,32.468191" in text


def test_geopackage_is_version_1_3_with_its_layers(written: dict[str, Path]) -> None:
    import sqlite3

    con = sqlite3.connect(written["gpkg"])
    try:
        app_id, version = (
            con.execute("PRAGMA application_id").fetchone()[0],
            con.execute("PRAGMA user_version").fetchone()[0],
        )
        columns = {r[1]: r[2] for r in con.execute("PRAGMA table_info(incidents)")}
    finally:
        con.close()
    assert app_id == 0x47504B47  # "GPKG"
    assert version == 10300
    assert columns["event_date"] == "DATE"
    assert columns["killed"] in ("MEDIUMINT", "INTEGER")
    assert columns["killed_at_least"] == "BOOLEAN"
    layers = [str(n) for n, _ in pyogrio.list_layers(written["gpkg"])]
    assert layers == ["incidents", "mentions"]


# ----- ogrinfo (Debian's gdal-bin, installed by .ci/run) -----

_OGRINFO = shutil.which("ogrinfo")
_FIELD = re.compile(r"^(\w+): (\w+(?:\(\w+\))?) \(")


def ogrinfo_layers(path: Path) -> dict[str, dict[str, Any]]:
    """``ogrinfo -al -so`` parsed: per layer, its geometry, feature count and field types."""
    run = subprocess.run(
        [str(_OGRINFO), "-ro", "-al", "-so", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Warning" not in run.stderr, run.stderr
    assert "ERROR" not in run.stderr, run.stderr
    layers: dict[str, dict[str, Any]] = {}
    current: dict[str, Any] = {}
    for line in run.stdout.splitlines():
        if line.startswith("Layer name: "):
            current = {"fields": {}}
            layers[line.removeprefix("Layer name: ")] = current
        elif line.startswith("Geometry: "):
            current["geometry"] = line.removeprefix("Geometry: ")
        elif line.startswith("Feature Count: "):
            current["count"] = int(line.removeprefix("Feature Count: "))
        elif m := _FIELD.match(line):
            current["fields"][m.group(1)] = m.group(2)
    return layers


_OGR_EXPECTED = {
    "geojson": ("Point", {"id": "String", "event_date": "Date", "time_precision": "Integer",
                          "killed": "Integer", "killed_at_least": "Integer(Boolean)",
                          "latitude": "Real", "sources": "StringList"}),
    "gpkg": ("Point", {"incident_id": "String", "event_date": "Date",
                       "time_precision": "Integer(Int16)", "killed": "Integer",
                       "killed_at_least": "Integer(Boolean)", "latitude": "Real",
                       "sources": "String"}),
    "csv": ("Unknown (any)", {"incident_id": "String", "event_date": "Date",
                              "time_precision": "Integer(Int16)", "killed": "Integer",
                              "killed_at_least": "Integer(Boolean)", "latitude": "Real",
                              "sources": "String"}),
    "kml": ("Unknown (any)", {"incident_id": "String", "timestamp": "DateTime",
                              "killed": "Integer", "latitude": "Real", "sources": "String"}),
}  # fmt: skip
_OGR_EXPECTED["geojsonseq"] = _OGR_EXPECTED["geojson"]


@pytest.mark.skipif(_OGRINFO is None, reason="ogrinfo not installed (apt-get install gdal-bin)")
@pytest.mark.parametrize("name", sorted(_OGR_EXPECTED))
def test_ogrinfo_opens_every_file(name: str, written: dict[str, Path]) -> None:
    geometry, fields = _OGR_EXPECTED[name]
    layers = ogrinfo_layers(written[name])
    layer = layers["incidents"] if name in ("gpkg", "kml") else next(iter(layers.values()))
    assert layer["geometry"] == geometry
    assert layer["count"] == len(incidents())
    assert {k: layer["fields"].get(k) for k in fields} == fields
    if name == "gpkg":
        assert layers["mentions"]["count"] == 0
        assert layers["mentions"]["geometry"] == "Point"
        assert layers["mentions"]["fields"]["start"] == "Integer"


@pytest.mark.skipif(_OGRINFO is None, reason="ogrinfo not installed (apt-get install gdal-bin)")
def test_ogrinfo_opens_zero_row_files_with_their_schema(tmp_path: Path) -> None:
    for name in ("gpkg", "csv"):
        path = tmp_path / f"none{EXTENSIONS[name]}"
        export(empty_frame(), path)
        (layer,) = [v for k, v in ogrinfo_layers(path).items() if k in ("incidents", "none")]
        assert layer["count"] == 0
        assert layer["fields"]["event_date"] == "Date"
        assert layer["fields"]["killed"] == "Integer"


@pytest.mark.skipif(_OGRINFO is None, reason="ogrinfo not installed (apt-get install gdal-bin)")
def test_ogrinfo_opens_the_geoparquet_where_gdal_can(written: dict[str, Path]) -> None:
    formats = subprocess.run(
        [str(_OGRINFO), "--formats"], capture_output=True, text=True, check=True
    ).stdout
    if "Parquet" not in formats:
        pytest.skip("this GDAL (Debian 12: 3.6) has no Parquet driver; pyarrow checks the file")
    (layer,) = ogrinfo_layers(written["parquet"]).values()
    assert layer["geometry"] == "Point"
    assert layer["count"] == len(incidents())
    assert layer["fields"]["event_date"] == "Date"
    assert layer["fields"]["killed"] == "Integer"


# ----- @placemarkio/check-geojson -----

_CHECK_GEOJSON = "@placemarkio/check-geojson"


@pytest.mark.parametrize("name", ["geojson", "geojsonseq"])
def test_geojson_passes_check_geojson(name: str, written: dict[str, Path], gdf: Any) -> None:
    node = require_npm_package(_CHECK_GEOJSON)
    args = [node, str(TESTS / "check_geojson.js"), str(written[name])]
    if name == "geojsonseq":
        args.append("--lines")
    run = subprocess.run(args, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    issues = json.loads(run.stdout)
    assert len(issues) == (1 if name == "geojson" else len(gdf))
    assert all(i == [] for i in issues)


def test_check_geojson_rejects_a_broken_file(tmp_path: Path) -> None:
    node = require_npm_package(_CHECK_GEOJSON)
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "Feature", "properties": {}, "geometry": '
                   '{"type": "Point", "coordinates": [44.5]}}')  # fmt: skip
    run = subprocess.run(
        [node, str(TESTS / "check_geojson.js"), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "position" in run.stdout


def test_clean_rows_export_without_a_warning(gdf: Any, tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        export(gdf, tmp_path / "clean.geojson")  # no suspect: no warning

"""``geomap.export``: formats, schemas, the point checks, atomic writes and overwrite rules."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point

from geomap._atomic import manifest_path
from geomap._errors import ExportFormatError, ExportOverwriteError, ExportSchemaError
from geomap.cli import cli
from geomap.exporters.bounds import CountryBox, country_boxes, installed_points
from geomap.exporters.write import (
    ACLED_COLUMNS,
    export,
    find_suspects,
    format_for,
    mentions_to_geodataframe,
    read_incidents,
    read_layers,
)
from geomap.frame import to_geodataframe
from geomap.records import Incident, Mention
from tests.export_rows import SWAPPED, incidents

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def gdf() -> Any:
    return to_geodataframe(incidents())


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ----- formats and arguments -----


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.geojson", "geojson"),
        ("a.JSON", "geojson"),
        ("a.geojsonl", "geojsonseq"),
        ("a.gpkg", "gpkg"),
        ("a.csv", "csv"),
        ("a.kml", "kml"),
        ("a.parquet", "parquet"),
    ],
)
def test_format_follows_the_extension(name: str, expected: str) -> None:
    assert format_for(name).name == expected


def test_format_argument_wins_over_the_extension(gdf: Any, tmp_path: Path) -> None:
    result = export(gdf, tmp_path / "incidents.txt", format="gpkg")
    assert result.format == "gpkg"
    assert (tmp_path / "incidents.txt").read_bytes()[:15] == b"SQLite format 3"


def test_unknown_extension_and_format_say_what_is_valid() -> None:
    with pytest.raises(ExportFormatError, match=r"cannot tell the format of 'a\.shp'.*\.gpkg"):
        format_for("a.shp")
    with pytest.raises(ExportFormatError, match=r"unknown export format 'shp'; valid formats"):
        format_for("a.gpkg", "shp")


def test_bad_schema_and_precision_are_refused(gdf: Any, tmp_path: Path) -> None:
    with pytest.raises(ExportSchemaError, match=r"unknown schema 'ucdp'; valid schemas"):
        export(gdf, tmp_path / "a.csv", schema="ucdp")
    with pytest.raises(ExportSchemaError, match=r"precision must be 0 to 15 decimals, got 16"):
        export(gdf, tmp_path / "a.csv", precision=16)


def test_missing_columns_and_crs_are_refused(gdf: Any, tmp_path: Path) -> None:
    with pytest.raises(ExportSchemaError, match=r"lacks the columns \['killed'\]"):
        export(gdf.drop(columns="killed"), tmp_path / "a.geojson")
    with pytest.raises(ExportSchemaError, match=r"CRS is not set\. Cannot re-project to WGS84"):
        export(gdf.set_crs(None, allow_override=True), tmp_path / "a.geojson")
    assert _listing(tmp_path) == []


def test_rows_need_an_incident_id(gdf: Any, tmp_path: Path) -> None:
    gdf.loc[2, "incident_id"] = ""
    with pytest.raises(ExportSchemaError, match=r"1 rows have no incident_id \(first: row 2\)"):
        export(gdf, tmp_path / "a.geojson")


def test_other_crs_is_reprojected_to_wgs84(gdf: Any, tmp_path: Path) -> None:
    export(gdf.to_crs(3857), tmp_path / "a.geojson")
    back = read_incidents(tmp_path / "a.geojson")
    assert back.geometry.iloc[0].x == pytest.approx(44.550176, abs=1e-6)


def test_precision_rounds_points_and_columns(gdf: Any, tmp_path: Path) -> None:
    export(gdf, tmp_path / "a.geojson", precision=2)
    doc = json.loads((tmp_path / "a.geojson").read_text())
    first = doc["features"][0]
    assert first["geometry"]["coordinates"] == [44.55, 32.47]
    assert (first["properties"]["latitude"], first["properties"]["longitude"]) == (32.47, 44.55)


def test_extra_columns_are_not_written(gdf: Any, tmp_path: Path) -> None:
    gdf["scratch"] = 1
    export(gdf, tmp_path / "a.geojson")
    assert "scratch" not in (tmp_path / "a.geojson").read_text()


# ----- the point checks -----


def test_every_fixture_row_passes_the_checks(gdf: Any) -> None:
    # The antimeridian (Fiji, both sides), Svalbard at 78 N, unplaced and country-level rows.
    assert find_suspects(gdf) == []


def test_swapped_coordinates_are_caught_reported_and_left_out(tmp_path: Path) -> None:
    frame = to_geodataframe([*incidents(), SWAPPED])
    with pytest.warns(UserWarning, match=r"1 rows with suspect coordinates left out") as w:
        result = export(frame, tmp_path / "a.geojson")
    assert "row 9 (incident 'iq-swapped')" in str(w[0].message)
    (suspect,) = result.suspects
    assert (suspect.row, suspect.position, suspect.country) == (9, 9, "IQ")
    assert str(suspect) == (
        "row 9 (incident 'iq-swapped'): latitude 44.441218, longitude 33.785608 is outside "
        "IQ's bounding box (latitude 29.474 to 37.737, longitude 38.433 to 48.973); "
        "latitude and longitude look swapped"
    )
    assert result.rows == len(incidents())
    assert "iq-swapped" not in (tmp_path / "a.geojson").read_text()


def test_keep_suspect_writes_the_row_and_still_reports_it(tmp_path: Path) -> None:
    frame = to_geodataframe([SWAPPED])
    with pytest.warns(UserWarning, match=r"1 rows with suspect coordinates kept"):
        result = export(frame, tmp_path / "a.geojson", keep_suspect=True)
    assert result.rows == 1 and len(result.suspects) == 1
    assert "iq-swapped" in (tmp_path / "a.geojson").read_text()


def test_suspects_are_reported_by_the_frames_own_row_labels() -> None:
    frame = to_geodataframe([incidents()[0], SWAPPED]).set_axis(["a", "b"])
    (suspect,) = find_suspects(frame.reset_index(drop=True), labels=frame.index)
    assert suspect.row == "b"


@pytest.mark.parametrize(
    ("geometry", "problem"),
    [
        (Point(44.5, 95.0), "coordinates out of range: latitude 95.0, longitude 44.5"),
        (Point(44.5, float("nan")), "coordinates out of range"),
        (LineString([(44, 32), (45, 33)]), "a LineString, not a Point"),
        (Point(44.0, 32.0), "disagrees with the latitude/longitude columns"),
        (None, "latitude/longitude columns are set but the geometry is empty"),
    ],
)
def test_each_check_names_its_problem(geometry: Any, problem: str) -> None:
    frame = to_geodataframe(incidents()[:1])
    frame.loc[0, "geometry"] = geometry
    (suspect,) = find_suspects(frame)
    assert problem in suspect.problem


def test_a_country_without_a_box_is_checked_for_range_only() -> None:
    row = replace(incidents()[0], country="ZZ")
    assert find_suspects(to_geodataframe([row])) == []


def test_country_boxes_cross_the_antimeridian() -> None:
    fiji = CountryBox("FJ", 176.55, -21.15, -178.0, -11.98)
    assert fiji.contains(-17.8, 178.4) and fiji.contains(-18.2, -178.8)
    assert not fiji.contains(-17.8, 170.0)
    (russia_east,) = [b for b in country_boxes()["RU"] if b.west > b.east]
    assert russia_east.contains(64.7, 177.5) and russia_east.contains(66.0, -171.0)


def test_every_installed_place_is_inside_its_countrys_boxes() -> None:
    """The shipped boxes hold every place of the installed data (no false alarms)."""
    boxes = country_boxes()
    outside = [
        (cc, lat, lon)
        for cc, lat, lon in installed_points()
        if cc in boxes and not any(b.contains(lat, lon) for b in boxes[cc])
    ]
    assert outside == []
    assert len(boxes) > 240


# ----- atomic writes and overwriting -----


def test_manifest_records_what_was_written(gdf: Any, tmp_path: Path) -> None:
    result = export(gdf, tmp_path / "a.csv")
    assert _listing(tmp_path) == ["a.csv", "a.csv.geomap.json", "a.csvt", "a.prj"]
    manifest = json.loads((tmp_path / "a.csv.geomap.json").read_text())
    assert manifest["generator"] == "geomap"
    assert manifest["format"] == "csv" and manifest["rows"] == len(gdf)
    assert sorted(manifest["files"]) == ["a.csv", "a.csvt", "a.prj"]
    assert manifest["files"]["a.csv"]["bytes"] == result.bytes


def test_own_file_is_overwritten_foreign_or_edited_ones_are_not(gdf: Any, tmp_path: Path) -> None:
    out = tmp_path / "a.geojson"
    export(gdf, out)
    export(gdf.iloc[:2], out)  # ours, unchanged: replaced
    assert len(read_incidents(out)) == 2
    out.write_text(out.read_text().replace("drone strike", "edited"))
    with pytest.raises(ExportOverwriteError, match=r"a\.geojson' was changed since geomap"):
        export(gdf, out)
    foreign = tmp_path / "theirs.gpkg"
    foreign.write_bytes(b"not ours")
    with pytest.raises(ExportOverwriteError, match=r"theirs\.gpkg' exists and geomap did not"):
        export(gdf, foreign)
    assert foreign.read_bytes() == b"not ours"
    export(gdf, foreign, force=True)
    assert len(read_incidents(foreign)) == len(gdf)


def test_interrupted_write_leaves_nothing_behind(
    gdf: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    mod = importlib.import_module("geomap.exporters.write")
    out = tmp_path / "a.gpkg"
    export(gdf, out)
    before = out.read_bytes()

    def half_then_ctrl_c(frame: Any, path: Path, *args: Any) -> None:
        path.write_bytes(b"half a file")
        raise KeyboardInterrupt

    monkeypatch.setattr(mod, "_write", half_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        export(gdf, out)
    assert out.read_bytes() == before
    assert _listing(tmp_path) == ["a.gpkg", "a.gpkg.geomap.json"]


def test_ctrl_c_in_a_real_process_never_leaves_a_half_file(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT) lands while the file is written under its temporary name, before the
    rename. The child says when it is there (an event, not a timer) and waits on stdin for
    the interrupt, so the test is the same on an idle machine and a loaded one."""
    target = tmp_path / "big.geojsonl"
    script = (
        "import signal, sys\n"
        # as in a terminal: a shell that started the tests in the background left SIGINT
        # ignored, and a child inherits that
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "import geomap.exporters.write as w\n"
        "from geomap.frame import to_geodataframe\n"
        "from tests.export_rows import incidents\n"
        "real = w.write_geojsonseq\n"
        "def paused(table, path, options):\n"
        "    digest = real(table, path, options)\n"
        "    print('written', path, flush=True)\n"
        "    sys.stdin.readline()  # Ctrl-C lands here: written, not yet renamed\n"
        "    return digest\n"
        "w.write_geojsonseq = paused\n"
        f"w.export(to_geodataframe(incidents()[:3] * 1000), {str(target)!r})\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ) as proc:
        assert proc.stdout is not None
        event = proc.stdout.readline().decode()  # the child is writing (or has died)
        if not event.startswith("written "):
            _, err = proc.communicate()
            pytest.fail(f"the child never wrote: {err.decode()}")
        part = Path(event.split(" ", 1)[1].strip())
        assert part.exists() and ".part" in part.name and not target.exists()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=600)  # a bound against a hang, not a race
    assert proc.returncode != 0
    assert b"KeyboardInterrupt" in err
    assert _listing(tmp_path) == []


# ----- schemas and layers -----


def test_acled_csv_has_acleds_columns_and_codes(gdf: Any, tmp_path: Path) -> None:
    import csv

    out = tmp_path / "acled.csv"
    export(gdf, out, schema="acled")
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(ACLED_COLUMNS)
    first = {k: v for k, v in rows[0].items() if v}
    assert first == {
        "event_id_cnty": "iq-babel-0730",
        "event_date": "2024-07-30",
        "year": "2024",
        "time_precision": "1",
        "disorder_type": "Political violence",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": "United States",
        "actor2": "Kataib Hezbollah",
        "iso": "368",
        "country": "Iraq",
        "admin1": "Babil",
        "location": "Babel province",
        "latitude": "32.468191",
        "longitude": "44.550176",
        "geo_precision": "3",
        "source": "Reuters; AP",
        "notes": 'A U.S. drone strike on a base in Babel province killed "at least four" <b>&',
        "fatalities": "4",
    }
    assert rows[3]["fatalities"] == "0"  # not said: ACLED's 0
    assert rows[5]["geo_precision"] == "3"  # ACLED has no country-level code
    assert not (tmp_path / "acled.prj").exists()  # no geometry column: no WKT, no .prj


def test_acled_csv_reads_back_through_the_acled_reader(gdf: Any, tmp_path: Path) -> None:
    out = tmp_path / "acled.csv"
    export(gdf, out, schema="acled")
    with pytest.warns(UserWarning, match=r"1 rows of .*acled\.csv' could not be read.*line 5"):
        back = read_incidents(out)  # the undated row: ACLED rows need a date
    dated = gdf[gdf["event_date"].notna()].reset_index(drop=True)
    assert list(back["incident_id"]) == list(dated["incident_id"])
    assert list(back["killed"].fillna(0)) == list(dated["killed"].fillna(0))
    assert list(back["country"]) == list(dated["country"])
    assert list(back["sources"].iloc[0]) == ["Reuters", "AP"]
    assert back["latitude"].iloc[0] == pytest.approx(32.468191)


def test_acled_schema_works_for_geojson(gdf: Any, tmp_path: Path) -> None:
    export(gdf, tmp_path / "acled.geojson", schema="acled")
    feature = json.loads((tmp_path / "acled.geojson").read_text())["features"][1]
    assert feature["id"] == "iq-ain-al-asad-0805"
    assert feature["properties"]["fatalities"] == 0
    assert feature["properties"]["event_date"] == "2024-08-05"


def test_geopackage_holds_mentions_and_regions(gdf: Any, tmp_path: Path) -> None:
    import geopandas

    from gazetteer.records import Candidate

    place = Candidate("geonames:98182", "Baghdad", 33.34058, 44.40088, "city", "IQ",
                      "Baghdad", "IQ-BG", 7216000, 0.9)  # fmt: skip
    mentions = mentions_to_geodataframe(
        [
            ("babel", Mention(40, 47, "Baghdad", (0, 80), place=place, score=0.9)),
            ("babel", Mention(60, 64, "Zzyx", (0, 80))),
        ]
    )
    regions = geopandas.GeoDataFrame(
        {"admin1_code": ["IQ-BB"], "incidents": [1], "killed": [4]},
        geometry=[Point(44.55, 32.47).buffer(0.5)],
        crs="EPSG:4326",
    )
    out = tmp_path / "a.gpkg"
    export(gdf, out, layers={"mentions": mentions, "regions": regions})
    layers = read_layers(out)
    assert list(layers) == ["mentions", "regions"]
    assert list(layers["mentions"]["surface"]) == ["Baghdad", "Zzyx"]
    assert layers["mentions"].geometry.iloc[0].x == pytest.approx(44.40088)
    assert layers["mentions"].geometry.iloc[1] is None
    assert str(layers["mentions"]["start"].dtype) == "Int32"
    assert int(layers["regions"]["killed"].iloc[0]) == 4
    with pytest.raises(ExportSchemaError, match=r"unknown layers \['roads'\]"):
        export(gdf, out, layers={"roads": regions})


# ----- property: a GeoJSON write then read returns the same data -----

_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("\n\t\"'"),
    max_size=30,
)


@st.composite
def _incident_rows(draw: st.DrawFn) -> list[Incident]:
    rows = []
    for i in range(draw(st.integers(0, 5))):
        placed = draw(st.booleans())
        rows.append(
            replace(
                incidents()[0],
                incident_id=f"id-{i}",
                label=draw(_text),
                quote=draw(_text),
                killed=draw(st.none() | st.integers(0, 10_000)),
                killed_at_least=draw(st.booleans()),
                latitude=draw(st.floats(29.5, 37.7)) if placed else None,
                longitude=draw(st.floats(38.5, 48.9)) if placed else None,
                sources=tuple(
                    draw(st.lists(_text.filter(lambda s: s and "; " not in s), max_size=3))
                ),
                confidence=draw(st.floats(0, 1)),
            )
        )
    return rows


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=_incident_rows(), name=st.sampled_from(["a.geojson", "a.gpkg", "a.csv"]))
def test_write_then_read_returns_the_same_data(rows: list[Incident], name: str) -> None:
    import tempfile

    frame = to_geodataframe(rows)
    with tempfile.TemporaryDirectory() as folder:
        export(frame, Path(folder) / name)
        back = read_incidents(Path(folder) / name)
    assert list(back["incident_id"]) == list(frame["incident_id"])
    assert list(back["label"]) == list(frame["label"])
    assert list(back["quote"]) == list(frame["quote"])
    assert list(back["killed"]) == list(frame["killed"])
    assert [list(s) for s in back["sources"]] == [list(s) for s in frame["sources"]]
    assert list(back["latitude"].round(6)) == list(frame["latitude"].round(6))
    assert dict(back.dtypes) == dict(frame.dtypes)


# ----- the command -----


def test_cli_exports_and_reports_suspects(tmp_path: Path) -> None:
    source = tmp_path / "in.gpkg"
    with pytest.warns(UserWarning):
        export(to_geodataframe([*incidents(), SWAPPED]), source, keep_suspect=True)
    runner = CliRunner()
    result = runner.invoke(cli, ["export", str(source), "-o", str(tmp_path / "out.geojson")])
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith(f"wrote 9 incidents to {tmp_path / 'out.geojson'} (GeoJSON")
    assert "suspect (left out): row 9 (incident 'iq-swapped'): latitude 44.441218" in (
        result.stderr
    )
    assert "1 suspect rows left out; fix them or pass --keep-suspect" in result.stderr
    result = runner.invoke(
        cli, ["export", str(source), "-o", str(tmp_path / "out.geojson"), "--keep-suspect"]
    )
    assert result.exit_code == 0, result.output
    assert "wrote 10 incidents" in result.stdout


def test_cli_refuses_a_foreign_file_with_one_error_line(gdf: Any, tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    export(gdf, source)
    target = tmp_path / "notes.csv"
    target.write_text("mine\n")
    result = CliRunner().invoke(cli, ["export", str(source), "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: {str(target)!r} exists and geomap did not write it (no matching "
        "notes.csv.geomap.json); pass --force (force=True) to overwrite it"
    )
    result = CliRunner().invoke(cli, ["export", str(source), "-o", str(target), "--force"])
    assert result.exit_code == 0


def test_cli_export_has_help() -> None:
    result = CliRunner().invoke(cli, ["export", "--help"])
    assert result.exit_code == 0
    assert "geomap export incidents.gpkg -o incidents.geojson" in result.output


def test_parallel_geojson_sequence_equals_the_single_process_one(
    gdf: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geomap.exporters.geojsonseq as seq

    export(gdf, tmp_path / "one.geojsonl")
    monkeypatch.setattr(seq, "PARALLEL_MIN_ROWS", 0)
    monkeypatch.setattr(seq, "_workers", lambda: 3)
    monkeypatch.setattr(seq, "_CHUNK", 7)  # Features cut across reads
    export(gdf, tmp_path / "three.geojsonl")
    one = (tmp_path / "one.geojsonl").read_bytes()
    assert (tmp_path / "three.geojsonl").read_bytes() == one
    assert one.count(b"\n") == len(gdf)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_kml_is_well_formed_whatever_the_report_text(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    nasty = 'ends a CDATA ]]> here, \x0b a control, <script>alert("x")</script> & more'
    row = replace(incidents()[0], quote=nasty, label="<b>strike</b>", location="A & B")
    export(to_geodataframe([row]), tmp_path / "a.kml")
    root = ET.parse(tmp_path / "a.kml").getroot()
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    (placemark,) = root.findall(".//k:Placemark", ns)
    assert placemark.findtext("k:name", namespaces=ns) == "<b>strike</b>, A & B"
    description = placemark.findtext("k:description", namespaces=ns)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in description
    assert "ends a CDATA ]]&gt; here,  a control" in description
    assert placemark.findtext("k:TimeStamp/k:when", namespaces=ns) == "2024-07-30"
    quote = placemark.find(".//k:SimpleData[@name='quote']", ns)
    assert quote is not None and quote.text == nasty.replace("\x0b", "")
    back = read_incidents(tmp_path / "a.kml")
    assert back["quote"].iloc[0] == nasty.replace("\x0b", "")


@pytest.mark.parametrize("name", ["a.geojson", "a.geojsonl"])
def test_json_looking_text_stays_text(name: str, tmp_path: Path) -> None:
    # GDAL's default would write these as a JSON array and object.
    row = replace(incidents()[0], quote="[1, 2]", label='{"a": 1}')
    export(to_geodataframe([row]), tmp_path / name)
    text = (tmp_path / name).read_text(encoding="utf-8")
    assert '"quote": "[1, 2]"' in text
    back = read_incidents(tmp_path / name)
    assert back[["label", "quote"]].iloc[0].tolist() == ['{"a": 1}', "[1, 2]"]


def test_json_looking_text_in_a_parallel_sequence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geomap.exporters.geojsonseq as seq

    monkeypatch.setattr(seq, "PARALLEL_MIN_ROWS", 0)
    monkeypatch.setattr(seq, "_workers", lambda: 2)
    rows = [replace(r, quote="[1, 2]") if i == 5 else r for i, r in enumerate(incidents())]
    export(to_geodataframe(rows), tmp_path / "a.geojsonl")
    back = read_incidents(tmp_path / "a.geojsonl")
    assert back["quote"].iloc[5] == "[1, 2]"
    assert list(back["incident_id"]) == [r.incident_id for r in rows]


CREDIT = "GeoNames (www.geonames.org), CC BY 4.0"


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml", "parquet", "csv"])
def test_attribution_travels_into_the_file_and_its_manifest(
    gdf: Any, tmp_path: Path, fmt: str
) -> None:
    import sqlite3

    import pyarrow.parquet as pq

    path = tmp_path / f"incidents.{fmt}"
    export(gdf, path, format=fmt, attribution=[CREDIT])
    manifest = json.loads(manifest_path(path).read_text())
    assert manifest["attribution"] == [CREDIT]
    if fmt == "geojson":
        assert CREDIT in json.loads(path.read_text())["description"]
    elif fmt == "gpkg":
        with sqlite3.connect(path) as con:
            (description,) = con.execute(
                "SELECT description FROM gpkg_contents WHERE table_name = 'incidents'"
            ).fetchone()
        assert description.endswith(f"written by geomap; place data: {CREDIT}")
    elif fmt == "kml":
        assert f"<description>place data: {CREDIT}</description>" in path.read_text()
    elif fmt == "parquet":
        meta = json.loads(pq.read_schema(path).metadata[b"geomap"])
        assert meta["attribution"] == [CREDIT]


def test_no_attribution_by_default(gdf: Any, tmp_path: Path) -> None:
    path = tmp_path / "incidents.geojson"
    export(gdf, path)
    assert "description" not in json.loads(path.read_text())
    assert json.loads(manifest_path(path).read_text())["attribution"] == []

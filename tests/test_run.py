"""`geomap run`: the whole job on the bundled examples, bad inputs, --strict, determinism."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyogrio
import pytest
from click.testing import CliRunner

from geomap.cli import cli

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).parents[1] / "examples" / "reports"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["run", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run") / "outputs"
    code, stdout, stderr = _run(str(EXAMPLES), "-o", str(out))
    assert code == 0, stderr
    assert "incidents" in stdout
    return out


def _summary(out: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return data


def test_every_output_file_is_written(outputs: Path) -> None:
    for name in ("incidents.geojson", "incidents.gpkg", "incidents.csv", "places.geojson",
                 "map.html", "summary.json"):  # fmt: skip
        assert (outputs / name).stat().st_size > 0, name


def test_counts_match_the_summary(outputs: Path) -> None:
    summary = _summary(outputs)
    reports = sorted(EXAMPLES.glob("*.md"))
    assert summary["reports_read"] == len(reports)
    assert summary["skipped"] == []
    for name in ("incidents.geojson", "incidents.csv"):
        assert pyogrio.read_info(outputs / name)["features"] == summary["incidents"], name
    layers = {name for name, _ in pyogrio.list_layers(outputs / "incidents.gpkg")}
    assert {"incidents", "mentions"} <= layers
    assert (
        pyogrio.read_info(outputs / "incidents.gpkg", layer="incidents")["features"]
        == (summary["incidents"])
    )
    assert pyogrio.read_info(outputs / "places.geojson")["features"] == summary["places_resolved"]
    assert summary["reports_without_incident"] == ["withdrawal-talks"]
    assert summary["incidents_merged"] == summary["incidents_found"] - summary["incidents"]  # type: ignore[operator]


def test_places_keep_their_report_and_offsets(outputs: Path) -> None:
    places = json.loads((outputs / "places.geojson").read_text(encoding="utf-8"))
    assert "crs" not in places
    texts = {}
    for path in EXAMPLES.glob("*.md"):
        from geomap.readers.reports import read_text_report

        report = read_text_report(path)
        texts[report.id] = report.text
    for feature in places["features"]:
        p = feature["properties"]
        assert texts[p["report_id"]][p["start"] : p["end"]] == p["surface"]


def test_the_map_works_in_a_browser_with_no_network(outputs: Path) -> None:
    """Opened from disk with every other request blocked: see tests/test_render_browser.py."""
    from tests.map_browser import assert_works_offline, browser_missing, chromium, open_offline

    if why := browser_missing():
        if os.environ.get("CI"):
            raise RuntimeError(f"the browser test cannot run: {why}")
        pytest.skip(why)
    with chromium() as browser:
        opened = open_offline(browser, outputs / "map.html")
        drawn = _summary(outputs)["incidents_on_map"]
        assert isinstance(drawn, int) and drawn > 0
        assert_works_offline(opened, drawn=drawn)


def test_two_runs_write_identical_files(outputs: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    code, _, stderr = _run(str(EXAMPLES), "-o", str(again), "-q")
    assert code == 0, stderr
    for path in sorted(outputs.iterdir()):
        if path.name.startswith("summary.json"):
            continue  # its "seconds" are timings
        assert path.read_bytes() == (again / path.name).read_bytes(), path.name
    first, second = _summary(outputs), _summary(again)
    first.pop("seconds")
    second.pop("seconds")
    assert first == second


def _mixed_inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted(EXAMPLES.glob("0[1-3]*.md")):
        shutil.copy(path, folder / path.name)
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    (folder / "empty.md").write_text("", encoding="utf-8")
    (folder / "batch.jsonl").write_text(
        '{"id": "j1", "text": "Rockets hit Camp Taji on Monday.", "published": "2020-03-16"}\n'
        "{this is not json\n",
        encoding="utf-8",
    )
    (folder / "table.csv").write_text("location,notes\nBasra,a row without a date\n", "utf-8")
    return folder


def test_bad_inputs_are_named_and_the_good_ones_processed(tmp_path: Path) -> None:
    folder = _mixed_inputs(tmp_path)
    out = tmp_path / "out"
    code, _, stderr = _run(str(folder), str(tmp_path / "missing.md"), "-o", str(out))
    assert code == 1
    skipped = {Path(s["path"]).name: s for s in _summary(out)["skipped"]}  # type: ignore[attr-defined]
    assert {"photo.txt", "empty.md", "batch.jsonl", "table.csv", "missing.md"} <= set(skipped)
    assert skipped["batch.jsonl"]["line"] == 2
    for name in ("photo.txt", "empty.md", "batch.jsonl", "table.csv", "missing.md"):
        assert name in stderr
    assert _summary(out)["reports_read"] == 4  # three reports and the good JSON line


def test_strict_stops_at_the_first_bad_input_and_writes_nothing(tmp_path: Path) -> None:
    folder = _mixed_inputs(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(folder), "-o", str(out), "--strict"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.output
    assert not out.exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["run", str(EXAMPLES), "--formats", "shapefile",
                                      "-o", str(tmp_path)])  # fmt: skip
    assert result.exit_code in (1, 2)
    assert "unknown format 'shapefile'" in result.stderr
    assert CliRunner().invoke(cli, ["run"]).exit_code == 2


def test_python_m_geomap_works_like_geomap() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "geomap", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("geomap, version")


def test_the_place_data_is_credited(outputs: Path) -> None:
    geonames = "GeoNames (www.geonames.org), CC BY 4.0"
    assert f"Place data: {geonames}" in (outputs / "map.html").read_text(encoding="utf-8")
    assert geonames in json.loads((outputs / "incidents.geojson").read_text())["description"]
    manifest = json.loads((outputs / "incidents.csv.geomap.json").read_text())
    assert geonames in manifest["attribution"]

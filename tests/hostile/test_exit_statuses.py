"""The README's table of exit statuses holds for every command.

0: everything read and written; 1: an input skipped, an input file missing or unreadable,
no reports, or the work failed (one ``Error:`` line); 2: a usage error (an unknown command
or option, a missing argument, an option value checked before any work).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.hostile.conftest import ROOT, geomap

COMMANDS = [
    ("run",), ("places",), ("incidents",), ("map",), ("export",), ("eval", "geoparse"),
    ("eval", "incidents"), ("gazetteer", "lookup"), ("gazetteer", "build"),
    ("gazetteer", "info"), ("gazetteer", "import"),
]  # fmt: skip


def test_the_readme_has_one_table_of_exit_statuses() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count("**Exit statuses**") == 1
    rows = re.findall(r"^\| ([0-9]) \| (.+) \|$", readme, flags=re.MULTILINE)
    assert [status for status, _ in rows] == ["0", "1", "2"]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_and_usage_errors(mini: Path, command: tuple[str, ...]) -> None:
    assert geomap(*command, "--help").status == 0
    unknown = geomap(*command, "--no-such-option")
    assert unknown.status == 2
    assert unknown.stderr.strip().splitlines()[-1].startswith("Error: No such option")


@pytest.fixture
def written(mini: Path, reports: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    assert geomap("run", reports, "-o", out).status == 0
    return out


def _cases(reports: Path, out: Path, missing: Path) -> list[tuple[list[str | Path], int, str]]:
    """(arguments, status, what the last line of stderr starts with) for every command."""
    bad_report = missing.with_name("bad.md")
    return [
        # 0: all read and written
        (["run", reports, "-o", out / "again"], 0, ""),
        (["places", reports], 0, ""),
        (["incidents", reports], 0, ""),
        (["map", out / "incidents.geojson", "-o", out / "m.html"], 0, ""),
        (["export", out / "incidents.geojson", "-o", out / "x.gpkg"], 0, ""),
        (["gazetteer", "lookup", "Mosul", "--country", "IQ"], 0, ""),
        (["gazetteer", "info"], 0, ""),
        (["gazetteer", "build"], 0, ""),
        # 1: an input skipped, missing or unreadable; no reports; the work failed
        (["run", reports, bad_report, "-o", out / "more"], 1, "skipped: "),
        (["places", reports, missing], 1, "skipped: "),
        (["incidents", reports, missing], 1, "skipped: "),
        (["run", missing, "-o", out / "none"], 1, f"Error: no reports found in {missing}"),
        (["map", missing], 1, f"Error: {missing}: no such file or folder"),
        (["export", missing, "-o", out / "y.gpkg"], 1, f"Error: {missing}: no such file"),
        (["eval", "geoparse", missing], 1, f"Error: {missing}: no such file or folder"),
        (["eval", "incidents", missing], 1, f"Error: {missing}: no such file or folder"),
        (["gazetteer", "import", missing], 1, f"Error: {missing}: no such file or folder"),
        (["gazetteer", "lookup", "Mosul", "--places", missing], 1, f"Error: {missing}: no"),
        (["run", reports, "--boundaries", missing], 1, f"Error: {missing}: no such file"),
        (["map", reports], 1, f"Error: {reports} is a folder, not a regular file"),
        (["export", out / "map.html", "-o", out / "z.gpkg"], 1, "Error: "),
        # 2: usage errors
        (["run"], 2, "Error: Missing argument 'PATHS...'."),
        (["run", reports, "--formats", "geojson,kmz"], 2, "Error: Invalid value for '--formats'"),
        (["run", reports, "--formats", ","], 2, "Error: Invalid value for '--formats'"),
        (["run", reports, "--country", "Iraq"], 2, "Error: Invalid value for '--country'"),
        (["incidents", reports, "--country", "Iraq"], 2, "Error: Invalid value for '--country'"),
        (["places", reports, "--country", "Iraq"], 2, "Error: Invalid value for '--country'"),
        (["gazetteer", "lookup", "Mosul", "--country", "Iraq"], 2, "Error: Invalid value"),
        (["gazetteer", "lookup", "Mosul", "--feature", "castle"], 2, "Error: Invalid value"),
        (["gazetteer", "lookup", "Mosul", "--limit", "0"], 2, "Error: Invalid value"),
        (["run", reports, "--published", "2024-13-01"], 2, "Error: Invalid value"),
        (["run", reports, "--tiles", "Nope.Nope"], 2, "Error: Invalid value for '--tiles'"),
        (["map", out / "incidents.geojson", "--tiles", "Nope.Nope"], 2, "Error: Invalid value"),
        (["export", out / "incidents.geojson", "-o", out / "a.kmz", "--format", "kmz"], 2,
         "Error: Invalid value for '--format'"),
        (["gazetteer", "import"], 2, "Error: give files to import"),
        (["eval"], 2, ""),
        (["nope"], 2, "Error: No such command 'nope'."),
    ]  # fmt: skip


def test_every_command_keeps_the_table(
    written: Path, reports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # map writes map.html to the working folder by default
    (tmp_path / "bad.md").write_bytes(b"\x00\x01binary")
    seen = set()
    for args, status, last in _cases(reports, written, tmp_path / "missing.md"):
        outcome = geomap(*args)
        assert "Traceback" not in outcome.output, (args, outcome.output)
        assert outcome.status == status, (args, outcome.output)
        lines = outcome.stderr.strip().splitlines()
        if last:
            assert any(line.startswith(last) for line in lines), (args, outcome.stderr)
        if status == 1 and last.startswith("Error: "):
            assert sum(line.startswith("Error: ") for line in lines) == 1, (args, lines)
        seen.add((str(args[0]), status))
    families = {c[0] for c in COMMANDS}  # each is held to every status it can have
    for status in (1, 2):
        assert families <= {c for c, s in seen if s == status}, status
    assert families - {"eval"} <= {c for c, s in seen if s == 0}  # eval needs gold data

"""The output folder: nothing written without reports, checked before any work, every file
protected from being overwritten after an edit, replaced as a set, and a full disk or a
killed run never leaving half of it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from geomap._outputs import JOURNAL, STAGING_PREFIX
from tests.hostile.conftest import GOOD, assert_outcome, geomap, geomap_process

OUTPUTS = ("incidents.geojson", "incidents.gpkg", "incidents.csv", "places.geojson",
           "map.html", "summary.json")  # fmt: skip


def _files(folder: Path) -> dict[str, bytes]:
    """Every file of a folder (hidden ones too) and its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("case", ["empty folder", "missing paths", "only bad files"])
def test_no_reports_writes_nothing(mini: Path, tmp_path: Path, case: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    if case == "empty folder":
        args: list[str | Path] = [folder]
    elif case == "missing paths":
        args = [tmp_path / "nowhere", tmp_path / "nothing.md"]
    else:
        (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
        args = [folder]
    out = tmp_path / "out"
    outcome = geomap("run", *args, "-o", out)
    assert "Traceback" not in outcome.output
    assert outcome.status == 1
    last = outcome.stderr.strip().splitlines()[-1]
    assert last.startswith(f"Error: no reports found in {args[0]}"), outcome.stderr
    assert "nothing was written" in last
    assert not out.exists()


def test_an_unwritable_folder_is_found_before_any_work(
    mini: Path, reports: Path, unwritable: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the reports were read before the folder was checked")

    monkeypatch.setattr("geomap.readers.reports.read_reports", never)
    for out in (unwritable, unwritable / "sub" / "out"):
        outcome = geomap("run", reports, "-o", out)
        assert outcome.status == 1
        (line,) = outcome.stderr.strip().splitlines()
        assert line.startswith(f"Error: cannot write to the output folder {unwritable}"), line
        assert "choose another folder (-o)" in line


def test_an_output_folder_that_is_a_file(mini: Path, reports: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("mine\n", encoding="utf-8")
    outcome = geomap("run", reports, "-o", out / "sub")
    assert outcome.status == 1
    assert outcome.stderr.startswith(f"Error: {out} is a file, not a folder")


@pytest.mark.parametrize("name", OUTPUTS)
def test_every_output_is_protected_from_being_overwritten_after_an_edit(
    mini: Path, reports: Path, tmp_path: Path, name: str
) -> None:
    out = tmp_path / "out"
    assert geomap("run", reports, "-o", out).status == 0
    edited = out / name
    edited.write_bytes(edited.read_bytes() + b"\n")  # saved again by a text editor, say
    before = _files(out)
    outcome = geomap("run", reports, "-o", out)
    assert outcome.status == 1
    (line,) = outcome.stderr.strip().splitlines()
    assert line == (
        f"Error: {str(edited)!r} was changed since geomap wrote it; pass --force "
        "(force=True) to overwrite it"
    )
    assert _files(out) == before  # nothing replaced, not even the other files
    assert_outcome(geomap("run", reports, "-o", out, "--force"), out, status=0)


def test_a_file_geomap_did_not_write_is_refused(mini: Path, reports: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "map.html").write_text("<p>my own map</p>\n", encoding="utf-8")
    outcome = geomap("run", reports, "-o", out)
    assert outcome.status == 1
    assert "geomap did not write it" in outcome.stderr
    assert (out / "map.html").read_text("utf-8") == "<p>my own map</p>\n"


def test_leftovers_of_a_killed_run_are_removed(mini: Path, reports: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert geomap("run", reports, "-o", out).status == 0
    leftovers = [
        out / ".incidents.gpkg.0a1b2c3d.part.gpkg",
        out / ".incidents.gpkg.0a1b2c3d.part.gpkg-journal",
        out / ".map.html.deadbeef.part.html.manifest",
        out / f"{STAGING_PREFIX}x1y2z3" / "incidents.geojson",
    ]
    for path in leftovers:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"x" * 1000)
    keep = out / ".my-notes.txt"
    keep.write_text("mine\n", encoding="utf-8")
    assert_outcome(geomap("run", reports, "-o", out), out, status=0)
    assert not any(p.exists() for p in leftovers)
    assert not (out / f"{STAGING_PREFIX}x1y2z3").exists()
    assert keep.exists()


def test_a_commit_cut_short_is_finished_by_the_next_run(
    mini: Path, reports: Path, tmp_path: Path
) -> None:
    """The state a kill between renames leaves (made by hand here; ``test_kill.py`` kills
    a real process): the journal, some files moved, the rest still staged."""
    first, second = tmp_path / "first", tmp_path / "second"
    assert geomap("run", reports, "-o", first).status == 0
    (reports / "erbil-rockets.md").unlink()
    assert geomap("run", reports, "-o", second).status == 0
    staging = first / f"{STAGING_PREFIX}cut"
    staging.mkdir()
    moves = []
    for name in OUTPUTS:
        for path in sorted(second.glob(name.split(".")[0] + ".*")):
            if path.name.startswith(name.rsplit(".", 1)[0]):
                shutil.copy(path, staging / path.name)
                moves.append(path.name)
    moved = [m for m in moves if m.startswith("incidents.geojson")]  # file and manifest
    for name in moved[:1]:  # the file moved, its manifest not yet
        os.replace(staging / name, first / name)
    manifests = {
        m[: -len(".geomap.json")]: json.loads((staging / m).read_text("utf-8"))["files"]
        for m in moves
        if m.endswith(".geomap.json")
    }
    journal = {"generator": "geomap", "staging": staging.name, "moves": moves,
               "manifests": manifests}  # fmt: skip
    (first / JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
    # The folder now mixes two runs; any geomap run finishes the second first.
    outcome = geomap("run", reports, "-o", first)
    assert_outcome(outcome, first, status=0, good=("kirkuk-bomb",))
    assert not (first / JOURNAL).exists() and not staging.exists()
    theirs, ours = _files(second), _files(first)
    for name in theirs:
        if not name.startswith("summary.json"):
            assert ours[name] == theirs[name], name


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write to: read-only for a user; for root (who may write
    anywhere) a read-only file system, mounted if allowed, else /sys."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        yield Path("/sys")
        return
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


# --------------------------------------------------------------------------- a full disk


def _assert_full_disk(outcome: object, out: Path, before: dict[str, bytes]) -> None:
    assert "Traceback" not in outcome.output, outcome.output  # type: ignore[attr-defined]
    assert outcome.status == 1, outcome.output  # type: ignore[attr-defined]
    (line,) = outcome.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert line.startswith(f"Error: cannot write the outputs to {out}: "), line
    assert "the previous outputs are untouched" in line
    # Nothing half-written under a real name, nothing left behind, no folder made for it.
    assert (_files(out) if out.exists() else {}) == before


def test_a_full_disk_is_one_clear_line_and_leaves_the_outputs_untouched(
    mini_cache: Path, reports: Path, tmp_path: Path
) -> None:
    """A write the kernel refuses (RLIMIT_FSIZE: EFBIG, as ENOSPC would be on a full
    disk), in GDAL's writers and Python's alike."""
    out = tmp_path / "out"
    env = {"GEOMAP_CACHE_DIR": str(mini_cache)}
    assert geomap_process("run", reports, "-o", out, env=env).status == 0
    before = _files(out)
    (reports / "more.md").write_text(GOOD["kirkuk-bomb.md"].replace("Kirkuk", "Mosul"), "utf-8")
    for limit in (2_000, 40_000):  # GDAL's first write; Python's map.html
        outcome = geomap_process(
            "run", reports, "-o", out, env={**env, "GEOMAP_TEST_FILE_SIZE": str(limit)}
        )
        _assert_full_disk(outcome, out, before)


def test_a_really_full_disk(mini_cache: Path, reports: Path, tmp_path: Path) -> None:
    """A 100 kB tmpfs, where the kernel allows this test to mount one (root)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=100k", "tmpfs", str(disk)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        out = disk / "out"
        env = {"GEOMAP_CACHE_DIR": str(mini_cache)}
        outcome = geomap_process("run", reports, "-o", out, env=env)
        _assert_full_disk(outcome, out, {})
        assert "no space left on the device" in outcome.stderr
        assert list(disk.iterdir()) == []
    finally:
        subprocess.run(["umount", str(disk)], check=True)

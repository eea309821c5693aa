"""``geomap run`` killed (SIGKILL) at each rename of its outputs, in a real process.

The child process (``tests.hostile.geomap_mini``) sends itself SIGKILL just before its
N-th ``os.replace``, for every N a run has: the renames inside the staging folder, the
journal's, and each file's and manifest's move into place. After each kill:

- every file under a real name is whole: byte for byte the previous run's or the new
  run's, never part of one;
- a folder holding files of both runs carries the journal that lets the next run finish
  the move (so it is never taken for a complete set);
- the next run succeeds, and leaves exactly what a run in a fresh folder writes (byte for
  byte, ``summary.json``'s timings aside), with no journal, staging folder or part file.

Signals are events, not timers: the kill happens at a rename, the test waits for the
process to end, and the rename log says how many renames a run makes.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from geomap._outputs import JOURNAL
from tests.hostile.conftest import GOOD, geomap, geomap_process

FORMATS = ("--formats", "geojson,csv")


def _outputs(folder: Path) -> dict[str, bytes]:
    """The files under real names (no hidden ones), with their bytes."""
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".")
    }


def _comparable(files: dict[str, bytes]) -> dict[str, object]:
    """The files as two runs of one input write them identically: summary.json without
    its timings, and its manifest without the hash and size those timings change."""
    out: dict[str, object] = dict(files)
    if "summary.json" in files:
        data = json.loads(files["summary.json"])
        data.pop("seconds")
        out["summary.json"] = data
    if "summary.json.geomap.json" in files:
        data = json.loads(files["summary.json.geomap.json"])
        data.pop("files")
        out["summary.json.geomap.json"] = data
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, mini_cache: Path) -> dict[str, Path]:
    """Inputs A and B, and what a run of each writes in a fresh folder."""
    base = tmp_path_factory.mktemp("kill")
    env = {"GEOMAP_CACHE_DIR": str(mini_cache)}
    a, b = base / "a", base / "b"
    a.mkdir()
    b.mkdir()
    for name, text in GOOD.items():
        (a / name).write_text(text, encoding="utf-8")
    (b / "mosul.md").write_text(GOOD["kirkuk-bomb.md"].replace("Kirkuk", "Mosul"), "utf-8")
    (b / "erbil-rockets.md").write_text(GOOD["erbil-rockets.md"], "utf-8")
    renames = base / "renames.log"
    for name, inputs in (("out-a", a), ("out-b", b)):
        log = {"GEOMAP_TEST_RENAMES": str(renames)} if name == "out-b" else {}
        done = geomap_process("run", inputs, "-o", base / name, *FORMATS, env={**env, **log})
        assert done.status == 0, done.output
    return {"a": a, "b": b, "out-a": base / "out-a", "out-b": base / "out-b", "log": renames}


def test_a_run_killed_at_each_rename_is_finished_by_the_next(
    runs: dict[str, Path], mini: Path, tmp_path: Path
) -> None:
    renames = runs["log"].read_text(encoding="utf-8").splitlines()
    assert len(renames) >= 10  # staged files, their manifests, the journal, the moves
    old, new = _comparable(_outputs(runs["out-a"])), _comparable(_outputs(runs["out-b"]))
    args = ("run", runs["b"], "-o", tmp_path / "out-{k}", *FORMATS)
    killed = geomap_process(
        "--kill-each", str(len(renames)), runs["out-a"], *args, bound=20.0 * len(renames)
    )
    statuses = [tuple(map(int, line.split())) for line in killed.stdout.splitlines()]
    assert statuses == [(k, -signal.SIGKILL) for k in range(1, len(renames) + 1)], killed.output
    mixed_seen = 0
    for k in range(1, len(renames) + 1):
        out = tmp_path / f"out-{k}"
        now = _comparable(_outputs(out))
        for name, data in now.items():
            assert data in (old.get(name), new.get(name)), f"kill {k}: {name} is half of one"
        from_new = {n for n, d in now.items() if d == new.get(n) and d != old.get(n)}
        from_old = {n for n, d in now.items() if d == old.get(n) and d != new.get(n)}
        if from_new and from_old:
            mixed_seen += 1
            assert (out / JOURNAL).exists(), f"kill {k}: two runs mixed, with no journal"
        again = geomap("run", runs["b"], "-o", out, *FORMATS)
        assert again.status == 0, (k, again.output)
        assert _comparable(_outputs(out)) == new, f"kill {k}"
        hidden = [p.name for p in out.iterdir() if p.name.startswith(".")]
        assert hidden == [], f"kill {k}: left {hidden}"
    assert mixed_seen, "no kill landed between two moves into place"

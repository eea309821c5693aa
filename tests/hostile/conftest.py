"""The hostile suite: bad inputs, faults and a new user's first hour, as the README promises.

Every case runs ``geomap`` on generated files (written to ``tmp_path``, never committed)
mixed with good reports, and checks what the README says: no traceback, the documented
exit status, every good report in the outputs, the bad input named in ``summary.json``
with its reason, and all of it within a time bound. Runs use the mini gazetteer
(``tests.hostile.mini``); faults that need a process of their own (a kill, a full disk, a
pipe that would block) run ``python -m tests.hostile.geomap_mini`` as a child process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
#: Seconds any one hostile case may take: a run on the mini gazetteer takes about one.
BOUND = 60.0

#: Good reports mixed into every case: (file name, its text). Each names places of the
#: mini gazetteer and tells of one incident.
GOOD = {
    "erbil-rockets.md": (
        "---\ntitle: Rockets at Erbil\npublished: 2024-03-04\nsource: Test Wire\n---\n"
        "Two rockets struck a compound near Erbil on Sunday, wounding three guards, "
        "officials said.\n"
    ),
    "kirkuk-bomb.md": (
        "---\ntitle: Roadside bomb near Kirkuk\npublished: 2024-03-06\n---\n"
        "A roadside bomb killed two soldiers on a road near Kirkuk on Tuesday.\n"
    ),
}
GOOD_IDS = ("erbil-rockets", "kirkuk-bomb")


@pytest.fixture(scope="session")
def mini_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding the mini gazetteer's index, built once for the session."""
    from gazetteer import Gazetteer
    from tests.hostile.mini import use_mini_gazetteer

    cache = tmp_path_factory.mktemp("hostile-cache")
    previous = os.environ.get("GEOMAP_CACHE_DIR")
    with pytest.MonkeyPatch.context() as mp:
        use_mini_gazetteer(cache, mp.setattr)
        Gazetteer.open().close()  # builds it
    if previous is None:
        os.environ.pop("GEOMAP_CACHE_DIR", None)
    else:
        os.environ["GEOMAP_CACHE_DIR"] = previous
    return cache


@pytest.fixture
def mini(mini_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's geomap opens the mini gazetteer (as the installed one)."""
    from tests.hostile.mini import use_mini_gazetteer

    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(mini_cache))
    use_mini_gazetteer(mini_cache, monkeypatch.setattr)
    return mini_cache


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    """A folder holding the good reports; a case adds its bad input beside them."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@dataclass
class Outcome:
    """What a geomap command did: its status, its output and how long it took."""

    status: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def geomap(*args: str | Path) -> Outcome:
    """Run ``geomap ARGS`` in this process (the CLI exactly, exceptions included)."""
    from geomap.cli import cli

    started = time.perf_counter()
    result = CliRunner().invoke(cli, [str(a) for a in args])
    seconds = time.perf_counter() - started
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: fail with it
    return Outcome(result.exit_code, result.stdout, result.stderr, seconds)


def geomap_process(
    *args: str | Path, env: Mapping[str, str] | None = None, bound: float = BOUND
) -> Outcome:
    """Run ``geomap ARGS`` as a child process (``tests.hostile.geomap_mini``), within ``bound``.

    The bound is the case's time limit, not a wait: a run that hangs fails the test.
    """
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tests.hostile.geomap_mini", *map(str, args)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=bound,
        check=False,
    )
    seconds = time.perf_counter() - started
    return Outcome(done.returncode, done.stdout, done.stderr, seconds)


def summary(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return data


def assert_outcome(
    outcome: Outcome,
    out: Path,
    *,
    status: int,
    bad: Mapping[str | Path, str] = (),  # type: ignore[assignment]
    good: tuple[str, ...] = GOOD_IDS,
    bound: float = BOUND,
) -> dict[str, Any]:
    """The checks of every case: no traceback, the status, the good reports written, each
    bad input named in summary.json with its reason (a substring), within the bound."""
    assert "Traceback" not in outcome.output, outcome.output
    assert outcome.status == status, outcome.output
    assert outcome.seconds < bound, f"took {outcome.seconds:.1f} s"
    data = summary(out)
    places = json.loads((out / "places.geojson").read_text(encoding="utf-8"))
    placed = {f["properties"]["report_id"] for f in places["features"]}
    incidents = json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))
    told = {r for f in incidents["features"] for r in f["properties"]["report_ids"]}
    for report in good:
        assert report in placed, f"{report} has no place in places.geojson"
        assert report in told, f"{report} has no incident in incidents.geojson"
    reasons = {(Path(s["path"]), s["reason"]) for s in data["skipped"]}
    for path, reason in dict(bad).items():
        found = [r for p, r in reasons if p == Path(path)]
        assert found, f"{path} is not named in summary.json: {sorted(reasons)}"
        assert any(reason in r for r in found), f"{path}: {found} does not say {reason!r}"
        assert str(path) in outcome.stderr, "the skipped input is named on stderr too"
    return data


@pytest.fixture
def no_traceback_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    yield
    assert not [r for r in caplog.records if r.exc_info], "an error was logged with a traceback"

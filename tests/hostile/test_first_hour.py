"""A new user's first hour: the README's commands and calls, as written, do what it says."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from gazetteer.build import BUILD_STEPS, BUILD_TIME
from tests.hostile.conftest import ROOT, assert_outcome, geomap

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_first_run_says_it_builds_the_index_with_a_bar_per_step(
    reports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.hostile.mini import use_mini_gazetteer

    use_mini_gazetteer(tmp_path / "fresh-cache", monkeypatch.setattr)  # nothing built yet
    out = tmp_path / "out"
    first = geomap("run", reports, "-o", out)
    assert_outcome(first, out, status=0)
    note, *bars = first.stderr.splitlines()[: 1 + len(BUILD_STEPS)]
    assert note.startswith("Building the gazetteer index") and BUILD_TIME in note
    assert bars == [f"gazetteer {k}/4: {step}" for k, step in enumerate(BUILD_STEPS, start=1)]
    again = geomap("run", reports, "-o", out)
    assert "Building" not in again.stderr and "gazetteer 1/4" not in again.stderr
    quiet = tmp_path / "quiet-cache"
    use_mini_gazetteer(quiet, monkeypatch.setattr)
    assert geomap("-q", "run", reports, "-o", tmp_path / "q").stderr == ""


def test_the_readme_gives_the_measured_build_time() -> None:
    for part in BUILD_TIME.split(", "):
        assert part in README, part
    assert "about 30" not in README


def test_every_python_call_the_readme_shows_exists() -> None:
    calls = set(re.findall(r"`(geomap(?:\.\w+)+)\(", README))
    assert {"geomap.geoparse", "geomap.export", "geomap.make_map"} <= calls
    for dotted in sorted(calls):
        module, _, name = dotted.rpartition(".")
        target = getattr(importlib.import_module(module), name, None)
        assert callable(target) and not isinstance(target, type(importlib)), dotted


def test_tests_needing_npm_packages_skip_with_a_reason_unless_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests import npm_packages

    monkeypatch.setattr(npm_packages, "NODE_MODULES", tmp_path / "node_modules")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="npm ci --prefix tests"):
        npm_packages.require_npm_package("@placemarkio/check-geojson")
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        npm_packages.require_npm_package("@placemarkio/check-geojson")


def test_ci_installs_the_npm_packages_and_sets_ci() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "npm ci --prefix tests" in script
    assert script.index("npm ci --prefix tests") < script.index("export CI=1")
    assert script.index("export CI=1") < script.index(".venv/bin/python -m pytest")

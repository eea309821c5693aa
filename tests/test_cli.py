"""Tests for the ``geomap`` command line, through click's CliRunner.

Most tests run on the small index of ``test_index_build`` in a temporary cache directory
(``$GEOMAP_CACHE_DIR``); the ones marked ``slow`` use the full index for real data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from gazetteer import build
from gazetteer._errors import GazetteerError
from gazetteer.build import BUILD_STEPS, BUILD_TIME, build_index, index_path
from gazetteer.places_file import COLUMNS
from geomap import __version__
from geomap.cli import cli
from tests.test_index_build import OVERLAY, _sources

CANDIDATE_KEYS = {
    "id",
    "name",
    "lat",
    "lon",
    "feature",
    "country",
    "admin1",
    "admin1_code",
    "population",
    "score",
}
PLACES_HEADER = ",".join(COLUMNS)


def _commands(
    group: click.Group, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command and group under ``group`` with its command-line path, ``group`` first."""
    yield path, group
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


COMMANDS = list(_commands(cli))


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="geomap")


@pytest.fixture
def small_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A cache directory holding the small index, which the CLI opens as the installed one."""
    monkeypatch.setattr("gazetteer.sources.load_sources", _sources)
    monkeypatch.setattr(build, "aliases_path", lambda: tmp_path / "no-aliases.csv", raising=False)
    overlay = tmp_path / "overlay.csv"
    overlay.write_text(OVERLAY, encoding="utf-8")
    monkeypatch.setattr(build, "overlay_path", lambda: overlay)
    cache = tmp_path / "cache"
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(cache))
    build_index(index_path())
    return cache


def _places_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "my_places.csv"
    path.write_text("\n".join([PLACES_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _error_line(result: Result) -> str:
    """The single line a library error prints, checking there is nothing else."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    return lines[0]


# --------------------------------------------------------------------------- help


def test_version() -> None:
    result = _run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"geomap, version {__version__}"


def test_commands_are_found() -> None:
    paths = [path for path, _ in COMMANDS]
    assert ("gazetteer",) in paths
    assert ("gazetteer", "lookup") in paths
    assert ("gazetteer", "build") in paths
    assert ("gazetteer", "info") in paths


@pytest.mark.parametrize("flag", ["--help", "-h"])
@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(p) or "geomap" for p, _ in COMMANDS]
)
def test_every_command_has_help_with_an_example(
    path: tuple[str, ...], command: click.Command, flag: str
) -> None:
    result = _run(*path, flag)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: {' '.join(('geomap', *path))} ")
    assert "Example" in result.output
    assert command.help
    assert "Example" in command.help


def test_unknown_command_is_a_usage_error() -> None:
    result = _run("gazeteer")
    assert result.exit_code == 2
    assert "No such command 'gazeteer'" in result.output


# --------------------------------------------------------------------------- lookup


def test_lookup_json(small_cache: Path) -> None:
    result = _run("gazetteer", "lookup", "Basra", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert isinstance(found, list)
    assert found
    for candidate in found:
        assert set(candidate) >= CANDIDATE_KEYS
    assert found[0]["id"] == "geonames:99532"
    assert found[0]["feature"] == "populated_place"


def test_lookup_json_several_names(small_cache: Path) -> None:
    result = _run("gazetteer", "lookup", "Basra", "Basra province", "Nowhere", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["query"] for d in data] == ["Basra", "Basra province", "Nowhere"]
    assert data[0]["candidates"][0]["id"] == "geonames:99532"
    assert data[1]["candidates"][0]["id"] == "iso3166-2:IQ-BA"
    assert data[2]["candidates"] == []


def test_lookup_json_keeps_arabic_script(small_cache: Path) -> None:
    result = _run("gazetteer", "lookup", "البصرة", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["matched"] == "البصرة"
    assert "البصرة" in result.output  # not \u escapes


def test_lookup_table(small_cache: Path) -> None:
    result = _run("gazetteer", "lookup", "Springfield", "Nowhere")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Springfield"
    assert lines[1].split() == ["score", "name", "feature", "country", "admin1", "lat", "lon", "id"]
    assert "geonames:4250542" in result.output
    assert "Nowhere\n  no match\n" in result.output


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--country", "US"], ["geonames:4717560"]),
        (["--country", "fr"], ["geonames:2988507"]),
        (["--feature", "admin1"], []),
        (["--limit", "1"], ["geonames:2988507"]),
    ],
)
def test_lookup_filters(small_cache: Path, options: list[str], expected: list[str]) -> None:
    result = _run("gazetteer", "lookup", "Paris", "--json", *options)
    assert result.exit_code == 0, result.output
    assert [c["id"] for c in json.loads(result.stdout)] == expected


def test_lookup_admin1(small_cache: Path) -> None:
    result = _run("gazetteer", "lookup", "Springfield", "--admin1", "Illinois", "--json")
    assert result.exit_code == 0, result.output
    assert [c["admin1_code"] for c in json.loads(result.stdout)] == ["US-IL"]


def _usage_error_line(result: Result) -> str:
    """The last line a usage error prints (exit status 2), after the usage."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output.strip().splitlines()[-1]


def test_unknown_country_is_a_usage_error(small_cache: Path) -> None:
    line = _usage_error_line(_run("gazetteer", "lookup", "Paris", "--country", "ZZ"))
    assert line == (
        "Error: Invalid value for '--country': unknown country 'ZZ'; give an ISO 3166-1 "
        "alpha-2 code such as IQ or US"
    )


def test_unknown_feature_is_a_usage_error(small_cache: Path) -> None:
    line = _usage_error_line(_run("gazetteer", "lookup", "Paris", "--feature", "castle"))
    assert line.startswith("Error: Invalid value for '--feature': unknown feature 'castle'; use")


def test_verbose_shows_the_exception(small_cache: Path, tmp_path: Path) -> None:
    path = _places_file(tmp_path, "camp-x,Camp X,,95,44.0,military_base,IQ,,,,me")
    result = _run("--verbose", "gazetteer", "lookup", "Camp X", "--places", str(path))
    assert result.exit_code == 1
    assert isinstance(result.exception, GazetteerError)


def test_online_needs_a_user_agent(small_cache: Path) -> None:
    result = _run("gazetteer", "lookup", "Nowhere", "--online", "nominatim")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.output.strip().splitlines()[-1] == (
        'Error: with --online, give --user-agent "your-app/1.0 (you@example.org)"'
    )


def test_online_service_must_be_known() -> None:
    result = _run("gazetteer", "lookup", "Nowhere", "--online", "google")
    assert result.exit_code == 2
    assert "'google' is not 'nominatim'" in result.output


@pytest.mark.parametrize(
    "args", [["gazetteer", "lookup"], ["gazetteer", "lookup", "Paris", "--limit", "0"]]
)
def test_lookup_usage_errors(args: list[str]) -> None:
    result = _run(*args)
    assert result.exit_code == 2
    assert "Error:" in result.output


def test_places_file(small_cache: Path, tmp_path: Path) -> None:
    path = _places_file(tmp_path, "tower-22,Tower 22,,33.3228,38.6939,military_base,JO,,,,me")
    result = _run("gazetteer", "lookup", "Tower 22", "--places", str(path), "--json")
    assert result.exit_code == 0, result.output
    (tower,) = json.loads(result.stdout)
    assert (tower["id"], tower["country"]) == ("user:tower-22", "JO")


def test_places_file_with_a_bad_row(small_cache: Path, tmp_path: Path) -> None:
    path = _places_file(
        tmp_path,
        "tower-22,Tower 22,,33.3228,38.6939,military_base,JO,,,,me",
        "camp-x,Camp X,,95,44.0,military_base,IQ,,,,me",
    )
    line = _error_line(_run("gazetteer", "lookup", "Tower 22", "--places", str(path)))
    assert line.startswith(f"Error: {path}, line 3: lat '95' is outside [-90, 90]")
    assert line.endswith("are latitude and longitude swapped?")


def test_places_file_must_exist(small_cache: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    line = _error_line(_run("gazetteer", "lookup", "Basra", "--places", str(missing)))
    assert line == f"Error: {missing}: no such file or folder; check the path"


# --------------------------------------------------------------------------- build, info


def test_info_json(small_cache: Path) -> None:
    result = _run("gazetteer", "info", "--json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert Path(info["path"]) == index_path()
    assert Path(info["path"]).parent == small_cache
    assert info["places"] == info["by_source"]["test"] + info["by_source"]["overlay"]
    assert info["by_feature"]["military_base"] == 1
    assert {"size_bytes", "built_at", "sources_hash", "names", "user_places_files"} <= set(info)


def test_info_text(small_cache: Path) -> None:
    result = _run("gazetteer", "info")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"index:    {index_path()} (")
    assert "licences: GeoNames data CC BY 4.0" in result.output


def test_build_when_up_to_date(small_cache: Path) -> None:
    result = _run("gazetteer", "build")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"the index is up to date: {index_path()}"


def test_build_force(small_cache: Path) -> None:
    before = index_path().stat().st_mtime_ns
    result = _run("gazetteer", "build", "--force")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"built {index_path()}"
    assert result.stderr.startswith(f"Building the gazetteer index: {BUILD_TIME}.")
    for k, step in enumerate(BUILD_STEPS, start=1):  # a progress bar per step
        assert f"gazetteer {k}/{len(BUILD_STEPS)}: {step}" in result.stderr
    assert index_path().stat().st_mtime_ns >= before
    assert [p.name for p in small_cache.iterdir()] == [index_path().name]


# --------------------------------------------------------------------------- full index


@pytest.mark.slow
def test_full_lookup_basra_json() -> None:
    result = _run("gazetteer", "lookup", "Basra", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    for candidate in found:
        assert set(candidate) >= CANDIDATE_KEYS
    assert (found[0]["country"], found[0]["feature"]) == ("IQ", "populated_place")
    assert found[0]["admin1_code"] == "IQ-BA"


@pytest.mark.slow
def test_full_lookup_several_names() -> None:
    names = ["Basra province", "Camp Taji", "Kurdistan Region", "Paris"]
    result = _run("gazetteer", "lookup", *names, "--json", "--limit", "1")
    assert result.exit_code == 0, result.output
    best = {d["query"]: d["candidates"][0] for d in json.loads(result.stdout)}
    assert best["Basra province"]["id"] == "iso3166-2:IQ-BA"
    assert best["Camp Taji"]["feature"] == "military_base"
    assert best["Kurdistan Region"]["id"] == "iso3166-2:IQ-KR"
    assert best["Paris"]["country"] == "FR"


@pytest.mark.slow
def test_full_lookup_paris_texas() -> None:
    result = _run("gazetteer", "lookup", "Paris", "--country", "US", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["admin1_code"] == "US-TX"


@pytest.mark.slow
def test_full_unknown_country() -> None:
    line = _usage_error_line(_run("gazetteer", "lookup", "Basra", "--country", "ZZ"))
    assert "ISO 3166-1" in line


@pytest.mark.slow
def test_full_info_json() -> None:
    result = _run("gazetteer", "info", "--json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["places"] > 200_000
    assert info["by_feature"]["military_base"] > 10

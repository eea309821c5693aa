"""Reports that cannot be read: impossible dates, hostile JSON and YAML, in with good ones.

Each is a bad input, skipped and named (file, line, reason) in summary.json and on stderr,
with exit status 1, while every good report of the run is read and written.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.hostile.conftest import GOOD_IDS, assert_outcome, geomap, geomap_process, summary

NEXT_YEAR_PLUS_ONE = date.today().year + 2


@pytest.mark.parametrize(
    ("front_matter", "reason"),
    [
        ("published: 2024-13-45", "published '2024-13-45' is not a date"),
        ("published: 2024-02-30", "published '2024-02-30' is not a date"),
        ("published: 2024-03-01 25:61:00", "published '2024-03-01 25:61:00' is not a date"),
        ("published: 2024-03-01T25:61:00", "is not a date"),
        ("published: 0001-01-01", "published 0001-01-01 is outside 1900 to"),
        ("published: 1899-12-31", "published 1899-12-31 is outside 1900 to"),
        (f"published: {NEXT_YEAR_PLUS_ONE}-01-01", f"{NEXT_YEAR_PLUS_ONE}-01-01 is outside"),
        ("published: 10000-01-01", "is not a date"),
        ("published: 1" + "0" * 5000, "cannot be read"),
        ("title: [" * 2000, "front matter"),
    ],
)
def test_impossible_front_matter_is_a_bad_input(
    mini: Path, reports: Path, tmp_path: Path, front_matter: str, reason: str
) -> None:
    bad = reports / "bad.md"
    bad.write_text(f"---\n{front_matter}\n---\nRockets hit Baghdad on Monday.\n", "utf-8")
    out = tmp_path / "out"
    assert_outcome(geomap("run", reports, "-o", out), out, status=1, bad={bad: reason})


def test_an_id_that_looks_like_an_impossible_date_is_just_an_id(
    mini: Path, reports: Path, tmp_path: Path
) -> None:
    (reports / "odd-id.md").write_text(
        "---\nid: 2024-02-30\npublished: 2024-03-05\n---\n"
        "A car bomb exploded in Mosul on Monday, killing four people.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert_outcome(geomap("run", reports, "-o", out), out, status=0, good=(*GOOD_IDS, "2024-02-30"))


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"text": "Rockets hit Mosul.", "published": "2024-13-45"}', "is not a date"),
        ('{"text": "Rockets hit Mosul.", "published": "2024-02-30"}', "is not a date"),
        ('{"text": "Rockets hit Mosul.", "published": "2024-03-01T25:61:00"}', "is not a date"),
        ('{"text": "Rockets hit Mosul.", "published": "0001-01-01"}', "outside 1900 to"),
        ('{"text": "Rockets hit Mosul.", "published": 1e400}', "published inf is not a date"),
        ('{"text": "Rockets hit Mosul.", "n": ' + "[" * 100_000 + "]" * 100_000 + "}",
         "nested too deeply"),
        ('{"text": "Rockets hit Mosul.", "n": ' + "7" * 5000 + "}", "write long numbers as"),
        ('{"text": "Rockets hit Mosul \\ud800 today."}', "lone surrogate"),
        ('{"text": "Rockets hit Mosul.", "title": "\\udfff"}', "lone surrogate"),
    ],
)  # fmt: skip
def test_hostile_json_lines_are_bad_lines(
    mini: Path, reports: Path, tmp_path: Path, line: str, reason: str
) -> None:
    batch = reports / "batch.jsonl"
    good = '{"id": "mosul-drone", "text": "A drone strike hit a car in Mosul on Monday, '
    good += 'killing two men.", "published": "2024-03-05"}'
    batch.write_text(f"{good}\n{line}\n", encoding="utf-8")
    out = tmp_path / "out"
    data = assert_outcome(
        geomap("run", reports, "-o", out), out, status=1, bad={batch: reason},
        good=(*GOOD_IDS, "mosul-drone"),
    )  # fmt: skip
    assert [s["line"] for s in data["skipped"]] == [2]


def test_a_yaml_alias_bomb_is_refused_quickly_and_shown_short(
    mini_cache: Path, reports: Path, tmp_path: Path
) -> None:
    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for k in range(1, 10):
        levels.append(f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 9)}]")
    bomb = reports / "bomb.md"
    bomb.write_text(
        "---\n" + "\n".join(levels) + "\ntitle: *a9\n---\nRockets hit Kirkuk.\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    outcome = geomap_process("run", reports, "-o", out, env={"GEOMAP_CACHE_DIR": str(mini_cache)})
    data = assert_outcome(outcome, out, status=1, bad={bomb: "must be a single value"})
    (reason,) = [s["reason"] for s in data["skipped"]]
    value = reason.split("got ", 1)[1].split("; ", 1)[0]
    assert len(value) <= 80, value
    assert max(len(line) for line in outcome.stderr.splitlines()) < 400


def test_a_date_in_the_text_before_1900_is_left_out_not_a_crash(
    mini: Path, reports: Path, tmp_path: Path
) -> None:
    (reports / "history.md").write_text(
        "---\npublished: 2024-03-05\n---\n"
        "Rockets hit Mosul on January 1, 1000, killing three people.\n"
        "A bomb exploded in Najaf on March 3, 0200, killing two people.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert_outcome(geomap("run", reports, "-o", out), out, status=0)
    rows = json.loads((out / "incidents.geojson").read_text("utf-8"))["features"]
    for row in rows:
        day = row["properties"]["event_date"]
        assert day is None or day >= "1900", row["properties"]
    assert summary(out)["reports_read"] == 3

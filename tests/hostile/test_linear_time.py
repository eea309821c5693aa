"""Report text is hostile: every pattern run on it must take time linear in its length.

Each shape below is 1 MB of one report, read, geoparsed, extracted, framed, written and
mapped by ``geomap.pipeline.run`` with the full gazetteer, beside the good reports (which
must come out as ever). A regular expression that backtracks over a run of its input is
quadratic: a date-phrase search took 42 s on 40,000 characters of one token; 1 MB of it
would take hours. Linear, the slowest shape takes well under a minute on the two-core
development machine (the figures are printed with ``-s``): the bound leaves a wide margin
for a busy machine, and none for a quadratic pattern.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from gazetteer import Gazetteer
from tests.hostile.conftest import GOOD, GOOD_IDS

pytestmark = pytest.mark.slow

SIZE = 1_000_000
#: Seconds for a whole run over 1 MB of any shape (linear: 5 to 40 s measured).
BOUND = 180.0


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


def _events(n: int) -> str:
    towns = ["Mosul", "Erbil", "Kirkuk", "Basra", "Baghdad", "Tikrit", "Ramadi", "Najaf"]
    months = ["January", "February", "March", "April", "May", "June", "July", "August"]
    parts, size, k = [], 0, 0
    while size < n:
        part = (
            f"A drone strike hit {towns[k % 8]} on {months[k // 8 % 8]} {k % 28 + 1}, "
            f"{2000 + k // 1792 % 24}, killing {k % 9 + 1} people. "
        )
        parts.append(part)
        size += len(part)
        k += 1
    return "".join(parts)[:n]


#: The shapes: each stresses a different kind of pattern (a quantifier over one token, a
#: digit run, a run of sentence ends, repeated cues, names, dates and incidents ...).
SHAPES: dict[str, Callable[[int], str]] = {
    "one token": _repeat("a"),
    "one capitalised token": _repeat("B"),
    "one digit run": _repeat("1"),
    "letters and digits": _repeat("a1"),
    "no spaces": _repeat("Baghdad,killed."),
    'repeated "On 1"': _repeat("On 1 "),
    "periods": _repeat("."),
    "dashes": _repeat("-"),
    "open brackets": _repeat("("),
    "quotes": _repeat('"'),
    "spaces": lambda n: "x" + " " * (n - 2) + "y",
    "capitalised words": _repeat("Abc "),
    "names and commas": _repeat("Baghdad, "),
    "distances": _repeat("30 km north of "),
    "within hours after": lambda n: "within hours after " + "x" * (n - 19),
    "prose": _repeat("Militants fired rockets at a base near Mosul on Tuesday, officials said. "),
    "incidents": _events,
    "an incident in a 1 MB sentence": lambda n: (
        "Two rockets struck a base in Mosul on Monday, killing three soldiers, "
        + _repeat("and <b>{{more}}</b> `words` ${x} & ")(n - 71)
    ),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_megabyte_of_each_hostile_shape_runs_in_linear_time(
    gazetteer: Gazetteer, tmp_path: Path, shape: str
) -> None:
    from geomap.pipeline import run

    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "hostile.txt").write_text(SHAPES[shape](SIZE), encoding="utf-8")
    started = time.perf_counter()
    out = run([folder], tmp_path / "out", gazetteer=gazetteer, formats=["geojson"])
    seconds = time.perf_counter() - started
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in out.seconds.items())
    print(f"{shape}: {seconds:.1f} s ({stages})")
    assert seconds < BOUND, f"{shape}: {seconds:.0f} s ({stages})"
    summary = out.summary
    assert summary is not None
    assert summary.reports_read == len(GOOD) + 1
    incidents = json.loads((tmp_path / "out" / "incidents.geojson").read_text("utf-8"))
    told = {r for f in incidents["features"] for r in f["properties"]["report_ids"]}
    assert set(GOOD_IDS) <= told

"""Benchmark the gazetteer: build time, open time, index size and lookup speed.

Targets: a full build under 60 s, opening under 0.3 s, an exact lookup under 50 µs warm.

Lookups use 10,000 names drawn at random (seeded) from the index's own names table:

- exact: the stored name as it is;
- normalised: a variant that only the normalised key matches (lower case, diacritics
  stripped, the article "al-" added or removed);
- fuzzy: one letter changed, kept only when the exact and normalised lookups find nothing,
  so that every lookup takes the fuzzy path.

"found" is the share of lookups whose candidates include the place the name came from.
Every lookup is timed with the gazetteer's memory of earlier lookups cleared (outside the
timed call), except in the "repeat" row, which times a name looked up just before.

Run::

    python benchmarks/gazetteer.py               # builds a fresh index in a temporary directory
    python benchmarks/gazetteer.py --skip-build  # reuses (or builds once) the cached index
    python benchmarks/gazetteer.py --profile     # adds a cProfile of the exact lookups
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import statistics
import string
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

# Run as a script, this file's directory comes first on sys.path, where this file's name
# would hide the gazetteer package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from gazetteer import Gazetteer  # noqa: E402
from gazetteer.build import build_index  # noqa: E402
from gazetteer.normalize import normalize_name  # noqa: E402

N_NAMES = 10_000
N_OPENS = 7
SEED = 20240128
TARGET_BUILD_S, TARGET_OPEN_S, TARGET_EXACT_US = 60.0, 0.3, 50.0


@dataclass(frozen=True)
class Sample:
    """A query and the place whose stored name it came from."""

    query: str
    place_id: str


@dataclass(frozen=True)
class Timing:
    """Per-lookup times of one run, in seconds."""

    kind: str
    seconds: list[float]
    found: float

    @property
    def per_second(self) -> float:
        return len(self.seconds) / sum(self.seconds)

    def quantile_us(self, q: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1e6


def _strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalised_variant(name: str) -> str:
    """A spelling only the normalised key matches: lower case, no diacritics, al- toggled."""
    text = _strip_diacritics(name).lower()
    for article in ("al-", "al ", "el-", "el "):
        if text.startswith(article) and len(text) > len(article):
            return text[len(article) :]
    return "al-" + text


def one_letter_changed(name: str, rng: random.Random) -> str | None:
    """The name with one ASCII letter replaced by another, or None if it has none."""
    positions = [i for i, c in enumerate(name) if c in string.ascii_letters]
    if not positions:
        return None
    i = rng.choice(positions)
    old = name[i].lower()
    new = rng.choice([c for c in string.ascii_lowercase if c != old])
    return name[:i] + new + name[i + 1 :]


def draw_samples(gaz: Gazetteer, rng: random.Random) -> dict[str, list[Sample]]:
    """10,000 exact, normalised and fuzzy queries drawn from the names table."""
    rows = gaz._con.execute(  # the benchmark reads the table the index is made of
        "SELECT n.name, p.id FROM names n JOIN places p ON p.pid = n.pid"
    ).fetchall()
    exact = [Sample(name, pid) for name, pid in rng.sample(rows, N_NAMES)]
    normalised = []
    for name, pid in rng.sample(rows, N_NAMES):
        normalised.append(Sample(normalised_variant(name), pid))
    fuzzy: list[Sample] = []
    for name, pid in rng.sample(rows, len(rows)):
        if len(fuzzy) == N_NAMES:
            break
        if not name.isascii() or len(normalize_name(name)) < 6:
            continue
        changed = one_letter_changed(name, rng)
        if changed is not None and not gaz.lookup(changed, fuzzy=False):
            fuzzy.append(Sample(changed, pid))
    return {"exact": exact, "normalised": normalised, "fuzzy": fuzzy}


def time_lookups(
    gaz: Gazetteer, kind: str, samples: Sequence[Sample], *, remembered: bool = False
) -> Timing:
    """Time each lookup, with the result cache cleared before it, or filled if ``remembered``."""
    clear: Callable[[], None] = getattr(gaz, "clear_cache", lambda: None)
    seconds = []
    found = 0
    clock = time.perf_counter
    for s in samples:
        clear()
        if remembered:
            gaz.lookup(s.query)
        started = clock()
        candidates = gaz.lookup(s.query)
        seconds.append(clock() - started)
        found += any(c.id == s.place_id for c in candidates)
    return Timing(kind, seconds, found / len(samples))


def time_once(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def median_open_seconds(path: Path) -> float:
    times = []
    for _ in range(N_OPENS):
        started = time.perf_counter()
        gaz = Gazetteer(path)
        times.append(time.perf_counter() - started)
        gaz.close()
    return statistics.median(times)


def _verdict(value: float, target: float) -> str:
    return "ok" if value < target else "SLOW"


def profile_exact(gaz: Gazetteer, samples: Sequence[Sample]) -> str:
    clear: Callable[[], None] = getattr(gaz, "clear_cache", lambda: None)
    profiler = cProfile.Profile()
    for s in samples:
        clear()
        profiler.enable()
        gaz.lookup(s.query)
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--skip-build", action="store_true", help="reuse the cached index instead of a new build"
    )
    parser.add_argument("--profile", action="store_true", help="profile the exact lookups")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the name draw")
    args = parser.parse_args(argv)

    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="geomap-bench-") as tmp:
        if args.skip_build:
            with Gazetteer.open() as gaz:
                path = gaz.path
            rows.append(("build", "skipped (--skip-build)", ""))
        else:
            path = Path(tmp) / "gazetteer.sqlite"
            build_s = time_once(lambda: build_index(path))
            target = f"< {TARGET_BUILD_S:g} s"
            rows.append(("build (full)", f"{build_s:.1f} s", f"{target}  {_verdict(build_s, 60)}"))
        open_s = median_open_seconds(path)
        rows.append(
            (
                f"open (median of {N_OPENS})",
                f"{open_s * 1e3:.1f} ms",
                f"< {TARGET_OPEN_S * 1e3:g} ms  {_verdict(open_s, TARGET_OPEN_S)}",
            )
        )
        rows.append(("index size", f"{path.stat().st_size / 1e6:.1f} MB", ""))

        with Gazetteer(path) as gaz:
            rng = random.Random(args.seed)
            samples = draw_samples(gaz, rng)
            warmup_s = time_once(lambda: gaz.lookup(samples["fuzzy"][0].query))
            timings = [
                time_lookups(gaz, "exact, first pass", samples["exact"]),
                time_lookups(gaz, "exact (warm)", samples["exact"]),
                time_lookups(gaz, "exact, repeat", samples["exact"], remembered=True),
                time_lookups(gaz, "normalised", samples["normalised"]),
                time_lookups(gaz, "fuzzy", samples["fuzzy"]),
            ]
            report = profile_exact(gaz, samples["exact"]) if args.profile else ""
            info = gaz.info()

    print(f"gazetteer benchmark: {info['places']:,} places, {info['names']:,} names")
    print(f"python {sys.version.split()[0]}, seed {args.seed}\n")
    width = max(len(r[0]) for r in rows)
    for name, value, target in rows:
        print(f"{name.ljust(width)}  {value.rjust(22)}  {target}")
    print(f"{'fuzzy key list (once)'.ljust(width)}  {f'{warmup_s:.2f} s'.rjust(22)}")
    print()
    header = ("lookups", "n", "per second", "median µs", "p99 µs", "found")
    print("{:<18} {:>6} {:>11} {:>10} {:>9} {:>7}".format(*header))
    for t in timings:
        print(
            f"{t.kind:<18} {len(t.seconds):>6,} {t.per_second:>11,.0f} "
            f"{t.quantile_us(0.5):>10.1f} {t.quantile_us(0.99):>9.1f} {t.found:>7.1%}"
        )
    warm = timings[1].quantile_us(0.5)
    print(
        f"\nexact lookup, warm median: {warm:.1f} µs "
        f"(target < {TARGET_EXACT_US:g} µs: {_verdict(warm, TARGET_EXACT_US)})"
    )
    if report:
        print("\ncProfile of the exact lookups (by own time):\n")
        print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

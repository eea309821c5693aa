"""Geoparsing speed: articles and MB per second on one core, beside geotext, with accuracy.

Runs the TR-News texts (or any corpus in the evaluation schema) repeated to at least 5 MB
through ``geomap.geoparser.parse`` with the gazetteer already open, then through geotext (an
offline place-name finder on PyPI) in the same process, and prints both figures and their
ratio. It also prints both tools' recognition scores on the corpus, for "faster and more
accurate" side by side.

    python benchmarks/geoparse.py ../shared/eval/trnews.jsonl
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Run as a script, this folder comes first on sys.path, where benchmarks/gazetteer.py
# would hide the gazetteer package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from geomap.evaluate.geoparse import GoldDocument, evaluate_geoparse, load_corpus  # noqa: E402
from geomap.geoparser.parse import default_gazetteer, geoparse, recognizer_for  # noqa: E402


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    surface: str
    kind: str = "place"
    place: None = None


def _geotext_finder() -> Callable[[str], list[_Found]]:
    from geotext import GeoText

    def find(text: str) -> list[_Found]:
        found = []
        g = GeoText(text)
        pos = 0
        for name in g.cities + g.countries:  # geotext gives names, not offsets: recover them
            i = text.find(name, pos)
            if i < 0:
                i = text.find(name)
            if i >= 0:
                found.append(_Found(i, i + len(name), name))
        return found

    return find


def _timed(fn: Callable[[str], object], texts: list[str]) -> float:
    start = time.perf_counter()
    for t in texts:
        fn(t)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="JSON Lines corpus (evaluation schema)")
    parser.add_argument("--megabytes", type=float, default=5.0)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})  # one core
    docs: list[GoldDocument] = load_corpus(args.corpus)
    base = [d.text for d in docs]
    size = sum(len(t.encode()) for t in base)
    texts = base * max(1, int(args.megabytes * 1e6 / size + 0.999))
    megabytes = sum(len(t.encode()) for t in texts) / 1e6

    gaz = default_gazetteer()
    started = time.perf_counter()
    recognizer_for(gaz)
    setup = time.perf_counter() - started
    geoparse(base[0], gazetteer=gaz)  # warm the lazy word lists

    gaz.clear_cache()
    cold = _timed(lambda t: geoparse(t, gazetteer=gaz), base)  # each name looked up afresh
    ours = _timed(lambda t: geoparse(t, gazetteer=gaz), texts)
    find = _geotext_finder()
    find(base[0])
    theirs = _timed(find, texts)

    ours_eval = evaluate_geoparse(docs, lambda t: geoparse(t, gazetteer=gaz))
    theirs_eval = evaluate_geoparse(docs, find)  # type: ignore[arg-type]

    print(f"corpus: {len(docs)} articles, repeated to {len(texts)} articles, {megabytes:.1f} MB")
    print(f"recogniser set-up (once per process): {setup:.2f} s")
    print(f"{'tool':10} {'articles/s':>11} {'MB/s':>7} {'P':>6} {'R':>6} {'F1':>6}")
    for name, seconds, ev in (("geomap", ours, ours_eval), ("geotext", theirs, theirs_eval)):
        print(
            f"{name:10} {len(texts) / seconds:11.0f} {megabytes / seconds:7.2f} "
            f"{ev.precision or 0:6.3f} {ev.recall or 0:6.3f} {ev.f1 or 0:6.3f}"
        )
    print(f"speed ratio geomap/geotext: {theirs / ours:.2f}")
    print(
        f"geomap cold (the {len(base)} distinct articles once, lookup cache empty): "
        f"{len(base) / cold:.0f} articles/s"
    )


if __name__ == "__main__":
    main()

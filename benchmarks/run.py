"""End to end: reports per second through `geomap run`, stage by stage.

Builds a JSON Lines file of N reports (default 1,000): the bundled examples plus, when a
corpus in the evaluation schema is given, its texts, repeated, each with a published date;
then runs the whole job into a temporary folder and prints the seconds of each stage.

    python benchmarks/run.py                                   # examples only
    python benchmarks/run.py --corpus ../shared/eval/trnews.jsonl --reports 1000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

# Run as a script, this folder comes first on sys.path, where benchmarks/gazetteer.py
# would hide the gazetteer package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from geomap.pipeline import run  # noqa: E402
from geomap.readers.reports import read_reports  # noqa: E402


def _texts(corpus: Path | None) -> list[dict[str, str]]:
    examples = read_reports([_HERE.parent / "examples" / "reports"]).reports
    texts = [
        {"text": r.text, "published": str(r.published or "2024-08-06"), "source": r.source}
        for r in examples
    ]
    if corpus:
        with corpus.open(encoding="utf-8") as f:
            texts += [
                {"text": json.loads(line)["text"], "published": "2024-08-06", "source": "corpus"}
                for line in f
                if line.strip()
            ]
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="a JSON Lines corpus to add texts from")
    parser.add_argument("--reports", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "reports.jsonl"
        rows = islice(cycle(_texts(args.corpus)), args.reports)
        with source.open("w", encoding="utf-8") as f:
            for n, row in enumerate(rows):
                f.write(json.dumps({"id": f"r{n:05d}", **row}) + "\n")
        started = time.perf_counter()
        out = run([source], Path(tmp) / "out")
        total = time.perf_counter() - started
    s = out.summary
    assert s is not None
    print(f"{s.reports_read} reports -> {s.incidents} incidents, {out.places} place mentions")
    print(f"{'stage':10} {'seconds':>8} {'reports/s':>10}")
    for stage, seconds in out.seconds.items():
        rate = s.reports_read / seconds if seconds else float("inf")
        print(f"{stage:10} {seconds:8.2f} {rate:10.0f}")
    print(f"{'total':10} {total:8.2f} {s.reports_read / total:10.0f}")


if __name__ == "__main__":
    main()

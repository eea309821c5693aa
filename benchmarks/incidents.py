"""Incident speed on one core: reports per second for text to GeoDataFrame, and rows per
second for an ACLED-format CSV of 100,000 rows with geocoding of rows without coordinates.

The text path reads the reports from disk (examples/reports and, when present, the shared
reports, copied under new ids to at least 1,000 reports in a temporary folder), geoparses,
extracts, merges and builds the GeoDataFrame, with the gazetteer already open. The table
path writes a generated ACLED CSV (1 row in 5 without coordinates, places drawn from the
gazetteer's Iraqi and Syrian towns) and reads, geocodes and frames it.

    python benchmarks/incidents.py [--reports 1000] [--rows 100000]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, this folder comes first on sys.path, where benchmarks/gazetteer.py
# would hide the gazetteer package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from geomap import incidents_with_summary, read_reports, to_geodataframe  # noqa: E402
from geomap.acled import ACLED_COLUMNS  # noqa: E402
from geomap.geoparser.parse import default_gazetteer, geoparse  # noqa: E402

ROOT = _HERE.parent
SOURCES = [ROOT / "examples" / "reports", ROOT.parent / "shared" / "reports"]
PLACES = [
    ("Ramadi", "Al Anbar", 33.4206, 43.3078),
    ("Fallujah", "Al Anbar", 33.3494, 43.7836),
    ("Hit", "Al Anbar", 33.6416, 42.8251),
    ("Nasiriyah", "Dhi Qar", 31.0439, 46.2575),
    ("Basra", "Basra", 30.5085, 47.7804),
    ("Kirkuk", "Kirkuk", 35.4681, 44.3922),
    ("Mosul", "Nineveh", 36.335, 43.1189),
    ("Hillah", "Babylon", 32.4637, 44.4196),
    ("Baqubah", "Diyala", 33.7466, 44.6537),
    ("Samarra", "Salah ad-Din", 34.1959, 43.8857),
    ("Erbil", "Erbil", 36.1901, 44.0091),
    ("Camp Taji", "Baghdad", 33.5294, 44.2775),
    ("Ain al-Asad Air Base", "Al Anbar", 33.7856, 42.4411),
    ("Tikrit", "Salah ad-Din", 34.6071, 43.6782),
    ("Karbala", "Karbala", 32.616, 44.0249),
    ("Najaf", "Najaf", 31.9961, 44.3148),
    ("Kut", "Wasit", 32.5128, 45.8182),
    ("Amarah", "Maysan", 31.8356, 47.1448),
    ("Samawah", "Muthanna", 31.3319, 45.2807),
    ("Diwaniyah", "Qadisiyah", 31.9929, 44.925),
    ("Jurf al-Sakhar", "Babylon", 32.8667, 44.2139),
    ("Qaim", "Al Anbar", 34.3886, 41.0942),
    ("Balad Air Base", "Salah ad-Din", 33.9333, 44.3667),
    ("Unknownville", "Al Anbar", 0.0, 0.0),  # resolves to its province
]


def _copy_reports(target: Path, count: int) -> int:
    files = [f for d in SOURCES if d.exists() for f in sorted(d.iterdir()) if f.is_file()]
    texts = [(f.suffix, f.read_text("utf-8")) for f in files]
    for n in range(count):
        suffix, text = texts[n % len(texts)]
        if text.startswith("---\n") and "\nid:" in text:
            text = text.replace("\nid: ", f"\nid: copy{n}-", 1)
        (target / f"r{n:05d}{suffix}").write_text(text, "utf-8")
    return len(files)


def _write_acled(path: Path, rows: int) -> None:
    rng = random.Random(4)
    types = [
        ("Explosions/Remote violence", "Air/drone strike"),
        ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ("Battles", "Armed clash"),
        ("Protests", "Peaceful protest"),
    ]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(ACLED_COLUMNS)
        for n in range(rows):
            name, admin1, lat, lon = rng.choice(PLACES)
            event_type, sub = rng.choice(types)
            month = rng.choice(["Jan", "Mar", "Aug"])
            day = f"{rng.randint(1, 28):02d}-{month}-2{rng.randint(0, 4)}"  # 31-Dec-20 style
            placed = n % 5 != 0 and lat != 0.0
            values = dict.fromkeys(ACLED_COLUMNS, "")
            values.update(
                event_id_cnty=f"IRQ{n}",
                event_date=day,
                time_precision="1",
                event_type=event_type,
                sub_event_type=sub,
                actor1="Unidentified Armed Group (Iraq)",
                iso="368",
                country="Iraq",
                admin1=admin1,
                location=name,
                latitude=f"{lat:.4f}" if placed else "",
                longitude=f"{lon:.4f}" if placed else "",
                geo_precision="1",
                source="Example Wire",
                notes=f"Generated row {n}.",
                fatalities=str(rng.randint(0, 5)),
            )
            writer.writerow([values[c] for c in ACLED_COLUMNS])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})  # one core
    gaz = default_gazetteer()
    geoparse("Rockets hit Camp Taji on Monday.", gazetteer=gaz)  # warm the recogniser
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        distinct = _copy_reports(folder, args.reports)
        started = time.perf_counter()
        run = incidents_with_summary(read_reports([folder]), gazetteer=gaz)
        gdf = to_geodataframe(run.incidents)
        seconds = time.perf_counter() - started
        print(
            f"text -> GeoDataFrame: {args.reports} reports ({distinct} distinct texts) in "
            f"{seconds:.2f} s: {args.reports / seconds:,.0f} reports/s "
            f"({len(gdf)} incidents after merging {run.summary.incidents_found})"
        )

        table = Path(tmp) / "acled.csv"
        _write_acled(table, args.rows)
        gaz.clear_cache()  # geocoding starts cold
        started = time.perf_counter()
        run = incidents_with_summary(read_reports([table]), gazetteer=gaz)
        gdf = to_geodataframe(run.incidents)
        seconds = time.perf_counter() - started
        geocoded = args.rows // 5
        print(
            f"ACLED CSV -> GeoDataFrame: {args.rows:,} rows ({geocoded:,} geocoded) in "
            f"{seconds:.2f} s: {args.rows / seconds:,.0f} rows/s "
            f"({int(gdf['mappable'].sum()):,} mappable, "
            f"{sum(n for _, n in run.summary.unresolved_places):,} place names unresolved)"
        )


if __name__ == "__main__":
    main()

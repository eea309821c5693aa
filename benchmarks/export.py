"""Export speed: seconds and bytes per format for 10,000, 100,000 and 1,000,000 incidents.

Builds a synthetic incident frame with the schema of ``geomap.frame.SCHEMA`` (points spread
over Iraq, realistic text lengths, one to three sources per row), then times the whole
``geomap.exporters.write`` call per format: conforming, the point checks, writing, flushing to disk,
hashing for the manifest and the rename. Targets for 1,000,000 rows: GeoJSON Sequence and
GeoPackage under 20 s, GeoParquet under 5 s.

    python benchmarks/export.py
    python benchmarks/export.py --sizes 10000 --formats gpkg parquet
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Run as a script, this folder comes first on sys.path, where benchmarks/gazetteer.py
# would hide the gazetteer package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from geomap.exporters.write import FORMATS, export  # noqa: E402
from geomap.frame import SCHEMA, empty_frame  # noqa: E402

TARGETS = {("geojsonseq", 1_000_000): 20.0, ("gpkg", 1_000_000): 20.0, ("parquet", 1_000_000): 5.0}
_QUOTE = (
    "A drone strike on a convoy near the base killed at least {k} fighters and wounded "
    "several others, the security source said on condition of anonymity."
)


def synthetic_frame(n: int, seed: int = 6) -> Any:
    """``n`` incidents in the export schema, inside Iraq's bounding box."""
    import geopandas
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    lat = np.round(rng.uniform(30.0, 37.0, n), 6)
    lon = np.round(rng.uniform(39.0, 48.0, n), 6)
    killed = rng.integers(0, 30, n)
    outlets = np.array(["Reuters", "AP", "AFP", "The National", "Rudaw", "Shafaq News"])
    days = np.datetime64("2023-01-01") + rng.integers(0, 700, n).astype("timedelta64[D]")
    places = np.array(["Ain al-Asad Air Base", "Babel province", "Basra", "Erbil", "Baghdad"])
    values: dict[str, Any] = {
        "incident_id": [f"iq-{i:08d}" for i in range(n)],
        "event_date": days,
        "time_precision": rng.integers(1, 4, n),
        "date_phrase": "on Tuesday",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "label": "drone strike",
        "location": places[rng.integers(0, len(places), n)],
        "place_id": "overlay:ain-al-asad-air-base",
        "latitude": lat,
        "longitude": lon,
        "geo_precision": rng.integers(1, 4, n),
        "country": "IQ",
        "admin1": "Anbar",
        "admin1_code": "IQ-AN",
        "actor1": "Islamic Resistance in Iraq",
        "actor2": "U.S. forces",
        "killed": pd.array(np.where(killed > 25, None, killed), dtype="Int32"),
        "killed_at_least": killed % 2 == 0,
        "quote": [_QUOTE.format(k=k) for k in killed],
        "quote_start": rng.integers(0, 5000, n),
        "report_id": [f"report-{i % 5000}" for i in range(n)],
        "source": outlets[rng.integers(0, len(outlets), n)],
        "url": "https://example.org/news/article",
        "sources": [list(outlets[: 1 + i % 3]) for i in range(n)],
        "report_ids": [[f"report-{i % 5000}"] for i in range(n)],
        "confidence": np.round(rng.uniform(0.3, 1.0, n), 3),
        "mappable": True,
    }
    data = {}
    for col in SCHEMA:
        value = values.get(col.name)
        if value is None:
            value = empty_frame()[col.name].iloc[:0].reindex(range(n))
            if col.dtype == "string":
                value = value.fillna("")
            elif col.dtype == "boolean":
                value = value.fillna(False)
        if col.dtype == "object":
            data[col.name] = pd.Series(value, dtype="object")
        elif isinstance(value, str | bool):
            data[col.name] = pd.Series([value] * n, dtype=col.dtype)
        else:
            data[col.name] = pd.Series(value).astype(col.dtype)
    geometry = geopandas.points_from_xy(lon, lat, crs="EPSG:4326")
    return geopandas.GeoDataFrame(data, geometry=geometry, crs="EPSG:4326")


def _cpu() -> float:
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--formats", nargs="+", choices=list(FORMATS), default=list(FORMATS))
    args = parser.parse_args()
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other jobs slow the "
        "wall clock; cpu is this process and its children)"
    )
    print(f"{'rows':>10}  {'format':<11} {'seconds':>8} {'cpu s':>8} {'bytes':>15}  target")
    for n in args.sizes:
        gdf = synthetic_frame(n)
        with tempfile.TemporaryDirectory(dir=Path.cwd()) as folder:
            for name in args.formats:
                path = Path(folder) / f"incidents{FORMATS[name].extension}"
                started, cpu_before = time.perf_counter(), _cpu()
                result = export(gdf, path)
                seconds, cpu = time.perf_counter() - started, _cpu() - cpu_before
                if result.rows != n:
                    msg = f"{name}: wrote {result.rows} rows of {n}"
                    raise SystemExit(msg)
                target = TARGETS.get((name, n))
                verdict = (
                    ""
                    if target is None
                    else f"< {target:g} s " + ("ok" if seconds < target else "MISSED")
                )
                print(f"{n:>10,}  {name:<11} {seconds:>8.2f} {cpu:>8.2f} {result.bytes:>15,}  "
                      f"{verdict}", flush=True)  # fmt: skip
                path.unlink()
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()

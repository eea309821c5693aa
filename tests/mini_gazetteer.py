"""The mini gazetteer of ``tests/data/gazetteer/mini.tsv``: places read, index built."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from gazetteer.imports.geonames import feature_type
from gazetteer.records import Place
from gazetteer.sources import SourceData

MINI = Path(__file__).parent / "data" / "gazetteer" / "mini.tsv"


def mini_sources(path: Path = MINI, *, progress: Callable[[int], None] | None = None) -> SourceData:
    """The places of a GeoNames-format file, as the index build reads its sources."""
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines(), delimiter="\t"))
    divisions = {f"{r[8]}-{r[10]}": r[1] for r in rows if r[7] == "ADM1"}
    places: list[tuple[Place, tuple[str, ...]]] = []
    for r in rows:
        code = f"{r[8]}-{r[10]}" if r[10] else ""
        place = Place(
            id=r[0] if ":" in r[0] else f"geonames:{r[0]}",
            name=r[1],
            lat=float(r[4]),
            lon=float(r[5]),
            feature=feature_type(r[6], r[7]),
            country=r[8],
            admin1=divisions.get(code, ""),
            admin1_code=code,
            population=int(r[14] or 0),
            source="geonames",
        )
        names = tuple(dict.fromkeys([r[1], r[2], *(a for a in r[3].split(",") if a)]))
        places.append((place, names))
    return SourceData(places=places)

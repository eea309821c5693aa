"""The whole job: reports in, incidents, places, a map and GIS files out.

:func:`run` reads reports and incident tables, geoparses and extracts incidents, merges
the reports of one event, and writes to one folder:

- ``incidents.geojson``, ``incidents.gpkg`` (with a ``mentions`` layer), ``incidents.csv``,
  and any of ``kml``, ``parquet``, ``geojsonl`` asked for;
- ``places.geojson``: every resolved place mention with its report and offsets;
- ``map.html``: the layered map;
- ``summary.json``: what was read, found, merged, left unplaced or unresolved, skipped (with
  reasons) and how long each stage took.

Two runs over the same input write byte-identical files, ``summary.json``'s ``seconds``
aside: ids and order are deterministic, folium's random element ids are renumbered, and
GeoPackages carry a fixed date. Every file is written atomically.
"""

from __future__ import annotations

import json
import logging
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap._atomic import atomic_output
from geomap._errors import GeomapError

if TYPE_CHECKING:
    import folium
    import geopandas

    from geomap.incidents import RunSummary

__all__ = ["DEFAULT_FORMATS", "FORMATS", "RunOutput", "run", "save_map"]

logger = logging.getLogger(__name__)

#: File formats ``run`` can write, by name, with their extension.
FORMATS: dict[str, str] = {
    "geojson": ".geojson",
    "gpkg": ".gpkg",
    "csv": ".csv",
    "kml": ".kml",
    "parquet": ".parquet",
    "geojsonl": ".geojsonl",
}
DEFAULT_FORMATS: tuple[str, ...] = ("geojson", "gpkg", "csv")


@dataclass(slots=True)
class RunOutput:
    """What a run wrote and what it found."""

    out_dir: Path
    files: list[Path] = field(default_factory=list)
    summary: RunSummary | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    incidents_drawn: int = 0
    places: int = 0  # resolved place mentions written to places.geojson

    def to_dict(self) -> dict[str, Any]:
        """``summary.json``: the run summary, the files written and the stage timings."""
        data = self.summary.to_dict() if self.summary else {}
        data["places_resolved"] = self.places
        data["incidents_on_map"] = self.incidents_drawn
        data["files"] = [p.name for p in self.files]
        data["seconds"] = {k: round(v, 3) for k, v in self.seconds.items()}
        return data


@contextmanager
def _stage(out: RunOutput, name: str, progress: Callable[[str], None] | None) -> Iterator[None]:
    if progress:
        progress(name)
    started = time.perf_counter()
    yield
    out.seconds[name] = time.perf_counter() - started
    logger.info("%s took %.2f s", name, out.seconds[name])


def save_map(m: folium.Map, path: Path) -> None:
    """Save a map atomically.

    The page of a ``make_map`` map numbers folium's random element ids in order of
    appearance (``geomap._map_page``), so the file is reproducible.
    """
    html = m.get_root().render()
    with atomic_output(path, ".html") as out:
        out.temp.write_text(html, encoding="utf-8")
        out.info.update(format="HTML", schema="map")


def _write_json(path: Path, data: Any) -> None:
    with atomic_output(path, ".json") as out:
        text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        out.temp.write_text(text, encoding="utf-8")
        out.info.update(format="JSON", schema="summary")


def _write_places(mentions: geopandas.GeoDataFrame, path: Path) -> int:
    import pyogrio

    resolved = mentions[mentions.geometry.notna()].reset_index(drop=True)
    resolved.insert(
        0,
        "mention_id",
        [
            f"{r}:{s}-{e}"
            for r, s, e in zip(
                resolved["report_id"], resolved["start"], resolved["end"], strict=True
            )
        ],
    )
    with atomic_output(path, ".geojson") as out:
        pyogrio.write_dataframe(
            resolved,
            out.temp,
            driver="GeoJSON",
            layer="places",
            RFC7946="YES",
            COORDINATE_PRECISION=6,
            WRITE_NAME="NO",
            ID_FIELD="mention_id",
        )
        out.info.update(format="GeoJSON", schema="places", rows=len(resolved))
    return len(resolved)


def _parse_formats(formats: Iterable[str]) -> list[str]:
    chosen = []
    for name in formats:
        key = name.strip().lower()
        if key not in FORMATS:
            msg = f"unknown format {name!r}; choose from {', '.join(FORMATS)}"
            raise GeomapError(msg)
        if key not in chosen:
            chosen.append(key)
    return chosen


def run(  # noqa: PLR0913 (one keyword per option of `geomap run`)
    paths: Sequence[str | Path],
    out_dir: str | Path,
    *,
    published: date | datetime | None = None,
    country: str | None = None,
    places: Sequence[str | Path] = (),
    boundaries: str | Path | None = None,
    tiles: str | Sequence[str] | None = None,
    cdn: bool = False,
    formats: Iterable[str] = DEFAULT_FORMATS,
    strict: bool = False,
    progress: Callable[[str], None] | None = None,
) -> RunOutput:
    """Run the whole job on reports and incident tables; write everything to ``out_dir``.

    Parameters
    ----------
    paths
        Reports (.txt, .md, .jsonl), incident tables (.csv, .xlsx) and folders of them.
    out_dir
        The folder to write to (created if missing).
    published
        Published date for reports that have none (relative dates are resolved from it).
    country
        ISO 3166-1 code of the country the reports are about: a focus hint.
    places
        The user's own places files, ranked ahead of the built-in gazetteer.
    boundaries
        A polygon file with a name or ISO 3166-2 field: the map's regions become a choropleth.
    tiles
        Base layers (xyzservices names); None for the map's default.
    cdn
        Link Leaflet and its plugins from a CDN instead of carrying them in ``map.html``.
    formats
        Incident file formats to write (see ``FORMATS``).
    strict
        Stop at the first bad input, before writing anything.
    progress
        Called with the name of each stage as it starts.

    Raises
    ------
    ReportError
        With ``strict``, for the first input that cannot be read; nothing is written.
    """
    from gazetteer import Gazetteer
    from geomap._export_tables import mentions_to_geodataframe
    from geomap.export import export
    from geomap.frame import to_geodataframe
    from geomap.incidents import incidents_with_summary
    from geomap.ingest import read_reports
    from geomap.render import DEFAULT_TILES, make_map

    chosen = _parse_formats(formats)
    out = RunOutput(Path(out_dir))
    with _stage(out, "read", progress):
        read = read_reports(paths, strict=strict)
    with _stage(out, "gazetteer", progress):
        gaz = Gazetteer.open(places=places)
    try:
        with _stage(out, "extract", progress):
            found = incidents_with_summary(
                read, gazetteer=gaz, published=published, country_hint=country
            )
        with _stage(out, "frame", progress):
            gdf = to_geodataframe(found.incidents)
            mentions = mentions_to_geodataframe(found.mentions)
            credits = gaz.attribution_of([*gdf["place_id"].dropna(), *mentions["place_id"]])
        out.summary = found.summary
        out.out_dir.mkdir(parents=True, exist_ok=True)
        with _stage(out, "write", progress):
            for name in chosen:
                path = out.out_dir / f"incidents{FORMATS[name]}"
                layers = {"mentions": mentions} if name == "gpkg" else None
                export(gdf, path, format=name, layers=layers, attribution=credits)
                out.files.append(path)
            out.places = _write_places(mentions, out.out_dir / "places.geojson")
            out.files.append(out.out_dir / "places.geojson")
        with _stage(out, "map", progress), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            m = make_map(
                gdf,
                mentions=[m for _, m in found.mentions],
                boundaries=boundaries,
                tiles=DEFAULT_TILES if tiles is None else tiles,
                gazetteer=gaz,
                attribution=credits,
                cdn=cdn,
            )
            save_map(m, out.out_dir / "map.html")
            out.files.append(out.out_dir / "map.html")
    finally:
        gaz.close()
    for w in caught:
        logger.warning("map: %s", w.message)
    out.incidents_drawn = int(gdf["mappable"].fillna(False).sum()) if len(gdf) else 0
    _write_json(out.out_dir / "summary.json", out.to_dict())
    out.files.append(out.out_dir / "summary.json")
    return out

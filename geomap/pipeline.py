"""The one orchestrator: reports in, incidents, places, a map and GIS files out.

The stages, each a subpackage, in the order they run::

    readers  ->  geoparser  ->  incidents  ->  frame  ->  exporters, render
    Report       Mention        Incident       GeoDataFrame   files, map.html

:func:`incidents_with_summary` runs the stages in memory (read results in, incidents and a
:class:`RunSummary` out); :func:`incidents_from_reports` returns the incidents alone; and
:func:`run` reads reports and incident tables, geoparses and extracts incidents, merges
the reports of one event, and writes to one folder:

- ``incidents.geojson``, ``incidents.gpkg`` (with a ``mentions`` layer), ``incidents.csv``,
  and any of ``kml``, ``parquet``, ``geojsonl`` asked for;
- ``places.geojson``: every resolved place mention with its report and offsets;
- ``map.html``: the layered map;
- ``summary.json``: what was read, found, merged, left unplaced or unresolved, skipped (with
  reasons), passed over, corrected, and how long each stage took.

Two runs over the same input write byte-identical files, ``summary.json``'s ``seconds``
aside: ids and order are deterministic, folium's random element ids are renumbered, and
GeoPackages carry a fixed date. The files are replaced as a set (``geomap._outputs``):
written into a staging folder, then moved into place only when all are complete; before
any work the output folder is checked to be writable and every file to be replaced to be
geomap's, unedited (``force`` overrides); inputs that give no report at all stop the run
with :class:`NoReportsError` before anything is written.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gazetteer import Gazetteer
from geomap._atomic import atomic_output
from geomap._errors import GeomapError, NoReportsError, OutputWriteError, shown
from geomap._outputs import OutputSet
from geomap.frame import division_tallies
from geomap.geoparser.parse import default_gazetteer, geoparse
from geomap.incidents.dates import dayfirst_for_language
from geomap.incidents.extract import extract_incidents
from geomap.incidents.geocode import assign_divisions, geocode_incidents
from geomap.incidents.merge import merge_incidents
from geomap.readers.reports import ReadResult, Report
from geomap.records import Incident, Mention, date_out_of_range

if TYPE_CHECKING:
    import geopandas

__all__ = [
    "DEFAULT_FORMATS",
    "FORMATS",
    "IncidentRun",
    "RunOutput",
    "RunSummary",
    "incidents_from_reports",
    "incidents_with_summary",
    "output_names",
    "run",
]

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


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What a run read, found and could not place, so that nothing goes unaccounted."""

    reports_read: int
    rows_read: int  # rows of incident tables
    reports_without_incident: tuple[str, ...]  # report ids
    incidents_found: int  # before merging
    incidents: int  # after merging (table rows included)
    incidents_merged: int  # rows folded into another
    incidents_unplaced: int  # no place at all
    incidents_country_level: int  # placed at country level only: kept, not drawn
    unresolved_places: tuple[tuple[str, int], ...]  # (name, count), most frequent first
    skipped: tuple[tuple[str, int, str], ...] = field(default_factory=tuple)  # file, line, why
    reports_without_published: int = 0  # reports with no published date, none given for the run
    ignored: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # path, why: notes
    notes: tuple[tuple[str, int, str], ...] = field(default_factory=tuple)  # rows corrected
    country_focus: str = ""  # the one country most reports point at, lent to the silent ones
    reports_focused: int = 0  # reports that named no country and took the run's

    @property
    def incidents_not_mappable(self) -> int:
        """Incidents without a point finer than a whole country."""
        return self.incidents_unplaced + self.incidents_country_level

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (``summary.json``)."""
        return {
            "reports_read": self.reports_read,
            "rows_read": self.rows_read,
            "reports_without_incident": list(self.reports_without_incident),
            "incidents_found": self.incidents_found,
            "incidents": self.incidents,
            "incidents_merged": self.incidents_merged,
            "incidents_unplaced": self.incidents_unplaced,
            "incidents_country_level": self.incidents_country_level,
            "incidents_not_mappable": self.incidents_not_mappable,
            "unresolved_places": dict(self.unresolved_places),
            "skipped": [{"path": p, "line": n, "reason": r} for p, n, r in self.skipped],
            "reports_without_published": self.reports_without_published,
            "ignored": [{"path": p, "reason": r} for p, r in self.ignored],
            "notes": [{"path": p, "line": n, "note": r} for p, n, r in self.notes],
            "country_focus": self.country_focus,
            "reports_focused": self.reports_focused,
        }


@dataclass(frozen=True, slots=True)
class IncidentRun:
    """The incidents of a run and its summary."""

    incidents: list[Incident]
    summary: RunSummary
    # every report's place mentions, in report order: (report id, mention)
    mentions: list[tuple[str, Mention]] = field(default_factory=list)


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


def _split(
    reports: ReadResult | Iterable[Report | Incident],
) -> tuple[list[Report], list[Incident], ReadResult]:
    if isinstance(reports, ReadResult):
        return list(reports.reports), list(reports.incidents), reports
    texts: list[Report] = []
    rows: list[Incident] = []
    for item in reports:
        if isinstance(item, Incident):
            rows.append(item)
        elif isinstance(item, Report):
            texts.append(item)
        else:
            msg = f"expected Report or Incident records, got {type(item).__name__}: {shown(item)}"
            raise TypeError(msg)
    return texts, rows, ReadResult()


def _sane_dates(incidents: list[Incident]) -> list[Incident]:
    """Dates read from text outside the sane range ("in January 1000") are dropped, with why."""
    out = []
    for i in incidents:
        why = date_out_of_range(i.event_date) if i.event_date else ""
        out.append(replace(i, event_date=None, date_note=f"the text's date {why}") if why else i)
    return out


#: A run is about one country when at least this many reports point at a country and ...
RUN_FOCUS_REPORTS = 5
#: ... this share of them point at the same one.
RUN_FOCUS_SHARE = 0.6
# Decisions that place a name by a parent, a title or a list named with it.
_ANCHORING = frozenset({"parent", "within_parent", "division_title", "siblings", "capital"})


def _pointed_at(mentions: list[Mention]) -> Counter[str]:
    """The countries a report's own words point at: countries and divisions named,
    demonyms, names placed by a parent named with them."""
    found: Counter[str] = Counter()
    for m in mentions:
        if m.kind == "demonym" and m.country:
            found[m.country] += 1
        elif (
            m.place is not None
            and m.place.country
            and (
                m.place.feature in ("country", "admin1", "admin2", "region")
                or m.decision.rule in _ANCHORING
            )
        ):
            found[m.place.country] += 1
    return found


def _run_country(pointed: list[Counter[str]]) -> str:
    """The country most of a run's reports point at, when one dominates, else ""."""
    votes = Counter(c.most_common(1)[0][0] for c in pointed if c)
    total = sum(votes.values())
    if total < RUN_FOCUS_REPORTS:
        return ""
    country, n = votes.most_common(1)[0]
    return country if n >= RUN_FOCUS_SHARE * total else ""


def incidents_with_summary(
    reports: ReadResult | Iterable[Report | Incident],
    *,
    gazetteer: Gazetteer | None = None,
    published: date | datetime | None = None,
    country_hint: str | None = None,
    merge: bool = True,
    dayfirst: bool | None = None,
    run_focus: bool = True,
) -> IncidentRun:
    """The incidents of reports and incident tables, with a summary of the run.

    Parameters
    ----------
    reports
        What :func:`geomap.read_reports` returned (its skipped inputs go into the
        summary), or Report and Incident records.
    gazetteer
        The gazetteer; by default the one opened once per process.
    published
        The published date of reports that have none.
    country_hint
        ISO 3166-1 code of the country the reports are about.
    merge
        Merge the rows extracted from text that tell of one incident (see
        :func:`geomap.incidents.merge.same_incident`). Table rows are never merged: they were coded
        by someone who already did.
    dayfirst
        Read numeric dates ("05/12/2019") day first (True) or month first (False); by
        default by each report's language: month first for US English and reports that give
        no language, day first for others.
    run_focus
        When no ``country_hint`` is given and at least ``RUN_FOCUS_REPORTS`` reports point
        at countries, ``RUN_FOCUS_SHARE`` of them at one, the reports that point at none are
        read as about that country (the summary's ``country_focus``, ``reports_focused``).

    A run in which reports have no published date (and none is given) says so once, as a
    warning and in the summary: dates relative to it ("on Tuesday", "last month") cannot be
    placed in time, and events without a date phrase get none.
    """
    texts, rows, read = _split(reports)
    gaz = gazetteer or default_gazetteer()
    found: list[Incident] = []
    silent: list[str] = []
    unresolved: Counter[str] = Counter()
    all_mentions: list[tuple[str, Mention]] = []
    undated = 0 if published is not None else sum(1 for r in texts if r.published is None)
    if undated:
        logger.warning(
            "%d of %d reports have no published date: dates relative to it ('on Tuesday', "
            "'last month') stay unresolved and events without a date get none; give one with "
            "--published YYYY-MM-DD (or 'published:' in a report's front matter)",
            undated,
            len(texts),
        )
    parsed = [geoparse(r.text, gazetteer=gaz, country_hint=country_hint) for r in texts]
    focus, focused = "", 0
    if country_hint is None and run_focus:
        # a pile of reports about one country: the reports that name no country read the
        # run's ("killed in Tal", alone, is not the Indian village in a run about Iraq)
        pointed = [_pointed_at(m) for m in parsed]
        focus = _run_country(pointed)
        for k, report in enumerate(texts):
            if focus and not pointed[k] and parsed[k]:
                parsed[k] = geoparse(report.text, gazetteer=gaz, country_hint=focus)
                focused += 1
        if focused:
            logger.info("%d reports that name no country were read as about %s", focused, focus)
    for report, mentions in zip(texts, parsed, strict=True):
        all_mentions.extend((report.id, m) for m in mentions)
        extraction = extract_incidents(
            report.text,
            mentions,
            report_id=report.id,
            published=report.published or published,
            source=report.source,
            url=report.url,
            text_offset=report.text_offset,
            dayfirst=dayfirst_for_language(report.language) if dayfirst is None else dayfirst,
        )
        if not extraction.incidents:
            silent.append(report.id)
        found.extend(_sane_dates(extraction.incidents))
        unresolved.update(extraction.unresolved)
    logger.info("extracted %d incidents from %d reports", len(found), len(texts))
    merged = merge_incidents(found) if merge else found
    placed_rows, missing = geocode_incidents(rows, gaz)
    unresolved.update(missing)
    logger.info("read %d table rows, %d place names unresolved", len(rows), sum(missing.values()))
    incidents = assign_divisions(merged + placed_rows, gaz)
    summary = RunSummary(
        reports_read=len(texts),
        rows_read=len(rows),
        reports_without_incident=tuple(silent),
        incidents_found=len(found) + len(rows),
        incidents=len(incidents),
        incidents_merged=len(found) - len(merged),
        incidents_unplaced=sum(1 for i in incidents if i.latitude is None),
        incidents_country_level=sum(
            1 for i in incidents if i.latitude is not None and not i.mappable
        ),
        unresolved_places=tuple(sorted(unresolved.items(), key=lambda kv: (-kv[1], kv[0]))),
        skipped=tuple((e.path, e.line, e.problem) for e in read.skipped),
        ignored=tuple(read.ignored),
        notes=tuple((e.path, e.line, e.problem) for e in read.notes),
        reports_without_published=undated,
        country_focus=focus if focused else "",
        reports_focused=focused,
    )
    return IncidentRun(incidents, summary, all_mentions)


def incidents_from_reports(
    reports: ReadResult | Iterable[Report | Incident],
    *,
    gazetteer: Gazetteer | None = None,
    published: date | datetime | None = None,
    country_hint: str | None = None,
    merge: bool = True,
    dayfirst: bool | None = None,
) -> list[Incident]:
    """The incidents of reports and incident tables (see :func:`incidents_with_summary`)."""
    return incidents_with_summary(
        reports,
        gazetteer=gazetteer,
        published=published,
        country_hint=country_hint,
        merge=merge,
        dayfirst=dayfirst,
    ).incidents


def output_names(formats: Iterable[str]) -> tuple[str, ...]:
    """The files :func:`run` writes for these formats, in the order they are put in place
    (``summary.json`` last: a folder with it complete holds a complete set)."""
    incidents = [f"incidents{FORMATS[name]}" for name in _parse_formats(formats)]
    return (*incidents, "places.geojson", "map.html", "summary.json")


def _write_failure(folder: Path, error: Exception) -> str:
    """Why writing failed, in words: the system's reason, or that the disk is full."""
    import shutil

    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    with contextlib.suppress(OSError):
        if shutil.disk_usage(folder).free < 1 << 20:
            return "no space left on the device"
    first = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return first if len(first) <= 160 else first[:159] + "…"


@contextmanager
def _writing(folder: Path) -> Iterator[None]:
    """Turn a failed write (a full disk, a quota, a dead drive) into one clear error."""
    import pyogrio.errors

    try:
        yield
    except GeomapError:
        raise
    except (OSError, pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as e:
        msg = (
            f"cannot write the outputs to {folder}: {_write_failure(folder, e)}; the previous "
            "outputs are untouched; free some space or choose another folder (-o)"
        )
        raise OutputWriteError(msg) from e


_Skipped = list[tuple[str, int, str]]


def _left_out(gdf: geopandas.GeoDataFrame) -> tuple[geopandas.GeoDataFrame, _Skipped]:
    """Rows whose point fails the export checks, taken out and said why, before writing."""
    from geomap.exporters.suspects import find_suspects

    suspects = find_suspects(gdf)
    if not suspects:
        return gdf, []
    skipped = [
        (str(gdf["report_id"].iat[s.position]), 0, f"incident {s.incident_id}: {s.problem}")
        for s in suspects
    ]
    kept = gdf.drop(index=gdf.index[[s.position for s in suspects]]).reset_index(drop=True)
    return kept, skipped


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
    columns: str | None = None,
    strict: bool = False,
    force: bool = False,
    gazetteer: Gazetteer | None = None,
    progress: Callable[[str], None] | None = None,
    dayfirst: bool | None = None,
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
    columns
        How tables that are neither ACLED's nor geomap's name their columns
        (``"date=Date,location=Town"``).
    strict
        Stop at the first bad input, before writing anything.
    force
        Replace output files geomap did not write, or that were edited since.
    gazetteer
        The gazetteer to use (left open, with its own places files: ``places`` is then not
        used); by default the installed one, opened (and built if needed) for the run and
        closed after it.
    progress
        Called with the name of each stage as it starts.
    dayfirst
        Read numeric dates day first (True) or month first (False); by default by each
        report's language (see :func:`geomap.incidents_with_summary`).

    Raises
    ------
    OutputFolderError, ExportOverwriteError
        Before any work: the folder cannot be written to, or a file to replace is not
        geomap's to replace.
    NoReportsError
        No report or table row could be read; nothing is written.
    ReportError
        With ``strict``, for the first input that cannot be read; nothing is written.
    OutputWriteError
        Writing failed (a full disk); the previous outputs are untouched.
    """
    from geomap.exporters.bounds import check_point
    from geomap.exporters.tables import mentions_to_geodataframe
    from geomap.exporters.write import export
    from geomap.frame import to_geodataframe
    from geomap.readers.reports import read_reports
    from geomap.render.map import DEFAULT_TILES, make_map, save_map

    chosen = _parse_formats(formats)
    out = RunOutput(Path(out_dir))
    outputs = OutputSet(out.out_dir, output_names(chosen), force=force)
    outputs.prepare()
    with _stage(out, "read", progress):
        read = read_reports(paths, strict=strict, columns=columns, check_point=check_point)
    if not read.reports and not read.incidents:
        raise NoReportsError([str(p) for p in paths], read.skipped)
    with _stage(out, "gazetteer", progress):
        gaz = gazetteer or Gazetteer.open(places=places)
    try:
        with _stage(out, "extract", progress):
            found = incidents_with_summary(
                read, gazetteer=gaz, published=published, country_hint=country, dayfirst=dayfirst
            )
        with _stage(out, "frame", progress):
            gdf, left_out = _left_out(to_geodataframe(found.incidents))
            mentions = mentions_to_geodataframe(found.mentions)
            credits = gaz.attribution_of([*gdf["place_id"].dropna(), *mentions["place_id"]])
        out.summary = replace(found.summary, skipped=(*found.summary.skipped, *left_out))
        with outputs.staging() as staging, _writing(out.out_dir):
            with _stage(out, "write", progress):
                for name in chosen:
                    path = staging / f"incidents{FORMATS[name]}"
                    layers = {"mentions": mentions} if name == "gpkg" else None
                    export(gdf, path, format=name, layers=layers, attribution=credits)
                out.places = _write_places(mentions, staging / "places.geojson")
            with _stage(out, "map", progress), warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                m = make_map(
                    gdf,
                    mentions=[m for _, m in found.mentions],
                    boundaries=boundaries,
                    tiles=DEFAULT_TILES if tiles is None else tiles,
                    regions=() if boundaries is not None else division_tallies(gaz, gdf),
                    attribution=credits,
                    cdn=cdn,
                )
                save_map(m, staging / "map.html")
            for w in caught:
                logger.warning("map: %s", w.message)
            out.incidents_drawn = int(gdf["mappable"].fillna(False).sum()) if len(gdf) else 0
            out.files = [out.out_dir / name for name in outputs.names]
            _write_json(staging / "summary.json", out.to_dict())
    finally:
        if gazetteer is None:
            gaz.close()
    return out

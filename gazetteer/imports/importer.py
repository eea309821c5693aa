"""Import users' files into the imports database: GeoNames dumps, gazetteers, boundaries.

:func:`import_files` is what ``geomap gazetteer import`` and
:meth:`gazetteer.Gazetteer.import_files` run. For each file it

1. tells what the file is (:func:`sniff`): a GeoNames dump, ``admin1CodesASCII.txt``,
   ``admin2Codes.txt``, alternate names, ``hierarchy.txt``, ``countryInfo.txt`` (``.txt``
   or the ``.zip`` as downloaded), an event table (ACLED, UCDP GED or GTD export, told by
   its columns; :mod:`gazetteer.imports.events`), a user's gazetteer (CSV, GeoJSON,
   GeoPackage), or a boundary file (given with a level);
2. skips it if a file with the same SHA-256 was imported before (re-importing is a no-op),
   and replaces the earlier import of a changed file of the same source name;
3. streams it into a copy of the imports database, reporting malformed rows by line and
   going on.

Companion files go first (admin codes before the places that use them) and alternate
names after the places they name. The copy replaces the imports database only once every
file is in: an interrupted import leaves the previous one in use, and a lock keeps two
imports from running at once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from gazetteer._errors import GazetteerError, ImportFileError
from gazetteer.build import Progress, index_path
from gazetteer.files import exclusive, first_bad_utf8, replace_durably, sha256_of
from gazetteer.imports.db import EVENTS_SCHEMA, IMPORTS_FILE, NAMES_INDEX, PLACES_INDEX, SCHEMA
from gazetteer.imports.dump import import_dump
from gazetteer.imports.events import EVENT_SUFFIXES, event_format, read_header
from gazetteer.imports.geonames import (
    GEONAMES_LICENCE,
    BuiltinContext,
    Parallel,
    Problems,
    fill_admin1,
)
from gazetteer.imports.geonames_extras import (
    admin1_map_from_index,
    import_admin_codes,
    import_alternate_names,
    import_country_info,
    import_hierarchy,
    installed_admin1_codes_soon,
)
from gazetteer.imports.textfiles import data_size, open_lines

__all__ = [
    "GEONAMES_KINDS",
    "KINDS",
    "ImportOptions",
    "ImportReport",
    "Progress",
    "import_files",
    "sniff",
]

logger = logging.getLogger(__name__)

#: What a file can be, in the order an import handles them.
KINDS: tuple[str, ...] = (
    "country_info",
    "admin1_codes",
    "admin2_codes",
    "geonames",
    "gazetteer",
    "boundaries",
    "events",
    "alternate_names",
    "hierarchy",
)
GEONAMES_KINDS = frozenset(KINDS) - {"gazetteer", "boundaries", "events"}
_VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".fgb", ".geojsonl", ".geojsons")
_NAME_HINTS = (
    ("admin1codes", "admin1_codes"),
    ("admin2codes", "admin2_codes"),
    ("alternatenames", "alternate_names"),
    ("hierarchy", "hierarchy"),
    ("countryinfo", "country_info"),
)
_BIG_IMPORT = 64 * 1024 * 1024  # bytes: above this the name index is made again at the end
_PARALLEL_DUMP = 32 * 1024 * 1024  # bytes: dumps above this are parsed in several processes
_MAX_WORKERS = 4
_WHOLE_FILES = ("gazetteer", "boundaries", "events")  # read as they are, not from a .zip


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """How to import: the source name, licence note and field names (all optional).

    ``source`` names the import (default: the file's name; with several files, each is
    ``SOURCE/file name``). ``licence`` is the note shown by ``geomap gazetteer info`` and
    carried into map footers; GeoNames files get :data:`GEONAMES_LICENCE`. ``force``
    imports a file again even if the same file was imported before. ``name_field`` is the
    column holding names in a gazetteer or boundary file. ``workers`` is the number of
    processes parsing a GeoNames dump (default: one per core, up to 4, for dumps over
    32 MB; one otherwise).
    """

    source: str | None = None
    licence: str | None = None
    force: bool = False
    name_field: str | None = None
    workers: int | None = None


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What happened to one file."""

    source: str
    path: str
    kind: str
    rows: int = 0
    merged: int = 0  # rows that joined a place the built index has
    problems: tuple[tuple[int, str], ...] = ()  # the first 1,000: (line or row, problem)
    n_problems: int = 0
    skipped: str = ""  # why nothing was imported, "" when imported
    seconds: float = 0.0
    note: str = ""

    def problem_lines(self) -> list[str]:
        """The problems as ``path, line N: problem`` lines."""
        return [f"{self.path}, line {n}: {p}" for n, p in self.problems]


@dataclass(frozen=True, slots=True)
class _Job:
    path: Path
    kind: str
    source: str
    sha256: str
    level: int | None = None


# --------------------------------------------------------------------------- reading


def _sniff_lines(lines: list[str]) -> str | None:
    votes: dict[str, int] = {}
    for line in lines:
        if line.startswith("#"):  # countryInfo.txt opens with comments
            continue
        f = line.rstrip("\r\n").split("\t")
        kind = None
        if len(f) == 19 and f[0].isdigit():
            kind = "geonames"
        elif len(f) >= 17 and re.fullmatch("[A-Z]{2}", f[0]) and f[16].isdigit():
            kind = "country_info"
        elif len(f) == 4 and re.fullmatch(r"[A-Z]{2}\.[^.]+", f[0]):
            kind = "admin1_codes"
        elif len(f) == 4 and re.fullmatch(r"[A-Z]{2}\.[^.]+\.[^.]+", f[0]):
            kind = "admin2_codes"
        elif len(f) in (8, 10) and f[0].isdigit() and f[1].isdigit():
            kind = "alternate_names"
        elif len(f) in (2, 3) and f[0].isdigit() and f[1].isdigit():
            kind = "hierarchy"
        if kind:
            votes[kind] = votes.get(kind, 0) + 1
    if not votes:
        return None
    return max(votes, key=lambda k: votes[k])


def _check_text(path: Path) -> None:
    """Raise unless the file is UTF-8 text: a binary file named .csv is not a table."""
    bad = first_bad_utf8(path)
    if bad is None:
        return
    line, byte = bad
    if byte == b"\x00":
        msg = f"{path} is a binary file, not a CSV table; give a text .csv in UTF-8"
    else:
        msg = f"{path}, line {line}: byte {byte!r} is not UTF-8; save the table as UTF-8 text"
    raise ImportFileError(msg)


def sniff(path: str | Path) -> str:
    """What a file is: one of :data:`KINDS` but "boundaries" (which is given, not told).

    Raises
    ------
    ImportFileError
        When the file cannot be read or is in no format the importer knows.
    """
    path = Path(path)
    if not path.is_file():
        msg = f"no file at {path}"
        raise ImportFileError(msg)
    suffix = path.suffix.lower()
    if suffix in EVENT_SUFFIXES and event_format(read_header(path)) is not None:
        return "events"
    if suffix == ".xlsx":
        msg = (
            f"{path} is not an event table: a spreadsheet is read as an ACLED, UCDP GED or "
            "GTD export, told by its columns; give a gazetteer as .csv, .geojson or .gpkg"
        )
        raise ImportFileError(msg)
    if suffix == ".csv":
        _check_text(path)
        return "gazetteer"
    if suffix in _VECTOR_SUFFIXES:
        return "gazetteer"
    if suffix == ".zip" and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            if any(m.filename.lower().endswith(_VECTOR_SUFFIXES) for m in archive.infolist()):
                return "gazetteer"
    try:
        with open_lines(path) as lines:
            head = [line for _, line in zip(range(200), lines, strict=False)]
    except (OSError, zipfile.BadZipFile) as e:
        msg = f"cannot read {path}: {e}"
        raise ImportFileError(msg) from e
    found = _sniff_lines(head)
    lowered = path.name.lower().replace("_", "")
    for hint, kind in _NAME_HINTS:
        if hint in lowered and found in (kind, None):
            return kind
    if found is None:
        msg = (
            f"cannot tell what {path} is; expected a GeoNames dump (19 tab-separated "
            "columns), admin1CodesASCII.txt, admin2Codes.txt, alternateNamesV2.txt, "
            "hierarchy.txt, countryInfo.txt, an ACLED, UCDP GED or GTD export (.csv or "
            ".xlsx), or a gazetteer as .csv, .geojson or .gpkg"
        )
        raise ImportFileError(msg)
    return found


def _plan(
    paths: Sequence[str | Path],
    boundaries: Sequence[tuple[str | Path, int]],
    options: ImportOptions,
) -> list[_Job]:
    found: list[tuple[Path, str, int | None]] = [(Path(p), sniff(p), None) for p in paths]
    for p, level in boundaries:
        if level not in (1, 2):
            msg = f"boundary level must be 1 or 2, got {level!r}"
            raise ImportFileError(msg)
        if not Path(p).is_file():
            msg = f"no file at {p}"
            raise ImportFileError(msg)
        found.append((Path(p), "boundaries", level))
    jobs = []
    for p, kind, job_level in found:
        source = p.name
        if options.source:
            source = options.source if len(found) == 1 else f"{options.source}/{p.name}"
        jobs.append(_Job(p, kind, source, sha256_of(p), job_level))
    names = [j.source for j in jobs]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        msg = f"source name(s) {', '.join(map(repr, twice))} given to more than one file"
        raise ImportFileError(msg)
    return sorted(jobs, key=lambda j: (KINDS.index(j.kind), j.level or 0))


# --------------------------------------------------------------------------- writing


def _lock(imports: Path) -> AbstractContextManager[None]:
    lock_path = imports.with_name(imports.name + ".lock")
    return exclusive(lock_path, f"another import into {imports} is running; wait for it to finish")


def _existing(imports: Path) -> dict[str, str]:
    """sha256 -> source name of the files imported before."""
    if not imports.exists():
        return {}
    con = sqlite3.connect(f"{imports.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return dict(con.execute("SELECT sha256, name FROM sources"))
    except sqlite3.DatabaseError:
        return {}
    finally:
        con.close()


def _remove_leftovers(imports: Path) -> None:
    """Delete what a killed import left (the caller holds the lock)."""
    for stale in imports.parent.glob(f"{imports.name}.*.partial"):
        stale.unlink(missing_ok=True)
    for stale in imports.parent.glob("import-workers.*"):
        shutil.rmtree(stale, ignore_errors=True)


def _prepare(imports: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=f"{imports.name}.", suffix=".partial", dir=imports.parent)
    os.close(fd)
    tmp = Path(name)
    if imports.exists() and _complete(imports):
        shutil.copyfile(imports, tmp)
    else:
        if imports.exists():
            logger.warning("%s is not a complete imports database; starting a new one", imports)
        tmp.unlink()
        con = sqlite3.connect(tmp)
        try:
            con.executescript(SCHEMA + NAMES_INDEX + ";")
        finally:
            con.close()
    con = sqlite3.connect(tmp)
    try:  # databases written before event tables were imported lack their table
        con.executescript(EVENTS_SCHEMA)
    finally:
        con.close()
    return tmp


def _complete(imports: Path) -> bool:
    con = sqlite3.connect(f"{imports.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'complete'").fetchone()
    except sqlite3.DatabaseError:
        return False
    finally:
        con.close()
    return bool(row and row[0] == "1")


def _forget(con: sqlite3.Connection, sid: int) -> None:
    for table in ("places", "names", "admin_codes", "hierarchy", "shapes", "event_tables"):
        con.execute(f"DELETE FROM {table} WHERE sid = ?", (sid,))
    con.execute("DELETE FROM sources WHERE sid = ?", (sid,))
    # names other sources gave to the places just removed
    con.execute("DELETE FROM names WHERE pid NOT IN (SELECT pid FROM places)")


def _build_indexes(con: sqlite3.Connection) -> None:
    """Make the indexes a large import dropped (those kept are left as they are).

    SQLite sorts the keys in runs as large as its page cache, in a thread of their own
    when allowed: runs of a few megabytes, sorted beside the main thread, build the
    names index of two million rows in 1.3 s instead of 3.5 s.
    """
    cache_size = con.execute("PRAGMA cache_size").fetchone()[0]
    con.execute("PRAGMA cache_size = -4096")
    con.execute("PRAGMA threads = 1")
    try:
        con.execute(NAMES_INDEX)
        con.execute(PLACES_INDEX)
    finally:
        con.execute(f"PRAGMA cache_size = {int(cache_size)}")
        con.execute("PRAGMA threads = 0")


def _finish(con: sqlite3.Connection) -> None:
    _build_indexes(con)
    places, merged = con.execute(
        "SELECT count(*) - coalesce(sum(merged), 0), coalesce(sum(merged), 0) FROM places"
    ).fetchone()
    names = con.execute("SELECT count(*) FROM names").fetchone()[0]
    counts = {"places": places, "merged": merged, "names": names}
    meta = {k: str(v) for k, v in counts.items()}
    meta["updated_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    meta["complete"] = "1"
    con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())


@dataclass
class _Session:
    """One import run: the copy being written, the built index and what it knows."""

    con: sqlite3.Connection
    builtin: sqlite3.Connection
    ctx: BuiltinContext
    options: ImportOptions
    progress: Progress | None
    scratch: Path
    reports: list[ImportReport] = field(default_factory=list)

    def workers(self, job: _Job) -> int:
        if self.options.workers is not None:
            return max(1, self.options.workers)
        if data_size(job.path) < _PARALLEL_DUMP:
            return 1
        return max(1, min(_MAX_WORKERS, os.cpu_count() or 1))

    def builtin_row(self, gid: int) -> tuple[object, ...] | None:
        row = self.builtin.execute(
            "SELECT id, name, lat, lon, feature, country, admin1, admin1_code, population, "
            "source, prominence FROM places WHERE id = ?",
            (f"geonames:{gid}",),
        ).fetchone()
        if row is None:
            return None
        return (gid, *row, 1, "", "", "", "")

    def run(self, job: _Job) -> None:
        started = time.perf_counter()
        old = self.con.execute("SELECT sid FROM sources WHERE name = ?", (job.source,)).fetchone()
        if old:
            _forget(self.con, int(old[0]))
        licence = GEONAMES_LICENCE if job.kind in GEONAMES_KINDS else ""
        licence = self.options.licence or licence
        self.con.execute(
            "INSERT INTO sources (name, kind, path, sha256, rows, problems, imported_at, licence,"
            " level) VALUES (?,?,?,?,0,0,?,?,?)",
            (job.source, job.kind, str(job.path.resolve()), job.sha256,
             time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), licence, job.level),
        )  # fmt: skip
        (sid,) = self.con.execute(
            "SELECT sid FROM sources WHERE name = ?", (job.source,)
        ).fetchone()
        problems = Problems(str(job.path))
        rows, merged, note, licence = self._dispatch(job, sid, problems)
        self.con.execute(
            "UPDATE sources SET rows = ?, problems = ?, licence = ? WHERE sid = ?",
            (rows, problems.count, self.options.licence or licence, sid),
        )
        report = ImportReport(
            source=job.source,
            path=str(job.path),
            kind=job.kind,
            rows=rows,
            merged=merged,
            problems=tuple(problems.kept),
            n_problems=problems.count,
            seconds=time.perf_counter() - started,
            note=note,
        )
        logger.info(
            "imported %s rows (%s merged, %s left out) of %s as %r in %.1f s",
            f"{rows:,}", f"{merged:,}", f"{problems.count:,}", job.path, job.source,
            report.seconds,
        )  # fmt: skip
        self.reports.append(report)

    def _bar(self, job: _Job) -> AbstractContextManager[Callable[[int], None]]:
        if self.progress is None:
            return contextlib.nullcontext(lambda n: None)
        size = job.path.stat().st_size if job.kind in _WHOLE_FILES else 0
        return self.progress(job.source, size or data_size(job.path))

    def _dispatch(self, job: _Job, sid: int, problems: Problems) -> tuple[int, int, str, str]:
        """Run the importer of a job: (rows, merged, note, licence note)."""
        if job.kind in ("gazetteer", "boundaries"):
            from gazetteer.imports.user_files import import_boundaries, import_gazetteer

            with self._bar(job) as advance:
                if job.kind == "boundaries":
                    result = import_boundaries(
                        self.con, job.path, level=job.level or 1, sid=sid, source=job.source,
                        ctx=self.ctx, builtin=self.builtin, problems=problems,
                        name_field=self.options.name_field,
                    )  # fmt: skip
                else:
                    result = import_gazetteer(
                        self.con, job.path, sid=sid, source=job.source, ctx=self.ctx,
                        builtin=self.builtin, problems=problems,
                        name_field=self.options.name_field,
                    )  # fmt: skip
                advance(job.path.stat().st_size)
            return result.rows, result.merged, result.note, result.licence
        if job.kind == "events":
            return self._events(job, sid, problems)
        if job.kind == "geonames":
            parallel = Parallel(self.workers(job), self.scratch)
            with self._bar(job) as advance:
                rows, merged = import_dump(
                    self.con, job.path, sid=sid, source=job.source, ctx=self.ctx,
                    problems=problems, parallel=parallel, advance=advance,
                )  # fmt: skip
            return rows, merged, "", GEONAMES_LICENCE
        with self._bar(job) as advance, open_lines(job.path, advance) as lines:
            return (*self._geonames(job, lines, sid, problems), GEONAMES_LICENCE)

    def _events(self, job: _Job, sid: int, problems: Problems) -> tuple[int, int, str, str]:
        from gazetteer.imports.events import import_events

        with self._bar(job) as advance:
            result = import_events(
                self.con, job.path, sid=sid, source=job.source, ctx=self.ctx,
                builtin=self.builtin, problems=problems, advance=advance,
            )  # fmt: skip
        self.con.execute(
            "INSERT INTO event_tables VALUES (?,?,?,?,?)",
            (sid, result.format.label, result.places, result.merged, result.imprecise),
        )
        return result.rows, result.merged, result.note, result.format.licence

    def _geonames(
        self, job: _Job, lines: Iterable[str], sid: int, problems: Problems
    ) -> tuple[int, int, str]:
        con, ctx = self.con, self.ctx
        if job.kind in ("admin1_codes", "admin2_codes"):
            return import_admin_codes(con, lines, sid=sid, ctx=ctx, problems=problems), 0, ""
        if job.kind == "alternate_names":
            rows, orphans = import_alternate_names(
                con, lines, sid=sid, builtin_ids=ctx.gn_admin1, builtin_place=self.builtin_row,
                problems=problems,
            )  # fmt: skip
            note = ""
            if orphans:
                note = (
                    f"{orphans:,} names are of places not imported and were left out; "
                    "import the places' dump first, or with it"
                )
            return rows, 0, note
        if job.kind == "hierarchy":
            return import_hierarchy(con, lines, sid=sid, problems=problems), 0, ""
        return import_country_info(con, lines, sid=sid, ctx=ctx, problems=problems), 0, ""


def import_files(
    paths: Sequence[str | Path] = (),
    *,
    index: Path | None = None,
    imports: Path | None = None,
    boundaries: Sequence[tuple[str | Path, int]] = (),
    options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> list[ImportReport]:
    """Import files into the imports database beside a built index.

    Parameters
    ----------
    paths
        GeoNames files (``.txt`` or ``.zip``) and gazetteers (``.csv``, ``.geojson``,
        ``.gpkg``), told apart by :func:`sniff`.
    index
        The built index the imports extend (default: the one of the installed sources);
        it must exist.
    imports
        The imports database (default: ``imports.sqlite`` beside ``index``).
    boundaries
        Boundary files with their level (1 or 2): ``[("iraq_adm1.geojson", 1)]``.
    options
        Source name, licence note, ``force`` and the name field.
    progress
        Makes a progress bar per file (see :data:`Progress`); None for none.

    Returns
    -------
    list of ImportReport
        One per file, in the order they were imported; skipped files say why.
    """
    options = options or ImportOptions()
    index = index or index_path()
    if not index.exists():
        msg = f"no gazetteer index at {index}; build it with `geomap gazetteer build` first"
        raise GazetteerError(msg)
    imports = imports or index.parent / IMPORTS_FILE
    jobs = _plan(paths, boundaries, options)
    if not jobs:
        msg = "nothing to import: give files, or --boundaries FILE with --level"
        raise ImportFileError(msg)
    with _lock(imports):
        _remove_leftovers(imports)
        done = _existing(imports)
        skipped = [j for j in jobs if j.sha256 in done and not options.force]
        todo = [j for j in jobs if j not in skipped]
        reports = [
            ImportReport(
                j.source, str(j.path), j.kind, skipped=f"already imported as {done[j.sha256]!r}"
            )
            for j in skipped
        ]
        if todo:
            reports += _write(imports, index, todo, options, progress)
    return reports


def _drop_names_index(con: sqlite3.Connection, size: int) -> bool:
    """Whether to drop the names index for an import of ``size`` bytes, made at the end.

    Making the index again costs about a microsecond a name, for all the names; keeping
    it up costs a few a name, for the names imported. So a large import drops it, as
    does one that brings more names than the database holds (some 70 bytes a name).
    The places index is kept: it holds only the few ids that are not GeoNames ids.
    """
    if size > _BIG_IMPORT:
        return True
    held = con.execute("SELECT max(rowid) FROM names").fetchone()[0] or 0
    return size > _PARALLEL_DUMP and held < size // 70


def _write(
    imports: Path, index: Path, jobs: list[_Job], options: ImportOptions, progress: Progress | None
) -> list[ImportReport]:
    tmp = _prepare(imports)
    builtin = sqlite3.connect(f"{index.resolve().as_uri()}?mode=ro", uri=True)
    try:
        con = sqlite3.connect(tmp, isolation_level=None)
        try:
            for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-131072"):
                con.execute(f"PRAGMA {pragma}")
            con.execute("BEGIN")
            con.execute("DELETE FROM meta WHERE key = 'complete'")
            built = builtin.execute("SELECT value FROM meta WHERE key='sources_hash'").fetchone()
            mapped_for = con.execute("SELECT value FROM meta WHERE key='admin1_map_for'").fetchone()
            geonames = any(j.kind in GEONAMES_KINDS for j in jobs)
            with contextlib.ExitStack() as stack:
                codes = None
                if geonames and built and mapped_for != built:  # read beside the context
                    codes = stack.enter_context(installed_admin1_codes_soon())
                ctx = BuiltinContext.read(builtin, con, geonames=geonames)
                if codes is not None:
                    admin1_map_from_index(con, ctx, codes())
                    con.execute("INSERT OR REPLACE INTO meta VALUES ('admin1_map_for', ?)", built)
                    fill_admin1(con)
            # event tables add a few names for many bytes, and look names up as they go
            size = sum(data_size(j.path) for j in jobs if j.kind != "events")
            if _drop_names_index(con, size):
                con.execute("DROP INDEX IF EXISTS names_key")
            session = _Session(con, builtin, ctx, options, progress, tmp.parent)
            for job in jobs:
                session.run(job)
            _finish(con)
            con.execute("COMMIT")
        finally:
            con.close()
        replace_durably(tmp, imports)
    finally:
        builtin.close()
        tmp.unlink(missing_ok=True)
    return session.reports

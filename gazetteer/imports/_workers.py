"""Parse a large GeoNames dump in several processes.

The main process reads the file and hands out chunks of whole lines (bytes, with the
number of their first line), numbered in file order; a worker process decodes and parses
each chunk with :class:`~gazetteer.imports.geonames.DumpParser` into an unindexed database
of that chunk's own, and once every chunk is parsed SQLite copies the chunks' rows into
the imports database in file order. Parsing and name keys cost far more than reading or
copying, so the work spreads over the cores.

Copying in file order makes the import the one a single process makes: a later row of a
place replaces an earlier one, names keep the order of the file, and a tie between the
divisions a GeoNames admin1 code's places vote for goes to the first voted for. Chunks
shrink towards the end of the file (a fraction of what is left, per worker), so that the
workers finish close together; each worker remembers the names it has keyed from one
chunk to the next (:class:`~gazetteer.imports.geonames.DumpNames`).

The copy is the part no worker can share, so it is kept to SQLite copying rows as they
are (no names index, no expression, no conflict: the places a chunk replaces are deleted
first). The divisions the votes link are known only once every chunk is parsed: the
workers, idle by then, write them into the chunks' places (``fill``) while the main
process copies the names, which no vote changes, then each chunk's places once filled.
Copying chunks while others were still parsed was tried, with a first pass over the file
for the votes: with every core parsing, the copy only took the workers' time, and the
first pass cost more than the overlap saved.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import queue
import shutil
import sqlite3
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from gazetteer._errors import GazetteerError
from gazetteer.imports.db import SCHEMA
from gazetteer.imports.geonames import (
    BuiltinContext,
    DumpNames,
    DumpParser,
    Parallel,
    Problems,
)
from gazetteer.imports.textfiles import open_raw

__all__ = ["import_dump_in_parallel"]

# Bytes of whole lines decoded and parsed at once; chunks (a database each) are of 8
# blocks at most and an eighth of a block at least, at the end of the file.
_BLOCK = 2 << 20
# The tables rows are copied from, without the names index (rows are appended, never
# looked up). The partial index of places ids that are not GeoNames ids is kept: a few
# rows, which SQLite then copies with the rows into the imports database's own.
_WORKER_SCHEMA = "\n".join(
    line
    for line in SCHEMA.splitlines()
    if not line.startswith("CREATE INDEX") or line.startswith("CREATE INDEX places_id")
)
_WAIT = 1.0  # seconds between checks that the workers are alive
# Names whose keys the workers remember, shared out between them (some 300 bytes a name):
# real dumps repeat names heavily, and the memory of the import must stay under 2 GB.
_REMEMBERED = 2_000_000

_Votes = dict[tuple[str, str], Counter[str]]
_Linked = Sequence[tuple[str, str, str, str]]  # country, GeoNames code, ISO code, name


def _work(
    ctx: BuiltinContext,
    work_dir: Path,
    sid: int,
    source: str,
    path: str,
    tasks: Any,
    results: Any,
    remember: int,
) -> None:
    """A worker process: parse or fill chunks until the None sentinel, reporting each."""
    threading.Thread(target=_watch, args=(os.getppid(),), daemon=True).start()
    # Parsing makes no reference cycles, and the collector would walk the names remembered
    # (millions of tuples) again and again: some 6% of the time.
    gc.disable()
    names = DumpNames(remember)
    try:
        while (task := tasks.get()) is not None:
            what, chunk, payload = task
            db = work_dir / f"chunk{chunk}.sqlite"
            if what == "fill":  # payload: the codes linked
                _fill(db, payload)
                results.put(("filled", chunk))
                continue
            parser = DumpParser(
                _chunk_db(db), sid=sid, source=source, ctx=ctx,
                problems=Problems(path, log=False), names=names,
            )  # fmt: skip
            results.put(("chunk", chunk, *_parse_chunk(parser, *payload)))
    except BaseException as e:  # reported to the main process, which raises it
        results.put(("error", f"{type(e).__name__}: {e}"))
        raise


# The divisions of GeoNames admin1 codes only votes linked, given to a chunk's places
# (what fill_admin1 does after a serial import): the places of codes mapped before the
# import began have theirs already.
_LINKED = """
CREATE TEMP TABLE linked (
    country TEXT, gn_code TEXT, iso_code TEXT, name TEXT, PRIMARY KEY (country, gn_code)
) WITHOUT ROWID
"""
_FILL = """
UPDATE places SET admin1_code = m.iso_code, admin1 = m.name FROM temp.linked m
WHERE places.admin1_code = '' AND places.gn_admin1 != '' AND m.country = places.country
    AND m.gn_code = places.gn_admin1
"""


def _fill(db: Path, linked: _Linked) -> None:
    """Give a chunk's places the divisions the votes linked."""
    con = sqlite3.connect(db, isolation_level=None)
    try:
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-65536"):
            con.execute(f"PRAGMA {pragma}")
        con.execute(_LINKED)
        con.executemany("INSERT INTO temp.linked VALUES (?,?,?,?)", linked)
        con.execute("BEGIN")
        con.execute(_FILL)
        con.execute("COMMIT")
    finally:
        con.close()


def _chunk_db(db: Path) -> sqlite3.Connection:
    con = sqlite3.connect(db, isolation_level=None)
    # large pages: fewer to fill (inserts 10% quicker); the copy reads rows, not pages
    for pragma in ("page_size=65536", "journal_mode=OFF", "synchronous=OFF", "cache_size=-65536"):
        con.execute(f"PRAGMA {pragma}")
    con.executescript(_WORKER_SCHEMA)
    return con


def _parse_chunk(parser: DumpParser, first: int, data: bytes) -> tuple[Any, ...]:
    """Parse a chunk into its database; (rows, merged, votes, problems kept, count)."""
    con = parser.writer.con
    con.execute("BEGIN")
    for line, lines in _blocks(data, first):
        parser.feed(lines, line)
    parser.close()
    con.execute("COMMIT")
    con.close()
    votes = {pair: dict(counter) for pair, counter in parser.votes.items()}
    problems = parser.problems
    return parser.rows, parser.merged, votes, problems.kept, problems.count


def _blocks(data: bytes, first: int) -> Iterator[tuple[int, list[str]]]:
    """The lines of a chunk, decoded a block of about :data:`_BLOCK` bytes at a time.

    Yields the number of each block's first line and its lines (a chunk ends with a
    whole line, but for the last, which may have no line end).
    """
    start = 0
    while start < len(data):
        end = data.find(b"\n", start + _BLOCK) + 1 or len(data)
        text = data[start:end].decode("utf-8", errors="replace")
        if first == 1 and text.startswith("\ufeff"):
            text = text[1:]  # a byte order mark
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()
        yield first, lines
        first += len(lines)
        start = end


def _watch(parent: int) -> None:
    """Exit this worker once the importing process is gone (killed, say)."""
    while os.getppid() == parent:
        time.sleep(_WAIT)
    os._exit(1)


class _Pool:
    """The worker processes, their queues, and what they report."""

    def __init__(self, procs: Sequence[BaseProcess], tasks: Any, results: Any) -> None:
        self.procs, self.tasks, self.results = procs, tasks, results

    def check(self) -> None:
        """Raise if a worker stopped, with its failure if it reported one."""
        dead = [p.exitcode for p in self.procs if p.exitcode not in (None, 0)]
        if not dead:
            return
        try:
            while True:  # a worker reports its failure before it stops
                found = self.results.get(timeout=_WAIT / 10)
                if found[0] == "error":
                    msg = f"an import worker process failed: {found[1]}"
                    raise GazetteerError(msg)
        except queue.Empty:
            pass
        msg = f"an import worker process stopped with exit code {dead[0]}; see the log above"
        raise GazetteerError(msg)

    def put(self, item: object) -> None:
        while True:
            try:
                self.tasks.put(item, timeout=_WAIT)
                return
            except queue.Full:
                self.check()

    def offer(self, item: object) -> bool:
        """Queue a task if the queue has room; whether it had."""
        try:
            self.tasks.put(item, block=False)
        except queue.Full:
            return False
        return True

    def get(self, timeout: float = _WAIT) -> tuple[Any, ...] | None:
        """A worker's report, or None if none came in time; raises a worker's failure."""
        try:
            found: tuple[Any, ...] = self.results.get(timeout=timeout)
        except queue.Empty:
            self.check()
            return None
        if found[0] == "error":
            msg = f"an import worker process failed: {found[1]}"
            raise GazetteerError(msg)
        return found


def _chunk_size(left: int, workers: int) -> int:
    """Bytes to read for the next chunk: a share of what is left, within bounds."""
    return max(_BLOCK // 8, min(8 * _BLOCK, left // (2 * workers)))


def _hand_out(path: Path, pool: _Pool, advance: Callable[[int], None] | None) -> int:
    """Send the file's whole lines in chunks, with the number of their first line (the
    last chunk may lack its line end); returns the number of chunks."""
    with open_raw(path) as (raw, total):
        pending = b""
        first, chunk, done = 1, 0, 0
        while data := raw.read(_chunk_size(total - done, len(pool.procs))):
            done += len(data)
            if advance is not None:
                advance(len(data))
            data = pending + data
            cut = data.rfind(b"\n") + 1
            if not cut:
                pending = data
                continue
            block, pending = data[:cut], data[cut:]
            pool.put(("rows", chunk, (first, block)))
            first += block.count(b"\n")
            chunk += 1
    if pending:
        pool.put(("rows", chunk, (first, pending)))
        chunk += 1
    return chunk


@contextlib.contextmanager
def _attached(con: sqlite3.Connection, db: Path) -> Iterator[None]:
    """A chunk's database, as ``worker``."""
    if con.in_transaction:
        con.execute("COMMIT")  # ATTACH cannot run inside a transaction
    con.execute("ATTACH DATABASE ? AS worker", (str(db),))
    try:
        yield
    finally:
        con.execute("DETACH DATABASE worker")


def _copy_names(con: sqlite3.Connection, db: Path) -> None:
    """Copy a chunk's names and capitals (no vote changes them)."""
    with _attached(con, db):
        con.execute("INSERT INTO main.names SELECT * FROM worker.names")
        con.execute("INSERT OR IGNORE INTO main.capitals SELECT * FROM worker.capitals")


def _copy_places(con: sqlite3.Connection, db: Path) -> None:
    """Copy a chunk's places, replacing those of the same ids."""
    with _attached(con, db):
        # what INSERT OR REPLACE would do, but leaving SQLite to copy the rows as they
        # are: only ids up to the largest held can be held
        held = con.execute("SELECT max(pid) FROM main.places").fetchone()[0]
        if held is not None:
            con.execute(
                "DELETE FROM main.places WHERE pid IN "
                "(SELECT pid FROM worker.places WHERE pid <= ?)",
                (held,),
            )
        con.execute("INSERT INTO main.places SELECT * FROM worker.places")
    db.unlink()


class _Copy:
    """The copy of the parsed chunks into the imports database, in file order.

    Names need no fill: the main process copies them while the workers fill in the
    places, and copies each chunk's places once they are filled.
    """

    def __init__(self, con: sqlite3.Connection, work_dir: Path, n_chunks: int) -> None:
        self.con, self.work_dir, self.n_chunks = con, work_dir, n_chunks
        self.filled: set[int] = set()
        self.names = self.places = 0  # chunks copied

    def done(self) -> bool:
        return self.names == self.places == self.n_chunks

    def step(self) -> bool:
        """Copy the next chunk's places if filled, else the next names; False if neither.

        A chunk's names go in before its places, after which its database goes.
        """
        if self.places < self.names and self.places in self.filled:
            _copy_places(self.con, self._db(self.places))
            self.places += 1
        elif self.names < self.n_chunks:
            _copy_names(self.con, self._db(self.names))
            self.names += 1
        else:
            return False
        return True

    def _db(self, chunk: int) -> Path:
        return self.work_dir / f"chunk{chunk}.sqlite"


def _fill_and_copy(pool: _Pool, copy: _Copy, linked: _Linked) -> None:
    """Copy every chunk in, the divisions the votes linked filled in by the workers."""
    tasks: list[object] = [("fill", chunk, linked) for chunk in range(copy.n_chunks)]
    if not linked:
        tasks.clear()
        copy.filled.update(range(copy.n_chunks))
    tasks += [None] * len(pool.procs)  # then stop
    while not copy.done() or tasks:
        while tasks and pool.offer(tasks[0]):
            tasks.pop(0)
        while (found := pool.get(timeout=0)) is not None:
            copy.filled.add(found[1])
        if not copy.step() and (found := pool.get()) is not None:
            copy.filled.add(found[1])


def _parse(pool: _Pool, path: Path, advance: Callable[[int], None] | None) -> list[tuple[Any, ...]]:
    """Have every chunk parsed; the chunks' reports, in file order."""
    n_chunks = _hand_out(path, pool, advance)
    parsed: dict[int, tuple[Any, ...]] = {}
    while len(parsed) < n_chunks:
        if (found := pool.get()) is not None:
            parsed[found[1]] = found
    return [parsed[chunk] for chunk in range(n_chunks)]


def _start(
    ctx: BuiltinContext, sid: int, source: str, path: str, parallel: Parallel
) -> tuple[_Pool, Path]:
    """Start the worker processes, which parse into a new directory in the scratch one."""
    methods = multiprocessing.get_all_start_methods()
    # fork where there is one: spawn would import the caller's main module again
    mp: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    work_dir = Path(tempfile.mkdtemp(prefix="import-workers.", dir=parallel.scratch))
    tasks, results = mp.Queue(maxsize=parallel.workers), mp.Queue()
    remember = _REMEMBERED // parallel.workers
    args = (ctx, work_dir, sid, source, path, tasks, results, remember)
    procs = [mp.Process(target=_work, args=args, daemon=True) for _ in range(parallel.workers)]
    for p in procs:
        p.start()
    return _Pool(procs, tasks, results), work_dir


def _stop(pool: _Pool, work_dir: Path) -> None:
    """End the worker processes (those still at work after a failure) and clean up."""
    for p in pool.procs:
        if p.pid is None:  # never started
            continue
        if p.is_alive():
            p.terminate()
        p.join()
    for q in (pool.tasks, pool.results):
        q.cancel_join_thread()  # chunks left unread after a failure must not hang the exit
        q.close()
    shutil.rmtree(work_dir, ignore_errors=True)


def import_dump_in_parallel(  # noqa: PLR0913
    con: sqlite3.Connection,
    path: Path,
    *,
    sid: int,
    source: str,
    ctx: BuiltinContext,
    problems: Problems,
    parallel: Parallel,
    advance: Callable[[int], None] | None = None,
    record_votes: Callable[[_Votes], _Linked] | None = None,
) -> tuple[int, int, _Votes]:
    """:func:`~gazetteer.imports.dump.import_dump` with several processes.

    ``path`` is the dump (``.txt`` or ``.zip``). Returns the rows imported, the rows
    merged and the admin1 votes, as a parser does. ``record_votes`` is given the votes
    before the places are copied in, and returns the admin1 codes they linked (country,
    GeoNames code, ISO code, name), which the places of these codes are given.
    """
    was_open = con.in_transaction
    pool, work_dir = _start(ctx, sid, source, problems.path, parallel)
    try:
        outcomes = _parse(pool, path, advance)
        votes = _votes(outcomes)
        linked = record_votes(votes) if record_votes is not None else ()
        _fill_and_copy(pool, _Copy(con, work_dir, len(outcomes)), linked)
        for p in pool.procs:
            p.join()
    finally:
        _stop(pool, work_dir)
        if was_open and not con.in_transaction:
            con.execute("BEGIN")
    kept: list[tuple[int, str]] = []
    rows = merged = count = 0
    for _, _, n_rows, n_merged, _chunk_votes, chunk_kept, chunk_count in outcomes:
        rows += n_rows
        merged += n_merged
        kept += chunk_kept
        count += chunk_count
    problems.merge(kept, count)
    return rows, merged, votes


def _votes(outcomes: Iterable[tuple[Any, ...]]) -> _Votes:
    """The admin1 votes of all the chunks, in file order (the first voted for first)."""
    votes: _Votes = defaultdict(Counter)
    for outcome in outcomes:
        for pair, counter in outcome[4].items():
            votes[pair].update(counter)
    return votes

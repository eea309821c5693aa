"""Parse a large GeoNames dump in several processes.

The main process reads the file and hands out blocks of whole lines (bytes, with the
number of their first line); each worker process decodes and parses them with
:class:`~gazetteer.geonames_import.DumpParser` into a database of its own, and SQLite
copies the rows into the imports database at the end. Parsing and name keys cost far more
than reading or copying, so the work spreads over the cores.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import shutil
import sqlite3
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import IO, Any

from gazetteer._errors import GazetteerError
from gazetteer.geonames_import import BuiltinContext, DumpParser, Parallel, Problems
from gazetteer.imports_db import SCHEMA

__all__ = ["import_dump_in_parallel"]

_BLOCK = 2 << 20  # bytes of whole lines handed out at once
# The tables rows are copied from, without indexes (rows are appended, never looked up).
_WORKER_SCHEMA = "\n".join(
    line for line in SCHEMA.splitlines() if not line.startswith("CREATE INDEX")
)
_WAIT = 1.0  # seconds between checks that the workers are alive
# Names whose keys the workers remember, shared out between them (some 300 bytes a name):
# real dumps repeat names heavily, and the memory of the import must stay under 2 GB.
_REMEMBERED = 2_000_000


def _work(
    ctx: BuiltinContext,
    db: str,
    sid: int,
    source: str,
    path: str,
    tasks: Any,
    results: Any,
    remember: int,
) -> None:
    """A worker process: parse blocks until the None sentinel, then report."""
    threading.Thread(target=_watch, args=(os.getppid(),), daemon=True).start()
    try:
        con = sqlite3.connect(db, isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-65536"):
            con.execute(f"PRAGMA {pragma}")
        con.executescript(_WORKER_SCHEMA)
        problems = Problems(path, log=False)
        parser = DumpParser(
            con, sid=sid, source=source, ctx=ctx, problems=problems, remember=remember
        )
        con.execute("BEGIN")
        while (task := tasks.get()) is not None:
            first, block = task
            text = block.decode("utf-8", errors="replace")
            if first == 1 and text.startswith("\ufeff"):
                text = text[1:]  # a byte order mark
            lines = text.split("\n")
            if lines[-1] == "":
                lines.pop()
            parser.feed(lines, first)
        parser.close()
        con.execute("COMMIT")
        con.close()
        votes = {pair: dict(counter) for pair, counter in parser.votes.items()}
        results.put(("done", parser.rows, parser.merged, votes, problems.kept, problems.count))
    except BaseException as e:  # reported to the main process, which raises it
        results.put(("error", f"{type(e).__name__}: {e}"))
        raise


def _watch(parent: int) -> None:
    """Exit this worker once the importing process is gone (killed, say)."""
    while os.getppid() == parent:
        time.sleep(_WAIT)
    os._exit(1)


def _check(procs: Sequence[BaseProcess]) -> None:
    dead = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
    if dead:
        msg = f"an import worker process stopped with exit code {dead[0]}; see the log above"
        raise GazetteerError(msg)


def _put(tasks: Any, item: object, procs: Sequence[BaseProcess]) -> None:
    while True:
        try:
            tasks.put(item, timeout=_WAIT)
            return
        except queue.Full:
            _check(procs)


def _get(results: Any, procs: Sequence[BaseProcess]) -> tuple[Any, ...]:
    while True:
        try:
            found: tuple[Any, ...] = results.get(timeout=_WAIT)
            return found
        except queue.Empty:
            _check(procs)


# The workers' places, with the division of GeoNames admin1 codes that only votes linked
# (what fill_admin1 would do after the copy, without rewriting every row).
_COPY_PLACES = """
INSERT OR REPLACE INTO places
SELECT p.pid, p.id, p.name, p.lat, p.lon, p.feature, p.country,
    CASE WHEN m.iso_code IS NULL THEN p.admin1 ELSE m.name END,
    coalesce(m.iso_code, p.admin1_code), p.population, p.source, p.prominence, p.merged,
    p.gn_admin1, p.gn_admin2, p.admin2, p.code, p.sid
FROM worker.places p LEFT JOIN main.admin1_map m
ON p.admin1_code = '' AND p.gn_admin1 != '' AND m.country = p.country
    AND m.gn_code = p.gn_admin1
ORDER BY p.pid
"""


def _copy_in(con: sqlite3.Connection, dbs: Iterable[Path]) -> None:
    """Copy the workers' rows into ``con``'s database."""
    was_open = con.in_transaction
    if was_open:
        con.execute("COMMIT")  # ATTACH cannot run inside a transaction
    for db in dbs:
        con.execute("ATTACH DATABASE ? AS worker", (str(db),))
        try:
            con.execute(_COPY_PLACES)
            con.execute("INSERT INTO names SELECT * FROM worker.names")
            con.execute("INSERT OR IGNORE INTO capitals SELECT * FROM worker.capitals")
        finally:
            con.execute("DETACH DATABASE worker")
    if was_open:
        con.execute("BEGIN")


def _hand_out(
    raw: IO[bytes],
    tasks: Any,
    procs: Sequence[BaseProcess],
    advance: Callable[[int], None] | None,
) -> None:
    """Send whole lines, in blocks of about :data:`_BLOCK` bytes, with their first line."""
    pending = b""
    first = 1
    while data := raw.read(_BLOCK):
        if advance is not None:
            advance(len(data))
        data = pending + data
        cut = data.rfind(b"\n") + 1
        if not cut:
            pending = data
            continue
        block, pending = data[:cut], data[cut:]
        _put(tasks, (first, block), procs)
        first += block.count(b"\n")
    if pending:
        _put(tasks, (first, pending), procs)
    for _ in procs:
        _put(tasks, None, procs)


def import_dump_in_parallel(  # noqa: PLR0913
    con: sqlite3.Connection,
    raw: IO[bytes],
    *,
    sid: int,
    source: str,
    ctx: BuiltinContext,
    problems: Problems,
    parallel: Parallel,
    advance: Callable[[int], None] | None = None,
    record_votes: Callable[[dict[tuple[str, str], Counter[str]]], None] | None = None,
) -> tuple[int, int, dict[tuple[str, str], Counter[str]]]:
    """:func:`~gazetteer.geonames_import.import_dump` with several processes.

    ``raw`` is the dump's bytes. Returns the rows imported, the rows merged and the admin1
    votes, as a parser does. ``record_votes`` is given the votes before the rows are
    copied in; the copy gives places the divisions ``admin1_map`` then links.
    """
    methods = multiprocessing.get_all_start_methods()
    # fork where there is one: spawn would import the caller's main module again
    mp: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    tasks = mp.Queue(maxsize=2 * parallel.workers)
    results = mp.Queue()
    work_dir = Path(tempfile.mkdtemp(prefix="import-workers.", dir=parallel.scratch))
    dbs = [work_dir / f"worker{i}.sqlite" for i in range(parallel.workers)]
    remember = _REMEMBERED // parallel.workers
    procs = [
        mp.Process(
            target=_work,
            args=(ctx, str(db), sid, source, problems.path, tasks, results, remember),
            daemon=True,
        )
        for db in dbs
    ]
    try:
        for p in procs:
            p.start()
        _hand_out(raw, tasks, procs, advance)
        outcomes = [_get(results, procs) for _ in procs]
        errors = [o[1] for o in outcomes if o[0] == "error"]
        if errors:
            msg = f"an import worker process failed: {errors[0]}"
            raise GazetteerError(msg)
        for p in procs:
            p.join()
        votes = _votes(outcomes)
        if record_votes is not None:
            record_votes(votes)
        _copy_in(con, dbs)
    finally:
        for p in procs:
            if p.pid is None:  # never started
                continue
            if p.is_alive():
                p.terminate()
            p.join()
        for q in (tasks, results):
            q.cancel_join_thread()  # blocks left unread after a failure must not hang the exit
            q.close()
        shutil.rmtree(work_dir, ignore_errors=True)
    kept: list[tuple[int, str]] = []
    rows = merged = count = 0
    for _, n_rows, n_merged, _worker_votes, worker_kept, worker_count in outcomes:
        rows += n_rows
        merged += n_merged
        kept += worker_kept
        count += worker_count
    problems.merge(kept, count)
    return rows, merged, votes


def _votes(outcomes: Iterable[tuple[Any, ...]]) -> dict[tuple[str, str], Counter[str]]:
    """The admin1 votes of all the workers."""
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for outcome in outcomes:
        for pair, counter in outcome[3].items():
            votes[pair].update(counter)
    return votes

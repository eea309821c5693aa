"""A GeoNames dump imported, in this process or in several (``_workers``).

Kept apart from the parser (``geonames``) so that the parallel workers, which use the
parser, and the one entry point that chooses between them import without a cycle.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from gazetteer.imports._workers import import_dump_in_parallel
from gazetteer.imports.geonames import (
    BuiltinContext,
    DumpParser,
    Parallel,
    Problems,
    apply_votes,
    fill_admin_names,
    record_votes,
)
from gazetteer.imports.textfiles import open_lines

__all__ = ["import_dump"]


def import_dump(
    con: sqlite3.Connection,
    path: Path,
    *,
    sid: int,
    source: str,
    ctx: BuiltinContext,
    problems: Problems,
    parallel: Parallel | None = None,
    advance: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Import a GeoNames dump (``.txt`` or ``.zip``); returns (rows imported, rows merged).

    With ``parallel``, that many processes parse the file, into databases in the
    scratch directory whose rows are copied in at the end. ``advance`` is told the
    number of bytes read as the import goes.
    """
    if parallel is not None and parallel.workers > 1:
        recorded: list[tuple[str, str, str, str]] = []

        def record(
            votes: dict[tuple[str, str], Counter[str]],
        ) -> list[tuple[str, str, str, str]]:
            # before the places are copied in, which take the codes (as fill_admin1 gives)
            recorded.extend(record_votes(con, votes, ctx))
            return recorded

        rows, merged, _ = import_dump_in_parallel(
            con, path, sid=sid, source=source, ctx=ctx, problems=problems,
            parallel=parallel, advance=advance, record_votes=record,
        )  # fmt: skip
        if recorded:
            fill_admin_names(con)
        return rows, merged
    else:
        parser = DumpParser(con, sid=sid, source=source, ctx=ctx, problems=problems)
        with open_lines(path, advance) as lines:
            parser.feed(lines)
        parser.close()
        rows, merged, votes = parser.rows, parser.merged, parser.votes
    apply_votes(con, votes, ctx, sid)
    return rows, merged

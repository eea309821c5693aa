"""Coverage of an event table's precise locations, by their coded names and by the news's.

Reads a UCDP GED export (CSV; e.g. the Iraq file of the evaluation data, never committed)
and takes its precisely coded rows (``where_prec`` 1). Each distinct location is the row's
``where_coordinates`` without its feature suffix (" town", " city", " village") together
with ``adm_1``, at the row's coded point. It prints:

(a) coded name: the share of locations whose coded name (GeoNames' romanisation, "Aḑ
    Ḑulū‘īyah") the gazetteer's best candidate, in the table's country, puts within 10 km of
    the coded point;
(b) headline name: the share of locations whose name as written in one of their rows'
    headlines ("Dhuluiya") is found at the right place. The headline's name is a word
    sequence starting with a capital that shares a name key with the coded name
    (:func:`gazetteer.normalize.name_keys`: the normalised key, then the loose key); it is
    looked up as written, in the table's country, and counts when the best candidate lies
    within 10 km. Also given: how many locations a headline names at all by those keys;
(c) geoparsed: of the locations (b) finds in a headline, the share whose headline,
    geoparsed whole with the country as a hint, has a mention overlapping that name and
    resolved within 10 km (recognition and resolution in context).

The gazetteer is the built-in one, without imports, so the figures measure the packaged
data and the name keys. On UCDP GED 19.1 for Iraq (292 locations), with the normalised key
alone: (a) 34.2%, named in a headline 42, (b) 27 (9.2%), (c) 23; with the loose key too:
(a) 34.2%, named 43, (b) 28 (9.6%), (c) 23. Most misses are places the built-in data
lacks (villages, districts), not spellings.

    python benchmarks/ucdp_coverage.py ../shared/eval/ucdp_ged_iraq.csv
    python benchmarks/ucdp_coverage.py FILE.csv --country IQ --missed 30
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# Run as a script, this folder comes first on sys.path, where benchmarks/gazetteer.py
# would hide the gazetteer package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from gazetteer import Gazetteer  # noqa: E402
from gazetteer.build import index_path  # noqa: E402
from gazetteer.normalize import name_keys  # noqa: E402

RADIUS_KM = 10.0
_SUFFIXES = frozenset({"town", "city", "village"})
_WORD = re.compile(r"\S+")
_PUNCT = '"“”.,:;!?()[]'


@dataclass
class Location:
    """One distinct precise location of the table and the headlines of its rows."""

    name: str
    admin1: str
    lat: float
    lon: float
    headlines: set[str] = field(default_factory=set)


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    from geopy.distance import great_circle

    return float(great_circle((lat1, lon1), (lat2, lon2)).km)


def read_locations(path: Path) -> list[Location]:
    """The table's distinct precise locations (``where_prec`` 1), in order of first row."""
    found: dict[tuple[str, str], Location] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["where_prec"].strip() != "1":
                continue
            words = row["where_coordinates"].split()
            if len(words) > 1 and words[-1].casefold() in _SUFFIXES:
                words = words[:-1]
            key = (" ".join(words), row["adm_1"].strip())
            loc = found.get(key)
            if loc is None:
                loc = found[key] = Location(*key, float(row["latitude"]), float(row["longitude"]))
            loc.headlines.update(h.strip() for h in row["source_headline"].split(";") if h.strip())
    return list(found.values())


def headline_names(headline: str, keys: set[str], longest: int) -> list[tuple[int, int]]:
    """Spans of word sequences of a headline, starting with a capital, whose key is in keys."""
    words = []
    for m in _WORD.finditer(headline):
        value = m.group()
        start, end = m.start() + len(value) - len(value.lstrip(_PUNCT)), m.end()
        end -= len(value) - len(value.rstrip(_PUNCT))
        if start < end:
            words.append((start, end))
    spans = []
    for i, (start, _) in enumerate(words):
        first = headline[start]
        if first.isalpha() and not first.isupper() and first.isascii():
            continue
        for j in range(i, min(len(words), i + longest)):
            surface = headline[start : words[j][1]]
            if keys.intersection(name_keys(surface)):
                spans.append((start, words[j][1]))
    return spans


def _at(gaz: Gazetteer, name: str, country: str, loc: Location) -> bool:
    best = gaz.resolve(name, country=country)
    return best is not None and _distance_km(best.lat, best.lon, loc.lat, loc.lon) <= RADIUS_KM


def _geoparsed_at(gaz: Gazetteer, headline: str, span: tuple[int, int], country: str,
                  loc: Location) -> bool:  # fmt: skip
    from geomap.geoparser.parse import geoparse

    for m in geoparse(headline, country_hint=country, gazetteer=gaz):
        if m.kind != "place" or m.place is None or m.end <= span[0] or m.start >= span[1]:
            continue
        if _distance_km(m.place.lat, m.place.lon, loc.lat, loc.lon) <= RADIUS_KM:
            return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("table", type=Path, help="UCDP GED CSV export")
    parser.add_argument("--country", default="IQ", help="ISO 3166-1 code of the table's country")
    parser.add_argument("--missed", type=int, default=0, help="list this many (b) misses")
    args = parser.parse_args()

    started = time.perf_counter()
    locations = read_locations(args.table)
    with tempfile.TemporaryDirectory() as tmp:  # no imports: the built-in data alone
        Gazetteer.open().close()  # builds the index if needed
        gaz = Gazetteer(index_path(), imports=Path(tmp) / "none.sqlite")
        coded = [loc for loc in locations if _at(gaz, loc.name, args.country, loc)]
        named: dict[int, list[tuple[str, tuple[int, int]]]] = defaultdict(list)
        for n, loc in enumerate(locations):
            keys = set(name_keys(loc.name))
            longest = len(loc.name.split()) + 2
            for headline in sorted(loc.headlines):
                for span in headline_names(headline, keys, longest):
                    named[n].append((headline, span))
        found, parsed, missed = [], [], []
        for n, spans in named.items():
            loc = locations[n]
            hit = next(((h, s) for h, s in spans if _at(gaz, h[s[0] : s[1]], args.country, loc)),
                       None)  # fmt: skip
            if hit is None:
                missed.append((loc, spans[0][0][spans[0][1][0] : spans[0][1][1]]))
                continue
            found.append(loc)
            if any(_geoparsed_at(gaz, h, s, args.country, loc) for h, s in spans):
                parsed.append(loc)
        gaz.close()

    total = len(locations)
    print(f"{args.table.name}: {total} distinct precise locations (where_prec 1)")
    print(
        f"(a) coded name within {RADIUS_KM:.0f} km:     {len(coded):4d}  {len(coded) / total:.1%}"
    )
    print(f"    named in a headline (by key):  {len(named):4d}  {len(named) / total:.1%}")
    print(f"(b) headline name within {RADIUS_KM:.0f} km:  {len(found):4d}  {len(found) / total:.1%}"
          f"  ({len(found) / max(1, len(named)):.1%} of those named)")  # fmt: skip
    print(f"(c) geoparsed headline within {RADIUS_KM:.0f} km: {len(parsed):4d}"
          f"  ({len(parsed) / max(1, len(found)):.1%} of (b))")  # fmt: skip
    print(f"seconds: {time.perf_counter() - started:.1f}")
    for loc, surface in missed[: args.missed]:
        print(f"  missed: {surface!r} for {loc.name!r} ({loc.admin1})")


if __name__ == "__main__":
    main()

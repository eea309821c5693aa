"""Map benchmark: geomap.make_map beside GeoDataFrame.explore() on the same incidents.

For 1,000, 10,000 and 100,000 synthetic incidents (seeded: ~2,000 towns in Iraq and Syria,
the ACLED sub-event types in realistic shares, two years of dates, quotes of 90-260
characters, 1-3 incidents per report) it prints, for both tools:

- build: seconds to make the map and write its HTML;
- size: the HTML file in MB;
- interactive: seconds from opening the file in headless Chromium until the map can be
  used, measured in the page: the first frame painted after DOMContentLoaded (explore
  builds its layers in its inline script) and after ``geomap.isReady()`` (geomap loads its
  incident layers in chunks); the median of seven openings, the two tools in turn (one
  opening each at 100,000);

and the ratios explore / geomap. Targets: 10,000 incidents in under 2 s and 3 MB; 100,000
in under 15 s and 25 MB, interactive in under 5 s; smaller and faster than explore() at
every size. The browser is Debian's chromium (Playwright), with the CDN files served from
``tests/node_modules`` (``npm ci --prefix tests``) and blank tiles, as in the tests.

Run::

    python benchmarks/map.py                       # 1,000, 10,000, 100,000
    python benchmarks/map.py --sizes 1000 10000    # fewer
    python benchmarks/map.py --sizes 1000 --screenshot docs/map.png
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

# Run as a script, this folder comes first on sys.path, where benchmarks/gazetteer.py
# would hide the gazetteer package; the repository root holds tests/map_browser.py.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from geomap.frame import to_geodataframe  # noqa: E402
from geomap.records import Incident  # noqa: E402
from geomap.render.map import make_map  # noqa: E402
from tests.map_browser import browser_missing, chromium, new_page  # noqa: E402

# ACLED sub-event types with their event type, and their rough shares in Iraq/Syria data.
_TYPES = (
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "shelling", 22),
    ("Explosions/Remote violence", "Air/drone strike", "drone strike", 18),
    ("Battles", "Armed clash", "clash", 16),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", "IED", 12),
    ("Violence against civilians", "Attack", "attack", 10),
    ("Strategic developments", "Arrests", "arrests", 6),
    ("Protests", "Peaceful protest", "protest", 6),
    ("Violence against civilians", "Abduction/forced disappearance", "abduction", 3),
    ("Riots", "Violent demonstration", "riot", 3),
    ("Explosions/Remote violence", "Suicide bomb", "suicide bombing", 2),
    ("Explosions/Remote violence", "Grenade", "grenade attack", 1),
    ("Strategic developments", "Looting/property destruction", "looting", 1),
)
_ACTORS = (
    "Islamic State (Iraq)",
    "Military Forces of Iraq",
    "Popular Mobilization Forces",
    "Military Forces of Turkey",
    "Kurdistan Workers' Party",
    "Unidentified Armed Group (Iraq)",
    "Military Forces of the United States",
    "Islamic Resistance in Iraq",
    "Syrian Democratic Forces",
    "Military Forces of Syria",
    "Civilians (Iraq)",
    "Protesters (Iraq)",
)
_OUTLETS = (
    "Rudaw",
    "Shafaq News",
    "Kurdistan 24",
    "Al-Sumaria",
    "Baghdad Today",
    "The New Arab",
    "Reuters",
    "AFP",
    "Enab Baladi",
    "SOHR",
    "North Press Agency",
    "Asharq Al-Awsat",
)
_OPENINGS = (
    "According to local sources, ",
    "Security officials said that ",
    "A statement from the provincial council said ",
    "Residents told reporters that ",
    "",
)
_EVENTS = (
    "a {label} hit a checkpoint near {place} on the road to {other}",
    "a {label} targeted a house in {place}, in the {admin1} countryside",
    "unknown gunmen carried out a {label} on a patrol east of {place}",
    "a {label} struck a vehicle on the outskirts of {place}",
    "a {label} was reported at a base near {place}",
)
_ENDINGS = (
    ", killing {killed} people and wounding {injured} others.",
    "; {killed} people were killed, officials said.",
    ". No casualties were reported.",
    ", wounding {injured} civilians, including two children, a medical source said.",
    ". The attack was later claimed by {actor}.",
)


@dataclass(frozen=True)
class _Town:
    name: str
    lat: float
    lon: float
    admin1: str
    country: str


def _towns(rng: random.Random, n: int = 2000) -> list[_Town]:
    syllables = ("al", "tal", "kar", "ba", "da", "sha", "mar", "qa", "ra", "zan", "hit", "ain")
    towns = []
    for i in range(n):
        syria = rng.random() < 0.35
        lat = rng.uniform(32.3, 37.0) if syria else rng.uniform(29.5, 37.2)
        lon = rng.uniform(35.8, 41.5) if syria else rng.uniform(39.0, 48.5)
        name = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).title()
        towns.append(
            _Town(
                f"{name} {i}",
                round(lat, 5),
                round(lon, 5),
                f"Province {i % 18 + 1}",
                "SY" if syria else "IQ",
            )
        )
    return towns


def synthetic_incidents(n: int, seed: int = 1) -> list[Incident]:
    """``n`` plausible incidents: shared towns, bases and reports, varied text."""
    rng = random.Random(seed)
    towns = _towns(rng)
    weights = [t[3] for t in _TYPES]
    start = date(2023, 1, 1)
    rows: list[Incident] = []
    report = 0
    while len(rows) < n:
        report += 1
        outlet = rng.choice(_OUTLETS)
        url = f"https://news.example.org/{outlet.lower().replace(' ', '-')}/{report}"
        day = start + timedelta(days=rng.randrange(730))
        for _ in range(min(rng.choice((1, 1, 1, 2, 3)), n - len(rows))):
            event, sub, label, _w = rng.choices(_TYPES, weights)[0]
            town = towns[min(int(rng.paretovariate(1.2)) - 1, len(towns) - 1)]
            other = rng.choice(towns)
            killed = rng.choice((None, 0, 0, 1, 2, 3, 5, 8, 13))
            injured = rng.choice((None, 0, 1, 2, 4, 7))
            quote = (
                rng.choice(_OPENINGS)
                + rng.choice(_EVENTS).format(
                    label=label, place=town.name, other=other.name, admin1=town.admin1
                )
                + rng.choice(_ENDINGS).format(
                    killed=killed or 2, injured=injured or 3, actor=rng.choice(_ACTORS)
                )
            )
            quote = quote[0].upper() + quote[1:]
            rows.append(
                Incident(
                    incident_id=f"syn-{len(rows)}",
                    event_date=day,
                    time_precision=rng.choice((1, 1, 1, 1, 2, 3)),
                    date_phrase="",
                    event_type=event,
                    sub_event_type=sub,
                    label=label,
                    location=town.name,
                    place_id=f"syn:{town.name}",
                    latitude=town.lat,
                    longitude=town.lon,
                    geo_precision=rng.choice((1, 1, 1, 2, 3)),
                    country=town.country,
                    admin1=town.admin1,
                    admin1_code="",
                    actor1=rng.choice(_ACTORS),
                    actor2=rng.choice(("", *_ACTORS)),
                    killed=killed,
                    injured=injured,
                    quote=quote,
                    report_id=f"r{report}",
                    source=outlet,
                    url=url,
                )
            )
    return rows


@dataclass
class _Result:
    build: float
    size: int
    interactive: float | None


# Measured in the page: from the start of navigation to the first frame painted after the
# map's layers exist (explore builds them in its inline script, before DOMContentLoaded;
# geomap loads its incident layers in chunks, until geomap.isReady()).
_MEASURE = """
window.__interactive = null;
document.addEventListener("DOMContentLoaded", function () {
  function check() {
    if (!window.geomap || !window.geomap.isReady || window.geomap.isReady()) {
      requestAnimationFrame(function () { window.__interactive = performance.now(); });
    } else {
      setTimeout(check, 5);
    }
  }
  check();
});
"""


def _interactive(browser: Any, paths: list[Path], limit: float, repeat: int) -> list[float | None]:
    """Median seconds to interactive per page, opening the pages in turn ``repeat`` times
    (so that both tools meet the same background load); None when a page timed out."""
    times: list[list[float]] = [[] for _ in paths]
    failed = [False] * len(paths)
    for _ in range(repeat):
        for k, path in enumerate(paths):
            if failed[k]:
                continue
            seconds = _open_once(browser, path, limit)
            if seconds is None:
                failed[k] = True
            else:
                times[k].append(seconds)
    return [None if bad else statistics.median(t) for t, bad in zip(times, failed, strict=True)]


def _open_once(browser: Any, path: Path, limit: float) -> float | None:
    page, _assets = new_page(browser)
    page.set_default_timeout(limit * 1000)
    page.add_init_script(_MEASURE)
    try:
        page.goto(path.as_uri(), wait_until="domcontentloaded")
        page.wait_for_function("window.__interactive !== null", polling=100)
        ms: float = page.evaluate("window.__interactive")
        return ms / 1000
    except Exception as e:  # a time-out is a result here, reported as such
        print(f"  ({path.name}: not interactive within {limit:.0f} s: {type(e).__name__})")
        return None
    finally:
        page.context.close()


def _geomap(gdf: Any, path: Path) -> float:
    t0 = time.perf_counter()
    make_map(gdf).save(str(path))
    return time.perf_counter() - t0


def _explore(gdf: Any, path: Path) -> float:
    t0 = time.perf_counter()
    gdf.explore().save(str(path))
    return time.perf_counter() - t0


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:6.1f}x" if a is not None and b else "    n/a"


def _seconds(v: float | None, limit: float) -> str:
    return f"{v:7.2f}" if v is not None else f"  >{limit:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--limit", type=float, default=120.0, help="seconds to wait for a page")
    parser.add_argument("--screenshot", type=Path, help="save the first geomap map as this PNG")
    parser.add_argument("--no-explore", action="store_true", help="skip explore()")
    parser.add_argument(
        "--repeat", type=int, default=7, help="openings per map below 100,000 (median printed)"
    )
    args = parser.parse_args()
    missing = browser_missing()
    if missing:
        sys.exit(f"cannot open the maps: {missing}")
    warnings.simplefilter("ignore")
    print(f"{'incidents':>9}  {'tool':8} {'build s':>8} {'size MB':>8} {'interactive s':>13}")
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        folder = Path(tmp)
        for n in args.sizes:
            gdf = to_geodataframe(synthetic_incidents(n))
            ours_path = folder / f"geomap-{n}.html"
            ours = _Result(_geomap(gdf, ours_path), ours_path.stat().st_size, None)
            rows = [("geomap", ours)]
            paths = [ours_path]
            if not args.no_explore:
                theirs_path = folder / f"explore-{n}.html"
                theirs = _Result(_explore(gdf, theirs_path), theirs_path.stat().st_size, None)
                rows.append(("explore", theirs))
                paths.append(theirs_path)
            repeat = args.repeat if n < 100_000 else 1
            for (_tool, r), seconds in zip(
                rows, _interactive(browser, paths, args.limit, repeat), strict=True
            ):
                r.interactive = seconds
            if args.screenshot and n == args.sizes[0]:
                page, _assets = new_page(browser, 1280, 800)
                page.goto(ours_path.as_uri())
                page.wait_for_function("geomap.isReady()")
                page.wait_for_timeout(500)
                page.screenshot(path=str(args.screenshot))
                page.context.close()
            for tool, r in rows:
                print(
                    f"{n:>9,}  {tool:8} {r.build:8.2f} {r.size / 1e6:8.2f} "
                    f"{_seconds(r.interactive, args.limit):>13}"
                )
            if not args.no_explore:
                print(
                    f"{'':>9}  {'ratio':8} {_ratio(theirs.build, ours.build):>8} "
                    f"{_ratio(theirs.size, ours.size):>8} "
                    f"{_ratio(theirs.interactive, ours.interactive):>13}   (explore / geomap)"
                )
            sys.stdout.flush()


if __name__ == "__main__":
    main()

"""Map benchmark: geomap.make_map beside GeoDataFrame.explore() on the same incidents.

For 1,000, 10,000 and 100,000 synthetic incidents (tests/map_synthetic.py: seeded, ~2,000
towns in Iraq and Syria, the ACLED sub-event types in realistic shares, two years of dates,
quotes of 90-260 characters, 1-3 incidents per report) it prints, for both tools:

- build: seconds to make the map and write its HTML (the median of three builds);
- size: the HTML file in MB; geomap's is self-contained (Leaflet, the plugins and the
  offline basemap inline), explore()'s loads its libraries from CDNs and is not;
- interactive: seconds from opening the file in headless Chromium until the map can be
  used, measured in the page: the first frame painted after DOMContentLoaded (explore
  builds its layers in its inline script) and after ``geomap.isReady()`` (geomap loads its
  incident layers in chunks); the median of three openings, the two tools in turn;

the ratios explore / geomap, and the machine's load average before each size (the machine
is shared: a busy one slows both tools alike). Targets: 10,000 incidents in at most 3.5 MB
and 2 s to build, 100,000 in at most 20 MB; interactive within 3 s at 10,000 and 5 s at
100,000. The browser is Debian's chromium (Playwright). geomap's page opens with every
request beyond file: and data: blocked (the count is printed: it must be 0); explore()'s
gets Leaflet from geomap's vendored copy at its CDN address, empty files for the rest of
folium's CDN links, and blank tiles (tests/map_browser.py).

Run::

    python benchmarks/map.py                       # 1,000, 10,000, 100,000
    python benchmarks/map.py --sizes 10000         # fewer
    python benchmarks/map.py --sizes 1000 --no-explore --screenshot docs/map.png
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Run as a script, this folder comes first on sys.path, where benchmarks/gazetteer.py
# would hide the gazetteer package; the repository root holds tests/map_browser.py.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from geomap.frame import to_geodataframe  # noqa: E402
from geomap.render.map import make_map  # noqa: E402
from tests.map_browser import READY, browser_missing, chromium, new_page  # noqa: E402
from tests.map_synthetic import synthetic_incidents  # noqa: E402

#: Targets (issue 19): (MB, build s, interactive s) at a size; None where none is set.
TARGETS = {10_000: (3.5, 2.0, 3.0), 100_000: (20.0, None, 5.0)}


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


def _interactive(
    browser: Any, paths: list[tuple[Path, bool]], limit: float, repeat: int
) -> list[float | None]:
    """Median seconds to interactive per page, opening the pages in turn ``repeat`` times
    (so that both tools meet the same background load); None when a page timed out.
    Each path comes with whether its CDN files are stood in for (explore's)."""
    times: list[list[float]] = [[] for _ in paths]
    failed = [False] * len(paths)
    for _ in range(repeat):
        for k, (path, stand_in) in enumerate(paths):
            if failed[k]:
                continue
            seconds = _open_once(browser, path, limit, stand_in)
            if seconds is None:
                failed[k] = True
            else:
                times[k].append(seconds)
    return [None if bad else statistics.median(t) for t, bad in zip(times, failed, strict=True)]


def _open_once(browser: Any, path: Path, limit: float, stand_in: bool) -> float | None:
    page, requests = new_page(browser, stand_in=stand_in)
    page.set_default_timeout(limit * 1000)
    page.add_init_script(_MEASURE)
    try:
        page.goto(path.as_uri(), wait_until="domcontentloaded")
        # a function, not a string: the map's CSP forbids the eval() a string would need
        page.wait_for_function("() => window.__interactive !== null", polling=100)
        ms: float = page.evaluate("window.__interactive")
        if requests.blocked:
            print(f"  ({path.name}: {len(requests.blocked)} requests blocked)")
        return ms / 1000
    except Exception as e:  # a time-out is a result here, reported as such
        print(f"  ({path.name}: not interactive within {limit:.0f} s: {type(e).__name__})")
        return None
    finally:
        page.context.close()


def _build(make: Any, gdf: Any, path: Path, repeat: int) -> float:
    """The median seconds of ``repeat`` builds (make the map, write its HTML)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        make(gdf).save(str(path))
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:6.1f}x" if a is not None and b else "    n/a"


def _seconds(v: float | None, limit: float) -> str:
    return f"{v:7.2f}" if v is not None else f"  >{limit:.0f}"


def _verdict(n: int, r: _Result) -> str:
    target = TARGETS.get(n)
    if target is None:
        return ""
    mb, build, interactive = target
    checks = [r.size / 1e6 <= mb]
    if build is not None:
        checks.append(r.build <= build)
    if interactive is not None:
        checks.append(r.interactive is not None and r.interactive <= interactive)
    wanted = f"<= {mb} MB" + (f", {build} s build" if build else "")
    wanted += f", {interactive} s interactive" if interactive else ""
    return f"   target {wanted}: {'met' if all(checks) else 'MISSED'}"


def _screenshot(browser: Any, path: Path, out: Path) -> None:
    page, requests = new_page(browser, 1280, 800)
    page.goto(path.as_uri())
    page.wait_for_function(READY)
    page.wait_for_timeout(800)
    page.screenshot(path=str(out))
    page.context.close()
    print(f"  (screenshot of {path.name} in {out}; {len(requests.blocked)} requests blocked)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--limit", type=float, default=180.0, help="seconds to wait for a page")
    parser.add_argument("--screenshot", type=Path, help="save the first geomap map as this PNG")
    parser.add_argument("--no-explore", action="store_true", help="skip explore()")
    parser.add_argument("--repeat", type=int, default=3, help="builds and openings (medians)")
    args = parser.parse_args()
    missing = browser_missing()
    if missing:
        sys.exit(f"cannot open the maps: {missing}")
    warnings.simplefilter("ignore")
    print(f"{'incidents':>9}  {'tool':8} {'build s':>8} {'size MB':>8} {'interactive s':>13}")
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        folder = Path(tmp)
        for n in args.sizes:
            load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
            print(f"{'':>9}  (load average {load})")
            gdf = to_geodataframe(synthetic_incidents(n))
            ours_path = folder / f"geomap-{n}.html"
            ours = _Result(_build(make_map, gdf, ours_path, args.repeat), 0, None)
            ours.size = ours_path.stat().st_size
            rows = [("geomap", ours)]
            paths = [(ours_path, False)]
            if not args.no_explore:
                theirs_path = folder / f"explore-{n}.html"
                explore = type(gdf).explore
                theirs = _Result(_build(explore, gdf, theirs_path, args.repeat), 0, None)
                theirs.size = theirs_path.stat().st_size
                rows.append(("explore", theirs))
                paths.append((theirs_path, True))
            for (_tool, r), seconds in zip(
                rows, _interactive(browser, paths, args.limit, args.repeat), strict=True
            ):
                r.interactive = seconds
            if args.screenshot and n == args.sizes[0]:
                _screenshot(browser, ours_path, args.screenshot)
            for tool, r in rows:
                print(
                    f"{n:>9,}  {tool:8} {r.build:8.2f} {r.size / 1e6:8.2f} "
                    f"{_seconds(r.interactive, args.limit):>13}"
                    + (_verdict(n, r) if tool == "geomap" else "")
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

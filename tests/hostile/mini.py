"""The mini gazetteer (``tests/data/gazetteer/mini.tsv``) as geomap's installed one.

``geomap run`` opens the installed gazetteer itself, building it when missing. The hostile
suite points it at a cache folder of its own (``$GEOMAP_CACHE_DIR``) and makes the build
read the mini gazetteer's 372 places and no curated files: the index is built in about a
second, and a run opens it in a fraction of one. The same patches are applied in this
process (through pytest's monkeypatch) and in the child processes the suite starts
(``python -m tests.hostile.geomap_mini``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["use_mini_gazetteer"]

_HEADER = "id,name,alternate_names,lat,lon,feature,country,admin1,admin1_code,population,source\n"


def use_mini_gazetteer(cache: Path, patch: Callable[[Any, str, Any], None] = setattr) -> None:
    """Make ``Gazetteer.open()`` open (and build) the mini gazetteer in ``cache``."""
    import gazetteer.sources
    from gazetteer import build
    from tests.mini_gazetteer import mini_sources

    cache.mkdir(parents=True, exist_ok=True)
    empty = cache / "no-curated-places.csv"
    if not empty.exists():
        empty.write_text(_HEADER, encoding="utf-8")
    os.environ["GEOMAP_CACHE_DIR"] = str(cache)
    patch(gazetteer.sources, "load_sources", mini_sources)
    patch(build, "_curated_files", lambda overlay=None: (empty,))

"""The map's data: report text made inert, and the compact payload the browser draws from.

Report text is hostile. Every string that came from a report (quote, place, actors, source,
type) goes through ``escape_text`` before anything else sees it, so it is inert both as HTML
and inside a JavaScript template literal; ``script_json`` then embeds the payload in a
``<script>`` element so that no ``</script>``, ``<!--`` or line separator can end it.

The payload keeps 100,000 incidents small: one table of (escaped) strings, one of places, and
per incident type one column per field, holding indexes into those tables. ``map.js`` turns
each type's columns into one GeoJSON layer and builds popups and tooltips on demand::

    {"s": [strings], "P": [[lat, lon, name, admin1, country], ...], "T": [first, last day],
     "tp": {code: name}, "gp": {code: name},
     "L": [{"name", "color", "icon", "n", "p", "t", "m", "k", "j", "x", "y", "q", "o", "u",
            "l", "r"}, ...],
     "M": [[lat, lon, name, times mentioned], ...]}

Per incident: ``p`` place index, ``t`` days since 1970-01-01 (null when undated), ``m`` packs
time precision (bits 0-1), geo precision (bits 2-4) and "at least" flags (bit 5 killed,
bit 6 injured), ``k``/``j`` killed/injured (null when not said), and string indexes for
``x``/``y`` actors, ``q`` quote (HTML with the place in ``<mark>``), ``o`` source,
``u`` link (only http and https), ``l`` label and ``r`` relation ("south of").
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from geomap.records import GEO_PRECISION, TIME_PRECISION

if TYPE_CHECKING:
    import pandas

__all__ = [
    "TypeStyle",
    "escape_text",
    "highlight_quote",
    "incident_payload",
    "link_url",
    "script_json",
    "style_for",
]

# html.escape leaves these alone; they matter inside JavaScript template literals and Jinja.
_TEMPLATE_CHARS = str.maketrans(
    {"`": "&#96;", "$": "&#36;", "{": "&#123;", "}": "&#125;", "\\": "&#92;"}
)
# JSON inside <script>: nothing may look like "</script>", "<!--" or a template literal.
_SCRIPT_CHARS = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "'": "\\u0027",
        "`": "\\u0060",
        "$": "\\u0024",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def escape_text(value: object) -> str:
    """Text made inert as HTML (element or attribute) and inside a JavaScript template literal.

    >>> escape_text('<img src=x onerror="alert(1)"> ${x} `')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &#36;&#123;x&#125; &#96;'
    """
    return html.escape(str(value), quote=True).translate(_TEMPLATE_CHARS)


def script_json(obj: object) -> str:
    """Compact JSON that is safe to place inside a ``<script>`` element.

    >>> script_json({"q": "</script><script>alert(`${1}`)</script>"})
    '{"q":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(\\\\u0060\\\\u00241}\\\\u0060)\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.translate(_SCRIPT_CHARS)


def link_url(url: object) -> str:
    """The URL escaped for an ``href``, or "" unless it is an http or https URL with a host.

    >>> link_url("https://example.org/a?b=1&c=2")
    'https://example.org/a?b=1&amp;c=2'
    >>> link_url("javascript:alert(1)")
    ''
    """
    text = str(url).strip()
    if not text or any(c.isspace() or ord(c) < 32 for c in text):
        return ""
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return escape_text(text)


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern[str] | None:
    words = [w for w in re.split(r"[\s,]+", name) if len(w) >= 4]
    alternatives = [name, *sorted(words, key=len, reverse=True)] if name else words
    if not alternatives:
        return None
    return re.compile("|".join(re.escape(a) for a in alternatives), re.IGNORECASE)


def highlight_quote(quote: str, place: str) -> str:
    """The quote escaped, with the first mention of the place (or its longest word) marked.

    >>> highlight_quote("Rockets hit <b>Erbil</b> airport.", "Erbil")
    'Rockets hit &lt;b&gt;<mark>Erbil</mark>&lt;/b&gt; airport.'
    """
    pattern = _name_pattern(place.strip())
    match = pattern.search(quote) if pattern else None
    if match is None:
        return escape_text(quote)
    a, b = match.span()
    return (
        escape_text(quote[:a])
        + "<mark>"
        + escape_text(quote[a:b])
        + "</mark>"
        + escape_text(quote[b:])
    )


class TypeStyle:
    """Colour and Font Awesome icon of one incident type."""

    __slots__ = ("color", "icon")

    def __init__(self, color: str, icon: str) -> None:
        if not re.fullmatch(r"#[0-9a-f]{6}", color) or not re.fullmatch(r"[a-z0-9-]+", icon):
            msg = f"a type style needs a #rrggbb colour and an icon name, got {color!r}, {icon!r}"
            raise ValueError(msg)
        self.color = color
        self.icon = icon


#: ACLED sub-event types: colours grouped by family (explosions warm, battles blue, ...).
_KNOWN_STYLES: dict[str, TypeStyle] = {
    "air/drone strike": TypeStyle("#d62728", "jet-fighter"),
    "shelling/artillery/missile attack": TypeStyle("#ff7f0e", "burst"),
    "remote explosive/landmine/ied": TypeStyle("#8c564b", "land-mine-on"),
    "suicide bomb": TypeStyle("#7b1fa2", "bomb"),
    "grenade": TypeStyle("#e377c2", "explosion"),
    "chemical weapon": TypeStyle("#bcbd22", "biohazard"),
    "armed clash": TypeStyle("#1f77b4", "person-rifle"),
    "government regains territory": TypeStyle("#17becf", "flag"),
    "non-state actor overtakes territory": TypeStyle("#0b4f8a", "flag"),
    "attack": TypeStyle("#a50f15", "crosshairs"),
    "abduction/forced disappearance": TypeStyle("#5d4037", "user-secret"),
    "sexual violence": TypeStyle("#880e4f", "person-falling-burst"),
    "peaceful protest": TypeStyle("#2ca02c", "bullhorn"),
    "protest with intervention": TypeStyle("#98df8a", "bullhorn"),
    "excessive force against protesters": TypeStyle("#ad1457", "hand-fist"),
    "violent demonstration": TypeStyle("#ef6c00", "fire"),
    "mob violence": TypeStyle("#c49c94", "people-group"),
    "arrests": TypeStyle("#546e7a", "handcuffs"),
    "looting/property destruction": TypeStyle("#795548", "house-fire"),
    "agreement": TypeStyle("#4caf50", "handshake"),
    "headquarters or base established": TypeStyle("#3949ab", "house-flag"),
    "disrupted weapons use": TypeStyle("#607d8b", "shield-halved"),
    "change to group/activity": TypeStyle("#9e9e9e", "circle-info"),
    "non-violent transfer of territory": TypeStyle("#26a69a", "flag"),
    "other": TypeStyle("#757575", "circle-info"),
}
#: Types we do not know take these in turn.
_PALETTE: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)


def style_for(type_name: str, position: int) -> TypeStyle:
    """The style of an incident type: its own for ACLED types, else the palette's ``position``."""
    known = _KNOWN_STYLES.get(type_name.strip().lower())
    if known is not None:
        return known
    return TypeStyle(_PALETTE[position % len(_PALETTE)], "triangle-exclamation")


class _Strings:
    """Escaped strings, each stored once; index 0 is the empty string."""

    def __init__(self) -> None:
        self.values: list[str] = [""]
        self._index: dict[str, int] = {"": 0}

    def add_escaped(self, html_text: str) -> int:
        i = self._index.get(html_text)
        if i is None:
            i = self._index[html_text] = len(self.values)
            self.values.append(html_text)
        return i

    def add(self, text: str) -> int:
        return self.add_escaped(escape_text(text)) if text else 0

    def column(
        self, values: pandas.Series, to_html: Callable[[str], str] | None = None
    ) -> list[int]:
        """Indexes for a column of plain text, made HTML (escaped, or by ``to_html``) once
        per distinct value."""
        import pandas as pd

        codes, uniques = pd.factorize(values.fillna("").astype(str))
        if to_html is None:
            ids = [self.add(u) for u in uniques]
        else:
            ids = [self.add_escaped(to_html(u)) for u in uniques]
        return [ids[c] for c in codes.tolist()]


def _optional_ints(values: pandas.Series) -> list[int | None]:
    import pandas as pd

    numbers = pd.to_numeric(values, errors="coerce")
    return [None if pd.isna(v) else int(v) for v in numbers.tolist()]


def _days(values: pandas.Series) -> list[int | None]:
    import pandas as pd

    dates = pd.to_datetime(values, errors="coerce")
    days = dates.dt.floor("D").astype("datetime64[s]").astype("int64") // 86_400
    return [
        None if bad else int(d) for d, bad in zip(days.tolist(), dates.isna().tolist(), strict=True)
    ]


def _place_table(rows: pandas.DataFrame, strings: _Strings) -> tuple[list[list[Any]], list[int]]:
    """Distinct places (name, point to 1 m, admin1, country) and each row's index into them."""
    text = rows[["location", "admin1", "country"]].fillna("").astype(str)
    keys = zip(
        text["location"].tolist(),
        rows["lat"].round(5).tolist(),
        rows["lon"].round(5).tolist(),
        text["admin1"].tolist(),
        text["country"].tolist(),
        strict=True,
    )
    index: dict[tuple[str, float, float, str, str], int] = {}
    places: list[list[Any]] = []
    place_of_row = []
    for key in keys:
        i = index.get(key)
        if i is None:
            i = index[key] = len(places)
            name, lat, lon, admin1, country = key
            places.append([lat, lon, strings.add(name), strings.add(admin1), strings.add(country)])
        place_of_row.append(i)
    return places, place_of_row


def _packed_flags(rows: pandas.DataFrame) -> list[int]:
    import pandas as pd

    tp = pd.to_numeric(rows["time_precision"], errors="coerce").fillna(1).astype(int).clip(1, 3)
    gp = pd.to_numeric(rows["geo_precision"], errors="coerce").fillna(1).astype(int).clip(1, 4)
    killed_min = rows["killed_at_least"].fillna(False).astype(bool).astype(int)
    injured_min = rows["injured_at_least"].fillna(False).astype(bool).astype(int)
    packed = tp + gp * 4 + killed_min * 32 + injured_min * 64
    return [int(v) for v in packed.tolist()]


def incident_payload(
    rows: pandas.DataFrame,
    type_order: Sequence[str],
    *,
    mentions: Sequence[tuple[float, float, str, int]] = (),
) -> dict[str, Any]:
    """The payload for drawable incident rows (with float ``lat``/``lon`` columns).

    ``type_order`` lists the values of ``sub_event_type`` in legend order; each becomes one
    layer. Rows must already be cleaned: coordinates valid, text columns present.
    ``mentions`` are other places named in the reports: (lat, lon, name, times mentioned).
    """
    strings = _Strings()
    places, place_of_row = _place_table(rows, strings)
    days = _days(rows["event_date"])
    columns: dict[str, list[Any]] = {
        "p": place_of_row,
        "t": days,
        "m": _packed_flags(rows),
        "k": _optional_ints(rows["killed"]),
        "j": _optional_ints(rows["injured"]),
        "x": strings.column(rows["actor1"]),
        "y": strings.column(rows["actor2"]),
        "q": [
            strings.add_escaped(highlight_quote(q, loc)) if q else 0
            for q, loc in zip(
                rows["quote"].fillna("").astype(str).tolist(),
                rows["location"].fillna("").astype(str).tolist(),
                strict=True,
            )
        ],
        "o": strings.column(rows["source"]),
        "u": strings.column(rows["url"], link_url),
        "l": strings.column(rows["label"]),
        "r": strings.column(rows["relation"]),
    }
    rows_of_type: dict[str, list[int]] = {t: [] for t in type_order}
    for i, t in enumerate(rows["sub_event_type"].tolist()):
        if t in rows_of_type:
            rows_of_type[t].append(i)
    layers = []
    for position, type_name in enumerate(type_order):
        picked = rows_of_type[type_name]
        style = style_for(type_name, position)
        layer: dict[str, Any] = {
            "name": strings.add(type_name),
            "color": style.color,
            "icon": style.icon,
            "n": len(picked),
        }
        for key, values in columns.items():
            layer[key] = [values[i] for i in picked]
        layers.append(layer)
    dated = [d for d in days if d is not None]
    return {
        "s": strings.values,
        "P": places,
        "T": [min(dated), max(dated)] if dated else None,
        "tp": {str(k): escape_text(v) for k, v in TIME_PRECISION.items()},
        "gp": {str(k): escape_text(v) for k, v in GEO_PRECISION.items()},
        "L": layers,
        "M": [
            [round(lat, 5), round(lon, 5), strings.add(name), n] for lat, lon, name, n in mentions
        ],
    }

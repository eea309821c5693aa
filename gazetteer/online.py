"""Opt-in online fallback for names the offline gazetteer lacks (``--online nominatim``).

Nothing here runs unless the user asks for it: the gazetteer is offline by default, and
this module only talks to the network when an :class:`OnlineGeocoder` is built and a
name misses its on-disk cache.

The service is OpenStreetMap's Nominatim, reached through geopy's ``Nominatim``
geocoder wrapped in geopy's ``RateLimiter``. A persistent sqlite cache sits *in front
of* the rate limiter (geopy has no cache of its own), so a name asked before, including
a name the service did not know, is answered from disk at once and never waits for a
request slot.

Data licence
    OpenStreetMap data is published under the Open Database License (ODbL 1.0).
    Anything that shows results from this module, a map or a table, must carry the
    attribution "© OpenStreetMap contributors" (see :data:`ATTRIBUTION`).

Usage policy of the public service (https://operations.osmfoundation.org/policies/nominatim/)
    * at most one request per second, which the rate limiter enforces: the public
      domain refuses ``min_delay_seconds`` below 1.0;
    * a User-Agent that identifies the application and a contact, set by the user,
      e.g. ``--user-agent "my-newsroom-geomap/1.0 (me@example.org)"``; empty agents and
      library defaults such as geopy's ``geopy/<version>`` are refused;
    * results are cached, so the same name is not asked twice.

Results are :class:`~gazetteer.records.Candidate` records marked as online ones
(``source="nominatim"``, ids ``nominatim:<osm_type>/<osm_id>``, ``why`` naming the
service) with a score scaled down by ``score_factor`` so offline matches rank first.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self, cast

from gazetteer._errors import OnlineGeocoderError
from gazetteer.records import Candidate

__all__ = [
    "ATTRIBUTION",
    "DEFAULT_IMPORTANCE",
    "MAX_NAME_LENGTH",
    "NOMINATIM_DOMAIN",
    "OnlineGeocoder",
    "OnlineGeocoderError",
]

logger = logging.getLogger(__name__)

#: The attribution OpenStreetMap's licence (ODbL) requires wherever its data is shown.
ATTRIBUTION = "© OpenStreetMap contributors"

#: The public Nominatim service, bound by its usage policy.
NOMINATIM_DOMAIN = "nominatim.openstreetmap.org"

#: Longer names are not place names; they are answered with no candidates and no request.
MAX_NAME_LENGTH = 300

#: Importance assumed for a result that does not carry one.
DEFAULT_IMPORTANCE = 0.3

_SOURCE = "nominatim"
_WHY = ("online: nominatim",)
_USER_AGENT_EXAMPLE = '--user-agent "my-newsroom-geomap/1.0 (me@example.org)"'

# Sample agents from geopy's documentation, which geopy itself refuses for the public
# service, and the defaults of the HTTP libraries underneath.
_SAMPLE_USER_AGENTS = frozenset(
    {"my-application", "my_app/1", "my_user_agent/1.0", "specify_your_app_name_here"}
)
_DEFAULT_USER_AGENT = re.compile(r"^(geopy|python-requests|python-urllib|urllib3)\b", re.I)

_COUNTRY_CODE = re.compile(r"^[A-Za-z]{2}$")

_POPULATED_TYPES = frozenset({"city", "town", "village", "hamlet"})
_ADMIN1_TYPES = frozenset({"state", "province"})

# The fields of a Nominatim result the cache keeps; the rest is dropped.
_KEPT_FIELDS = (
    "place_id",
    "osm_type",
    "osm_id",
    "lat",
    "lon",
    "display_name",
    "name",
    "class",
    "category",
    "type",
    "addresstype",
    "importance",
    "address",
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS nominatim_cache (
    key TEXT PRIMARY KEY,
    payload TEXT NOT NULL,
    fetched_at TEXT NOT NULL
)
"""


class OnlineGeocoder:
    """Look names up on Nominatim, through a persistent cache and a rate limiter.

    Parameters
    ----------
    user_agent : str
        The User-Agent sent to the service. It must identify the application and a
        contact, e.g. ``"my-newsroom-geomap/1.0 (me@example.org)"``; empty agents and
        library defaults are refused.
    cache_path : Path
        The sqlite file of the cache. It and its directory are created on first use.
    domain : str, optional
        Host (and port) of the Nominatim service.
    scheme : str, optional
        ``"https"`` or ``"http"``.
    min_delay_seconds : float, optional
        Least time between two requests. The public service allows one request per
        second, so its domain refuses anything lower.
    timeout : float, optional
        Seconds to wait for an answer before giving up.
    score_factor : float, optional
        Multiplies Nominatim's importance (0..1) into the candidate's score, keeping
        online candidates below offline ones. Must be in (0, 1].

    Raises
    ------
    OnlineGeocoderError
        If the user agent is empty or a library default.
    ValueError
        If another argument is out of range.

    Notes
    -----
    Use it as a context manager, or call :meth:`close`, to release the cache file and
    the HTTP connections. The cache is shared safely by the threads of one process.
    """

    def __init__(
        self,
        user_agent: str,
        *,
        cache_path: Path,
        domain: str = NOMINATIM_DOMAIN,
        scheme: str = "https",
        min_delay_seconds: float = 1.0,
        timeout: float = 10.0,
        score_factor: float = 0.5,
    ) -> None:
        agent = user_agent.strip() if isinstance(user_agent, str) else ""
        _check_user_agent(agent)
        domain = domain.strip().strip("/")
        if not domain:
            msg = "domain must name the Nominatim host, e.g. 'nominatim.openstreetmap.org'"
            raise ValueError(msg)
        if scheme not in ("http", "https"):
            msg = f"scheme must be 'http' or 'https', got {scheme!r}"
            raise ValueError(msg)
        if not (math.isfinite(min_delay_seconds) and min_delay_seconds >= 0.0):
            msg = f"min_delay_seconds must be a number >= 0, got {min_delay_seconds!r}"
            raise ValueError(msg)
        if domain.casefold() == NOMINATIM_DOMAIN and min_delay_seconds < 1.0:
            msg = (
                f"min_delay_seconds={min_delay_seconds!r} breaks the usage policy of "
                f"{NOMINATIM_DOMAIN} (at most one request per second); use 1.0 or more"
            )
            raise ValueError(msg)
        if not (math.isfinite(timeout) and timeout > 0.0):
            msg = f"timeout must be a number > 0, got {timeout!r}"
            raise ValueError(msg)
        if not (math.isfinite(score_factor) and 0.0 < score_factor <= 1.0):
            msg = f"score_factor must be in (0, 1], got {score_factor!r}"
            raise ValueError(msg)

        self.user_agent = agent
        self.cache_path = Path(cache_path)
        self.domain = domain
        self.scheme = scheme
        self.min_delay_seconds = float(min_delay_seconds)
        self.timeout = float(timeout)
        self.score_factor = float(score_factor)

        self._cache_lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._service_lock = threading.Lock()
        self._nominatim: Any = None
        self._geocode: Callable[..., Any] | None = None

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.user_agent!r}, cache_path={str(self.cache_path)!r}, "
            f"domain={self.domain!r}, scheme={self.scheme!r})"
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the cache file and the HTTP connections; a later lookup reopens them."""
        with self._cache_lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()
        with self._service_lock:
            nominatim, self._nominatim, self._geocode = self._nominatim, None, None
        if nominatim is not None:
            nominatim.__exit__(None, None, None)  # closes the adapter's HTTP session

    def lookup(self, name: str, *, country: str | None = None, limit: int = 5) -> list[Candidate]:
        """Candidates for ``name`` from the cache, or from Nominatim on a cache miss.

        Parameters
        ----------
        name : str
            The place name as written in the report.
        country : str or None, optional
            ISO 3166-1 alpha-2 code restricting the search to one country.
        limit : int, optional
            Most candidates to return.

        Returns
        -------
        list of Candidate
            In Nominatim's order, scored ``score_factor * importance``; empty for an
            empty name, a name over :data:`MAX_NAME_LENGTH` characters, or a name the
            service does not know (that answer is cached too).

        Raises
        ------
        OnlineGeocoderError
            If the service cannot be reached, times out or answers with an error, or
            the cache file cannot be opened. Failed lookups are not cached.
        ValueError
            If ``country`` is not a two-letter code or ``limit`` is below 1.
        """
        if limit < 1:
            msg = f"limit must be at least 1, got {limit!r}"
            raise ValueError(msg)
        query = " ".join(name.split())
        if not query:
            return []
        if len(query) > MAX_NAME_LENGTH:
            logger.debug("not looking up a %d-character name online", len(query))
            return []
        country_code = _normalise_country(country)
        key = _cache_key(query, country_code)

        results = self._cache_get(key, limit)
        if results is not None:
            logger.debug("online cache hit for %r (%d results)", query, len(results))
        else:
            logger.debug("online cache miss for %r; asking %s", query, self.domain)
            results = self._fetch(query, country_code, limit)
            self._cache_put(key, limit, results)

        candidates = []
        for raw in results[:limit]:
            candidate = _to_candidate(raw, query, self.score_factor)
            if candidate is not None:
                candidates.append(candidate)
        return candidates

    # -- the service ------------------------------------------------------------------

    def _rate_limited_geocode(self) -> Callable[..., Any]:
        with self._service_lock:
            if self._geocode is None:
                from geopy.extra.rate_limiter import RateLimiter
                from geopy.geocoders import Nominatim

                self._nominatim = Nominatim(
                    user_agent=self.user_agent,
                    domain=self.domain,
                    scheme=self.scheme,
                    timeout=self.timeout,
                    adapter_factory=_adapter_factory(),
                )
                # No retries and no swallowing: a failure must reach the caller rather
                # than come back as None, which would look like (and be cached as) a
                # name the service does not know.
                self._geocode = RateLimiter(
                    self._nominatim.geocode,
                    min_delay_seconds=self.min_delay_seconds,
                    max_retries=0,
                    error_wait_seconds=self.min_delay_seconds,
                    swallow_exceptions=False,
                )
            return self._geocode

    def _fetch(self, query: str, country: str | None, limit: int) -> list[dict[str, Any]]:
        from geopy.exc import GeopyError

        geocode = self._rate_limited_geocode()
        try:
            locations = geocode(
                query,
                exactly_one=False,
                limit=limit,
                country_codes=country,
                addressdetails=True,
                language="en",
            )
        except GeopyError as e:
            msg = (
                f"online lookup of {query!r} failed: Nominatim at {self.scheme}://{self.domain} "
                f"did not answer ({type(e).__name__}: {e})"
            )
            raise OnlineGeocoderError(msg) from e
        results: list[dict[str, Any]] = []
        for location in locations or ():
            raw = getattr(location, "raw", None)
            if isinstance(raw, Mapping):
                results.append({k: raw[k] for k in _KEPT_FIELDS if k in raw})
        return results

    # -- the cache --------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        """The cache connection, opened on first use; the caller holds the cache lock."""
        if self._conn is None:
            try:
                self.cache_path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.cache_path, check_same_thread=False)
                try:
                    with conn:
                        conn.execute(_SCHEMA)
                except BaseException:
                    conn.close()
                    raise
            except (OSError, sqlite3.Error) as e:
                msg = f"cannot open the online geocoder cache {str(self.cache_path)!r}: {e}"
                raise OnlineGeocoderError(msg) from e
            self._conn = conn
        return self._conn

    def _cache_get(self, key: str, limit: int) -> list[dict[str, Any]] | None:
        """The cached results for ``key``, or None when they must be fetched."""
        with self._cache_lock:
            conn = self._connection()
            try:
                row = conn.execute(
                    "SELECT payload FROM nominatim_cache WHERE key = ?", (key,)
                ).fetchone()
            except sqlite3.Error as e:
                msg = f"cannot read the online geocoder cache {str(self.cache_path)!r}: {e}"
                raise OnlineGeocoderError(msg) from e
        if row is None:
            return None
        try:
            payload = json.loads(row[0])
            fetched_limit = int(payload["limit"])
            results = [r for r in payload["results"] if isinstance(r, dict)]
        except (ValueError, TypeError, KeyError):
            logger.warning("ignoring an unreadable online cache entry for %r", key)
            return None
        if limit > fetched_limit and len(results) >= fetched_limit:
            return None  # asked for more than was fetched, and the service may have more
        return results

    def _cache_put(self, key: str, limit: int, results: list[dict[str, Any]]) -> None:
        payload = json.dumps({"limit": limit, "results": results}, ensure_ascii=False)
        fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        with self._cache_lock:
            conn = self._connection()
            try:
                with conn:
                    conn.execute(
                        "INSERT OR REPLACE INTO nominatim_cache (key, payload, fetched_at) "
                        "VALUES (?, ?, ?)",
                        (key, payload, fetched_at),
                    )
            except sqlite3.Error as e:
                # The answer is still good; it will only be asked again next time.
                logger.warning("could not cache the online answer for %r: %s", key, e)


def _adapter_factory() -> Callable[..., Any]:
    """geopy's HTTP adapter without its own retries.

    geopy's requests adapter retries failed connections and timeouts twice by itself,
    out of sight of the rate limiter; every request must go through the limiter.
    """
    from geopy.adapters import RequestsAdapter, URLLibAdapter

    if RequestsAdapter.is_available:
        return functools.partial(RequestsAdapter, max_retries=0)
    return cast(Callable[..., Any], URLLibAdapter)  # urllib does not retry


def _check_user_agent(agent: str) -> None:
    if not agent:
        problem = "an empty User-Agent"
    elif agent.casefold() in _SAMPLE_USER_AGENTS or _DEFAULT_USER_AGENT.match(agent):
        problem = f"the default or sample User-Agent {agent!r}"
    else:
        return
    msg = (
        f"refusing to query Nominatim with {problem}: its usage policy requires a "
        f"User-Agent that identifies your application and a contact; pass your own, "
        f"e.g. {_USER_AGENT_EXAMPLE}"
    )
    raise OnlineGeocoderError(msg)


def _normalise_country(country: str | None) -> str | None:
    if country is None or not country.strip():
        return None
    code = country.strip()
    if not _COUNTRY_CODE.match(code):
        msg = f"country must be an ISO 3166-1 alpha-2 code such as 'IQ', got {country!r}"
        raise ValueError(msg)
    return code.lower()


def _cache_key(query: str, country: str | None) -> str:
    """``<country or *>|<name>``, the name in NFC, casefolded, spaces collapsed."""
    name = " ".join(unicodedata.normalize("NFC", query).casefold().split())
    return f"{country or '*'}|{name}"


def _feature(raw: Mapping[str, Any]) -> str:
    """Map Nominatim's class, type and addresstype onto the gazetteer's feature types."""
    osm_class = str(raw.get("class") or raw.get("category") or "").casefold()
    osm_type = str(raw.get("type") or "").casefold()
    address_type = str(raw.get("addresstype") or "").casefold()
    place_type = osm_type if osm_class == "place" else ""
    if osm_class == "aeroway" and osm_type == "aerodrome":
        return "airport"
    if osm_class == "military" or (osm_class == "landuse" and osm_type == "military"):
        return "military_base"
    if "country" in (address_type, place_type):
        return "country"
    if address_type in _ADMIN1_TYPES or place_type in _ADMIN1_TYPES:
        return "admin1"
    if address_type in _POPULATED_TYPES or place_type in _POPULATED_TYPES:
        return "populated_place"
    return "area"


def _importance(value: Any) -> float:
    try:
        importance = float(value)
    except (TypeError, ValueError):
        return DEFAULT_IMPORTANCE
    if not math.isfinite(importance):
        return DEFAULT_IMPORTANCE
    return min(max(importance, 0.0), 1.0)


def _text(mapping: Mapping[str, Any], key: str) -> str:
    value = mapping.get(key)
    return value.strip() if isinstance(value, str) else ""


def _to_candidate(raw: Mapping[str, Any], query: str, score_factor: float) -> Candidate | None:
    """One Nominatim result as a candidate, or None when it has no usable position."""
    try:
        lat = float(raw["lat"])
        lon = float(raw["lon"])
    except (KeyError, TypeError, ValueError):
        logger.debug("skipping a Nominatim result without coordinates: %r", raw)
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):  # also rejects NaN
        logger.debug("skipping a Nominatim result with bad coordinates: %r", raw)
        return None

    osm_type = str(raw.get("osm_type") or "").strip()
    osm_id = raw.get("osm_id")
    if osm_type and osm_id is not None:
        place_id = f"nominatim:{osm_type}/{osm_id}"
    elif raw.get("place_id") is not None:
        place_id = f"nominatim:place/{raw['place_id']}"
    else:
        logger.debug("skipping a Nominatim result without an id: %r", raw)
        return None

    display_name = _text(raw, "display_name")
    name = display_name.split(",", 1)[0].strip() or _text(raw, "name") or query
    address = raw.get("address")
    if not isinstance(address, Mapping):
        address = {}
    country = _text(address, "country_code").upper()
    if not _COUNTRY_CODE.match(country):
        country = ""

    return Candidate(
        id=place_id,
        name=name,
        lat=lat,
        lon=lon,
        feature=_feature(raw),
        country=country,
        admin1=_text(address, "state"),
        admin1_code=_text(address, "ISO3166-2-lvl4"),
        population=0,
        score=score_factor * _importance(raw.get("importance")),
        matched=query,
        why=_WHY,
        source=_SOURCE,
    )

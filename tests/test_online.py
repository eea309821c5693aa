"""The opt-in Nominatim fallback, against a local stub server (never the real service)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from gazetteer import online
from gazetteer._errors import GazetteerError, OnlineGeocoderError
from gazetteer.online import ATTRIBUTION, OnlineGeocoder

USER_AGENT = "geomap-tests/1.0 (tests@example.org)"

BAGHDAD = [
    {
        "place_id": 1001,
        "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
        "osm_type": "relation",
        "osm_id": 3678645,
        "lat": "33.3061701",
        "lon": "44.3872213",
        "class": "boundary",
        "type": "administrative",
        "place_rank": 16,
        "importance": 0.75,
        "addresstype": "city",
        "name": "Baghdad",
        "display_name": "Baghdad, Baghdad Governorate, Iraq",
        "address": {
            "city": "Baghdad",
            "state": "Baghdad Governorate",
            "ISO3166-2-lvl4": "IQ-BG",
            "country": "Iraq",
            "country_code": "iq",
        },
        "boundingbox": ["33.1", "33.5", "44.2", "44.6"],
    },
    {
        "place_id": 1002,
        "osm_type": "relation",
        "osm_id": 3668136,
        "lat": "33.2",
        "lon": "44.4",
        "class": "boundary",
        "type": "administrative",
        "importance": 0.55,
        "addresstype": "state",
        "name": "Baghdad Governorate",
        "display_name": "Baghdad Governorate, Iraq",
        "address": {
            "state": "Baghdad Governorate",
            "ISO3166-2-lvl4": "IQ-BG",
            "country": "Iraq",
            "country_code": "iq",
        },
    },
]

MOSUL = [
    {
        "place_id": 2001,
        "osm_type": "node",
        "osm_id": 281043,
        "lat": "36.3400",
        "lon": "43.1300",
        "class": "place",
        "type": "city",
        "importance": 0.6,
        "addresstype": "city",
        "display_name": "Mosul, Nineveh Governorate, Iraq",
        "address": {"city": "Mosul", "state": "Nineveh Governorate", "country_code": "iq"},
    }
]

AL_ASAD = [  # no importance: the default applies; jsonv2 spells "class" as "category"
    {
        "place_id": 3001,
        "osm_type": "way",
        "osm_id": 25490612,
        "lat": "33.7856",
        "lon": "42.4412",
        "category": "aeroway",
        "type": "aerodrome",
        "addresstype": "aeroway",
        "display_name": "Al Asad Airbase, Al Anbar Governorate, Iraq",
        "address": {"state": "Al Anbar Governorate", "country_code": "iq"},
    }
]


@dataclass
class StubNominatim:
    """A canned Nominatim ``/search`` that counts and records what it is asked."""

    port: int = 0
    answers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[dict[str, str]] = field(default_factory=list)
    user_agents: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.requests)

    def queries(self) -> list[str]:
        with self.lock:
            return [r.get("q", "") for r in self.requests]


def _handler(stub: StubNominatim) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

        def _send(self, status: int, body: bytes) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout test)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
            with stub.lock:
                stub.requests.append(params)
                stub.user_agents.append(self.headers.get("User-Agent", ""))
            if url.path != "/search":
                self._send(404, b'{"error": "not found"}')
                return
            query = params.get("q", "").casefold()
            if query == "boom":
                self._send(500, b'{"error": "internal error"}')
                return
            if query == "slow":
                stub.release.wait(5.0)
            body = json.dumps(stub.answers.get(query, []), ensure_ascii=False)
            self._send(200, body.encode())

    return Handler


@pytest.fixture
def stub() -> Iterator[StubNominatim]:
    stub = StubNominatim(answers={"baghdad": BAGHDAD, "mosul": MOSUL, "al asad": AL_ASAD})
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    stub.port = server.server_address[1]
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="nominatim-stub", daemon=True
    )
    thread.start()
    try:
        yield stub
    finally:
        stub.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5.0)


MakeGeocoder = Callable[..., OnlineGeocoder]


@pytest.fixture
def make_geocoder(stub: StubNominatim, tmp_path: Path) -> Iterator[MakeGeocoder]:
    """Build geocoders pointed at the stub, sharing one cache file, closed at teardown."""
    with ExitStack() as stack:

        def make(**kwargs: Any) -> OnlineGeocoder:
            kwargs.setdefault("cache_path", tmp_path / "cache" / "online.sqlite")
            kwargs.setdefault("domain", f"127.0.0.1:{stub.port}")
            kwargs.setdefault("scheme", "http")
            kwargs.setdefault("min_delay_seconds", 0.3)
            kwargs.setdefault("timeout", 5.0)
            return stack.enter_context(OnlineGeocoder(USER_AGENT, **kwargs))

        yield make


def _cache_rows(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT key, payload, fetched_at FROM nominatim_cache").fetchall()
    finally:
        conn.close()
    return [(str(k), str(p), str(f)) for k, p, f in rows]


def test_lookup_returns_online_candidates(stub: StubNominatim, make_geocoder: MakeGeocoder) -> None:
    geocoder = make_geocoder()
    found = geocoder.lookup("Baghdad")

    assert [c.id for c in found] == ["nominatim:relation/3678645", "nominatim:relation/3668136"]
    city, governorate = found
    assert city.name == "Baghdad"
    assert (city.lat, city.lon) == (33.3061701, 44.3872213)
    assert city.feature == "populated_place"
    assert (city.country, city.admin1, city.admin1_code) == ("IQ", "Baghdad Governorate", "IQ-BG")
    assert city.population == 0
    assert city.score == pytest.approx(0.5 * 0.75)
    assert city.matched == "Baghdad"
    assert city.why == ("online: nominatim",)
    assert city.source == "nominatim"
    assert governorate.name == "Baghdad Governorate"
    assert governorate.feature == "admin1"
    assert governorate.score == pytest.approx(0.5 * 0.55)
    assert all(c.score < 1.0 for c in found)

    assert stub.count == 1
    (request,) = stub.requests
    assert request["q"] == "Baghdad"
    assert request["limit"] == "5"
    assert request["addressdetails"] == "1"
    assert request["accept-language"] == "en"
    assert "countrycodes" not in request
    assert stub.user_agents == [USER_AGENT]


def test_missing_importance_and_category_field(make_geocoder: MakeGeocoder) -> None:
    (base,) = make_geocoder(score_factor=0.4).lookup("Al Asad")
    assert base.id == "nominatim:way/25490612"
    assert base.name == "Al Asad Airbase"
    assert base.feature == "airport"
    assert base.score == pytest.approx(0.4 * online.DEFAULT_IMPORTANCE)
    assert (base.country, base.admin1, base.admin1_code) == ("IQ", "Al Anbar Governorate", "")


@pytest.mark.parametrize(
    ("raw", "feature"),
    [
        ({"class": "boundary", "type": "administrative", "addresstype": "country"}, "country"),
        ({"class": "place", "type": "country"}, "country"),
        ({"class": "boundary", "type": "administrative", "addresstype": "state"}, "admin1"),
        ({"class": "place", "type": "town", "addresstype": "town"}, "populated_place"),
        ({"class": "place", "type": "village"}, "populated_place"),
        ({"class": "place", "type": "hamlet", "addresstype": "hamlet"}, "populated_place"),
        ({"class": "aeroway", "type": "aerodrome", "addresstype": "aeroway"}, "airport"),
        ({"class": "military", "type": "base", "addresstype": "military"}, "military_base"),
        ({"class": "landuse", "type": "military"}, "military_base"),
        ({"class": "place", "type": "suburb", "addresstype": "suburb"}, "area"),
        ({"class": "natural", "type": "peak"}, "area"),
        ({}, "area"),
    ],
)
def test_feature_mapping(raw: dict[str, str], feature: str) -> None:
    assert online._feature(raw) == feature


def test_cached_name_makes_no_request_and_does_not_wait(
    stub: StubNominatim, make_geocoder: MakeGeocoder
) -> None:
    geocoder = make_geocoder(min_delay_seconds=1.0)
    first = geocoder.lookup("Baghdad")
    assert stub.count == 1

    for variant in ("  baghdad ", "BAGHDAD", "Baghdad"):
        start = time.perf_counter()
        again = geocoder.lookup(variant)
        assert time.perf_counter() - start < 0.2
        assert [c.id for c in again] == [c.id for c in first]
        assert again[0].matched == variant.strip()
    assert stub.count == 1

    geocoder.lookup("Al Asad")
    geocoder.lookup("  al   ASAD ")  # inner spaces collapse too
    assert stub.count == 2


def test_cache_persists_across_instances(stub: StubNominatim, make_geocoder: MakeGeocoder) -> None:
    first = make_geocoder()
    found = first.lookup("Baghdad")
    first.close()

    (row,) = _cache_rows(first.cache_path)
    key, payload, fetched_at = row
    assert key == "*|baghdad"
    assert len(json.loads(payload)["results"]) == 2
    assert fetched_at

    second = make_geocoder(min_delay_seconds=1.0)
    start = time.perf_counter()
    again = second.lookup("baghdad")
    assert time.perf_counter() - start < 0.2
    assert again == [replace(c, matched="baghdad") for c in found]
    assert stub.count == 1


def test_uncached_names_are_spaced_by_the_rate_limiter(
    stub: StubNominatim, make_geocoder: MakeGeocoder
) -> None:
    geocoder = make_geocoder(min_delay_seconds=0.3)
    start = time.perf_counter()
    geocoder.lookup("Baghdad")
    geocoder.lookup("Mosul")
    assert time.perf_counter() - start >= 0.3
    assert stub.queries() == ["Baghdad", "Mosul"]


def test_unknown_name_is_cached_as_empty(stub: StubNominatim, make_geocoder: MakeGeocoder) -> None:
    geocoder = make_geocoder()
    assert geocoder.lookup("Nowhereville") == []
    assert geocoder.lookup("nowhereville") == []
    assert stub.count == 1
    geocoder.close()
    assert make_geocoder().lookup("NOWHEREVILLE") == []
    assert stub.count == 1


def test_service_error_raises_and_is_not_cached(
    stub: StubNominatim, make_geocoder: MakeGeocoder
) -> None:
    from geopy.exc import GeocoderServiceError

    geocoder = make_geocoder()
    with pytest.raises(OnlineGeocoderError, match=r"'Boom'.*Nominatim") as info:
        geocoder.lookup("Boom")
    assert isinstance(info.value.__cause__, GeocoderServiceError)
    assert isinstance(info.value, GazetteerError)
    assert stub.count == 1  # no retries behind the caller's back
    assert _cache_rows(geocoder.cache_path) == []

    with pytest.raises(OnlineGeocoderError, match="Boom"):
        geocoder.lookup("Boom")
    assert stub.count == 2


def test_timeout_raises(stub: StubNominatim, make_geocoder: MakeGeocoder) -> None:
    from geopy.exc import GeocoderTimedOut

    geocoder = make_geocoder(timeout=0.2)
    with pytest.raises(OnlineGeocoderError, match="'Slow'") as info:
        geocoder.lookup("Slow")
    assert isinstance(info.value.__cause__, GeocoderTimedOut)
    stub.release.set()
    assert stub.count == 1  # the HTTP layer does not retry behind the rate limiter
    assert _cache_rows(geocoder.cache_path) == []


def test_country_restricts_and_keys_the_cache(
    stub: StubNominatim, make_geocoder: MakeGeocoder
) -> None:
    geocoder = make_geocoder()
    assert geocoder.lookup("Baghdad", country="IQ")
    assert stub.requests[-1]["countrycodes"] == "iq"
    geocoder.lookup("baghdad", country="iq")
    assert stub.count == 1
    geocoder.lookup("Baghdad")  # no country: another key
    assert stub.count == 2
    assert "countrycodes" not in stub.requests[-1]
    with pytest.raises(ValueError, match="alpha-2"):
        geocoder.lookup("Baghdad", country="Iraq")


def test_limit(stub: StubNominatim, make_geocoder: MakeGeocoder) -> None:
    geocoder = make_geocoder()
    # The stub ignores the limit, as a server could: the lookup still honours it.
    assert len(geocoder.lookup("Baghdad", limit=1)) == 1
    assert stub.requests[-1]["limit"] == "1"
    assert len(geocoder.lookup("Baghdad", limit=1)) == 1
    assert stub.count == 1
    # More than was fetched: ask again, then both limits are answered from the cache.
    assert len(geocoder.lookup("Baghdad", limit=5)) == 2
    assert stub.count == 2
    assert len(geocoder.lookup("Baghdad", limit=1)) == 1
    assert len(geocoder.lookup("Baghdad", limit=3)) == 2
    assert stub.count == 2
    with pytest.raises(ValueError, match="limit"):
        geocoder.lookup("Baghdad", limit=0)


@pytest.mark.parametrize("name", ["", "   ", "\t\n", "x" * 301, "Baghdad " * 40])
def test_empty_and_overlong_names_make_no_request(
    stub: StubNominatim, make_geocoder: MakeGeocoder, name: str
) -> None:
    assert make_geocoder().lookup(name) == []
    assert stub.count == 0


def test_name_of_300_characters_is_asked(stub: StubNominatim, make_geocoder: MakeGeocoder) -> None:
    assert make_geocoder().lookup("y" * 300) == []
    assert stub.count == 1


@pytest.mark.parametrize(
    "agent", ["", "   ", "geopy/2.5.0", "geopy", "my-application", "python-requests/2.32"]
)
def test_missing_or_default_user_agent_is_refused(tmp_path: Path, agent: str) -> None:
    with pytest.raises(
        OnlineGeocoderError,
        match=r'usage policy.*pass your own, e\.g\. --user-agent "my-newsroom-geomap/1\.0',
    ):
        OnlineGeocoder(agent, cache_path=tmp_path / "c.sqlite")
    assert not (tmp_path / "c.sqlite").exists()


def test_public_service_needs_one_second_between_requests(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="one request per second"):
        OnlineGeocoder(USER_AGENT, cache_path=tmp_path / "c.sqlite", min_delay_seconds=0.5)
    with OnlineGeocoder(USER_AGENT, cache_path=tmp_path / "c.sqlite") as geocoder:
        assert geocoder.domain == "nominatim.openstreetmap.org"
        assert geocoder.scheme == "https"
        assert geocoder.min_delay_seconds == 1.0


@pytest.mark.parametrize(
    "kwargs",
    [{"score_factor": 0.0}, {"score_factor": 1.5}, {"timeout": 0.0}, {"scheme": "ftp"}],
)
def test_bad_options_are_refused(tmp_path: Path, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        OnlineGeocoder(USER_AGENT, cache_path=tmp_path / "c.sqlite", **kwargs)


def test_attribution_is_documented() -> None:
    assert ATTRIBUTION == "© OpenStreetMap contributors"
    assert online.__doc__ is not None
    assert ATTRIBUTION in online.__doc__
    assert "ODbL" in online.__doc__

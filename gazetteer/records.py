"""The records the gazetteer hands out: places and ranked candidates."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["FEATURE_TYPES", "Candidate", "Place"]

#: Feature types, from the largest unit down. GeoNames feature codes, ISO 3166 and the
#: overlay's own types all map onto these.
FEATURE_TYPES: tuple[str, ...] = (
    "continent",
    "country",
    "region",  # a grouping of divisions, or a large region of land or sea: the Red Sea
    "admin1",  # first-level division: governorate, province, state
    "admin2",  # district
    "area",  # a named area that is not an administrative unit: the Green Zone
    "populated_place",
    "military_base",  # airbases, camps, outposts
    "airport",
    "facility",  # oil and gas fields, dams, prisons, border crossings
    "natural",  # mountains, rivers, deserts, valleys
)


def _check_coordinates(lat: float, lon: float) -> None:
    if not (isinstance(lat, float | int) and isinstance(lon, float | int)):
        msg = f"lat and lon must be numbers, got {lat!r}, {lon!r}"
        raise TypeError(msg)
    if math.isnan(lat) or math.isnan(lon):
        msg = f"lat and lon must not be NaN, got {lat!r}, {lon!r}"
        raise ValueError(msg)
    if not -90.0 <= lat <= 90.0:
        msg = f"latitude must be in [-90, 90], got {lat!r}; are latitude and longitude swapped?"
        raise ValueError(msg)
    if not -180.0 <= lon <= 180.0:
        msg = f"longitude must be in [-180, 180], got {lon!r}"
        raise ValueError(msg)


@dataclass(frozen=True, slots=True)
class Place:
    """One entity of the index, as stored.

    ``id`` is namespaced by its source: ``geonames:98182``, ``iso3166-1:IQ``,
    ``iso3166-2:IQ-BB``, ``overlay:ain-al-asad-air-base`` or ``user:<id>``.
    """

    id: str
    name: str
    lat: float
    lon: float
    feature: str
    country: str  # ISO 3166-1 alpha-2, "" for places in no country
    admin1: str = ""  # name of the first-level division
    admin1_code: str = ""  # ISO 3166-2 code of the division, "" when unknown
    population: int = 0
    source: str = ""

    def __post_init__(self) -> None:
        _check_coordinates(self.lat, self.lon)
        if self.feature not in FEATURE_TYPES:
            msg = (
                f"unknown feature type {self.feature!r}; valid types are {', '.join(FEATURE_TYPES)}"
            )
            raise ValueError(msg)


class PlaceFields(Protocol):
    """What a candidate is made from: a :class:`Place` or a row read from the index."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def lat(self) -> float: ...
    @property
    def lon(self) -> float: ...
    @property
    def feature(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def admin1(self) -> str: ...
    @property
    def admin1_code(self) -> str: ...
    @property
    def population(self) -> int: ...
    @property
    def source(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place proposed for a name, with its score and why it ranked there."""

    id: str
    name: str
    lat: float
    lon: float
    feature: str
    country: str
    admin1: str
    admin1_code: str
    population: int
    score: float
    matched: str = ""  # the stored name that matched
    why: tuple[str, ...] = field(default_factory=tuple)
    source: str = ""

    @classmethod
    def from_place(
        cls, place: PlaceFields, *, score: float, matched: str, why: tuple[str, ...]
    ) -> Candidate:
        return cls(
            id=place.id,
            name=place.name,
            lat=place.lat,
            lon=place.lon,
            feature=place.feature,
            country=place.country,
            admin1=place.admin1,
            admin1_code=place.admin1_code,
            population=place.population,
            score=score,
            matched=matched,
            why=why,
            source=place.source,
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form used by ``geomap gazetteer lookup --json``."""
        return {
            "id": self.id,
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "feature": self.feature,
            "country": self.country,
            "admin1": self.admin1,
            "admin1_code": self.admin1_code,
            "population": self.population,
            "score": round(self.score, 4),
            "matched": self.matched,
            "why": list(self.why),
        }

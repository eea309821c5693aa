"""Records that flow between the pipeline's stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gazetteer.records import Candidate

__all__ = [
    "EARLIEST_YEAR",
    "GEO_PRECISION",
    "MENTION_KINDS",
    "TIME_PRECISION",
    "Decision",
    "DivisionTally",
    "Incident",
    "Mention",
    "date_out_of_range",
    "latest_year",
]

#: Dates before this year, in front matter, tables or text, are a bad input: a typo or a
#: day that never was (and pandas cannot hold years before 1677).
EARLIEST_YEAR = 1900


def latest_year() -> int:
    """The last year a date may have: next year (clocks and time zones differ)."""
    return date.today().year + 1


def date_out_of_range(day: date) -> str:
    """Why a date is out of the sane range, or "" when it is in it.

    >>> date_out_of_range(date(1, 1, 1))
    '0001-01-01 is outside 1900 to ...'
    """
    if EARLIEST_YEAR <= day.year <= latest_year():
        return ""
    return f"{day.isoformat()} is outside {EARLIEST_YEAR} to {latest_year()}"


#: "place" is a place name; "demonym" an adjective or demonym ("Iraqi") pointing at a country;
#: "site" a place name inside the name of a site or organisation ("Mosul University"),
#: resolved to the place it contains.
MENTION_KINDS: tuple[str, ...] = ("place", "demonym", "site")


#: Rules whose placements files label with the family they belong to.
_DECISION_FAMILIES = {
    "dateline": "hierarchy",
    "siblings": "hierarchy",
    "division_title": "hierarchy",
    "parent": "hierarchy",
    "within_parent": "hierarchy (parent)",
}


@dataclass(frozen=True, slots=True)
class Decision:
    """Which geoparser rule placed a mention, and how sure it is.

    ``rule`` is the name of the rule (``geomap.geoparser.resolve.RESOLUTION_RULES``), or
    ``"demonym"``, or ``""`` when nothing was placed. ``ambiguous``: the two best readings
    were almost tied; ``approximate``: the name is not in the gazetteer and was placed at
    the place that contains it. ``str()`` gives the label written to files:

    >>> str(Decision("parent", ambiguous=True)), str(Decision())
    ('hierarchy (ambiguous)', 'no match')
    """

    rule: str = ""
    ambiguous: bool = False
    approximate: bool = False

    @property
    def family(self) -> str:
        """The pass family the rule belongs to: "hierarchy" for a parent, title or list."""
        return _DECISION_FAMILIES.get(self.rule, self.rule).split(" ")[0]

    def __str__(self) -> str:
        if not self.rule:
            return "no match"
        label = _DECISION_FAMILIES.get(self.rule, self.rule)
        if self.approximate and "(" not in label:
            label += " (approximate)"
        return label + (" (ambiguous)" if self.ambiguous else "")


@dataclass(frozen=True, slots=True)
class Mention:
    """A place name found in a text, with the place it was resolved to.

    ``start`` and ``end`` are Python string offsets: ``text[start:end] == surface``.
    ``place`` is None when no candidate was good enough ("no match" is a valid answer);
    ``alternatives`` keeps the other candidates considered, best first, and ``decision``
    names the rule that picked ``place`` (a :class:`Decision`).
    """

    start: int
    end: int
    surface: str
    sentence: tuple[int, int]
    kind: str = "place"
    place: Candidate | None = None
    score: float = 0.0
    alternatives: tuple[Candidate, ...] = field(default_factory=tuple)
    decision: Decision = field(default_factory=Decision)
    relation: str = ""  # "south of", "20 km north of": the mention is a reference point
    country: str = ""  # for demonyms: the ISO code of the country they point at

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            msg = f"mention offsets must satisfy 0 <= start <= end, got {self.start}, {self.end}"
            raise ValueError(msg)
        if self.kind not in MENTION_KINDS:
            msg = f"unknown mention kind {self.kind!r}; valid kinds are {', '.join(MENTION_KINDS)}"
            raise ValueError(msg)

    @property
    def resolved(self) -> bool:
        return self.place is not None


#: ACLED's time_precision codes: the date is the day itself, within a week, within a month.
TIME_PRECISION = {1: "day", 2: "week", 3: "month"}
#: ACLED's geo_precision codes: the site or town itself; near a town or part of an area; a
#: province or larger region (placed at its centroid). Country-level places get 4 here:
#: they are kept but not drawn as points by default.
GEO_PRECISION = {
    1: "site or town",
    2: "near a town, or part of an area",
    3: "province or region",
    4: "country",
}


@dataclass(frozen=True, slots=True)
class Incident:
    """One incident: what happened, where, when, who and how many, and where that was said.

    ``latitude``/``longitude`` are None when the incident has no mappable place. Counts are
    None when the report does not say; ``*_at_least`` marks a minimum ("at least four").
    ``sources``/``report_ids`` list every report merged into this row.
    """

    incident_id: str
    event_date: date | None
    time_precision: int  # 1 day, 2 week, 3 month (ACLED)
    date_phrase: str  # the words the date came from, "" when none
    event_type: str  # ACLED event_type
    sub_event_type: str  # ACLED sub_event_type
    label: str  # plain label: "rocket attack", "drone strike"
    location: str  # the place name as resolved
    place_id: str
    latitude: float | None
    longitude: float | None
    geo_precision: int  # 1 site/town, 2 near/part, 3 region, 4 country (see GEO_PRECISION)
    country: str  # ISO 3166-1 alpha-2
    admin1: str
    admin1_code: str
    relation: str = ""  # "south of": the place is a reference point
    admin2: str = ""  # second-level division: the source's or an imported boundary's (ACLED admin2)
    date_note: str = ""  # why the date is missing or approximate, "" when the text says it
    actor1: str = ""  # who did it or claimed it
    assoc_actor_1: str = ""  # actors associated with actor1 (ACLED assoc_actor_1)
    actor2: str = ""  # who or what was targeted
    killed: int | None = None  # every reported death, the attackers' included (ACLED)
    killed_at_least: bool = False
    killed_perpetrators: int | None = None  # the attackers among ``killed``, where said
    injured: int | None = None
    injured_at_least: bool = False
    projectiles: int | None = None
    events: int = 1  # how many events the row stands for: "four more attacks" is 4
    aggregate: bool = False  # the counts are a total over several events told together
    quote: str = ""  # the sentence it came from
    quote_start: int = 0
    quote_end: int = 0
    report_id: str = ""
    source: str = ""  # the outlet
    url: str = ""
    sources: tuple[str, ...] = ()
    report_ids: tuple[str, ...] = ()
    confidence: float = 0.0

    def __post_init__(self) -> None:
        if self.time_precision not in TIME_PRECISION:
            valid = sorted(TIME_PRECISION)
            msg = f"time_precision must be one of {valid}, got {self.time_precision!r}"
            raise ValueError(msg)
        if self.geo_precision not in GEO_PRECISION:
            msg = (
                f"geo_precision must be one of {sorted(GEO_PRECISION)}, got {self.geo_precision!r}"
            )
            raise ValueError(msg)
        if self.killed_perpetrators is not None and not (
            0 <= self.killed_perpetrators <= (self.killed or 0)
        ):
            msg = (
                f"killed_perpetrators must be between 0 and killed ({self.killed!r}), "
                f"got {self.killed_perpetrators!r}"
            )
            raise ValueError(msg)
        if self.events < 1:
            msg = f"events must be at least 1, got {self.events!r}"
            raise ValueError(msg)
        if (self.latitude is None) != (self.longitude is None):
            msg = "latitude and longitude must both be set or both be None"
            raise ValueError(msg)
        lat, lon = self.latitude, self.longitude
        if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
            msg = f"coordinates out of range: latitude {lat!r}, longitude {lon!r}"
            raise ValueError(msg)

    @property
    def mappable(self) -> bool:
        """Has a point finer than a whole country."""
        return self.latitude is not None and self.geo_precision <= 3


@dataclass(frozen=True, slots=True)
class DivisionTally:
    """Incidents whose point falls in one imported division: what a choropleth draws.

    Made by :func:`geomap.frame.division_tallies` from the boundaries imported
    into the gazetteer, so that the map draws them without opening the gazetteer.
    """

    name: str
    country: str
    geometry: Any  # a shapely polygon or multipolygon, lon/lat
    incidents: int
    killed: int
    injured: int

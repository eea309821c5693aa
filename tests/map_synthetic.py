"""Synthetic incidents for the map's benchmark and its 10,000-incident browser test.

Seeded and plausible: ~2,000 towns in Iraq and Syria, the ACLED sub-event types in realistic
shares, two years of dates, quotes of 90-260 characters, 1-3 incidents per report.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from geomap.records import Incident

__all__ = ["synthetic_incidents"]

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

"""Every weight and threshold of the geoparser, in one frozen, documented dataclass.

A rule reads its numbers from the :class:`Weights` it is given (``doc.weights``), never from
a literal in a branch, so that an experiment changes one field:

>>> from geomap.geoparser.weights import DEFAULT_WEIGHTS, Weights
>>> Weights(hierarchy=0.5).hierarchy, DEFAULT_WEIGHTS.hierarchy
(0.5, 0.6)

Scores are on the gazetteer's scale: a candidate's lookup score is between 0 and 1, and the
prominence of a place (``gazetteer.build.feature_prominence``) runs from about 0.3 (a hamlet)
to 1 (a country).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DEFAULT_WEIGHTS", "Weights"]


def _stray_prominence() -> dict[str, float]:
    return {"populated_place": 0.65, "admin1": 0.72}


@dataclass(frozen=True, slots=True)
class Weights:
    """The geoparser's numbers. Bonuses are added to a candidate's score; thresholds compare
    with a place's prominence or with the margin between the two best scores."""

    # --- recognition
    max_words: int = 7  # words in a place name at most
    max_word: int = 60  # letters in a word at most: longer runs are garbled text
    # --- candidates and their first ranking
    candidates: int = 25  # readings looked up per name
    curated: float = 0.15  # a curated (overlay or user) place's lead over its namesakes
    curated_prominence: float = 0.2  # ... and in the prominence recognition asks of a name
    county_score: float = 0.85  # a US county with no point of its own, read as its state
    division_ratio: int = 15  # a division this many times its namesake city's people ...
    division_people: int = 5_000_000  # ... and of millions outranks the city ("Quebec")
    division_step: float = 0.01  # how far the division then leads
    inner_prominence: float = 0.5  # a name inside a given span stands for it if this prominent
    # --- keeping a recognised name (the obscure, common-word and in-a-name rules)
    min_prominence: float = 0.3  # weaker readings need a cue ("in", "near") to count
    common_prominence: float = 0.85  # a common word opening a sentence must name this much
    common_midsentence: float = 0.65  # ... a capitalised common word inside a sentence
    country_prominence: float = 0.95  # a name inside another name must be about a country
    # --- hierarchy
    hierarchy: float = 0.6  # a reading inside the parent named right after the name
    title: float = 0.3  # a division read from a title after it ("New York Gov.")
    dateline: float = 0.3  # a big city read from a standalone dateline ("WASHINGTON (AP)")
    dateline_population: int = 100_000
    sibling: float = 0.3  # a division listed beside a confidently placed division
    part_of_city_km: float = 15.0  # a part of a town lies this close to it ("X district of Y")
    namesake_seat_km: float = 50.0  # a division's namesake town this close is in it (Jenin)
    town_child_people: int = 100_000  # a city this big holds a smaller place named before it
    exact_spelling_ratio: float = 10.0  # a place matched only once normalised keeps its lead
    # over one spelled as written abroad when it is this many times more populous
    exact_spelling_people: int = 10_000  # ... and the place spelled as written is this big
    # --- proximity
    proximity: float = 0.1  # per other name with a reading close by ...
    proximity_names: int = 3  # ... counting this many at most
    proximity_degrees: float = 0.25  # "close by": about 25 km
    proximity_candidates: int = 10  # readings of each name compared
    # --- country focus
    focus: float = 0.35  # times the share of the document's weight in the reading's country
    admin1_focus: float = 0.15  # times the share in the reading's first-level division
    focus_gap: float = 0.25  # readings this far below the name's best get no country bonus
    country: float = 0.15  # a country named in full almost always means the country
    named_country: float = 0.1  # the report names the reading's country elsewhere
    local_country: float = 0.1  # ... in the mention's sentence or the one before
    focus_country_vote: float = 2.0  # a name read as a country, in the focus tally
    focus_confident_vote: float = 1.0  # a confidently placed name
    focus_unsure_vote: float = 0.25  # any other name
    focus_demonym_vote: float = 1.0  # "Iraqi"
    focus_actor_demonym_vote: float = 0.25  # "Russian forces": an actor, often abroad
    focus_hint_vote: float = 5.0  # the caller's country_hint
    # --- coherence and discourse
    coherence: float = 0.15  # a reading near the document's confidently placed names
    near_degrees: float = 2.0  # "near" for coherence: about 200 km
    confident_margin: float = 0.15  # a lead this large makes a reading confident
    cued_votes: float = 3.0  # one-sense-per-discourse: a mention a parent or title placed
    discourse_step: float = 0.01  # how far the discourse winner then leads
    # --- strays, ambiguity, approximate placements
    stray_prominence: dict[str, float] = field(default_factory=_stray_prominence)
    stray_context: int = 2  # other names placed elsewhere before a lone foreign town is doubted
    abroad_prominence: float = 0.65  # a report about one country keeps places abroad this big
    abroad_gap: float = 0.15  # ... unless a home namesake is within this (Tripoli, Lebanon)
    one_country_share: float = 0.6  # ... "about one country": its share of the focus tally
    ambiguous_margin: float = 0.05  # a lead this small is marked "(ambiguous)"
    locality_after: float = 0.5  # score at most, placed at the place named right after
    locality_before: float = 0.4  # ... at the last locality named before it


#: The weights the geoparser uses unless it is given others.
DEFAULT_WEIGHTS = Weights()

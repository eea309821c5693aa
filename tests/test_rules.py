"""One test per geoparser rule, on the mini gazetteer (``tests/data/gazetteer``).

Each test runs a sentence of our own with the rule and without it (``without={rule}``) and
checks that the rule makes the difference it is there for, so that it fails when the rule
is gone. Where another rule would cover for it, that other rule is left out of both runs.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from gazetteer import Gazetteer
from gazetteer.normalize import loose_key, normalize_name
from geomap.geoparser.parse import RULE_NAMES, RULES, geoparse, recognizer_for
from geomap.geoparser.recognize import RECOGNITION_RULES, Recognizer
from geomap.geoparser.resolve import RESOLUTION_RULES, PassCounter
from geomap.geoparser.weights import DEFAULT_WEIGHTS, Weights
from geomap.records import Mention

Placed = list[tuple[str, str | None]]  # (surface, "CC" or "CC-XX" of its place)


def _run(
    gaz: Gazetteer,
    text: str,
    without: Collection[str] = (),
    spans: Sequence[tuple[int, int]] | None = None,
) -> list[Mention]:
    return geoparse(text, gazetteer=gaz, without=without, spans=spans)


def _where(mentions: list[Mention]) -> Placed:
    return [
        (m.surface, (m.place.admin1_code or m.place.country) if m.place else None) for m in mentions
    ]


def _both(
    gaz: Gazetteer, rule: str, text: str, also: Collection[str] = ()
) -> tuple[Placed, Placed]:
    """The places of ``text`` with the rule and without it (``also`` left out of both)."""
    return (
        _where(_run(gaz, text, without=set(also))),
        _where(_run(gaz, text, without={rule, *also})),
    )


def _spans(gaz: Gazetteer, text: str, without: Collection[str] = ()) -> list[str]:
    return [s.surface for s in recognizer_for(gaz).find(text, without=without)]


def test_every_rule_is_named_once_and_described() -> None:
    assert len(set(RULE_NAMES)) == len(RULE_NAMES) == len(RECOGNITION_RULES) + len(RESOLUTION_RULES)
    for rule in RULES:
        assert rule.name.isidentifier() and rule.description and "\n" not in rule.description


def test_an_unknown_rule_name_is_an_error(mini_gazetteer: Gazetteer) -> None:
    with pytest.raises(ValueError, match=r"unknown geoparser rule 'proximty'.*the rules are"):
        geoparse("Baghdad", gazetteer=mini_gazetteer, without={"proximty"})


def test_weights_are_one_frozen_dataclass() -> None:
    assert Weights(hierarchy=0.5).hierarchy == 0.5
    with pytest.raises(AttributeError):
        DEFAULT_WEIGHTS.hierarchy = 0.1  # type: ignore[misc]


def test_weights_reach_the_rules(mini_gazetteer: Gazetteer) -> None:
    text = "Crowds gathered in Edmonton and Enfield on Saturday."
    (edmonton, _) = geoparse(text, gazetteer=mini_gazetteer, weights=Weights(proximity=0.0))
    assert edmonton.place is not None and edmonton.place.admin1_code == "CA-AB"


# --------------------------------------------------------------------------- recognition


def test_people(mini_gazetteer: Gazetteer) -> None:
    text = "Colonel Jordan Baker said the convoy left Baghdad."
    on, off = _both(mini_gazetteer, "people", text)
    assert on == [("Baghdad", "IQ-BG")]
    assert ("Jordan", "JO") in off


def test_lone_given_name(mini_gazetteer: Gazetteer) -> None:
    text = "His wife, Georgia, said the convoy left Baghdad."
    on, off = _both(mini_gazetteer, "lone_given_name", text)
    assert on == [("Baghdad", "IQ-BG")]
    assert ("Georgia", "GE") in off


def test_actors(mini_gazetteer: Gazetteer) -> None:
    text = "The Islamic Resistance in Iraq claimed the attack on Erbil."
    on, off = _both(mini_gazetteer, "actors", text)
    assert on == [("Erbil", "IQ-AR")]
    assert ("Iraq", "IQ") in off


def test_stop_names(mini_gazetteer: Gazetteer) -> None:
    on, off = _both(mini_gazetteer, "stop_names", "In March the talks in Paris resumed.")
    assert on == [("Paris", "FR-IDF")]
    assert ("March", "GB-ENG") in off


def test_generic_only() -> None:
    rec = Recognizer([normalize_name("Air Base")])
    assert rec.find("The Air Base was hit.") == []
    assert [s.surface for s in rec.find("The Air Base was hit.", without={"generic_only"})] == [
        "Air Base"
    ]


def test_hyphenated_names(mini_gazetteer: Gazetteer) -> None:
    text = "Shares of the weekly Paris-Match rose in London."
    on, off = _both(mini_gazetteer, "hyphenated_names", text)
    assert on == [("London", "GB-ENG")]
    assert ("Paris", "FR-IDF") in off


def test_generic_heads() -> None:
    # "Wadi" (a town in India) opens "Wadi al-Shay", a valley the gazetteer lacks
    rec = Recognizer([normalize_name("Wadi"), "kirkuk"])
    text = "Gunmen attacked a convoy in Wadi al-Shay near Kirkuk."
    assert [s.surface for s in rec.find(text)] == ["Kirkuk"]
    assert [s.surface for s in rec.find(text, without={"generic_heads"})] == ["Wadi", "Kirkuk"]


def test_bodies() -> None:
    rec = Recognizer([normalize_name("Council"), "basra"])
    text = "The City Council met in Basra."
    assert [s.surface for s in rec.find(text)] == ["Basra"]
    assert [s.surface for s in rec.find(text, without={"bodies"})] == ["City Council", "Basra"]


def test_modifiers() -> None:
    rec = Recognizer([normalize_name("Far North"), "queensland"])
    text = "Floods hit Far North Queensland."
    assert [s.surface for s in rec.find(text)] == []  # the walk goes on after the name
    assert [s.surface for s in rec.find(text, without={"modifiers"})] == ["Far North"]


def test_streets(mini_gazetteer: Gazetteer) -> None:
    text = "A shop on Hertford Road in Enfield was robbed."
    assert _spans(mini_gazetteer, text) == ["Enfield"]
    assert _spans(mini_gazetteer, text, without={"streets"}) == ["Hertford", "Enfield"]


def test_saints(mini_gazetteer: Gazetteer) -> None:
    text = "The bells of St. Louis Cathedral rang in Paris."
    on, off = _both(mini_gazetteer, "saints", text)
    assert on == [("Paris", "FR-IDF")]
    assert off[0][0] == "St. Louis"


def test_short_capitals(mini_gazetteer: Gazetteer) -> None:
    text = "The UN team reached Mosul."
    assert _spans(mini_gazetteer, text) == ["Mosul"]
    assert _spans(mini_gazetteer, text, without={"short_capitals"}) == ["UN", "Mosul"]


def test_respellings() -> None:
    # "Market" meets a village "Markit" by its loose key, but it is an English word
    rec = Recognizer(["basra"], (), [loose_key("Markit")])
    text = "The Market fell in Basra."
    assert [s.surface for s in rec.find(text)] == ["Basra"]
    assert [s.surface for s in rec.find(text, without={"respellings"})] == ["Market", "Basra"]


def test_supported_respellings(mini_gazetteer: Gazetteer) -> None:
    assert _where(_run(mini_gazetteer, "Ukrainian forces shelled Kharkov.")) == [
        ("Ukrainian", "UA"),
        ("Kharkov", "UA-63"),
    ]
    text = "Fans cheered Kharkov in the final."
    on, off = _both(mini_gazetteer, "supported_respellings", text)
    assert on == []
    assert off == [("Kharkov", "UA-63")]


def test_demonym_orgs(mini_gazetteer: Gazetteer) -> None:
    text = "The American Chemical Society met in Boston."
    assert _spans(mini_gazetteer, text) == ["Boston"]
    assert _spans(mini_gazetteer, text, without={"demonym_orgs"}) == ["American", "Boston"]


def test_languages(mini_gazetteer: Gazetteer) -> None:
    text = "He shouted in Turkish, then fled to Mosul."
    assert _spans(mini_gazetteer, text) == ["Mosul"]
    assert _spans(mini_gazetteer, text, without={"languages"}) == ["Turkish", "Mosul"]


def test_surnames(mini_gazetteer: Gazetteer) -> None:
    text = "Col. Ahmed Hillah spoke in Basra. Hillah said the road was closed."
    on, off = _both(mini_gazetteer, "surnames", text)
    assert on == [("Basra", "IQ-BA")]
    assert ("Hillah", "IQ-BB") in off


def test_first_name_marks_and_first_names(mini_gazetteer: Gazetteer) -> None:
    text = "Georgia Stevens won in Calgary and Edmonton. Georgia began skating at six."
    expected = [("Calgary", "CA-AB"), ("Edmonton", "CA-AB")]
    for rule in ("first_name_marks", "first_names"):
        on, off = _both(mini_gazetteer, rule, text)
        assert on == expected
        assert off == [*expected, ("Georgia", "GE")]


# --------------------------------------------------------------------------- resolution


def test_built_on(mini_gazetteer: Gazetteer) -> None:
    text = "The blast hit the Vancouver Art Gallery on Monday."
    span = [(text.index("Vancouver"), text.index(" on"))]
    (on,) = _run(mini_gazetteer, text, spans=span)
    (off,) = _run(mini_gazetteer, text, without={"built_on"}, spans=span)
    assert on.place is not None and on.place.name == "Vancouver"
    assert off.place is None


def test_partial_names(mini_gazetteer: Gazetteer) -> None:
    # "Zawiyat" starts no name: "Zawiyat Hillah" is a village the gazetteer lacks
    on, off = _both(mini_gazetteer, "partial_names", "Gunmen killed two men in Zawiyat Hillah.")
    assert on == []
    assert off == [("Hillah", "IQ-BB")]


def test_country_modifier(mini_gazetteer: Gazetteer) -> None:
    text = "A bomb killed three people in a small Iraq town."
    on, off = _both(mini_gazetteer, "country_modifier", text)
    assert on == [("Iraq", "IQ")]
    assert off == [("Iraq", "IR-00")]  # Arak, whose GeoNames names include "Iraq"


def test_exact_spelling(mini_gazetteer: Gazetteer) -> None:
    # "Samarra" normalises as "Samara" does (double letters aside); spelled as written it is
    # the Iraqi town, as a province too
    for text in ("Bombs exploded in Samarra province.",):
        on, off = _both(mini_gazetteer, "exact_spelling", text, also={"division_title"})
        assert on == [("Samarra", "IQ-SD")], on
        assert off[0][1] is not None and off[0][1].startswith("RU"), off


def test_one_country(mini_gazetteer: Gazetteer) -> None:
    text = "An Iraqi official said militants attacked Haram at dawn."
    on, off = _both(mini_gazetteer, "one_country", text)
    assert on == [("Iraqi", "IQ")]
    assert ("Haram", "NO-15") in off


def test_one_country_a_division_names_its_country(mini_gazetteer: Gazetteer) -> None:
    # no country and no demonym: the province read with confidence says which country
    text = "Militants attacked Haram at dawn. The victims came from Diyala province."
    on, off = _both(mini_gazetteer, "one_country", text)
    assert ("Haram", "NO-15") not in on and ("Diyala", "IQ-DI") in on
    assert ("Haram", "NO-15") in off


def test_one_country_keeps_prominent_places_abroad(mini_gazetteer: Gazetteer) -> None:
    text = "An Iraqi official said the minister flew to Paris."
    assert ("Paris", "FR-IDF") in _where(_run(mini_gazetteer, text))


def test_own_name(mini_gazetteer: Gazetteer) -> None:
    # "Tiger Town" is an alternate name of Macon, Georgia: "Tiger" is not Macon
    on, off = _both(mini_gazetteer, "own_name", "The Tiger beat the Lions in Atlanta.")
    assert on == [("Atlanta", "US-GA")]
    assert ("Tiger", "US-GA") in off


def test_obscure(mini_gazetteer: Gazetteer) -> None:
    text = "The Department of Justice in Washington filed the case."
    on, off = _both(mini_gazetteer, "obscure", text)
    assert [s for s, _ in on] == ["Washington"]
    assert ("Justice", "US-IL") in off


def test_curated_lead(mini_gazetteer: Gazetteer, tmp_path: Path) -> None:
    # a curated place whose lookup score is below its namesake's, as an overlay's may be
    from geomap.geoparser import resolve

    first, second = mini_gazetteer.lookup("Paris", limit=2)
    assert first.country == "FR"
    listed = [first, replace(second, id="overlay:paris-tx", score=first.score - 0.1)]
    item = resolve._Item(recognizer_for(mini_gazetteer).find("in Paris")[0], listed, [])
    doc = resolve._Doc("in Paris", mini_gazetteer, DEFAULT_WEIGHTS, [item], [], None)
    resolve._answer_the_unread(doc)
    assert doc.items[0].best() == 0
    assert resolve._curated_lead(doc) == 1
    assert doc.items[0].best() == 1


def test_division_over_namesake(mini_gazetteer: Gazetteer) -> None:
    text = "Protests spread across Quebec."
    (on,) = _run(mini_gazetteer, text)
    (off,) = _run(mini_gazetteer, text, without={"division_over_namesake"})
    assert on.place is not None and on.place.feature == "admin1"
    assert off.place is not None and off.place.feature == "populated_place"


def test_dateline(mini_gazetteer: Gazetteer) -> None:
    text = "WASHINGTON (AP) - The Senate voted on Monday."
    (on,) = _run(mini_gazetteer, text)
    (off,) = _run(mini_gazetteer, text, without={"dateline"})
    # the city was already the first reading: the rule makes it a clear one
    assert on.place is not None and on.place.feature == "populated_place"
    assert not on.decision.ambiguous and off.decision.ambiguous


def test_siblings(mini_gazetteer: Gazetteer) -> None:
    text = "Fires burned in New South Wales and Victoria."
    on, off = _both(mini_gazetteer, "siblings", text, also={"country_focus", "one_country"})
    assert on[1] == ("Victoria", "AU-VIC")
    assert off[1] != ("Victoria", "AU-VIC")


def test_division_title(mini_gazetteer: Gazetteer) -> None:
    text = "New York Gov. Kathy Hochul spoke on Monday."
    (on,) = _run(mini_gazetteer, text)
    (off,) = _run(mini_gazetteer, text, without={"division_title"})
    assert on.place is not None and on.place.feature == "admin1"
    assert not on.decision.ambiguous and off.decision.ambiguous


def test_parent(mini_gazetteer: Gazetteer) -> None:
    on, off = _both(mini_gazetteer, "parent", "Gunmen attacked Paris, Texas overnight.")
    assert on[0] == ("Paris", "US-TX")
    assert off[0] == ("Paris", "FR-IDF")


def test_parent_before_its_child_in_the_possessive(mini_gazetteer: Gazetteer) -> None:
    on, off = _both(mini_gazetteer, "parent", "Storms battered Texas's Paris overnight.")
    assert on[1] == ("Paris", "US-TX")
    assert off[1] == ("Paris", "FR-IDF")


def test_within_a_country_named_after_it(mini_gazetteer: Gazetteer) -> None:
    # no Paris in Iraq: the name is placed at the country, not in France
    text = "Gunmen attacked Paris, Iraq, overnight."
    on, off = _both(mini_gazetteer, "within_parent", text)
    assert on[0] == ("Paris", "IQ")
    assert off[0] == ("Paris", "FR-IDF")


def test_parent_a_division_is_not_its_own_child(mini_gazetteer: Gazetteer) -> None:
    # "Kirkuk, Kirkuk province": the first is the town in the province, not the province
    (town, province) = _run(mini_gazetteer, "Gunmen attacked Kirkuk, Kirkuk province.")
    assert town.place is not None and town.place.feature == "populated_place"
    assert province.place is not None and province.place.feature == "admin1"


def test_within_parent(mini_gazetteer: Gazetteer) -> None:
    text = "Gunmen attacked Holliday, Missouri overnight."
    (on, _), (off, _) = (_run(mini_gazetteer, text), _run(mini_gazetteer, text, {"within_parent"}))
    assert on.place is not None and on.place.id == "iso3166-2:US-MO"
    assert on.decision.approximate and str(on.decision) == "hierarchy (parent)"
    assert off.place is not None and off.place.admin1_code == "US-FL"


def test_within_parent_a_town_holds_a_small_place(mini_gazetteer: Gazetteer) -> None:
    # no Holiday in Iraq: a small place abroad is not what "X, Baghdad" names
    text = "Protesters gathered at Holiday, Baghdad on Friday."
    on, off = _run(mini_gazetteer, text), _run(mini_gazetteer, text, {"within_parent"})
    assert on[0].place is not None and on[0].place.country == "IQ"
    assert on[0].decision.approximate
    assert off[0].place is not None and off[0].place.country == "US"
    # a list of towns is no parent: "Springfield, Baghdad and Kirkuk"
    listed = _run(mini_gazetteer, "Fighting in Holiday, Baghdad and Kirkuk.")
    assert listed[0].place is not None and listed[0].place.country == "US"


def test_name_start(mini_gazetteer: Gazetteer) -> None:
    # "Holiday Tapa" is a name the gazetteer lacks: its first word is not Holiday, Florida
    for text in (
        "Clashes broke out near Holiday Tapa, Diyala on Sunday.",
        "A mine went off in Holiday al-Shay (Kirkuk) on Sunday.",
    ):
        on, off = _both(mini_gazetteer, "name_start", text, also={"one_country"})
        assert [p for _, p in on] in (["IQ-DI"], ["IQ-KI"]), on
        assert off[0] == ("Holiday", "US-FL"), off
    # a site's name or a title after the name is no longer name
    kept = _where(_run(mini_gazetteer, "Kirkuk Governor, Baghdad, said so."))
    assert kept[0] == ("Kirkuk", "IQ-KI")


def test_proximity(mini_gazetteer: Gazetteer) -> None:
    text = "Crowds gathered in Edmonton and Enfield on Saturday."
    on, off = _both(mini_gazetteer, "proximity", text)
    assert on == [("Edmonton", "GB-ENG"), ("Enfield", "GB-ENG")]
    assert off[0] == ("Edmonton", "CA-AB")


def test_country_focus(mini_gazetteer: Gazetteer) -> None:
    text = "He flew from Chicago to Springfield on Monday."
    on, off = _both(mini_gazetteer, "country_focus", text)
    assert on[1] == ("Springfield", "US-IL")
    assert off[1] != ("Springfield", "US-IL")


def test_coherence(mini_gazetteer: Gazetteer) -> None:
    text = "Fighting in Atlanta and Macon spread to Columbus."
    on, off = _both(mini_gazetteer, "coherence", text, also={"country_focus"})
    assert on[2] == ("Columbus", "US-GA")
    assert off[2] != ("Columbus", "US-GA")


def test_discourse(mini_gazetteer: Gazetteer) -> None:
    text = "Voters in Paris, Texas went to the polls. In Paris the turnout was low."
    on, off = _both(mini_gazetteer, "discourse", text, also={"country_focus"})
    assert on[2] == ("Paris", "US-TX")
    assert off[2] == ("Paris", "FR-IDF")


def test_strays(mini_gazetteer: Gazetteer) -> None:
    text = "The Egyptian minister visited Cairo, Giza and Luxor before Haram."
    on, off = _both(mini_gazetteer, "strays", text, also={"one_country"})
    assert "Haram" not in [s for s, _ in on]
    assert ("Haram", "NO-15") in off


def test_sites(mini_gazetteer: Gazetteer) -> None:
    text = "Gunmen stormed Mosul University at dawn."
    (on,) = _run(mini_gazetteer, text)
    (off,) = _run(mini_gazetteer, text, without={"sites"})
    assert on.kind == "site" and on.place is not None and on.place.admin1_code == "IQ-NI"
    assert off.kind == "place"


def test_a_site_is_where_an_incident_happened(mini_gazetteer: Gazetteer) -> None:
    from geomap import Report, incidents_from_reports

    report = Report(id="r", text="A car bomb exploded outside Mosul University, killing four.")
    (incident,) = incidents_from_reports([report], gazetteer=mini_gazetteer)
    assert incident.admin1_code == "IQ-NI" and incident.location == "Mosul"


def test_prominence_counts_what_no_other_rule_decided(mini_gazetteer: Gazetteer) -> None:
    counter = PassCounter()
    (baghdad,) = geoparse("They flew to Baghdad.", gazetteer=mini_gazetteer, counter=counter)
    assert baghdad.decision.rule == "prominence" and counter["prominence"] == 1
    counter.clear()
    geoparse(
        "They flew to Baghdad.",
        gazetteer=mini_gazetteer,
        counter=counter,
        without={"prominence"},
    )
    assert "prominence" not in counter


def test_locality(mini_gazetteer: Gazetteer) -> None:
    text = "Patients were moved from Thomas Memorial Hospital in Columbus, Georgia."
    spans = [
        (text.index("Thomas"), text.index(" in Col")),
        (text.index("Columbus"), text.index(", Ge")),
        (text.index("Georgia"), len(text) - 1),
    ]
    hospital = _run(mini_gazetteer, text, spans=spans)[0]
    assert hospital.place is not None and hospital.place.admin1_code == "US-GA"
    assert str(hospital.decision) == "locality (approximate)"
    alone = _run(mini_gazetteer, text, without={"locality"}, spans=spans)[0]
    assert alone.place is None and str(alone.decision) == "no match"


#: Rules tested together, by the name of their test.
_TESTED_AS = {
    "first_name_marks": "first_name_marks_and_first_names",
    "first_names": "first_name_marks_and_first_names",
    "prominence": "prominence_counts_what_no_other_rule_decided",
}


def test_every_rule_has_a_test_here() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    untested = [n for n in RULE_NAMES if f"def test_{_TESTED_AS.get(n, n)}(" not in source]
    assert not untested, f"write a test for: {untested}"


def test_word_lists_are_data_with_a_purpose() -> None:
    from importlib import resources

    from geomap.geoparser.words import word_list, word_lists

    text = (resources.files("geomap") / "data" / "geoparser_words.txt").read_text("utf-8")
    sections = text.split("\n[")[1:]
    assert len(sections) == len(word_lists()) >= 15
    for section in sections:  # every list says what it is for
        assert section.split("\n")[1].startswith("# ")
    with pytest.raises(KeyError, match=r"no word list 'nope'.*the lists are"):
        word_list("nope")

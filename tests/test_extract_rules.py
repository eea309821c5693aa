"""Extraction rules on sentences of our own, without a gazetteer: what is an event, its
type (ACLED's taxonomy), and its toll (ACLED's counting rules).

Places are left out (no mentions are given), so these tests need no index; the rules that
place events are tested in test_incidents.py on the full gazetteer.
"""

from __future__ import annotations

from datetime import date

import pytest

from geomap.incidents.extract import extract_incidents
from geomap.records import Incident

PUBLISHED = date(2020, 10, 12)


def _incidents(text: str) -> list[Incident]:
    return extract_incidents(text, [], published=PUBLISHED).incidents


def _one(text: str) -> Incident:
    found = _incidents(text)
    assert len(found) == 1, [(i.label, i.quote) for i in found]
    return found[0]


# --------------------------------------------------------------------------- what is an event


@pytest.mark.parametrize(
    ("text", "label", "sub_event_type"),
    [
        ("Militants executed two shepherds near the village.", "execution", "Attack"),
        ("Gunmen shot and killed a school teacher on Sunday.", "shooting", "Attack"),
        ("A tribal elder was shot dead outside his home.", "shooting", "Attack"),
        (
            "An explosives-laden vehicle detonated near a market, killing six people.",
            "car bomb",
            "Remote explosive/landmine/IED",
        ),
        (
            "Two explosive devices detonated on the main road, wounding three policemen.",
            "IED attack",
            "Remote explosive/landmine/IED",
        ),
        (
            "A suicide bomber blew himself up at a funeral, killing 12 mourners.",
            "suicide bombing",
            "Suicide bomb",
        ),
        ("A man wearing an explosive vest blew himself up.", "suicide bombing", "Suicide bomb"),
        (
            "Three mortar rounds landed near the stadium.",
            "mortar attack",
            "Shelling/artillery/missile attack",
        ),
        ("Bomb kills 5 at bus station", "bombing", "Remote explosive/landmine/IED"),
        ("Car bombs kill 20 in the capital", "car bomb", "Remote explosive/landmine/IED"),
        ("Heavy fighting broke out on Sunday.", "armed clash", "Armed clash"),
    ],
)
def test_event_phrasings(text: str, label: str, sub_event_type: str) -> None:
    incident = _one(text)
    assert (incident.label, incident.sub_event_type) == (label, sub_event_type)


def test_headline_with_a_toll_but_no_event_word_is_an_event() -> None:
    incident = _one("Five killed in the old market")
    assert (incident.label, incident.killed) == ("killing", 5)
    three = _one("Three soldiers killed in attack near the airport")
    assert (three.label, three.killed, three.actor2) == ("attack", 3, "soldiers")


@pytest.mark.parametrize(
    "text",
    [
        "13 June 2016: Sharqat, Salaheddin province, Iraq",  # a date and a place only
        "Thousands have been killed in the province since 2014.",  # a running total
        "No one was killed in the town.",
        "A court sentenced 12 men to death.",
        "Residents said they heard several explosions after midnight.",
        "Riot police were deployed in the city centre.",
        "The militants threatened to kill 20 hostages.",
    ],
)
def test_not_events(text: str) -> None:
    assert _incidents(text) == []


def test_a_running_toll_is_not_the_event_s() -> None:
    assert _one("Clashes near the town as the conflict toll reaches 366").killed is None


def test_a_toll_after_an_event_adds_to_it_instead_of_making_another() -> None:
    found = _incidents("A roadside bomb hit a patrol on Sunday. Two soldiers were killed.")
    assert [(i.label, i.killed) for i in found] == [("roadside bomb", 2)]


# --------------------------------------------------------------------------- types


@pytest.mark.parametrize(
    ("text", "event_type", "sub_event_type"),
    [
        ("Gunmen opened fire on a checkpoint, killing two soldiers.", "Battles", "Armed clash"),
        (
            "Gunmen opened fire on worshippers leaving a mosque, killing two.",
            "Violence against civilians",
            "Attack",
        ),
        ("Gunmen kill 12 at liquor shops", "Violence against civilians", "Attack"),
        ("Gunmen killed a health worker on Monday.", "Violence against civilians", "Attack"),
        (
            "Assailants stormed a village and killed 12 civilians.",
            "Violence against civilians",
            "Attack",
        ),
        ("Protesters stormed the council building on Monday.", "Riots", "Violent demonstration"),
        ("Gunmen shot dead two engineers on the road.", "Violence against civilians", "Attack"),
        ("Hundreds of protesters gathered outside the ministry.", "Protests", "Peaceful protest"),
        (
            "Protesters threw stones at police and set fire to tyres.",
            "Riots",
            "Violent demonstration",
        ),
        (
            "Security forces fired tear gas to disperse protesters.",
            "Protests",
            "Protest with intervention",
        ),
        (
            "Security forces opened fire on protesters, killing three.",
            "Protests",
            "Excessive force against protesters",
        ),
        ("A mob lynched a man accused of theft.", "Riots", "Mob violence"),
        (
            "Militants looted shops and torched houses in the village.",
            "Strategic developments",
            "Looting/property destruction",
        ),
        ("Police arrested five suspects on Tuesday.", "Strategic developments", "Arrests"),
        ("The two factions signed a ceasefire on Sunday.", "Strategic developments", "Agreement"),
        ("The two sides agreed to a ceasefire on Sunday.", "Strategic developments", "Agreement"),
        (
            "The group set up a base in the valley.",
            "Strategic developments",
            "Headquarters or base established",
        ),
        (
            "The militia withdrew from the town and handed over control to the police.",
            "Strategic developments",
            "Non-violent transfer of territory",
        ),
        (
            "Militants took control of the town on Monday.",
            "Battles",
            "Non-state actor overtakes territory",
        ),
        ("Army units retook the town on Monday.", "Battles", "Government regains territory"),
        (
            "Two women were raped by soldiers at a checkpoint.",
            "Violence against civilians",
            "Sexual violence",
        ),
        ("A roadside bomb struck protesters on the bridge.", "Explosions/Remote violence", ""),
        ("Militants attacked army positions on the hill on Monday.", "Battles", "Armed clash"),
        (
            "Militants attacked a village, killing seven civilians.",
            "Violence against civilians",
            "Attack",
        ),
        ("An attack on the town killed nine.", "Battles", "Armed clash"),
        (
            "Around 200 people demonstrated outside the governorate building.",
            "Protests",
            "Peaceful protest",
        ),
        ("Tribesmen blocked the road to the oil field on Monday.", "Protests", "Peaceful protest"),
        (
            "Unknown perpetrators burned a church on Sunday.",
            "Strategic developments",
            "Looting/property destruction",
        ),
        (
            "Teachers rallied outside the ministry to demand their pay.",
            "Protests",
            "Peaceful protest",
        ),
    ],
)
def test_acled_sub_event_types(text: str, event_type: str, sub_event_type: str) -> None:
    incident = _one(text)
    assert incident.event_type == event_type
    if sub_event_type:
        assert incident.sub_event_type == sub_event_type


# --------------------------------------------------------------------------- tolls


@pytest.mark.parametrize(
    ("text", "killed", "perpetrators"),
    [
        ("The bomber and 20 soldiers were killed when a car bomb exploded.", 21, 1),
        ("Twenty soldiers and the bomber were killed when a car bomb exploded.", 21, 1),
        ("A suicide attack killed 12 people, including the bomber.", 12, 1),
        ("A suicide bomber blew himself up at a funeral, killing 12 mourners.", 13, 1),
        ("Two suicide bombers attacked a checkpoint, killing five soldiers.", 7, 2),
        ("A suicide bomber was arrested before he could detonate his vest.", None, None),
        ("Soldiers repelled an attack on the post, killing 12 attackers.", 12, 12),
        ("Gunmen opened fire on a checkpoint, killing two soldiers.", 2, None),
        ("Gunmen kill the mayor's son in the old city", 1, None),  # active: not their death
        ("A suicide bomber blew himself up, killing the bomber and 7 civilians.", 8, 1),
        ("At least five people, including the bomber, were killed in the blast.", 5, 1),
        (
            "Assailants attacked a checkpoint. Four soldiers and two assailants were killed "
            "in the ensuing clash.",
            6,
            2,
        ),
    ],
)
def test_the_attackers_count_among_the_dead(
    text: str, killed: int | None, perpetrators: int | None
) -> None:
    incident = _one(text)
    assert (incident.killed, incident.killed_perpetrators) == (killed, perpetrators)


def test_an_attacker_killed_in_a_later_sentence_is_added() -> None:
    incident = _one("A car bomb exploded at a checkpoint, killing four soldiers. The bomber died.")
    assert (incident.killed, incident.killed_perpetrators) == (5, 1)


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Militants attacked a checkpoint, killing 6 soldiers. 2 militants were also killed.", 8),
        ("Militants attacked a checkpoint, killing 6 soldiers. Another two died later.", 8),
        (
            "Peshmerga and militants clashed. 2 Peshmerga killed, 3 militants killed.",
            5,
        ),
        ("Clashes left 3 soldiers killed and 4 militants killed.", 7),
        ("Shelling killed 5 people, including three children.", 5),  # a part, not more
        ("Regime forces and rebels clashed. 6 rebel fighters and 4 soldiers were killed.", 10),
        ("Gunmen shot dead a civilian at the market on Monday.", 1),  # "shot dead", not twice
        ("A roadside bomb struck a convoy, claiming the lives of 3 soldiers.", 3),
        ("A drone strike hit a vehicle near the village. Fatalities: 4.", 4),
        ("Shelling killed 5 people, three of them killed in their home.", 5),
    ],
)
def test_each_group_s_dead_are_added(text: str, killed: int) -> None:
    assert _one(text).killed == killed


def test_the_month_may_is_no_modal_verb() -> None:
    # "may" before a trigger makes it a possibility; the month does not
    found = _one("On 27 May 2021, gunmen shot dead a shopkeeper.")
    assert found.event_date == date(2021, 5, 27)
    assert _one("On 3rd May, gunmen shot dead a shopkeeper.").event_date == date(2020, 5, 3)
    assert _one("In May, gunmen shot dead a shopkeeper.").time_precision == 3
    assert _incidents("Militants may attack the town, officials warned.") == []


@pytest.mark.parametrize(
    ("text", "killed", "at_least"),
    [
        ("An airstrike killed dozens of civilians.", 12, True),
        ("Dozens were killed in the bombing.", 12, True),
        ("An airstrike killed tens of fighters.", 10, True),
        ("Hundreds were killed in the shelling.", 100, True),
        ("Between 10 and 15 people were killed in clashes.", 10, True),
        ("Clashes killed 10 to 15 fighters.", 10, True),
        ("Clashes killed 10-15 fighters.", 10, True),
        ("Twenty-five people were killed in a bombing.", 25, False),
        ("An air raid killed about 70 fighters.", 70, False),
        ("A policeman was killed in a bombing.", 1, False),
        ("Militants reportedly kill journalist in ambush", 1, False),
        ("The death toll from the bombing rose to 19.", 19, False),
        ("Militant group executes 300 prisoners", 300, False),
        ("Clashes killed a dozen fighters.", 12, False),
        ("Shelling killed 1,200 people over the siege.", 1200, False),
    ],
)
def test_numbers_by_acled_rules(text: str, killed: int, at_least: bool) -> None:
    incident = _one(text)
    assert (incident.killed, incident.killed_at_least) == (killed, at_least)


def test_a_toll_for_several_events_is_kept_once_on_an_aggregate_row() -> None:
    found = _incidents(
        "A car bomb exploded in the market. A roadside bomb hit a patrol near the bridge. "
        "The attacks killed 12 people."
    )
    assert [(i.label, i.killed, i.aggregate, i.events) for i in found] == [
        ("car bomb", None, False, 1),
        ("roadside bomb", None, False, 1),  # not copied onto the last event
        ("car bomb", 12, True, 2),
    ]
    summed = _incidents(
        "A car bomb exploded in the market. A rocket hit the base. Nine people died in all."
    )
    assert [(i.killed, i.aggregate) for i in summed] == [(None, False), (None, False), (9, True)]


@pytest.mark.parametrize(
    ("text", "events"),
    [
        ("Bombings in the capital killed 19 people.", 1),
        ("Twin bombings killed 40 people.", 2),
        ("Three bombings killed 25 people in Shiite districts.", 3),
    ],
)
def test_tolls_of_several_events_are_marked_aggregate(text: str, events: int) -> None:
    incident = _one(text)
    assert (incident.aggregate, incident.events) == (True, events)


def test_one_event_is_not_aggregate() -> None:
    assert not _one("A car bomb killed 19 people.").aggregate
    assert not _one("Three rockets killed two soldiers.").aggregate  # weapons, one event


# --------------------------------------------------------------------------- dates


def test_numeric_dates_follow_the_order_asked_for() -> None:
    text = "05/12/2019: a roadside bomb hit a patrol."
    month_first = extract_incidents(text, [], published=None).incidents[0]
    day_first = extract_incidents(text, [], published=None, dayfirst=True).incidents[0]
    assert (month_first.event_date, month_first.time_precision) == (date(2019, 5, 12), 1)
    assert day_first.event_date == date(2019, 12, 5)


def test_an_undated_row_claims_no_day() -> None:
    incident = _one("A roadside bomb hit a patrol on Tuesday.")
    assert incident.event_date is not None  # published: that Tuesday
    undated = extract_incidents("A roadside bomb hit a patrol on Tuesday.", []).incidents[0]
    assert undated.event_date is None
    assert undated.time_precision == 3
    assert "no published date" in undated.date_note


@pytest.mark.slow
def test_reports_without_a_published_date_are_said_once(
    gazetteer: object, caplog: pytest.LogCaptureFixture
) -> None:
    from geomap import Report, incidents_with_summary

    reports = [
        Report(id=f"r{k}", text="A roadside bomb hit a patrol in Kirkuk on Tuesday.")
        for k in range(3)
    ]
    with caplog.at_level("WARNING", logger="geomap.incidents"):
        run = incidents_with_summary(reports, gazetteer=gazetteer)  # type: ignore[arg-type]
    warned = [r for r in caplog.records if "published date" in r.getMessage()]
    assert len(warned) == 1
    assert "3 of 3 reports" in warned[0].getMessage()
    assert "--published" in warned[0].getMessage()
    assert run.summary.reports_without_published == 3
    caplog.clear()
    given = incidents_with_summary(reports, gazetteer=gazetteer, published=PUBLISHED)  # type: ignore[arg-type]
    assert not [r for r in caplog.records if "published date" in r.getMessage()]
    assert given.summary.reports_without_published == 0


@pytest.mark.slow
def test_a_report_in_another_language_reads_numeric_dates_day_first(gazetteer: object) -> None:
    from geomap import Report, incidents_from_reports

    text = "05/12/2019: a roadside bomb hit a patrol in Kirkuk."
    english = Report(id="en", text=text, language="en")
    french = Report(id="fr", text=text, language="fr")
    found = incidents_from_reports([english, french], gazetteer=gazetteer, merge=False)  # type: ignore[arg-type]
    assert [i.event_date for i in found] == [date(2019, 5, 12), date(2019, 12, 5)]
    forced = incidents_from_reports([english], gazetteer=gazetteer, dayfirst=True)  # type: ignore[arg-type]
    assert forced[0].event_date == date(2019, 12, 5)


@pytest.mark.parametrize(
    ("text", "precision"),
    [
        ("Around 9 October 2020 (week of), militants attacked a checkpoint, killing 3.", 2),
        ("Around 9 October 2020 (month of), gunmen killed a farmer.", 3),
        ("On 9 October 2020, gunmen killed a farmer.", 1),
    ],
)
def test_a_date_the_note_marks_as_a_week_or_a_month(text: str, precision: int) -> None:
    incident = _one(text)
    assert incident.event_date == date(2020, 10, 9) and incident.time_precision == precision


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Jihadists execute 15 security personnel in the city", 15),
        ("Militants execute four women near the river", 4),
        ("Forces 'kill' 55 militants in the old town", 55),
        ('Forces kill "34 militants" in the old town', 34),
        ("Militants kill family of 12 in the village", 12),
        ("Senior militant figure killed in the city: sources", 1),
        ("Military adviser killed in the capital", 1),
        ('Police kill IS "judge" in the old city', 1),
        ("Two soldiers die battling militants near the dam", 2),
        ("Militants claim beheading of a soldier", 1),
        ("Militants kill troops near the border - report", None),  # a killing, not counted
    ],
)
def test_headline_killings(text: str, killed: int | None) -> None:
    assert _one(text).killed == killed


def test_a_major_attack_is_no_person() -> None:
    assert _one("A major attack killed 5 people on Monday.").killed == 5


@pytest.mark.parametrize(
    "text",
    [
        "Militants attack army forces in the valley on Monday",  # a verb, with its object
        "Militants attacks the checkpoint on Monday",
        "Soldiers beat back a fresh militant assault on the town",
        "Kurdish forces repel militant offensives on two fronts",
        "Army launches assault on the militant bastion on Monday",
    ],
)
def test_headline_fighting(text: str) -> None:
    assert _one(text).event_type == "Battles"


def test_shells_is_shelling_but_shell_the_company_is_not() -> None:
    assert _one("The army shells militant positions near the river").label == "shelling"
    assert _incidents("Shell said on Monday its profits rose.") == []


def test_attacks_as_a_plural_noun_are_no_event() -> None:
    assert _incidents("Attacks on army posts have risen this year, officials said.") == []


@pytest.mark.parametrize(
    ("text", "event_type", "sub_event_type"),
    [
        (
            "Security forces seized a weapons cache in the village on Monday.",
            "Strategic developments",
            "Disrupted weapons use",
        ),
        (
            "The army dismantled an IED on the road on Monday.",
            "Strategic developments",
            "Disrupted weapons use",
        ),
        (
            "Around 50 teachers marched on Monday demanding unpaid salaries.",
            "Protests",
            "Peaceful protest",
        ),
        ("Families of missing persons held a vigil on Monday.", "Protests", "Peaceful protest"),
        (
            "Soldiers and militants exchanged fire on Monday. No casualties.",
            "Battles",
            "Armed clash",
        ),
        (
            "The army established a new base near the border on Monday.",
            "Strategic developments",
            "Headquarters or base established",
        ),
    ],
)
def test_notes_of_other_event_types(text: str, event_type: str, sub_event_type: str) -> None:
    incident = _one(text)
    assert (incident.event_type, incident.sub_event_type) == (event_type, sub_event_type)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("On 9th October 2020, gunmen killed a farmer.", date(2020, 10, 9)),
        ("On the 9th of October 2020, gunmen killed a farmer.", date(2020, 10, 9)),
        ("On 9 October, gunmen killed a farmer.", date(2020, 10, 9)),  # the published year
        ("June 3rd, 2015: gunmen killed a farmer.", date(2015, 6, 3)),
    ],
)
def test_day_first_dates_with_ordinals_or_no_year(text: str, day: date) -> None:
    incident = _one(text)
    assert (incident.event_date, incident.time_precision) == (day, 1)


def test_no_reported_casualties_is_zero() -> None:
    found = _one("A bomb exploded near a patrol. There were no reported casualties.")
    assert (found.killed, found.injured) == (0, 0)


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        (
            "A bomb killed five people at a market. No group claimed responsibility; however, "
            "sources attributed the attack to the Islamic State.",
            "Islamic State",
        ),
        (
            "Gunmen killed two farmers on Monday. Police blamed the attack on Boko Haram.",
            "Boko Haram",
        ),
    ],
)
def test_an_attribution_names_the_actor(text: str, actor: str) -> None:
    assert _one(text).actor1 == actor


# ------------------------------------------------------------------ headlines in the present


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        ("Army retakes the town from rebels", "Government regains territory"),
        ("Troops recapture the airport after a week of fighting", "Government regains territory"),
        ("Rebels seize the key town of the region", "Non-state actor overtakes territory"),
        ("Militants capture two villages in the north", "Non-state actor overtakes territory"),
        ("Soldiers storm the rebel base at dawn", "Armed clash"),
        ("Army pushes deeper into the rebel-held district", "Armed clash"),
        ("Troops advance on the town from three sides", "Armed clash"),
        ("Government forces close in on the last rebel stronghold", "Armed clash"),
        ("A bomber blows himself up at a wedding party", "Suicide bomb"),
        ("Gunmen abduct 12 passengers on the highway", "Abduction/forced disappearance"),
        ("Bandits kidnap a priest and two farmers", "Abduction/forced disappearance"),
        ("Gunmen took 20 hostages at the hotel", "Abduction/forced disappearance"),
        ("Police arrest 15 suspects at a checkpoint", "Arrests"),
        ("Militants downed an army helicopter", "Disrupted weapons use"),
        ("Soldiers destroy a rebel tunnel", "Looting/property destruction"),
        ("Angry residents storm the governor's office", "Violent demonstration"),
        ("Protesters torch a police station", "Violent demonstration"),
        ("Rebel forces fight the army in the hills", "Armed clash"),
        ("Troops edge into the old city", "Armed clash"),
        ("Insurgents launch an onslaught on the town", "Armed clash"),
        ("Army makes fresh gains in the east of the city", "Armed clash"),
        ('Forces "storm" the centre of the town', "Armed clash"),
        ("Government forces pound rebel-held suburbs", "Shelling/artillery/missile attack"),
        ("Militants blow up a bridge on the highway", "Looting/property destruction"),
        ("Troops seize the ancient site from militants", "Government regains territory"),
    ],
)
def test_headline_verbs_in_the_present(text: str, sub_event_type: str) -> None:
    assert _one(text).sub_event_type == sub_event_type


@pytest.mark.parametrize(
    "text",
    [
        "A storm hit the coast on Monday.",
        "Tropical storm Ana brought heavy rain.",
        "The arrest of the mayor was announced on Monday.",
        "Police seized five men and a car.",
        "The hostages were released on Monday.",
        "Troops release hostages after a siege",
        "A report on the retaking of the city was published.",
        "Rebels captured the commander of the town on Monday.",
        "Flour sold at 50 pounds a sack in the market on Monday.",
        "The militias said they were free to target all foreign bases.",
        "The army will retake the town, the minister said.",
    ],
)
def test_nouns_and_other_objects_are_no_event(text: str) -> None:
    assert _incidents(text) == []


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        ("Rebels retook the town on Sunday.", "Non-state actor overtakes territory"),
        ("The army overran the rebel camp on Sunday.", "Government regains territory"),
        ("The town was recaptured on Sunday.", "Government regains territory"),  # the verb's
    ],
)
def test_who_takes_ground_types_it(text: str, sub_event_type: str) -> None:
    assert _one(text).sub_event_type == sub_event_type


def test_a_storming_without_a_crowd_is_an_armed_raid() -> None:
    found = _one("Soldiers stormed a rebel camp on Sunday.")
    assert (found.event_type, found.sub_event_type) == ("Battles", "Armed clash")


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Gunmen massacre 12 farmers near the river", 12),
        ("Militants slaughter 30 villagers", 30),
        ("The militia reported the killing of 25 fighters on Sunday.", 25),
    ],
)
def test_massacres_and_the_killing_of(text: str, killed: int) -> None:
    assert _one(text).killed == killed


@pytest.mark.parametrize(
    "text",
    [
        "Several people killed in clashes on the border",
        "IS fighters killed trying to flee the city",
        "Army kills Saudi, Tunisian IS militants near the dam",
    ],
)
def test_a_killing_of_people_without_a_count_is_an_event(text: str) -> None:
    assert _one(text).killed is None


def test_a_sentence_of_participants_tells_more_of_the_event() -> None:
    found = _one(
        "On 3 March 2021, soldiers opened fire on protesters in the square. "
        "Two protesters were killed."
    )
    assert (found.sub_event_type, found.killed) == ("Excessive force against protesters", 2)


@pytest.mark.parametrize("victim", ["a local council member", "the mayor", "a village mukhtar"])
def test_local_officials_are_civilians(victim: str) -> None:
    found = _one(f"Unidentified gunmen shot dead {victim} on Sunday.")
    assert (found.event_type, found.sub_event_type) == ("Violence against civilians", "Attack")


@pytest.mark.parametrize("verb", ["fired on", "fire on", "shot at"])
def test_firing_on_protesters_is_excessive_force(verb: str) -> None:
    found = _one(f"On 3 March 2021, police {verb} protesters in the square.")
    assert found.sub_event_type == "Excessive force against protesters"


def test_of_two_equal_triggers_the_one_that_happened_types_the_event() -> None:
    found = _one("On 25 March 2021, unknown gunmen looted a shop in the market.")
    assert found.sub_event_type == "Looting/property destruction"


def test_attackers_named_in_a_second_group_of_dead_are_counted_once() -> None:
    found = _one(
        "Assailants opened fire on a checkpoint. Two police officers were killed and one "
        "assailant was killed."
    )
    assert (found.killed, found.killed_perpetrators) == (3, 1)


def test_an_unmanned_aerial_vehicle_is_a_drone_strike() -> None:
    found = _one("An unmanned aerial vehicle struck a vehicle on the road. Two men were killed.")
    assert found.sub_event_type == "Air/drone strike"


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        ("Dozens of graduates gathered outside the ministry to demand jobs.", "Peaceful protest"),
        ("Hundreds of people took to the streets calling for early elections.", "Peaceful protest"),
        ("Nurses staged a strike over unpaid salaries on Monday.", "Peaceful protest"),
        ("Retired officers held a march chanting slogans against corruption.", "Peaceful protest"),
        ("Contract workers picketed the water directorate on Monday.", "Peaceful protest"),
        ("Farmers blocked the Kut-Hilla highway over water shortages.", "Peaceful protest"),
        (
            "Residents took to the streets demanding the release of detained activists.",
            "Peaceful protest",
        ),
        ("On 14 March 2021, a crowd attacked a police station.", "Mob violence"),
    ],
)
def test_protests_as_event_notes_tell_them(text: str, sub_event_type: str) -> None:
    assert _one(text).sub_event_type == sub_event_type


@pytest.mark.parametrize(
    "text",
    [
        "Ministers gathered in the capital for talks on Monday.",
        "The convoy blocked the view of the cameras.",
    ],
)
def test_gathering_or_blocking_alone_is_no_protest(text: str) -> None:
    assert _incidents(text) == []


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        ("On 19 March 2021, security forces conducted a search operation in the area.", "Other"),
        ("On 19 March 2021, police raided a house in the old town.", "Other"),
        ("On 19 March 2021, the authorities imposed a curfew on the town.", "Other"),
        (
            "On 19 March 2021, troops conducted a security operation, killing 2 militants.",
            "Armed clash",
        ),
    ],
)
def test_operations_raids_and_curfews(text: str, sub_event_type: str) -> None:
    assert _one(text).sub_event_type == sub_event_type


def test_the_raid_refers_back_to_the_strike_told_before() -> None:
    found = _one(
        "On 19 March 2021, a drone strike hit a base, killing two fighters. "
        "Officials condemned the raid as a violation of sovereignty."
    )
    assert found.sub_event_type == "Air/drone strike"


@pytest.mark.parametrize(
    ("victims", "sub_event_type"),
    [("Twelve people were killed.", "Attack"), ("Two soldiers were killed.", "Armed clash")],
)
def test_victims_told_in_the_next_sentence_type_the_shooting(
    victims: str, sub_event_type: str
) -> None:
    found = _one(f"On 3 May 2019, assailants opened fire in the main square. {victims}")
    assert found.sub_event_type == sub_event_type


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        ("Unidentified gunmen killed a man and his son in the market.", 2, None),
        ("Gunmen killed a farmer and his two sons near the river.", 3, None),
        ("Gunmen killed a man and his son was wounded.", 1, 1),
    ],
)
def test_a_victim_and_his_kin(text: str, killed: int, injured: int | None) -> None:
    found = _one(text)
    assert (found.killed, found.injured) == (killed, injured)


@pytest.mark.parametrize(
    "text",
    [
        "Suspected Maoists killed a villager accused of being a police informer.",
        "Gunmen shot dead a man who worked for the army.",
    ],
)
def test_a_clause_about_the_victim_does_not_make_him_a_soldier(text: str) -> None:
    assert _one(text).sub_event_type == "Attack"


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        ("Pro-government militias kill 30 militants in the city, arrest others", "Armed clash"),
        ("On 5 May 2021, militants burned ten houses and killed two villagers.", "Attack"),
        (
            "On 5 May 2021, protesters torched a police station; a protester was killed.",
            "Violent demonstration",
        ),
    ],
)
def test_a_killing_outranks_arrests_and_arson(text: str, sub_event_type: str) -> None:
    assert _one(text).sub_event_type == sub_event_type


@pytest.mark.parametrize(
    "text",
    [
        "Six villages were destroyed by the floods on Monday.",
        "The autopilot takes control of the vehicle on the highway.",
        "A boy tried to blow up a market, prosecutors said on Monday.",
        "Mr Rossi's arrest comes days after the vote.",
        "He contemplated a hunger strike on Monday.",
        "Fire crews cut through the downed branches on Monday.",
        "A crowd gathered at the gallery for the opening on Monday.",
        "The group was formed to fight for an independent homeland.",
        "The quakes struck near the city on Monday, killing 250 people.",
        "A cyclone hit the coast on Monday.",
    ],
)
def test_general_news_lookalikes_are_no_event(text: str) -> None:
    assert _incidents(text) == []


def test_one_fatality_is_a_toll() -> None:
    found = _one("On 2 March 2019, soldiers shelled a village on the river. 1 fatality.")
    assert found.killed == 1


@pytest.mark.parametrize("victim", ["a Hindu priest", "two monks", "a pastor"])
def test_clergy_are_civilians(victim: str) -> None:
    found = _one(f"On 2 March 2019, unidentified gunmen killed {victim} in the town.")
    assert found.sub_event_type == "Attack"


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        ("On 1 July 2021, militants attacked a village in the district, killing 9.", "Attack"),
        ("On 1 July 2021, militants attacked an IDP camp, killing 18.", "Attack"),
        ("On 1 July 2021, gunmen attacked a bus on the highway, killing 4.", "Attack"),
        ("On 1 July 2021, militants attacked an army post in the village.", "Armed clash"),
    ],
)
def test_an_attack_on_a_village_or_a_bus_is_on_civilians(text: str, sub_event_type: str) -> None:
    assert _one(text).sub_event_type == sub_event_type

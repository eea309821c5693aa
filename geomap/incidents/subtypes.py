"""ACLED sub-event types that depend on more than the trigger word: who a shooting hit, and
what happened at a protest.

- **Shootings** (triggers of family ``shooting``: "gunmen opened fire", "shot dead", and a
  toll with no event word) are violence against civilians / Attack when their victims or
  target are civilians, and Battles / Armed clash when they are armed forces
  (:func:`geomap.incidents.cues.victims_kind`); otherwise the trigger's own type.
- **Attacks of unknown means** (family ``attack``: "militants attacked", "an attack on")
  are typed the same way by who they hit; when the clause names no victims or target of
  either kind they are Battles / Armed clash (most often armed groups' attacks on armed
  opponents), never an Explosions row without a sub-event type.
- **Demonstrations**: a protest whose participants use violence (stones, arson, storming) is
  Riots / Violent demonstration; one met with lethal force (live fire, protesters killed) is
  Protests / Excessive force against protesters; one dispersed or whose participants are
  arrested (tear gas, water cannon) is Protests / Protest with intervention; otherwise a
  peaceful protest. The cue words are roles of ``geomap/data/incident_words.csv``.
- **Storming** ("stormed", "troops storm the base") is a riot only when a protest or a
  crowd (residents, supporters, students) is told; otherwise it is an armed raid, typed by
  who it hit like a shooting.
- **A crowd's attack** ("a crowd attacked a police station") is Riots / Mob violence.
- **Taking ground** ("retook", "seized the town") is Battles / Government regains territory
  when the nearest actor before the verb is a state force (army, troops, police) and
  Battles / Non-state actor overtakes territory when it is an armed group (rebels,
  militants, militia); with no actor told, the verb's own reading ("retook" is the
  government's, "overran" an armed group's).
"""

from __future__ import annotations

from dataclasses import replace

from geomap.incidents import cues as _cues
from geomap.incidents.cues import Tok, Trigger, has_role

__all__ = [
    "crowd_type",
    "has_role",
    "protest_type",
    "shooting_type",
    "storming_type",
    "territory_type",
]

_ONE_SIDED = ("Violence against civilians", "Attack")
_GOVERNMENT = ("Government regains territory", "territory regained")
_NON_STATE = ("Non-state actor overtakes territory", "territory taken")
#: A storming with no protest or crowd told: an armed attack, typed by who it hit.
ARMED_RAID = Trigger(("stormed",), "Battles", "Armed clash", "armed attack", "shooting", 5, True)
_TWO_SIDED = ("Battles", "Armed clash")
#: What a protest becomes, by what the clause says: (event type, sub-event type, label).
_PROTEST_TYPES = {
    "protest_violence": ("Riots", "Violent demonstration", "riot"),
    "protest_force": ("Protests", "Excessive force against protesters", "protest"),
    "protest_intervention": ("Protests", "Protest with intervention", "protest"),
}
# Triggers a protest word outranks in typing: the protest is the event, they are its course.
# A bomb or an air strike on protesters stays what it is.
_PROTEST_COURSE = frozenset({"protest", "shooting", "arrests", "property", "riot", "clash"})


def shooting_type(trig: Trigger, toks: list[Tok], victims: str, target: str) -> Trigger:
    """A shooting's or an attack's type by who it hit (see the module notes); other
    triggers as they are."""
    if trig.family not in ("shooting", "attack"):
        return trig
    kind = _cues.victims_kind(toks, victims, target)
    if not kind:
        if trig.family == "attack":  # means and victims unknown: armed groups fought
            return replace(trig, event_type=_TWO_SIDED[0], sub_event_type=_TWO_SIDED[1])
        return trig
    event_type, sub = _ONE_SIDED if kind == "civilian" else _TWO_SIDED
    return replace(trig, event_type=event_type, sub_event_type=sub)


def protest_type(
    trig: Trigger, found: list[tuple[int, Trigger]], toks: list[Tok], killed: int | None
) -> Trigger:
    """A clause's type when a protest word is among its triggers (see the module notes)."""
    protest = next((t for _, t in found if t.family == "protest"), None)
    if protest is None or trig.family not in _PROTEST_COURSE:
        return trig
    for role, (event_type, sub, label) in _PROTEST_TYPES.items():
        lethal = role == "protest_force" and bool(killed)
        arrests = role == "protest_intervention" and trig.family == "arrests"
        if lethal or arrests or has_role(toks, role):
            return replace(protest, event_type=event_type, sub_event_type=sub, label=label)
    return protest


def storming_type(trig: Trigger, found: list[tuple[int, Trigger]], toks: list[Tok]) -> Trigger:
    """A storming's type: a riot when a protest or a crowd is told, else an armed raid."""
    if trig.family != "riot" or trig.words[0] not in ("stormed", "storm", "storms", "storming"):
        return trig
    if any(t.family == "protest" for _, t in found) or has_role(toks, "crowd"):
        return trig
    return ARMED_RAID


_CROWDS = frozenset({"crowd", "crowds", "throng"})


def crowd_type(trig: Trigger, toks: list[Tok], index: int) -> Trigger:
    """An attack whose subject is a crowd ("a crowd attacked a police station"): Riots / Mob
    violence, not an armed clash."""
    if trig.family not in ("attack", "shooting"):
        return trig
    if not any(t.low in _CROWDS for t in toks[max(0, index - 4) : index]):
        return trig
    return replace(trig, event_type="Riots", sub_event_type="Mob violence", label="mob attack")


def territory_type(trig: Trigger, toks: list[Tok], index: int) -> Trigger:
    """Who took ground, by the nearest actor word before the verb at ``index``."""
    if trig.family != "territory":
        return trig
    w = _cues.words()
    for k in range(index - 1, max(-1, index - 8), -1):
        if w.match(toks, k, "state_forces"):
            sub, label = _GOVERNMENT
            return replace(trig, sub_event_type=sub, label=label)
        if w.match(toks, k, "non_state"):
            sub, label = _NON_STATE
            return replace(trig, sub_event_type=sub, label=label)
    return trig

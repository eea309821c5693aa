"""Extraction: the sentences of a report that tell of an event, as incident records.

For each sentence (or clause, when a sentence tells of two events) with a trigger word
(``geomap/data/incident_triggers.csv``: "drone strike", "rockets", "roadside bomb",
"clashes", "protest" ...):

1. **Is it an event?** A plan, threat or wish ("vowed to revive attacks", "would be carried
   out using missiles") is not; nor is a generic plural with no count ("assaults on US
   troops"); nor a generic attack with no place, date, count or casualty.
2. **What**: the most specific trigger gives ACLED's event_type and sub_event_type and a
   plain label; "four more attacks" stands for 4 events. Shootings and protests are typed
   by what the clause says (:mod:`geomap.incidents.subtypes`).
3. **Where** (:func:`choose_place`): the place the trigger happened at, not every place of
   the sentence. A place is *linked* to the event when a locative preposition governs it
   ("in Babel province", "near Erbil airport"), when it is the object of a strike verb
   ("struck the Ain al-Asad airbase"), the subject of a passive one ("X was targeted"), or
   names the event ("the Ain al-Asad attack"). Places are *left out* when they modify an
   actor ("a U.S. drone strike", "US forces"), are a reference point set off by a comma
   ("Babel province, south of Baghdad"), follow a non-event head ("talks in Washington") or
   give an origin ("launched from Iran"). Of the linked places the finest wins (a base over
   its province over its country), then the nearest to the trigger.
4. **When**: the date phrase of the clause, or else the sentence, or else the last one of
   the paragraph; narrative phrases ("less than a week later") count from the event told
   before; with no phrase at all, the week before the published date.
5. **Who**: who claimed or did it, and who or what was targeted.
6. **How many**: killed and injured with "at least" flags, zeros said outright ("No
   injuries reported"), projectiles; by ACLED's rules, the attackers among the dead
   (:mod:`geomap.incidents.counts`), and a toll for several events kept once on an aggregate row.

A sentence without a trigger that gives casualties or a claim adds them to the event told
just before it, or is an event of its own when none was ("Five killed in X"); a toll for
several events told before ("the attacks killed 12") becomes their aggregate row; "the
attack" refers back to an earlier event of the report and adds to it.
"""

from __future__ import annotations

import hashlib
import logging
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Protocol, TypeVar

from geomap.geoparser.text import sentence_spans
from geomap.incidents import counts as _counts
from geomap.incidents import cues as _cues
from geomap.incidents.cues import Tok, Trigger
from geomap.incidents.dates import (
    DateGuess,
    DatePhrase,
    find_date_phrases,
    resolve_date_phrase,
    stated_precision,
)
from geomap.incidents.subtypes import (
    crowd_type,
    has_role,
    protest_type,
    shooting_type,
    storming_type,
    territory_type,
)
from geomap.incidents.where import (
    FEATURE_RANK,
    GENERIC_AFTER,
    PlaceChoice,
    choose_place,
    placement,
)
from geomap.records import Incident, Mention

__all__ = ["FEATURE_RANK", "Extraction", "choose_place", "extract_incidents", "incident_id"]

logger = logging.getLogger(__name__)


class _HasSpan(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


_Spanned = TypeVar("_Spanned", bound=_HasSpan)
_GEO_PRECISION = {0: 1, 1: 1, 2: 2, 3: 3, 4: 4}
_IRREALIS_WINDOW = 6
_CLAUSE_BREAK = re.compile(r";|\s(?:while|whereas)\s|,\s+but\s")
_ORDINALS = frozenset(
    "second third fourth latest same earlier previous first last ensuing subsequent resulting"
    " following".split()
)  # "the ensuing clash": the event told before, going on
_UNRESOLVED = re.compile(
    r"\b(?:in|near|at|outside)\s+(?:the\s+)?((?:[A-Z][\w'’-]+)(?:\s+(?:al-|of\s+)?[A-Z][\w'’-]+)*)"
)


@dataclass(slots=True)
class _Draft:
    """An incident being assembled from one or more sentences of a report."""

    trigger: Trigger
    start: int  # the sentence's offsets
    end: int
    trigger_at: int
    paragraph: int
    place: PlaceChoice | None = None
    date: DateGuess | None = None
    date_own: bool = False
    events: int = 1
    killed: int | None = None
    killed_at_least: bool = False
    perpetrators: int | None = None  # attackers among the dead
    perpetrators_included: bool = False  # ``killed`` already counts them
    injured: int | None = None
    injured_at_least: bool = False
    projectiles: int | None = None
    actor1: str = ""
    actor2: str = ""
    backref: bool = False
    realis: bool = False
    total: bool = False  # a row made for a toll given for several events told before
    plural: bool = False  # told with a plural event noun ("the attacks")
    unresolved: list[str] = field(default_factory=list)

    def take_casualties(self, cas: _cues.Casualties) -> None:
        """Set the counts a clause gives."""
        self.killed, self.killed_at_least = cas.killed, cas.killed_at_least
        self.injured, self.injured_at_least = cas.injured, cas.injured_at_least
        self.perpetrators, self.perpetrators_included = cas.perpetrators, cas.perpetrators_included

    @property
    def killed_total(self) -> int | None:
        """Every reported death, the attackers' included (ACLED's fatalities)."""
        if self.killed is None and self.perpetrators is None:
            return None
        extra = 0 if self.perpetrators_included else self.perpetrators or 0
        return (self.killed or 0) + extra

    def add(self, other: _Draft) -> None:
        """Fill what this draft lacks from another telling of the same event."""
        if self.place is None or (
            other.place is not None
            and other.place.linked
            and FEATURE_RANK[other.place.place.feature] < FEATURE_RANK[self.place.place.feature]
            and other.place.place.country == self.place.place.country
        ):
            self.place = other.place or self.place
        if self.date is None or (not self.date_own and other.date_own):
            self.date, self.date_own = other.date, other.date_own
        for name in ("killed", "injured"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if theirs is not None and (mine is None or theirs > mine):
                setattr(self, name, theirs)
                setattr(self, f"{name}_at_least", getattr(other, f"{name}_at_least"))
                if name == "killed":  # whether the count includes the attackers goes with it
                    self.perpetrators_included = other.perpetrators_included
        if other.perpetrators is not None and (self.perpetrators or 0) < other.perpetrators:
            self.perpetrators = other.perpetrators
        if self.projectiles is None:
            self.projectiles = other.projectiles
        self.actor1 = self.actor1 or other.actor1
        self.actor2 = self.actor2 or other.actor2
        if self.trigger.family == "attack" and other.trigger.family != "attack":
            self.trigger = other.trigger
        self.realis |= other.realis


@dataclass(frozen=True, slots=True)
class Extraction:
    """The incidents of one report and the place names near them left unresolved."""

    incidents: list[Incident]
    unresolved: list[str]


def _paragraphs(text: str) -> list[int]:
    """Start offsets of the report's paragraphs (lines; blank lines do not count)."""
    return [0] + [m.end() for m in re.finditer(r"\n(?:[ \t]*\n)*", text)]


def _paragraph_of(starts: list[int], offset: int) -> int:
    lo = 0
    for k, s in enumerate(starts):
        if s <= offset:
            lo = k
        else:
            break
    return lo


# -- one report -------------------------------------------------------------------------


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    s = start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        spans.append((s, m.start()))
        s = m.end()
    spans.append((s, end))
    return spans


def _irrealis(toks: list[Tok], i: int, dates: Sequence[DatePhrase]) -> bool:
    """Whether a plan, threat or wish word comes before the trigger at ``i``. A word inside
    one of the clause's date phrases is none: "On 27 May 2021" names the month, not "may"."""
    w = _cues.words()
    lo = max(0, i - _IRREALIS_WINDOW)
    return any(
        w.match(toks, k, "irrealis") and not any(p.start <= toks[k].start < p.end for p in dates)
        for k in range(lo, i)
    ) or (i > 0 and toks[i - 1].low in ("no", "not", "without"))


def _backref(toks: list[Tok], i: int, mentions: Sequence[Mention]) -> bool:
    """ "the attack", "the Babel strike", "the Ain Al-Asad attack": a reference back."""
    k = i - 1
    covered = {(m.start, m.end) for m in mentions}
    while k >= 0 and (
        any(s <= toks[k].start < e for s, e in covered)
        or toks[k].low in GENERIC_AFTER
        or toks[k].low in _ORDINALS
        or toks[k].low in _cues.words().triggers  # "the rocket attack"
    ):
        k -= 1
    return k >= 0 and bool(_cues.words().match(toks, k, "backref"))


def _inside(items: Sequence[_Spanned], starts: list[int], start: int, end: int) -> list[_Spanned]:
    """The items (in order of start) between start and end: a bisection, not a scan of the
    report, so that a long report costs linear time, not quadratic."""
    window = items[bisect_left(starts, start) : bisect_right(starts, end)]
    return [x for x in window if x.end <= end]


def _date_for(ctx: _Context, start: int, end: int, trigger_at: int) -> DatePhrase | None:
    inside = _inside(ctx.phrases, ctx.phrase_starts, start, end)
    if not inside:
        return None
    return min(inside, key=lambda p: abs(p.start - trigger_at))


@dataclass(slots=True)
class _Context:
    text: str
    mentions: list[Mention]
    phrases: list[DatePhrase]
    published: date | datetime | None
    paragraphs: list[int]
    dayfirst: bool = False
    drafts: list[_Draft] = field(default_factory=list)
    last_date: dict[int, DateGuess] = field(default_factory=dict)  # by paragraph
    mention_starts: list[int] = field(init=False)
    phrase_starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.mentions.sort(key=lambda m: m.start)  # stable: the order of equal starts stays
        self.mention_starts = [m.start for m in self.mentions]
        self.phrase_starts = [p.start for p in self.phrases]  # finditer's order

    def anchor(self) -> DateGuess | None:
        for d in reversed(self.drafts):
            if d.date is not None and (d.date.day is not None or d.date_own):
                return d.date
        return None


#: The event a clause that gives a toll but no trigger tells of ("Five killed in Baghdad"):
#: an armed attack, retyped by its victims like a shooting.
_KILLING = Trigger(("killed",), "Battles", "Armed clash", "killing", "shooting", 0, True)
#: Sub-event families that are not the event when the clause tells of people killed.
_NOT_KILLING = frozenset({"arrests", "property"})
#: An aggregate row's type when the events it sums differ in type.
_SEVERAL = Trigger(("attacks",), "Explosions/Remote violence", "", "attacks", "attack", 1, True)


def _toll_trigger(toks: list[Tok]) -> list[tuple[int, Trigger]]:
    w = _cues.words()
    for k in range(len(toks)):
        if w.match(toks, k, "killed") is not None or w.match(toks, k, "injured") is not None:
            return [(k, _KILLING)]
    return []


def _verb_with_object(toks: list[Tok], i: int) -> bool:
    """ "Islamic State attacks Iraqi forces", "militants strikes the town": a verb with its
    object after it (a name, an article, armed forces), not a plural noun ("attacks on")."""
    if i == 0 or i + 1 >= len(toks):
        return False
    nxt = toks[i + 1]
    people = _cues.words().people
    return nxt.text[:1].isupper() or nxt.low in ("the", "a", "an") or (nxt.low,) in people


#: How far the object of a verb of killing may run: "kills Saudi, Tunisian IS militants".
_OBJECT_WORDS = 7


def _people_killed(toks: list[Tok]) -> bool:
    """A killing of people the text does not count: "Islamic State kills Iraq troops near
    the border", "kills Saudi, Tunisian IS militants" (a verb of killing, then soldiers or
    civilians within its object), or "IS fighters killed", "Several people killed" (a
    headline's passive, the people right before it)."""
    w = _cues.words()
    for k in range(len(toks)):
        said = w.match(toks, k, "killed")
        if said is None or toks[k].low not in ("kill", "kills", "killed", "killing"):
            continue
        if k > 0 and toks[k - 1].low in ("no", "not"):
            continue
        if toks[k].low == "killed" and k > 0 and (toks[k - 1].low,) in w.people:
            return True
        for t in toks[k + said[0] : k + said[0] + _OBJECT_WORDS]:
            if (t.low,) in w.people:
                return True
            if t.low in _cues.NP_STOP:
                break
    return False


def _suicide_attackers(d: _Draft, toks: list[Tok], index: int) -> None:
    """A suicide attack kills its attackers: count them among the dead unless the text says
    how many of the dead they were, or that they did not die ("arrested")."""
    if (
        d.trigger.family != "suicide"
        or d.perpetrators is not None
        or has_role(toks, "unharmed_attacker")
    ):
        return
    named = _counts.perpetrator_count(_cues.words(), toks, index)
    d.perpetrators, d.perpetrators_included = max(named, d.events), False


def _draft(
    ctx: _Context, span: tuple[int, int], sentence: tuple[int, int], *, toll_only: bool = False
) -> _Draft | None:
    text = ctx.text
    toks = _cues.tokens(text, *span)
    found = _toll_trigger(toks) if toll_only else _cues.find_triggers(toks)
    if not found:
        return None
    if toll_only and any(t.family == "disaster" for _, t in _cues.find_triggers(toks)):
        return None  # "The quakes struck near Tabriz, killing 250": no conflict's dead
    # the words of lookalikes say nothing of the event: "the release of detained activists"
    # is no arrest at a protest
    hidden = {
        i + n
        for i, t in found
        if t.family in ("not_event", "disaster")
        for n in range(len(t.words))
    }
    dates = _inside(ctx.phrases, ctx.phrase_starts, *span)
    actor = _cues.claimed_by(text, toks)
    at = text.find(actor, span[0], span[1]) if actor else -1
    mentions = [
        m
        for m in _inside(ctx.mentions, ctx.mention_starts, *span)
        if not (at >= 0 and at <= m.start and m.end <= at + len(actor))  # inside the actor
    ]
    place_starts = frozenset(m.start for m in mentions if m.place is not None)
    found = [
        (i, t)
        for i, t in found
        if t.family not in ("not_event", "disaster")
        and not _irrealis(toks, i, dates)
        and _cues.in_use(toks, i, t, place_starts)  # "a storm", "seized five fighters"
    ]
    if not found:
        return None  # "vowed to revive attacks", "would be carried out using missiles"
    # the most specific trigger; of two as specific, one that says something happened
    # ("gunmen looted a shop": the looting, not the gunmen)
    index, trig = max(found, key=lambda f: (f[1].rank, f[1].realis))
    cas = _cues.casualties(text, toks)
    toll = bool(cas.killed or cas.injured or cas.perpetrators)
    # "Assailants stormed a village": no crowd, an armed raid; "retook", "seized": by whom
    trig = territory_type(storming_type(trig, found, toks), toks, index)
    protest = any(t.family == "protest" for _, t in found)
    if cas.killed and (trig.family == "operation" or (trig.family in _NOT_KILLING and not protest)):
        # "a security operation ... killing 2 militants", "militias kill 30 militants in
        # Ramadi, arrest others": the killing is the event, typed by its dead
        trig = _KILLING
    if toll_only and (has_role(toks, "cumulative") or not (toll or _people_killed(toks))):
        return None  # "No one was killed", "thousands have been killed since 2014"
    trigger_at = toks[index].start
    para = _paragraph_of(ctx.paragraphs, span[0])
    d = _Draft(trig, sentence[0], sentence[1], trigger_at, para)
    d.events = _cues.events_count(toks, index, trig)
    phrase = _date_for(ctx, span[0], span[1], trigger_at)
    if phrase is not None:
        d.date = resolve_date_phrase(
            phrase, published=ctx.published, anchor=ctx.anchor(), dayfirst=ctx.dayfirst
        )
        d.date = stated_precision(d.date, text[phrase.end : phrase.end + 24])
        d.date_own = True
        ctx.last_date[para] = d.date  # later sentences of the paragraph share it
    elif para in ctx.last_date:
        d.date = ctx.last_date[para]
    generic_plural = (
        trig.family == "attack"
        and toks[index].low.endswith("s")
        and not _verb_with_object(toks, index)
    )
    d.plural = generic_plural or _cues.several_events(trig)
    if generic_plural and d.events == 1 and not toll:
        return None  # "attacks on US troops", "a series of attacks": not one event
    d.backref = any(_backref(toks, i, mentions) for i, _ in found)
    d.place = choose_place(mentions, toks, text, trigger_at)
    if d.place is None:
        d.unresolved = [m.group(1) for m in _UNRESOLVED.finditer(text, *span)]
    d.take_casualties(cas)
    _suicide_attackers(d, toks, index)
    d.projectiles = _cues.projectiles(toks)
    d.actor1 = actor or _modifier_actor(mentions, toks, index, text)
    target, how = _cues.target(text, toks, index)
    if target and d.place and target.lower().startswith(d.place.mention.surface.lower()):
        target = ""
    d.actor2 = (target if how == "passive" else "") or cas.victims or target
    visible = [tok for k, tok in enumerate(toks) if k not in hidden]
    d.trigger = crowd_type(
        protest_type(shooting_type(trig, toks, cas.victims, target), found, visible, cas.killed),
        toks,
        index,
    )
    w = _cues.words()
    d.realis = trig.realis or any(w.match(toks, k, "link_verb") for k in range(len(toks)))
    told = (
        d.place is not None
        or d.date_own
        or d.killed is not None
        or d.injured is not None
        or d.events > 1
    )
    if trig.family == "attack" and not told:
        return None  # "US Forces were targeted": too vague to be an incident
    return d


def _modifier_actor(mentions: Sequence[Mention], toks: list[Tok], index: int, text: str) -> str:
    """ "a U.S. drone strike", "an Israeli airstrike": the country that struck."""
    trig_start = toks[index].start
    for m in mentions:
        adjacent = 0 < trig_start - m.end <= 2 and text[m.end : trig_start].strip() == ""
        if adjacent and (m.kind == "demonym" or (m.place and m.place.feature == "country")):
            return m.surface
    return ""


def _several_told(toks: list[Tok]) -> bool:
    """ "the attacks killed", "both blasts", "in total": a toll for events told before."""
    w = _cues.words()
    lows = [t.low for t in toks]
    if any(lows[k : k + 2] in (["in", "total"], ["in", "all"]) for k in range(len(lows))):
        return True
    if "altogether" in lows or "combined" in lows:
        return True
    for k, tok in enumerate(toks):
        if k and (tok.low,) in w.roles["several"]:
            before = lows[k - 1]
            if before in ("the", "these", "both", "two", "three", "four", "twin"):
                return True
    return False


def _aggregate(ctx: _Context, told: list[_Draft], extra: _Draft) -> None:
    """One row for a toll given for several events told before: their common type, place
    and date where they share one; each event keeps its own counts."""
    first = told[0]
    same = all(d.trigger.family == first.trigger.family for d in told)
    agg = _Draft(
        first.trigger if same else _SEVERAL, extra.start, extra.end, extra.start, extra.paragraph
    )
    places = {d.place.place.id if d.place else "" for d in told}
    agg.place = first.place if len(places) == 1 else None
    days = {d.date.day if d.date else None for d in told}
    agg.date = first.date if len(days) == 1 else None
    agg.events = sum(d.events for d in told)
    agg.killed, agg.killed_at_least = extra.killed, extra.killed_at_least
    agg.injured, agg.injured_at_least = extra.injured, extra.injured_at_least
    agg.perpetrators, agg.perpetrators_included = extra.perpetrators, extra.perpetrators_included
    agg.actor1, agg.total, agg.realis = extra.actor1, True, True
    ctx.drafts.append(agg)


def _follow_up(ctx: _Context, sentence: tuple[int, int]) -> bool:
    """A sentence with casualties or a claim but no trigger adds them to the last event, or
    when it gives a toll for several events told before, becomes their aggregate row.
    True when the sentence was used."""
    if not ctx.drafts:
        return False
    last = ctx.drafts[-1]
    para = _paragraph_of(ctx.paragraphs, sentence[0])
    if para - last.paragraph > 1:
        return False
    toks = _cues.tokens(ctx.text, *sentence)
    cas = _cues.casualties(ctx.text, toks)
    actor = _cues.claimed_by(ctx.text, toks)
    if cas.killed is None and cas.injured is None and cas.perpetrators is None and not actor:
        return False
    extra = _Draft(last.trigger, *sentence, sentence[0], last.paragraph)
    extra.take_casualties(cas)
    extra.actor1 = actor
    if not last.actor2 and cas.victims:  # "Assailants opened fire. Twelve people were killed."
        last.trigger = shooting_type(last.trigger, toks, cas.victims, "")
        last.actor2 = cas.victims
    told = [d for d in ctx.drafts if para - d.paragraph <= 1 and not d.total]
    if len(told) > 1 and (extra.killed_total or extra.injured) and _several_told(toks):
        _aggregate(ctx, told, extra)
    elif _more_dead(toks) and last.killed is not None and extra.killed:
        last.killed += extra.killed  # "Two militants were also killed": more of the dead
        last.killed_at_least |= extra.killed_at_least
    else:
        last.add(extra)
    return True


def _more_dead(toks: list[Tok]) -> bool:
    """A follow-up toll of other dead, added to the event's: "two militants were also
    killed", "another three died later", "killed as well"."""
    lows = [t.low for t in toks]
    return "also" in lows or "another" in lows or ("as", "well") in pairwise(lows)


def _more_of_the_last(ctx: _Context, d: _Draft) -> bool:
    """Whether a sentence tells more of the event just told rather than a new one: its only
    event word names participants ("protesters", "gunmen": no word that says something
    happened), of the same kind as the last event's, and it gives no place or date of its
    own."""
    if not ctx.drafts or d.trigger.realis or d.place is not None or d.date_own:
        return False
    last = ctx.drafts[-1]
    return last.trigger.family == d.trigger.family and d.paragraph - last.paragraph <= 1


def _attach(ctx: _Context, d: _Draft) -> bool:
    """Add a reference back ("the attack") to the earlier event it names; True if added.

    A plural one ("the attacks killed 12") after several events of the paragraph gives
    their total: it becomes their aggregate row rather than adding to the last one."""
    if not d.backref:
        return False
    told = [e for e in ctx.drafts if d.paragraph - e.paragraph <= 1 and not e.total]
    if d.plural and len(told) > 1:
        if d.killed_total or d.injured:
            _aggregate(ctx, told, d)
        return True
    for earlier in reversed(ctx.drafts):
        compatible = (  # "the attack", "the raid" name any event
            d.trigger.family in (earlier.trigger.family, "attack", "operation")
            or earlier.trigger.family == "attack"
        )
        same_place = d.place is None or (
            earlier.place is not None and earlier.place.place.id == d.place.place.id
        )
        if compatible and same_place:
            if d.date_own:  # its date phrase tells when the other was told, not when it was
                d.date, d.date_own = None, False
            earlier.add(d)
            return True
    return False


def incident_id(*parts: object) -> str:
    """A stable id: the first 16 hex digits of a SHA-1 of the parts."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"gm-{digest[:16]}"


def _confidence(d: _Draft) -> float:
    score = 0.35 + (0.1 if d.trigger.rank >= 6 else 0.0)
    if d.place is not None:
        score += 0.2 if d.place.linked else 0.08
    if d.date is not None and d.date.day is not None:
        score += 0.1 if d.date_own else 0.05
    if d.killed is not None or d.injured is not None:
        score += 0.1
    if d.realis:
        score += 0.1
    return round(min(score, 0.95), 2)


def _aggregate_counts(d: _Draft) -> bool:
    """Whether the row's counts are a total over several events: a toll told for events
    before, or counts given with several events ("four attacks", "bombings")."""
    counted = bool(d.killed_total or d.injured)
    return d.total or (counted and (d.events > 1 or _cues.several_events(d.trigger)))


def _incident(d: _Draft, report: _ReportInfo, text: str) -> Incident:
    place = d.place
    cand = place.place if place else None
    rank = FEATURE_RANK.get(cand.feature, 2) if cand else 4
    where = placement(place, text, _GEO_PRECISION[rank]) if place else None
    if where is not None and where.unresolved:  # a name placed at its parent
        d.unresolved.append(where.unresolved)
    geo = where.geo_precision if where else _GEO_PRECISION[rank]
    relation = where.relation if where else ""
    day, precision, phrase, note = None, 1, "", "no date in the text and no published date"
    if d.date is not None:
        day, precision, phrase, note = d.date.day, d.date.precision, d.date.phrase, d.date.note
    elif report.published is not None:  # nothing said: the week up to the published date
        pub = report.published
        day = (pub.date() if isinstance(pub, datetime) else pub) - timedelta(days=6)
        precision, note = 2, "no date in the text: the week to the published date"
    if day is None:  # no day claimed: the coarsest precision, not a day's
        precision = 3
    label = d.trigger.label
    if d.trigger.family == "attack" and "convoy" in d.actor2.lower():
        label = "convoy attack"
    quote = text[d.start : d.end].strip()
    qstart = d.start + (len(text[d.start : d.end]) - len(text[d.start : d.end].lstrip()))
    offset = report.text_offset
    return Incident(
        incident_id=incident_id(report.id, d.start, d.trigger.label),
        event_date=day,
        time_precision=precision,
        date_phrase=phrase,
        event_type=d.trigger.event_type,
        sub_event_type=d.trigger.sub_event_type,
        label=label,
        location=where.location if where else "",
        place_id=cand.id if cand else "",
        latitude=where.lat if where else None,
        longitude=where.lon if where else None,
        geo_precision=geo,
        country=cand.country if cand else "",
        admin1=cand.admin1 if cand else "",
        admin1_code=cand.admin1_code if cand else "",
        relation=relation,
        actor1=d.actor1,
        actor2=d.actor2,
        killed=d.killed_total,
        killed_at_least=d.killed_at_least,
        killed_perpetrators=d.perpetrators,
        injured=d.injured,
        injured_at_least=d.injured_at_least,
        projectiles=d.projectiles,
        events=d.events,
        aggregate=_aggregate_counts(d),
        date_note=note,
        quote=quote,
        quote_start=qstart + offset,
        quote_end=qstart + len(quote) + offset,
        report_id=report.id,
        source=report.source,
        url=report.url,
        sources=(report.source,) if report.source else (),
        report_ids=(report.id,),
        confidence=_confidence(d),
    )


@dataclass(frozen=True, slots=True)
class _ReportInfo:
    id: str
    source: str
    url: str
    published: date | datetime | None
    text_offset: int


def extract_incidents(
    text: str,
    mentions: Sequence[Mention],
    *,
    report_id: str = "",
    published: date | datetime | None = None,
    source: str = "",
    url: str = "",
    text_offset: int = 0,
    dayfirst: bool = False,
) -> Extraction:
    """The incidents a report's text tells of, one per event, in text order.

    Parameters
    ----------
    text
        The report's text.
    mentions
        Its place mentions, from :func:`geomap.geoparser.parse.geoparse`.
    report_id, source, url
        Provenance copied to every incident.
    published
        When the report was published: the base of "on Tuesday" and "last month". Without
        it such dates stay unresolved and ``date_note`` says why.
    text_offset
        Where ``text`` starts in its file (after front matter): added to quote offsets.
    dayfirst
        Read numeric dates day first ("05/12/2019" is 5 December); by default month first
        (May 12), and a date impossible in one order is read in the other.

    Returns
    -------
    Extraction
        The incidents (not merged across reports) and place names left unresolved.
    """
    phrases = find_date_phrases(text)
    ctx = _Context(text, list(mentions), phrases, published, _paragraphs(text), dayfirst)
    for sentence in sentence_spans(text):
        clauses = _clauses(text, *sentence)
        drafts = [d for c in clauses if (d := _draft(ctx, c, sentence)) is not None]
        if len(drafts) == 1 and len(clauses) > 1:  # one event: the whole sentence is its scope
            drafts = [d for d in [_draft(ctx, sentence, sentence)] if d is not None]
        if len(drafts) == 1 and _more_of_the_last(ctx, drafts[0]) and _follow_up(ctx, sentence):
            continue  # "... opened fire on protesters in X. Two protesters were killed."
        if not drafts:
            if not _follow_up(ctx, sentence):  # a toll with no event word: "Five killed in X"
                drafts = [d for d in [_draft(ctx, sentence, sentence, toll_only=True)] if d]
            if not drafts:
                continue
        for d in drafts:
            if _attach(ctx, d):
                continue
            if d.backref and d.trigger.family == "operation" and ctx.drafts:
                continue  # "officials in Baghdad condemned the raid": the strike told before
            ctx.drafts.append(d)
    info = _ReportInfo(report_id, source, url, published, text_offset)
    incidents = [_incident(d, info, text) for d in ctx.drafts]
    known = {m.surface for m in mentions if not m.decision.approximate}
    unresolved = [name for d in ctx.drafts for name in d.unresolved if name not in known]
    logger.debug("report %s: %d incidents", report_id, len(incidents))
    return Extraction(incidents, unresolved)

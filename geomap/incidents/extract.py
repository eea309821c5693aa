"""Extraction: the sentences of a report that tell of an event, as incident records.

For each sentence (or clause, when a sentence tells of two events) with a trigger word
(``geomap/data/incident_triggers.csv``: "drone strike", "rockets", "roadside bomb",
"clashes", "protest" ...):

1. **Is it an event?** A plan, threat or wish ("vowed to revive attacks", "would be carried
   out using missiles") is not; nor is a generic plural with no count ("assaults on US
   troops"); nor a generic attack with no place, date, count or casualty.
2. **What**: the most specific trigger gives ACLED's event_type and sub_event_type and a
   plain label; "four more attacks" stands for 4 events.
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
   injuries reported"), projectiles.

A sentence without a trigger that gives casualties or a claim adds them to the event told
just before it; "the attack" refers back to an earlier event of the report and adds to it.
"""

from __future__ import annotations

import hashlib
import logging
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol, TypeVar

from geomap.geoparser.text import sentence_spans
from geomap.incidents import cues as _cues
from geomap.incidents.cues import Tok, Trigger
from geomap.incidents.dates import DateGuess, DatePhrase, find_date_phrases, resolve_date_phrase
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
_ORDINALS = frozenset("second third fourth latest same earlier previous first last".split())
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
    injured: int | None = None
    injured_at_least: bool = False
    projectiles: int | None = None
    actor1: str = ""
    actor2: str = ""
    backref: bool = False
    realis: bool = False
    unresolved: list[str] = field(default_factory=list)

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


def _irrealis(toks: list[Tok], i: int) -> bool:
    w = _cues.words()
    lo = max(0, i - _IRREALIS_WINDOW)
    return any(w.match(toks, k, "irrealis") for k in range(lo, i)) or (
        i > 0 and toks[i - 1].low in ("no", "not", "without")
    )


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


def _draft(ctx: _Context, span: tuple[int, int], sentence: tuple[int, int]) -> _Draft | None:
    text = ctx.text
    toks = _cues.tokens(text, *span)
    found = _cues.find_triggers(toks)
    if not found:
        return None
    found = [(i, t) for i, t in found if not _irrealis(toks, i)]
    if not found:
        return None  # "vowed to revive attacks", "would be carried out using missiles"
    index, trig = max(found, key=lambda f: f[1].rank)
    actor = _cues.claimed_by(text, toks)
    at = text.find(actor, span[0], span[1]) if actor else -1
    mentions = [
        m
        for m in _inside(ctx.mentions, ctx.mention_starts, *span)
        if not (at >= 0 and at <= m.start and m.end <= at + len(actor))  # inside the actor
    ]
    trigger_at = toks[index].start
    para = _paragraph_of(ctx.paragraphs, span[0])
    d = _Draft(trig, sentence[0], sentence[1], trigger_at, para)
    d.events = _cues.events_count(toks, index, trig)
    phrase = _date_for(ctx, span[0], span[1], trigger_at)
    if phrase is not None:
        d.date = resolve_date_phrase(phrase, published=ctx.published, anchor=ctx.anchor())
        d.date_own = True
        ctx.last_date[para] = d.date  # later sentences of the paragraph share it
    elif para in ctx.last_date:
        d.date = ctx.last_date[para]
    generic_plural = trig.family == "attack" and toks[index].low.endswith("s")
    if generic_plural and d.events == 1:
        return None  # "attacks on US troops", "a series of attacks": not one event
    d.backref = any(_backref(toks, i, mentions) for i, _ in found)
    d.place = choose_place(mentions, toks, text, trigger_at)
    if d.place is None:
        d.unresolved = [m.group(1) for m in _UNRESOLVED.finditer(text, *span)]
    cas = _cues.casualties(text, toks)
    d.killed, d.killed_at_least = cas.killed, cas.killed_at_least
    d.injured, d.injured_at_least = cas.injured, cas.injured_at_least
    d.projectiles = _cues.projectiles(toks)
    d.actor1 = actor or _modifier_actor(mentions, toks, index, text)
    target, how = _cues.target(text, toks, index)
    if target and d.place and target.lower().startswith(d.place.mention.surface.lower()):
        target = ""
    d.actor2 = (target if how == "passive" else "") or cas.victims or target
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


def _follow_up(ctx: _Context, sentence: tuple[int, int]) -> None:
    """A sentence with casualties or a claim but no trigger adds them to the last event."""
    if not ctx.drafts:
        return
    last = ctx.drafts[-1]
    if _paragraph_of(ctx.paragraphs, sentence[0]) - last.paragraph > 1:
        return
    toks = _cues.tokens(ctx.text, *sentence)
    cas = _cues.casualties(ctx.text, toks)
    actor = _cues.claimed_by(ctx.text, toks)
    if cas.killed is None and cas.injured is None and not actor:
        return
    extra = _Draft(last.trigger, *sentence, sentence[0], last.paragraph)
    extra.killed, extra.killed_at_least = cas.killed, cas.killed_at_least
    extra.injured, extra.injured_at_least = cas.injured, cas.injured_at_least
    extra.actor1 = actor
    last.add(extra)


def _attach(ctx: _Context, d: _Draft) -> bool:
    """Add a reference back ("the attack") to the earlier event it names; True if added."""
    if not d.backref:
        return False
    for earlier in reversed(ctx.drafts):
        compatible = (
            d.trigger.family in (earlier.trigger.family, "attack")
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


def _incident(d: _Draft, report: _ReportInfo, text: str) -> Incident:
    place = d.place
    cand = place.place if place else None
    rank = FEATURE_RANK.get(cand.feature, 2) if cand else 4
    where = placement(place, text, _GEO_PRECISION[rank]) if place else None
    geo = where.geo_precision if where else _GEO_PRECISION[rank]
    relation = where.relation if where else ""
    day, precision, phrase, note = None, 1, "", "no date in the text and no published date"
    if d.date is not None:
        day, precision, phrase, note = d.date.day, d.date.precision, d.date.phrase, d.date.note
    elif report.published is not None:  # nothing said: the week up to the published date
        pub = report.published
        day = (pub.date() if isinstance(pub, datetime) else pub) - timedelta(days=6)
        precision, note = 2, "no date in the text: the week to the published date"
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
        killed=d.killed,
        killed_at_least=d.killed_at_least,
        injured=d.injured,
        injured_at_least=d.injured_at_least,
        projectiles=d.projectiles,
        events=d.events,
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

    Returns
    -------
    Extraction
        The incidents (not merged across reports) and place names left unresolved.
    """
    ctx = _Context(text, list(mentions), find_date_phrases(text), published, _paragraphs(text))
    for sentence in sentence_spans(text):
        clauses = _clauses(text, *sentence)
        drafts = [d for c in clauses if (d := _draft(ctx, c, sentence)) is not None]
        if len(drafts) == 1 and len(clauses) > 1:  # one event: the whole sentence is its scope
            drafts = [d for d in [_draft(ctx, sentence, sentence)] if d is not None]
        if not drafts:
            _follow_up(ctx, sentence)
            continue
        for d in drafts:
            if _attach(ctx, d):
                continue
            ctx.drafts.append(d)
    info = _ReportInfo(report_id, source, url, published, text_offset)
    incidents = [_incident(d, info, text) for d in ctx.drafts]
    known = {m.surface for m in mentions if not m.decision.approximate}
    unresolved = [name for d in ctx.drafts for name in d.unresolved if name not in known]
    for d in ctx.drafts:  # names placed at their parent are unresolved too
        if d.place is not None:
            unresolved.extend(filter(None, [placement(d.place, text, 1).unresolved]))
    logger.debug("report %s: %d incidents", report_id, len(incidents))
    return Extraction(incidents, unresolved)

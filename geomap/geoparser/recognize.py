"""Recognition: find the spans of a text that name places, offline and fast.

Candidate spans come from the gazetteer's own names. Every normalised name key (and each
of its word prefixes) sits in one hash table, and so does every loose key (news spellings
of transliterated names: "Dhuluiya" for "Aḑ Ḑulū‘īyah"), in a second one consulted when
the first does not know a span; from each capitalised word the recogniser extends a span
word by word while the span's key is still a prefix of some name, and keeps the longest
span that is a whole name (so "Ain al-Asad airbase" wins over "Ain"). Spans are then
filtered by rules that need no model:

- capitalisation: a span starts with a capital (or Arabic script, or a lowercase article
  joined by a hyphen, "al-Baghdadi"); all-capital words of three letters or fewer count
  only when the index knows them in capitals ("US", "UAE"), and one letter never does;
- a stop list of words that name places somewhere but rarely in news (months, titles,
  pronouns; ``geomap/data/stopnames.txt``);
- common words: a single word that is also a common English noun or adjective ("Nice",
  "Reading", "Hit": the lowercase words of the ``english-words`` web2 list) is kept only
  if it names a prominent place or follows a cue ("in", "near", "north of"); the resolver
  applies this with the candidates in hand;
- people: a given name (``gender-guesser``'s list of 60,000 names) or a title ("Col.",
  "President", "Det.-Sgt.") followed by capitalised words, perhaps past middle initials or
  a hard-wrapped line break ("Herbert N. Lattin"), is a person, and so is a capitalised word
  followed by an article-led surname ("Haider Al-Lami"); a lone given name is a person
  after a relative ("his wife, Annie", "the son of Riley"), before an age ("Dora, 62,") or
  before "and" another person ("Lynn and Bob Fodge"); their surnames are people's
  names all through the text ("Al-Lami said"), and their first names are marked, so the
  resolver drops one read as a place nothing else in the report supports ("Georgia
  Stevens ... Georgia began skating");
- organisations: a span inside a known actor's name (``geomap/data/actors.txt``:
  "Islamic Resistance in Iraq", "The National", "IRNA") is not a place, nor is a portfolio
  ("Department of Justice") or a leader's term ("the Obama administration"), which the
  resolver checks;
- directions: a name made only of direction words right before another name describes it
  ("Far North Queensland", "South East Asian");
- streets: a name right before "Street", "Road", "Avenue" ... or "St.", "Rd." is a
  street's ("Hertford Road" is in London, not in Hertford), unless the whole is a known
  name ("Wall Street"); "St.", "Mt." and "Ft." before a name are part of it ("St. Louis");
- generic words: a lowercase one after a name is looked up with it ("Babel province"),
  and a plural one after a list applies to each name ("Jefferson and Madison counties").

Demonyms and adjectives ("Iraqi", "Syrians") are found from ``geomap/data/demonyms.csv``,
except where they name a language ("shouted in Turkish,", "speaks French and Arabic"),
and postal abbreviations with their period ("Ky.", "B.C.") from
``geomap/data/abbreviations.csv``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources

from gazetteer.normalize import GENERIC_WORDS, fold, loose_key, normalize_name
from geomap.geoparser.rules import Rule, RuleCounter
from geomap.geoparser.text import Token, sentence_spans, tokenize
from geomap.geoparser.weights import DEFAULT_WEIGHTS, Weights
from geomap.geoparser.words import word_list

__all__ = [
    "CUE_WORDS",
    "RECOGNITION_RULES",
    "Recognizer",
    "Span",
    "armed_groups",
    "common_words",
    "given_names",
]
_JOINERS = frozenset({" ", "-", "'", "’", "‘", "ʿ", "`", "–"})
_DOTTED = word_list("dotted")  # abbreviations a name goes on after
# A saint's name that names a church, a school or a hospital, not a town: "the church of
# St. Peter and St. Paul", "St. Michael's Hospital", "St Edmund's Catholic Primary School".
_SAINT = word_list("saints")
_OF_A_CHURCH = re.compile(
    r"\b(?:church|cathedral|basilica|chapel|parish|abbey|monastery|convent|feast|order)"
    r"\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_A_SAINTS_BUILDING = re.compile(
    r"(?:['’]s)?\s+(?:and\s+(?:St|Saint)\b|(?:Hospital|Church|Cathedral|Chapel|Basilica|"
    r"Abbey|College|School|University|Academy|Catholic|Anglican|Primary|Parish|Cemetery|"
    r"Coptic|Orthodox)\b)"
)
# Lowercase words allowed inside a name (not at its start, not at its end).
_INNER_LOWER = word_list("inner_lower")
# Articles that may open a name when joined to the next word by a hyphen.
_LEADING_ARTICLES = word_list("leading_articles")
_LEADING_GENERIC = word_list("leading_generic")
_GENERIC_HEADS = word_list("generic_heads")
_GENERIC_TOKENS = frozenset(w for phrase in GENERIC_WORDS for w in phrase.split())
_DETERMINERS = word_list("determiners")
_TITLES = word_list("titles")
_TITLE_GAPS = frozenset({" ", ". ", ".-", "-"})  # "Gen. Votel", "Det.-Sgt. Graham Gibson"
# A lone given name that is a person by what surrounds it: a relative ("his wife, Annie",
# "the son of Riley"), an age in apposition ("Dora, 62,").
_KIN_BEFORE = re.compile(
    r"\b(?:wife|husband|son|daughter|brother|sister|mother|father|grandson|granddaughter|"
    r"grandmother|grandfather|nephew|niece|cousin|uncle|aunt|fianc[eé]e?|widow|widower|"
    r"stepson|stepdaughter|partner|twin|boyfriend|girlfriend)s?(?:\s+of)?\s*,?\s+$"
)
# A demonym that names a language: "shouted in Turkish,", "teaching English to".
_A_LANGUAGE_VERB = re.compile(
    r"\b(?:speaks?|spoke|spoken|speaking|teach(?:es|ing)?|taught|learn(?:s|ing|t|ed)?|"
    r"translated\s+(?:from|into)|fluent\s+in)\s+$",
    re.IGNORECASE,
)
_FUNCTION_WORDS = word_list("function_words")
_AGE_AFTER = re.compile(r",\s+\d{1,3}\s*(?:,|\)|\bof\b|$)")

# Words that follow a given name in a place's name, not a surname: "Victoria Park".
_STREET_WORDS = word_list("street_words")
# ... and their abbreviations, with a period and no name after it ("Wooster St., stood"
# is a street; "Wooster St. Louis" is not read so).
_STREET_ABBREVIATIONS = re.compile(r"(?:St|Rd|Ave|Blvd|Hwy)\.(?!\s+[A-Z])")
_PLACE_WORDS = word_list("place_words")

_DIRECTIONS = word_list("directions")
# A name made only of these, right before another name, describes that name: "Far North
# Queensland", "South East Asian", "the south West Coast", "Calgary-North West MLA".
_MODIFIER_WORDS = word_list("modifier_words")
# A plural generic word after a name, or after a list of names, says what each one is:
# "Jefferson and Madison counties" are Jefferson County and Madison County.
_PLURAL_GENERIC = {
    "counties": "County",
    "provinces": "province",
    "governorates": "governorate",
    "districts": "district",
}
_NAME_WORDS = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
_LIST_JOIN = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)"
_PLURAL_AFTER = re.compile(  # a list of at most twelve more names, so hostile text stays linear
    rf"(?:{_LIST_JOIN}{_NAME_WORDS}){{0,12}}\s+({'|'.join(_PLURAL_GENERIC)})\b"
)
# Generic words for a division or a town: with only common words after them they name a
# body, not a place ("City Council", "District Court", "Town Hall").
_ADMIN_WORDS = word_list("admin_words")
# Unions the walk tests word by word, made once.
_INNER_OR_GENERIC = _INNER_LOWER | _GENERIC_TOKENS
_LOWER_STARTS = _LEADING_ARTICLES | _DIRECTIONS  # lowercase words a span may start at
# Generic words that often open another name: "U.S. District Judge", "Kansas City Chiefs".
_OPENS_NAMES = word_list("opens_names")

#: Words right before a span that make it a place: "in Hit", "near Balad", "north of Baghdad",
#: "shelled Sirwah district".
CUE_WORDS = word_list("cue_words")


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of text that may name a place (or be a demonym)."""

    start: int
    end: int
    surface: str
    key: str
    sentence: tuple[int, int]
    kind: str = "place"
    country: str = ""  # demonyms: the country they point at
    place_id: str = ""  # abbreviations: the place they stand for
    sentence_initial: bool = False
    cue: str = ""  # the cue word right before, lowercased
    common_word: bool = False  # one word that is also a common English word
    in_name: bool = False  # ... next to capitalised words: "Rose Garden", "Environment Canada"
    hyphen_pair: bool = False  # one of two names a hyphen joins: "Russia-Turkey", "Coca-Cola"
    first_name: bool = False  # the first name of a person named in full in the same text
    after_unknown: bool = False  # a capitalised word no name starts with comes right before
    lookup: str = ""  # the text to look up when it differs from the surface ("Babel province")
    loose: bool = False  # known only by its loose key: a news spelling ("Dhuluiya")
    site: str = ""  # the words after it that make it a site's name: "University"
    drop: frozenset[str] = frozenset()  # the recognition rules that find it is not a place


@dataclass(slots=True)
class _Walk:
    """One text's recognition: the spans the walk found, and the rules' state."""

    text: str
    spans: list[Span]
    off: frozenset[str]
    masked: list[tuple[int, int]] = field(default_factory=list)  # actor names' offsets
    surnames: set[str] = field(default_factory=set)  # folded, of people named in full
    first_names: set[str] = field(default_factory=set)
    people: int = 0  # persons the walk skipped, by rule
    lone_names: int = 0


def _data(name: str) -> str:
    return (resources.files("geomap") / "data" / name).read_text(encoding="utf-8")


def _may_be_respelled(tokens: list[Token]) -> bool:
    """Whether words found only by their loose key may be a respelled place name.

    English words, given names and words in capitals are not: "Selves" is not Silvis,
    "Messi" not Messy, "USDA" not Ushda. Articles and generic words may be among them.
    """
    for tok in tokens:
        lower = tok.value.lower()
        if lower in _INNER_OR_GENERIC or lower in _LEADING_ARTICLES:
            continue
        if _is_common(lower) or lower in given_names() or (tok.value.isupper() and len(lower) > 1):
            return False
    return True


def _prefix_table(keys: Iterable[str]) -> dict[str, bool]:
    """Each key (True) and each of its word prefixes that is not a key itself (False)."""
    table = dict.fromkeys(keys, True)
    table.pop("", None)
    for key in list(table):  # each name's word prefixes, shortest last
        end = key.rfind(" ")
        while end > 0 and key[:end] not in table:  # a prefix present has its own
            table[key[:end]] = False
            end = key.rfind(" ", 0, end)
    return table


def _lines(name: str) -> list[str]:
    return [s.strip() for s in _data(name).splitlines() if s.strip() and not s.startswith("#")]


@cache
def armed_groups() -> dict[str, str]:
    """Armed groups tied to the one country they fight in, to its ISO code ("Houthi": YE):
    ``geomap/data/actor_countries.csv``."""
    lines = [s for s in _data("actor_countries.csv").splitlines() if not s.startswith("#")]
    return {r["actor"]: r["country"] for r in csv.DictReader(lines)}


@cache
def common_words() -> frozenset[str]:
    """Lowercase English words (common nouns, adjectives, verbs), from the web2 word list."""
    from english_words import get_english_words_set  # type: ignore[import-untyped]

    return frozenset(w for w in get_english_words_set(["web2"], lower=False) if w.islower())


@cache
def given_names() -> frozenset[str]:
    """Lowercased given names of many languages, from gender-guesser's name list."""
    from gender_guesser.detector import Detector  # type: ignore[import-untyped]

    return frozenset(Detector(case_sensitive=False).names)


def _is_common(word: str) -> bool:
    words = common_words()
    word = word.lower()
    return word in words or (word.endswith("s") and word[:-1] in words)


class Recognizer:
    """Finds place-name spans using the name keys of a gazetteer.

    Parameters
    ----------
    keys
        The normalised name keys the gazetteer knows (``Gazetteer.name_keys()``).
    capitals
        Short names the gazetteer holds in capitals ("US", "UAE"): the only all-capital
        words of three letters or fewer that may name a place.
    loose
        The loose keys the gazetteer knows (``Gazetteer.loose_keys()``): spans whose
        normalised key is unknown are recognised by them.
    """

    def __init__(
        self,
        keys: Iterable[str],
        capitals: Iterable[str] = (),
        loose: Iterable[str] = (),
        weights: Weights = DEFAULT_WEIGHTS,
    ) -> None:
        self._max_words = weights.max_words
        self._max_word = weights.max_word
        self._off: frozenset[str] = frozenset()  # rules left out by the current ``find``
        self._table = _prefix_table(keys)
        self._loose_table = _prefix_table(loose)
        self._capitals = frozenset(capitals)
        self._stop = frozenset(fold(s) for s in _lines("stopnames.txt"))
        self._sites = frozenset(_lines("site_words.txt"))
        self._actors_by_first_word: dict[str, list[str]] = {}
        for actor in _lines("actors.txt"):
            first = tokenize(actor, [])[0].value
            self._actors_by_first_word.setdefault(first, []).append(actor)
        rows = csv.DictReader(_data("demonyms.csv").splitlines())
        self._demonyms = {r["demonym"]: r["country"] for r in rows}
        # armed groups tied to one country are read like its demonym ("Houthi forces")
        self._demonyms.update(armed_groups())
        self.demonyms: Mapping[str, str] = self._demonyms
        rows = csv.DictReader(_data("abbreviations.csv").splitlines())
        self._abbreviations = {r["abbreviation"]: r["id"] for r in rows}
        self.abbreviations: Mapping[str, str] = self._abbreviations
        self._key_cache: dict[str, str] = {}
        self._fold_cache: dict[str, str] = {}
        self._loose_cache: dict[str, bool | None] = {}

    def _fold(self, surface: str) -> str:
        folded = self._fold_cache.get(surface)
        if folded is None:
            if len(self._fold_cache) > 200_000:
                self._fold_cache.clear()
            folded = self._fold_cache[surface] = fold(surface)
        return folded

    def _key(self, surface: str) -> str:
        key = self._key_cache.get(surface)
        if key is None:
            if len(self._key_cache) > 200_000:
                self._key_cache.clear()
            key = self._key_cache[surface] = normalize_name(surface)
        return key

    def _known(self, surface: str) -> bool | None:
        """True for a whole name, False for the start of one, None for neither."""
        key = self._key(surface)
        known = self._table.get(key)
        if known or not self._loose_table:
            return known
        if surface in self._loose_cache:
            loose = self._loose_cache[surface]
        else:
            if len(self._loose_cache) > 200_000:
                self._loose_cache.clear()
            loose = self._loose_cache[surface] = self._loose_table.get(loose_key(surface))
        return loose or known

    # -- spans -----------------------------------------------------------------------

    @staticmethod
    def _may_start(tokens: list[Token], i: int, text: str) -> bool:
        tok = tokens[i]
        if tok.capitalised:
            return tok.value.lower() not in _DETERMINERS
        if tok.value in _DIRECTIONS:  # "western Iraq": kept only if the whole is a name
            return True
        if tok.value.lower() in _LEADING_ARTICLES and i + 1 < len(tokens):
            nxt = tokens[i + 1]
            return text[tok.end : nxt.start] == "-" and nxt.capitalised
        return False

    def _longest(self, tokens: list[Token], i: int, text: str) -> int:
        """Index of the last token of the longest name starting at token ``i``, or -1."""
        best = -1
        start = tokens[i].start
        for j in range(i, min(i + self._max_words, len(tokens))):
            tok = tokens[j]
            lower = tok.value.lower()
            if j > i:
                gap = text[tokens[j - 1].end : tok.start]
                dotted = gap == ". " and tokens[j - 1].value in _DOTTED  # "St. Louis"
                if gap not in _JOINERS and not dotted:
                    break
                direction_led = j == i + 1 and tokens[i].value in _DIRECTIONS
                possessive = lower == "s" and gap in ("'", "’")  # "Cox's Bazar", if known
                lowercase = (
                    tok.value[0].islower() and lower not in _INNER_OR_GENERIC and not possessive
                )
                if lowercase and not direction_led:  # "western desert" may go on in lowercase
                    break
            known = self._known(text[start : tok.end])
            if j > i and lower == "s" and text[tokens[j - 1].end : tok.start] in ("'", "’"):
                if known is None:
                    break
                continue  # "Cox's": a name may go on ("Cox's Bazar"), but not end at the "'s"
            if known and not (j > i and lower in _INNER_LOWER):
                if j > i and lower in _OPENS_NAMES and self._name_follows(tokens, j, text):
                    break  # "U.S. District Judge": the generic word opens another name
                best = j
            elif (
                known is None
                and lower not in _INNER_OR_GENERIC
                and not (j == i and lower in _LEADING_GENERIC)
            ):
                break
        return best

    @staticmethod
    def _org_follows(tokens: list[Token], k: int, text: str) -> bool:
        """Two or more capitalised words, not titles or place words, from token ``k`` on."""
        n = 0
        while k + n < len(tokens) and tokens[k + n].capitalised:
            lower = tokens[k + n].value.lower()
            if lower in _TITLES or lower in _PLACE_WORDS:
                return False
            if n and text[tokens[k + n - 1].end : tokens[k + n].start] != " ":
                break
            n += 1
        return n >= 2

    @staticmethod
    def _name_follows(tokens: list[Token], j: int, text: str) -> bool:
        if j + 1 >= len(tokens) or text[tokens[j].end : tokens[j + 1].start] != " ":
            return False
        return tokens[j + 1].capitalised

    def _demonym(self, tokens: list[Token], i: int, text: str) -> tuple[int, str] | None:
        tok = tokens[i]
        if i + 1 < len(tokens) and text[tok.end : tokens[i + 1].start] == " ":
            two = f"{tok.value} {tokens[i + 1].value}"
            if two in self._demonyms:
                return i + 1, self._demonyms[two]
        country = self._demonyms.get(tok.value)
        return (i, country) if country else None

    @staticmethod
    def _a_language(tokens: list[Token], i: int, j: int, text: str) -> bool:
        """Whether the demonym at tokens ``i..j`` names a language: after a verb of speech
        or learning, before punctuation or a function word ("speaks French and Arabic"),
        or after "in" right before punctuation ("shouted in Turkish,")."""
        start, after = tokens[i].start, text[tokens[j].end : tokens[j].end + 2]
        before = text[max(0, start - 30) : start]
        ends = not after[:1].isalnum() and not after.startswith((" ", "-", "'", "’"))
        nxt = tokens[j + 1].value if j + 1 < len(tokens) else ""
        if _A_LANGUAGE_VERB.search(before):
            return ends or (after[:1] == " " and nxt in _FUNCTION_WORDS)
        return before.lower().endswith(" in ") and ends

    def _masked(self, text: str, tokens: list[Token]) -> list[tuple[int, int]]:
        """Offsets of actor names: spans inside them are not places."""
        spans: list[tuple[int, int]] = []
        for tok in tokens:  # as written: "Baghdad Today" the outlet, not "Baghdad today"
            for actor in self._actors_by_first_word.get(tok.value, ()):
                end = tok.start + len(actor)
                if text.startswith(actor, tok.start) and not text[end : end + 1].isalnum():
                    spans.append((tok.start, end))
        return spans

    # -- people ----------------------------------------------------------------------

    def _person_end(self, tokens: list[Token], i: int, text: str) -> int:
        """Index of the last token of a person's name starting at token ``i``, or -1.

        A lone given name that its context makes a person ("his wife, Annie") ends at ``i``.
        """
        tok = tokens[i]
        lower = tok.value.lower()
        if lower in _TITLES:
            j = i
            while j + 1 < len(tokens) and j - i < 3:
                gap = text[tokens[j].end : tokens[j + 1].start]
                if gap not in _TITLE_GAPS or not tokens[j + 1].capitalised:
                    break
                j += 1
            return j if j > i else -1
        if not tok.capitalised:
            return -1
        end = self._full_name_end(tokens, i, text)
        if (
            end < 0
            and "lone_given_name" not in self._off
            and lower in given_names()
            and self._lone_person(tokens, i, text)
        ):
            return i
        return end

    def _full_name_end(self, tokens: list[Token], i: int, text: str) -> int:
        tok = tokens[i]
        lower = tok.value.lower()
        if i + 1 >= len(tokens) or not _joined(text[tok.end : tokens[i + 1].start]):
            return -1
        nxt = tokens[i + 1]
        article_surname = (
            nxt.value.lower() in _LEADING_ARTICLES
            and i + 2 < len(tokens)
            and text[nxt.end : tokens[i + 2].start] == "-"
            and tokens[i + 2].capitalised
        )
        if article_surname and not _is_common(lower) and self._longest(tokens, i, text) <= i:
            return i + 2  # "Haider Al-Lami"; but "Ain al-Asad" is a place
        if lower not in given_names() or not nxt.capitalised:
            return -1
        if tok.sentence_start and _is_common(lower):  # "In Ontario", "Will Iraq ..."
            return -1
        j = i + 1
        while _initial(tokens, j, text):  # "Herbert N. Lattin", "George H. W. Bush"
            j += 1
        if self._not_a_name(tokens[j]):
            return -1
        k = self._longest(tokens, i, text)
        if k > i:  # "Santa Barbara", "San Antonio": a place that starts with a given name
            return -1
        while (
            j + 1 < len(tokens)
            and j - i < 3
            and _joined(text[tokens[j].end : tokens[j + 1].start])
            and tokens[j + 1].capitalised
            and not self._not_a_name(tokens[j + 1])
        ):
            j += 1
        return j

    def _lone_person(self, tokens: list[Token], i: int, text: str) -> bool:
        """A given name standing for a person: "his wife, Annie", "Dora, 62,", "Lynn and
        Bob Fodge"."""
        tok = tokens[i]
        if _KIN_BEFORE.search(text, max(0, tok.start - 40), tok.start):
            return True
        if _AGE_AFTER.match(text, tok.end):
            return True
        if i + 3 < len(tokens) and tokens[i + 1].value == "and":  # "Brent and Lynnette Hain"
            other = tokens[i + 2]
            return (
                other.capitalised
                and other.value.lower() in given_names()
                and self._person_end(tokens, i + 2, text) > i + 2
            )
        return False

    def _not_a_name(self, tok: Token) -> bool:
        lower = tok.value.lower()
        return (
            lower in _PLACE_WORDS
            or lower in _GENERIC_TOKENS
            or tok.value in self._demonyms
            or tok.value.isupper()
            or self._fold(tok.value) in self._stop
        )

    # -- the walk --------------------------------------------------------------------

    def find(
        self,
        text: str,
        *,
        without: Collection[str] = (),
        counter: RuleCounter | None = None,
    ) -> list[Span]:
        """Candidate place-name and demonym spans of ``text``, in text order.

        The walk proposes spans and skips people's names; then ``RECOGNITION_RULES``, in
        order, drop what is not a place, except the rules named in ``without``. What each
        rule did is counted in ``counter``. (The rules left out are set on the recogniser
        for the length of the call: a recogniser is not shared between threads.)
        """
        walk = _Walk(text, [], frozenset(without))
        self._off = walk.off
        try:
            self._walk(walk)
        finally:
            self._off = frozenset()
        counts = counter if counter is not None else RuleCounter()
        for rule in RECOGNITION_RULES:
            if rule.name not in walk.off:
                rule.apply(walk, counts)
        return [replace(s, drop=frozenset()) if s.drop else s for s in walk.spans]

    def _walk(self, walk: _Walk) -> None:
        text = walk.text
        sentences = sentence_spans(text)
        tokens = tokenize(text, sentences)
        walk.masked = self._masked(text, tokens)
        sentence_of = _SentenceOf(sentences)
        people = "people" not in walk.off
        i = 0
        n = len(tokens)
        while i < n:
            tok = tokens[i]
            if len(tok.value) > self._max_word or (
                not tok.capitalised and tok.value not in _LOWER_STARTS
            ):
                i += 1
                continue
            person = self._person_end(tokens, i, text) if people else -1
            if person >= 0:
                first = i + 1 if tokens[i].value.lower() in _TITLES else i
                if person == first == i:
                    walk.lone_names += 1
                else:
                    walk.people += 1
                walk.surnames.update(
                    self._fold(tokens[k].value) for k in range(first + 1, person + 1)
                )
                rest = [tokens[k].value for k in range(first + 1, person + 1)]
                if first == i and not any(w.lower() in common_words() for w in rest):
                    walk.first_names.add(self._fold(tokens[first].value))  # not "France Football"
                if person > first and tokens[first + 1].value.lower() in _LEADING_ARTICLES:
                    walk.surnames.add(
                        self._fold(text[tokens[first + 1].start : tokens[person].end])
                    )
                i = person + 1
                continue
            if not self._may_start(tokens, i, text):
                i += 1
                continue
            span, end = self._span_at(tokens, i, text, sentence_of)
            if span is not None:
                walk.spans.append(span)
            i = end + 1

    def _span_at(
        self, tokens: list[Token], i: int, text: str, sentence_of: _SentenceOf
    ) -> tuple[Span | None, int]:
        tok = tokens[i]
        for e in (tok.end, tok.end + 1):  # "B.C." is one token; "Ky" takes its period
            surface = text[tok.start : e]
            if surface.endswith(".") and surface in self._abbreviations:
                place_id = self._abbreviations[surface]
                sentence = sentence_of(tok.start)
                return Span(tok.start, e, surface, "", sentence, place_id=place_id), i
        end = self._longest(tokens, i, text)
        demonym = self._demonym(tokens, i, text)
        if demonym and demonym[0] >= end:
            j, country = demonym
            joined = j + 1 < len(tokens) and text[tokens[j].end : tokens[j + 1].start] == " "
            drop = set()
            if joined and self._org_follows(tokens, j + 1, text):
                drop.add("demonym_orgs")  # "American Psychological Association" names an actor
            if self._a_language(tokens, i, j, text):
                drop.add("languages")  # "shouted in Turkish,", "teaching English to pupils"
            s, e = tokens[i].start, tokens[j].end
            sentence = sentence_of(s)
            return Span(s, e, text[s:e], "", sentence, "demonym", country, drop=frozenset(drop)), j
        if end < 0 or (end == i and not tok.capitalised):
            return None, i
        span = self._place_span(tokens, i, end, text, sentence_of)
        if not tok.capitalised and all(
            t.value.lower() in _GENERIC_TOKENS for t in tokens[i + 1 : end + 1]
        ):  # "a southern city": a direction and a generic word name nothing
            span = replace(span, drop=span.drop | {"generic_only"})
        return span, end

    def _place_span(
        self, tokens: list[Token], i: int, j: int, text: str, sentence_of: _SentenceOf
    ) -> Span:
        s, e = tokens[i].start, tokens[j].end
        lookup = text[s:e]
        k = j  # a trailing lowercase generic word is a hint, not part of the name
        while k > i and tokens[k].value in _GENERIC_TOKENS and tokens[k].value.islower():
            k -= 1
        e = tokens[k].end
        surface = text[s:e]
        if k < j and tokens[k].value.lower() in _GENERIC_TOKENS:
            lookup = surface  # "the Hall County town": the name says what it is already
        elif k + 1 < j and tokens[k + 1].value in GENERIC_WORDS:
            lookup = text[s : tokens[k + 1].end]  # "the Anbar province town of": a province
        elif k == j and (plural := _PLURAL_AFTER.match(text, e)):
            lookup = (
                f"{surface} {_PLURAL_GENERIC[plural.group(1)]}"  # "Jefferson and Madison counties"
            )
        folded = self._fold(lookup)
        drop = set()
        if folded in self._stop or len(folded) < 2:
            drop.add("stop_names")
        if all(w in _GENERIC_TOKENS for w in folded.split()):
            drop.add("generic_only")  # "Air Base" alone names nothing
        hyphenated = self._hyphenated(tokens, i, j, text)
        if hyphenated == "name":
            drop.add("hyphenated_names")  # part of a longer hyphenated name: "Wal-Mart"
        something_else = self._names_something_else(tokens, i, j, text)
        if something_else:
            drop.add(something_else)
        if i == j and folded in _GENERIC_HEADS and self._name_goes_on(tokens, j, text):
            drop.add("generic_heads")  # "Wadi al-Shay": not Wadi, India
        letters = surface.replace(".", "")
        if letters.isupper() and len(letters) <= 3 and surface not in self._capitals:
            drop.add("short_capitals")
        key = self._key(lookup)
        loose = self._table.get(key) is not True
        if loose and not _may_be_respelled(tokens[i : k + 1]):
            drop.add("respellings")
        prev = tokens[i - 1].value.lower() if i > 0 else ""
        if i > 0 and text[tokens[i - 1].end : s] not in (" ", "\n"):
            prev = ""
        common = i == j and _is_common(surface) and not self._heads_a_list(tokens, j, text)
        return Span(
            s,
            e,
            surface,
            key,
            sentence_of(s),
            sentence_initial=tokens[i].sentence_start,
            cue=prev if prev in CUE_WORDS else "",
            common_word=common,
            in_name=common and self._in_name_chain(tokens, i, text),
            hyphen_pair=hyphenated == "pair",
            after_unknown=self._inside_unknown_name(tokens, i, text),
            lookup=lookup if lookup != surface else "",
            drop=frozenset(drop),
            loose=loose,
            site=self._site_after(tokens, j, text),
        )

    @staticmethod
    def _names_something_else(tokens: list[Token], i: int, j: int, text: str) -> str:
        """The rule by which the name at tokens ``i..j`` is part of a body's, a street's, a
        church's or a longer place's name, by the words around it; "" when it is not."""
        s, e = tokens[i].start, tokens[j].end
        if (
            i < j
            and tokens[i].value.lower() in _ADMIN_WORDS
            and all(_is_common(t.value) for t in tokens[i + 1 : j + 1])
        ):
            return "bodies"  # "City Council", "District Court": a body, not a place
        after = tokens[j + 1] if j + 1 < len(tokens) else None
        if after and text[e : after.start] == " ":
            if after.capitalised and all(
                t.value.lower() in _MODIFIER_WORDS for t in tokens[i : j + 1]
            ):
                return "modifiers"  # "Far North Queensland": a part of the name after it
            if after.value in _STREET_WORDS or _STREET_ABBREVIATIONS.match(text, after.start):
                return "streets"  # a street named after a place is not in it: "Hertford Road"
        saint = tokens[i].value.lower() in _SAINT and bool(
            _A_SAINTS_BUILDING.match(text, e)
            or _OF_A_CHURCH.search(text, max(0, s - 40), s)
            or (i >= 3 and tokens[i - 1].value == "and" and tokens[i - 3].value in ("St", "Saint"))
        )  # "St. Michael's Hospital", "the church of St. Peter and St. Paul"
        return "saints" if saint else ""

    def _site_after(self, tokens: list[Token], j: int, text: str) -> str:
        """The words after token ``j`` that make the name a site's ("Mosul University",
        "Ohio State Journal"), or ""."""
        words: list[str] = []
        k = j
        while (
            len(words) < 2
            and k + 1 < len(tokens)
            and text[tokens[k].end : tokens[k + 1].start] == " "
        ):
            k += 1
            if not tokens[k].capitalised:
                break
            words.append(tokens[k].value)
            if " ".join(words) in self._sites:
                return " ".join(words)
        return ""

    def _inside_unknown_name(self, tokens: list[Token], i: int, text: str) -> bool:
        """Whether the name at token ``i`` ends a longer name the gazetteer lacks: a
        capitalised word that is not English, not a name's start, a person's given name, a
        title or a demonym comes right before it ("Zawiyat Hamdi", "Bayt Qasim": not Hamdi,
        not Qasim in Saudi Arabia)."""
        if i == 0 or text[tokens[i - 1].end : tokens[i].start] not in (" ", "-"):
            return False
        prev = tokens[i - 1]
        lower = prev.value.lower()
        if prev.capitalised and not prev.sentence_start and lower in _GENERIC_HEADS:
            return True  # "Bayt Qasim", "Wadi Hauran": a generic word opened the name
        return (
            prev.capitalised
            and not prev.sentence_start
            and not prev.value.isupper()
            and len(prev.value) > 2
            and not _is_common(lower)
            and lower not in given_names()
            and lower not in _TITLES
            and lower not in _INNER_OR_GENERIC
            and lower not in _MODIFIER_WORDS
            and prev.value not in self._demonyms
            and self._known(prev.value) is not True
            and self._fold(prev.value) not in self._stop
        )

    def _heads_a_list(self, tokens: list[Token], j: int, text: str) -> bool:
        """Whether names follow token ``j`` as a list: "Saskatoon, Calgary and Winnipeg"."""
        k, n = j, len(tokens)
        while k + 1 < n and text[tokens[k].end : tokens[k + 1].start] == ", ":
            if tokens[k + 1].value in ("and", "or"):  # "Nice, Cannes, and Monaco"
                break
            end = self._longest(tokens, k + 1, text) if tokens[k + 1].capitalised else -1
            if end < 0 or (end == k + 1 and _is_common(tokens[end].value)):
                return False
            k = end
        if k == j or k + 2 >= n or tokens[k + 1].value not in ("and", "or"):
            return False
        return tokens[k + 2].capitalised and self._longest(tokens, k + 2, text) >= 0

    @staticmethod
    def _name_goes_on(tokens: list[Token], j: int, text: str) -> bool:
        """Whether a name goes on after token ``j`` with a word the walk did not take: a
        capitalised word, or an article joined to the next word ("Wadi al-Shay")."""
        if j + 1 >= len(tokens) or text[tokens[j].end : tokens[j + 1].start] != " ":
            return False
        nxt = tokens[j + 1]
        if nxt.capitalised and not nxt.sentence_start:
            return True
        joined = j + 2 < len(tokens) and text[nxt.end : tokens[j + 2].start] == "-"
        return nxt.value.lower() in _LEADING_ARTICLES and joined

    def _hyphenated(self, tokens: list[Token], i: int, j: int, text: str) -> str:
        """How a hyphen joins the name to a capitalised word: "" (it does not, or the word
        is a place: "Iraq-Syria"), "pair" (two known names before a lowercase word:
        "Russia-Turkey ties"), or "name" (part of a longer name: "Wal-Mart")."""
        name = text[tokens[i].start : tokens[j].end]
        after = tokens[j + 1] if j + 1 < len(tokens) else None
        if after and text[tokens[j].end : after.start] == "-" and after.capitalised:
            if self._place_word(after.value):
                return ""
            nxt = tokens[j + 2] if j + 2 < len(tokens) else None
            return "pair" if self._pair(name, after.value, nxt) else "name"
        before = tokens[i - 1] if i > 0 else None
        if before and text[before.end : tokens[i].start] == "-" and before.capitalised:
            if self._place_word(before.value):
                return ""
            return "pair" if self._pair(before.value, name, after) else "name"
        return ""

    def _place_word(self, word: str) -> bool:
        """A word that names a place by itself and is not a common word ("Iraq-Syria")."""
        return bool(self._known(word)) and not _is_common(word)

    def _pair(self, first: str, second: str, nxt: Token | None) -> bool:
        """Two names a hyphen joins before a lowercase word: "Russia-Turkey ties", "the
        Canada-EU deal", but also "Coca-Cola shares", which the resolver sorts out."""
        return (
            (nxt is None or not nxt.capitalised)
            and self._known(first) is True
            and self._known(second) is True
        )

    def _in_name_chain(self, tokens: list[Token], i: int, text: str) -> bool:
        if self._name_follows(tokens, i, text):
            # "the Paris City Council", "Mobile County Sheriff": the place's own body
            return tokens[i + 1].value.lower() not in _ADMIN_WORDS
        if i == 0 or text[tokens[i - 1].end : tokens[i].start] != " ":
            return False
        prev = tokens[i - 1]
        if prev.value in ("of", "and", "&") and i > 1:  # "Department of Fish and Wildlife"
            if prev.value != "of" and self._known(tokens[i - 2].value) is True:
                return False  # "Moscow and Berlin": a list of places, not a name
            prev = tokens[i - 2]
        return (
            prev.capitalised
            and not prev.sentence_start
            and self._fold(prev.value) not in self._stop
        )


def _joined(gap: str) -> bool:
    """Words of one name: a space, or spaces and a line break of a hard-wrapped line."""
    return gap == " " or (bool(gap) and not gap.strip(" \t\r\n") and gap.count("\n") <= 1)


def _initial(tokens: list[Token], j: int, text: str) -> bool:
    """Whether token ``j`` is a middle initial ("N.") with a capitalised word after it."""
    tok = tokens[j]
    return (
        len(tok.value) == 1
        and tok.value.isupper()
        and j + 1 < len(tokens)
        and text[tok.end : tokens[j + 1].start] in (". ", ".")
        and tokens[j + 1].capitalised
    )


class _SentenceOf:
    """The sentence of an offset; offsets arrive in increasing order."""

    def __init__(self, sentences: list[tuple[int, int]]) -> None:
        self.sentences = sentences or [(0, 0)]
        self.pos = 0

    def __call__(self, offset: int) -> tuple[int, int]:
        while self.pos + 1 < len(self.sentences) and self.sentences[self.pos][1] <= offset:
            self.pos += 1
        return self.sentences[self.pos]


# --------------------------------------------------------------------- the recognition rules


def _dropping(name: str) -> Callable[[_Walk], int]:
    """A rule that drops the spans the walk marked with its name."""

    def run(walk: _Walk) -> int:
        kept = [s for s in walk.spans if name not in s.drop]
        dropped = len(walk.spans) - len(kept)
        walk.spans = kept
        return dropped

    return run


def _actors(walk: _Walk) -> int:
    kept = [s for s in walk.spans if not any(a <= s.start and s.end <= b for a, b in walk.masked)]
    dropped = len(walk.spans) - len(kept)
    walk.spans = kept
    return dropped


def _surnames(walk: _Walk) -> int:
    kept = [s for s in walk.spans if s.kind != "place" or fold(s.surface) not in walk.surnames]
    dropped = len(walk.spans) - len(kept)
    walk.spans = kept
    return dropped


def _first_name_marks(walk: _Walk) -> int:
    marked = 0
    for k, s in enumerate(walk.spans):
        if s.kind == "place" and fold(s.surface) in walk.first_names:
            walk.spans[k] = replace(s, first_name=True)
            marked += 1
    return marked


def _rule(name: str, description: str, run: Callable[[_Walk], int]) -> Rule[_Walk]:
    return Rule(name, "recognition", description, run)


#: The recognition rules, in the order they run. ``people`` and ``lone_given_name`` act
#: during the walk (a person's name is skipped whole); the others drop the spans the walk
#: marked, or mark spans for the resolver. Leave one out by name with ``without=``.
RECOGNITION_RULES: tuple[Rule[_Walk], ...] = (
    _rule(
        "people",
        "a given name or a title before capitalised words is a person",
        lambda w: w.people,
    ),
    _rule(
        "lone_given_name",
        "a lone given name after a relative, before an age or before 'and' a person",
        lambda w: w.lone_names,
    ),
    _rule("actors", "a name inside a known organisation's name is not a place", _actors),
    _rule("stop_names", "stop-listed words (months, titles, pronouns)", _dropping("stop_names")),
    _rule("generic_only", "a generic word alone names nothing", _dropping("generic_only")),
    _rule("hyphenated_names", "part of a longer hyphenated name", _dropping("hyphenated_names")),
    _rule(
        "generic_heads",
        "a generic word that opens a longer name the gazetteer lacks is no place alone",
        _dropping("generic_heads"),
    ),
    _rule("bodies", "a division word and common words name a body", _dropping("bodies")),
    _rule("modifiers", "direction words before a name describe it", _dropping("modifiers")),
    _rule("streets", "a name before Street, Road or St. is a street's", _dropping("streets")),
    _rule("saints", "a saint's name that names a church or hospital", _dropping("saints")),
    _rule(
        "short_capitals",
        "three capitals or fewer that no place is named in capitals",
        _dropping("short_capitals"),
    ),
    _rule(
        "respellings",
        "a name known only by its news spelling must not be an English word or a given name",
        _dropping("respellings"),
    ),
    _rule("demonym_orgs", "a demonym opening an organisation's name", _dropping("demonym_orgs")),
    _rule("languages", "a demonym that names a language", _dropping("languages")),
    _rule("surnames", "a person's surname later in the text is the person", _surnames),
    _rule("first_name_marks", "mark people's first names for the resolver", _first_name_marks),
)

"""What a speaker is (extraction stage): a person, an organisation, or no speaker at all.

Input: a canonical speaker name from the attribution rules; output: its
`speaker_type` ("person" or "organisation"), or the finding that it is not
a speaker: a place, a month, a party or group ("Black Democrats"), or a run
of Title-Case headline words ("Hillary Clinton Joked", "Builders And
Innovators Summit").  A confident wrong speaker is worse than none, so
those become `None`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Literal

from .gender import gender_detector
from .lexicon import (
    ADJECTIVE_SYNONYMS,
    COMPOUND_ENDS,
    CUE_WORDS,
    FEMALE_FIRST_NAMES,
    MALE_FIRST_NAMES,
    NOT_PERSON_WORDS,
    PLACE_NAMES,
)
from .mentions import ROLE_NOUN_RE
from .names import TITLE_WORDS, name_tokens

SpeakerType = Literal["person", "organisation"]
FIRST_NAMES = FEMALE_FIRST_NAMES | MALE_FIRST_NAMES

# Bodies named by their seat or building: "the Kremlin said", "the Pentagon announced".
_SEATS = frozenset(
    """kremlin pentagon elysee élysée vatican knesset bundestag duma rada kremlin's
    whitehall""".split()
) | {"white house", "downing street", "state department", "foreign ministry", "capitol hill"}
MONTHS = frozenset(
    """january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
# Words that name parties, movements and groups of people, not one speaker.
GROUP_WORDS = frozenset(
    """democrat democrats democratic republican republicans gop labour tory tories
    conservative conservatives liberal liberals libertarian libertarians green greens
    independent independents progressive progressives socialist socialists communist
    communists black white hispanic latino latina latinos asian evangelical evangelicals
    voters supporters party members americans demonstrators protesters protestors pollsters
    politicos jews muslims christians catholics officials experts analysts critics observers
    residents citizens people women men students workers organizers organisers insiders
    mexican mexicans texan texans canadian canadians european europeans african africans
    british french german germans chinese japanese israeli israelis iranian iranians
    arab arabs palestinian palestinians syrian syrians iraqi iraqis cuban cubans""".split()
)
# Head words of a body that name none by themselves ("the Department said" cut short).
_BARE_HEADS = frozenset(
    """department ministry committee party campaign campaigns office agency council court
    administration government commission board group company university embassy union
    coalition caucus foundation institute center centre association organization
    organisation secretary ceo spokesman spokeswoman spokesperson official week""".split()
)
# Head words of a body a definite description names ("the commission said"): the
# article's body whose name holds the word is the speaker ("Commission on …").
BODY_HEADS = frozenset(
    """department ministry committee commission board council court agency""".split()
)
_BODY_NAME = re.compile(
    r"(?<![\w.])(?:[A-Z][\w.'’&-]*\s+){0,4}(?:"
    + "|".join(sorted(h.capitalize() for h in BODY_HEADS))
    + r")\b(?:\s+(?:of|on|for)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})?"
)

# A head word where `_BODY_NAME` may end its run of capitalised words: a search
# for these skips to their first letters, where `_BODY_NAME` tries every spot.
_HEAD_WORD = re.compile("(?:" + "|".join(sorted(h.capitalize() for h in BODY_HEADS)) + r")\b")


def _words_back(text: str, end: int, floor: int) -> int:
    """Where the last four whitespace-separated words before `end` begin (not before
    `floor`): a `_BODY_NAME` match holding a head word at `end` starts there or later."""
    lo = max(floor, end - 200)
    chunks = text[lo:end].rsplit(None, 4)
    if len(chunks) < 5:
        return floor if lo > floor else lo  # the window may cut a word: from `floor`
    return text.index(chunks[1], lo + len(chunks[0]))


def body_names(text: str) -> Iterator[re.Match[str]]:
    """`_BODY_NAME.finditer(text)`: each match searched from a few words before the
    next head word, so the text between bodies is read once, by `_HEAD_WORD`."""
    pos = 0
    while True:
        head = _HEAD_WORD.search(text, pos)
        if head is None:
            return
        match = _BODY_NAME.search(text, _words_back(text, head.start(), pos))
        if match is None:
            return
        yield match
        pos = match.end()


def find_bodies(text: str) -> dict[str, list[str]]:
    """Head word → the distinct names of bodies `text` gives with that head, in text
    order ("board" → ["Illinois Board of Elections"]); a head alone ("the Board") is
    no name, a leading "The" no part of one."""
    found: dict[str, list[str]] = {}
    for match in body_names(text):
        name = " ".join(match.group(0).split())
        if name.startswith("The "):
            name = name[4:]
        words = name.casefold().split()
        heads = [w for w in words if w in BODY_HEADS]
        if len(words) < 2 or not heads:
            continue
        names = found.setdefault(heads[-1], [])
        if name not in names:
            names.append(name)
    return found


# Adverb endings no one-word name has ("Specifically", "Reluctantly").
ADVERB_ENDINGS = (
    "ically",
    "ately",
    "antly",
    "ently",
    "ively",
    "edly",
    "ously",
    "fully",
    "ingly",
    "ainly",
    "ually",
)
_COMPASS = ("new ", "north ", "south ", "west ", "east ")
_NATIONAL = frozenset(ADJECTIVE_SYNONYMS.values()) | frozenset(ADJECTIVE_SYNONYMS)
# Sentence adverbs and openers that start a clause like a name would.
PERHAPS_WORDS = frozenset(
    """perhaps maybe instead indeed anyway nonetheless nevertheless otherwise afterwards
    afterward ultimately finally sometimes often already""".split()
)
# Words a headline capitalises that a name never holds.
_HEADLINE_WORDS = frozenset(
    "and or the for to of in on at with by from as is are was before after over into amid".split()
)
# Words that end a body's name ("Energy Agency", "Marine Corps"): a long run with one
# may be a body, never a headline.
_BODY_WORDS = (
    NOT_PERSON_WORDS
    | _BARE_HEADS
    | frozenset(
        """nations corps conference authority bureau command council forces guard""".split()
    )
)
# Words no name or body holds, capitalised only in a headline or a title run:
# "More Important Than Electing Obama", "Vietnam War Despite", "Information Act But Trump".
# A name with one of these between its words is a campaign or a group, never "he".
_CAMPAIGN_WORDS = frozenset("against for".split())
_NEVER_IN_NAMES = frozenset("but despite without versus unless although than about".split())


_PARTY_TAG = re.compile(r"\(?[DRI]-[A-Z]")


def _folded(tokens: tuple[str, ...]) -> list[str]:
    return [t.casefold().strip(".") for t in tokens]


@lru_cache(maxsize=32768)
def not_a_speaker(name: str) -> str | None:
    """Why `name` cannot be a speaker ("place", "month", "day", "group", "headline"), or None."""
    tokens = name_tokens(name)
    if not tokens:
        return "empty"
    words = _folded(tokens)
    joined = " ".join(words)
    if joined in _SEATS:
        return None
    if joined in PLACE_NAMES or (joined in _NATIONAL and joined not in GROUP_WORDS):
        return "place"
    if words[0] in MONTHS and (len(words) == 1 or words[1].isdigit()):
        return "month"
    if words[-1] in WEEKDAYS:
        return "day"  # "Super Tuesday", "CNN Tuesday": a day the run ends on, no one
    if all(w in GROUP_WORDS or w in _NATIONAL or w in PLACE_NAMES for w in words):
        return "group"
    if _PARTY_TAG.match(name):
        return "phrase"  # "D-Newport News", "R-Texas": a member's party and seat, no one
    if any(t.rpartition("-")[2] in COMPOUND_ENDS for t in tokens if "-" in t):
        return "phrase"  # "Trump-style", "Los Angeles-area", "T-shirts" (not "Geun-hye")
    if len(words) == 1:
        word = words[0]
        if len(word) == 1 or word.endswith(ADVERB_ENDINGS) or word in _BARE_HEADS:
            return "phrase"  # "Specifically", "Department" (of a name cut short)
        if any(c + word in PLACE_NAMES for c in _COMPASS):
            return "place"  # "York" of "New York", "Jersey" of "New Jersey"
        if word.isalpha() and word in PERHAPS_WORDS:
            return "phrase"
        if word.endswith("s") and ROLE_NOUN_RE.fullmatch(word[:-1]):
            return "group"  # "Aides have suggested": a role noun's plural, no one
    if joined in NOT_PERSON_WORDS:
        return None  # an outlet or a body: "CNN", "Reuters"
    if len(tokens) >= 2 and all(t.isupper() and len(t) > 1 for t in tokens):
        return "headline"  # "FULL TEXT": a label in capitals, not a name
    if len(tokens) >= 2 and not _NEVER_IN_NAMES.isdisjoint(words):
        return "headline"
    if len(tokens) >= 3 and any(
        t[:1].isupper() and (w in _HEADLINE_WORDS or w in CUE_WORDS)
        for t, w in zip(tokens[1:], words[1:], strict=True)
    ):
        return "headline"
    if len(tokens) >= 4 and _no_name_words(words):
        return "headline"  # "Toll Plan Stalls Harbour Talks": no first name, title or body
    return None


def before_headline_words(name: str) -> str:
    """`name` up to its first capitalised headline word: "Lee Before Harbour
    Departure" (a title's run after "President") → "Lee"; `name` when it has none."""
    tokens = name.split()
    for i, token in enumerate(tokens[1:], 1):
        if token[:1].isupper() and token.casefold() in _HEADLINE_WORDS:
            return " ".join(tokens[:i])
    return name


def _no_name_words(words: list[str]) -> bool:
    """Whether a run of words holds no first name, title, particle or body word: four
    or more such Title-Case words are a headline, not a person or an organisation."""
    if any(w in _BODY_WORDS or w in TITLE_WORDS or w in FIRST_NAMES for w in words):
        return False
    if any(not w.isalpha() or len(w) < 3 for w in words):
        return False  # initials, particles, "Jr.", "IV": a person's name
    detector = gender_detector()
    if detector is None:
        return False
    return all(detector.get_gender(w.capitalize()) == "unknown" for w in words)


@lru_cache(maxsize=32768)
def speaker_type(name: str | None) -> SpeakerType | None:
    """'organisation' for outlets, bodies and seats of power ("CNN", "the Kremlin",
    "Clinton campaign"), 'person' otherwise; None without a speaker."""
    if not name:
        return None
    words = _folded(name_tokens(name))
    if not words:
        return None
    joined = " ".join(words)
    if joined in _SEATS or words[-1] in NOT_PERSON_WORDS or joined in NOT_PERSON_WORDS:
        return "organisation"
    if len(words) > 1 and (words[-1] in GROUP_WORDS or not BODY_HEADS.isdisjoint(words)):
        return "organisation"
    if len(words) > 2 and not _CAMPAIGN_WORDS.isdisjoint(words[1:-1]):
        return "organisation"  # "Mothers Against Tolls", "Nurses for Reform": a campaign
    return "person"

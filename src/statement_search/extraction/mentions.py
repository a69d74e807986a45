"""The mention grammar (extraction stage): regular expressions for names, roles and pronouns.

Input: article text; output: `re.Match` objects for each mention as written
("Vladimir Putin", "the Russian president", "she"), found by `find_mentions`.
`people.People` turns those mentions into canonical names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .lexicon import (
    BARE_ROLES,
    FOREIGN_DETERMINERS,
    OF_WORDS,
    PRONOUN_GENDERS,
    ROLE_NOUN,
    ROLE_NOUNS,
    alternation,
)

UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĖĘĚĜĞĠĢĤĦĨĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽА-ЯЁІЇЄҐЎ"
# A full stop stays with short words only ("W.", "Sen.", "Mrs."): after a longer
# word it ends the sentence ("the Federal Reserve. Trump says" is two mentions).
_CAPWORD_REST = r"[\w'’\-]*(?:(?<![\w'’\-]{4})\.(?=\s))?"
CAPWORD = rf"(?:[{UPPER}]{_CAPWORD_REST})"
_PARTICLES = "von van der den de da di du la le bin al ibn".split()
PARTICLE = "(?:" + "|".join(_PARTICLES) + ")"
NAME = (
    rf"(?<![\w'’\-])(?<![{UPPER}]\.)(?=[{UPPER}vdlbai])(?:(?:{PARTICLE} )*{CAPWORD}"
    rf"(?:[ \u00a0](?:{PARTICLE}[ \u00a0])*{CAPWORD}){{0,5}})"
)
# "Trump's": `CAPWORD['’]s` before the space that follows a determiner can only end
# where the word ends, so the word is taken whole (possessive `*+`, no giving back
# one character at a time) and its end checked.
_POSSESSOR = rf"[{UPPER}][\w'’\-]*+(?<=['’]s)"
_ENGLISH_DETS = ["the", "an", "a", "this", "that", "his", "her", "their", "its"]


def _words_alternation(words: list[str], capital: bool = True) -> str:
    """Whole words (each followed by a non-word character where it is used) as one
    prefix-factored alternation, each also with a capital first letter: no two can
    both match at one spot, so their order does not matter and the engine reads a
    spot once instead of once per word (#8)."""
    forms = set(words) | ({w[0].upper() + w[1:] for w in words} if capital else set())
    return alternation(sorted(forms, key=len, reverse=True))


# A determiner is whole letters followed by whitespace (never "'s", the possessor's end).
_DET = rf"(?:{_words_alternation([*_ENGLISH_DETS, *FOREIGN_DETERMINERS])}|{_POSSESSOR})"
if not all(d.isalpha() for d in FOREIGN_DETERMINERS):
    raise ValueError("a determiner must be letters only")
OF = "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in OF_WORDS) + ")"
# Languages without articles write a role noun bare: "— подчеркнула депутат".
_BARE_ROLE = "(?i:" + alternation(BARE_ROLES) + ")"


def _role(bare: bool) -> str:
    """A role mention; with `bare`, also a role noun written without a determiner."""
    # The determiner starts a word: "bathe president" holds no "the president".
    return (
        rf"(?<![\w'’\-])(?:(?:{_DET}\s+(?:[\w’'.\-]+\s+){{0,4}}?{ROLE_NOUN}"
        + (f"|{_BARE_ROLE})" if bare else ")")
        + rf"(?:\s+{OF}\s+(?:the\s+)?{CAPWORD}(?:\s+{CAPWORD}){{0,3}})?)(?![\w\-])"
    )


ROLE = _role(bare=True)
PRONOUN = rf"\b{_words_alternation(list(PRONOUN_GENDERS))}\b"
_STARTS = _words_alternation([*_ENGLISH_DETS, *PRONOUN_GENDERS, *FOREIGN_DETERMINERS], False)


def _mention(bare: bool) -> re.Pattern[str]:
    """A role, pronoun or name mention. The look-ahead holds every word one can start
    with: a capital, a lower-case determiner or pronoun, a particle (and with `bare`,
    a bare role noun). The many spots that start none (inside words, other lower-case
    words) are turned away before the three alternatives."""
    return re.compile(
        rf"(?<!\w)(?=[{UPPER}]|{_STARTS}\b|{PARTICLE} "
        + (f"|(?i:{_BARE_ROLE}))" if bare else ")")
        + rf"(?:(?P<role>{_role(bare)})|(?P<pron>{PRONOUN})|(?P<name>{NAME}))"
    )


MENTION_RE = _mention(bare=True)
# Bare role nouns (of languages without articles, all Cyrillic) cost a third of the
# search at every lower-case word: a text without any of their first letters (their
# case ignored as the pattern ignores it) is searched without them, alike (#8).
_MENTION_NO_BARE_RE = _mention(bare=False)
_BARE_FIRST = re.compile("(?i:[" + "".join(sorted({re.escape(r[0]) for r in BARE_ROLES})) + "])")


# No ASCII letter is one (any case): an ASCII text, told at once by `str.isascii`, has none.
_BARE_NOT_ASCII = not any(_BARE_FIRST.match(chr(c)) for c in range(128))


@lru_cache(maxsize=16)
def _can_hold_bare(text: str) -> bool:
    """Whether `text` holds a bare role noun's first letter (asked once per paragraph)."""
    if _BARE_NOT_ASCII and text.isascii():
        return False
    return bool(BARE_ROLES) and _BARE_FIRST.search(text) is not None


def find_mentions(text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """`MENTION_RE.finditer(text, lo, hi)`, without bare roles where none can start."""
    return (MENTION_RE if _can_hold_bare(text) else _MENTION_NO_BARE_RE).finditer(text, lo, hi)


# The look-ahead on the first letter turns most word starts away before the alternation.
_ROLE_FIRST = "".join(sorted({re.escape(role[0]) for role in ROLE_NOUNS}))
ROLE_NOUN_RE = re.compile(rf"\b(?i:(?=[{_ROLE_FIRST}])){ROLE_NOUN}(?![\w\-])")
# The same over a lower-cased text, case kept: each position costs about half as much
# (for ASCII nouns, whose ignored case is lower-casing, but for ı and ſ).
_LOWER_ROLE_NOUNS = [role.lower() for role in ROLE_NOUNS]
# The lower-cased search holds where each letter of the nouns lower-cases to one
# letter (ASCII, Cyrillic, accented letters, ß) and none is İ, ı or ſ.
_SIMPLE_CASE = all(len(c.lower()) == 1 and c not in "İıſ" for role in ROLE_NOUNS for c in role)
_LOWER_ROLE_NOUN_RE = (
    re.compile(
        rf"\b(?=[{''.join(sorted({re.escape(role[0]) for role in _LOWER_ROLE_NOUNS}))}])"
        rf"{alternation(_LOWER_ROLE_NOUNS)}(?![\w\-])"
    )
    if _SIMPLE_CASE
    else None
)


def role_nouns(text: str) -> Iterator[re.Match[str]]:
    """`ROLE_NOUN_RE.finditer(text)`'s spans, found in `text.lower()` when that matches
    alike: each character lower-cased to one (İ is two), and no ı or ſ."""
    lowered = text.lower()
    if (
        _LOWER_ROLE_NOUN_RE is None
        or len(lowered) != len(text)
        or "\u0131" in lowered
        or "\u017f" in lowered
    ):
        return ROLE_NOUN_RE.finditer(text)
    return _LOWER_ROLE_NOUN_RE.finditer(lowered)


def _name_finder() -> re.Pattern[str]:
    """`NAME` for scanning a text: the same matches, but the pattern starts by taking
    the name's first letter, so the engine skips to capitals and particle letters
    instead of trying every position; the look-behinds then check the character
    before it, and the particle after that letter is told by the letter."""
    firsts: dict[str, list[str]] = {}
    for particle in _PARTICLES:
        firsts.setdefault(particle[0], []).append(particle[1:])
    particle_rest = "|".join(f"(?<={c})(?:{'|'.join(rests)})" for c, rests in firsts.items())
    return re.compile(
        rf"[{UPPER}{''.join(firsts)}](?<![\w'’\-].)(?<![{UPPER}]\..)"
        rf"(?:(?<=[{UPPER}]){_CAPWORD_REST}|(?:{particle_rest}) (?:{PARTICLE} )*{CAPWORD})"
        rf"(?:[ \u00a0](?:{PARTICLE}[ \u00a0])*{CAPWORD}){{0,5}}"
    )


NAME_FIND = _name_finder()

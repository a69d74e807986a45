"""A first name's gender (extraction stage): the lexicon's lists, pymorphy3 for
Cyrillic names, then gender-guesser's lists; a name given to both stays unknown.

Pronoun resolution asks it of every person an article introduces, so each
answer is cached.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .lexicon import FEMALE_FIRST_NAMES, MALE_FIRST_NAMES
from .morphology import is_female as cyrillic_female


@lru_cache(maxsize=1)
def gender_detector() -> Any | None:
    """gender-guesser's detector (its name lists load in about 0.25 s, once), or None
    when it is not installed: then only the short lists in lexicon.py tell."""
    try:
        import gender_guesser.detector as detector
    except ImportError:
        return None
    return detector.Detector(case_sensitive=False)


@lru_cache(maxsize=32768)
def guessed_female(first: str) -> bool | None:
    """Whether a first name is a woman's (True), a man's (False), or not clear (None):
    a name given to both, anywhere or in the US ("Jan", "Rio"), stays unknown."""
    found = gender_detector()
    if found is None or not first.isalpha() or len(first) < 2:
        return None
    answer = found.get_gender(first)
    if answer not in ("female", "male"):
        return None
    here = found.get_gender(first, "usa")
    if here == "andy" or here.endswith("female" if answer == "male" else "_male"):
        return None
    return answer == "female"


@lru_cache(maxsize=32768)
def first_name_gender(tokens: tuple[str, ...]) -> bool | None:
    """Whether the first word before the surname that is a first name is a woman's:
    "Republican Donald Trump", "Navy SEAL Ty Woods" keep a word of description the
    first name follows.  Cached: a name is asked about at each mention."""
    for word in (tokens[:-1] or tokens)[:3]:
        first = word.casefold()
        if first in FEMALE_FIRST_NAMES:
            return True
        if first in MALE_FIRST_NAMES:
            return False
        found = cyrillic_female(first)
        if found is None:
            found = guessed_female(word)
        if found is not None:
            return found
    return None

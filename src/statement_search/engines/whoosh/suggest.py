"""Did you mean: a query with few hits → corrected words and speaker names.

Corrections come from the index's own vocabulary: words from the verbatim
`exact` field (so `sanctons` → `sanctions`, not a stem), speaker names from
the speakers the index holds.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...search.bounds import MAX_FUZZY_CHARS, MAX_QUERY_CHARS, Budget
from ...search.suggest import OPERATORS as _OPERATORS
from ...search.suggest import WORD as _WORD
from ...search.suggest import Suggestion, closest_names
from .filter_cache import FilterCache

if TYPE_CHECKING:
    from whoosh.searching import Searcher

__all__ = ["MAX_CORRECTED_WORDS", "Suggestion", "closest_speakers", "correct_words"]

# Unknown words corrected in one query; the rest are left as written.
MAX_CORRECTED_WORDS = 12


def correct_words(searcher: Searcher, text: str, budget: Budget | None = None) -> str | None:
    """`text` with unknown words replaced by the closest indexed word, or None.

    Bounded like the search: no correction for an over-long query, words past
    MAX_FUZZY_CHARS left alone, at most MAX_CORRECTED_WORDS looked up, and the
    budget's time checked before each.
    """
    if len(text) > MAX_QUERY_CHARS:
        return None
    budget = Budget(seconds=None) if budget is None else budget
    reader = searcher.reader()
    corrector = searcher.corrector("exact")
    changed = False
    tries = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal changed, tries
        word = match.group(1)
        lower = word.lower()
        if len(lower) > MAX_FUZZY_CHARS or tries >= MAX_CORRECTED_WORDS:
            return word
        if word in _OPERATORS or ("exact", lower) in reader or _stem_known(searcher, lower):
            return word
        budget.check(text)
        tries += 1
        maxdist = 1 if len(lower) < 5 else 2
        options = corrector.suggest(lower, limit=1, maxdist=maxdist, prefix=1)
        if not options:
            return word
        changed = True
        return str(options[0])

    corrected = _WORD.sub(fix, text)
    return corrected if changed else None


def _stem_known(searcher: Searcher, word: str) -> bool:
    """Another inflection of `word` is indexed ("borders" when only "border" is)."""
    reader = searcher.reader()
    return any(("text", token.text) in reader for token in searcher.schema["text"].analyzer(word))


def closest_speakers(cache: FilterCache, name: str, limit: int = 3) -> tuple[str, ...]:
    """Index speakers whose name or last name is spelt like `name`."""
    return closest_names(cache.speaker_names, name, limit)

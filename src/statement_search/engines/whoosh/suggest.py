"""Did you mean: a query with few hits → corrected words and speaker names.

Corrections come from the index's own vocabulary: words from the verbatim
`exact` field (so `sanctons` → `sanctions`, not a stem), speaker names from
the speakers the index holds.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...search.bounds import MAX_FUZZY_CHARS, MAX_QUERY_CHARS, Budget
from ...search.filters import fold
from .filter_cache import FilterCache

if TYPE_CHECKING:
    from whoosh.searching import Searcher

# Unknown words corrected in one query; the rest are left as written.
MAX_CORRECTED_WORDS = 12

# A plain word of the query language: not an operator, a field name, or part
# of a wildcard / fuzzy / boosted term (the user already chose those).
_WORD = re.compile(r"(?<![\w:*?~^])([^\W\d_]{3,})(?![\w:*?~^])")
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})


@dataclass(frozen=True)
class Suggestion:
    """A corrected query (None if the words were fine) and likely speakers."""

    query: str | None = None
    speakers: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        parts = [self.query] if self.query else []
        parts += [f'--speaker "{name}"' for name in self.speakers]
        return " ".join(parts)


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


def closest_names(names: dict[str, str], name: str, limit: int = 3) -> tuple[str, ...]:
    """Of `names` (folded → display), those whose name or last name is spelt like `name`."""
    wanted = fold(name)
    candidates: dict[str, str] = {}
    for key, display in names.items():
        candidates.setdefault(key, display)
        parts = key.split()
        if parts:
            candidates.setdefault(parts[-1], display)
    close = difflib.get_close_matches(wanted, list(candidates), n=limit * 2, cutoff=0.75)
    found: list[str] = []
    for match in close:
        if candidates[match] not in found:
            found.append(candidates[match])
    return tuple(found[:limit])

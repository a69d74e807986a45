"""Did-you-mean on the tantivy engine: unknown words corrected towards the verbatim
vocabulary (`TantivyEngine.vocabulary`), kept when the corrected query finds quotes
within the filters; speakers spelt like an unknown one (`search/suggest.py`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Protocol

from ...errors import QueryError
from ...search.bounds import MAX_QUERY_CHARS, Budget
from ...search.filters import Filters
from ...search.request import SearchRequest
from ...search.suggest import OPERATORS, WORD, Suggestion, closest_names
from .query import edit_distance

if TYPE_CHECKING:
    from ...extraction.topics import Taxonomy


class TantivyEngine(Protocol):
    """What did-you-mean reads of the engine (engine.py's `TantivyEngine`)."""

    def speaker_names(self) -> dict[str, str]: ...
    def known(self, field: str, word: str) -> bool: ...
    def vocabulary(self, prefix: str = "", limit: int | None = None) -> list[tuple[str, int]]: ...
    def count(self, request: SearchRequest, taxonomy: Any = None, budget: Any = None) -> int: ...


def suggest(
    engine: TantivyEngine,
    query: str,
    filters: Filters,
    taxonomy: Taxonomy | None,
    budget: Budget,
) -> Suggestion | None:
    """Corrected words (if the correction finds quotes) and speaker names, or None;
    an over-long query gets no correction."""
    names = engine.speaker_names()
    unknown = [s for s in filters.speakers if not _speaker_known(engine, s)]
    speakers = tuple(n for s in unknown for n in closest_names(names, s))
    listing = query.strip() in ("", "*") or len(query) > MAX_QUERY_CHARS
    corrected = None if listing else _correct(engine, query)
    if corrected is not None:
        kept = filters.speakers if not unknown else speakers[:1]
        check = Filters(**{**filters.__dict__, "speakers": kept})
        try:
            found = engine.count(SearchRequest(corrected, check), taxonomy, budget)
        except QueryError:
            found = 0  # the correction is not a query that runs: not worth suggesting
        if not found:
            corrected = None
    if corrected is None and not speakers:
        return None
    return Suggestion(query=corrected, speakers=speakers)


def _speaker_known(engine: TantivyEngine, name: str) -> bool:
    return bool(engine.count(SearchRequest("*", Filters.make(speaker=name))))


def _correct(engine: TantivyEngine, text: str) -> str | None:
    """`text` with unknown words replaced by the closest indexed verbatim word."""
    changed = False

    def fix(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group(1)
        lower = word.lower()
        if word in OPERATORS or engine.known("exact", lower):
            return word
        if engine.known("text", lower):
            return word  # another inflection is indexed
        best = _closest(lower, engine.vocabulary(lower[0]), 1 if len(lower) < 5 else 2)
        if best is None:
            return word
        changed = True
        return best

    corrected = WORD.sub(fix, text)
    return corrected if changed else None


def _closest(word: str, vocabulary: list[tuple[str, int]], maxdist: int) -> str | None:
    """The vocabulary word nearest `word` within `maxdist` edits; ties by frequency."""
    best: tuple[int, int, str] | None = None
    for candidate, freq in vocabulary:
        if abs(len(candidate) - len(word)) > maxdist:
            continue
        distance = edit_distance(word, candidate, maxdist)
        if distance <= maxdist and (best is None or (distance, -freq, candidate) < best):
            best = (distance, -freq, candidate)
    return None if best is None else best[2]

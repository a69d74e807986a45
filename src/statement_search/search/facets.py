"""Facets: a set of matching documents → counts by speaker, topic and year.

Counts come from the per-searcher doc-id sets of `FilterCache`
(engines/whoosh/filter_cache.py), so a facet over the whole index is a length
per set and a facet over a query is one set intersection per value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class DocSets(Protocol):
    """An engine's doc-id sets per facet value (the Whoosh engine's `FilterCache`)."""

    @property
    def speakers(self) -> dict[str, set[int]]: ...
    @property
    def speaker_names(self) -> dict[str, str]: ...
    @property
    def topics(self) -> dict[str, set[int]]: ...
    @property
    def years(self) -> dict[int, set[int]]: ...
    @property
    def sources(self) -> dict[str, set[int]]: ...
    @property
    def source_names(self) -> dict[str, str]: ...


# The facets an engine counts, by the names `QuoteEngine.facets` answers with.
FACETS = ("speakers", "topics", "years", "sources")


@dataclass(frozen=True)
class FacetCount:
    """One value of a facet (a speaker, topic or year) and how many quotes have it."""

    name: str
    count: int


def _ranked(counts: dict[str, int]) -> list[FacetCount]:
    """Largest first, ties by name, zero counts dropped."""
    return [FacetCount(n, c) for n, c in sorted(counts.items(), key=lambda i: (-i[1], i[0])) if c]


def _count(sets: dict[str, set[int]], docs: set[int] | None) -> dict[str, int]:
    if docs is None:
        return {key: len(ids) for key, ids in sets.items()}
    return {key: len(ids & docs) for key, ids in sets.items()}


def speaker_counts(cache: DocSets, docs: set[int] | None) -> list[FacetCount]:
    """Quotes per speaker (display names), unattributed quotes left out."""
    counts = _count(cache.speakers, docs)
    names = cache.speaker_names  # only speakers with a live quote: a removed one has no name
    return _ranked({names[key]: n for key, n in counts.items() if key in names})


def topic_counts(cache: DocSets, docs: set[int] | None) -> list[FacetCount]:
    """Quotes per topic as tagged (a parent topic counts only its own tags)."""
    return _ranked(_count(cache.topics, docs))


def year_counts(cache: DocSets, docs: set[int] | None) -> list[FacetCount]:
    """Quotes per year, newest year first; undated quotes left out."""
    counts = _count({str(y): ids for y, ids in cache.years.items()}, docs)
    return [FacetCount(y, counts[y]) for y in sorted(counts, reverse=True) if counts[y]]


def source_counts(cache: DocSets, docs: set[int] | None) -> list[FacetCount]:
    """Quotes per source (outlet or site, as stored), quotes without one left out (#22)."""
    counts = _count(cache.sources, docs)
    return _ranked({cache.source_names[key]: n for key, n in counts.items()})

"""A page of search hits: its total, and copies of one utterance collapsed into one hit;
and quotes per source (`sources`), the listing a reader checks the outlets by.

The same words by the same speaker, printed by several outlets, are one
hit whose `also` lists the other copies earliest first; the hit shown is
the earliest copy (the first source to cite), with the group's best score.
Collapsing looks past the page (`_LOOKAHEAD`, doubled while copies leave the
page short) so that copies ranked just after it still join their
hit; `total` counts matching quotes, copies included.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..engines.whoosh.fast_path import matching_docs
from ..engines.whoosh.search import parse_query, runnable
from ..models import Hit, Hits, Quote
from .bounds import DEFAULT_TIME_LIMIT, Budget
from .facets import FacetCount, source_counts
from .filters import Filters, fold
from .wording import words

if TYPE_CHECKING:
    from ..engines.whoosh.filter_cache import FilterCache

# Hits fetched per hit wanted when collapsing copies, and a few more (doubled while
# copies leave the page short: one larger search costs less than a second one).
_LOOKAHEAD = 2
_MARGIN = 5


@dataclass
class Page:
    """One page of hits with the count of every matching quote."""

    hits: list[Hit]
    total: int
    offset: int
    limit: int | None
    # What a bounded query was narrowed to (`Hits.notices`), for the CLI to say.
    notices: tuple[str, ...] = ()

    @property
    def past_the_end(self) -> bool:
        return not self.hits and self.total > 0


class PagingMixin:
    """`search_page` and `total` for `QuoteIndex` (the host gives `search` and `_matching`)."""

    def total(
        self, query: str = "", time_limit: float | None = DEFAULT_TIME_LIMIT, **filters: Any
    ) -> int:
        """How many quotes match `query` and the filters (copies of one utterance each count)."""
        host: Any = self
        cache: FilterCache = host._filter_cache()
        docs = cache.docs(Filters.make(**filters), host._taxonomy())
        if query.strip() in ("", "*"):
            return int(cache.searcher.doc_count()) if docs is None else len(docs)
        parsed = parse_query(cache.searcher, query, Budget.make(time_limit))
        found = matching_docs(cache.searcher, runnable(parsed))
        return len(found) if docs is None else len(found & docs)

    def sources(
        self, query: str = "", time_limit: float | None = DEFAULT_TIME_LIMIT, **filters: Any
    ) -> list[FacetCount]:
        """Quotes per source, for the whole index or for a query; largest first."""
        host: Any = self
        found: tuple[FilterCache, set[int] | None] = host._matching(
            query, Filters.make(**filters), time_limit
        )
        return source_counts(*found)

    def search_page(
        self,
        query: str = "",
        limit: int = 10,
        offset: int = 0,
        collapse: bool = True,
        sort: str = "relevance",
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        **filters: Any,
    ) -> Page:
        """`search` with copies of one utterance collapsed (unless `collapse=False`); a total."""
        total = self.total(query, time_limit, **filters)
        host: Any = self
        bounded = {"sort": sort, "time_limit": time_limit, **filters}
        if not collapse:
            hits: Hits = host.search(query, limit=limit, offset=offset, **bounded)
            return Page(hits, total, offset, limit, hits.notices)
        wanted = offset + limit
        fetch = wanted * _LOOKAHEAD + _MARGIN
        while True:
            fetched: Hits = host.search(query, limit=fetch, offset=0, **bounded)
            collapsed = collapse_copies(fetched)
            if len(collapsed) > wanted or len(fetched) < fetch:
                break  # a page and one more after collapsing, or every hit there is
            fetch *= 2
        return Page(collapsed[offset:wanted], total, offset, limit, fetched.notices)


def _copy_key(quote: Quote) -> tuple[str, tuple[str, ...]]:
    return fold(quote.speaker or ""), tuple(words(quote.text))


def _earliest(quote: Quote) -> tuple[dt.date, str]:
    return quote.date or dt.date.max, quote.source or ""


def collapse_copies(hits: list[Hit]) -> list[Hit]:
    """Hits of the same words by the same speaker → one hit (the earliest copy), in rank order."""
    groups: dict[tuple[str, tuple[str, ...]], list[Hit]] = {}
    for hit in hits:
        groups.setdefault(_copy_key(hit.quote), []).append(hit)
    collapsed = []
    for group in groups.values():
        if len(group) == 1:
            collapsed.append(group[0])
            continue
        ordered = sorted(group, key=lambda h: _earliest(h.quote))
        first = ordered[0]
        collapsed.append(
            Hit(
                quote=first.quote,
                score=max(h.score for h in group),
                highlights=first.highlights,
                also=[h.quote for h in ordered[1:]],
            )
        )
    return collapsed

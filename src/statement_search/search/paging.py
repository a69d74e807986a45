"""A page of search hits: its total, and copies of one utterance collapsed into one hit.

The same words by the same speaker, printed by several outlets, are one
hit whose `also` lists the other copies earliest first; the hit shown is
the earliest copy (the first source to cite), with the group's best score.
Collapsing looks past the page (`_LOOKAHEAD`, doubled while copies leave the
page short) so that copies ranked just after it still join their
hit; `total` counts matching quotes, copies included.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..models import Hit, Hits, Quote
from .bounds import DEFAULT_TIME_LIMIT
from .filters import FilterArgs, fold
from .request import SearchRequest
from .wording import words

if TYPE_CHECKING:
    from typing_extensions import Unpack

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
    """`search_page` and `page` for an index class; the host gives `run` (a request →
    `Hits`) and `matches` (a request → how many quotes match it)."""

    def run(self, request: SearchRequest) -> Hits:
        raise NotImplementedError

    def matches(self, request: SearchRequest) -> int:
        raise NotImplementedError

    def search_page(
        self,
        query: str = "",
        limit: int = 10,
        offset: int = 0,
        collapse: bool = True,
        sort: str = "relevance",
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        **filters: Unpack[FilterArgs],
    ) -> Page:
        """`search` with copies of one utterance collapsed (unless `collapse=False`); a total."""
        request = SearchRequest.make(query, sort, limit, offset, time_limit, **filters)
        return self.page(request, collapse)

    def page(self, request: SearchRequest, collapse: bool = True) -> Page:
        """One page of `request`'s hits with the count of every matching quote; copies of
        one utterance collapsed into the earliest (unless `collapse=False`)."""
        total = self.matches(request)
        offset, limit = request.offset, request.limit
        if not collapse or limit is None:
            hits = self.run(request if not collapse else replace(request, offset=0))
            page = hits if not collapse else collapse_copies(hits)[offset:]
            return Page(page, total, offset, limit, hits.notices)
        wanted = offset + limit
        fetch = wanted * _LOOKAHEAD + _MARGIN
        while True:
            fetched = self.run(replace(request, limit=fetch, offset=0))
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

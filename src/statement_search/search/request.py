"""The typed search request every engine answers (engines/base.py): text query, filters,
sort, page and time limit; `SearchRequest.make` builds one from the keyword forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .bounds import DEFAULT_TIME_LIMIT
from .filters import FilterArgs, Filters

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["FilterArgs", "Filters", "SearchRequest"]


@dataclass
class SearchRequest:
    """One search: text query (empty or `*` lists), filters, sort, page, time limit.

    `sort` is `relevance`, `-date` (newest first) or `date`; `limit=None` means
    every match.  `Filters` is `filters.Filters` (speakers, topics, sources,
    dates, kinds, confidence, attribution); build it with
    `Filters.make(speaker=..., topic=..., since=..., until=..., source=...)`.
    `time_limit` (seconds, None: no limit) bounds the query as `QuoteIndex.run`
    runs it: past it the search is a `QueryTimeoutError`.
    """

    query: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    limit: int | None = 10
    offset: int = 0
    time_limit: float | None = DEFAULT_TIME_LIMIT

    @classmethod
    def make(
        cls,
        query: str = "",
        sort: str = "relevance",
        limit: int | None = 10,
        offset: int = 0,
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        **filters: Unpack[FilterArgs],
    ) -> SearchRequest:
        """The request the public keyword forms mean (`QuoteIndex.search(query,
        speaker=..., since=..., ...)`): the filters read by `Filters.make`."""
        return cls(query, Filters.make(**filters), sort, limit, offset, time_limit)

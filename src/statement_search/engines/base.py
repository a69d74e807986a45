"""The engine boundary: what a quote engine does, and the typed request it answers.

An engine stores quote documents and answers searches over them; the manifest
(which files and articles are indexed) and the writer lock stay outside it, in
the index class that composes them.  No engine type crosses this boundary:
requests are `SearchRequest`/`Filters`, answers are `Hit`, `Quote`,
`FacetCount` and plain numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import IndexExistsError
from ..models import Hit, Quote
from ..search.facets import FacetCount
from ..search.filters import Filters

__all__ = [
    "EngineStats",
    "Filters",
    "IndexStats",
    "QuoteEngine",
    "SearchRequest",
    "refuse_existing",
]


@dataclass
class SearchRequest:
    """One search: text query (empty or `*` lists), filters, sort, page.

    `sort` is `relevance`, `-date` (newest first) or `date`; `limit=None` means
    every match.  `Filters` is `filters.Filters` (speakers, topics, sources,
    since, until, and whatever filters later issues add); build it with
    `Filters.make(speaker=..., topic=..., since=..., until=..., source=...)`.
    """

    query: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    limit: int | None = 10
    offset: int = 0


@dataclass
class EngineStats:
    """What an engine holds: live quotes, distinct speakers and topics, bytes on disk."""

    quotes: int
    speakers: int
    topics: int
    index_bytes: int


class QuoteEngine(Protocol):
    """A store of quote documents with ranked search; one writer at a time.

    Writes are buffered until `commit`; searches see the last commit.  The
    caller holds the writer lock (locking.py) around writes.
    """

    @classmethod
    def create(cls, path: Path) -> QuoteEngine:
        """An empty engine at `path`, replacing one that was there."""
        ...

    @classmethod
    def open(cls, path: Path) -> QuoteEngine:
        """The engine stored at `path`."""
        ...

    def add_quotes(self, quotes: Iterable[Quote], content_hash: str = "") -> None:
        """Store an article's quotes (visible after `commit`)."""
        ...

    def delete_article(self, article_id: str) -> None:
        """Remove every quote of an article (visible after `commit`)."""
        ...

    def commit(self) -> None:
        """Make every buffered add and delete durable and searchable."""
        ...

    def rollback(self) -> None:
        """Drop buffered adds and deletes."""
        ...

    def search(self, request: SearchRequest) -> list[Hit]:
        """One page of hits, best first, each with its score and highlighted match spans."""
        ...

    def count(self, request: SearchRequest) -> int:
        """How many quotes match the request's query and filters."""
        ...

    def facets(self, request: SearchRequest) -> dict[str, list[FacetCount]]:
        """Counts of the matching quotes by `speakers`, `topics`, `years` and `sources`."""
        ...

    def vocabulary(self, prefix: str = "") -> list[tuple[str, int]]:
        """Verbatim (unstemmed) words starting with `prefix` and their document counts:
        what did-you-mean corrects towards."""
        ...

    def get(self, quote_id: str) -> Quote | None:
        """The stored quote with this id."""
        ...

    def article_quotes(self, article_id: str) -> list[Quote]:
        """An article's quotes in article order."""
        ...

    def similar(self, quote_id: str, request: SearchRequest) -> list[Hit]:
        """Quotes like this one, within the request's filters and page: ranked by its rare
        content words (`similar.weighed_terms`), copies of one utterance skipped
        (`similar.is_copy`); the request's `kinds` leave reporters' questions out."""
        ...

    def quotes(self) -> Iterator[Quote]:
        """Every stored quote (for exports), in no particular order."""
        ...

    def stats(self) -> EngineStats: ...

    def close(self) -> None: ...


@dataclass
class IndexStats:
    """What an index holds; `articles` includes articles without quotes."""

    articles: int
    quotes: int
    speakers: int
    topics: int
    index_bytes: int
    last_updated: str | None
    schema_version: int


def refuse_existing(exists: Callable[[Path], bool], path: Path, overwrite: bool) -> None:
    """`IndexExistsError` when `exists(path)` (an index of any engine), unless `overwrite`."""
    if exists(path) and not overwrite:
        raise IndexExistsError(
            f"an index already exists at {path} — open it, or rebuild it "
            "(`--rebuild`, API: overwrite=True)"
        )

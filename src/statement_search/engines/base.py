"""The engine boundary: what a quote engine does, answering the typed `SearchRequest`
(search/request.py).

An engine stores quote documents and answers searches over them; the manifest
(which files and articles are indexed) and the writer lock stay outside it, in
the index class that composes them.  No engine type crosses this boundary:
requests are `SearchRequest`/`Filters`, answers are `Hit`, `Quote`,
`FacetCount` and plain numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol, Self

from ..errors import IndexExistsError
from ..models import Hit, Quote
from ..search.bounds import Budget
from ..search.facets import FACETS, FacetCount
from ..search.filters import Filters
from ..search.request import SearchRequest

if TYPE_CHECKING:
    from ..extraction.topics import Taxonomy
    from ..ingest.syncing import SyncTarget
    from ..search.suggest import Suggestion

__all__ = [
    "EngineStats",
    "Filters",
    "IndexStats",
    "QuoteEngine",
    "SearchRequest",
    "refuse_existing",
]


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
    caller holds the writer lock (locking.py) around writes.  `taxonomy`
    resolves topic filters to their child topics (None: topics as given);
    `budget` bounds a query's expansions and time and keeps its notices
    (None: unbounded).
    """

    # The name an index's marker records, the engine's schema version, and where under
    # the index folder its files live ("" for the folder itself).
    name: ClassVar[str]
    schema_version: ClassVar[int]
    folder: ClassVar[str]

    @property
    def topic_stemmer(self) -> Callable[[str], str] | None:
        """The stemmer this engine's topic tags are made with (None: the taxonomy's own)."""
        ...

    @classmethod
    def create(cls, path: Path) -> Self:
        """An empty engine at `path`, replacing one that was there."""
        ...

    @classmethod
    def open(cls, path: Path) -> Self:
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

    def sync_target(self) -> SyncTarget:
        """What `ingest/syncing.Syncer` writes prepared documents into: the engine's
        `SyncTarget` (its folder, the documents its workers make, a batch writer, its
        housekeeping)."""
        ...

    def refresh(self) -> None:
        """Let go of searchers, so the next search sees writes made through `sync_target`."""
        ...

    def search(
        self, request: SearchRequest, taxonomy: Taxonomy | None = None, budget: Budget | None = None
    ) -> list[Hit]:
        """One page of hits, best first, each with its score and highlighted match spans."""
        ...

    def count(
        self, request: SearchRequest, taxonomy: Taxonomy | None = None, budget: Budget | None = None
    ) -> int:
        """How many quotes match the request's query and filters (`*` or empty: all)."""
        ...

    def facets(
        self,
        request: SearchRequest,
        taxonomy: Taxonomy | None = None,
        budget: Budget | None = None,
        names: Collection[str] = FACETS,
    ) -> dict[str, list[FacetCount]]:
        """Counts of the matching quotes by each of `names` (of `speakers`, `topics`,
        `years` and `sources`), largest first (years newest first)."""
        ...

    def suggest(
        self, query: str, filters: Filters, taxonomy: Taxonomy | None, budget: Budget
    ) -> Suggestion | None:
        """Did-you-mean: the query's unknown words corrected towards `vocabulary` (kept only
        if the corrected query finds quotes), and speakers spelt like unknown ones."""
        ...

    def vocabulary(self, prefix: str = "", limit: int | None = None) -> list[tuple[str, int]]:
        """Verbatim (unstemmed) words starting with `prefix` and their document counts,
        at most `limit` of them: what did-you-mean corrects towards."""
        ...

    def get(self, quote_id: str) -> Quote | None:
        """The stored quote with this id."""
        ...

    def article_quotes(self, article_id: str) -> list[Quote]:
        """An article's quotes in article order."""
        ...

    def similar(
        self, quote_id: str, request: SearchRequest, taxonomy: Taxonomy | None = None
    ) -> list[Hit]:
        """Quotes like this one, within the request's filters and page: ranked by its rare
        content words (`similar.weighed_terms`), copies of one utterance skipped
        (`similar.is_copy`); the request's `kinds` leave reporters' questions out.
        An unknown id is a `QueryError`."""
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

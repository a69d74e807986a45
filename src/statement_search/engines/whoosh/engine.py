"""`WhooshEngine`: quotes in a Whoosh index (engines/base.py's `QuoteEngine`), the default engine.

Searching is `search.py` (BM25F, "phrases" through word pairs, bounded
expansions), filters and facets come from per-searcher doc-id sets
(`filter_cache.py`), did-you-mean from `suggest.py`, similar quotes from
`similar.py`.  Writing is `ingest/syncing.Syncer` over `sync_target()`
(`writer.WhooshSyncTarget`: the Whoosh index, written by this package's segment
writer), or `add_quotes` /
`delete_article` / `commit` for a caller that has quotes in hand.  Whoosh-only
extras: `verify` (reads the `pairs` field, verify.py) and `optimize` (one
segment).  No Whoosh object leaves this package: answers are `Hit`, `Quote`,
`FacetCount` and plain numbers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from whoosh import index as whoosh_index
from whoosh.lang.porter import stem as whoosh_porter

from ...errors import QueryError
from ...models import Hit, Quote
from ...search.bounds import Budget
from ...search.facets import (
    FACETS,
    FacetCount,
    source_counts,
    speaker_counts,
    topic_counts,
    year_counts,
)
from ...search.filters import Filters, is_text
from ...search.suggest import Suggestion
from ..base import EngineStats, SearchRequest
from .bounds import collect
from .fast_path import (
    committed_segments,
    fast_leaf_matchers,
    keep_term_lookups,
    map_segment_files,
    matching_docs,
    merge_helpers,
    weighting,
)
from .filter_cache import FilterCache
from .schema import SCHEMA_VERSION, build_schema, document_to_quote, quote_to_document
from .search import lists_all, parse_query, run_search, runnable
from .similar import similar_hits
from .suggest import closest_speakers, correct_words
from .verify import VerifyMixin
from .writer import WhooshSyncTarget, open_writer, remove_uncommitted

map_segment_files()  # before any segment is opened: read segments through their map
fast_leaf_matchers()  # posting lists skip by binary search and decode blocks in C
keep_term_lookups()  # a segment's term looked up once

if TYPE_CHECKING:
    from whoosh.index import Index
    from whoosh.searching import Searcher

    from ...extraction.topics import Taxonomy

ENGINE_NAME = "whoosh"


class WhooshEngine(VerifyMixin):
    """A Whoosh index of quote documents in the folder `path`."""

    name: ClassVar[str] = ENGINE_NAME
    schema_version: ClassVar[int] = SCHEMA_VERSION
    folder: ClassVar[str] = ""  # the index folder itself
    # Topics are tagged with Whoosh's Porter, as this engine's indexes always were.
    topic_stemmer = staticmethod(whoosh_porter)

    def __init__(self, path: Path, whoosh: Index) -> None:
        self.path = path
        self._ix = whoosh
        self._searcher: Searcher | None = None
        self._search_cache: FilterCache | None = None
        self._writer: Any = None

    @classmethod
    def create(cls, path: Path) -> WhooshEngine:
        """An empty Whoosh index in `path` (Whoosh replaces the table of one there)."""
        return cls(path, whoosh_index.create_in(str(path), build_schema()))

    @classmethod
    def open(cls, path: Path) -> WhooshEngine:
        return cls(path, whoosh_index.open_dir(str(path)))

    @staticmethod
    def exists_in(path: Path) -> bool:
        """A Whoosh index's table of contents is in `path`."""
        return bool(whoosh_index.exists_in(str(path)))

    # -- writing -----------------------------------------------------------------------

    def sync_target(self) -> WhooshSyncTarget:
        return WhooshSyncTarget(self._ix)

    def _get_writer(self) -> Any:
        if self._writer is None:
            self._writer = open_writer(self._ix)
        return self._writer

    def add_quotes(self, quotes: Iterable[Quote], content_hash: str = "") -> None:
        writer = self._get_writer()
        for quote in quotes:
            writer.add_document(**quote_to_document(quote, content_hash))

    def delete_article(self, article_id: str) -> None:
        self._get_writer().delete_by_term("article_id", article_id)

    def commit(self) -> None:
        from .segment_merge import merge_tiers

        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.commit(mergetype=merge_tiers)
        self.refresh()

    def rollback(self) -> None:
        if self._writer is not None:
            writer, self._writer = self._writer, None
            try:
                writer.cancel()
            finally:
                remove_uncommitted(self._ix)

    def optimize(self) -> int:
        """Merge every segment into one; the segments there were before."""
        before = len(committed_segments(self._ix))
        self._merge_all()
        self.refresh()
        return before

    def _merge_all(self) -> None:
        """Every segment into one; a large index's merge written in parts by worker
        processes (`merge_parts.py`), started before the writer opens any file."""
        from ...ingest.preparing import Preparer, default_workers

        large = merge_helpers(self._ix.doc_count_all())
        workers = default_workers() if large else 0
        with Preparer(None, workers, str(self.path)) as preparer:
            writer = open_writer(self._ix)
            if hasattr(writer, "merge_helpers"):
                writer.merge_helpers = preparer.helpers
            writer.commit(optimize=True)

    # -- searchers -----------------------------------------------------------------------

    def searcher(self) -> Searcher:
        """One searcher reused across queries, reopened when the index changes.

        Whoosh's `refresh()` keeps the readers of segments it already had
        open, so documents deleted from an old segment would still be found:
        an out-of-date searcher is closed and a new one opened instead.
        """
        if self._searcher is not None and not self._searcher.up_to_date():
            self.refresh()
        if self._searcher is None:
            self._searcher = self._ix.searcher(weighting=weighting())
        return self._searcher

    def refresh(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def close(self) -> None:
        self.rollback()
        self.refresh()

    def _filter_cache(self) -> FilterCache:
        """The doc-id sets of the current searcher (built once per searcher)."""
        searcher = self.searcher()
        cache = self._search_cache
        if cache is None or cache.searcher is not searcher:
            cache = FilterCache.build(searcher)
            self._search_cache = cache
        return cache

    # -- searching -----------------------------------------------------------------------

    def search(
        self, request: SearchRequest, taxonomy: Taxonomy | None = None, budget: Budget | None = None
    ) -> list[Hit]:
        cache = self._filter_cache()
        return run_search(
            cache,
            request.query,
            request.filters,
            request.sort,
            request.limit,
            request.offset,
            taxonomy,
            budget,
        )

    def count(
        self, request: SearchRequest, taxonomy: Taxonomy | None = None, budget: Budget | None = None
    ) -> int:
        cache = self._filter_cache()
        docs = cache.docs(request.filters, taxonomy)
        if lists_all(request.query):
            return int(cache.searcher.doc_count()) if docs is None else len(docs)
        parsed = parse_query(cache.searcher, request.query, budget)
        found = matching_docs(cache.searcher, runnable(parsed))
        return len(found) if docs is None else len(found & docs)

    def facets(
        self,
        request: SearchRequest,
        taxonomy: Taxonomy | None = None,
        budget: Budget | None = None,
        names: Collection[str] = FACETS,
    ) -> dict[str, list[FacetCount]]:
        """Counts by each of `names`: only those groups' doc-id sets are read."""
        cache, docs = self._matching(request.query, request.filters, taxonomy, budget)
        return {name: _COUNTS[name](cache, docs) for name in FACETS if name in names}

    def _matching(
        self, query: str, filters: Filters, taxonomy: Taxonomy | None, budget: Budget | None
    ) -> tuple[FilterCache, set[int] | None]:
        """Doc numbers matching a query and filters (None: the whole index)."""
        budget = Budget(seconds=None) if budget is None else budget
        cache = self._filter_cache()
        docs = cache.docs(filters, taxonomy)
        if lists_all(query):
            return cache, docs
        searcher = cache.searcher
        parsed = parse_query(searcher, query, budget)
        every = searcher.collector(limit=None, scored=False)
        matched = collect(searcher, runnable(parsed), every, budget, query)
        found = set(matched.results().docs())
        return cache, found if docs is None else found & docs

    def suggest(
        self, query: str, filters: Filters, taxonomy: Taxonomy | None, budget: Budget
    ) -> Suggestion | None:
        """Corrected words (if the correction finds quotes) and speaker names, or None;
        the time spent correcting counts against `budget`."""
        cache = self._filter_cache()
        unknown = [s for s in filters.speakers if not cache.speaker_matches(s)]
        speakers = tuple(n for s in unknown for n in closest_speakers(cache, s))
        corrected = None if lists_all(query) else correct_words(cache.searcher, query, budget)
        if corrected is not None:
            kept = Filters(
                **{
                    **filters.__dict__,
                    "speakers": filters.speakers if not unknown else speakers[:1],
                }
            )
            try:
                found = run_search(cache, corrected, kept, "relevance", 1, 0, taxonomy, budget)
            except QueryError:
                found = []  # the correction is not a query that runs: not worth suggesting
            if not found:
                corrected = None
        if corrected is None and not speakers:
            return None
        return Suggestion(query=corrected, speakers=speakers)

    def vocabulary(self, prefix: str = "", limit: int | None = None) -> list[tuple[str, int]]:
        reader = self.searcher().reader()
        found: list[tuple[str, int]] = []
        for term in reader.expand_prefix("exact", prefix):
            if limit is not None and len(found) >= limit:
                break
            word = term.decode() if isinstance(term, bytes) else str(term)
            found.append((word, int(reader.doc_frequency("exact", term))))
        return found

    def similar(
        self, quote_id: str, request: SearchRequest, taxonomy: Taxonomy | None = None
    ) -> list[Hit]:
        limit = 10 if request.limit is None else request.limit
        return similar_hits(
            self._filter_cache(), quote_id, request.filters, limit, request.offset, taxonomy
        )

    # -- reading -------------------------------------------------------------------------

    def get(self, quote_id: str) -> Quote | None:
        if not is_text(quote_id):  # undecodable bytes of a command line
            return None
        searcher = self.searcher()
        docnum = searcher.document_number(id=quote_id)
        return None if docnum is None else document_to_quote(searcher.stored_fields(docnum))

    def article_quotes(self, article_id: str) -> list[Quote]:
        if not is_text(article_id):
            return []
        searcher = self.searcher()
        reader = searcher.reader()
        if ("article_id", article_id) not in reader:
            return []
        docs = searcher.postings("article_id", article_id).all_ids()
        quotes = (
            document_to_quote(searcher.stored_fields(d)) for d in docs if not reader.is_deleted(d)
        )
        return sorted(quotes, key=lambda q: q.position)

    def quotes(self) -> Iterator[Quote]:
        """Every live quote, in index order."""
        for fields in self.searcher().all_stored_fields():
            yield document_to_quote(fields)

    def stats(self) -> EngineStats:
        searcher = self.searcher()
        reader = searcher.reader()
        size = sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())
        return EngineStats(
            quotes=int(searcher.doc_count()),
            speakers=live_terms(reader, "speaker_key"),
            topics=live_terms(reader, "topics"),
            index_bytes=size,
        )

    def article_count(self) -> int:
        """Articles with a live quote (an index without a manifest knows no others)."""
        return live_terms(self.searcher().reader(), "article_id")


_COUNTS = {
    "speakers": speaker_counts,
    "topics": topic_counts,
    "years": year_counts,
    "sources": source_counts,
}


def live_terms(reader: Any, field: str) -> int:
    """Distinct terms of a field in documents that are not deleted."""
    if not reader.has_deletions():
        return sum(1 for term in reader.lexicon(field) if term)
    count = 0
    for term in reader.lexicon(field):
        if not term:
            continue
        postings = reader.postings(field, term)
        if any(not reader.is_deleted(docnum) for docnum in postings.all_ids()):
            count += 1
    return count

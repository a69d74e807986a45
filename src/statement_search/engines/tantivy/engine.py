"""The tantivy engine: quotes in a tantivy index (`pip install 'statement-search[tantivy]'`).

Same contract as the Whoosh path (engines/base.py): BM25 over the quote text
(boost 3) and the narration around it (1), the title only as an optional 0.5
boost; unfielded "quoted phrases" on the verbatim `exact` field, words on the
stemmed fields (Whoosh's tokens and stop words, Snowball stems), `word*` and
`word~` on them; speaker filters matched against aliases and last names as
`filters.py` does; facets from terms aggregations; highlights from the stored
quote text analysed as the index analyses it.  Each quote is stored whole as
JSON (`models.quote_to_json`), so fields other stages add to `Quote` flow
through without a schema change here.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import shutil
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import orjson
import tantivy

if not hasattr(tantivy.Searcher, "fast_field_values"):  # before 0.27: `_TieKeys` needs it
    raise ImportError("the tantivy engine needs tantivy 0.27 or later")

from ...errors import QueryError
from ...models import Hit, Quote, json_to_quote
from ...search.bounds import Budget, check_query, shown
from ...search.facets import FACETS, FacetCount
from ...search.filters import (
    Filters,
    fold,
    is_text,
    speaker_canon,
    speaker_forms,
    topic_keys_for,
)
from ...search.speaker_keys import SpeakerKeys
from ..base import EngineStats, SearchRequest
from ..documents import date_number
from .expand import Expander
from .query import (
    FIELD_BOOSTS,
    SORTS,
    TITLE_BOOST,
    analyzers,
    any_term,
    dated_page,
    match_terms,
    ranked_page,
    rewrite,
    running,
)
from .schema import (
    FILTERED,
    STEMMED,
    TANTIVY_SCHEMA_VERSION,
    VERBATIM,
    build_schema,
    document_fields,
    stored_json,
)
from .spans import LazyHit

if TYPE_CHECKING:
    from ...search.suggest import Suggestion
    from .writer import SyncTarget

ENGINE_NAME = "tantivy"
_FACET_SIZE = 100_000
# `QuoteEngine.facets` names → the keyword fields counted for them.
_FACET_FIELDS = {"speakers": "speaker", "topics": "topics", "years": "year", "sources": "source"}
_WRITER_HEAP = 128_000_000
# A `Filters` class → its fields with no query here (`FILTERED`): refused when set.
_UNFILTERED: dict[type, tuple[str, ...]] = {}


class TantivyEngine:
    """A tantivy index of quotes at `path` (engines/base.py's `QuoteEngine`)."""

    name: ClassVar[str] = ENGINE_NAME
    schema_version: ClassVar[int] = TANTIVY_SCHEMA_VERSION
    folder: ClassVar[str] = "tantivy"  # under the index folder
    topic_stemmer: Callable[[str], str] | None = None  # the taxonomy's own Snowball stems

    def __init__(self, path: Path, index: Any) -> None:
        self.path = path
        self._meta = str(path / "meta.json")  # rewritten by every commit (`searcher`)
        stemmed, verbatim = analyzers()
        index.register_tokenizer(STEMMED, stemmed)
        index.register_tokenizer(VERBATIM, verbatim)
        self._index = index
        self._schema = index.schema
        self._writer: Any = None
        self._cache: dict[str, Any] = {}
        self._cache_generation: tuple[int, int] | None = None
        self._pinned: Any = None  # the searcher of the search under way (`_pin`)

    @classmethod
    def create(cls, path: Path) -> TantivyEngine:
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return cls(path, tantivy.Index(build_schema(), path=str(path), reuse=False))

    @classmethod
    def open(cls, path: Path) -> TantivyEngine:
        return cls(path, tantivy.Index.open(str(path)))

    # -- writing ---------------------------------------------------------------------

    def _get_writer(self) -> Any:
        if self._writer is None:
            self._writer = self._index.writer(heap_size=_WRITER_HEAP, num_threads=1)
        return self._writer

    def add_quotes(self, quotes: Iterable[Quote], content_hash: str = "") -> None:
        self.add_documents(
            document_fields(quote, stored_json(quote, content_hash)) for quote in quotes
        )

    def add_documents(self, documents: Iterable[dict[str, Any]]) -> None:
        """Documents as `schema.document_fields` gives them (made ahead by the workers)."""
        add, document = self._get_writer().add_document, tantivy.Document
        for fields in documents:
            add(document(**fields))

    def delete_article(self, article_id: str) -> None:
        self._get_writer().delete_documents_by_term("article_id", article_id)

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()  # also lets go of tantivy's writer lock
            self._writer = None
        self._index.reload()

    def rollback(self) -> None:
        """Drop what was written since the last commit, files too: a commit that failed
        (a full disk) leaves its segment's files, which only garbage collection removes."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            try:
                writer.rollback()
                writer.garbage_collect_files()
            finally:
                writer.wait_merging_threads()

    def sync_target(self) -> SyncTarget:
        """What `ingest/syncing.Syncer` writes into: the index folder (this engine's parent)
        and a batch writer filing prepared documents here (`writer.py`)."""
        from .writer import SyncTarget

        return SyncTarget(self.path.parent, self)

    def refresh(self) -> None:
        self._cache_generation = None  # the next search reloads

    def optimize(self) -> int:
        """Tantivy merges segments itself as it commits (it has no merge-all call here):
        only files no segment uses any more are removed.  The number of segments."""
        writer = self._get_writer()
        writer.garbage_collect_files()
        self.rollback()
        return int(self.searcher().num_segments)

    def close(self) -> None:
        self.rollback()

    # -- reading ---------------------------------------------------------------------

    def searcher(self) -> Any:
        """A searcher on the last commit of any process: tantivy's own reader sees another
        process's commit only after a delay, so a count right after it was stale.  Within
        one search (`_pin`) the searcher it started with."""
        if self._pinned is not None:
            return self._pinned
        try:
            meta = os.stat(self._meta)
        except FileNotFoundError:  # a rebuild by another process, between its steps
            return self._index.searcher()
        generation = (meta.st_mtime_ns, meta.st_size)
        if self._cache_generation != generation:
            self._index.reload()
            self._cache = {}
            self._cache_generation = generation
        return self._index.searcher()

    def _values(self, field: str) -> dict[str, int]:
        """A keyword field's live values and their counts, kept until the index changes
        (its `meta.json`, rewritten by every commit of any process): a speaker filter
        would otherwise aggregate and canonicalise every speaker per query."""
        searcher = self.searcher()
        values = self._cache.get(field)
        if values is None:
            values = _buckets(searcher.aggregate(self._all(), _terms(field)), field)
            self._cache[field] = values
        return values

    def _speaker_keys(self) -> SpeakerKeys:
        """The live speakers' `speaker_keys.SpeakerKeys`, kept until the index changes."""
        keys = self._values("speaker_key")
        lookup = self._cache.get("speaker_keys")
        if lookup is None:
            lookup = self._cache["speaker_keys"] = SpeakerKeys(speaker_canon(keys))
        return lookup

    def _speaker_terms(self, speaker: str) -> list[str]:
        """The `speaker_key` terms a speaker filter names, kept until the index changes."""
        memo = self._cache.setdefault("speaker_terms", {})
        if speaker not in memo:
            memo[speaker] = self._speaker_keys().keys_for(*speaker_forms(speaker))
        return list(memo[speaker])

    def _topic_terms(self, topic: str, taxonomy: Any) -> list[str]:
        """The `topics` terms a topic filter names under `taxonomy`, kept until the index
        changes (for the taxonomy last asked with)."""
        memo = self._cache.setdefault("topic_terms", {})
        key = topic, id(taxonomy)
        if key not in memo:
            memo[key] = (taxonomy, topic_keys_for(topic, self._values("topics"), taxonomy))
        return list(memo[key][1])

    @contextmanager
    def _pin(self) -> Iterator[Any]:
        """One searcher (one stat of `meta.json`) for every step of a search."""
        outer, self._pinned = self._pinned, self.searcher()
        try:
            yield self._pinned
        finally:
            self._pinned = outer

    def stored_quote(self, searcher: Any, address: Any) -> Quote:
        return json_to_quote(orjson.loads(searcher.doc(address).get_first("doc")))

    def get(self, quote_id: str) -> Quote | None:
        if not is_text(quote_id):  # undecodable bytes of a command line
            return None
        searcher = self.searcher()
        found = searcher.search(self.term_query("id", quote_id), 1).hits
        return self.stored_quote(searcher, found[0][1]) if found else None

    def article_quotes(self, article_id: str) -> list[Quote]:
        searcher = self.searcher()
        query = self.term_query("article_id", article_id)
        hits = searcher.search(query, max(1, searcher.num_docs)).hits
        return sorted((self.stored_quote(searcher, a) for _, a in hits), key=lambda q: q.position)

    def quotes(self) -> Iterator[Quote]:
        searcher = self.searcher()
        total = searcher.num_docs
        step = 10_000
        for offset in range(0, total, step):
            hits = searcher.search(
                tantivy.Query.all_query(), step, offset=offset, order_by_field="position"
            ).hits
            for _, address in hits:
                yield self.stored_quote(searcher, address)

    def search(
        self, request: SearchRequest, taxonomy: Any = None, budget: Budget | None = None
    ) -> list[Hit]:
        outer, self._pinned = self._pinned, self.searcher()  # `_pin`, inline: per query
        try:
            return self._search(request, taxonomy, budget)
        finally:
            self._pinned = outer

    def _search(self, request: SearchRequest, taxonomy: Any, budget: Budget | None) -> list[Hit]:
        budget = Budget(seconds=None) if budget is None else budget
        if request.limit is not None and request.limit < 0 or request.offset < 0:
            raise QueryError("limit and offset must not be negative")
        listing = request.query.strip() in ("", "*")
        if listing and not request.query.strip() and not request.filters:
            raise QueryError("empty query — give some words, or `*` with a filter")
        if request.sort not in SORTS:
            raise QueryError(f"sort {request.sort!r} is not one of {', '.join(SORTS)}")
        if not listing:
            check_query(request.query)  # bounded before it is analysed
        marks = words, phrases = match_terms(request.query)  # `words` grows below
        query = self._text_query(request.query, budget, stemmed=set(words))
        query = self._filtered(query, request.filters, taxonomy)
        if query is None:
            return []
        searcher = self.searcher()
        words.update(Expander(searcher).matched(request.query))
        budget.check(request.query)
        top = searcher.num_docs if request.limit is None else request.offset + request.limit
        if top <= 0 or request.offset >= searcher.num_docs:
            return []
        read = functools.partial(self.stored_quote, searcher)
        with running(request.query):
            if request.sort == "relevance" and not listing:
                page = ranked_page(searcher, query, request.offset, top, read)
            else:
                oldest = request.sort == "date"
                page = dated_page(searcher, query, request.offset, top, oldest, read)
        budget.check(request.query)  # tantivy cannot stop a search: checked after it
        return [LazyHit(q, s, marks=marks) for s, q in page]

    def count(
        self, request: SearchRequest, taxonomy: Any = None, budget: Budget | None = None
    ) -> int:
        query = self._filtered(self._text_query(request.query, budget), request.filters, taxonomy)
        if query is None:
            return 0
        with running(request.query):
            return int(self.searcher().search(query, 1, count=True).count or 0)

    def facets(
        self,
        request: SearchRequest,
        taxonomy: Any = None,
        budget: Budget | None = None,
        names: Collection[str] = FACETS,
    ) -> dict[str, list[FacetCount]]:
        """Counts by each of `names` (`speakers`, `topics`, `years`, `sources`; names as
        stored), one terms aggregation each."""
        query = self._filtered(self._text_query(request.query, budget), request.filters, taxonomy)
        if query is None:
            return {name: [] for name in FACETS if name in names}
        aggs = {
            field: {"terms": {"field": field, "size": _FACET_SIZE}}
            for name, field in _FACET_FIELDS.items()
            if name in names
        }
        with running(request.query):
            result = self.searcher().aggregate(query, aggs)
        if budget is not None:
            budget.check(request.query)
        found: dict[str, list[FacetCount]] = {}
        for name, field in _FACET_FIELDS.items():
            if field not in aggs:
                continue
            counts = _buckets(result, field)
            if name == "years":
                years = {str(int(float(k))): n for k, n in counts.items() if float(k) > 0}
                found[name] = [FacetCount(y, years[y]) for y in sorted(years, reverse=True)]
            else:
                found[name] = _ranked(counts)
        return found

    def vocabulary(self, prefix: str = "", limit: int | None = None) -> list[tuple[str, int]]:
        found = self.searcher().terms_with_prefix("exact", prefix)
        return [(str(t), int(n)) for t, n in found[:limit]]

    def suggest(
        self, query: str, filters: Filters, taxonomy: Any, budget: Budget
    ) -> Suggestion | None:
        from .suggest import suggest

        return suggest(self, query, filters, taxonomy, budget)

    def known(self, field: str, word: str) -> bool:
        """The analysed `word` is a term of `field` (`exact` verbatim, `text` stemmed)."""
        stemmed, verbatim = analyzers()
        analyzer = verbatim if field == "exact" else stemmed
        searcher = self.searcher()
        return any(searcher.doc_freq(field, t) for t in analyzer.analyze(word))

    def speaker_names(self) -> dict[str, str]:
        """Folded speaker → name as stored, for every live speaker."""
        return {fold(name): name for name in sorted(self._values("speaker"))}

    def similar(self, quote_id: str, request: SearchRequest, taxonomy: Any = None) -> list[Hit]:
        """Quotes sharing this one's rare content words (similar.py)."""
        from .similar import similar

        return similar(self, quote_id, request, taxonomy)

    def stats(self) -> EngineStats:
        searcher = self.searcher()
        result = searcher.aggregate(self._all(), {**_terms("speaker_key"), **_terms("topics")})
        size = sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())
        return EngineStats(
            quotes=int(searcher.num_docs),
            speakers=len(_buckets(result, "speaker_key")),
            topics=len(_buckets(result, "topics")),
            index_bytes=size,
        )

    # -- queries -----------------------------------------------------------------------

    def _all(self) -> Any:
        return tantivy.Query.all_query()

    def term_query(self, field: str, value: str) -> Any:
        return tantivy.Query.term_query(self._schema, field, value)

    def _text_query(
        self, text: str, budget: Budget | None = None, stemmed: set[str] | None = None
    ) -> Any:
        """The query language (Whoosh's words, "phrases", AND/OR/NOT, field:word) in tantivy,
        bounded as the Whoosh path bounds it (bounds.py): length, edit distance, expansions.
        `stemmed`: the query's stemmed words (`match_terms`), when the caller has them."""
        if text.strip() in ("", "*"):
            return self._all()
        check_query(text)
        budget = Budget(seconds=None) if budget is None else budget
        expander = Expander(self.searcher(), budget)
        rewritten = rewrite(text, expander.fuzzy, expander.prefixed)
        try:
            parsed = self._index.parse_query(
                rewritten,
                list(FIELD_BOOSTS),
                FIELD_BOOSTS,
                conjunction_by_default=True,
                allow_regexes=True,
            )
        except ValueError as exc:
            reason = str(exc).splitlines()[0][:200] if str(exc) else "not a query"
            raise QueryError(f"cannot parse query {shown(text)}: {reason}") from None
        if stemmed is None:
            stemmed, _ = match_terms(text)
        if not stemmed:
            return parsed
        title = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, self.term_query("title", w)) for w in sorted(stemmed)]
        )
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, parsed),
                (tantivy.Occur.Should, tantivy.Query.boost_query(title, TITLE_BOOST)),
            ]
        )

    def _filtered(self, query: Any, filters: Filters, taxonomy: Any) -> Any | None:
        """`query` within `filters`, filters scoring nothing; None when no quote can pass."""
        parts = self._filter_parts(filters, taxonomy)
        if parts is None:
            return None
        if not parts:
            return query
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, query)]
            + [(tantivy.Occur.Must, tantivy.Query.const_score_query(p, 0.0)) for p in parts]
        )

    def _filter_parts(self, filters: Filters, taxonomy: Any) -> list[Any] | None:
        """One query per `Filters` field set (the one place a new filter is added, with
        `FILTERED`); None when a filter names nothing the index holds."""
        names = _UNFILTERED.get(type(filters))
        if names is None:
            fields = [f.name for f in dataclasses.fields(filters)]
            names = _UNFILTERED[type(filters)] = tuple(n for n in fields if n not in FILTERED)
        unknown = [name for name in names if getattr(filters, name)]
        if unknown:
            raise QueryError(
                f"the tantivy engine cannot filter by {', '.join(unknown)} yet — "
                "use an index built with --engine whoosh"
            )
        terms: list[tuple[str, list[str]]] = []
        if filters.speakers:
            found = [k for s in filters.speakers for k in self._speaker_terms(s)]
            terms.append(("speaker_key", found))
        if filters.topics:
            found = [k for t in filters.topics for k in self._topic_terms(t, taxonomy)]
            terms.append(("topics", found))
        if filters.sources:
            terms.append(("source_key", [fold(s) for s in filters.sources]))
        if filters.kinds:
            terms.append(("kind", list(filters.kinds)))
        if filters.attributions:
            terms.append(("attribution", list(filters.attributions)))
        if any(not values for _, values in terms):
            return None
        parts = [any_term(self._schema, f, v) for f, v in terms]
        if filters.since or filters.until:
            lo = date_number(filters.since) if filters.since else 1
            hi = date_number(filters.until) if filters.until else 99991231
            parts.append(
                tantivy.Query.range_query(
                    self._schema, "date", tantivy.FieldType.Integer, max(lo, 1), hi
                )
            )
        if filters.min_confidence:
            least = round(filters.min_confidence * 100 + 0.4999)  # as filters.py: ceil
            parts.append(
                tantivy.Query.range_query(
                    self._schema, "confidence", tantivy.FieldType.Integer, least, 100
                )
            )
        return parts


def _terms(field: str) -> dict[str, Any]:
    return {field: {"terms": {"field": field, "size": _FACET_SIZE}}}


def _buckets(result: dict[str, Any], name: str) -> dict[str, int]:
    return {str(b["key"]): int(b["doc_count"]) for b in result[name]["buckets"] if b["doc_count"]}


def _ranked(counts: dict[str, int]) -> list[FacetCount]:
    return [FacetCount(n, c) for n, c in sorted(counts.items(), key=lambda i: (-i[1], i[0])) if c]

"""`TantivyQuoteIndex`: the tantivy engine composed with the manifest and the writer lock.

Same public API as `QuoteIndex` (search, get, neighbours, similar, facets,
speakers, topics, suggest, sync/add, stats, optimize), so the CLI and scripts
do not care which engine an index uses.  The write path is `syncing.Syncer`
(change detection, duplicates, batches, the manifest's write-ahead record,
read + extract in worker processes); only the writer it files documents into
is the engine's.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import IndexNotFoundError, InputError, QueryError, SchemaVersionError
from ...ingest.locking import WriterLock
from ...ingest.manifest import MANIFEST_FILE, Manifest
from ...ingest.storage_errors import storage_errors
from ...ingest.writing import WritingMixin
from ...models import Hit, Hits, Quote
from ...search.bounds import DEFAULT_TIME_LIMIT, MAX_QUERY_CHARS, Budget
from ...search.facets import FacetCount
from ...search.filters import NOT_QUESTIONS, Filters
from ...search.paging import PagingMixin
from ..base import IndexStats, SearchRequest, refuse_existing
from ..whoosh.schema import document_to_quote
from ..whoosh.suggest import Suggestion, closest_names
from .engine import ENGINE_NAME, TantivyEngine
from .query import edit_distance
from .schema import TANTIVY_SCHEMA_VERSION

if TYPE_CHECKING:
    from ...extraction.topics import Taxonomy

META_FILE = "statement-search.json"
ENGINE_DIR = "tantivy"
_WORD = re.compile(r"(?<![\w:*?~^])([^\W\d_]{3,})(?![\w:*?~^])")
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})
Many = str | list[str] | tuple[str, ...] | None


class _Folder:
    def __init__(self, folder: str) -> None:
        self.folder = folder


class _SyncTarget:
    """What `Syncer` needs of an index (its folder, segments, a writer), over the engine."""

    def __init__(self, path: Path, engine: TantivyEngine) -> None:
        self.storage = _Folder(str(path))
        self.engine = engine

    def _segments(self) -> list[Any]:
        return []  # tantivy merges its own segments: no tier merges to plan

    def quote_writer(self) -> _EngineWriter:
        return _EngineWriter(self.engine)


class _EngineWriter:
    """The Whoosh-writer calls `Syncer` makes, mapped onto the engine."""

    def __init__(self, engine: TantivyEngine) -> None:
        self.engine = engine

    def delete_by_term(self, field: str, value: str) -> None:
        assert field == "article_id"
        self.engine.delete_article(value)

    def add_document(self, **doc: Any) -> None:
        """A prepared document (schema.py's fields) back to its quote, stored whole."""
        self.engine.add_quotes([document_to_quote(doc)], doc.get("content_hash", ""))

    def commit(self, **_options: Any) -> None:
        self.engine.commit()

    def cancel(self) -> None:
        self.engine.rollback()


def engine_of(path: Path) -> str | None:
    """The engine an index directory records (`whoosh` when it records none), or None."""
    try:
        meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return str(meta.get("engine") or "whoosh") if isinstance(meta, dict) else None


class TantivyQuoteIndex(PagingMixin, WritingMixin):
    """An index of quote documents kept by tantivy (`index --engine tantivy`)."""

    def __init__(self, path: Path, engine: TantivyEngine) -> None:
        self.path = path
        self.engine = engine

    @classmethod
    def exists(cls, path: str | Path) -> bool:
        path = Path(path)
        return engine_of(path) == ENGINE_NAME and (path / ENGINE_DIR / "meta.json").is_file()

    @classmethod
    def open(cls, path: str | Path) -> TantivyQuoteIndex:
        path = Path(path)
        if not cls.exists(path):
            raise IndexNotFoundError(f"no tantivy index at {path}")
        meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
        if meta.get("schema_version") != TANTIVY_SCHEMA_VERSION:
            raise SchemaVersionError(
                f"index at {path} has tantivy schema version {meta.get('schema_version')}, "
                f"this program needs {TANTIVY_SCHEMA_VERSION} — rebuild it with "
                "`statement-search index --rebuild --engine tantivy PATH...`"
            )
        with storage_errors(path):
            return cls(path, TantivyEngine.open(path / ENGINE_DIR))

    @classmethod
    def create(
        cls,
        path: str | Path,
        lock_timeout: float | None = None,
        overwrite: bool = False,
        exists: Callable[[Path], bool] | None = None,
    ) -> TantivyQuoteIndex:
        """An empty index; an index already there only with `overwrite`.

        `exists` says whether an index of any engine is at a path (`QuoteIndex.exists`,
        which passes itself); without it only a tantivy index counts.
        """
        path = Path(path)
        with WriterLock(path, lock_timeout):
            refuse_existing(exists or cls.exists, path, overwrite)
            return cls(path, cls._create_locked(path))

    @staticmethod
    def _create_locked(path: Path) -> TantivyEngine:
        # The marker goes first (as for Whoosh): a folder a kill left half-made is
        # still known as ours, and the next run creates it again instead of
        # refusing it as someone else's files.
        meta = {"schema_version": TANTIVY_SCHEMA_VERSION, "engine": ENGINE_NAME}
        tmp = path / (META_FILE + ".tmp")
        tmp.write_text(json.dumps(meta), encoding="utf-8")
        os.replace(tmp, path / META_FILE)
        for name in (MANIFEST_FILE, MANIFEST_FILE + "-journal"):
            (path / name).unlink(missing_ok=True)
        for whoosh_file in (*path.glob("MAIN_*.seg"), *path.glob("_MAIN_*.toc")):
            whoosh_file.unlink()  # a Whoosh index rebuilt with this engine
        engine = TantivyEngine.create(path / ENGINE_DIR)
        Manifest(path).close()
        return engine

    @classmethod
    def build(
        cls, path: str | Path, sources: Iterable[str | Path], **options: Any
    ) -> TantivyQuoteIndex:
        """A fresh index from files and folders (an existing one only with `overwrite`)."""
        overwrite = options.pop("overwrite", False)
        ix = cls.create(path, lock_timeout=options.get("lock_timeout"), overwrite=overwrite)
        ix.sync(sources, **options)
        return ix

    # -- writing -------------------------------------------------------------------------

    def _sync_target(self, has_manifest: bool) -> _SyncTarget:
        if not has_manifest:
            self.engine = self._create_locked(self.path)  # killed mid-create: start clean
        return _SyncTarget(self.path, self.engine)

    def optimize(self, lock_timeout: float | None = None) -> int:
        """Tantivy merges segments itself as it commits (it has no merge-all call here):
        only unused files are removed.  Returns the segments the index has."""
        with WriterLock(self.path, lock_timeout):
            return self.engine.tidy()

    def _articles_and_last_update(self) -> tuple[int, str | None]:
        manifest = Manifest(self.path)
        try:
            return manifest.counts()[1], manifest.get_meta("last_updated")
        finally:
            manifest.close()

    # -- reading -------------------------------------------------------------------------

    def stats(self) -> IndexStats:

        engine = self.engine.stats()
        articles, last_updated = self._articles_and_last_update()
        size = sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())
        return IndexStats(
            articles=articles,
            quotes=engine.quotes,
            speakers=engine.speakers,
            topics=engine.topics,
            index_bytes=size,
            last_updated=last_updated,
            schema_version=TANTIVY_SCHEMA_VERSION,
        )

    def count(self) -> int:
        return self.engine.stats().quotes

    def search(
        self,
        query: str = "",
        sort: str = "relevance",
        limit: int | None = 10,
        offset: int = 0,
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        **filters: Any,
    ) -> Hits:
        """Quotes matching `query` and the filters, best first; the filters are
        `Filters.make`'s keywords, as `QuoteIndex.search` documents them."""
        budget = Budget.make(time_limit)
        request = SearchRequest(query, Filters.make(**filters), sort, limit, offset)
        return Hits(self.engine.search(request, _taxonomy(), budget), budget.notices)

    def total(
        self, query: str = "", time_limit: float | None = DEFAULT_TIME_LIMIT, **filters: Any
    ) -> int:
        """How many quotes match `query` and the filters (copies each count)."""
        request = SearchRequest(_listing(query), Filters.make(**filters))
        return self.engine.count(request, _taxonomy(), Budget.make(time_limit))

    def get(self, quote_id: str) -> Quote | None:
        return self.engine.get(quote_id)

    def neighbours(self, quote_id: str, around: int = 2) -> list[Quote]:
        quote = self.get(quote_id)
        if quote is None:
            return []
        quotes = self.engine.article_quotes(quote.article_id)
        at = next(i for i, q in enumerate(quotes) if q.id == quote_id)
        return quotes[max(0, at - around) : at] + quotes[at + 1 : at + 1 + around]

    def similar(
        self,
        quote_id: str,
        limit: int = 10,
        offset: int = 0,
        kind: Many = NOT_QUESTIONS,
        **filters: Any,
    ) -> list[Hit]:
        """Quotes about what quote `quote_id` is about, best first, one per utterance
        (filters as `search`; reporters' questions left out unless `kind` asks)."""
        request = SearchRequest("", Filters.make(kind=kind, **filters), "relevance", limit, offset)
        return self.engine.similar(quote_id, request, _taxonomy())

    def verify(self, text: str, *args: Any, **kwargs: Any) -> Any:
        """Not on this engine: verify reads the Whoosh index's word pairs (verify.py)."""
        raise InputError(
            "verify needs the whoosh engine — rebuild with `statement-search index --rebuild "
            "--engine whoosh PATH...` to verify quotations"
        )

    def facets(
        self, query: str = "", time_limit: float | None = DEFAULT_TIME_LIMIT, **filters: Any
    ) -> dict[str, list[FacetCount]]:
        """Counts of the matching quotes by speaker, topic and year."""
        found = self._facets(query, time_limit, filters)
        return {name: found[name] for name in ("speakers", "topics", "years")}

    def speakers(
        self, query: str = "", time_limit: float | None = DEFAULT_TIME_LIMIT, **filters: Any
    ) -> list[FacetCount]:
        return self._facets(query, time_limit, filters)["speakers"]

    def topics(
        self, query: str = "", time_limit: float | None = DEFAULT_TIME_LIMIT, **filters: Any
    ) -> list[FacetCount]:
        return self._facets(query, time_limit, filters)["topics"]

    def sources(
        self, query: str = "", time_limit: float | None = DEFAULT_TIME_LIMIT, **filters: Any
    ) -> list[FacetCount]:
        """Quotes per source (as stored), for the whole index or for a query; largest first."""
        return self._facets(query, time_limit, filters)["sources"]

    def _facets(
        self, query: str, time_limit: float | None, filters: dict[str, Any]
    ) -> dict[str, list[FacetCount]]:
        request = SearchRequest(_listing(query), Filters.make(**filters))
        return self.engine.facets(request, _taxonomy(), Budget.make(time_limit))

    def words_starting(self, prefix: str, limit: int = 20) -> list[str]:
        """Words the quotes say (as said, lower-cased) starting with `prefix`: for completion."""
        return [word for word, _ in self.engine.vocabulary(prefix)[:limit]]

    def suggest(
        self,
        query: str = "",
        speaker: Many = None,
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        **filters: Any,
    ) -> Suggestion | None:
        """Corrected words (if the correction finds quotes) and speaker names, or None;
        an over-long query gets no correction."""
        all_filters = Filters.make(speaker=speaker, **filters)
        budget = Budget.make(time_limit)
        names = self.engine.speaker_names()
        unknown = [s for s in all_filters.speakers if not self._speaker_known(s)]
        speakers = tuple(n for s in unknown for n in closest_names(names, s))
        listing = query.strip() in ("", "*") or len(query) > MAX_QUERY_CHARS
        corrected = None if listing else self._correct(query)
        if corrected is not None:
            kept = all_filters.speakers if not unknown else speakers[:1]
            check = Filters(**{**all_filters.__dict__, "speakers": kept})
            try:
                found = self.engine.count(SearchRequest(corrected, check), _taxonomy(), budget)
            except QueryError:
                found = 0  # the correction is not a query that runs: not worth suggesting
            if not found:
                corrected = None
        if corrected is None and not speakers:
            return None
        return Suggestion(query=corrected, speakers=speakers)

    def _speaker_known(self, name: str) -> bool:
        return bool(self.engine.count(SearchRequest("*", Filters.make(speaker=name))))

    def _correct(self, text: str) -> str | None:
        """`text` with unknown words replaced by the closest indexed verbatim word."""
        changed = False

        def fix(match: re.Match[str]) -> str:
            nonlocal changed
            word = match.group(1)
            lower = word.lower()
            if word in _OPERATORS or self.engine.known("exact", lower):
                return word
            if self.engine.known("text", lower):
                return word  # another inflection is indexed
            best = _closest(lower, self.engine.vocabulary(lower[0]), 1 if len(lower) < 5 else 2)
            if best is None:
                return word
            changed = True
            return best

        corrected = _WORD.sub(fix, text)
        return corrected if changed else None

    def quotes(self) -> Iterator[Quote]:
        return self.engine.quotes()

    def close(self) -> None:
        self.engine.close()

    def __enter__(self) -> TantivyQuoteIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _listing(query: str) -> str:
    return "*" if not query.strip() else query


def _taxonomy() -> Taxonomy:
    from ...extraction.topics import load_taxonomy

    return load_taxonomy(os.environ.get("STATEMENT_SEARCH_TAXONOMY") or None)


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

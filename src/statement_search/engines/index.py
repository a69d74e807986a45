"""`QuoteIndex`: one engine (engines/base.py's `QuoteEngine`) composed with the manifest and
the writer lock: the library's front door, for either engine.

An index folder holds `statement-search.json` (its schema version and engine;
no engine means whoosh), `manifest.sqlite` (ingest/manifest.py), the writer lock
and the engine's files (Whoosh's in the folder itself, tantivy's in `tantivy/`).
`open` finds the engine from the marker; writing (`sync`, `add`, `remove`,
`optimize`, `create`) takes the writer lock and goes through `ingest/syncing.Syncer`
into the engine's `sync_target()`; searching never locks.  The public methods
take the filter keywords (`search.filters.FilterArgs`) and build one
`SearchRequest` with `SearchRequest.make`; `run` and `page` take a request.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import (
    IndexExistsError,
    IndexNotFoundError,
    IndexStorageError,
    InputError,
    SchemaVersionError,
    refuse_nul,
)
from ..ingest.locking import LOCK_FILE, WriterLock
from ..ingest.manifest import MANIFEST_FILE, Manifest
from ..ingest.storage_errors import reading, storage_errors
from ..ingest.sync_report import Progress
from ..ingest.writing import WritingMixin
from ..models import Hit, Hits, Quote
from ..search.bounds import DEFAULT_TIME_LIMIT, Budget
from ..search.facets import FacetCount
from ..search.filters import NOT_QUESTIONS, FilterArgs
from ..search.paging import PagingMixin
from ..search.request import SearchRequest
from ..search.suggest import Suggestion
from .base import IndexStats, QuoteEngine, refuse_existing
from .marker import ENGINES, META_FILE, TANTIVY_FOLDER, engine_of
from .rebuild import SWAP_FILE, RebuildMixin, settle

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..extraction.topics import Taxonomy
    from ..ingest.syncing import SyncTarget

_DAMAGED_MARKER = (
    "{path}: {meta} is damaged or names an engine this version does not know — "
    "rebuild the index with `statement-search index --rebuild PATH...`"
)


class QuoteIndex(PagingMixin, WritingMixin, RebuildMixin):
    """An index of quote documents in a directory, kept by one engine.

    Example:
        ix = QuoteIndex.build("index", ["corpus"])
        report = ix.sync(["corpus"])        # later: only what changed
        for hit in ix.search("peace", speaker="Lukashenko"):
            print(hit.quote.speaker, hit.quote.text)
    """

    def __init__(self, path: Path, engine: QuoteEngine) -> None:
        self.path = path
        self.engine = engine
        self.topic_stemmer = engine.topic_stemmer

    @property
    def engine_name(self) -> str:
        """`whoosh` or `tantivy`."""
        return self.engine.name

    # -- opening and creating -------------------------------------------------------------

    @classmethod
    def exists(cls, path: str | Path) -> bool:
        """An index of any engine is at `path` (a damaged one too: `open` says so)."""
        path = Path(path)
        if "\0" in str(path):  # no file name holds one
            return False
        if _damaged_marker(path) or (path / SWAP_FILE).is_file():  # a swap `open` settles
            return True
        engine = engine_of(path)
        if engine == "tantivy":
            return (path / TANTIVY_FOLDER / "meta.json").is_file()
        if not (path / META_FILE).is_file():
            return False
        from .whoosh.engine import WhooshEngine

        return WhooshEngine.exists_in(path)

    @classmethod
    def open(cls, path: str | Path) -> QuoteIndex:
        """Open an existing index with the engine its marker names; a missing, damaged or
        incompatible one is a clear error.  A swap a killed rebuild left is settled first
        (finished or rolled back, `rebuild.settle`)."""
        path = Path(path)
        refuse_nul(path, IndexNotFoundError)
        settle(path)  # a rebuild killed while swapping: finished or rolled back
        if _damaged_marker(path):
            raise IndexStorageError(_DAMAGED_MARKER.format(path=path, meta=META_FILE))
        name = engine_of(path) or "whoosh"
        engine = engine_class(name)
        if not cls.exists(path):
            where = "" if name == "whoosh" else f"{name} "
            raise IndexNotFoundError(
                f"no {where}index at {path} — run `statement-search index corpus/` to build one"
            )
        try:
            meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
            version = meta.get("schema_version") if isinstance(meta, dict) else None
        except (OSError, ValueError):
            version = None
        if version != engine.schema_version:
            which, flag = ("", "") if name == "whoosh" else (f"{name} ", f" --engine {name}")
            raise SchemaVersionError(
                f"index at {path} has {which}schema version {version}, this program needs "
                f"{engine.schema_version} — rebuild it with "
                f"`statement-search index --rebuild{flag} PATH...`"
            )
        with storage_errors(path):
            return cls(path, engine.open(path / engine.folder))

    @classmethod
    def create(
        cls,
        path: str | Path,
        lock_timeout: float | None = None,
        overwrite: bool = False,
        engine: str = "whoosh",
    ) -> QuoteIndex:
        """Create an empty index; an index already there is replaced only with `overwrite`.

        `engine` is `whoosh` (default) or `tantivy` (the optional dependency).
        The check is made under the writer lock, so of two first runs at once
        the second finds the first's index instead of wiping it.  A folder
        holding other files is never used (creating would delete Whoosh-named
        files in it).
        """
        path = Path(path)
        refuse_nul(path, IndexStorageError)
        if engine not in ENGINES:
            raise InputError(f"unknown engine {engine!r} — use whoosh or tantivy")
        if path.exists() and not path.is_dir():
            raise IndexExistsError(f"{path} is a file, not an index folder")
        if _foreign(path):
            raise IndexExistsError(
                f"{path} holds other files and no index — give an empty or new folder"
            )
        if _damaged_marker(path) and not overwrite:  # an index all the same: never wiped
            raise IndexExistsError(_DAMAGED_MARKER.format(path=path, meta=META_FILE))
        kind = engine_class(engine)
        with storage_errors(path), WriterLock(path, lock_timeout):
            refuse_existing(cls.exists, path, overwrite)
            return cls(path, _create_locked(path, kind))

    @classmethod
    def build(
        cls,
        path: str | Path,
        sources: Iterable[str | Path],
        taxonomy: Taxonomy | None = None,
        on_error: Callable[[InputError], None] | None = None,
        progress: Callable[[Progress], None] | None = None,
        lock_timeout: float | None = None,
        overwrite: bool = False,
        engine: str = "whoosh",
        **options: Any,
    ) -> QuoteIndex:
        """Create a fresh index from files and folders (an existing one only with `overwrite`:
        built beside it and swapped in, `rebuild.py`); `options` as `sync`."""
        if overwrite and cls.swappable(path, engine):
            options.update(taxonomy=taxonomy, on_error=on_error, progress=progress)
            cls.rebuild(path, sources, engine, lock_timeout, **options)
            return cls.open(path)
        ix = cls.create(path, lock_timeout=lock_timeout, overwrite=overwrite, engine=engine)
        ix.sync(
            sources,
            taxonomy=taxonomy,
            on_error=on_error,
            progress=progress,
            lock_timeout=lock_timeout,
            **options,
        )
        return ix

    # -- writing --------------------------------------------------------------------------

    def _sync_target(self, has_manifest: bool) -> SyncTarget:
        if not has_manifest:  # killed mid-create: start clean
            self.engine.close()
            self.engine = _create_locked(self.path, type(self.engine))
        return self.engine.sync_target()

    def _written(self) -> None:
        self.engine.refresh()

    def optimize(self, lock_timeout: float | None = None) -> int:
        """Finish a pending batch, then let the engine tidy its segments (Whoosh merges them
        into one; tantivy, which merges as it commits, removes unused files).  Returns
        the segments before (Whoosh) or kept (tantivy)."""
        from ..ingest.syncing import Syncer

        try:
            with storage_errors(self.path), WriterLock(self.path, lock_timeout):
                if Manifest.exists_in(self.path):  # never create one beside foreign documents
                    manifest = Manifest(self.path)
                    try:
                        Syncer(self.engine.sync_target(), manifest).recover()
                    finally:
                        manifest.close()
                optimize: Callable[[], int] | None = getattr(self.engine, "optimize", None)
                return optimize() if optimize is not None else 0
        finally:
            self._written()

    @reading
    def stats(self) -> IndexStats:
        """Counts over live quotes, the index size on disk and when it last changed."""
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
            schema_version=self.engine.schema_version,
        )

    def _articles_and_last_update(self) -> tuple[int, str | None]:
        """Every indexed article (the manifest also knows quoteless ones), cheaply."""
        if Manifest.exists_in(self.path):
            manifest = Manifest(self.path)
            try:
                return manifest.counts()[1], manifest.get_meta("last_updated")
            finally:
                manifest.close()
        return len({quote.article_id for quote in self.engine.quotes()}), None

    @reading
    def count(self) -> int:
        """Live quotes in the index."""
        return self.engine.count(SearchRequest("*"))

    # -- searching ------------------------------------------------------------------------

    @reading
    def run(self, request: SearchRequest) -> Hits:
        """The typed search: one page of hits for `request`, best first, with what a
        bounded query was narrowed to in `notices`."""
        budget = Budget.make(request.time_limit)
        return Hits(self.engine.search(request, _taxonomy(), budget), budget.notices)

    @reading
    def matches(self, request: SearchRequest) -> int:
        """How many quotes match `request`'s query and filters (copies each count)."""
        return self.engine.count(request, _taxonomy(), Budget.make(request.time_limit))

    def search(
        self,
        query: str = "",
        *,
        sort: str = "relevance",
        limit: int | None = 10,
        offset: int = 0,
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        **filters: Unpack[FilterArgs],
    ) -> Hits:
        """Quotes matching `query` and the filters, best first (BM25).

        An empty query or `*` with filters lists every quote passing them,
        newest first.  The filters (`FilterArgs`): `speaker`, `topic`, `source`
        (one or several), `since`/`until` (`2024`, `2024-04` or `2024-04-05`),
        `kind` (`quote`, `turn` and/or `question`; default all), `min_confidence`
        (0–1), `attribution` ("name", "label", "role", …; several, or
        comma-separated).  A query running past `time_limit` seconds (None: no
        limit) is a QueryTimeoutError; what a bounded query was narrowed to is
        said in the result's `notices`.
        """
        return self.run(SearchRequest.make(query, sort, limit, offset, time_limit, **filters))

    def total(
        self,
        query: str = "",
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        **filters: Unpack[FilterArgs],
    ) -> int:
        """How many quotes match `query` and the filters (copies of one utterance each count)."""
        return self.matches(SearchRequest.make(query, time_limit=time_limit, **filters))

    def facets(
        self,
        query: str = "",
        *,
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        **filters: Unpack[FilterArgs],
    ) -> dict[str, list[FacetCount]]:
        """Counts of the matching quotes by speaker, topic and year."""
        request = SearchRequest.make(query, time_limit=time_limit, **filters)
        return self._facets(request, ("speakers", "topics", "years"))

    def speakers(
        self,
        query: str = "",
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        **filters: Unpack[FilterArgs],
    ) -> list[FacetCount]:
        """Quotes per speaker, for the whole index or for a query; largest first."""
        request = SearchRequest.make(query, time_limit=time_limit, **filters)
        return self._facets(request, ("speakers",))["speakers"]

    def topics(
        self,
        query: str = "",
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        **filters: Unpack[FilterArgs],
    ) -> list[FacetCount]:
        """Quotes per topic, for the whole index or for a query; largest first."""
        request = SearchRequest.make(query, time_limit=time_limit, **filters)
        return self._facets(request, ("topics",))["topics"]

    def sources(
        self,
        query: str = "",
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        **filters: Unpack[FilterArgs],
    ) -> list[FacetCount]:
        """Quotes per source (outlet or site, as stored), for the whole index or for a
        query; largest first."""
        request = SearchRequest.make(query, time_limit=time_limit, **filters)
        return self._facets(request, ("sources",))["sources"]

    @reading
    def _facets(
        self, request: SearchRequest, names: tuple[str, ...]
    ) -> dict[str, list[FacetCount]]:
        budget = Budget.make(request.time_limit)
        return self.engine.facets(request, _taxonomy(), budget, names)

    @reading
    def suggest(
        self,
        query: str = "",
        *,
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        **filters: Unpack[FilterArgs],
    ) -> Suggestion | None:
        """Corrected words (if the correction finds quotes) and speaker names, or None.

        Bounded like a search: an over-long query gets no correction, and the
        time spent correcting counts against `time_limit`.
        """
        request = SearchRequest.make(query, time_limit=time_limit, **filters)
        budget = Budget.make(time_limit)
        return self.engine.suggest(query, request.filters, _taxonomy(), budget)

    @reading
    def similar(
        self,
        quote_id: str,
        *,
        limit: int = 10,
        offset: int = 0,
        **filters: Unpack[FilterArgs],
    ) -> list[Hit]:
        """Quotes about what quote `quote_id` is about, best first, one per utterance
        (filters as `search`; reporters' questions left out unless `kind` asks)."""
        filters.setdefault("kind", NOT_QUESTIONS)
        request = SearchRequest.make("", "relevance", limit, offset, **filters)
        return self.engine.similar(quote_id, request, _taxonomy())

    @reading
    def verify(
        self,
        text: str,
        speaker: str | None = None,
        include_questions: bool = False,
        limit: int = 10,
    ) -> Any:
        """Whether `text` was said as worded, by whom, first where (`Verification`);
        only the Whoosh engine can tell (it reads the index's word pairs)."""
        verify = getattr(self.engine, "verify", None)
        if verify is None:
            raise InputError(
                f"verify needs the whoosh engine, this index uses {self.engine_name} — rebuild "
                "with `statement-search index --rebuild --engine whoosh PATH...` to verify "
                "quotations"
            )
        return verify(text, speaker=speaker, include_questions=include_questions, limit=limit)

    # -- reading --------------------------------------------------------------------------

    @reading
    def get(self, quote_id: str) -> Quote | None:
        """The quote with this id, or None."""
        return self.engine.get(quote_id)

    @reading
    def neighbours(self, quote_id: str, around: int = 2) -> list[Quote]:
        """The quotes before and after this one in its article, in article order."""
        quote = self.get(quote_id)
        if quote is None:
            return []
        quotes = self.engine.article_quotes(quote.article_id)
        at = next(i for i, q in enumerate(quotes) if q.id == quote_id)
        return quotes[max(0, at - around) : at] + quotes[at + 1 : at + 1 + around]

    @reading
    def words_starting(self, prefix: str, limit: int = 20) -> list[str]:
        """Words the quotes say (as said, lower-cased) starting with `prefix`: for completion."""
        return [word for word, _ in self.engine.vocabulary(prefix, limit)]

    def quotes(self) -> Iterator[Quote]:
        """Every live quote (for exports)."""
        return self.engine.quotes()

    def close(self) -> None:
        self.engine.close()

    def __enter__(self) -> QuoteIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def engine_class(name: str) -> type[QuoteEngine]:
    """The engine class an index marker names; a clear error when tantivy is not installed."""
    if name == "whoosh":
        from .whoosh.engine import WhooshEngine

        return WhooshEngine
    try:
        from .tantivy.engine import TantivyEngine
    except ImportError:
        raise InputError(
            "this index uses the tantivy engine (tantivy 0.27 or later) — install it with "
            "`pip install -U 'statement-search[tantivy]'`"
        ) from None
    return TantivyEngine


def _create_locked(path: Path, engine: type[QuoteEngine]) -> QuoteEngine:
    # The schema marker goes first, so a folder a kill left half-made is still
    # known as ours.  Then the manifest is removed: a kill after this point
    # leaves no manifest, which `sync` treats as "empty the engine before use".
    tmp = path / (META_FILE + ".tmp")
    meta = {"schema_version": engine.schema_version, "engine": engine.name}
    tmp.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(tmp, path / META_FILE)
    for name in (MANIFEST_FILE, MANIFEST_FILE + "-journal", SWAP_FILE):
        (path / name).unlink(missing_ok=True)
    if engine.name == "whoosh":
        shutil.rmtree(path / TANTIVY_FOLDER, ignore_errors=True)  # another engine's files
    else:
        for whoosh_file in (*path.glob("MAIN_*.seg"), *path.glob("_MAIN_*.toc")):
            whoosh_file.unlink()  # a Whoosh index rebuilt with another engine
    created = engine.create(path / engine.folder)
    Manifest(path).close()
    return created


def _taxonomy() -> Taxonomy:
    from ..extraction.topics import configured_taxonomy

    return configured_taxonomy()


def _damaged_marker(path: Path) -> bool:
    """An index marker we cannot read: written atomically, so never half-made by a
    kill; the folder holds an index (damaged, or a later version's) to keep."""
    return (path / META_FILE).is_file() and engine_of(path) not in ENGINES


def _foreign(path: Path) -> bool:
    """A folder with files in it but no index marker: someone else's files."""
    if not path.is_dir() or (path / META_FILE).exists():
        return False
    ours = {LOCK_FILE, META_FILE + ".tmp"}
    return any(entry.name not in ours for entry in path.iterdir())

"""Index stage: [Quote] → a Whoosh index on disk, and the `QuoteIndex` handle.

`QuoteIndex` is the library's front door: it builds, updates and searches an
index directory.  Searching is delegated to `search.py`; Whoosh objects never
leave these modules.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from whoosh import index as whoosh_index
from whoosh.lang.porter import stem as whoosh_porter

from ...errors import (
    IndexExistsError,
    IndexNotFoundError,
    IndexStorageError,
    InputError,
    SchemaVersionError,
)
from ...ingest.locking import LOCK_FILE, WriterLock
from ...ingest.manifest import MANIFEST_FILE, Manifest
from ...ingest.storage_errors import storage_errors
from ...ingest.sync_report import Progress
from ...ingest.writing import WritingMixin
from ...models import Quote
from ...search.paging import PagingMixin
from ..base import IndexStats, refuse_existing
from .fast_path import committed_segments, map_segment_files, merge_helpers
from .schema import SCHEMA_VERSION, build_schema, document_to_quote
from .search import SearchMixin
from .similar import SimilarMixin
from .syncing import Syncer, open_writer
from .verify import VerifyMixin

map_segment_files()  # before any segment is opened: read segments through their map

if TYPE_CHECKING:
    from whoosh.index import Index
    from whoosh.searching import Searcher

    from ...extraction.topics import Taxonomy

META_FILE = "statement-search.json"


class QuoteIndex(SearchMixin, SimilarMixin, VerifyMixin, PagingMixin, WritingMixin):
    """An index of quote documents in a directory.

    Writing (`sync`, `add`, `optimize`, `create`) takes the writer lock
    (locking.py) and commits in batches (syncing.py); searching never locks.

    Example:
        ix = QuoteIndex.build("index", ["corpus"])
        report = ix.sync(["corpus"])        # later: only what changed
        for hit in ix.search("peace", speaker="Lukashenko"):
            print(hit.quote.speaker, hit.quote.text)
    """

    # Topics are tagged with Whoosh's Porter, as this engine's indexes always were.
    topic_stemmer = staticmethod(whoosh_porter)

    def __init__(self, path: Path, whoosh: Index) -> None:
        self.path = path
        self._ix = whoosh
        self._searcher: Searcher | None = None

    # -- opening and creating -------------------------------------------------

    @classmethod
    def exists(cls, path: str | Path) -> bool:
        path = Path(path)
        if _damaged_marker(path):
            return True  # an index all the same, which `open` says is damaged
        if _engine_of(path) == "tantivy":
            from ..tantivy.index import TantivyQuoteIndex

            return TantivyQuoteIndex.exists(path)
        return (path / META_FILE).is_file() and whoosh_index.exists_in(str(path))

    @classmethod
    def open(cls, path: str | Path) -> QuoteIndex:
        """Open an existing index; a missing or incompatible one is a clear error.

        An index made with `engine="tantivy"` opens as a `TantivyQuoteIndex`, which
        answers the same public calls (engines/)."""
        path = Path(path)
        if _damaged_marker(path):
            raise IndexStorageError(_DAMAGED_MARKER.format(path=path, meta=META_FILE))
        if _engine_of(path) == "tantivy":
            return cast("QuoteIndex", _tantivy_index().open(path))
        if not cls.exists(path):
            raise IndexNotFoundError(
                f"no index at {path} — run `statement-search index corpus/` to build one"
            )
        try:
            meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
            version = meta.get("schema_version") if isinstance(meta, dict) else None
        except (OSError, ValueError):
            version = None
        if version != SCHEMA_VERSION:
            raise SchemaVersionError(
                f"index at {path} has schema version {version}, this program needs "
                f"{SCHEMA_VERSION} — rebuild it with `statement-search index --rebuild PATH...`"
            )
        with storage_errors(path):
            return cls(path, whoosh_index.open_dir(str(path)))

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
        if engine == "tantivy":
            return cast(
                "QuoteIndex", _tantivy_index().create(path, lock_timeout, overwrite, cls.exists)
            )
        with storage_errors(path), WriterLock(path, lock_timeout):
            refuse_existing(cls.exists, path, overwrite)
            return cls(path, cls._create_locked(path))

    @staticmethod
    def _create_locked(path: Path) -> Index:
        # The schema marker goes first, so a folder a kill left half-made is still
        # known as ours.  Then the manifest is removed: a kill after this point
        # leaves no manifest, which `sync` treats as "empty the Whoosh index before use".
        _write_meta(path)
        for name in (MANIFEST_FILE, MANIFEST_FILE + "-journal"):
            (path / name).unlink(missing_ok=True)
        shutil.rmtree(path / "tantivy", ignore_errors=True)  # another engine's files
        ix = whoosh_index.create_in(str(path), build_schema())
        Manifest(path).close()
        return ix

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
    ) -> QuoteIndex:
        """Create a fresh index from files and folders (an existing one only with `overwrite`)."""
        ix = cls.create(path, lock_timeout=lock_timeout, overwrite=overwrite)
        ix.sync(
            sources,
            taxonomy=taxonomy,
            on_error=on_error,
            progress=progress,
            lock_timeout=lock_timeout,
        )
        return ix

    # -- writing ----------------------------------------------------------------

    def _sync_target(self, has_manifest: bool) -> Index:
        if not has_manifest:
            self._ix = self._create_locked(self.path)  # killed mid-create: start clean
        return self._ix

    def _written(self) -> None:
        self._reset_searcher()

    def optimize(self, lock_timeout: float | None = None) -> int:
        """Merge all segments into one (faster searches after many small adds); segments before."""
        with storage_errors(self.path), WriterLock(self.path, lock_timeout):
            before = len(committed_segments(self._ix))
            if Manifest.exists_in(self.path):  # never create one beside foreign documents
                manifest = Manifest(self.path)
                try:
                    Syncer(self._ix, manifest).recover()
                finally:
                    manifest.close()
            self._merge_all()
        self._reset_searcher()
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

    def stats(self) -> IndexStats:
        """Counts over live documents, the index size on disk and when it last changed."""
        searcher = self.searcher()
        reader = searcher.reader()
        articles, last_updated = self._articles_and_last_update()
        size = sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())
        return IndexStats(
            articles=articles,
            quotes=int(searcher.doc_count()),
            speakers=_live_terms(reader, "speaker_key"),
            topics=_live_terms(reader, "topics"),
            index_bytes=size,
            last_updated=last_updated,
            schema_version=SCHEMA_VERSION,
        )

    def _articles_and_last_update(self) -> tuple[int, str | None]:
        """Every indexed article (the manifest also knows quoteless ones), cheaply."""
        if Manifest.exists_in(self.path):
            manifest = Manifest(self.path)
            try:
                return manifest.counts()[1], manifest.get_meta("last_updated")
            finally:
                manifest.close()
        return _live_terms(self.searcher().reader(), "article_id"), None

    # -- reading ---------------------------------------------------------------

    def words_starting(self, prefix: str, limit: int = 20) -> list[str]:
        """Words the quotes say (as said, lower-cased) starting with `prefix`: for completion."""
        found: list[str] = []
        for term in self.searcher().reader().expand_prefix("exact", prefix):
            found.append(term.decode() if isinstance(term, bytes) else str(term))
            if len(found) == limit:
                break
        return found

    def searcher(self) -> Searcher:
        """One searcher reused across queries, reopened when the index changes.

        Whoosh's `refresh()` keeps the readers of segments it already had
        open, so documents deleted from an old segment would still be found:
        an out-of-date searcher is closed and a new one opened instead.
        """
        if self._searcher is not None and not self._searcher.up_to_date():
            self._reset_searcher()
        if self._searcher is None:
            self._searcher = self._ix.searcher()
        return self._searcher

    def _reset_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def close(self) -> None:
        self._reset_searcher()

    def __enter__(self) -> QuoteIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def count(self) -> int:
        return int(self.searcher().doc_count())

    def quotes(self) -> Iterator[Quote]:
        """Every live quote (for exports), in index order."""
        for fields in self.searcher().all_stored_fields():
            yield document_to_quote(fields)


def _engine_of(path: Path) -> str | None:
    from ..tantivy.index import engine_of

    return engine_of(path)


def _tantivy_index() -> Any:
    """`TantivyQuoteIndex`, or a clear error when the optional dependency is missing."""
    try:
        from ..tantivy.index import TantivyQuoteIndex
    except ImportError:
        raise InputError(
            "this index uses the tantivy engine — install it with "
            "`pip install 'statement-search[tantivy]'`"
        ) from None
    return TantivyQuoteIndex


def _write_meta(path: Path) -> None:
    tmp = path / (META_FILE + ".tmp")
    meta = {"schema_version": SCHEMA_VERSION, "engine": "whoosh"}
    tmp.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(tmp, path / META_FILE)


ENGINES = ("whoosh", "tantivy")
_DAMAGED_MARKER = (
    "{path}: {meta} is damaged or names an engine this version does not know — "
    "rebuild the index with `statement-search index --rebuild PATH...`"
)


def _damaged_marker(path: Path) -> bool:
    """An index marker we cannot read: written atomically, so never half-made by a
    kill; the folder holds an index (damaged, or a later version's) to keep."""
    return (path / META_FILE).is_file() and _engine_of(path) not in ENGINES


def _foreign(path: Path) -> bool:
    """A folder with files in it but no index marker: someone else's files."""
    if not path.is_dir() or (path / META_FILE).exists():
        return False
    ours = {LOCK_FILE, META_FILE + ".tmp"}
    return any(entry.name not in ours for entry in path.iterdir())


def _live_terms(reader: Any, field: str) -> int:
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

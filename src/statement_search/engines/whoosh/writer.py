"""What `ingest/syncing.Syncer` writes into over a Whoosh index (`WhooshEngine.sync_target()`).

Whoosh's part of the write path, reached only through `SyncTarget`: its writer
opened through `fast_path.py` (ours or Whoosh's, with Whoosh's lock error as an
`IndexLockedError`), each batch committed under the fast path's merge policy, a
large batch's tier merge in a commit of its own after it, the segment files and
folded postings no commit refers to removed, and the documents the preparing
workers make (with their Whoosh postings analysed ahead on the fast path).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from contextlib import suppress
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh.index import LockError, clean_files

from ...errors import IndexLockedError
from ...models import Quote
from ..documents import quote_documents
from . import fast_path
from .fast_path import analyze_ahead, committed_segments, merge_policy, tiers_to_merge
from .heap import give_back_freed_memory
from .schema import build_schema

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from whoosh.index import Index

    from .postings import DocumentAnalyzer

# A batch at least this large is committed before its tier merge runs, in a
# commit of its own: the batch's postings are freed before the merge's memory is
# taken (and the batch is safe on disk sooner).  Our writer folds a batch's
# postings into compact runs (`MemoryPostingPool`), so that ingest's bulk batches fit.
SEPARATE_MERGE_QUOTES = 20_000


class WhooshSyncTarget:
    """A Whoosh index as `Syncer` writes into it (ingest/syncing.py's `SyncTarget`)."""

    def __init__(self, ix: Index) -> None:
        self.ix = ix

    @property
    def folder(self) -> str:
        return str(self.ix.storage.folder)

    def documents(self) -> Callable[[list[Quote], str], list[Any]]:
        """Stored documents, with their postings made ahead for our writer (fast path)."""
        return analyzed_documents if analyze_ahead() else quote_documents

    def open_writer(
        self, options: dict[str, Any], helpers: tuple[Executor, int] | None
    ) -> WhooshBatchWriter:
        writer = open_writer(self.ix, **options)
        if hasattr(writer, "merge_helpers"):
            writer.merge_helpers = helpers
        return WhooshBatchWriter(writer)

    def remove_uncommitted(self) -> None:
        remove_uncommitted(self.ix)

    def after_commit(
        self, quotes: int, open_writer: Callable[[], Any], collect: Callable[[], None]
    ) -> None:
        """After a large batch: its memory given back, then a commit that only merges,
        when the tier policy has segments to merge or drop (`tiers_to_merge`)."""
        if quotes < SEPARATE_MERGE_QUOTES:
            return
        give_back_freed_memory()  # the batch's postings and pool, before a merge
        if not tiers_to_merge(self.ix):
            return
        writer = open_writer()
        try:
            writer.commit(0)
        except BaseException:
            writer.cancel()
            raise
        del writer
        collect()
        give_back_freed_memory()


class WhooshBatchWriter:
    """One batch through a Whoosh writer (ours or Whoosh's, `writer`)."""

    def __init__(self, writer: Any) -> None:
        self.writer = writer

    def delete_article(self, article_id: str) -> None:
        self.writer.delete_by_term("article_id", article_id)

    def add_documents(self, documents: list[Any], content_hash: str) -> None:
        """Documents made by `WhooshSyncTarget.documents` (they hold their content hash)."""
        for doc in documents:
            self.writer.add_document(**doc)

    def commit(self, quotes: int) -> None:
        """A batch of `SEPARATE_MERGE_QUOTES` or more merges nothing in its own commit
        (`WhooshSyncTarget.after_commit` does); a smaller one under the tier policy."""
        self.writer.commit(mergetype=merge_policy(quotes >= SEPARATE_MERGE_QUOTES))

    def cancel(self) -> None:
        self.writer.cancel()


def analyzed_documents(quotes: list[Quote], content_hash: str) -> list[dict[str, Any]]:
    """Stored documents with their postings (`POSTINGS_KEY`), made beside extraction so
    the writing process only files them (the fast path's, see fast_path.py)."""
    from .postings import POSTINGS_KEY

    analyzer = _document_analyzer()
    docs = quote_documents(quotes, content_hash)
    for doc in docs:
        doc[POSTINGS_KEY] = analyzer(doc)
    return docs


@lru_cache(maxsize=1)
def _document_analyzer() -> DocumentAnalyzer:
    from .postings import DocumentAnalyzer

    return DocumentAnalyzer(build_schema())


def remove_uncommitted(ix: Index) -> None:
    """Delete the segment files and folded postings no commit refers to (best effort)."""
    with suppress(Exception):
        clean_files(ix.storage, ix.indexname, ix.latest_generation(), committed_segments(ix))
    with suppress(Exception):
        from .pool_runs import remove_stale_runs  # our writer's files; none without it

        remove_stale_runs(Path(ix.storage.folder))
    # The writer's temporary storage (Whoosh names it "<index name>.tmp").
    shutil.rmtree(Path(ix.storage.folder) / f"{ix.indexname}.tmp", ignore_errors=True)


def open_writer(ix: Index, **options: Any) -> Any:
    """A Whoosh writer; its own lock is only contended by programs other than ours.

    Ours (segment_writer.py) on the fast path (fast_path.py) unless Whoosh's
    multiprocess writer is asked for; Whoosh's own otherwise.
    """
    try:
        return fast_path.open_writer(ix, **options)
    except LockError:
        raise IndexLockedError(
            f"the Whoosh write lock in {ix.storage.folder} is held by another "
            "program — close it and retry"
        ) from None


if TYPE_CHECKING:  # mypy checks both against ingest's protocols
    from ...ingest.syncing import BatchWriter, SyncTarget

    _TARGET: type[SyncTarget] = WhooshSyncTarget
    _WRITER: type[BatchWriter] = WhooshBatchWriter

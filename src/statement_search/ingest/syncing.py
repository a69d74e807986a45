"""Index stage, the write path for every engine: files → batches of quote documents → commits.

`Syncer` brings an index in step with files and folders: new files are added,
changed ones (by content hash; size+mtime is only the fast "unchanged" check)
re-indexed, files gone from a synced folder removed, the rest skipped.  Work
is committed in batches; each batch is one engine commit bracketed by the
manifest's write-ahead `pending` record and its confirmation (manifest.py), so
a `kill -9` loses at most one batch and the next run redoes exactly that.

Files are streamed in order: memory holds one batch and a bounded window of
files being prepared (read + extracted) by worker processes (preparing.py),
never the corpus.  Every decision and write happens here, in file order, so a
pooled run writes exactly what an inline one does.

The engine is reached only through its `SyncTarget` (`QuoteEngine.sync_target()`)
and the `BatchWriter`s it opens; no engine package is imported here.
"""

from __future__ import annotations

import gc
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import InputError
from .budget import seconds_per_mb
from .manifest import ArticleEntry, Manifest, SourceEntry
from .preparing import (
    POOL_MIN_FILES,
    DocumentMaker,
    PreparedArticle,
    PreparedFile,
    Preparer,
    default_workers,
)
from .sync_report import Progress, SyncReport

if TYPE_CHECKING:
    from ..extraction.topics import Taxonomy

# One commit per batch: a kill -9 loses at most one batch, and every segment
# (Whoosh makes one a commit) costs each query a matcher setup, so bulk batches
# are large (28k quotes: 13 segments at 5,000 quotes gave 3.4 ms p50, 2 segments
# 1.7 ms).  A batch of 150k quotes starts in Whoosh's tier of 100k+ segments:
# batches of 20k were each rewritten once more by a tier merge, a fifth of a 10x
# build's CPU time.
BATCH_ARTICLES = 20_000
BATCH_QUOTES = 150_000
# A sync removing more than this share of the indexed files (and more than
# PRUNE_MIN_FILES) needs `prune=True`: a moved or unmounted folder looks deleted.
PRUNE_SHARE = 0.5
PRUNE_MIN_FILES = 10


Helpers = tuple[Executor, int]  # a worker pool and its size, for work between files


class BatchWriter(Protocol):
    """One batch's writes into an engine, invisible until `commit`."""

    def delete_article(self, article_id: str) -> None:
        """Remove every quote of the article (committed or not)."""
        ...

    def add_documents(self, documents: list[Any], content_hash: str) -> None:
        """Store one article's prepared documents (made by the target's `documents`)."""
        ...

    def commit(self, quotes: int) -> None:
        """Make the batch durable and searchable; `quotes` is how many it added."""
        ...

    def cancel(self) -> None:
        """Drop the batch."""
        ...


class SyncTarget(Protocol):
    """What `Syncer` writes into: an engine's side of the write path (`sync_target()`)."""

    @property
    def folder(self) -> str:
        """The index folder: never read as articles; the workers let go of its files."""
        ...

    def documents(self) -> DocumentMaker | None:
        """What the preparing workers make of an article's quotes (None: the quotes);
        a module-level function, so a worker process can be handed it."""
        ...

    def open_writer(self, options: dict[str, Any], helpers: Helpers | None) -> BatchWriter:
        """A writer for one batch (`options` are the caller's `writer_options`; `helpers`
        the worker pool, when the run has one); `IndexLockedError` when another
        program holds the engine's own lock."""
        ...

    def remove_uncommitted(self) -> None:
        """Delete files a killed or failed writer left that no commit refers to."""
        ...

    def after_commit(
        self, quotes: int, open_writer: Callable[[], BatchWriter], collect: Callable[[], None]
    ) -> None:
        """After a batch of `quotes` is committed and its writer let go of: housekeeping
        in commits of its own (Whoosh's tier merge), `collect` after each."""
        ...


@dataclass
class _Batch:
    upserts: list[tuple[SourceEntry, list[ArticleEntry]]] = field(default_factory=list)
    removals: list[str] = field(default_factory=list)
    new_ids: list[str] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)  # content hash → source
    quotes: int = 0


class Syncer:
    """One indexing run over an engine's sync target; the caller holds the writer lock."""

    def __init__(
        self,
        target: SyncTarget,
        manifest: Manifest,
        taxonomy: Taxonomy | None = None,
        on_error: Callable[[InputError], None] | None = None,
        progress: Callable[[Progress], None] | None = None,
        batch_articles: int = BATCH_ARTICLES,
        batch_quotes: int = BATCH_QUOTES,
        writer_options: dict[str, Any] | None = None,
        workers: int | None = None,
        prune: bool = False,
        time_budget: float | None = None,
        own: str | Path | None = None,  # the index folder, if not the target's (a rebuild's)
    ) -> None:
        self.target = target
        self.own = os.path.abspath(own or target.folder)
        self.prune = prune
        # Seconds per MB a file may take to read and extract (budget.py).
        self.seconds_per_mb = seconds_per_mb(time_budget)
        self.manifest = manifest
        self.taxonomy = taxonomy
        self.on_error = on_error
        self.progress = progress
        self.batch_articles = max(1, batch_articles)
        self.batch_quotes = max(1, batch_quotes)
        self.writer_options = writer_options or {}
        self.workers = default_workers() if workers is None else max(0, workers)
        self.report = SyncReport()
        self._writer: BatchWriter | None = None
        self._batch = _Batch()
        self._gone: set[str] = set()  # sources removed or being replaced in this run
        self._collecting = False  # automatic garbage collection is off for this run
        self._helpers: Helpers | None = None  # the workers, between files

    # -- the run ------------------------------------------------------------------

    def run(self, paths: Iterable[str | Path], remove_missing: bool) -> SyncReport:
        from ..readers import iter_source_files

        started = time.monotonic()
        self.recover()
        existing: list[str | Path] = []
        scope: list[str] = []
        for raw in paths:
            key = os.path.abspath(raw)
            if os.path.exists(raw) or "\0" in os.fspath(raw):  # the walk names a NUL's error
                existing.append(raw)
                scope.append(key)
            elif remove_missing and self._indexed_under(key) and self.prune:
                scope.append(key)  # gone, and the caller said removing is meant
            elif remove_missing and self._indexed_under(key):
                # A root that is gone may be moved or unmounted: kept, and said.
                self._error(
                    InputError(
                        f"{raw}: not found — its indexed articles are kept; "
                        f"`statement-search remove {raw}` takes them out"
                    )
                )
            else:
                self._error(InputError(f"{raw}: no such file or folder"))
        found = iter_source_files(existing)
        # The index's own files are never articles, even when it sits inside the corpus.
        found.files = [f for f in found.files if not _within(os.path.abspath(f), self.own)]
        self.report.ignored = found.ignored
        for error in found.errors:
            self._error(error)
        if remove_missing:
            self._remove_missing(scope, {os.path.abspath(f) for f in found.files})
        total = len(found.files)
        workers = self._workers_for(found.files)
        with (
            _collect_per_batch() as self._collecting,
            Preparer(
                self.taxonomy,
                workers,
                self.target.folder,
                self.target.documents(),
                self.seconds_per_mb,
            ) as preparer,
        ):
            self._helpers = preparer.helpers
            ahead = preparer.ahead(found.files, self._may_need_work)
            for done, (file, pending) in enumerate(ahead, 1):
                self._sync_file(file, partial(preparer.result, file, pending))
                if self._batch_full():
                    self.flush()
                if self.progress:
                    elapsed = time.monotonic() - started
                    self.progress(Progress(done, total, self.report.quotes, elapsed))
            self.flush()  # the last batch, while the workers can help write its merge
        self._collecting = False  # collection is on again
        self._helpers = None
        self.report.seconds = time.monotonic() - started
        return self.report

    def remove(self, paths: Iterable[str | Path]) -> SyncReport:
        """Take out the articles of these files, or of every file under these folders."""
        self.recover()
        keys = [os.path.abspath(p) for p in paths]
        self.remove_sources(
            e for e in self.manifest.sources() if any(_within(e.path, k) for k in keys)
        )
        self.flush()
        return self.report

    def recover(self) -> None:
        """Delete documents of a batch whose commit the manifest never confirmed, and
        the files a killed writer left (the target's `remove_uncommitted`)."""
        self.target.remove_uncommitted()
        pending = [a for a in self.manifest.pending() if not self.manifest.has_article(a)]
        if pending:
            writer = self._open_writer()
            for article_id in pending:
                writer.delete_article(article_id)
            writer.commit(0)
        self.manifest.clear_pending()

    def _workers_for(self, files: list[Path]) -> int:
        """Worker processes for this run: none unless enough files look changed."""
        if self.workers == 0:
            return 0
        needing = 0
        for file in files:
            needing += self._may_need_work(file)
            if needing >= POOL_MIN_FILES:
                return self.workers
        return 0

    def _may_need_work(self, file: Path) -> bool:
        """The cheap guess made ahead of time; `_sync_file` decides for real, in order."""
        try:
            stat = file.stat()
        except OSError:
            return False
        entry = self.manifest.source(os.path.abspath(file))
        if entry is None or entry.duplicates:
            return True
        return (entry.size, entry.mtime_ns) != (stat.st_size, stat.st_mtime_ns)

    # -- one file -------------------------------------------------------------------

    def _sync_file(self, file: Path, prepare: Callable[[], PreparedFile]) -> None:
        key = os.path.abspath(file)
        try:
            stat = file.stat()
            entry = self.manifest.source(key)
            if entry and (entry.size, entry.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
                if not self._lost_original(entry):
                    self.report.unchanged += 1
                    return
            digest = _file_hash(file)
        except OSError as exc:
            self._error(InputError(f"{file}: cannot read ({exc.strerror})"))
            return
        new = SourceEntry(key, stat.st_size, stat.st_mtime_ns, digest)
        if entry and entry.hash == digest and not self._lost_original(entry):
            self.manifest.touch(new)  # touched, not changed
            self.report.unchanged += 1
            return
        articles = self._index_file(prepare(), new, entry)
        if articles is None:
            return
        if entry:
            self.report.updated += 1
        elif articles or not new.duplicates:  # all-duplicate files count only there
            self.report.added += 1

    def _index_file(
        self, prepared: PreparedFile, new: SourceEntry, old: SourceEntry | None
    ) -> list[ArticleEntry] | None:
        """Write one prepared file's articles; None when it could not be read."""
        articles: list[ArticleEntry] = []
        kept: list[PreparedArticle] = []
        for item in prepared.items:
            if isinstance(item, InputError):
                self._error(item)
                continue
            if self._is_duplicate(item.digest, new.path):
                new.duplicates.append(item.digest)
                self.report.duplicates += 1
                continue
            self._batch.hashes[item.digest] = new.path
            kept.append(item)
            articles.append(ArticleEntry(item.id, new.path, item.digest, item.quote_ids))
        if prepared.error is not None:
            self._error(prepared.error)
            return None
        writer = self._get_writer()
        if old:
            # Unconfirmed commits were undone by recover(), so only a file we
            # indexed before can have documents to replace.
            self._gone.add(new.path)
            for article_id in self.manifest.article_ids(new.path):
                writer.delete_article(article_id)
        quotes = 0
        for item in kept:
            writer.add_documents(item.docs, item.digest)
            quotes += len(item.docs)
        self._batch.upserts.append((new, articles))
        self._batch.new_ids.extend(a.id for a in articles)
        self._batch.quotes += quotes
        self.report.quotes += quotes
        return articles

    def _is_duplicate(self, digest: str, source: str) -> bool:
        """The same article text is already indexed (or queued) under another path."""
        queued = self._batch.hashes.get(digest)
        if queued is not None:
            return queued != source
        holders = self.manifest.sources_of_content(digest)
        return any(h != source and h not in self._gone for h in holders)

    def _lost_original(self, entry: SourceEntry) -> bool:
        """A file skipped as a duplicate whose original has since left the index."""
        return any(
            not [h for h in self.manifest.sources_of_content(d) if h not in self._gone]
            for d in entry.duplicates
        )

    # -- removals -------------------------------------------------------------------

    def _indexed_under(self, key: str) -> bool:
        return any(_within(s.path, key) for s in self.manifest.sources())

    def _remove_missing(self, scope: list[str], present: set[str]) -> None:
        """Sources inside the synced paths that no longer exist there.

        A file that cannot be looked at (an unreadable folder) is kept, and so is
        everything when the run would remove most of the index, unless `prune`.
        """
        gone: list[SourceEntry] = []
        kept: list[str] = []
        for entry in self.manifest.sources():
            if entry.path in present or not any(_within(entry.path, s) for s in scope):
                continue
            if _unreachable(entry.path):
                kept.append(entry.path)
            else:
                gone.append(entry)
        if kept:
            where = os.path.dirname(os.path.commonprefix(kept)) or os.sep
            self._error(
                InputError(f"{where}: {len(kept)} indexed files could not be looked at — kept")
            )
        total = sum(1 for _ in self.manifest.sources())
        if not self.prune and len(gone) > PRUNE_MIN_FILES and len(gone) > PRUNE_SHARE * total:
            self._error(
                InputError(
                    f"{len(gone)} of {total} indexed files are gone — nothing removed; "
                    "sync with --prune (API: prune=True) if they were deleted on purpose"
                )
            )
            return
        self.remove_sources(gone)

    def remove_sources(self, entries: Iterable[SourceEntry]) -> None:
        """Take these sources' articles out of the index (committed with the batch)."""
        for entry in entries:
            writer = self._get_writer()
            for article_id in self.manifest.article_ids(entry.path):
                writer.delete_article(article_id)
            self._batch.removals.append(entry.path)
            self._gone.add(entry.path)
            self.report.removed += 1

    # -- batches ----------------------------------------------------------------------

    def _batch_full(self) -> bool:
        batch = self._batch
        articles = sum(len(a) for _, a in batch.upserts)
        return articles >= self.batch_articles or batch.quotes >= self.batch_quotes

    def flush(self) -> None:
        """Commit the batch: pending ids first, then the engine, then the manifest rows;
        then the target's housekeeping (`SyncTarget.after_commit`)."""
        if self._writer is None:
            return
        batch, writer = self._batch, self._writer
        quotes = batch.quotes
        self.manifest.begin_batch(batch.new_ids)
        writer.commit(quotes)
        self._writer = None
        self.manifest.finish_batch(batch.upserts, batch.removals)
        self._batch = _Batch()
        self._gone.clear()  # the manifest now says what replaced or removed them
        # The committed writer is a cycle: with it still named here it would outlive
        # the collection below into an older generation, which a run never collects
        # (each batch's writer stayed: 1.3 GB in the writing process at 100x).
        del batch, writer
        self._collect()
        self.target.after_commit(quotes, self._open_writer, self._collect)

    def _collect(self) -> None:
        """The youngest generation's cycles, when this run turned collection off
        (see `_collect_per_batch`): a batch's, or a merge's."""
        if self._collecting:
            gc.collect(0)

    def cancel(self) -> None:
        """Drop a failed run's writer and what it wrote but never committed (a full
        disk left megabytes of partial segments); the last commit stays readable."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            with suppress(Exception):  # a writer that failed may fail to cancel too
                writer.cancel()
        self.target.remove_uncommitted()

    def _get_writer(self) -> BatchWriter:
        if self._writer is None:
            self._writer = self._open_writer()
        return self._writer

    def _open_writer(self) -> BatchWriter:
        return self.target.open_writer(self.writer_options, self._helpers)

    def _error(self, error: InputError) -> None:
        self.report.skipped += 1
        self.report.errors.append(str(error))
        if self.on_error:
            self.on_error(error)


@contextmanager
def _collect_per_batch() -> Iterator[bool]:
    """Automatic garbage collection off for the run (True when this turned it off);
    `flush` then collects once a batch.

    Filing a batch allocates millions of postings the collector would walk
    again and again, for no cycles: unpickling and filing 20k quotes took
    0.16 ms a quote with it and 0.12 without.  While collection is off every
    new object stays in the youngest generation, so collecting that one finds
    the batch's cycles without walking the calling program's older objects.
    A program that turned collection off itself is left to its choice.
    """
    if not gc.isenabled():
        yield False
        return
    gc.disable()
    try:
        yield True
    finally:
        gc.enable()


def _unreachable(path: str) -> bool:
    """The file may still exist: looking at it failed for another reason than its absence."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True  # there, though the walk did not list it (an unreadable folder above)


def _within(path: str, scope: str) -> bool:
    return path == scope or path.startswith(scope.rstrip(os.sep) + os.sep)


def _file_hash(path: Path) -> str:
    """Content hash of a file, read in chunks so big files stay out of memory."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()

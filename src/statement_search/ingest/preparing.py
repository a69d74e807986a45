"""Index stage, first half: a file → its articles' quote documents, in worker processes.

Reading and extraction are pure functions of (file, taxonomy) and cost about
as much CPU as Whoosh's writing, so a bulk run prepares files in a small
process pool while the main process does everything stateful (manifest,
duplicates, engine writes, batch commits) in file order.  What a worker makes
of an article's quotes is the engine's (`DocumentMaker`, from its sync target):
no engine package is imported here.  A sliding window
keeps a bounded number of files in flight, so memory never holds the corpus.
Small runs (one `add`) prepare inline: starting a pool would cost more than
the work.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..models import Quote, content_hash
from .budget import DEFAULT_SECONDS_PER_MB, file_budget, guarded, source_size

if TYPE_CHECKING:
    from ..extraction.topics import Taxonomy

# An article's quotes and content hash → the documents its engine's writer adds.
DocumentMaker = Callable[[list[Quote], str], list[Any]]

# Below this many files needing work a run prepares inline.
POOL_MIN_FILES = 16
# Files in flight per worker, at least: enough to keep it busy.
FILES_PER_WORKER = 3
# Source bytes in flight (all workers), beyond which no more files go out ahead.
# While the writing process merges segments (30 s for 140k quotes) the workers
# keep preparing into this window instead of waiting: results wait as pickled
# bytes, about 1.2x the source size for JSONL.
WINDOW_BYTES = 48 << 20
# Files in flight per worker, at most (many small files make little data each).
MAX_FILES_PER_WORKER = 64
# Of the window, source bytes handed to the pool and not yet prepared, per worker
# (about 4 s of work); the rest waits here.  Other work sent to the pool (a
# merge's parts, `merge_parts.py`) then starts after that, not after the whole
# window (about 25 s at 10x).
POOL_BYTES_PER_WORKER = 4 << 20
# A worker collects garbage after preparing this many quotes (files count one each).
COLLECT_EVERY_QUOTES = 20_000
# How often a worker checks that the process that started it is still alive.
ORPHAN_CHECK_SECONDS = 0.5


@dataclass
class PreparingFile:
    """A file of the window, and its preparation in the pool once it is sent there."""

    file: Path
    size: int
    future: Future[bytes] | None = None


@dataclass
class PreparedArticle:
    """One article's quote documents, ready for a writer's `add_documents`."""

    id: str
    digest: str
    quote_ids: list[str]
    docs: list[Any]


@dataclass
class PreparedFile:
    """A file's articles and per-article read errors, in file order.

    `error` is set when the file as a whole could not be read; the items
    before it are kept so the caller reports exactly what the inline path did.
    """

    items: list[PreparedArticle | InputError] = field(default_factory=list)
    error: InputError | None = None


def prepare_file(
    file: Path,
    taxonomy: Taxonomy | None,
    documents: DocumentMaker | None = None,
    seconds_per_mb: float = DEFAULT_SECONDS_PER_MB,
) -> PreparedFile:
    """Read and extract one file; never touches the index.  Any failure, or going
    over the file's time budget (`budget.py`), becomes `error`: the file is skipped.
    `documents` makes each article's documents of its quotes (None: the quotes)."""
    prepared = PreparedFile()
    budget = file_budget(source_size(file), seconds_per_mb)
    try:
        guarded(str(file), lambda: _prepare_into(prepared, file, taxonomy, documents), budget)
    except InputError as exc:
        prepared.error = exc
    return prepared


def _prepare_into(
    prepared: PreparedFile,
    file: Path,
    taxonomy: Taxonomy | None,
    documents: DocumentMaker | None,
) -> None:
    from ..extraction.extract import extract_quotes
    from ..readers import read_articles

    for item in read_articles(file):
        if isinstance(item, InputError):
            prepared.items.append(item)
            continue
        digest = content_hash(item.text)
        quotes = extract_quotes(item, taxonomy)
        docs = documents(quotes, digest) if documents is not None else list(quotes)
        prepared.items.append(PreparedArticle(item.id, digest, [q.id for q in quotes], docs))


def default_workers() -> int:
    """A worker per core: with postings made in the workers the writing process mostly
    waits (1x build, 2 cores: 1 worker 812 quotes/s, 2 workers 1,067)."""
    return max(1, os.cpu_count() or 1)


class Preparer:
    """Prepared files in the order given: from a pool when asked to use one, else inline.

    Example:
        with Preparer(taxonomy, workers=1) as preparer:
            for file, pending in preparer.ahead(files, needs_work):
                prepared = preparer.result(file, pending)
    """

    def __init__(
        self,
        taxonomy: Taxonomy | None,
        workers: int = 0,
        index_dir: str | None = None,
        documents: DocumentMaker | None = None,
        seconds_per_mb: float = DEFAULT_SECONDS_PER_MB,
    ) -> None:
        self.taxonomy = taxonomy
        self.documents = documents
        self.seconds_per_mb = seconds_per_mb
        self._pool: ProcessPoolExecutor | None = None
        self._workers = workers
        self._min_window = FILES_PER_WORKER * max(1, workers)
        self._max_window = MAX_FILES_PER_WORKER * max(1, workers)
        self._pool_bytes = POOL_BYTES_PER_WORKER * max(1, workers)
        self._unsent: deque[PreparingFile] = deque()
        self._sent: list[PreparingFile] = []  # in the pool, maybe not done yet
        if workers > 0:
            self._pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=_context(),
                initializer=_init_worker,
                initargs=(taxonomy, os.getpid(), index_dir, documents, seconds_per_mb),
            )

    def ahead(
        self, files: Iterable[Path], needs_work: Callable[[Path], bool]
    ) -> Iterator[tuple[Path, PreparingFile | None]]:
        """Each file with its preparation under way (None: prepare inline if needed).

        `needs_work` is a cheap guess (size/mtime); the caller still decides
        per file, in order, and simply ignores a result it does not need.
        The window of files going out ahead is bounded by count and by source
        bytes (`WINDOW_BYTES`); of it, the pool holds `POOL_BYTES_PER_WORKER`
        at a time.
        """
        window: deque[tuple[Path, PreparingFile | None, int]] = deque()
        in_flight = 0
        for file in files:
            pending = None
            if self._pool and needs_work(file):
                pending = PreparingFile(file, _size(file))
                self._unsent.append(pending)
                self._send()
            size = pending.size if pending is not None else 0
            window.append((file, pending, size))
            in_flight += size
            while window and self._window_full(len(window), in_flight):
                done, pending, size = window.popleft()
                in_flight -= size
                yield done, pending
        while window:  # popped as they go: a file's result is not kept past its turn
            done, pending, _ = window.popleft()
            yield done, pending

    def _send(self, through: PreparingFile | None = None) -> None:
        """Hand waiting files to the pool, in order, while it holds little unfinished
        (and, whatever it holds, up to `through`: its result is wanted now)."""
        pool = self._pool
        self._sent = [job for job in self._sent if job.future is not None and not job.future.done()]
        busy = sum(job.size for job in self._sent)
        while (
            pool is not None
            and self._unsent
            and (
                busy < self._pool_bytes
                or len(self._sent) < self._min_window
                or (through is not None and through.future is None)
            )
        ):
            job = self._unsent.popleft()
            try:
                job.future = pool.submit(_prepare_in_worker, job.file)
            except Exception:  # a broken pool: what is left is prepared inline
                self._unsent.clear()
                return
            self._sent.append(job)
            busy += job.size

    def _window_full(self, files: int, in_flight: int) -> bool:
        if files < self._min_window:
            return False
        return files >= self._max_window or in_flight >= WINDOW_BYTES

    def result(self, file: Path, pending: PreparingFile | None) -> PreparedFile:
        """The prepared file, from its worker or (no worker, or the worker died) inline."""
        if pending is not None:
            self._send(through=pending)
            if pending.future is not None:
                try:
                    prepared: PreparedFile = pickle.loads(pending.future.result())
                    pending.future = None  # its pickled bytes (5x the source) go now
                    self._send()
                    return prepared
                except Exception:  # a dead pool: the inline path reports the real error
                    pass
        return prepare_file(file, self.taxonomy, self.documents, self.seconds_per_mb)

    @property
    def helpers(self) -> tuple[Executor, int] | None:
        """The worker pool and its size, for other work between files (a merge in parts)."""
        return (self._pool, self._workers) if self._pool is not None else None

    def close(self, cancel: bool = False) -> None:
        self._unsent.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=not cancel, cancel_futures=cancel)
            self._pool = None

    def __enter__(self) -> Preparer:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self.close(cancel=kind is not None)


_worker_taxonomy: Taxonomy | None = None
_worker_documents: DocumentMaker | None = None  # what the engine makes of quotes
_worker_seconds_per_mb = DEFAULT_SECONDS_PER_MB
_quotes_since_collect = 0


def _context() -> multiprocessing.context.BaseContext:
    """Forked where we can: spawning re-imports the caller's script in every worker,
    which runs whatever a script without a `__main__` guard does at top level."""
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _init_worker(
    taxonomy: Taxonomy | None,
    parent: int,
    index_dir: str | None,
    documents: DocumentMaker | None = None,
    seconds_per_mb: float = DEFAULT_SECONDS_PER_MB,
) -> None:
    global _worker_taxonomy, _worker_documents, _worker_seconds_per_mb
    _worker_taxonomy, _worker_documents = taxonomy, documents
    _worker_seconds_per_mb = seconds_per_mb
    if index_dir is not None:
        _close_inherited(index_dir)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    # What the worker inherited is never garbage; what a file makes is freed by
    # reference counts, so the collector runs once per `COLLECT_EVERY_QUOTES`
    # instead of every few hundred allocations (preparing: about 5% less CPU).
    gc.freeze()
    gc.disable()


def _close_inherited(index_dir: str) -> None:
    """A forked worker lets go of the index's files: the writer lock above all, which
    must die with the parent, not live on in a worker (Linux: /proc lists our fds)."""
    prefix = os.path.realpath(index_dir) + os.sep
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return
    for name in fds:
        try:
            if os.readlink(f"/proc/self/fd/{name}").startswith(prefix):
                os.close(int(name))
        except OSError:
            continue


def _exit_when_orphaned(parent: int) -> None:
    """A parent killed by `kill -9` never shuts the pool down: leave on our own."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(0)


def _prepare_in_worker(file: Path) -> bytes:
    """Pickled here, unpickled when the writer takes it: results waiting in the
    window stay compact bytes instead of unpickled documents."""
    global _quotes_since_collect
    prepared = prepare_file(file, _worker_taxonomy, _worker_documents, _worker_seconds_per_mb)
    _quotes_since_collect += 1 + sum(
        len(item.docs) for item in prepared.items if isinstance(item, PreparedArticle)
    )
    if _quotes_since_collect >= COLLECT_EVERY_QUOTES:
        gc.collect()
        _quotes_since_collect = 0
    return pickle.dumps(prepared, pickle.HIGHEST_PROTOCOL)


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except OSError:
        return 0

"""`rebuild`: an index built afresh beside the live one and swapped in, so a reader sees the
old index until the new one is complete, and a rebuild that fails leaves it as it was.

Under the live index's writer lock (held throughout: other writers wait, as for any
write), a complete index is built in `STAGING`, a hidden folder inside the index
folder (the lock file stays where every writer looks for it; a corpus walk skips
hidden folders).  Then it is swapped in, the engine's files first, each in one
step for readers (Whoosh: its next table of contents, `whoosh/swap.py`; tantivy:
its folder exchanged with the live one, in two renames where the system has no
atomic exchange), then the manifest and the index marker (`os.replace`).  A run
killed while building leaves the staging folder, removed by the next rebuild; the
live index is untouched until the swap.  A rebuild that changes the engine, or of
an index whose marker is damaged, starts from an empty index instead (`swappable`).
`QuoteIndex.build(..., overwrite=True)` and `index --rebuild` rebuild this way.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..ingest.locking import WriterLock
from ..ingest.manifest import MANIFEST_FILE
from ..ingest.storage_errors import storage_errors
from ..ingest.sync_report import SyncReport
from .marker import ENGINES, META_FILE, TANTIVY_FOLDER, engine_of

STAGING = ".rebuild"
_RENAME_EXCHANGE = 2  # renameat2's flag (Linux 3.15+)
_AT_FDCWD = -100


class RebuildMixin:
    """`swappable` and `rebuild` for an index class with `exists` and `create` (`QuoteIndex`)."""

    @classmethod
    def exists(cls, path: str | Path) -> bool:
        raise NotImplementedError

    @classmethod
    def create(
        cls,
        path: str | Path,
        lock_timeout: float | None = None,
        overwrite: bool = False,
        engine: str = "whoosh",
    ) -> Any:
        raise NotImplementedError

    @classmethod
    def swappable(cls, path: str | Path, engine: str | None = None) -> bool:
        """An index is at `path` that a rebuild with `engine` (None: the index's own) can
        replace by a swap: its marker is readable and names that engine."""
        path = Path(path)
        found = engine_of(path) if "\0" not in str(path) else None
        return found in ENGINES and engine in (None, found) and cls.exists(path)

    @classmethod
    def rebuild(
        cls,
        path: str | Path,
        sources: Iterable[str | Path],
        engine: str | None = None,
        lock_timeout: float | None = None,
        **options: Any,
    ) -> SyncReport:
        """Build the index at `path` afresh from `sources` and swap it in (`options` as
        `sync`); the index must be `swappable`.  The report counts the new index."""
        path = Path(path)
        name = engine or engine_of(path) or "whoosh"
        staging = path / STAGING
        with storage_errors(path), WriterLock(path, lock_timeout) as lock:
            shutil.rmtree(staging, ignore_errors=True)  # a killed rebuild's
            try:
                with cls.create(staging, engine=name) as staged:
                    report: SyncReport = staged.sync(sources, own=path, **options)
                _swap(staging, path, name)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        if lock.recovered is not None:
            report.recovered_lock = lock.recovered.describe()
        return report


def _swap(staging: Path, live: Path, engine: str) -> None:
    if engine == "whoosh":
        from .whoosh.swap import swap_in

        swap_in(staging, live)
    else:
        _exchange(staging / TANTIVY_FOLDER, live / TANTIVY_FOLDER)
    (live / f"{MANIFEST_FILE}-journal").unlink(missing_ok=True)  # none outside a write
    os.replace(staging / MANIFEST_FILE, live / MANIFEST_FILE)
    os.replace(staging / META_FILE, live / META_FILE)


def _exchange(new: Path, live: Path) -> None:
    """Give folder `new` the name `live` and `live` the name `new`: in one step where
    the system can (Linux `renameat2`), else in two renames (a reader opening the index
    between them finds none)."""
    libc = ctypes.CDLL(None, use_errno=True)
    exchange = getattr(libc, "renameat2", None)
    if exchange is not None:
        done = exchange(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(live), _RENAME_EXCHANGE)
        if done == 0:
            return
    aside = new.with_name(new.name + ".old")
    os.replace(live, aside)
    os.replace(new, live)
    os.replace(aside, new)

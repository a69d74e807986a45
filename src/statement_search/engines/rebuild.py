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

The engine's files and the manifest are a pair: before the swap a journal
(`SWAP_FILE`) records how to tell whether the engine's files were swapped (Whoosh:
the generation of the new table of contents; tantivy: a digest of the staged
`meta.json`).  A swap cut short by a kill at any point is settled by the next
`open` or rebuild (`settle`): the engine's files swapped, the staged manifest and
marker follow them; not swapped, the staging folder goes.  Either way the index is
the old one or the new one, manifest and files alike.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from ..errors import IndexLockedError
from ..ingest.locking import WriterLock
from ..ingest.manifest import MANIFEST_FILE
from ..ingest.storage_errors import storage_errors
from ..ingest.sync_report import SyncReport
from .marker import ENGINES, META_FILE, TANTIVY_FOLDER, engine_of

STAGING = ".rebuild"
SWAP_FILE = ".rebuild.json"  # the journal of a swap under way (hidden: a corpus walk skips it)
_RENAME_EXCHANGE = 2  # renameat2's flag (Linux 3.15+)
_AT_FDCWD = -100


class _Index(Protocol):
    """What a rebuild needs of the index class it is mixed into."""

    @classmethod
    def exists(cls, path: str | Path) -> bool: ...

    @classmethod
    def create(cls, path: str | Path, *, engine: str) -> Any: ...


class RebuildMixin:
    """`swappable` and `rebuild` for an index class with `exists` and `create` (`QuoteIndex`)."""

    @classmethod
    def swappable(cls: type[_Index], path: str | Path, engine: str | None = None) -> bool:
        """An index is at `path` that a rebuild with `engine` (None: the index's own) can
        replace by a swap: its marker is readable and names that engine."""
        path = Path(path)
        found = engine_of(path) if "\0" not in str(path) else None
        return found in ENGINES and engine in (None, found) and cls.exists(path)

    @classmethod
    def rebuild(
        cls: type[_Index],
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
            _settle_locked(path)  # a killed swap's
            shutil.rmtree(staging, ignore_errors=True)  # a killed rebuild's
            try:
                with cls.create(staging, engine=name) as staged:
                    report: SyncReport = staged.sync(sources, own=path, **options)
                _swap(staging, path, name)
            finally:
                if not (path / SWAP_FILE).exists():  # else the next open settles the swap
                    shutil.rmtree(staging, ignore_errors=True)
        if lock.recovered is not None:
            report.recovered_lock = lock.recovered.describe()
        return report


def settle(path: Path) -> None:
    """Finish or roll back the swap a killed rebuild of the index at `path` left (its
    `SWAP_FILE`), unless a writer holds the index (a rebuild swapping now) or it cannot
    be written; costs one `stat` when there is none."""
    if not (path / SWAP_FILE).is_file():
        return
    try:
        with WriterLock(path, 0):
            _settle_locked(path)
    except (IndexLockedError, OSError):
        pass


def _settle_locked(path: Path) -> None:
    journal_file = path / SWAP_FILE
    if not journal_file.is_file():
        return
    staging = path / STAGING
    try:
        journal = json.loads(journal_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        journal = None  # written in one rename: never half-made, but damage rolls back
    if isinstance(journal, dict) and _swapped(staging, path, journal):
        _finish(staging, path, journal)
    journal_file.unlink(missing_ok=True)  # rolled back: staged segments moved in are
    shutil.rmtree(staging, ignore_errors=True)  # unnamed files the next commit removes


def _swap(staging: Path, live: Path, engine: str) -> None:
    journal: dict[str, Any] = {"engine": engine}
    if engine == "whoosh":
        from .whoosh.swap import next_generation

        journal["generation"] = next_generation(live)
    else:
        journal["meta"] = _digest(staging / TANTIVY_FOLDER)
    tmp = staging / SWAP_FILE
    tmp.write_text(json.dumps(journal), encoding="utf-8")
    os.replace(tmp, live / SWAP_FILE)
    if engine == "whoosh":
        from .whoosh.swap import swap_in

        swap_in(staging, live, journal["generation"])
    else:
        _exchange(staging / TANTIVY_FOLDER, live / TANTIVY_FOLDER)
    _finish(staging, live, journal)
    (live / SWAP_FILE).unlink()


def _swapped(staging: Path, live: Path, journal: dict[str, Any]) -> bool:
    """The engine's files of the swap `journal` records are the live ones."""
    if journal.get("engine") == "whoosh":
        from .whoosh.swap import has_generation

        generation = journal.get("generation")
        return isinstance(generation, int) and has_generation(live, generation)
    folder = live / TANTIVY_FOLDER
    if not folder.exists() and (staging / TANTIVY_FOLDER).is_dir():
        os.replace(staging / TANTIVY_FOLDER, folder)  # killed between the two renames
    return folder.is_dir() and _digest(folder) == journal.get("meta")


def _finish(staging: Path, live: Path, journal: dict[str, Any]) -> None:
    """The staged manifest and marker follow the swapped engine files (each step can be
    done again)."""
    (live / f"{MANIFEST_FILE}-journal").unlink(missing_ok=True)  # none outside a write
    for name in (MANIFEST_FILE, META_FILE):
        if (staging / name).is_file():
            os.replace(staging / name, live / name)
    if journal.get("engine") == "whoosh":
        from .whoosh.swap import tidy

        tidy(live, journal["generation"])


def _digest(tantivy_folder: Path) -> str:
    """What tells one tantivy index's commit from another's: its `meta.json`'s digest."""
    try:
        return hashlib.sha256((tantivy_folder / "meta.json").read_bytes()).hexdigest()
    except OSError:
        return ""


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

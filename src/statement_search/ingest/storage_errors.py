"""Problems of the index's own files (disk full, read-only, permissions, damage) as
one-line `IndexStorageError`s that name the path and say what to do.

Used around the write path (`QuoteIndex` writes), around `QuoteIndex`'s reads
(`reading`) and by the CLI's entry point for anything that escapes elsewhere; a
file being read for indexing never gets here (its errors are that file's, see
`budget.py`).
"""

from __future__ import annotations

import errno
import os
import pickle
import re
import sqlite3
import struct
import traceback
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

from ..errors import IndexStorageError, StatementSearchError

_OS_HINTS = {
    errno.ENOSPC: "disk full — free some space and run it again (the last commit is intact)",
    errno.EDQUOT: "disk quota exceeded — free some space and run it again",
    errno.EROFS: "read-only file system — choose a writable --index",
    errno.EACCES: "permission denied — fix the folder's permissions or choose another --index",
    errno.EPERM: "operation not permitted — fix the permissions or choose another --index",
    errno.ENOTDIR: "a part of the path is a file, not a folder — choose another --index",
    errno.EEXIST: "a file is in the way of the index folder — choose another --index",
    errno.EMFILE: "too many open files — raise the limit (ulimit -n) and run it again",
}
_SQLITE_HINTS = (
    ("disk is full", _OS_HINTS[errno.ENOSPC]),
    ("readonly", "read-only — make the index writable or choose another --index"),
    ("unable to open", "cannot open its manifest — check the folder and its permissions"),
    ("not a database", "its manifest is damaged — rebuild with `statement-search index --rebuild`"),
    ("malformed", "its manifest is damaged — rebuild with `statement-search index --rebuild`"),
)
# How tantivy (Rust's io::Error, raised as a ValueError) reports an OS error, and the
# starts of its messages for damaged files (a segment cut short or missing, meta.json).
_RUST_OS_ERROR = re.compile(r"\(os error (\d+)\)|\bOs \{ code: (\d+)")
# An "IO error" carrying no OS error is tantivy meeting bytes it cannot decode (a file
# cut short: "Reach end of buffer while reading VInt"; "Unsupported sstable version").
# The file tantivy names: `filepath: "x.store"`, or `(in file `"meta.json"`)`.
_TANTIVY_FILE = re.compile(r'filepath: "([^"\n]+)"|in file `"([^"\n]+)"`')
_TANTIVY_DAMAGE = (
    "Data corrupted",
    "Failed to open file",
    "Failed to open the directory",
    "An IO error occurred",
)
# What reading a truncated or overwritten segment raises in Whoosh's readers.
_DAMAGE = (EOFError, struct.error, zlib.error, pickle.UnpicklingError)
# Whoosh's files carry no checksum: a flipped byte surfaces as whatever the decoder then
# meets (a pickle building the wrong object, a name that is no UTF-8, an offset past its
# list, a block tag Whoosh raises as a bare `Exception`).  Such an error raised inside
# Whoosh's file readers is damage; so is one raised while an engine turns a stored
# document back into a quote (`_STORED_DECODERS`: JSON that is not, a key gone), and
# bytes read from an index failing to decode in an engine (`_ENGINE_CODE`), which
# decodes no other bytes.
_DECODING = (
    ValueError,
    TypeError,
    IndexError,
    KeyError,
    OverflowError,
    AttributeError,
    AssertionError,
    MemoryError,
)
_WHOOSH_READERS = re.compile(
    r"[/\\]whoosh[/\\](?:filedb|codec|util|matching|columns|reading|index|fields|system)\b"
)
_ENGINE_CODE = re.compile(r"[/\\]statement_search[/\\]engines[/\\]")
_STORED_DECODERS = frozenset({"document_to_quote", "json_to_quote", "stored_quote"})


def is_panic(exc: BaseException) -> bool:
    """A Rust panic in tantivy (it asserts on a damaged file), which pyo3 raises as a
    `BaseException` that has no importable name."""
    return type(exc).__name__ == "PanicException"


def storage_error(exc: BaseException, index_dir: str | Path) -> IndexStorageError | None:
    """The one-line error for an exception of the index's files, or None if it is not one."""
    if isinstance(exc, StatementSearchError):
        return None
    where = str(index_dir)
    if isinstance(exc, OSError):
        where = str(exc.filename) if exc.filename else where
        hint = _OS_HINTS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__)
        return IndexStorageError(f"{where}: {hint}")
    rust = _RUST_OS_ERROR.search(str(exc)) if isinstance(exc, ValueError) else None
    if rust is not None:
        code = int(rust.group(1) or rust.group(2))
        return IndexStorageError(f"{where}: {_OS_HINTS.get(code) or os.strerror(code)}")
    if isinstance(exc, sqlite3.Error):
        text = str(exc).lower()
        hint = next((h for key, h in _SQLITE_HINTS if key in text), f"manifest error ({exc})")
        return IndexStorageError(f"{where}: {hint}")
    if isinstance(exc, ModuleNotFoundError) and (exc.name or "").startswith("statement_search"):
        return IndexStorageError(  # a pickled schema naming a module this version lacks
            f"{where}: the index was written by another version of statement-search "
            f"(it names {exc.name}) — rebuild it with `statement-search index --rebuild PATH`"
        )
    if (
        isinstance(exc, _DAMAGE)
        or is_panic(exc)
        or _decoding_damage(exc)
        or (isinstance(exc, ValueError) and str(exc).startswith(_TANTIVY_DAMAGE))
    ):
        where = str(damaged_file(exc, Path(index_dir)) or where)
        return IndexStorageError(
            f"{where}: the index is damaged ({type(exc).__name__}) — rebuild it with "
            "`statement-search index --rebuild PATH`"
        )
    return None


def damaged_file(exc: BaseException, index_dir: Path) -> Path | None:
    """The index's file that `exc`, an error of damage, was reading, when that is known:
    named in tantivy's message, or a file of the index held by the innermost Whoosh or
    engine frame that names one (a Whoosh file object's `_name`, a file name)."""
    try:
        folders = [index_dir, *(d for d in index_dir.iterdir() if d.is_dir())]
    except OSError:
        return None
    named = _TANTIVY_FILE.search(str(exc)) if isinstance(exc, ValueError) else None
    if named is not None:
        return _index_file(named.group(1) or named.group(2), folders)
    for frame, _ in reversed(list(traceback.walk_tb(exc.__traceback__))):
        where = frame.f_code.co_filename
        if not (_WHOOSH_READERS.search(where) or _ENGINE_CODE.search(where)):
            continue
        for value in frame.f_locals.values():
            try:
                name = value if isinstance(value, str) else getattr(value, "_name", None)
            except Exception:  # an object whose attributes are computed: not a file
                continue
            found = _index_file(name, folders) if isinstance(name, str) else None
            if found is not None:
                return found
    return None


def _index_file(name: str, folders: list[Path]) -> Path | None:
    """`name`, a file in one of the index's `folders`, or None."""
    if not name or len(name) > 255 or "\0" in name or Path(name).name != name:
        return None
    try:
        return next((f / name for f in folders if (f / name).is_file()), None)
    except OSError:
        return None


def _decoding_damage(exc: BaseException) -> bool:
    """An error of decoding an index's bytes: raised in Whoosh's file readers, or a
    `UnicodeDecodeError` raised in an engine's own code (see `_DECODING`)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return False
    raised_in = frames[-1].filename
    if isinstance(exc, UnicodeDecodeError) and _ENGINE_CODE.search(raised_in):
        return True
    if not (isinstance(exc, _DECODING) or type(exc) is Exception):
        return False
    return _WHOOSH_READERS.search(raised_in) is not None or any(
        frame.name in _STORED_DECODERS for frame in frames
    )


@contextmanager
def storage_errors(index_dir: str | Path) -> Iterator[None]:
    """Re-raise the index's file problems inside the block (tantivy's panics too) as
    `IndexStorageError`."""
    try:
        yield
    except BaseException as exc:
        ours = isinstance(exc, Exception) or is_panic(exc)
        mapped = storage_error(exc, index_dir) if ours else None
        if mapped is None:
            raise
        raise mapped from exc


F = TypeVar("F", bound=Callable[..., Any])


def reading(method: F) -> F:
    """A method of an object whose `path` is an index folder, the index's file problems
    inside it raised as `IndexStorageError` (`storage_errors`)."""

    @wraps(method)
    def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        with storage_errors(self.path):
            return method(self, *args, **kwargs)

    return cast(F, wrapped)

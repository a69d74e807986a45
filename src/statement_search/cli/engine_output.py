"""What an engine writes itself to the process's stderr (tantivy's Rust panic message on a
damaged index), held by the CLI and passed on unless the CLI has already said it.

`hold()` at the start of a CLI run points file descriptor 2 at an unnamed
temporary file and keeps Python's `sys.stderr` on a duplicate of the real stderr,
so the CLI's own lines appear at once and only native code (and child processes
that write to fd 2 themselves) writes to the file.  `release(error)` (the end of
the command, or of one shell line) passes on what was written since the last
release, less Rust's panic messages when `error` is, or was raised from, a panic
the CLI has just named in its one line.  `end(error)` releases and gives fd 2 back.

Holding costs nothing per query: the descriptors change once a run, the file is
read once a command.  Nothing is held with STATEMENT_SEARCH_DEBUG set, when
`sys.stderr` is not fd 2 (a test's capture, say) or fd 2 is not open; the library
never redirects descriptors.
"""

from __future__ import annotations

import io
import os
import re
import sys
import tempfile
from typing import IO

from ..ingest.storage_errors import is_panic

# Rust's default panic hook: "thread '<name>' (<id>) panicked at <file>:<line>:<col>:",
# the message, then a note on RUST_BACKTRACE or a backtrace (frames, then a note).
_PANIC = re.compile(rb"thread '[^'\n]*'(?: \(\d+\))? panicked at ")
_FRAME = re.compile(rb"\s+(?:\d+: |at )")
_NOTE = b"note: "
_BACKTRACE = b"stack backtrace:"


class _Held:
    def __init__(self, real: int, file: IO[bytes], stderr: IO[str]) -> None:
        self.real, self.file, self.stderr, self.read = real, file, stderr, 0


_held: _Held | None = None


def hold() -> bool:
    """Hold fd 2 for the engine (see the module docstring); False when it is not held."""
    global _held
    if _held is not None or os.environ.get("STATEMENT_SEARCH_DEBUG"):
        return False
    try:
        if sys.stderr is None or sys.stderr.fileno() != 2:
            return False
        real = os.dup(2)
    except (OSError, ValueError, io.UnsupportedOperation):
        return False
    file = tempfile.TemporaryFile()
    original = sys.stderr
    original.flush()
    os.dup2(file.fileno(), 2)
    sys.stderr = open(  # noqa: SIM115 — given back by `end`
        real,
        "w",
        buffering=1,
        encoding=original.encoding,
        errors=original.errors,
        closefd=False,
    )
    _held = _Held(real, file, original)
    return True


def release(error: BaseException | None = None) -> None:
    """Pass on what the engine wrote since the last release (see the module docstring)."""
    if _held is None:
        return
    _held.file.seek(_held.read)
    data = _held.file.read()
    _held.read += len(data)
    if _panicked(error):
        data = without_panics(data)
    if not data:
        return
    try:
        sys.stderr.flush()
        view = memoryview(data)
        while view:
            view = view[os.write(_held.real, view) :]
    except OSError:  # the real stderr is gone (a closed pipe): nothing to tell it
        pass


def end(error: BaseException | None = None) -> None:
    """`release(error)`, then fd 2 and `sys.stderr` as they were before `hold`."""
    global _held
    if _held is None:
        return
    release(error)
    held, _held = _held, None
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    ours, sys.stderr = sys.stderr, held.stderr
    try:
        ours.close()
    except (OSError, ValueError):
        pass
    os.dup2(held.real, 2)
    os.close(held.real)
    held.file.close()


def without_panics(data: bytes) -> bytes:
    """`data` less Rust's panic messages (with their backtraces and the blank line before)."""
    lines = data.splitlines(keepends=True)
    kept: list[bytes] = []
    at = 0
    while at < len(lines):
        if not _PANIC.match(lines[at]):
            kept.append(lines[at])
            at += 1
            continue
        if kept and not kept[-1].strip():
            kept.pop()
        at += 1
        while at < len(lines) and not (
            lines[at].startswith((_NOTE, _BACKTRACE)) or _PANIC.match(lines[at])
        ):
            at += 1  # the panic's message
        if at < len(lines) and lines[at].startswith(_BACKTRACE):
            at += 1
            while at < len(lines) and _FRAME.match(lines[at]):
                at += 1
        if at < len(lines) and lines[at].startswith(_NOTE):
            at += 1
    return b"".join(kept)


def _panicked(error: BaseException | None) -> bool:
    """`error` is a panic, or was raised from or while handling one."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if is_panic(error):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False

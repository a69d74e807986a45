"""Index stage, opening segment files without copying them.

A Whoosh segment is one compound file, memory-mapped when opened; each part
(terms, postings, columns) is handed out as a `BufferFile` over a slice of
the map.  Whoosh's `BufferFile` also wraps that slice in an `io.BytesIO`,
which copies it: opening a searcher on a 277k-quote index read every segment
into memory (0.22 s, 584 MB resident) instead of mapping it (0.045 s, 32 MB).
That cost was paid by every cold search, by every reader a merge opens, and
after every `add` when the searcher is reopened.

`install()` gives `BufferFile` a file object that reads through the slice
instead; reads, seeks and pickles behave as before (tests compare it with
`io.BytesIO`).  It can `peek`, so a pickle loaded from it (each posting block's
header, as a search moves to the block) takes one look ahead and one read
rather than a read per pickle opcode (twenty-odd for a block header).
"""

from __future__ import annotations

import io
from typing import Any

_installed = False
# How much `peek` shows: more than a posting block's pickled header, little to copy.
PEEK_BYTES = 512


class MemoryViewFile(io.RawIOBase):
    """A read-only, seekable file over a buffer, reading slices of it (no copy on open)."""

    def __init__(self, buffer: Any) -> None:
        super().__init__()
        self._view = memoryview(buffer).cast("B")
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            position = offset
        elif whence == io.SEEK_CUR:
            position = self._pos + offset
        elif whence == io.SEEK_END:
            position = len(self._view) + offset
        else:
            raise ValueError(f"invalid whence ({whence})")
        if position < 0:
            raise ValueError(f"negative seek position {position}")
        self._pos = position
        return position

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else self._pos + size
        data = self._view[self._pos : end].tobytes()
        self._pos += len(data)
        return data

    def peek(self, size: int = 0) -> bytes:
        """Bytes from the current position, without moving it (up to `PEEK_BYTES`; the
        unpickler reads what it used afterwards)."""
        return self._view[self._pos : self._pos + min(max(size, 1), PEEK_BYTES)].tobytes()

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else self._pos + size
        rest = self._view[self._pos : end].tobytes()
        newline = rest.find(b"\n")
        line = rest if newline < 0 else rest[: newline + 1]
        self._pos += len(line)
        return line

    def close(self) -> None:
        self._view.release()
        super().close()


def install() -> None:
    """Make Whoosh's `BufferFile` read through its buffer (idempotent)."""
    global _installed
    if _installed:
        return
    from whoosh.filedb.structfile import BufferFile

    def __init__(self: Any, buf: Any, name: str | None = None, onclose: Any = None) -> None:
        self._buf = buf
        self._name = name
        self.file = MemoryViewFile(buf)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    BufferFile.__init__ = __init__
    _installed = True

"""Reading the small files a user names for settings (a taxonomy, an alias table): a
device, FIFO or socket is refused before it is opened (opening a FIFO waits for a
writer, /dev/zero never ends), and a file over its cap is refused after reading one
byte past it, so a wrong path can neither hang a run nor take the machine's memory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import StatementSearchError, refuse_nul


def read_small_file(path: str | Path, limit: int, error: type[StatementSearchError]) -> bytes:
    """The file's bytes; `error` for a folder, a special file or more than `limit` bytes.
    Other problems (a missing or unreadable file) are the caller's `OSError`s to name."""
    source = str(path)
    refuse_nul(path, error)
    mode = os.stat(path).st_mode
    if stat.S_ISDIR(mode):
        raise error(f"{source}: is a directory, not a file")
    if not stat.S_ISREG(mode):
        raise error(f"{source}: not a regular file (a device, FIFO or socket)")
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise error(f"{source}: over {limit // 1024:,} kB — not a settings file")
    return data

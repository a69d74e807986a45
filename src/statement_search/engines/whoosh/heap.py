"""Giving freed memory back to the system after a large step of a bulk run.

glibc's allocator keeps the pages a process freed for its next allocations, so
a process's resident size stays at its high-water mark: after a 127k-quote
batch was committed the writing process still held 402 MB, of which 288 MB
came back on asking (`malloc_trim`).  The process tree's memory peaks when a
large batch's segment, or a merge, is written in parts (the writer and two
helpers at work at once), so the writer gives back what it freed before each
(its pool's flat lists, once folded to disk; the last batch's postings), and a
helper after each part it writes.
"""

from __future__ import annotations

import ctypes
from functools import lru_cache
from typing import Any


def give_back_freed_memory() -> None:
    """Return the heap's free pages to the system (glibc only; elsewhere a no-op).

    Objects in reference cycles are not freed yet: collect them first where they matter.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _malloc_trim() -> Any:
    try:  # the C library this process already runs on
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to ask
        return None

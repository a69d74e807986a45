"""Freed memory goes back to the system when asked (on glibc, where a process keeps it)."""

from __future__ import annotations

import platform
from pathlib import Path

import pytest

from statement_search.engines.whoosh.heap import give_back_freed_memory


def _resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(
    not Path("/proc/self/status").exists() or platform.libc_ver()[0] != "glibc",
    reason="needs Linux with glibc",
)
def test_freed_heap_pages_go_back() -> None:
    held = [bytes(1000) + bytes([n % 256]) for n in range(150_000)]  # 150 MB in heap chunks
    keep = held[-1]  # the heap's last chunk stays in use: only a trim frees the pages below
    loaded = _resident_mb()
    del held
    before = _resident_mb()
    give_back_freed_memory()
    after = _resident_mb()
    assert loaded - after > 100
    assert before - after > 100, "the freed chunks were still resident before the trim"
    assert keep


def test_giving_back_is_safe_anywhere() -> None:
    give_back_freed_memory()  # a no-op where the C library has no malloc_trim

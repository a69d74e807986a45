"""Which whoosh-reloaded versions the Whoosh fast path (segment_writer, segment_format,
filtered_top, ...) is tested with, and whether the installed one is among them.

The fast path reads and writes Whoosh's private structures, so a release that
renames or changes one could break it; pyproject pins the same range.
`fast_path.py` asks this and falls back to Whoosh's own writer and collector
on any other version.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import metadata

# Inclusive lower bound, exclusive upper bound: pyproject's `whoosh-reloaded>=2.7.5,<2.8`.
TESTED_WHOOSH = ((2, 7, 5), (2, 8))
_RELEASE = re.compile(r"(\d+(?:\.\d+)*)")


def _version_tuple(text: str) -> tuple[int, ...]:
    """The release numbers a version starts with: "2.7.5" → (2, 7, 5), "2.8rc1" → (2, 8)."""
    found = _RELEASE.match(text.strip())
    return tuple(int(n) for n in found.group(1).split(".")) if found else ()


@lru_cache(maxsize=1)
def installed_whoosh() -> str:
    """The installed whoosh-reloaded's version ("" when its metadata cannot be found)."""
    try:
        return metadata.version("whoosh-reloaded")
    except metadata.PackageNotFoundError:
        return ""


def whoosh_fast_path_supported(version: str | None = None) -> bool:
    """Whether `version` (default: the installed whoosh-reloaded's) is one the fast path
    is tested with; False when whoosh-reloaded is not installed or the version unreadable."""
    if version is None:
        version = installed_whoosh()
    found = _version_tuple(version)
    low, high = TESTED_WHOOSH
    return bool(found) and low <= found < high

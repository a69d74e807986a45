"""Search stage: each segment's term lookups kept, so a term is hashed and probed once.

Building a query's matcher for one segment looks each of its terms up in the
segment's on-disk hash table three to five times (is it there, its document
frequency to order an AND, its term info for the posting list and for the
scorer's bounds), each an MD5 of the key and a probe of slots read from the
file.  An index of many small segments pays that for every segment: on the 10x
bench index two-word queries spent a quarter of their time building matchers
for segments of a few dozen quotes.

`install()` makes Whoosh 3's terms reader keep where each looked-up term's
record is (or that it is absent), for as long as the segment's reader lives
(a segment never changes); the answers are the hash table's own (tests
compare).  Whoosh's methods stay at `WHOOSH_METHODS`.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec.whoosh3 import W3TermInfo, W3TermsReader
from whoosh.reading import TermNotFound

from .patches import Patch

WHOOSH_METHODS = {
    name: getattr(W3TermsReader, name) for name in ("__contains__", "_range_for_key", "term_info")
}
# Terms kept per segment; past this the segment's lookups start over (a bound on memory).
KEPT_TERMS = 50_000


def term_range(terms: Any, key: bytes) -> tuple[int, int] | None:
    """Where the record of `key` (field number + term bytes) is, or None when absent."""
    kept: dict[bytes, tuple[int, int] | None] | None = terms.__dict__.get("_kept_ranges")
    if kept is None:
        kept = terms.__dict__["_kept_ranges"] = {}
    elif key in kept:
        return kept[key]
    found = next(iter(terms._tindex.ranges_for_key(key)), None)
    if len(kept) >= KEPT_TERMS:
        kept.clear()
    kept[key] = found
    return found


def contains(self: Any, term: tuple[str, bytes]) -> bool:
    return term_range(self, self._keycoder(*term)) is not None


def range_for_key(self: Any, fieldname: str, tbytes: bytes) -> tuple[int, int]:
    key = self._keycoder(fieldname, tbytes)
    found = term_range(self, key)
    if found is None:
        raise KeyError(key)
    return found


def term_info(self: Any, fieldname: str, tbytes: bytes) -> Any:
    found = term_range(self, self._keycoder(fieldname, tbytes))
    if found is None:
        raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
    return W3TermInfo.from_bytes(self._tindex.dbfile.get(*found))


PATCH = Patch(
    W3TermsReader, __contains__=contains, _range_for_key=range_for_key, term_info=term_info
)


def install() -> None:
    """Make Whoosh 3's terms readers keep their lookups (idempotent)."""
    PATCH.install()

"""Search stage: Whoosh's BM25F, each document's field length read from its segment's bytes.

Whoosh scores a match by asking the searcher for the document's field length:
four calls down to the segment's lengths column, which reads one byte from the
file and decodes it (`byte_to_length`), and then BM25's length normalisation
worked out again.  `SegmentLengthBM25F` reads a segment's lengths column once
as bytes (one byte a document, kept while the segment's reader lives) and
keeps the normalisation per length byte, so a score is two lookups and the
rest of BM25's arithmetic, done in Whoosh's order: the same float, bit for
bit (tests compare every score with Whoosh's `BM25F`).  Anything it cannot
read that way (no lengths column, another column type, a reader that is not
one segment's) is scored by Whoosh's own scorer.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from whoosh import columns, scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.util.numeric import byte_to_length

# A segment's per-document reader → field name → its lengths column's bytes (None: unreadable).
_segment_lengths: WeakKeyDictionary[Any, dict[str, bytes | None]] = WeakKeyDictionary()
# (average field length, B, K1) → per length byte, BM25's `K1 * ((1 - B) + B * fl / avgfl)`.
_normalisers: dict[tuple[float, float, float], list[float]] = {}
_NORMALISERS_KEPT = 64  # fields × index versions seen by one process; cleared past this


def segment_lengths(reader: Any, fieldname: str) -> bytes | None:
    """The length byte of each document of `reader`'s segment in `fieldname` (a document
    past the end has none: 0), or None when the reader is not one Whoosh 3 segment's."""
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is None:
        return None
    fields = _segment_lengths.setdefault(perdoc, {})
    if fieldname not in fields:
        fields[fieldname] = _read_lengths(perdoc, fieldname)
    return fields[fieldname]


def _read_lengths(perdoc: Any, fieldname: str) -> bytes | None:
    try:
        column = perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    except AttributeError:  # not a Whoosh 3 per-document reader
        return None
    if type(column) is not columns.NumericColumn.Reader or column._typecode != "B":
        return None
    return bytes(column._dbfile.get(column._basepos, column._count))


def _normaliser_table(avgfl: float, b: float, k1: float) -> list[float]:
    key = (avgfl, b, k1)
    table = _normalisers.get(key)
    if table is None:
        if len(_normalisers) >= _NORMALISERS_KEPT:
            _normalisers.clear()
        # Byte 0 (no length) is never used: Whoosh's own scorer takes those documents.
        table = [0.0] + [k1 * ((1 - b) + b * byte_to_length(n) / avgfl) for n in range(1, 256)]
        _normalisers[key] = table
    return table


class SegmentLengthScorer(scoring.BM25FScorer):  # type: ignore[misc]
    """Whoosh's `BM25FScorer`, the document's length byte read from the segment's bytes."""

    def __init__(
        self, searcher: Any, fieldname: str, text: Any, b: float, k1: float, lengths: bytes, qf: int
    ) -> None:
        super().__init__(searcher, fieldname, text, b, k1, qf=qf)
        self._lengths = lengths
        self._norm = _normaliser_table(self.avgfl, b, k1)
        self._k1_plus_one = k1 + 1

    def score(self, matcher: Any) -> float:
        docnum = matcher.id()
        lengths = self._lengths
        if docnum < len(lengths):
            byte = lengths[docnum]
            if byte:
                tf = matcher.weight()
                return float(self.idf * ((tf * self._k1_plus_one) / (tf + self._norm[byte])))
        return float(super().score(matcher))


class SegmentLengthBM25F(scoring.BM25F):  # type: ignore[misc]
    """Whoosh's `BM25F` (one B for every field), scoring through `SegmentLengthScorer`."""

    def scorer(self, searcher: Any, fieldname: str, text: Any, qf: int = 1) -> Any:
        if searcher.schema[fieldname].scorable:
            lengths = segment_lengths(searcher.reader(), fieldname)
            if lengths is not None:
                return SegmentLengthScorer(searcher, fieldname, text, self.B, self.K1, lengths, qf)
        return super().scorer(searcher, fieldname, text, qf)

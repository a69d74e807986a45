"""Index stage, merging: which segments merge (`merge_tiers`), and their postings read back.

A merged segment's posting lists are already sorted, so `merged_terms`
reads each segment's term index and postings front to back, a term at a
time, renumbers them and interleaves them with the batch's own terms.
"""

from __future__ import annotations

import heapq
import io
import pickle
import zlib
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import accumulate, chain, islice
from operator import sub
from typing import Any

from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3TermInfo,
)
from whoosh.fields import Schema
from whoosh.system import (
    _INT_SIZE,
    _SHORT_SIZE,
    pack_ushort,
    unpack_int,
    unpack_ushort,
)

from .segment_format import (
    EXTENT,
    KEY_VALUE_LENGTHS,
    TERMINFO,
    CopiedPostings,
    TermPostings,
    TermPostingsIn,
)

# Segments of one size tier (by digits of their document count) that trigger a merge.
TIER_WIDTH = 8


def merge_tiers(writer: Any, segments: list[Any]) -> list[Any]:
    """Merge policy: segments of one size tier (1–9, 10–99, … live documents) merge
    into the new segment once `TIER_WIDTH` of them exist; the rest stay.

    Whoosh's default (`MERGE_SMALL`) merged nothing once segments held more
    than a few dozen documents each, and rewrote everything when there were
    many: bulk batches piled up as segments (each costing every query a
    matcher) or were merged over and over.  Tiers bound both: at most
    `TIER_WIDTH - 1` segments per tier, and a document is rewritten once per
    tier it climbs, i.e. a logarithmic number of times.
    """
    from whoosh.reading import SegmentReader

    kept, merged = plan_tiers(segments)
    storage = merge_storage(writer.storage)
    for segment in merged:
        reader = SegmentReader(storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return kept


def plan_tiers(segments: list[Any]) -> tuple[list[Any], list[Any]]:
    """(segments kept, segments to merge) under `merge_tiers`; emptied ones are in neither."""
    tiers: dict[int, list[Any]] = {}
    merged: list[Any] = []
    for segment in segments:
        live = segment.doc_count()
        if live == 0:
            continue  # nothing left in it: dropped
        if live * 2 < segment.doc_count_all():
            merged.append(segment)  # mostly deleted documents: rewrite it
            continue
        tiers.setdefault(len(str(live)), []).append(segment)
    kept: list[Any] = []
    for tier in sorted(tiers):
        members = tiers[tier]
        if len(members) < TIER_WIDTH:
            kept.extend(members)
        else:
            merged.extend(members)
    return kept, merged


def keep_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Merge policy for a large batch: nothing merges in its commit (see `writer.py`)."""
    return segments


def merge_storage(storage: Any) -> Any:
    """The index folder opened for reading segments being merged, without memory maps.

    A merge reads every byte of its segments once, front to back; through a
    map each page read stays resident, so merging 1.28M quotes grew the
    writing process past 1.7 GB.  Plain reads leave them to the page cache.
    """
    from whoosh.filedb.filestore import FileStorage

    if type(storage) is FileStorage and storage.supports_mmap:
        return FileStorage(storage.folder, supports_mmap=False, readonly=True)
    return storage


# A merged segment's reader, its docnum renumbering, and its docnum shift (or None).
SegmentSource = tuple[Any, Callable[[Any], Any], "int | None"]


@contextmanager
def opened(
    merging: list[MergedSegment], storage: Any, schema: Schema
) -> Iterator[list[SegmentSource]]:
    """The segments being merged, opened for reading, and closed afterwards."""
    readers = [merged.open(storage, schema) for merged in merging]
    try:
        yield readers
    finally:
        for reader, _, _ in readers:
            reader.close()


@dataclass
class MergedSegment:
    """A segment being merged in: where its documents start, and where deleted ones went."""

    segment: Any
    basedoc: int
    docmap: dict[int, int] | None  # old docnum → new, when it had deletions

    def open(self, storage: Any, schema: Schema) -> SegmentSource:
        """Its reader, a function renumbering a block of its old docnums, and what
        every docnum gains in the merged segment (None when deletions renumber)."""
        from whoosh.reading import SegmentReader

        reader = SegmentReader(merge_storage(storage), schema, self.segment)
        return reader, self._renumber, self.basedoc if self.docmap is None else None

    def _renumber(self, deltas: Iterable[int]) -> Any:
        if self.docmap is None:
            return islice(accumulate(deltas, initial=self.basedoc), 1, None)
        docmap = self.docmap
        return (docmap.get(docnum, -1) for docnum in accumulate(deltas))


def merged_terms(
    own: Iterator[TermPostingsIn],
    schema: Schema,
    readers: list[SegmentSource],
    fields: Collection[str] | None = None,
) -> Iterator[TermPostingsIn]:
    """The batch's terms and the merged segments' terms, in order, postings concatenated.

    Streams yield (field, term, stream number, payload); the first three are
    unique, so the heap never compares payloads: the batch's own postings
    (stream 0) or a segment's term info, read only when the term is complete.
    A term found in one segment only, whose docnums all move by the same
    shift, is handed on as `CopiedPostings`: its blocks are copied
    with their first and last ids moved instead of decoded and encoded again.
    With `fields`, only those fields' terms (`own` must hold no others).
    """
    if not readers:
        yield from own
        return
    streams: list[Iterator[tuple[str, bytes, int, Any]]] = [
        ((field, btext, 0, postings) for field, btext, postings in own)
    ]
    sources: list[tuple[Any, Callable[[Any], Any], int | None]] = [(None, _no_renumber, None)]
    for number, (reader, renumber, shift) in enumerate(readers, 1):
        streams.append(_segment_terms(reader, schema, number, fields))
        sources.append((_ForwardFile(reader._terms._postfile), renumber, shift))
    formats = {name: field.format for name, field in schema.items()}
    current: tuple[str, bytes] | None = None
    pieces: list[tuple[int, Any]] = []

    def finished() -> TermPostings | CopiedPostings | None:
        assert current is not None
        if len(pieces) == 1 and (number := pieces[0][0]):
            postfile, renumber, shift = sources[number]
            if shift is not None and not pieces[0][1][0]:  # not inlined
                return CopiedPostings(postfile, pieces[0][1], shift)
        read = []
        for number, payload in pieces:
            if number:
                postfile, renumber, _ = sources[number]
                payload = _read_postings(postfile, payload, formats[current[0]], renumber)
            read.append(payload)
        return concatenate(read)

    for field, btext, number, payload in heapq.merge(*streams):
        if current is None or btext != current[1] or field != current[0]:
            if current is not None and (joined := finished()) is not None:
                yield current[0], current[1], joined
            current, pieces = (field, btext), []
        pieces.append((number, payload))
    if current is not None and (joined := finished()) is not None:
        yield current[0], current[1], joined


def _no_renumber(deltas: Iterable[int]) -> Any:
    return accumulate(deltas)


class _ForwardFile:
    """A segment part read front to back in large chunks.

    A merge visits a segment's term index and its postings in file order;
    Whoosh's `get` seeks and reads for every key, value and posting list
    (four reads a term), a third of a merge's time.
    """

    CHUNK = 1 << 20

    def __init__(self, dbfile: Any) -> None:
        self._file = dbfile
        self._start = 0
        self._chunk = b""

    def get(self, position: int, length: int) -> bytes:
        at = position - self._start
        if at < 0 or at + length > len(self._chunk):
            self._file.seek(position)
            self._chunk = self._file.read(max(length, self.CHUNK))
            self._start, at = position, 0
        return self._chunk[at : at + length]


def _segment_terms(
    reader: Any, schema: Schema, number: int, fields: Collection[str] | None = None
) -> Iterator[tuple[str, bytes, int, bytes]]:
    """(field, term, stream number, term info bytes) for every term of a segment (of
    `fields` only, when given), read as Whoosh's `OrderedHashReader` stores them: key
    and value lengths, key, value.  Keys are ordered by field number, and field
    numbers by name, so the terms of a run of fields are read from the first of
    them to the last."""
    terms = reader._terms
    tindex = terms._tindex
    names = terms._fieldunmap
    position, end = tindex.startofdata, tindex.endofdata
    wanted = range(len(names))
    if fields is not None:
        numbers = [n for n, name in enumerate(names) if name in fields]
        if not numbers:
            return
        wanted = range(numbers[0], numbers[-1] + 1)
        position = tindex.closest_key_pos(pack_ushort(numbers[0]))
        if position is None:
            return
    forward = _ForwardFile(tindex.dbfile)
    header = KEY_VALUE_LENGTHS.size
    unpack = KEY_VALUE_LENGTHS.unpack
    while position < end:
        keylength, valuelength = unpack(forward.get(position, header))
        record = forward.get(position + header, keylength + valuelength)
        position += header + keylength + valuelength
        (fieldid,) = unpack_ushort(record[:_SHORT_SIZE])
        if fieldid not in wanted:
            if fieldid >= wanted.stop:
                return
            continue
        field = names[fieldid]
        if field is not None and field in schema and (fields is None or field in fields):
            yield field, record[_SHORT_SIZE:keylength], number, record[keylength:]


def _read_postings(
    postfile: _ForwardFile, terminfo: bytes, fmt: Any, renumber: Callable[[Any], Any]
) -> TermPostings:
    """A term's postings from a segment, docnums renumbered (-1: deleted).

    The term's blocks are read in one piece and decoded here rather than
    through a matcher: a merge reads every term once, front to back.
    Each block is a signed length (negative for the last), a pickled info
    tuple, and the (maybe compressed) pickled (ids, weights, values).
    """
    docnums: array[int] = array("q")
    weights: array[float] = array("d")
    values: list[bytes] = []
    if terminfo[0]:  # flags: the postings are inlined in the term info
        ids, block_weights, block_values = W3TermInfo.from_bytes(terminfo).inlined_postings()
        docnums.extend(renumber(chain((ids[0],), map(sub, ids[1:], ids))))
        weights.extend(block_weights)
        given = [value or b"" for value in block_values]
        values = given if len(given) == len(ids) else [b""] * len(ids)
    elif (fixedsize := fmt.fixed_value_size()) == 0 and _df(terminfo) == 1:
        # One posting without a value (an `id` term): the term info has all of it.
        _, weight, _, _, _, _, docnum, _ = TERMINFO.unpack_from(terminfo)
        docnums.extend(renumber((docnum,)))
        weights.append(weight)
        values.append(b"")
    else:
        offset, length = EXTENT.unpack_from(terminfo, TERMINFO.size)
        blocks = io.BytesIO(postfile.get(offset, length))
        if blocks.read(4) != WHOOSH3_HEADER_MAGIC:
            raise ValueError(f"bad postings header at offset {offset}")
        last = False
        while not last:
            (size,) = unpack_int(blocks.read(_INT_SIZE))
            last = size < 0
            end = blocks.tell() + abs(size)
            count, _, _, compression, _, _ = pickle.load(blocks)
            data = blocks.read(end - blocks.tell())
            mini_ids, mini_weights, mini_values = pickle.loads(
                zlib.decompress(data) if compression else data
            )
            docnums.extend(renumber(mini_ids))
            if mini_weights is None:
                weights.extend([1.0] * count)
            elif isinstance(mini_weights, float):
                weights.extend([mini_weights] * count)
            else:
                weights.extend(mini_weights)
            if fixedsize is None or fixedsize < 0:
                values.extend(mini_values)
            elif fixedsize == 0:
                values.extend([b""] * count)
            else:
                values.extend(
                    mini_values[i : i + fixedsize] for i in range(0, len(mini_values), fixedsize)
                )
    if docnums and min(docnums) < 0:  # postings of deleted documents
        kept = [i for i, docnum in enumerate(docnums) if docnum >= 0]
        docnums = array("q", [docnums[i] for i in kept])
        weights = array("d", [weights[i] for i in kept])
        values = [values[i] for i in kept]
    return docnums, weights, values


def _df(terminfo: bytes) -> int:
    """How many documents a term info (flags, weight, document frequency, ...) counts."""
    return int.from_bytes(terminfo[5:9], "big")


def concatenate(pieces: list[TermPostings]) -> TermPostings | None:
    """One term's postings from several sources, in docnum order (None: no postings left)."""
    pieces = [piece for piece in pieces if piece[0]]
    if not pieces:
        return None
    if len(pieces) == 1:
        return pieces[0]
    docnums: array[int] = array("q")
    weights: array[float] = array("d")
    values: list[bytes] = []
    ordered = True
    for piece in pieces:
        if docnums and piece[0][0] < docnums[-1]:
            ordered = False
        docnums.extend(piece[0])
        weights.extend(piece[1])
        values.extend(piece[2])
    if not ordered:  # documents added after a merge: rare, sort them in
        order = sorted(range(len(docnums)), key=docnums.__getitem__)
        docnums = array("q", [docnums[i] for i in order])
        weights = array("d", [weights[i] for i in order])
        values = [values[i] for i in order]
    return docnums, weights, values

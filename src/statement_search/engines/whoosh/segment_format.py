"""Index stage, encoding: a term's posting list and term info in Whoosh 3's format.

Whoosh's `add_postings` builds each block one posting at a time through
several layers of buffer objects; `_TermEncoder` writes the same blocks and
term info straight from a term's arrays, and `CompactTermIndexWriter` keeps
the term index's hash buckets as arrays.  Tests compare the bytes with
Whoosh's own writer's.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import sub
from typing import TYPE_CHECKING, Any

from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3FieldWriter,
    W3TermInfo,
)
from whoosh.fields import Schema
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.system import (
    pack_int,
    pack_long,
    pack_ushort,
)
from whoosh.util.numeric import length_to_byte

if TYPE_CHECKING:
    from .field_lengths import FieldLengths

# Posting blocks with fewer postings are stored uncompressed: compressing them
# was a fifth of a commit and saved little (20k quotes: commit 6.3 -> 4.9 s,
# index 46 -> 50 MB).  Readers follow each block's own compression flag.
COMPRESS_MIN_POSTINGS = 16

# A term's postings: docnums ascending, weights, encoded values.
TermPostings = tuple["array[int]", "array[float]", list[bytes]]


@dataclass(frozen=True)
class CopiedPostings:
    """A merged segment's posting list to copy as it is, its docnums moved by `shift`."""

    postfile: Any  # has get(offset, length)
    terminfo: bytes  # the term info row as the segment stored it
    shift: int


TermPostingsIn = tuple[str, bytes, "TermPostings | CopiedPostings"]


@dataclass(frozen=True)
class FlatTerms:
    """Terms with their postings as a few flat sequences, in (field, term) order (a
    field of a batch's folded postings, read back: `pool_runs.py`)."""

    fields: list[str]
    terms: list[bytes]
    counts: array[int]
    docnums: array[int]
    weights: array[float]
    values: list[bytes]

    def __iter__(self) -> Iterator[tuple[str, bytes, TermPostings]]:
        start = 0
        docnums, weights, values = self.docnums, self.weights, self.values
        for field, btext, count in zip(self.fields, self.terms, self.counts, strict=True):
            end = start + count
            yield field, btext, (docnums[start:end], weights[start:end], values[start:end])
            start = end


def write_terms(
    fieldwriter: W3FieldWriter,
    schema: Schema,
    lengths: FieldLengths,
    terms: Iterable[TermPostingsIn],
) -> None:
    """Every term's posting list and term info, encoded here in Whoosh 3's format.

    Whoosh's `add_postings` builds each block one posting at a time and each
    term goes through several layers of buffer objects (start_term,
    add_posting, _write_block with its minifying generators, finish_postings,
    add_block, to_bytes).  `_TermEncoder` writes the same blocks and term
    info straight from a term's arrays (tests compare what both writers'
    segments read back).  Small blocks are left uncompressed
    (`COMPRESS_MIN_POSTINGS`).
    """
    current = None
    encode: _TermEncoder | None = None
    for fieldname, btext, postings in terms:
        if fieldname != current:
            if current is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            current = fieldname
            encode = _TermEncoder(fieldwriter, schema[fieldname], lengths.of_field(fieldname))
        assert encode is not None
        encode(btext, postings)
    if current is not None:
        fieldwriter.finish_field()


_BLOCK_NUMBERS = struct.Struct("!i")
KEY_VALUE_LENGTHS = struct.Struct("!ii")  # a hash file's record header
_HASH_POINTER = struct.Struct("!Iq")  # a hash table slot: key hash, record position
TERMINFO = W3TermInfo._struct
EXTENT = struct.Struct("!qi")  # after a term info: its postings' offset and length
_FLOAT32 = struct.Struct("f")  # a weight as a block's float array keeps it


class _LengthBytes(dict[int | None, int]):
    """Field length → Whoosh's one-byte form (`length_to_byte`), each made once: a
    lookup is a C-level `[]`, and a segment's lengths take a few hundred values."""

    def __missing__(self, length: int | None) -> int:
        byte = self[length] = length_to_byte(length)
        return byte


LENGTH_BYTE = _LengthBytes()


class _TermEncoder:
    """Writes one field's terms: blocks of up to `blocklimit` postings, each a signed
    length (negative for the last), a pickled info tuple (count, last id, max
    weight, compression, min and max length bytes) and the pickled, maybe
    compressed (delta-coded ids, weights or None or the common weight,
    values); then the term info row keyed by field number and term."""

    def __init__(self, fieldwriter: W3FieldWriter, field: Any, field_lengths: array[int]) -> None:
        postwriter = fieldwriter._postwriter
        self._write = postwriter._postfile.write
        # where the next posting list starts: only this encoder writes the postings
        # file while its field is written (one `tell` a field instead of one a term)
        self._position: int = postwriter._postfile.tell()
        self._limit = postwriter._blocklimit
        self._level = postwriter._compression
        self._fixedsize = field.format.fixed_value_size()
        self._lengths = field_lengths
        self._add_row = fieldwriter._tindex.add
        self._key = pack_ushort(fieldwriter._fieldid)

    def __call__(self, btext: bytes, postings: TermPostings | CopiedPostings) -> None:
        if isinstance(postings, CopiedPostings):
            self._copy(btext, postings)
            return
        docnums, weights, values = postings
        count = len(docnums)
        if count == 1:
            self._single(btext, docnums[0], weights[0], values[0])
        elif count <= self._limit:
            self._one_block(btext, postings)
        else:
            self._blocks(btext, postings)

    def _blocks(self, btext: bytes, postings: TermPostings) -> None:
        docnums, weights, values = postings
        limit = self._limit
        count = len(docnums)
        start = self._position
        out = [WHOOSH3_HEADER_MAGIC]
        total = 0.0
        minlength: int | None = None
        maxlength = 0
        maxweight = 0.0
        for low in range(0, count, limit):
            high = min(low + limit, count)
            ids, block_weights = docnums[low:high], weights[low:high]
            block_values = values[low:high]
            size = high - low
            stored, data, level = self._block_data(ids, block_weights, block_values)
            block_max = max(0, max(block_weights))
            block_min_length, block_max_length = self._length_range(ids)
            info = pickle.dumps(
                (
                    size,
                    ids[-1],
                    block_max,
                    level,
                    LENGTH_BYTE[block_min_length],
                    LENGTH_BYTE[block_max_length],
                ),
                2,
            )
            span = len(info) + len(data)
            out.append(_BLOCK_NUMBERS.pack(-span if high == count else span))
            out.append(info)
            out.append(data)
            total += sum(stored)
            if minlength is None:
                minlength = block_min_length
            elif block_min_length is not None:
                minlength = min(minlength, block_min_length)
            maxlength = max(maxlength, block_max_length)
            maxweight = max(maxweight, block_max)
        written = b"".join(out)
        self._write(written)
        self._position = start + len(written)
        row = TERMINFO.pack(
            0,
            total,
            count,
            0 if minlength is None else LENGTH_BYTE[minlength],
            LENGTH_BYTE[maxlength],
            maxweight,
            docnums[0],
            docnums[-1],
        )
        self._add_row(self._key + btext, row + pack_long(start) + pack_int(len(written)))

    def _copy(self, btext: bytes, copied: CopiedPostings) -> None:
        """A posting list from a merged segment: its blocks with their first id (the
        only absolute one; the rest are deltas) and last id moved, its term info with
        its min and max ids moved; weights, values, lengths and compression kept."""
        terminfo, shift = copied.terminfo, copied.shift
        offset, length = EXTENT.unpack_from(terminfo, TERMINFO.size)
        blob = copied.postfile.get(offset, length)
        if blob[:4] != WHOOSH3_HEADER_MAGIC:
            raise ValueError(f"bad postings header at offset {offset}")
        if shift:
            out = [WHOOSH3_HEADER_MAGIC]
            position, last = 4, False
            while not last:
                (size,) = _BLOCK_NUMBERS.unpack_from(blob, position)
                last = size < 0
                start, end = position + 4, position + 4 + abs(size)
                block = io.BytesIO(blob[start:end])
                count, last_id, maxweight, level, shortest, longest = pickle.load(block)
                data = block.read()
                ids, weights, values = pickle.loads(zlib.decompress(data) if level else data)
                data = pickle.dumps(((ids[0] + shift, *ids[1:]), weights, values), 2)
                if level:
                    data = zlib.compress(data, level)
                info = pickle.dumps(
                    (count, last_id + shift, maxweight, level, shortest, longest), 2
                )
                span = len(info) + len(data)
                out += (_BLOCK_NUMBERS.pack(-span if last else span), info, data)
                position = end
            blob = b"".join(out)
        flags, weight, df, shortest, longest, maxweight, low, high = TERMINFO.unpack_from(terminfo)
        row = TERMINFO.pack(
            flags, weight, df, shortest, longest, maxweight, low + shift, high + shift
        )
        start = self._position
        self._write(blob)
        self._position = start + len(blob)
        self._add_row(self._key + btext, row + pack_long(start) + pack_int(len(blob)))

    def _block_data(
        self, ids: Any, weights: Any, values: list[bytes]
    ) -> tuple[array[float], bytes, int]:
        """A block's weights as stored (float32), its data bytes and compression level."""
        count = len(ids)
        stored = array("f", weights)
        if stored.count(1.0) == count:
            mini_weights: Any = None
        elif stored.count(stored[0]) == count:
            mini_weights = stored[0]
        else:
            mini_weights = tuple(stored)
        fixedsize = self._fixedsize
        if fixedsize is None or fixedsize < 0:
            mini_values: Any = tuple(filter(None, values))
        elif fixedsize == 0:
            mini_values = None
        else:
            mini_values = b"".join(values)
        mini_ids = (ids[0], *map(sub, ids[1:], ids))
        data = pickle.dumps((mini_ids, mini_weights, mini_values), 2)
        level = self._level if count >= COMPRESS_MIN_POSTINGS else 0
        if level:
            data = zlib.compress(data, level)
        return stored, data, level

    def _length_range(self, ids: Any) -> tuple[int | None, int]:
        """The shortest and longest non-zero field length of a block's documents."""
        lengths = self._lengths
        if not lengths:
            return None, 0
        if ids[-1] < len(lengths):  # docnums ascend: all of them have lengths
            found = [n for n in map(lengths.__getitem__, ids) if n]
        else:
            known = len(lengths)
            found = [n for d in ids if d < known and (n := lengths[d])]
        if not found:
            return None, 0
        return min(found), max(found)

    def _one_block(self, btext: bytes, postings: TermPostings) -> None:
        """`_blocks` for a term whose postings fill one block (most terms): the same bytes."""
        docnums, weights, values = postings
        count = len(docnums)
        stored, data, level = self._block_data(docnums, weights, values)
        block_max = max(0, max(weights))
        shortest, longest = self._length_range(docnums)
        lowest, highest = LENGTH_BYTE[shortest], LENGTH_BYTE[longest]
        last = docnums[-1]
        info = pickle.dumps((count, last, block_max, level, lowest, highest), 2)
        maxweight = max(0.0, block_max)
        row = TERMINFO.pack(0, sum(stored), count, lowest, highest, maxweight, docnums[0], last)
        self._inline_block(btext, info, data, row)

    def _single(self, btext: bytes, docnum: int, weight: float, value: bytes) -> None:
        """`__call__` for a term in one document (most word pairs): the same bytes, less work."""
        fixedsize = self._fixedsize
        (stored,) = _FLOAT32.unpack(_FLOAT32.pack(weight))
        if fixedsize is None or fixedsize < 0:
            mini_values: Any = (value,) if value else ()
        elif fixedsize == 0:
            mini_values = None
        else:
            mini_values = value
        data = pickle.dumps(((docnum,), None if stored == 1.0 else stored, mini_values), 2)
        block_max = max(0, weight)
        lengths = self._lengths
        length = lengths[docnum] if docnum < len(lengths) else 0
        lowest = LENGTH_BYTE[length or None]
        highest = LENGTH_BYTE[length]
        info = pickle.dumps((1, docnum, block_max, 0, lowest, highest), 2)
        maxweight = max(0.0, block_max)
        row = TERMINFO.pack(0, stored, 1, lowest, highest, maxweight, docnum, docnum)
        self._inline_block(btext, info, data, row)

    def _inline_block(self, btext: bytes, info: bytes, data: bytes, row: bytes) -> None:
        """A term's postings written as one inline block, and its term-index row (`row`,
        the term info, followed by where the block starts and how long it is)."""
        start = self._position
        span = len(info) + len(data)
        written = b"".join((WHOOSH3_HEADER_MAGIC, _BLOCK_NUMBERS.pack(-span), info, data))
        self._write(written)
        self._position = start + len(written)
        self._add_row(self._key + btext, row + pack_long(start) + pack_int(len(written)))


def compact_term_index(fieldwriter: W3FieldWriter) -> None:
    """Give a new field writer's term index compact buckets (nothing is added yet)."""
    tindex = fieldwriter._tindex
    if type(tindex) is OrderedHashWriter and not any(tindex.buckets):
        tindex.__class__ = CompactTermIndexWriter
        tindex._empty_buckets()


class CompactTermIndexWriter(OrderedHashWriter):
    """Whoosh's ordered hash file of term infos, with its buckets kept as arrays.

    Whoosh keeps a (hash, position) tuple object per term until the file is
    closed, about 120 bytes a term: merging 1.28M quotes (some 3M terms)
    held 400 MB that way.  Two arrays per bucket hold the same in 12 bytes a
    term, and the hash tables written are the same bytes.
    """

    lastkey: bytes  # Whoosh's attribute: keys must increase

    def __init__(self, dbfile: Any) -> None:
        super().__init__(dbfile)
        self._empty_buckets()

    def _empty_buckets(self) -> None:
        self._hashes = [array("I") for _ in range(256)]
        self._positions = [array("q") for _ in range(256)]

    def add(self, key: bytes, value: bytes) -> None:
        if key <= self.lastkey:
            raise ValueError(f"Keys must increase: {self.lastkey!r}..{key!r}")
        dbfile = self.dbfile
        position = dbfile.tell()
        self.index.append(position)
        dbfile.write(KEY_VALUE_LENGTHS.pack(len(key), len(value)) + key + value)
        hashed = self.hashfn(key)
        self._hashes[hashed & 255].append(hashed)
        self._positions[hashed & 255].append(position)
        self.lastkey = key

    def _write_hashes(self) -> None:
        """Open-addressing tables, one per bucket, twice as many slots as entries."""
        dbfile = self.dbfile
        for hashes, positions in zip(self._hashes, self._positions, strict=True):
            start = dbfile.tell()
            slots = 2 * len(hashes)
            self.directory.append((start, slots))
            table_hashes = array("I", bytes(4 * slots))
            table_positions = array("q", bytes(8 * slots))
            taken = bytearray(slots)
            for hashed, position in zip(hashes, positions, strict=True):
                slot = (hashed >> 8) % slots
                while taken[slot]:
                    slot = (slot + 1) % slots
                taken[slot] = 1
                table_hashes[slot] = hashed
                table_positions[slot] = position
            dbfile.write(b"".join(map(_HASH_POINTER.pack, table_hashes, table_positions)))

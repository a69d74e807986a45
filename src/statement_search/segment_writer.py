"""Index stage, the Whoosh writer we commit batches with: the same segments, less Python.

Profiling a bulk build showed Whoosh's `SegmentWriter` spending most of its
time not on encoding postings but around it: every posting went through a
token-object pipeline of generators, was pickled to a temporary run file and
read back for an external sort, and at commit had its field length looked up
in the length column just written to disk (with a `stat` per posting for the
fields that keep no lengths).  `QuoteSegmentWriter` keeps Whoosh's file
formats and commit logic and changes only these things:

- postings are grouped by term in memory as they arrive (documents come in
  docnum order, so each term's list is already sorted), falling back to
  Whoosh's spilling pool when a batch grows past a bound;
- field lengths are remembered as documents are written, not read back;
- a merged segment's documents are copied column by column and its postings
  read a term at a time, renumbered and written after the batch's own,
  instead of one posting at a time through the pool;
- plain-text fields whose analyser is the usual chain (regex tokenizer,
  lowercase, stop words, stemmer) are analysed by one loop with the chain's
  own parameters and stem cache, giving exactly the terms, weights and
  positions the chain gives (tests compare the two on every field).

A segment written this way is the one Whoosh would write; tests read back
every posting, length and stored field of both.
"""

from __future__ import annotations

import heapq
import io
import pickle
import re
import struct
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, islice
from operator import itemgetter, sub
from typing import Any

from whoosh.analysis import (
    CompositeAnalyzer,
    IDTokenizer,
    LowercaseFilter,
    RegexTokenizer,
    StopFilter,
)
from whoosh.analysis.morph import StemFilter
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    STORED_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3FieldWriter,
    W3PerDocReader,
    W3PerDocWriter,
    W3TermInfo,
    _lenfield,
)
from whoosh.columns import CompressedBytesColumn, PickleColumn, VarBytesColumn
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import (
    _INT_SIZE,
    _SHORT_SIZE,
    pack_int,
    pack_long,
    pack_uint,
    pack_ushort,
    unpack_int,
    unpack_ushort,
)
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import PostingPool, SegmentWriter

# Postings held in memory before the pool hands over to Whoosh's spilling one
# (a merge of large segments must not be held in memory).
MEMORY_POSTINGS = 2_500_000

# Posting blocks with fewer postings are stored uncompressed: compressing them
# was a fifth of a commit and saved little (20k quotes: commit 6.3 -> 4.9 s,
# index 46 -> 50 MB).  Readers follow each block's own compression flag.
COMPRESS_MIN_POSTINGS = 16

# Segments of one size tier (by digits of their document count) that trigger a merge.
TIER_WIDTH = 8

Posting = tuple[str, bytes, int, float, bytes | None]
_TermPostings = tuple["array[int]", "array[float]", list[bytes]]
# (term bytes, frequency, weight, encoded value), as `FieldType.index` gives them
Item = tuple[bytes, int, float, bytes]
FieldIndexer = Callable[[str], list[Item]]
_frequency = itemgetter(1)
# A document's stored fields (pickled, compressed), (field, length) and (field, column value).
PerDocValues = tuple[bytes, list[tuple[str, int]], list[tuple[str, Any]]]
# The document key carrying postings made by `DocumentAnalyzer` (Whoosh ignores "_" keys).
POSTINGS_KEY = "_postings"
# Weights most postings share: one object each instead of one a posting.
_WEIGHTS = {float(n) * boost: float(n) * boost for n in range(1, 9) for boost in (0.5, 1.0, 3.0)}


class MemoryPostingPool:
    """Postings grouped by field and term in arrival order, with Whoosh's pool as the overflow.

    A term's postings are one flat list, docnum, weight, value, docnum, ...:
    one `+=` a posting instead of three appends into three arrays.  Filing
    8.7k quotes took 0.12 ms a quote instead of 0.17, and 20k quotes' pool
    left the process at 167 MB instead of 250 (an array object per list
    costs more than the shared numbers).  `sorted_terms` hands them on as arrays.
    """

    def __init__(self, overflow: Callable[[], PostingPool], limit: int | None = None) -> None:
        # field → term → [docnum, weight, encoded value, docnum, ...]
        self.fields: dict[str, dict[bytes, list[Any]]] = {}
        self._count = 0
        self._limit = MEMORY_POSTINGS if limit is None else limit
        self._make_overflow = overflow
        self.overflow: PostingPool | None = None
        self._ordered = True  # every term's docnums ascending (Whoosh's merges keep it so)

    def add(self, item: Posting) -> None:
        """One posting, as Whoosh's merges hand them over."""
        fieldname, btext, docnum, weight, value = item
        postings = self.fields.get(fieldname, {}).get(btext)
        if postings and postings[-3] > docnum:
            self._ordered = False
        self.add_items(fieldname, docnum, [(btext, 0, weight, value or b"")], 1.0)

    def add_items(self, fieldname: str, docnum: int, items: list[Item], boost: float) -> None:
        """One document's postings for one field (documents come in docnum order)."""
        if self.overflow is not None:
            add = self.overflow.add
            for btext, _, weight, value in items:
                add((fieldname, btext, docnum, weight * boost, value))
            return
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        get = terms.get
        if boost == 1.0:
            for btext, _, weight, value in items:
                postings = get(btext)
                if postings is None:
                    terms[btext] = [docnum, _WEIGHTS.get(weight, weight), value or b""]
                else:
                    postings += (docnum, _WEIGHTS.get(weight, weight), value or b"")
        else:
            for btext, _, weight, value in items:
                posting = (docnum, weight * boost, value or b"")
                postings = get(btext)
                if postings is None:
                    terms[btext] = list(posting)
                else:
                    postings += posting
        self._count += len(items)
        if self._count > self._limit:
            self._spill()

    def _spill(self) -> None:
        """Too many postings to hold: hand everything to Whoosh's external sort."""
        pool = self.overflow = self._make_overflow()
        for posting in self._iter_memory():
            pool.add(posting)
        self.fields.clear()

    def sorted_terms(self) -> Iterator[tuple[str, bytes, _TermPostings]]:
        """(field, term, postings in docnum order), fields and terms in order."""
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            for btext in sorted(terms):
                flat = terms[btext]
                docnums = array("q", flat[0::3])
                weights = array("d", flat[1::3])
                values = flat[2::3]
                if not self._ordered:
                    order = sorted(range(len(docnums)), key=docnums.__getitem__)
                    docnums = array("q", (docnums[i] for i in order))
                    weights = array("d", (weights[i] for i in order))
                    values = [values[i] for i in order]
                yield fieldname, btext, (docnums, weights, values)

    def _iter_memory(self) -> Iterator[Posting]:
        for fieldname, btext, (docnums, weights, values) in self.sorted_terms():
            for i, docnum in enumerate(docnums):
                yield fieldname, btext, docnum, weights[i], values[i]

    def iter_postings(self) -> Iterator[Posting]:
        if self.overflow is not None:
            return self.overflow.iter_postings()
        return self._iter_memory()

    def cleanup(self) -> None:
        self.fields.clear()
        if self.overflow is not None:
            self.overflow.cleanup()


class _Lengths:
    """Field lengths of the segment being written, as its length column will give them back.

    One array per field indexed by docnum (4 bytes a document, merges included).
    """

    def __init__(self) -> None:
        self._by_field: dict[str, array[int]] = {}

    def record(self, fieldname: str, docnum: int, length: int) -> None:
        if not length:
            return
        lengths = self._by_field.get(fieldname)
        if lengths is None:
            lengths = self._by_field[fieldname] = array("I")
        if len(lengths) <= docnum:
            lengths.extend([0] * (docnum + 1 - len(lengths)))
        lengths[docnum] = byte_to_length(length_to_byte(length))

    def of_field(self, fieldname: str) -> array[int]:
        return self._by_field.get(fieldname, array("I"))

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._by_field.get(fieldname)
        if lengths is None or docnum >= len(lengths) or not lengths[docnum]:
            return default
        return lengths[docnum]


class QuoteSegmentWriter(SegmentWriter):
    """A Whoosh `SegmentWriter` with an in-memory pool, remembered lengths and fast analysis.

    A document may carry its postings already made (`POSTINGS_KEY`, from
    `DocumentAnalyzer` in a worker process); they are used when the analyser
    that made them had this index's schema.
    """

    docnum: int  # the next document's number (Whoosh's attribute)

    def __init__(self, ix: Any, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        whoosh_pool: PostingPool = self.pool  # type: ignore[has-type]
        self.pool: MemoryPostingPool = MemoryPostingPool(lambda: whoosh_pool)
        self._lengths = _Lengths()
        # Vectors and spelling fields take Whoosh's own path for the whole document.
        self._plain = not any(f.vector or f.separate_spelling() for _, f in self.schema.items())
        self._indexers = _indexers(self.schema)
        self._schema_id = schema_fingerprint(self.schema)
        perdoc_add_field = self.perdocwriter.add_field
        record = self._lengths.record

        def add_field(fieldname: str, fieldobj: Any, value: Any, length: int) -> None:
            record(fieldname, self.perdocwriter._docnum, length)
            perdoc_add_field(fieldname, fieldobj, value, length)

        self.perdocwriter.add_field = add_field
        self._merging: list[_MergedSegment] = []
        if type(self.fieldwriter) is W3FieldWriter:
            _compact_term_index(self.fieldwriter)
        # Stored documents pickled and compressed ahead are written as they are
        # when this segment's stored column is the one `stored_document_bytes` makes.
        self._stored_bytes = None
        if type(self.perdocwriter) is W3PerDocWriter and _stored_column_is_standard():
            self._stored_bytes = self.perdocwriter._colwriters["_stored"]._child

    def add_document(self, **fields: Any) -> None:
        """Whoosh's `add_document`, with given or fast-made postings."""
        if not self._plain:
            super().add_document(**fields)
            return
        self._check_state()
        schema, docnum, add_items = self.schema, self.docnum, self.pool.add_items
        given = fields.get(POSTINGS_KEY)
        made: dict[str, list[Item]] = {}
        premade: PerDocValues | None = None
        if given is not None and given[0] == self._schema_id:
            made = given[1]
            premade = given[2] if len(given) > 2 else None
        docboost = self._doc_boost(fields)
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        perdoc = self.perdocwriter
        if premade is not None and self._stored_bytes is not None:
            self._add_prepared(fields, names, made, premade, docboost)
            return
        with self._document():
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    items = made.get(name)
                    if items is None:
                        items = _index(self._indexers, name, field, value)
                    if field.scorable:
                        length = sum(map(_frequency, items))
                    add_items(name, docnum, items, self._field_boost(fields, name, docboost))
                custom = fields.get(f"_stored_{name}", value)
                perdoc.add_field(name, field, custom if field.stored else None, length)
                column = field.column_type
                if column and custom is not None:
                    perdoc.add_column_value(name, column, field.to_column_value(custom))

    @contextmanager
    def _document(self) -> Iterator[None]:
        """Start the next document; finish it, or take it back if writing it failed."""
        perdoc = self.perdocwriter
        perdoc.start_doc(self.docnum)
        try:
            yield
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_prepared(
        self,
        fields: dict[str, Any],
        names: list[str],
        made: dict[str, list[Item]],
        perdoc_values: PerDocValues,
        docboost: float,
    ) -> None:
        """A document whose per-document values were made with its postings: its stored
        fields already pickled and compressed, its lengths and column values known."""
        schema, docnum, add_items = self.schema, self.docnum, self.pool.add_items
        stored, lengths, columns = perdoc_values
        perdoc = self.perdocwriter
        with self._document():
            for name in names:
                value = fields[name]
                if value is None or not schema[name].indexed:
                    continue
                items = made.get(name)
                if items is None:
                    items = _index(self._indexers, name, schema[name], value)
                add_items(name, docnum, items, self._field_boost(fields, name, docboost))
            if stored:
                VarBytesColumn.Writer.add(self._stored_bytes, docnum, stored)
            record, totals = self._lengths.record, perdoc._fieldlengths
            for name, length in lengths:
                perdoc.add_column_value(_lenfield(name), LENGTHS_COLUMN, length_to_byte(length))
                totals[name] += length
                record(name, docnum, length)
            for name, value in columns:
                perdoc.add_column_value(name, schema[name].column_type, value)

    def add_reader(self, reader: Any) -> None:
        """A segment merged in: its documents are copied now, its postings at flush.

        Whoosh's merge sends every posting through the pool (and, for large
        merges, through its pickling external sort).  A segment's posting
        lists are already sorted, so at flush each term's lists are read a
        block at a time, renumbered, and written after the batch's own.
        """
        from whoosh.reading import SegmentReader

        if (
            not self._plain
            or type(reader) is not SegmentReader
            or type(self.fieldwriter) is not W3FieldWriter
            or self.pool.overflow is not None
        ):
            super().add_reader(reader)
            return
        self._check_state()
        basedoc = self.docnum
        if self._stored_bytes is not None and type(reader._perdoc) is W3PerDocReader:
            docmap = self._copy_documents(reader)
        else:
            schema = self.schema
            indexed = {name for name in reader.indexed_field_names() if name in schema}
            docmap = self.write_per_doc(set(schema.names()) | indexed, reader)
        self._merging.append(_MergedSegment(reader.segment(), basedoc, docmap))
        self._added = True

    def _copy_documents(self, reader: Any) -> dict[int, int] | None:
        """Whoosh's `write_per_doc` by columns: stored fields keep their compressed
        bytes, lengths come from whole length columns, and field totals stay exact.

        Whoosh re-reads each length through a `stat` of its column file and
        re-pickles and re-compresses every stored document; it also sums the
        one-byte approximations of the lengths, so merged totals drift (by
        about 1.5% on quotes).  Returns the docnum map when documents were deleted.
        """
        perdoc_in = reader._perdoc
        deletions = reader.has_deletions()
        live: Any = list(reader.all_doc_ids()) if deletions else range(reader.doc_count_all())
        base = self.docnum
        docmap = {old: base + new for new, old in enumerate(live)} if deletions else None
        stored_in = perdoc_in._cached_reader("_stored", STORED_COLUMN)
        pdw = self.perdocwriter
        stored_out = self._stored_bytes
        length_bytes: dict[str, bytes] = {}
        for name, field in self.schema.items():
            if field.scorable:
                column = perdoc_in._cached_reader(_lenfield(name), LENGTHS_COLUMN)
                if column is not None:
                    length_bytes[name] = bytes(column.load())
        values_in = {
            name: (field.column_type, reader.column_reader(name, field.column_type).raw_column())
            for name, field in self.schema.items()
            if field.column_type and reader.has_column(name)
        }
        record = self._lengths.record
        add_value = pdw.add_column_value
        for new, old in enumerate(live):
            docnum = base + new
            pdw.start_doc(docnum)
            if stored_in is not None:
                raw = VarBytesColumn.Reader.__getitem__(stored_in._child, old)
                if raw:
                    VarBytesColumn.Writer.add(stored_out, docnum, raw)
            for name, lengths in length_bytes.items():
                if old < len(lengths) and (byte := lengths[old]):
                    add_value(_lenfield(name), LENGTHS_COLUMN, byte)
                    record(name, docnum, byte_to_length(byte))
            for name, (column_type, values) in values_in.items():
                add_value(name, column_type, values[old])
            pdw.finish_doc()
        self.docnum = base + len(live)
        kept = set(live) if deletions else set()
        for name, lengths in length_bytes.items():
            total = reader.field_length(name)
            if deletions:
                total -= sum(
                    byte_to_length(b) for d, b in enumerate(lengths) if b and d not in kept
                )
            pdw._fieldlengths[name] += max(0, total)
        return docmap

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self._lengths if self.codec.length_stats else None
        fieldwriter = self.fieldwriter
        if self.pool.overflow is None and type(fieldwriter) is W3FieldWriter:
            readers = [m.open(self.storage, self.schema) for m in self._merging]
            try:
                terms = _merged_terms(self.pool.sorted_terms(), self.schema, readers)
                _write_terms(fieldwriter, self.schema, self._lengths, terms)
            finally:
                for reader, _ in readers:
                    reader.close()
        else:
            self._pool_merged_postings()
            fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        fieldwriter.close()

    def _pool_merged_postings(self) -> None:
        """Segments merged before the pool spilled: their postings go through it after all."""
        for merged in self._merging:
            reader, _ = merged.open(self.storage, self.schema)
            try:
                self.add_postings_to_pool(reader, merged.basedoc, merged.docmap)
            finally:
                reader.close()
        self._merging.clear()


@dataclass
class _MergedSegment:
    """A segment being merged in: where its documents start, and where deleted ones went."""

    segment: Any
    basedoc: int
    docmap: dict[int, int] | None  # old docnum → new, when it had deletions

    def open(self, storage: Any, schema: Schema) -> tuple[Any, Callable[[Any], Any]]:
        """Its reader, and a function renumbering a block of its old docnums."""
        from whoosh.reading import SegmentReader

        reader = SegmentReader(_merge_storage(storage), schema, self.segment)
        return reader, self._renumber

    def _renumber(self, deltas: Iterable[int]) -> Any:
        if self.docmap is None:
            return islice(accumulate(deltas, initial=self.basedoc), 1, None)
        docmap = self.docmap
        return (docmap.get(docnum, -1) for docnum in accumulate(deltas))


TermPostingsIn = tuple[str, bytes, _TermPostings]


def _merged_terms(
    own: Iterator[TermPostingsIn],
    schema: Schema,
    readers: list[tuple[Any, Callable[[Any], Any]]],
) -> Iterator[TermPostingsIn]:
    """The batch's terms and the merged segments' terms, in order, postings concatenated.

    Streams yield (field, term, stream number, payload); the first three are
    unique, so the heap never compares payloads: the batch's own postings
    (stream 0) or a segment's term info, read only when its turn comes.
    """
    if not readers:
        yield from own
        return
    streams: list[Iterator[tuple[str, bytes, int, Any]]] = [
        ((field, btext, 0, postings) for field, btext, postings in own)
    ]
    sources: list[tuple[Any, Callable[[Any], Any]]] = [(None, _no_renumber)]
    for number, (reader, renumber) in enumerate(readers, 1):
        streams.append(_segment_terms(reader, schema, number))
        sources.append((_ForwardFile(reader._terms._postfile), renumber))
    formats = {name: field.format for name, field in schema.items()}
    current: tuple[str, bytes] | None = None
    pieces: list[_TermPostings] = []
    for field, btext, number, payload in heapq.merge(*streams):
        if current is None or btext != current[1] or field != current[0]:
            if current is not None and (joined := _concatenate(pieces)) is not None:
                yield current[0], current[1], joined
            current, pieces = (field, btext), []
        if number:
            postfile, renumber = sources[number]
            payload = _read_postings(postfile, payload, formats[field], renumber)
        pieces.append(payload)
    if current is not None and (joined := _concatenate(pieces)) is not None:
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
    reader: Any, schema: Schema, number: int
) -> Iterator[tuple[str, bytes, int, bytes]]:
    """(field, term, stream number, term info bytes) for every term of a segment,
    read as Whoosh's `OrderedHashReader` stores them: key and value lengths, key, value."""
    terms = reader._terms
    tindex = terms._tindex
    names = terms._fieldunmap
    forward = _ForwardFile(tindex.dbfile)
    position, end = tindex.startofdata, tindex.endofdata
    header = _KEY_VALUE_LENGTHS.size
    unpack = _KEY_VALUE_LENGTHS.unpack
    while position < end:
        keylength, valuelength = unpack(forward.get(position, header))
        record = forward.get(position + header, keylength + valuelength)
        position += header + keylength + valuelength
        (fieldid,) = unpack_ushort(record[:_SHORT_SIZE])
        field = names[fieldid] if fieldid < len(names) else None
        if field is not None and field in schema:
            yield field, record[_SHORT_SIZE:keylength], number, record[keylength:]


def _read_postings(
    postfile: _ForwardFile, terminfo: bytes, fmt: Any, renumber: Callable[[Any], Any]
) -> _TermPostings:
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
        _, weight, _, _, _, _, docnum, _ = _TERMINFO.unpack_from(terminfo)
        docnums.extend(renumber((docnum,)))
        weights.append(weight)
        values.append(b"")
    else:
        offset, length = _EXTENT.unpack_from(terminfo, _TERMINFO.size)
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


def _concatenate(pieces: list[_TermPostings]) -> _TermPostings | None:
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


def _write_terms(
    fieldwriter: W3FieldWriter,
    schema: Schema,
    lengths: _Lengths,
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
_KEY_VALUE_LENGTHS = struct.Struct("!ii")  # a hash file's record header
_HASH_POINTER = struct.Struct("!Iq")  # a hash table slot: key hash, record position
_TERMINFO = W3TermInfo._struct
_EXTENT = struct.Struct("!qi")  # after a term info: its postings' offset and length
_FLOAT32 = struct.Struct("f")  # a weight as a block's float array keeps it


class _TermEncoder:
    """Writes one field's terms: blocks of up to `blocklimit` postings, each a signed
    length (negative for the last), a pickled info tuple (count, last id, max
    weight, compression, min and max length bytes) and the pickled, maybe
    compressed (delta-coded ids, weights or None or the common weight,
    values); then the term info row keyed by field number and term."""

    def __init__(self, fieldwriter: W3FieldWriter, field: Any, field_lengths: array[int]) -> None:
        postwriter = fieldwriter._postwriter
        self._write = postwriter._postfile.write
        self._tell = postwriter._postfile.tell
        self._limit = postwriter._blocklimit
        self._level = postwriter._compression
        self._fixedsize = field.format.fixed_value_size()
        self._lengths = field_lengths
        self._add_row = fieldwriter._tindex.add
        self._key = pack_ushort(fieldwriter._fieldid)

    def __call__(self, btext: bytes, postings: _TermPostings) -> None:
        docnums, weights, values = postings
        count = len(docnums)
        if count == 1:
            self._single(btext, docnums[0], weights[0], values[0])
        elif count <= self._limit:
            self._one_block(btext, postings)
        else:
            self._blocks(btext, postings)

    def _blocks(self, btext: bytes, postings: _TermPostings) -> None:
        docnums, weights, values = postings
        limit, lengths, fixedsize = self._limit, self._lengths, self._fixedsize
        known = len(lengths)
        count = len(docnums)
        start = self._tell()
        out = [WHOOSH3_HEADER_MAGIC]
        total = 0.0
        minlength: int | None = None
        maxlength = 0
        maxweight = 0.0
        for low in range(0, count, limit):
            high = min(low + limit, count)
            if count <= limit:  # one block (most terms): no slices
                ids, block_weights, block_values = docnums, weights, values
            else:
                ids, block_weights = docnums[low:high], weights[low:high]
                block_values = values[low:high]
            stored = array("f", block_weights)
            size = high - low
            if stored.count(1.0) == size:
                mini_weights: Any = None
            elif stored.count(stored[0]) == size:
                mini_weights = stored[0]
            else:
                mini_weights = tuple(stored)
            if fixedsize is None or fixedsize < 0:
                mini_values: Any = tuple(filter(None, block_values))
            elif fixedsize == 0:
                mini_values = None
            else:
                mini_values = b"".join(block_values)
            mini_ids = (ids[0], *map(sub, ids[1:], ids))
            data = pickle.dumps((mini_ids, mini_weights, mini_values), 2)
            level = self._level if size >= COMPRESS_MIN_POSTINGS else 0
            if level:
                data = zlib.compress(data, level)
            block_max = max(0, max(block_weights))
            block_min_length: int | None = None
            block_max_length = 0
            if lengths:
                if ids[-1] < known:  # docnums ascend: all of them have lengths
                    found = [n for n in map(lengths.__getitem__, ids) if n]
                else:
                    found = [n for d in ids if d < known and (n := lengths[d])]
                if found:
                    block_min_length, block_max_length = min(found), max(found)
            info = pickle.dumps(
                (
                    size,
                    ids[-1],
                    block_max,
                    level,
                    length_to_byte(block_min_length),
                    length_to_byte(block_max_length),
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
        row = _TERMINFO.pack(
            0,
            total,
            count,
            0 if minlength is None else length_to_byte(minlength),
            length_to_byte(maxlength),
            maxweight,
            docnums[0],
            docnums[-1],
        )
        self._add_row(self._key + btext, row + pack_long(start) + pack_int(len(written)))

    def _one_block(self, btext: bytes, postings: _TermPostings) -> None:
        """`_blocks` for a term whose postings fill one block (most terms): the same bytes."""
        docnums, weights, values = postings
        count = len(docnums)
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
        mini_ids = (docnums[0], *map(sub, docnums[1:], docnums))
        data = pickle.dumps((mini_ids, mini_weights, mini_values), 2)
        level = self._level if count >= COMPRESS_MIN_POSTINGS else 0
        if level:
            data = zlib.compress(data, level)
        block_max = max(0, max(weights))
        lowest = highest = 0
        lengths = self._lengths
        if lengths:
            if docnums[-1] < len(lengths):  # docnums ascend: all of them have lengths
                found = [n for n in map(lengths.__getitem__, docnums) if n]
            else:
                known = len(lengths)
                found = [n for d in docnums if d < known and (n := lengths[d])]
            if found:
                lowest, highest = length_to_byte(min(found)), length_to_byte(max(found))
        last = docnums[-1]
        info = pickle.dumps((count, last, block_max, level, lowest, highest), 2)
        start = self._tell()
        span = len(info) + len(data)
        written = b"".join((WHOOSH3_HEADER_MAGIC, _BLOCK_NUMBERS.pack(-span), info, data))
        self._write(written)
        maxweight = max(0.0, block_max)
        row = _TERMINFO.pack(0, sum(stored), count, lowest, highest, maxweight, docnums[0], last)
        self._add_row(self._key + btext, row + pack_long(start) + pack_int(len(written)))

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
        lowest = length_to_byte(length or None)
        highest = length_to_byte(length)
        info = pickle.dumps((1, docnum, block_max, 0, lowest, highest), 2)
        start = self._tell()
        span = len(info) + len(data)
        written = b"".join((WHOOSH3_HEADER_MAGIC, _BLOCK_NUMBERS.pack(-span), info, data))
        self._write(written)
        maxweight = max(0.0, block_max)
        row = _TERMINFO.pack(0, stored, 1, lowest, highest, maxweight, docnum, docnum)
        self._add_row(self._key + btext, row + pack_long(start) + pack_int(len(written)))


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
    storage = _merge_storage(writer.storage)
    for segment in merged:
        reader = SegmentReader(storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return kept


def _compact_term_index(fieldwriter: W3FieldWriter) -> None:
    """Give a new field writer's term index compact buckets (nothing is added yet)."""
    tindex = fieldwriter._tindex
    if type(tindex) is OrderedHashWriter and not any(tindex.buckets):
        tindex.__class__ = CompactTermIndexWriter
        tindex._empty_buckets()


def _merge_storage(storage: Any) -> Any:
    """The index folder opened for reading segments being merged, without memory maps.

    A merge reads every byte of its segments once, front to back; through a
    map each page read stays resident, so merging 1.28M quotes grew the
    writing process past 1.7 GB.  Plain reads leave them to the page cache.
    """
    from whoosh.filedb.filestore import FileStorage

    if type(storage) is FileStorage and storage.supports_mmap:
        return FileStorage(storage.folder, supports_mmap=False, readonly=True)
    return storage


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
        dbfile.write(_KEY_VALUE_LENGTHS.pack(len(key), len(value)) + key + value)
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


class DocumentAnalyzer:
    """A document's postings made ahead of the writer (in a worker process), per field.

    What each field needs is worked out once (`_FieldPlan`).  Fields whose
    analysers start with the same tokenizer share its pass over a value (the
    quote goes to `text`, `exact` and `pairs`), and short values that recur
    (a quote's position, its topics) are indexed once each.

    Example:
        analyze = DocumentAnalyzer(build_schema())
        doc[POSTINGS_KEY] = analyze(doc)
    """

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._indexers = _indexers(schema)
        self._schema_id = schema_fingerprint(schema)
        self._plans = {name: self._plan(name) for name in schema.names()}
        # the last document's keys → plans of its fields in name order (None: a field
        # the schema lacks); the quotes of a file all have the same keys
        self._fields: tuple[tuple[str, ...], list[_FieldPlan] | None] = ((), [])
        # field → (value, postings) of the last document: an article's quotes share
        # its title, date, path and ids, and shared lists are pickled once per file
        self._last: dict[str, tuple[Any, list[Item]]] = {}

    def _plan(self, name: str) -> _FieldPlan:
        return _FieldPlan(name, self.schema[name], self._indexers.get(name))

    def __call__(
        self, doc: dict[str, Any]
    ) -> tuple[str, dict[str, list[Item]], PerDocValues | None]:
        """(schema fingerprint, postings per field, per-document values or None)."""
        keys = tuple(doc)
        if keys != self._fields[0]:
            self._fields = (keys, self._plans_for(keys))
        plans = self._fields[1]
        if plans is None:
            return self._schema_id, {}, None  # the writer reports the unknown field
        last = self._last
        made: dict[str, list[Item]] = {}
        stored: dict[str, Any] = {}
        lengths: list[tuple[str, int]] = []
        columns: list[tuple[str, Any]] = []
        matches: dict[tuple[Any, str], list[str]] = {}  # shared by this document's fields
        for plan in plans:
            name = plan.name
            value = doc[name]
            if value is None:
                continue
            if plan.indexed:
                seen = last.get(name)
                if seen is not None and type(seen[0]) is type(value) and seen[0] == value:
                    items = made[name] = seen[1]
                else:
                    items = made[name] = plan.index(value, matches)
                    last[name] = (value, items)
                if plan.scorable and (length := sum(map(_frequency, items))):
                    lengths.append((name, length))
            custom = doc.get(plan.stored_key, value)
            if custom is None:
                continue
            if plan.stored:
                stored[name] = custom
            if plan.column_type:
                columns.append((name, plan.column_value(custom)))
        return self._schema_id, made, (stored_document_bytes(stored), lengths, columns)

    def _plans_for(self, keys: tuple[str, ...]) -> list[_FieldPlan] | None:
        """The plans of a document's fields in name order; None if the schema lacks one."""
        names = sorted(name for name in keys if not name.startswith("_"))
        if any(name not in self.schema for name in names):
            return None
        for name in names:
            if name not in self._plans:  # a dynamic field
                self._plans[name] = self._plan(name)
        return [self._plans[name] for name in names]


# Values remembered per field or indexer before the memo starts over.
MEMO_SIZE = 50_000
_MEMO_TYPES = (str, int)  # values whose equality means the same postings (not 0.0 == -0.0)


class _FieldPlan:
    """What `DocumentAnalyzer` does with one field, decided once."""

    __slots__ = (
        "name",
        "field",
        "indexed",
        "scorable",
        "stored",
        "column_type",
        "stored_key",
        "_indexer",
        "_tokens",
        "_memo",
        "_columns",
    )

    def __init__(self, name: str, field: Any, indexer: FieldIndexer | None) -> None:
        self.name = name
        self.field = field
        self.indexed = bool(field.indexed)
        self.scorable = bool(field.scorable)
        self.stored = bool(field.stored)
        self.column_type = field.column_type
        self.stored_key = f"_stored_{name}"
        self._indexer = indexer
        # the tokenizer whose matches fields may share (`_TextIndexer.tokens`)
        self._tokens = indexer.tokens if isinstance(indexer, _TextIndexer) else None
        # Whoosh's own analysis of short recurring values, per value
        self._memo: dict[Any, list[Item]] | None = (
            {} if indexer is None and type(field) in (NUMERIC, KEYWORD) else None
        )
        self._columns: dict[Any, Any] | None = {} if type(field) is NUMERIC else None

    def index(self, value: Any, matches: dict[tuple[Any, str], list[str]]) -> list[Item]:
        """`field.index(value)` as a list; `matches` holds the document's tokenizer passes."""
        indexer = self._indexer
        if indexer is not None and isinstance(value, str):
            if self._tokens is None:
                return indexer(value)
            assert isinstance(indexer, _TextIndexer)
            key = (self._tokens, value)
            found = matches.get(key)
            if found is None:
                found = matches[key] = indexer.matches(value)
            return indexer.from_matches(found)
        memo = self._memo
        if memo is None or type(value) not in _MEMO_TYPES:
            return list(self.field.index(value))
        items = memo.get(value)
        if items is None:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            items = memo[value] = list(self.field.index(value))
        return items

    def column_value(self, value: Any) -> Any:
        """`field.to_column_value(value)`, remembered for a numeric field's int values."""
        memo = self._columns
        if memo is None or type(value) is not int:
            return self.field.to_column_value(value)
        column = memo.get(value)
        if column is None:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            column = memo[value] = self.field.to_column_value(value)
        return column


def stored_document_bytes(stored: dict[str, Any]) -> bytes:
    """A document's stored fields as Whoosh's stored column keeps them: pickled
    (protocol 2) and compressed (empty: nothing stored)."""
    if not stored:
        return b""
    return zlib.compress(pickle.dumps(stored, 2), STORED_COLUMN._child._level)


def _stored_column_is_standard() -> bool:
    return (
        type(STORED_COLUMN) is PickleColumn
        and type(STORED_COLUMN._child) is CompressedBytesColumn
        and STORED_COLUMN._child._module == "zlib"
    )


def schema_fingerprint(schema: Schema) -> str:
    """Which schema postings were made for: fields, formats and analysers, in a stable form."""
    import hashlib

    described = _describe(sorted(schema.items()))
    return hashlib.blake2b(described.encode("utf-8"), digest_size=8).hexdigest()


def _describe(obj: Any, depth: int = 0) -> str:
    """A deterministic rendering (sets sorted, regexes by pattern, callables by name)."""
    if depth > 8:
        return "…"
    if isinstance(obj, (str, int, float, bool, bytes)) or obj is None:
        return repr(obj)
    if isinstance(obj, (set, frozenset)):
        return "{" + ",".join(sorted(_describe(x, depth + 1) for x in obj)) + "}"
    if isinstance(obj, (list, tuple)):
        return "[" + ",".join(_describe(x, depth + 1) for x in obj) + "]"
    if isinstance(obj, dict):
        parts = sorted(f"{k}={_describe(v, depth + 1)}" for k, v in obj.items())
        return "{" + ",".join(parts) + "}"
    if hasattr(obj, "pattern") and hasattr(obj, "flags"):
        return f"re({obj.pattern!r},{obj.flags})"
    if hasattr(obj, "__qualname__"):  # functions and classes
        return (
            f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', type(obj).__name__)}"
        )
    state = {k: v for k, v in vars(obj).items() if not k.startswith("_")}
    return f"{type(obj).__name__}{_describe(state, depth + 1)}"


def _indexers(schema: Schema) -> dict[str, FieldIndexer]:
    return {
        name: indexer
        for name, field in schema.items()
        if (indexer := fast_indexer(field)) is not None
    }


def _index(indexers: dict[str, FieldIndexer], name: str, field: Any, value: Any) -> list[Item]:
    indexer = indexers.get(name)
    if indexer is not None and isinstance(value, str):
        return indexer(value)
    return list(field.index(value))


def fast_indexer(field: Any) -> FieldIndexer | None:
    """A one-loop `field.index` for a field this module knows, else None.

    Known: an ID field (the whole value is its one term), and a TEXT field
    whose chain is a regex tokenizer, lowercasing, then optionally stop
    words, a stemmer, and last a filter of our own that offers `over_words` —
    the same transformation applied to a list of (word, position) pairs.
    """
    if type(field) is ID and type(field.analyzer) is IDTokenizer:
        if type(field.format) is Existence:
            return _id_indexer(field.format.field_boost)
        return None
    if not isinstance(field, TEXT) or field.column_type is not None:
        return None
    fmt = field.format
    if type(fmt) not in (Positions, Frequency):
        return None
    analyzer = field.analyzer
    items = analyzer.items if isinstance(analyzer, CompositeAnalyzer) else [analyzer]
    if not items or type(items[0]) is not RegexTokenizer or items[0].gaps:
        return None
    if [type(step) for step in items[1:2]] != [LowercaseFilter]:
        return None
    rest = items[2:]
    stop: StopFilter | None = None
    stemmer: StemFilter | None = None
    if rest and type(rest[0]) is StopFilter:
        stop, rest = rest[0], rest[1:]
    if rest and type(rest[0]) is StemFilter:
        stemmer, rest = rest[0], rest[1:]
    then = None
    if rest and callable(getattr(rest[0], "over_words", None)):
        then, rest = rest[0].over_words, rest[1:]
    if rest:
        return None
    return _TextIndexer(items[0].expression, stop, stemmer, then, fmt)


def _id_indexer(field_boost: float) -> FieldIndexer:
    def index(value: str) -> list[Item]:
        return [(value.encode("utf-8"), 1, field_boost, b"")]

    return index


WordsAt = list[tuple[str, int]]
_group = re.Match.group


class _TextIndexer:
    """`field.index` for a TEXT field with a known chain (see `fast_indexer`), in one loop.

    The tokenizer's pass (`matches`) is a step of its own so that fields
    with an equal tokenizer can share it (`tokens`: its expression); what
    each matched word becomes (lowercased, dropped as a stop word, stemmed)
    is remembered per word.
    """

    def __init__(
        self,
        expression: Any,
        stop: StopFilter | None,
        stemmer: StemFilter | None,
        then: Callable[[WordsAt], WordsAt] | None,
        fmt: Any,
    ) -> None:
        self.tokens = expression
        self._finditer = expression.finditer
        self._stops = stop.stops if stop else frozenset()
        self._minsize = stop.min if stop else 0
        self._maxsize = stop.max if stop and stop.max is not None else None
        self._renumber = stop.renumber if stop else False
        self._stem = stemmer._stem if stemmer else None
        self._unstemmed = stemmer.ignore if stemmer else frozenset()
        self._then = then
        self._field_boost = fmt.field_boost
        self._encode = fmt.encode if type(fmt) is Positions else None
        # matched word → its term (UTF-8, or text when `then` pairs them), None if dropped
        self._terms: dict[str, Any] = {}

    def __call__(self, value: str) -> list[Item]:
        return self.from_matches(self.matches(value))

    def matches(self, value: str) -> list[str]:
        """The words the tokenizer finds, as written (a word's position is its index)."""
        return list(map(_group, self._finditer(value)))

    def from_matches(self, words: list[str]) -> list[Item]:
        """The postings of a value the tokenizer found `words` in."""
        terms = self._terms
        if len(terms) >= MEMO_SIZE:
            terms.clear()
        get, renumber = terms.get, self._renumber
        found: list[tuple[Any, int]] = []
        kept = -1
        for pos, word in enumerate(words):
            term = get(word)
            if term is None:
                term = terms[word] = self._term(word)
            if term is False:
                continue
            if renumber:
                kept = pos if kept < 0 else kept + 1
                pos = kept
            found.append((term, pos))
        if self._then is not None:
            found = [(pair.encode("utf-8"), pos) for pair, pos in self._then(found)]
        positions: dict[bytes, list[int]] = {}
        for term, pos in found:
            seen = positions.get(term)
            if seen is None:
                positions[term] = [pos]
            else:
                seen.append(pos)
        return self._items(positions)

    def _term(self, word: str) -> str | bytes | bool:
        """What a matched word becomes: its term, or False when the stop filter drops it."""
        word = word.lower()
        if len(word) < self._minsize or (self._maxsize is not None and len(word) > self._maxsize):
            return False
        if word in self._stops:
            return False
        if self._stem is not None and word not in self._unstemmed:
            word = self._stem(word)
        return word if self._then is not None else word.encode("utf-8")

    def _items(self, positions: dict[bytes, list[int]]) -> list[Item]:
        field_boost, encode = self._field_boost, self._encode
        if encode is None:  # Frequency
            return [
                (term, len(at), len(at) * field_boost, _frequency_bytes(len(at)))
                for term, at in positions.items()
            ]
        encoded = _POSITIONS_BYTES
        if len(encoded) >= MEMO_SIZE:
            encoded.clear()
        get = encoded.get
        return [
            (
                term,
                count := len(at),
                count * field_boost,
                get(at[0] if count == 1 else tuple(at)) or _new_positions_bytes(encode, at),
            )
            for term, at in positions.items()
        ]


# Whoosh's encoding of a position list (a lone position by itself), as `Positions.encode`
# gives it: most lists are one or two positions, and a few hundred cover most postings.
_POSITIONS_BYTES: dict[int | tuple[int, ...], bytes] = {}


def _new_positions_bytes(encode: Callable[[list[int]], bytes], at: list[int]) -> bytes:
    value = _POSITIONS_BYTES[at[0] if len(at) == 1 else tuple(at)] = encode(at)
    return value


@lru_cache(maxsize=1024)
def _frequency_bytes(frequency: int) -> bytes:
    """`Frequency`'s encoding of a posting's frequency."""
    return pack_uint(frequency)

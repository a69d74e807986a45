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
  instead of one posting at a time through the pool (segment_merge.py);
- each term's blocks and term info are encoded straight from its arrays
  (segment_format.py);
- documents may arrive with their postings, stored bytes, lengths and column
  values made ahead by `DocumentAnalyzer` in a worker (postings.py), whose
  one-loop analysis gives exactly the terms, weights and positions Whoosh's
  analyser chains give (tests compare the two on every field).

A segment written this way is the one Whoosh would write; tests read back
every posting, length and stored field of both.
"""

from __future__ import annotations

import shutil
import tempfile
from array import array
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Any

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    STORED_COLUMN,
    W3FieldWriter,
    W3PerDocReader,
    W3PerDocWriter,
    _lenfield,
)
from whoosh.columns import VarBytesColumn
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import PostingPool, SegmentWriter

from .merge_parts import write_in_parts
from .pool_runs import RUN_FILE_PREFIX, FoldedPostings
from .postings import (
    POSTINGS_KEY,
    Item,
    PerDocValues,
    field_indexers,
    frequency,
    index_value,
    schema_fingerprint,
    stored_column_is_standard,
)
from .segment_format import (
    CompactTermIndexWriter,
    TermPostings,
    compact_term_index,
    write_terms,
)
from .segment_merge import MergedSegment, merged_terms, opened

# Postings held in memory before the pool hands over to Whoosh's spilling one
# (a batch far larger than `syncing.BATCH_QUOTES` must not be held in memory).
MEMORY_POSTINGS = 20_000_000
# Postings filed in flat lists before they are folded into a run on disk.
FOLD_POSTINGS = 1_000_000
# Merges smaller than this are written by one process: sending the parts costs more.
PARTS_MIN_DOCUMENTS = 20_000

Posting = tuple[str, bytes, int, float, bytes | None]
# Weights most postings share: one object each instead of one a posting.
_WEIGHTS = {float(n) * boost: float(n) * boost for n in range(1, 9) for boost in (0.5, 1.0, 3.0)}


class MemoryPostingPool:
    """Postings grouped by field and term in arrival order, with Whoosh's pool as the overflow.

    A term's postings arrive in one flat list, docnum, weight, value, docnum, ...:
    one `+=` a posting instead of three appends into three arrays.  Filing
    8.7k quotes took 0.12 ms a quote instead of 0.17.  Those lists cost about
    100 bytes a posting (20k quotes' pool left the process at 167 MB), so every
    `FOLD_POSTINGS` postings they are folded into a sorted run on disk
    (`pool_runs.py`), and a batch can hold 150k quotes.  `sorted_terms` hands
    the terms on with their postings as arrays.
    """

    def __init__(
        self,
        overflow: Callable[[], PostingPool],
        limit: int | None = None,
        folder: str | None = None,
    ) -> None:
        # field → term → [docnum, weight, encoded value, docnum, ...]
        self.fields: dict[str, dict[bytes, list[Any]]] = {}
        self._folder = folder  # where runs are written (a temporary folder if None)
        self._temporary: str | None = None
        self.folded: FoldedPostings | None = None
        self._flat = 0  # postings in `fields`
        self._count = 0  # postings in `fields` and the runs
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
        if boost == 1.0:
            self.add_fields(docnum, [(fieldname, items)])
            return
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        get = terms.get
        for btext, _, weight, value in items:
            posting = (docnum, weight * boost, value or b"")
            postings = get(btext)
            if postings is None:
                terms[btext] = list(posting)
            else:
                postings += posting
        self._added(len(items))

    def add_fields(self, docnum: int, named: list[tuple[str, list[Item]]]) -> None:
        """One document's postings for several fields, none boosted (`add_items` in one loop)."""
        if self.overflow is not None:
            for fieldname, items in named:
                self.add_items(fieldname, docnum, items, 1.0)
            return
        fields, shared = self.fields, _WEIGHTS
        added = 0
        for fieldname, items in named:
            terms = fields.get(fieldname)
            if terms is None:
                terms = fields[fieldname] = {}
            get = terms.get
            for btext, _, weight, value in items:
                postings = get(btext)
                if postings is None:
                    terms[btext] = [docnum, shared.get(weight, weight), value or b""]
                else:
                    postings += (docnum, shared.get(weight, weight), value or b"")
            added += len(items)
        self._added(added)

    def _added(self, count: int) -> None:
        self._count += count
        self._flat += count
        if self._count > self._limit:
            self._spill()
        elif self._flat > FOLD_POSTINGS:
            self.fold()

    def fold(self) -> FoldedPostings:
        """The postings filed since the last fold written out as a run; all runs."""
        if self.folded is None:
            folder = self._folder
            if folder is None:
                folder = self._temporary = tempfile.mkdtemp(prefix=RUN_FILE_PREFIX)
            self.folded = FoldedPostings(folder)
        if self._flat:
            self.folded.fold(self.fields, self._ordered)
            self.fields.clear()
            self._flat = 0
        return self.folded

    def field_names(self) -> set[str]:
        """The fields that have postings."""
        names = {name for name, terms in self.fields.items() if terms}
        return names | self.folded.field_names() if self.folded is not None else names

    def _spill(self) -> None:
        """Too many postings to hold: hand everything to Whoosh's external sort."""
        pool = self.overflow = self._make_overflow()
        for posting in self._iter_memory():
            pool.add(posting)
        self.fields.clear()
        self._remove_runs()

    def sorted_terms(
        self, fields: Collection[str] | None = None
    ) -> Iterator[tuple[str, bytes, TermPostings]]:
        """(field, term, postings in docnum order), fields (all, or those given) and
        terms in order."""
        if self.folded is not None:
            yield from self.fold().sorted_terms(fields)
            return
        for fieldname in sorted(self.fields):
            if fields is not None and fieldname not in fields:
                continue
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

    def _remove_runs(self) -> None:
        if self.folded is not None:
            self.folded.remove()
            self.folded = None
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None

    def cleanup(self) -> None:
        self.fields.clear()
        self._remove_runs()
        if self.overflow is not None:
            self.overflow.cleanup()


class FieldLengths:
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
        self.pool: MemoryPostingPool = MemoryPostingPool(
            lambda: whoosh_pool, folder=getattr(self.storage, "folder", None)
        )
        self._lengths = FieldLengths()
        # Vectors and spelling fields take Whoosh's own path for the whole document.
        self._plain = not any(f.vector or f.separate_spelling() for _, f in self.schema.items())
        self._indexers = field_indexers(self.schema)
        self._schema_id = schema_fingerprint(self.schema)
        perdoc_add_field = self.perdocwriter.add_field
        record = self._lengths.record

        def add_field(fieldname: str, fieldobj: Any, value: Any, length: int) -> None:
            record(fieldname, self.perdocwriter._docnum, length)
            perdoc_add_field(fieldname, fieldobj, value, length)

        self.perdocwriter.add_field = add_field
        self._merging: list[MergedSegment] = []
        # An executor and its process count, to write a large merge's fields in parts.
        self.merge_helpers: tuple[Executor, int] | None = None
        self._last_keys: tuple[str, ...] = ()
        self._checked: tuple[tuple[str, ...], list[str]] = ((), [])  # keys → checked names
        self._last_plan: tuple[list[str], bool] = ([], False)
        if type(self.fieldwriter) is W3FieldWriter:
            compact_term_index(self.fieldwriter)
        # Stored documents pickled and compressed ahead are written as they are
        # when this segment's stored column is the one `stored_document_bytes` makes.
        self._stored_bytes = None
        if type(self.perdocwriter) is W3PerDocWriter and stored_column_is_standard():
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
        names = self._field_names(fields)
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
                        items = index_value(self._indexers, name, field, value)
                    if field.scorable:
                        length = sum(map(frequency, items))
                    add_items(name, docnum, items, self._field_boost(fields, name, docboost))
                custom = fields.get(f"_stored_{name}", value)
                perdoc.add_field(name, field, custom if field.stored else None, length)
                column = field.column_type
                if column and custom is not None:
                    perdoc.add_column_value(name, column, field.to_column_value(custom))

    def _field_names(self, fields: dict[str, Any]) -> list[str]:
        """A document's field names in order, checked against the schema; remembered for
        the last set of keys (a batch's documents share theirs; Whoosh refuses schema
        changes once a writer has documents)."""
        keys = tuple(fields)
        if keys != self._checked[0]:
            names = sorted(name for name in keys if not name.startswith("_"))
            self._check_fields(self.schema, names)
            self._checked = (keys, names)
        return self._checked[1]

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
        schema, docnum = self.schema, self.docnum
        stored, lengths, columns = perdoc_values
        perdoc = self.perdocwriter
        indexed, boosted = self._indexed_fields(names, fields)
        with self._document():
            named = []
            for name in indexed:
                if (value := fields[name]) is not None:
                    items = made.get(name)
                    if items is None:
                        items = index_value(self._indexers, name, schema[name], value)
                    named.append((name, items))
            if boosted or docboost != 1.0:
                for name, items in named:
                    boost = self._field_boost(fields, name, docboost)
                    self.pool.add_items(name, docnum, items, boost)
            else:
                self.pool.add_fields(docnum, named)
            if stored:
                VarBytesColumn.Writer.add(self._stored_bytes, docnum, stored)
            record, totals = self._lengths.record, perdoc._fieldlengths
            for name, length in lengths:
                perdoc.add_column_value(_lenfield(name), LENGTHS_COLUMN, length_to_byte(length))
                totals[name] += length
                record(name, docnum, length)
            for name, value in columns:
                perdoc.add_column_value(name, schema[name].column_type, value)

    def _indexed_fields(self, names: list[str], fields: dict[str, Any]) -> tuple[list[str], bool]:
        """The indexed fields among a document's names, and whether it sets any field boost;
        remembered for the last set of keys (a batch's documents share theirs)."""
        keys = tuple(fields)
        if keys != self._last_keys:
            schema = self.schema
            self._last_keys = keys
            self._last_plan = (
                [name for name in names if schema[name].indexed],
                any(f"_{name}_boost" in fields for name in names),
            )
        return self._last_plan

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
        self._merging.append(MergedSegment(reader.segment(), basedoc, docmap))
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
        if self._merge_helpers_apply():
            assert self.merge_helpers is not None
            write_in_parts(
                fieldwriter,
                self.schema,
                self._lengths,
                self.pool,
                self._merging,
                self.storage,
                self.merge_helpers,
            )
        elif self.pool.overflow is None and type(fieldwriter) is W3FieldWriter:
            with opened(self._merging, self.storage, self.schema) as readers:
                terms = merged_terms(self.pool.sorted_terms(), self.schema, readers)
                write_terms(fieldwriter, self.schema, self._lengths, terms)
        else:
            self._pool_merged_postings()
            fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        fieldwriter.close()

    def _merge_helpers_apply(self) -> bool:
        """Whether this segment's terms are written in parts (`merge_parts.py`): a segment
        of at least `PARTS_MIN_DOCUMENTS` documents (a large batch's, or a merge's),
        none of the merged ones deleted, with helpers to hand."""
        return (
            self.merge_helpers is not None
            and self.pool.overflow is None
            and type(self.fieldwriter) is W3FieldWriter
            and type(self.fieldwriter._tindex) is CompactTermIndexWriter
            and hasattr(self.storage, "folder")
            and all(m.docmap is None for m in self._merging)
            and self.docnum >= PARTS_MIN_DOCUMENTS
        )

    def _pool_merged_postings(self) -> None:
        """Segments merged before the pool spilled: their postings go through it after all."""
        for merged in self._merging:
            reader = merged.open(self.storage, self.schema)[0]
            try:
                self.add_postings_to_pool(reader, merged.basedoc, merged.docmap)
            finally:
                reader.close()
        self._merging.clear()

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

from collections.abc import Iterator
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
from whoosh.util.numeric import byte_to_length
from whoosh.writing import PostingPool, SegmentWriter

from .field_lengths import FieldLengths
from .indexers import Item, field_indexers, frequency, index_value
from .merge_parts import write_in_parts
from .posting_pool import MemoryPostingPool
from .postings import (
    POSTINGS_KEY,
    PerDocValues,
    schema_fingerprint,
    stored_column_is_standard,
)
from .segment_format import (
    LENGTH_BYTE,
    CompactTermIndexWriter,
    compact_term_index,
    write_terms,
)
from .segment_merge import MergedSegment, merged_terms, opened

# Merges smaller than this are written by one process: sending the parts costs more.
PARTS_MIN_DOCUMENTS = 20_000


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
                perdoc.add_column_value(_lenfield(name), LENGTHS_COLUMN, LENGTH_BYTE[length])
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

"""Index stage, a merge written by several processes: its fields split into runs, each
run's postings and term-index records written at once.

At the end of a bulk run the last tier merge ran alone on one core while the
workers sat idle (36 s of a 230 s build at 10x).  A merge writes fields one
after another, and a field's terms need nothing from other fields, so
`write_in_parts` hands the later runs of fields to helper processes (the
preparing workers) while the writer writes the first run itself.  A helper
writes its postings and term-index records to files of its own, positions
counted from zero; the writer then appends them in field order and moves each
record's postings offset by where the part's postings landed.  The segment is
byte for byte the one one process writes (tests compare).
"""

from __future__ import annotations

import os
import shutil
import struct
from array import array
from collections.abc import Iterable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.fields import Schema
from whoosh.filedb.filetables import md5_hash

from .heap import give_back_freed_memory
from .pool_runs import FoldedPostings
from .segment_format import (
    EXTENT,
    KEY_VALUE_LENGTHS,
    TERMINFO,
    write_terms,
)
from .segment_merge import MergedSegment, SegmentSource, merged_terms, opened

# Where the second and later runs of fields start, by how many runs there are:
# the first field name at or after each.  Measured on a merge of 126k quotes in 8
# segments (36 s on one process): `pairs` (one term per word pair) is a third of
# the work; the fields before `id` a third, with the documents copied first;
# `id` to `pairs` 40%; `path` to the end 20%.
PART_STARTS = {1: (), 2: ("pairs",), 3: ("id", "path")}
PART_FILE_PREFIX = "statement-search-merge-"
_COPY_CHUNK = 1 << 20
_OFFSET = struct.Struct("!q")  # a record's postings offset (EXTENT's first member)
_VALUE_SIZE = TERMINFO.size + EXTENT.size  # a record's value: term info, postings extent
_ENTRY = struct.Struct("!qIH")  # a record's position, its key's hash, the key's length
_ENTRIES_AT_ONCE = 1 << 16


@dataclass(frozen=True)
class PartTask:
    """What a helper needs to write one run of a merge's fields."""

    folder: str
    schema: Schema
    merging: list[MergedSegment]
    fields: tuple[str, ...]
    fieldids: dict[str, int]  # the segment's field numbers, agreed beforehand
    own: FoldedPostings  # the batch's own postings, folded to run files
    lengths: dict[str, array[int]]  # field lengths of the segment being written
    blocklimit: int
    compression: int
    postings_path: str
    records_path: str  # term-index records: key and value lengths, key, value
    entries_path: str  # per record: where it starts, its key's hash and length (`_ENTRY`)


@dataclass(frozen=True)
class PartWritten:
    """A written part: how many records, and its last key."""

    records: int
    lastkey: bytes


def split_fields(names: Iterable[str], parts: int) -> list[tuple[str, ...]]:
    """Sorted field names in at most `parts` runs, cut at `PART_STARTS` (empty runs dropped)."""
    ordered = sorted(names)
    starts = PART_STARTS[min(max(1, parts), max(PART_STARTS))]
    cuts = [sum(name < start for name in ordered) for start in starts]
    bounds = [0, *cuts, len(ordered)]
    runs = [tuple(ordered[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
    return [run for run in runs if run]


def write_in_parts(
    fieldwriter: Any,
    schema: Schema,
    lengths: Any,
    own: Any,
    merging: list[MergedSegment],
    storage: Any,
    helpers: tuple[Executor, int],
) -> None:
    """Write a merge's terms with `helpers` (an executor and how many processes it
    has) writing the later runs of fields; a part whose helper fails is written here.

    `own` is the batch's `MemoryPostingPool`; `lengths` its `FieldLengths`.
    """
    folder = storage.folder
    _remove_stale_parts(folder)
    with opened(merging, storage, schema) as readers:
        _write_in_parts(fieldwriter, schema, lengths, own, merging, readers, folder, helpers)


def _write_in_parts(
    fieldwriter: Any,
    schema: Schema,
    lengths: Any,
    own: Any,
    merging: list[MergedSegment],
    readers: list[SegmentSource],
    folder: str,
    helpers: tuple[Executor, int],
) -> None:
    executor, count = helpers
    present = set(own.field_names()) | {
        name
        for reader, _, _ in readers
        for name in reader._terms._fieldunmap
        if name is not None and name in schema
    }
    runs = split_fields(present, count + 1)
    fieldmap = fieldwriter._fieldmap
    if fieldmap:
        raise ValueError("a merge in parts needs a field writer with no fields yet")
    fieldmap.update({name: number for number, name in enumerate(sorted(present))})
    codec = fieldwriter._codec
    folded = own.fold()  # the batch's postings, where helpers can read them
    give_back_freed_memory()  # the pool's flat lists, freed by the fold
    pending: list[tuple[PartTask, Future[PartWritten] | None]] = []
    try:
        for number, run in enumerate(runs[1:], 1):
            stem = os.path.join(folder, f"{PART_FILE_PREFIX}{os.getpid()}-{number}")
            task = PartTask(
                folder=folder,
                schema=schema,
                merging=merging,
                fields=run,
                fieldids={name: fieldmap[name] for name in run},
                own=folded,
                lengths={name: lengths.of_field(name) for name in run},
                blocklimit=codec._blocklimit,
                compression=codec._compression,
                postings_path=stem + ".pst",
                records_path=stem + ".rec",
                entries_path=stem + ".ent",
            )
            try:
                future: Future[PartWritten] | None = executor.submit(write_part, task)
            except Exception:  # a pool shut down or broken: written here below
                future = None
            pending.append((task, future))
        first = set(runs[0]) if runs else set()
        terms = merged_terms(own.sorted_terms(first), schema, readers, first)
        write_terms(fieldwriter, schema, lengths, terms)
        for task, future in pending:
            written = _written(task, future)
            _append_part(fieldwriter, task, written)
    finally:
        for task, _ in pending:
            for path in (task.postings_path, task.records_path, task.entries_path):
                Path(path).unlink(missing_ok=True)


def _written(task: PartTask, future: Future[PartWritten] | None) -> PartWritten:
    if future is not None:
        try:
            return future.result()
        except Exception:  # a helper that died: the part is written here instead
            pass
    return write_part(task)


def write_part(task: PartTask) -> PartWritten:
    """Run in a helper: one run of fields' postings and term-index records, to files."""
    from whoosh.filedb.filestore import FileStorage

    from .field_lengths import FieldLengths

    storage = FileStorage(task.folder)
    lengths = FieldLengths()
    lengths._by_field.update(task.lengths)
    fields = set(task.fields)
    with (
        opened(task.merging, storage, task.schema) as readers,
        open(task.postings_path, "wb") as postfile,
        open(task.records_path, "wb") as recordfile,
        open(task.entries_path, "wb") as entryfile,
    ):
        fieldwriter = _PartFieldWriter(task, postfile, recordfile, entryfile)
        terms = merged_terms(task.own.sorted_terms(fields), task.schema, readers, fields)
        write_terms(fieldwriter, task.schema, lengths, terms)  # type: ignore[arg-type]
        records = fieldwriter._tindex
        written = PartWritten(records=records.count, lastkey=records.lastkey)
    del terms, fieldwriter, records
    give_back_freed_memory()  # a helper's part is its largest step: keep only what it needs
    return written


class _PartFieldWriter:
    """What `write_terms` uses of a Whoosh field writer, writing to a part's files."""

    def __init__(self, task: PartTask, postfile: Any, recordfile: Any, entryfile: Any) -> None:
        self._fieldids = task.fieldids
        self._fieldid = 0
        self._postwriter = _PartPostings(postfile, task.blocklimit, task.compression)
        self._tindex = _PartRecords(recordfile, entryfile)

    def start_field(self, fieldname: str, fieldobj: Any) -> None:
        self._fieldid = self._fieldids[fieldname]

    def finish_field(self) -> None:
        pass


@dataclass
class _PartPostings:
    _postfile: Any
    _blocklimit: int
    _compression: int


class _PartRecords:
    """A term index's records (key and value lengths, key, value), and for each an
    entry with what the writer's hash tables need (`_ENTRY`)."""

    def __init__(self, recordfile: Any, entryfile: Any) -> None:
        self._file = recordfile
        self._entries = entryfile
        self.count = 0
        self.lastkey = b""

    def add(self, key: bytes, value: bytes) -> None:
        if key <= self.lastkey:
            raise ValueError(f"Keys must increase: {self.lastkey!r}..{key!r}")
        if len(value) != _VALUE_SIZE:
            raise ValueError("a merge part's term info must point into its postings")
        self._entries.write(_ENTRY.pack(self._file.tell(), md5_hash(key), len(key)))
        self._file.write(KEY_VALUE_LENGTHS.pack(len(key), len(value)) + key + value)
        self.count += 1
        self.lastkey = key


def _append_part(fieldwriter: Any, task: PartTask, written: PartWritten) -> None:
    """A helper's postings appended to the segment's, and its records to the term
    index with their postings offsets moved by where those postings now start."""
    postfile = fieldwriter._postfile
    shift = postfile.tell()
    with open(task.postings_path, "rb") as source:
        shutil.copyfileobj(source, postfile, _COPY_CHUNK)
    if not written.records:
        return
    tindex = fieldwriter._tindex
    if written.lastkey <= tindex.lastkey:
        raise ValueError("a merge part's keys must follow the ones written before it")
    with open(task.records_path, "rb") as records, open(task.entries_path, "rb") as entries:
        appended = _append_records(tindex, records, entries, shift)
    if appended != written.records:
        raise ValueError(f"a merge part has {appended} of its {written.records} records")
    tindex.lastkey = written.lastkey


def _append_records(tindex: Any, records: Any, entries: Any, shift: int) -> int:
    """Records appended to the term index a run of entries at a time (each run's
    records are contiguous), postings offsets moved by `shift`; returns how many."""
    dbfile = tindex.dbfile
    base = dbfile.tell() - records.tell()
    index_append = tindex.index.append
    hashes, positions = tindex._hashes, tindex._positions
    offset_at = KEY_VALUE_LENGTHS.size + TERMINFO.size
    pack_into, unpack_from = _OFFSET.pack_into, _OFFSET.unpack_from
    appended = 0
    while run := entries.read(_ENTRY.size * _ENTRIES_AT_ONCE):
        listed = list(_ENTRY.iter_unpack(run))
        first, (last, _, last_key_length) = listed[0][0], listed[-1]
        end = last + KEY_VALUE_LENGTHS.size + last_key_length + _VALUE_SIZE
        if records.tell() != first:
            raise ValueError("a merge part's records and entries disagree")
        chunk = bytearray(records.read(end - first))
        if len(chunk) != end - first:
            raise ValueError("a merge part's records file is shorter than its entries")
        for position, hashed, key_length in listed:
            at = position - first + offset_at + key_length
            pack_into(chunk, at, unpack_from(chunk, at)[0] + shift)
            moved = position + base
            index_append(moved)
            hashes[hashed & 255].append(hashed)
            positions[hashed & 255].append(moved)
        dbfile.write(bytes(chunk))
        appended += len(listed)
    return appended


def _remove_stale_parts(folder: str) -> None:
    """Part files a killed writer left behind (the caller holds the writer lock)."""
    for path in Path(folder).glob(f"{PART_FILE_PREFIX}*"):
        path.unlink(missing_ok=True)

"""Index stage, a batch's postings folded to disk: sorted runs the writer merges at commit.

A writer files postings in per-term Python lists, about 100 bytes a posting;
held for a whole bulk batch that is most of a gigabyte.  Every so often
(`posting_pool.FOLD_POSTINGS`) they are written out as a run: per field,
its terms in order in chunks of about `CHUNK_POSTINGS` postings (the chunk's
terms and posting counts, then its docnums, weights and value numbers as flat
arrays), and the field's distinct values once, after its chunks.  At commit
each field is streamed back from every run a chunk at a time and the runs'
terms merged; the helpers that write a commit in parts (`merge_parts.py`)
read the fields they write from the same files.  Batches can then be large (a
bulk batch is one segment that needs no tier merge later) while the writer's
memory holds one run's lists, and reading a field back holds a chunk per run
(reading whole fields, a helper of a 100x build held 250 MB at its peak).
"""

from __future__ import annotations

import heapq
import os
import pickle
import struct
from array import array
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .segment_format import TermPostings

RUN_FILE_PREFIX = "statement-search-pool-"


# A field's postings are written and read back in chunks of whole terms, closed
# once they hold this many postings (a run holds about 1M postings in all).
CHUNK_POSTINGS = 1 << 14
_CHUNK_HEADER = struct.Struct("=QQ")  # a chunk's pickled (terms, counts) length, its postings


@dataclass(frozen=True)
class FieldSection:
    """Where one field's chunks sit in a run file, and where its distinct values are."""

    offset: int
    table_offset: int  # the pickled distinct values, after the chunks
    table_length: int
    postings: int


@dataclass(frozen=True)
class RunFile:
    path: str
    sections: dict[str, FieldSection]

    def stream(self, fieldname: str) -> Iterator[tuple[str, bytes, TermPostings]]:
        """One field's terms and postings, as they were folded, read a chunk at a time."""
        from .segment_format import FlatTerms  # not imported to clean up (`remove_stale_runs`)

        section = self.sections.get(fieldname)
        if section is None:
            return
        with open(self.path, "rb") as file:
            file.seek(section.table_offset)
            table: list[bytes] = pickle.loads(file.read(section.table_length))
            file.seek(section.offset)
            left = section.postings
            while left > 0:
                meta_length, count = _CHUNK_HEADER.unpack(file.read(_CHUNK_HEADER.size))
                terms, counts = pickle.loads(file.read(meta_length))
                docnums, weights, numbers = array("q"), array("d"), array("I")
                docnums.fromfile(file, count)
                weights.fromfile(file, count)
                numbers.fromfile(file, count)
                values = list(map(table.__getitem__, numbers))
                del numbers
                names = [fieldname] * len(terms)
                yield from FlatTerms(names, terms, counts, docnums, weights, values)
                left -= count


@dataclass
class FoldedPostings:
    """The runs a batch's postings were folded into; picklable (paths and offsets)."""

    folder: str
    runs: list[RunFile] = field(default_factory=list)

    def fold(self, fields: dict[str, dict[bytes, list[Any]]], ordered: bool) -> None:
        """Write `fields` (field → term → flat [docnum, weight, value, ...]) as a new run,
        emptying them as it goes."""
        folder = Path(self.folder)
        if not self.runs:
            remove_stale_runs(folder)
        path = folder / f"{RUN_FILE_PREFIX}{os.getpid()}-{id(self)}-{len(self.runs)}"
        sections: dict[str, FieldSection] = {}
        with open(path, "wb") as file:
            for fieldname in sorted(fields):
                terms = fields.pop(fieldname)
                if not terms:
                    continue
                sections[fieldname] = _write_field(file, terms, ordered)
        self.runs.append(RunFile(str(path), sections))

    def field_names(self) -> set[str]:
        return {name for run in self.runs for name in run.sections}

    def sorted_terms(
        self, fields: Collection[str] | None = None
    ) -> Iterator[tuple[str, bytes, TermPostings]]:
        """(field, term, postings in docnum order), a field at a time, terms in order."""
        from .segment_merge import concatenate

        for fieldname in sorted(self.field_names()):
            if fields is not None and fieldname not in fields:
                continue
            read = [run.stream(fieldname) for run in self.runs if fieldname in run.sections]
            if len(read) == 1:
                yield from read[0]
                continue
            # (term, run number) are unique, so the heap never compares postings.
            streams = [
                ((btext, number, postings) for _, btext, postings in flat)
                for number, flat in enumerate(read)
            ]
            current: bytes | None = None
            pieces: list[TermPostings] = []
            for btext, _, postings in heapq.merge(*streams):
                if btext != current:
                    if current is not None and (joined := concatenate(pieces)) is not None:
                        yield fieldname, current, joined
                    current, pieces = btext, []
                pieces.append(postings)
            if current is not None and (joined := concatenate(pieces)) is not None:
                yield fieldname, current, joined

    def remove(self) -> None:
        for run in self.runs:
            Path(run.path).unlink(missing_ok=True)
        self.runs.clear()


def _write_field(file: Any, terms: dict[bytes, list[Any]], ordered: bool) -> FieldSection:
    """One field's terms and postings appended to a run file, in chunks of whole terms."""
    offset = file.tell()
    numbering: dict[bytes, int] = {}  # a field's values are few: positions recur
    chunk: list[bytes] = []
    counts = array("I")
    docnums: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    total = 0

    def write_chunk() -> None:
        for value in dict.fromkeys(values):
            if value not in numbering:
                numbering[value] = len(numbering)
        meta = pickle.dumps((chunk, counts), pickle.HIGHEST_PROTOCOL)
        file.write(_CHUNK_HEADER.pack(len(meta), len(docnums)))
        file.write(meta)
        array("q", docnums).tofile(file)
        array("d", weights).tofile(file)
        array("I", map(numbering.__getitem__, values)).tofile(file)

    for btext in sorted(terms):
        flat = terms.pop(btext)
        if ordered:
            docnums += flat[0::3]
            weights += flat[1::3]
            values += flat[2::3]
        else:
            order = sorted(range(len(flat) // 3), key=lambda i: flat[3 * i])
            docnums += [flat[3 * i] for i in order]
            weights += [flat[3 * i + 1] for i in order]
            values += [flat[3 * i + 2] for i in order]
        chunk.append(btext)
        counts.append(len(flat) // 3)
        if len(docnums) >= CHUNK_POSTINGS:
            write_chunk()
            total += len(docnums)
            chunk, counts, docnums, weights, values = [], array("I"), [], [], []
    if chunk:
        write_chunk()
        total += len(docnums)
    table_offset = file.tell()
    file.write(pickle.dumps(list(numbering), pickle.HIGHEST_PROTOCOL))
    return FieldSection(offset, table_offset, file.tell() - table_offset, total)


def remove_stale_runs(folder: Path) -> None:
    """Run files a killed writer left behind (the caller holds the writer lock)."""
    for path in folder.glob(f"{RUN_FILE_PREFIX}*"):
        path.unlink(missing_ok=True)

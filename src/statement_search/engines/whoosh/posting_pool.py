"""The Whoosh writer's posting pool: postings filed by field and term in memory, folded
into runs on disk past a bound.

`QuoteSegmentWriter` (segment_writer.py) files every document's postings here and
writes each term's arrays at commit.
"""

from __future__ import annotations

import shutil
import tempfile
from array import array
from collections.abc import Callable, Collection, Iterator
from typing import Any

from whoosh.writing import PostingPool

from .indexers import Item
from .pool_runs import RUN_FILE_PREFIX, FoldedPostings
from .segment_format import TermPostings

# Postings held in memory before the pool hands over to Whoosh's spilling one
# (a batch far larger than `ingest/syncing.BATCH_QUOTES` must not be held in memory).
MEMORY_POSTINGS = 20_000_000
# Postings filed in flat lists before they are folded into a run on disk.
FOLD_POSTINGS = 1_000_000
Posting = tuple[str, bytes, int, float, bytes | None]


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
        fields = self.fields
        added = 0
        for fieldname, items in named:
            terms = fields.get(fieldname)
            if terms is None:
                terms = fields[fieldname] = {}
            get = terms.get
            for btext, _, weight, value in items:
                postings = get(btext)
                if postings is None:
                    terms[btext] = [docnum, weight, value or b""]
                else:
                    postings += (docnum, weight, value or b"")
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

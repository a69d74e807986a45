"""Whoosh search filters: a `Filters` value → a set of doc numbers.

Filters are answered from per-searcher caches (`FilterCache`) built once per
searcher generation from the index's own postings: one doc-id set per
speaker, topic and source, and every dated document sorted by date.  A date
range is then two bisections and a slice, never a Whoosh range query
expanded over thousands of terms, so filters stay cheap on large indexes.
"""

from __future__ import annotations

import bisect
import datetime as dt
from array import array
from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any

from whoosh.idsets import DocIdSet

from ...search.filters import (
    Filters,
    date_number,
    fold,
    speaker_canon,
    speaker_keys_for,
    topic_keys_for,
)

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from ...extraction.topics import Taxonomy


class FilterCache:
    """Doc-id sets of one searcher generation; rebuilt when the searcher changes.

    Each group (speakers, topics, sources, dates) is read from the index the
    first time a filter or facet needs it, so a plain search on a cold start
    never pays for walking postings it does not use.
    """

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        # folded speaker → folded canonical name, filled on first use
        self.speaker_canon: dict[str, str] = {}

    @classmethod
    def build(cls, searcher: Searcher) -> FilterCache:
        return cls(searcher)

    @cached_property
    def speaker_terms(self) -> dict[str, list[str]]:
        """Folded speaker name → the index terms spelling it (the lexicon only)."""
        terms: dict[str, list[str]] = {}
        for term in self.searcher.lexicon("speaker_key"):
            text = term.decode() if isinstance(term, bytes) else str(term)
            if text:
                terms.setdefault(fold(text), []).append(text)
        return terms

    def speaker_docs(self, key: str) -> set[int]:
        """Doc numbers of one folded speaker name, read on first use."""
        docs = self._speaker_docs.get(key)
        if docs is None:
            reader = self.searcher.reader()
            docs = set()
            for term in self.speaker_terms.get(key, ()):
                docs.update(reader.postings("speaker_key", term).all_ids())
            self._speaker_docs[key] = docs
        return docs

    @cached_property
    def _speaker_docs(self) -> dict[str, set[int]]:
        return {}

    @property
    def speakers(self) -> dict[str, set[int]]:
        """Folded speaker name → doc numbers (every speaker: for facets)."""
        return {key: self.speaker_docs(key) for key in self.speaker_terms}

    @cached_property
    def speaker_names(self) -> dict[str, str]:
        """Folded speaker name → the name as stored."""
        names: dict[str, str] = {}
        for key in self.speaker_terms:
            docs = self.speaker_docs(key)
            if docs:
                names[key] = self.searcher.stored_fields(min(docs)).get("speaker") or key
        return names

    @cached_property
    def topics(self) -> dict[str, set[int]]:
        return {key: set(docs) for key, docs in _postings(self.searcher, "topics")}

    @cached_property
    def _source_groups(self) -> tuple[dict[str, set[int]], dict[str, str]]:
        sources: dict[str, set[int]] = {}
        names: dict[str, str] = {}
        for key, docs in _postings(self.searcher, "source"):
            sources.setdefault(fold(key), set()).update(docs)
            names.setdefault(fold(key), key)
        return sources, names

    @property
    def sources(self) -> dict[str, set[int]]:
        return self._source_groups[0]

    @property
    def source_names(self) -> dict[str, str]:
        return self._source_groups[1]

    @cached_property
    def dated(self) -> list[tuple[int, int]]:
        """(yyyymmdd, docnum) of every dated live document, sorted."""
        reader = self.searcher.reader()
        if not reader.has_column("date"):
            return []
        live = set(reader.all_doc_ids())
        column = reader.column_reader("date")
        return sorted(
            (int(value), docnum) for docnum, value in enumerate(column) if value and docnum in live
        )

    @cached_property
    def years(self) -> dict[int, set[int]]:
        years: dict[int, set[int]] = {}
        for number, docnum in self.dated:
            years.setdefault(number // 10000, set()).add(docnum)
        return years

    # -- resolving user words to index values -----------------------------------

    def speaker_matches(self, name: str) -> list[str]:
        """Index speakers (folded) that `name` means: full name, alias, spelling or last name."""
        if not self.speaker_canon:
            self.speaker_canon = speaker_canon(self.speaker_terms)
        return speaker_keys_for(name, self.speaker_canon)

    def topic_matches(self, name: str, taxonomy: Taxonomy | None) -> list[str]:
        """Index topics for `name`, with every child topic of a parent topic."""
        return topic_keys_for(name, self.topics, taxonomy)

    # -- filtering -----------------------------------------------------------------

    def allowed(self, filters: Filters, taxonomy: Taxonomy | None = None) -> Any:
        """What a search may return: None (everything), a doc-id set, or a date window.

        A date range is checked per candidate against one date per document
        rather than expanded into a set of every document in range, which
        would cost more than the search on a wide range.
        """
        if not (filters.since or filters.until):
            return self.docs(filters, taxonomy)
        others = Filters(**{**filters.__dict__, "since": None, "until": None})
        base = self.docs(others, taxonomy)
        in_range = self._dated_slice(filters.since, filters.until)
        size = in_range.stop - in_range.start
        return DateWindow(
            self.date_by_doc,
            date_number(filters.since) if filters.since else 0,
            date_number(filters.until) if filters.until else 99991231,
            base,
            size if base is None else min(size, len(base)),
        )

    @cached_property
    def date_by_doc(self) -> array[int]:
        """yyyymmdd per document number (0: undated or deleted); an array, 4 bytes a
        document, because a date-filtered search looks up candidates all over it."""
        dates = array("I", bytes(4 * self.searcher.reader().doc_count_all()))
        for number, docnum in self.dated:
            dates[docnum] = number
        return dates

    def docs(self, filters: Filters, taxonomy: Taxonomy | None = None) -> set[int] | None:
        """Doc numbers passing every filter; None when there is no filter at all."""
        result: set[int] | None = None
        if filters.speakers:
            keys = [k for name in filters.speakers for k in self.speaker_matches(name)]
            result = _intersect(result, _union(self.speaker_docs(k) for k in keys))
        if filters.topics:
            keys = [k for name in filters.topics for k in self.topic_matches(name, taxonomy)]
            result = _intersect(result, _union(self.topics[k] for k in keys))
        if filters.sources:
            keys = [fold(s) for s in filters.sources]
            result = _intersect(result, _union(self.sources.get(k, set()) for k in keys))
        if filters.min_confidence:
            least = round(filters.min_confidence * 100 + 0.4999)  # ceil, without float noise
            docs = (d for pct, d in self.confidences.items() if pct >= least)
            result = _intersect(result, _union(docs))
        if filters.attributions:
            groups = self.attributions
            result = _intersect(result, _union(groups.get(a, set()) for a in filters.attributions))
        if filters.since or filters.until:
            result = _intersect(result, self.date_range(filters.since, filters.until))
        if filters.kinds and not set(self.kinds) <= set(filters.kinds):
            result = _intersect(result, _union(self.kinds.get(k, set()) for k in filters.kinds))
        return result

    @cached_property
    def kinds(self) -> dict[str, set[int]]:
        """Stored kind → doc numbers (a kind filter that allows every kind present is none)."""
        return {kind: set(docs) for kind, docs in _postings(self.searcher, "kind")}

    @cached_property
    def confidences(self) -> dict[int, set[int]]:
        """Confidence in whole percent → doc numbers."""
        found: dict[int, set[int]] = {}
        for term, docs in _postings(self.searcher, "confidence"):
            if term.isdigit():
                found.setdefault(int(term), set()).update(docs)
        return found

    @cached_property
    def attributions(self) -> dict[str, set[int]]:
        """How the speaker was found (name, label, role, …) → doc numbers."""
        return {key: set(docs) for key, docs in _postings(self.searcher, "attribution")}

    def date_range(self, since: dt.date | None, until: dt.date | None) -> set[int]:
        return {docnum for _, docnum in self.dated[self._dated_slice(since, until)]}

    def _dated_slice(self, since: dt.date | None, until: dt.date | None) -> slice:
        """Where the documents dated from `since` to `until` lie in `dated`."""
        lo = bisect.bisect_left(self.dated, (date_number(since), -1)) if since else 0
        hi = (
            bisect.bisect_right(self.dated, (date_number(until), 1 << 62))
            if until
            else len(self.dated)
        )
        return slice(lo, hi)


class DateWindow(DocIdSet):  # type: ignore[misc]
    """Documents dated within [lo, hi], optionally also in `base`: a Whoosh filter.

    `size` bounds how many documents it holds (for choosing how to search).
    """

    def __init__(
        self, dates: array[int], lo: int, hi: int, base: set[int] | None, size: int
    ) -> None:
        self.dates, self.lo, self.hi, self.base = dates, max(lo, 1), hi, base
        self.size = size

    def __contains__(self, docnum: object) -> bool:
        # Called for every candidate of a date-filtered search: kept to one lookup
        # and one comparison (a bad docnum fails the lookup; negatives never come).
        try:
            date = self.dates[docnum]  # type: ignore[call-overload]
        except (IndexError, TypeError):
            return False
        if self.base is None:
            return self.lo <= date <= self.hi
        return self.lo <= date <= self.hi and docnum in self.base

    def keep(self, docnums: list[int], offset: int) -> list[int]:
        """The ones of a segment's `docnums` (its documents start at `offset`) in the window."""
        dates, lo, hi, base = self.dates, self.lo, self.hi, self.base
        if base is None:
            return [d for d in docnums if lo <= dates[d + offset] <= hi]
        return [d for d in docnums if lo <= dates[d + offset] <= hi and d + offset in base]

    def any_between(self, start: int, stop: int) -> bool:
        """Whether a document numbered from `start` to `stop` (excluded) is in the window."""
        return any(self.__contains__(docnum) for docnum in range(start, stop))

    def __iter__(self) -> Iterator[int]:
        return (d for d in range(len(self.dates)) if d in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:
        return True  # emptiness is decided per candidate, never up front


def _postings(searcher: Searcher, fieldname: str) -> list[tuple[str, list[int]]]:
    """Every term of a field with the (live) doc numbers that contain it."""
    out = []
    for term in searcher.lexicon(fieldname):
        text = term.decode() if isinstance(term, bytes) else str(term)
        if not text:
            continue
        # The reader's postings skip deleted documents and, unlike the
        # searcher's, build no scorer per term.
        docs = list(searcher.reader().postings(fieldname, term).all_ids())
        if docs:
            out.append((text, docs))
    return out


def _union(sets: object) -> set[int]:
    result: set[int] = set()
    for docs in sets:  # type: ignore[attr-defined]
        result |= docs
    return result


def _intersect(a: set[int] | None, b: set[int]) -> set[int]:
    return set(b) if a is None else a & b

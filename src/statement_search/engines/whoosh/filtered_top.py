"""Search stage: the top hits of a filtered search, scoring only the documents the filter allows.

Whoosh's filtered search walks every match of the query and drops the ones
the filter refuses, one matcher step (ten-odd Python calls) each.  A date
window of a month allows well under 1% of the quotes, so nearly all that
walking is wasted.  `FilteredTopCollector` instead reads the document
numbers of the query's required terms straight from their posting blocks,
keeps those the filter allows (one comparison each), and moves the
matcher only to those.  The hits and scores are the ones Whoosh's own
filtered search gives (tests compare); a query whose matcher it does not
know how to read falls back to Whoosh's walk.

`matching_docs` counts every match the same way (`1–10 of 2,290`, #22): each
segment's matcher tree as set algebra over its leaves' posting blocks (AND an
intersection, OR a union, AND NOT a difference, deleted documents taken out
where Whoosh filters them), any other node walked as usual, so the count is
exact — 50 ms for a common word at 1x by Whoosh's `docs_for_query`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from whoosh import collectors, matching
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher, InverseMatcher

from .bounds import has_negation

# Above this share of the index allowed, Whoosh's walk is kept: it scores the allowed
# matches it meets and soon skips blocks that cannot reach the top, while reading every
# candidate costs about 0.5 µs each.  Per query on the 10x bench index (200 date-range
# searches, best of 3, medians): allowing under 1%, 8.7 → 5.8 ms; 3–6%, 8.0 → 6.3 ms;
# 10–15%, 10.9 → 9.6 ms; 15–30%, 9.2 → 9.7 ms.
CANDIDATE_SHARE = 0.12

# Allowed candidates of one segment: (document numbers within it, its offset) → those to score.
Allow = Callable[[list[int], int], list[int]]
# Runs a collector over a query.
Run = Callable[[Any, Any], None]


def filtered_top(
    searcher: Any, query: Any, allowed: Any, limit: int, run: Run | None = None
) -> Any:
    """Whoosh's `Results` of the best `limit` matches of `query` among `allowed` (a set, or
    a window with `keep` and `size`; None: every document), by candidates when it allows a
    small share.  `run` runs a collector over the query (Whoosh's own by default; the
    search passes one that keeps to the query's time budget)."""
    run = searcher.search_with_collector if run is None else run
    # Whoosh skips blocks that cannot reach the top; through an AND NOT that skipping
    # can drop a hit that belongs there (its own top 10 of "border NOT court" differed
    # from its full ranking in a test index), so a query with a NOT is ranked in full.
    skip_blocks = not has_negation(query)
    size = None if allowed is None else getattr(allowed, "size", None)
    if allowed is not None and size is None:
        size = len(allowed)
    if size is None or size > CANDIDATE_SHARE * searcher.doc_count_all():
        collector = searcher.collector(limit=limit, filter=allowed, optimize=skip_blocks)
    else:
        collector = FilteredTopCollector(searcher.collector(limit=limit), allowed)
    run(query, collector)
    return collector.results()


class FilteredTopCollector(collectors.FilterCollector):  # type: ignore[misc]
    """A `FilterCollector` over a top-N collector that moves the matcher only to allowed documents.

    Example:
        collector = FilteredTopCollector(collectors.TopCollector(limit=10), allowed)
        searcher.search_with_collector(query, collector)
        results = collector.results()
    """

    def __init__(self, child: Any, allow: Any) -> None:
        super().__init__(child, allow=allow)
        self._keep = allowing(allow)

    def collect_matches(self) -> None:
        child = self.child
        matcher = child.matcher
        known = self._allow is not None and self._restrict is None  # Whoosh ignores an empty set
        candidates = candidate_ids(matcher) if known else None
        if candidates is None:
            super().collect_matches()
            return
        allowed = self._keep(sorted(candidates), child.offset)
        self.filtered_count += len(candidates) - len(allowed)
        for docnum in allowed:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum:
                child.collect(docnum)


def allowing(allow: Any) -> Allow:
    """What keeps a segment's candidates that `allow` (a set, or a window with `keep`) holds."""
    keep = getattr(allow, "keep", None)
    if keep is not None:
        return keep  # type: ignore[no-any-return]

    def in_set(docnums: list[int], offset: int) -> list[int]:
        return [d for d in docnums if d + offset in allow]

    return in_set


def candidate_ids(matcher: Any) -> set[int] | None:
    """Document numbers that hold every match of `matcher` (more, perhaps), read from its
    posting lists; None when a part of the tree is not known to match only such documents."""
    if isinstance(matcher, (matching.AndMaybeMatcher, matching.AndNotMatcher)):
        return candidate_ids(matcher.a)  # the optional or excluded side adds none
    if isinstance(matcher, matching.IntersectionMatcher):
        # Every match is in both sides: the side with fewer postings is enough
        a, b = matcher.a, matcher.b
        first, second = (a, b) if _postings_size(a) <= _postings_size(b) else (b, a)
        found = candidate_ids(first)
        return candidate_ids(second) if found is None else found
    if isinstance(matcher, matching.BiMatcher):
        first = candidate_ids(matcher.a)
        second = None if first is None else candidate_ids(matcher.b)
        return None if first is None or second is None else first | second
    if isinstance(matcher, matching.WrappingMatcher):
        if isinstance(matcher, InverseMatcher):
            return None  # matches what its child does not
        return candidate_ids(matcher.child)
    if type(matcher) is matching.ListMatcher:
        return set(matcher._ids)
    if type(matcher) is W3LeafMatcher:
        return set(posting_ids(matcher))
    return set() if isinstance(matcher, matching.NullMatcherClass) else None


def _postings_size(matcher: Any) -> int:
    """About how many postings `candidate_ids` would read (bytes of postings, for a leaf)."""
    if type(matcher) is W3LeafMatcher:
        length = matcher._length  # some term infos give it as a 1-tuple
        return int(length[0] if isinstance(length, tuple) else length)
    if type(matcher) is matching.ListMatcher:
        return len(matcher._ids)
    if isinstance(matcher, matching.IntersectionMatcher):
        return min(_postings_size(matcher.a), _postings_size(matcher.b))
    if isinstance(matcher, (matching.AndMaybeMatcher, matching.AndNotMatcher)):
        return _postings_size(matcher.a)
    if isinstance(matcher, matching.BiMatcher):
        return _postings_size(matcher.a) + _postings_size(matcher.b)
    if isinstance(matcher, matching.WrappingMatcher):
        return _postings_size(matcher.child)
    return 0 if isinstance(matcher, matching.NullMatcherClass) else 1 << 62


def posting_ids(leaf: W3LeafMatcher) -> Iterator[int]:
    """Every document number of a leaf's postings, from the start whatever its position."""
    fresh = W3LeafMatcher(
        leaf._postfile, leaf._startoffset, leaf._length, leaf.format, byteids=leaf._byteids
    )
    while fresh.is_active():
        fresh._read_ids()
        yield from fresh._ids
        fresh._next_block()


# -- counting every match (`1–10 of 2,290`) ------------------------------------------


def matching_docs(searcher: Any, query: wq.Query) -> set[int]:
    """The document numbers (index-wide) of every match of `query`."""
    found: set[int] = set()
    for leaf, offset in searcher.leaf_searchers():
        matcher = query.matcher(leaf, leaf.boolean_context())
        ids = _ids(matcher)
        if ids is None:
            ids = set(matcher.all_ids()) if matcher.is_active() else set()
        found.update(ids if not offset else (d + offset for d in ids))
    return found


def _ids(matcher: Any) -> set[int] | None:
    """A matcher's documents as a set, or None for a node this does not know."""
    kind = type(matcher)
    if kind is W3LeafMatcher:
        return set(posting_ids(matcher))
    if kind is matching.ListMatcher:
        return set(matcher._ids)
    if isinstance(matcher, matching.NullMatcherClass):
        return set()
    if kind is matching.WrappingMatcher:  # a boost: the same documents
        return _ids(matcher.child)
    if kind is FilterMatcher:
        child = _ids(matcher.child)
        if child is None:
            return None
        return child - matcher._ids if matcher._exclude else child & matcher._ids
    if isinstance(matcher, matching.AndMaybeMatcher):  # the optional side adds none
        return _ids(matcher.a)
    if kind is matching.AndNotMatcher:
        return _both(matcher, lambda a, b: a - b)
    if kind is matching.IntersectionMatcher:
        return _both(matcher, lambda a, b: a & b)
    if kind in (matching.UnionMatcher, matching.DisjunctionMaxMatcher):
        return _both(matcher, lambda a, b: a | b)
    return None


def _both(matcher: Any, combine: Any) -> set[int] | None:
    first = _ids(matcher.a)
    second = None if first is None else _ids(matcher.b)
    return None if first is None or second is None else combine(first, second)

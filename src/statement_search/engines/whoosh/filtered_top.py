"""Search stage: the top hits of a filtered search, scoring only the documents the filter allows.

Whoosh's filtered search walks every match of the query and drops the ones
the filter refuses, one matcher step (ten-odd Python calls) each.  A date
window of a month allows well under 1% of the quotes, so nearly all that
walking is wasted.  `FilteredTopCollector` instead reads the document
numbers of the query's required terms straight from their posting blocks,
keeps those the filter allows (one comparison each), cuts them to those
the other side of each AND holds (`narrowed`: one skip in that side's
posting lists each, where moving the whole tree there costs a leapfrog of
every leaf), and scores the rest from the same posting lists
(`posting_scores.py`), or moves the matcher only to those when the tree
has a node that module does not read.  A segment too small to be worth
building a matcher for is first checked for an allowed document
(`allows_any`).  The hits and scores are the ones Whoosh's own filtered
search gives (tests compare); a query whose matcher it does not know how
to read falls back to Whoosh's walk.

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
from .posting_scores import Postings, scores_at, term_frequencies

# Above this share of the index allowed, Whoosh's walk is kept: it skips blocks that
# cannot reach the top, while candidates are all read (about 0.5 µs each) and every
# allowed match scored.  Per query on the 10x bench index (34 date-range searches, CPU
# medians of 7, 0.12 → 0.5): allowing under 12%, the same (7.8 / 7.6 ms); 12–20%,
# 34.0 → 20.5 ms; 20–25%, 16.6 → 11.1 ms; 25–31%, 13.2 → 8.2 ms.  Wider shares were not
# measured.
CANDIDATE_SHARE = 0.5

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

    def set_subsearcher(self, subsearcher: Any, offset: int) -> None:
        size = subsearcher.doc_count_all()
        if self._restrict is None and not allows_any(self.allow, offset, offset + size):
            # Nothing in this segment may be returned: no matcher built for it.
            for collector in (self.child, self):
                collector.subsearcher, collector.offset = subsearcher, offset
                collector.matcher = matching.NullMatcher()
            return
        super().set_subsearcher(subsearcher, offset)

    def collect_matches(self) -> None:
        child = self.child
        matcher = child.matcher
        known = self._allow is not None and self._restrict is None  # Whoosh ignores an empty set
        postings = Postings()
        candidates = candidate_ids(matcher, postings) if known else None
        if candidates is None:
            super().collect_matches()
            return
        allowed = self._keep(sorted(candidates), child.offset)
        self.filtered_count += len(candidates) - len(allowed)
        docnums = narrowed(matcher, allowed, postings)
        scores = scores_at(matcher, docnums, postings) if _scores_plainly(child) else None
        if scores is not None:  # each score as the matcher gives it, without walking it
            collect, offset = child._collect, child.offset
            for docnum in docnums:
                score = scores.get(docnum)
                if score is not None:
                    collect(offset + docnum, score)
            return
        for docnum in docnums:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum:
                child.collect(docnum)


# A segment of at most this many documents is checked for an allowed one before its
# matcher is built (building one costs about as much as checking a thousand).
SMALL_SEGMENT = 1024


def allows_any(allow: Any, start: int, stop: int) -> bool:
    """Whether `allow` (a set, or a window with `any_between`; None: every document) may hold
    a document numbered from `start` to `stop` (excluded); True unless checked cheaply."""
    if allow is None or stop - start > SMALL_SEGMENT:
        return True
    between = getattr(allow, "any_between", None)
    if between is not None:
        return bool(between(start, stop))
    if not allow:
        return True  # Whoosh ignores an empty set
    return any(docnum in allow for docnum in range(start, stop))


def _scores_plainly(child: Any) -> bool:
    """Whether `child` collects a match as `ScoredCollector` does: its score as the matcher
    gives it, nothing added after."""
    collect = getattr(type(child), "collect", None)
    return collect is collectors.ScoredCollector.collect and child.final_fn is None


def allowing(allow: Any) -> Allow:
    """What keeps a segment's candidates that `allow` (a set, or a window with `keep`) holds."""
    keep = getattr(allow, "keep", None)
    if keep is not None:
        return keep  # type: ignore[no-any-return]

    def in_set(docnums: list[int], offset: int) -> list[int]:
        return [d for d in docnums if d + offset in allow]

    return in_set


def candidate_ids(matcher: Any, postings: Postings | None = None) -> set[int] | None:
    """Document numbers that hold every match of `matcher` (more, perhaps), read from its
    posting lists (kept in `postings`); None when a part of the tree is not known to match
    only such documents."""
    postings = Postings() if postings is None else postings
    if isinstance(matcher, (matching.AndMaybeMatcher, matching.AndNotMatcher)):
        return candidate_ids(matcher.a, postings)  # the optional or excluded side adds none
    if isinstance(matcher, matching.IntersectionMatcher):
        # Every match is in both sides: the side with fewer postings is enough
        first, second = _by_size(matcher.a, matcher.b)
        found = candidate_ids(first, postings)
        return candidate_ids(second, postings) if found is None else found
    if isinstance(matcher, matching.BiMatcher):
        first = candidate_ids(matcher.a, postings)
        second = None if first is None else candidate_ids(matcher.b, postings)
        return None if first is None or second is None else first | second
    if isinstance(matcher, matching.WrappingMatcher):
        if isinstance(matcher, InverseMatcher):
            return None  # matches what its child does not
        return candidate_ids(matcher.child, postings)
    if type(matcher) is matching.ListMatcher:
        return set(matcher._ids)
    if type(matcher) is W3LeafMatcher:
        return set(postings.every(matcher))
    return set() if isinstance(matcher, matching.NullMatcherClass) else None


def narrowed(matcher: Any, docnums: list[int], postings: Postings | None = None) -> list[int]:
    """The ones of `docnums` (ascending; candidates from `candidate_ids`) that may match
    `matcher`: the other side of each AND tested against its own posting lists.

    `candidate_ids` reads only an AND's side with fewer postings; moving the
    whole matcher tree to a candidate the other side lacks costs a leapfrog of
    every leaf (tens of µs), where a posting list of that side answers by one
    binary search.  Every match of `matcher` among `docnums` is kept.
    """
    postings = Postings() if postings is None else postings
    if not docnums:
        return docnums
    if isinstance(matcher, (matching.AndMaybeMatcher, matching.AndNotMatcher)):
        return narrowed(matcher.a, docnums, postings)
    if isinstance(matcher, matching.IntersectionMatcher):
        first, second = _by_size(matcher.a, matcher.b)
        docnums = narrowed(first, docnums, postings)
        found = members(second, docnums, postings)
        return docnums if found is None else found
    if isinstance(matcher, matching.BiMatcher):  # a union: each side's matches
        if not (_has_and(matcher.a) or _has_and(matcher.b)):
            return docnums
        a, b = narrowed(matcher.a, docnums, postings), narrowed(matcher.b, docnums, postings)
        return sorted(set(a) | set(b))
    if isinstance(matcher, matching.WrappingMatcher) and not isinstance(matcher, InverseMatcher):
        return narrowed(matcher.child, docnums, postings)
    return docnums


def members(matcher: Any, docnums: list[int], postings: Postings) -> list[int] | None:
    """The ones of `docnums` (ascending) in `matcher`'s posting lists (deleted documents
    perhaps too), ascending; None when a part of the tree is not known."""
    if not docnums:
        return docnums
    kind = type(matcher)
    if kind is W3LeafMatcher:
        return sorted(term_frequencies(matcher, docnums, postings))
    if kind is matching.ListMatcher:
        ids = set(matcher._ids)
        return [d for d in docnums if d in ids]
    if isinstance(matcher, matching.NullMatcherClass):
        return []
    if isinstance(matcher, (matching.AndMaybeMatcher, matching.AndNotMatcher)):
        return members(matcher.a, docnums, postings)
    if isinstance(matcher, matching.IntersectionMatcher):
        first, second = _by_size(matcher.a, matcher.b)
        found = members(first, docnums, postings)
        if found is None:
            return members(second, docnums, postings)
        narrower = members(second, found, postings)
        return found if narrower is None else narrower
    if isinstance(matcher, matching.BiMatcher):
        a = members(matcher.a, docnums, postings)
        b = None if a is None else members(matcher.b, docnums, postings)
        return None if a is None or b is None else sorted(set(a) | set(b))
    if isinstance(matcher, matching.WrappingMatcher) and not isinstance(matcher, InverseMatcher):
        return members(matcher.child, docnums, postings)
    return None


def _by_size(a: Any, b: Any) -> tuple[Any, Any]:
    """An AND's two sides, the one with fewer postings first (where candidates come from)."""
    return (a, b) if _postings_size(a) <= _postings_size(b) else (b, a)


def _has_and(matcher: Any) -> bool:
    """Whether an AND is anywhere in a matcher tree."""
    if isinstance(matcher, matching.IntersectionMatcher):
        return True
    if isinstance(matcher, matching.BiMatcher):
        return _has_and(matcher.a) or _has_and(matcher.b)
    if isinstance(matcher, matching.WrappingMatcher):
        return _has_and(matcher.child)
    return False


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

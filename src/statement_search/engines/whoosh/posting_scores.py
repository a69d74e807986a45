"""Search stage: the scores of a few allowed documents, read from posting lists, not walked.

A filtered search by candidates (`filtered_top.py`) knows, before scoring, the
documents it will score.  Moving the query's matcher tree to each of them and
asking its score costs about thirty Python calls a document (the AND, the OR of
the fields, the title boost, their leaves).  `scores_at` instead reads each leaf's
term frequencies at those documents from its posting list (every block decoded
once, or each document found by a skip when there are few), scores them with the
leaf's own scorer, and combines the leaves as Whoosh's matchers do, node by node
and in the same order of float additions, so each score is the float
`matcher.score()` gives there (tests compare).  A tree with a node it does not
know (a phrase, a NOT, a `ListMatcher`, another scorer) is None: the caller walks.
"""

from __future__ import annotations

from typing import Any

from whoosh import matching
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25FScorer

from .bounds import _DeadlineMatcher
from .length_scores import SegmentLengthScorer
from .optional_boost import LazyAndMaybeMatcher

# Scorers that read only `id()` and `weight()` of the matcher they score.
_SCORERS = (BM25FScorer, SegmentLengthScorer)
# A leaf is decoded block by block when it holds fewer than this many bytes of postings
# per wanted document, and each wanted document is found by a skip otherwise.
BYTES_PER_SKIP = 24

Scores = dict[int, float]


class _Posting:
    """What a BM25F scorer reads of a matcher: the current id and term frequency."""

    __slots__ = ("docnum", "tf")

    def __init__(self) -> None:
        self.docnum, self.tf = 0, 0.0

    def id(self) -> int:
        return self.docnum

    def weight(self) -> float:
        return self.tf


def scores_at(matcher: Any, docnums: list[int], postings: Postings) -> Scores | None:
    """Document number → `matcher.score()` there, for each of `docnums` (ascending) the
    matcher matches; None when the tree has a node this does not know."""
    kind = type(matcher)
    if kind is W3LeafMatcher:
        return _leaf_scores(matcher, docnums, postings)
    if kind is matching.UnionMatcher:
        a, b = scores_at(matcher.a, docnums, postings), scores_at(matcher.b, docnums, postings)
        if a is None or b is None:
            return None
        both = dict(a)
        for docnum, score in b.items():
            both[docnum] = a[docnum] + score if docnum in a else score
        return both
    if kind is matching.IntersectionMatcher:
        a = scores_at(matcher.a, docnums, postings)
        b = None if a is None else scores_at(matcher.b, sorted(a), postings)
        if a is None or b is None:
            return None
        return {docnum: a[docnum] + score for docnum, score in b.items() if docnum in a}
    if kind is LazyAndMaybeMatcher:
        a = scores_at(matcher.a, docnums, postings)
        b = None if a is None else scores_at(matcher.b, sorted(a), postings)
        if a is None or b is None:
            return None
        return {d: float(s + b[d]) if d in b else float(s) for d, s in a.items()}
    if kind is _DeadlineMatcher:  # its score is its child's (no boost)
        matcher.budget.check(matcher.text)
        return scores_at(matcher.child, docnums, postings)
    if kind is matching.WrappingMatcher or kind is FilterMatcher:
        found = scores_at(matcher.child, docnums, postings)
        if found is None:
            return None
        if kind is FilterMatcher:  # deleted documents taken out (or only some kept)
            ids, exclude = matcher._ids, matcher._exclude
            found = {d: s for d, s in found.items() if (d in ids) != exclude}
        boost = matcher.boost
        return {docnum: score * boost for docnum, score in found.items()}
    if isinstance(matcher, matching.NullMatcherClass):
        return {}
    return None


def _leaf_scores(leaf: W3LeafMatcher, docnums: list[int], postings: Postings) -> Scores | None:
    scorer = leaf.scorer
    if type(scorer) not in _SCORERS:
        return None
    posting = _Posting()
    score = scorer.score
    found: Scores = {}
    for docnum, tf in term_frequencies(leaf, docnums, postings).items():
        posting.docnum, posting.tf = docnum, tf
        found[docnum] = score(posting)
    return found


class Postings:
    """Each posting list of one segment's search read at most once: id → weight."""

    def __init__(self) -> None:
        self.decoded: dict[tuple[int, int], dict[int, float]] = {}
        # documents looked for by skips → those found, with their weights
        self.sought: dict[tuple[int, int], tuple[set[int], dict[int, float]]] = {}

    def every(self, leaf: W3LeafMatcher) -> dict[int, float]:
        """Every posting of `leaf` (from the start, whatever its position)."""
        key = (id(leaf._postfile), leaf._startoffset)
        found = self.decoded.get(key)
        if found is None:
            found = self.decoded[key] = _every(leaf)
        return found


def _fresh(leaf: W3LeafMatcher) -> W3LeafMatcher:
    """A cursor at the start of `leaf`'s postings (the leaf itself does not move)."""
    return W3LeafMatcher(
        leaf._postfile, leaf._startoffset, leaf._length, leaf.format, byteids=leaf._byteids
    )


def _every(leaf: W3LeafMatcher) -> dict[int, float]:
    fresh = _fresh(leaf)
    every: dict[int, float] = {}
    while fresh.is_active():
        fresh._read_ids()
        fresh._read_weights()
        every.update(zip(fresh._ids, fresh._weights, strict=True))
        fresh._next_block()
    return every


def term_frequencies(
    leaf: W3LeafMatcher, docnums: list[int], postings: Postings
) -> dict[int, float]:
    """Document number → the leaf's weight there, for each of `docnums` (ascending) in
    its postings: looked up in every posting, or each found by a skip when they are few."""
    if not docnums:
        return {}
    key = (id(leaf._postfile), leaf._startoffset)
    every = postings.decoded.get(key)
    if every is None:
        sought = postings.sought.get(key)
        if sought is not None and sought[0].issuperset(docnums):
            every = sought[1]
    length = leaf._length  # some term infos give it as a 1-tuple
    if every is None and len(docnums) * BYTES_PER_SKIP < (
        length[0] if isinstance(length, tuple) else length
    ):
        fresh = _fresh(leaf)
        found: dict[int, float] = {}
        for docnum in docnums:
            if not fresh.is_active():
                break
            fresh.skip_to(docnum)
            if fresh.is_active() and fresh.id() == docnum:
                found[docnum] = fresh.weight()
        postings.sought[key] = (set(docnums), found)
        return found
    get = (postings.every(leaf) if every is None else every).get
    return {d: tf for d, tf in ((d, get(d)) for d in docnums) if tf is not None}

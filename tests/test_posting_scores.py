"""Scores read from posting lists are the floats the matcher tree gives, node by node."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from statement_search.engines.whoosh import posting_scores
from statement_search.engines.whoosh.bounds import _DeadlineQuery
from statement_search.engines.whoosh.length_scores import SegmentLengthBM25F
from statement_search.engines.whoosh.optional_boost import LazyAndMaybe
from statement_search.engines.whoosh.posting_scores import Postings, scores_at, term_frequencies
from statement_search.engines.whoosh.search import _union_matchers
from statement_search.search.bounds import Budget

from .test_filtered_top import COMMON, DELETED, DOCS, QUERIES, RARE, open_searcher


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with open_searcher(tmp_path_factory.mktemp("scores")) as opened:
        yield opened


def _walked(matcher: Any, docnums: list[int]) -> dict[int, float]:
    """The matcher's own score at each of `docnums` it matches, by moving it there."""
    found: dict[int, float] = {}
    for docnum in docnums:
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
            if not matcher.is_active():
                break
        if matcher.id() == docnum:
            found[docnum] = matcher.score()
    return found


def _same_scores(searcher: Any, query: wq.Query, docnums: set[int]) -> int:
    """Compares in every segment; how many segments `scores_at` could read."""
    read = 0
    context = searcher.context()
    query = query.accept(_union_matchers)  # as a search streams its ORs
    for segment, offset in searcher.leaf_searchers():
        size = segment.doc_count_all()
        mine = sorted(d - offset for d in docnums if offset <= d < offset + size)
        scores = scores_at(query.matcher(segment, context), mine, Postings())
        if scores is None:
            continue
        read += 1
        walked = _walked(query.matcher(segment, context), mine)
        live = {d: s for d, s in scores.items() if d + offset not in DELETED}
        assert live == walked  # exact floats, not rounded
    return read


@settings(max_examples=80, deadline=None)
@given(query=QUERIES, docnums=st.sets(st.integers(0, DOCS - 1), min_size=1, max_size=400))
def test_scores_are_the_matchers_own(searcher: Any, query: wq.Query, docnums: set[int]) -> None:
    _same_scores(searcher, query, docnums)


@pytest.mark.parametrize("weighting", [BM25F(), SegmentLengthBM25F()])
def test_the_search_trees_are_read_whole(searcher: Any, weighting: Any) -> None:
    """The trees a plain search builds (fields ORed and boosted, words ANDed, the title
    boost, the deadline) are read, with Whoosh's weighting and ours."""
    weighted = Searcher(searcher.reader(), weighting=weighting)
    words = ["war", "peace", RARE[0]]
    fields = wq.Or([wq.Term("body", w, boost=3.0) for w in words])
    required = wq.And([fields, wq.Term("body", "tax")])
    title = wq.Or([wq.Term("title", w) for w in words], boost=0.5)
    query = _DeadlineQuery(LazyAndMaybe(required, title), Budget(seconds=None), "war peace")
    segments = len(weighted.leaf_searchers())
    assert _same_scores(weighted, query, set(range(DOCS))) == segments


def test_an_unknown_node_is_left_to_the_walk(searcher: Any) -> None:
    segment = searcher.leaf_searchers()[0][0]
    war, tax = wq.Term("body", "war"), wq.Term("body", "tax")
    for query in (wq.Phrase("body", ["war", "peace"]), wq.AndNot(war, tax)):
        assert scores_at(query.matcher(segment), [1, 2, 3], Postings()) is None


def test_term_frequencies_by_skips_and_by_blocks_agree(
    searcher: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(4)
    segment = searcher.leaf_searchers()[2][0]
    for word in COMMON[:4]:
        leaf = wq.Term("body", word).matcher(segment)
        while not type(leaf).__name__.startswith("W3"):
            leaf = leaf.child  # the deleted documents' filter
        docnums = sorted(rng.sample(range(segment.doc_count_all()), 60))
        monkeypatch.setattr(posting_scores, "BYTES_PER_SKIP", 0)  # every block decoded
        decoded = term_frequencies(leaf, docnums, Postings())
        monkeypatch.setattr(posting_scores, "BYTES_PER_SKIP", 1 << 30)  # each found by a skip
        skipped = term_frequencies(leaf, docnums, Postings())
        assert decoded == skipped and decoded
        walked = {}
        for docnum, weight in leaf.items_as("weight"):
            if docnum in docnums:
                walked[docnum] = weight
        assert decoded == walked

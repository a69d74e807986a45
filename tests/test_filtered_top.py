"""A filtered search by candidates finds the hits, with the scores, of Whoosh's filtered walk."""

from __future__ import annotations

import itertools
import random
from array import array
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import collectors, fields
from whoosh import index as whoosh_index
from whoosh import query as wq

from statement_search.engines.whoosh import filtered_top
from statement_search.engines.whoosh.filter_cache import DateWindow
from statement_search.engines.whoosh.filtered_top import (
    FilteredTopCollector,
    allows_any,
    candidate_ids,
    has_negation,
    narrowed,
)
from statement_search.engines.whoosh.optional_boost import LazyAndMaybe

COMMON = "war peace tax grain border court vote union trade bank".split()
RARE = [f"rare{n}" for n in range(40)]  # one posting each: Whoosh keeps them in the term info
DOCS = 900  # common words span several 128-posting blocks in each segment
DELETED = set(range(5, DOCS, 17))


def open_searcher(folder: Path) -> Any:
    """A searcher over three segments of random common words, some deleted documents."""
    schema = fields.Schema(body=fields.TEXT(), title=fields.TEXT(field_boost=0.5))
    ix = whoosh_index.create_in(str(folder), schema)
    rng = random.Random(11)
    rare = iter(RARE)
    for _segment in range(3):
        writer = ix.writer()
        for n in range(DOCS // 3):
            words = rng.choices(COMMON, k=rng.randint(1, 12))
            if n % 8 == 0:
                words.append(next(rare, "war"))
            title = " ".join(rng.choices(COMMON, k=rng.randint(0, 3)))
            writer.add_document(body=" ".join(words), title=title)
        writer.commit(merge=False)
    writer = ix.writer()
    for docnum in DELETED:  # a segment with deletions reads its postings through a filter
        writer.delete_document(docnum)
    writer.commit(merge=False)
    opened = ix.searcher()
    assert len(opened.reader().leaf_readers()) == 3
    return opened


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with open_searcher(tmp_path_factory.mktemp("filtered")) as opened:
        yield opened


def _term(word: str) -> wq.Query:
    return wq.Term("body", word)


QUERIES = st.one_of(
    st.sampled_from(COMMON + RARE[:5] + ["absent"]).map(_term),
    st.lists(st.sampled_from(COMMON + RARE[:3]), min_size=2, max_size=3, unique=True).flatmap(
        lambda words: st.sampled_from(
            [
                wq.Or([_term(w) for w in words]),
                wq.And([_term(w) for w in words]),
                wq.AndNot(_term(words[0]), _term(words[1])),
                wq.Phrase("body", words[:2]),
                LazyAndMaybe(
                    wq.Or([_term(w) for w in words]), wq.Or([wq.Term("title", w) for w in words])
                ),
                wq.Not(_term(words[0])),  # matches what the term does not: Whoosh's walk
            ]
        )
    ),
)


def _hits(results: Any) -> list[tuple[int, float]]:
    return [(hit.docnum, round(hit.score, 9)) for hit in results]


def _ranked_in_full(searcher: Any, query: wq.Query, allowed: Any, limit: int | None) -> Any:
    """Whoosh's hits without its block skipping, which can drop a hit through an AND NOT."""
    return _hits(searcher.search(query, filter=allowed, limit=limit, optimize=False))


def _by_candidates(searcher: Any, query: wq.Query, allowed: Any, limit: int | None) -> Any:
    collector = FilteredTopCollector(searcher.collector(limit=limit), allowed)
    searcher.search_with_collector(query, collector)
    return collector.results()


@settings(max_examples=80, deadline=None)
@given(
    query=QUERIES,
    allowed=st.sets(st.integers(0, DOCS - 1), min_size=1, max_size=300),
    limit=st.sampled_from([1, 10, None]),
)
def test_same_hits_and_scores_as_whoosh_within_a_set(
    searcher: Any, query: wq.Query, allowed: set[int], limit: int | None
) -> None:
    expected = _ranked_in_full(searcher, query, allowed, limit)
    assert _hits(_by_candidates(searcher, query, allowed, limit)) == expected
    assert not {docnum for docnum, _ in expected} & DELETED


@settings(max_examples=60, deadline=None)
@given(
    query=QUERIES,
    window=st.tuples(st.integers(20200101, 20241231), st.integers(0, 40000)),
    base=st.none() | st.sets(st.integers(0, DOCS - 1), max_size=400),
    limit=st.sampled_from([10, None]),
)
def test_same_hits_and_scores_as_whoosh_within_a_date_window(
    searcher: Any,
    query: wq.Query,
    window: tuple[int, int],
    base: set[int] | None,
    limit: int | None,
) -> None:
    rng = random.Random(5)
    dates = array("I", (rng.choice([0, 20200101 + rng.randrange(50000)]) for _ in range(DOCS)))
    lo, width = window
    allowed = DateWindow(dates, lo, lo + width, base, DOCS)
    expected = _ranked_in_full(searcher, query, allowed, limit)
    assert _hits(_by_candidates(searcher, query, allowed, limit)) == expected


def test_candidates_come_from_the_required_side_only(searcher: Any) -> None:
    """An AND reads its rarer side; an optional or excluded side adds no candidates; a
    NOT alone cannot be read this way."""
    segment = searcher.leaf_searchers()[0][0]
    rare = list(_term(RARE[0]).matcher(segment).all_ids())
    assert len(rare) == 1
    both = wq.And([_term("war"), _term(RARE[0])]).matcher(segment)
    assert candidate_ids(both) == set(rare)
    live_war = set(_term("war").matcher(segment).all_ids())
    every_war = candidate_ids(_term("war").matcher(segment))
    assert every_war is not None and live_war < every_war  # deleted ones too: never scored
    assert every_war - live_war <= DELETED
    boosted = LazyAndMaybe(_term("war"), wq.Term("title", "peace")).matcher(segment)
    assert candidate_ids(boosted) == every_war
    minus = wq.AndNot(_term("war"), _term("peace")).matcher(segment)
    assert candidate_ids(minus) == every_war
    assert candidate_ids(wq.Not(_term("war")).matcher(segment)) is None


def test_a_wide_filter_keeps_whooshs_walk(searcher: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above `CANDIDATE_SHARE` of the index the collector is Whoosh's; below, ours."""
    used: list[str] = []
    ours = FilteredTopCollector.collect_matches
    theirs = collectors.FilterCollector.collect_matches

    def spy_ours(self: Any) -> None:
        used.append("candidates")
        ours(self)

    def spy_theirs(self: Any) -> None:
        if type(self) is collectors.FilterCollector:
            used.append("walk")
        theirs(self)

    narrow = set(range(0, DOCS, 20))
    wide = {docnum for docnum in range(DOCS) if docnum % 4}
    assert len(narrow) < filtered_top.CANDIDATE_SHARE * DOCS < len(wide)
    query = _term("war")
    expected = [
        _hits(searcher.search(query, filter=allowed, limit=10)) for allowed in (narrow, wide)
    ]
    monkeypatch.setattr(FilteredTopCollector, "collect_matches", spy_ours)
    monkeypatch.setattr(collectors.FilterCollector, "collect_matches", spy_theirs)
    found = [_hits(filtered_top.filtered_top(searcher, query, a, 10)) for a in (narrow, wide)]
    assert found == expected
    assert used == ["candidates"] * 3 + ["walk"] * 3  # one call per segment


def test_an_empty_set_filters_nothing_as_in_whoosh(searcher: Any) -> None:
    """Whoosh reads an empty filter as none; so does the collector (run_search never
    sends one: an empty filter there means no hits)."""
    expected = _hits(searcher.search(_term("war"), filter=set(), limit=10))
    assert len(expected) == 10
    assert _hits(_by_candidates(searcher, _term("war"), set(), 10)) == expected


def test_a_query_with_a_not_is_ranked_in_full(searcher: Any) -> None:
    """Whoosh's block skipping drops a hit of some AND NOT queries from their top 10 (in
    this index, one of the word pairs); `filtered_top` ranks those in full, with no filter
    or a wide one, and keeps the skipping for other queries."""
    wide = set(range(0, DOCS, 2))
    skipped_wrongly = 0
    for first, second in itertools.permutations(COMMON, 2):
        for query in (wq.AndNot(_term(first), _term(second)), wq.Or([_term(first), _term(second)])):
            for allowed in (None, wide):
                full = _ranked_in_full(searcher, query, allowed, 10)
                assert _hits(filtered_top.filtered_top(searcher, query, allowed, 10)) == full
                skipped_wrongly += _hits(searcher.search(query, filter=allowed, limit=10)) != full
    assert skipped_wrongly  # the index shows Whoosh's skipping at fault at least once


def test_negations_are_found_anywhere_in_the_query() -> None:
    assert has_negation(wq.AndNot(_term("war"), _term("tax")))
    assert has_negation(wq.Or([_term("war"), wq.And([_term("tax"), wq.Not(_term("vote"))])]))
    assert not has_negation(wq.Or([_term("war"), wq.And([_term("tax"), _term("vote")])]))
    assert not has_negation(LazyAndMaybe(_term("war"), wq.Term("title", "war")))


def _matches(matcher: Any) -> set[int]:
    return set(matcher.all_ids()) if matcher.is_active() else set()


@pytest.mark.parametrize("words", [("war", RARE[0]), ("peace", "tax"), (RARE[1], "absent")])
def test_candidates_are_narrowed_to_the_other_sides_postings(
    searcher: Any, words: tuple[str, str]
) -> None:
    """An AND's candidates (its rarer side) are cut to those the other side holds too:
    every match is kept, and no candidate the other side lacks."""
    for segment, _ in searcher.leaf_searchers():
        query = LazyAndMaybe(wq.And([_term(w) for w in words]), wq.Term("title", "war"))
        candidates = candidate_ids(query.matcher(segment))
        assert candidates is not None
        kept = narrowed(query.matcher(segment), sorted(candidates))
        assert kept == sorted(kept)
        assert _matches(query.matcher(segment)) <= set(kept) <= candidates
        # deleted documents may stay (never scored), but nothing another posting list lacks
        postings = [set(candidate_ids(_term(w).matcher(segment)) or ()) for w in words]
        assert set(kept) == candidates & postings[0] & postings[1]


def test_a_union_of_ands_is_narrowed_side_by_side(searcher: Any) -> None:
    segment = searcher.leaf_searchers()[1][0]
    query = wq.Or([wq.And([_term("war"), _term("tax")]), wq.And([_term("vote"), _term("bank")])])
    candidates = candidate_ids(query.matcher(segment))
    assert candidates is not None
    kept = narrowed(query.matcher(segment), sorted(candidates))
    assert _matches(query.matcher(segment)) <= set(kept) < candidates


def test_a_segment_without_an_allowed_document_builds_no_matcher(searcher: Any) -> None:
    """Only segments that may hold an allowed document get a matcher; the hits are Whoosh's."""
    built: list[int] = []

    class Counted(wq.WrappingQuery):  # type: ignore[misc]
        def matcher(self, leaf: Any, context: Any = None) -> Any:
            built.append(leaf.doc_count_all())
            return self.child.matcher(leaf, context)

    first = searcher.leaf_searchers()[0][0].doc_count_all()
    allowed = {3, 40, first - 1}  # the first segment only
    query = Counted(wq.Or([_term("war"), _term("peace")]))
    expected = _ranked_in_full(searcher, query.child, allowed, 10)
    assert _hits(_by_candidates(searcher, query, allowed, 10)) == expected
    assert built == [first]
    rng = random.Random(2)
    dates = array("I", (rng.choice([0, 20200101 + rng.randrange(500)]) for _ in range(DOCS)))
    window = DateWindow(dates, 20200101, 20200600, None, DOCS)
    for start, stop in ((0, 300), (300, 600), (5, 9), (600, 600)):
        inside = any(window.lo <= dates[d] <= window.hi for d in range(start, stop))
        assert window.any_between(start, stop) is inside
        assert allows_any(window, start, stop) is inside
        assert allows_any({start + 1}, start, stop) is (stop - start > 1)
    assert allows_any(None, 0, 5) and allows_any(set(), 0, 5)  # no filter, or Whoosh's "none"
    assert allows_any({DOCS + 1}, 0, filtered_top.SMALL_SEGMENT + 1)  # too large to look

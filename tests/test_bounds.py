"""Bounded queries: caps, time budget, field queries; scores the same however an index was built."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statement_search import QuoteIndex, StatementSearchError
from statement_search.errors import QueryError, QueryTimeoutError
from statement_search.search.bounds import MAX_QUERY_CHARS, allowed_distance
from tests.search_corpus import build_index


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> QuoteIndex:
    return build_index(tmp_path_factory.mktemp("bounds") / "index")


# -- reproductions from #20 --------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "qaeda~9999999999",
        "* m 0~x goggles",
        "x~/3",
        "peace~3",
        "position:0",
        "id:{ TO x}",
        "date:2024",
        " ".join(f"{w}~2" for w in "the talks never started because peace and trade".split() * 3),
        "x" * 1_900,
        "x" * 1_900 + "~",
    ],
)
def test_hostile_queries_answer_or_fail_cleanly(ix: QuoteIndex, query: str) -> None:
    hits = ix.search(query)
    assert isinstance(hits.notices, tuple)
    ix.facets(query)
    ix.suggest(query)


def test_edit_distance_is_narrowed_and_said(ix: QuoteIndex) -> None:
    hits = ix.search("peace~3")
    assert any("edit distance narrowed to 1" in n for n in hits.notices)
    assert {h.quote.id for h in hits} == {h.quote.id for h in ix.search("peace~1")}
    assert [allowed_distance(w) for w in ("we", "peace", "sanctions")] == [0, 1, 2]


def test_a_plain_query_says_nothing(ix: QuoteIndex) -> None:
    assert ix.search("peace").notices == ()


def test_an_over_long_query_is_a_one_line_error(ix: QuoteIndex) -> None:
    with pytest.raises(QueryError, match="at most 2,000"):
        ix.search("a" * 70_000)
    with pytest.raises(QueryError, match="characters long"):
        ix.facets(" ".join(["peace"] * 1_500))
    assert ix.suggest("a" * (MAX_QUERY_CHARS + 1)) is None


def test_time_budget(ix: QuoteIndex) -> None:
    with pytest.raises(QueryTimeoutError, match="took longer than"):
        ix.search("peace OR trade", time_limit=1e-9)
    with pytest.raises(QueryError, match="positive"):
        ix.search("peace", time_limit=float("nan"))
    assert ix.search("peace", time_limit=None)


def test_sorted_search_with_limit_zero_is_empty(ix: QuoteIndex) -> None:
    assert ix.search("peace", sort="date", limit=0) == []


def test_date_and_position_field_queries(ix: QuoteIndex) -> None:
    years = {h.quote.date.year for h in ix.search("date:2024", limit=None) if h.quote.date}
    assert years == {2024}
    assert len(ix.search("date:2024", limit=None)) == 5
    assert {h.quote.id for h in ix.search("date:2023-06", limit=None)} == {"a2-0", "a2-1"}
    assert {h.quote.position for h in ix.search("position:1", limit=None)} == {1}


def test_wildcards_match_the_words_as_written(ix: QuoteIndex) -> None:
    # "negotiate" is indexed as the stem "negoti": a pattern on stems found nothing
    assert [h.quote.id for h in ix.search("negotiat*")] == ["a1-2"]
    assert [h.quote.id for h in ix.search("negotiat*")] == [h.quote.id for h in ix.search("negot*")]
    assert ix.search("negotiat*")[0].highlights[0].matches


def test_wildcard_expansions_are_capped(tmp_path: Path) -> None:
    quotes_dir = tmp_path / "corpus"
    quotes_dir.mkdir()
    words = " ".join(f"tax{n}" for n in range(80))
    (quotes_dir / "a.txt").write_text(f"Taxes\n\nThe minister said: “{words}”\n", encoding="utf-8")
    ix = QuoteIndex.build(tmp_path / "index", [quotes_dir])
    hits = ix.search("tax*")
    assert len(hits) == 1
    assert any("searched the 64 most common" in n for n in hits.notices)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.sampled_from(list("ab peace~*?:^\"'()[]{}/-09 ANDORNOT\x00\u202e\ud800é")),
        max_size=40,
    )
)
def test_random_queries_raise_only_library_errors(ix: QuoteIndex, query: str) -> None:
    for call in (ix.search, ix.facets, ix.suggest, ix.speakers):
        try:
            call(query)
        except StatementSearchError:
            pass


# -- the same scores however the index was built ------------------------------------

_WORDS = [
    "taxes",
    "taxation",
    "tax",
    "elections",
    "election",
    "selection",
    "negotiations",
    "erect",
]


def _write_corpus(folder: Path) -> list[Path]:
    folder.mkdir()
    files = []
    for n in range(16):
        a, b = _WORDS[n % len(_WORDS)], _WORDS[(n * 3 + 1) % len(_WORDS)]
        filler = " ".join(["word"] * (n % 5))
        body = f"Title {n}\n\nThe mayor said: “We need {a} and {filler} {b} now.” Then left.\n"
        path = folder / f"a{n:02d}.txt"
        path.write_text(body, encoding="utf-8")
        files.append(path)
    return files


def _ranking(ix: QuoteIndex, query: str) -> tuple[list[float], list[tuple[float, str]]]:
    """The top five scores (the top-N walk), and every hit's score and id (ties in any order)."""
    top = [round(h.score, 6) for h in ix.search(query, limit=5)]
    every = sorted((-round(h.score, 6), h.quote.article_id) for h in ix.search(query, limit=None))
    return top, every


def test_scores_do_not_depend_on_how_the_index_was_built(tmp_path: Path) -> None:
    files = _write_corpus(tmp_path / "corpus")
    whole = QuoteIndex.build(tmp_path / "whole", [tmp_path / "corpus"])
    batched = QuoteIndex.create(tmp_path / "batched")
    batched.sync([tmp_path / "corpus"], batch_articles=3)
    grown = QuoteIndex.create(tmp_path / "grown")
    for start in range(0, len(files), 4):
        grown.add(files[start : start + 4])
    assert len(grown.engine.searcher().reader().leaf_readers()) > 1
    for query in ("tax*", "election~", "negotiat*", "elect* OR tax^2", "(taxes OR elections)^3"):
        expected = _ranking(whole, query)
        assert expected[0], query
        assert _ranking(batched, query) == expected, query
        assert _ranking(grown, query) == expected, query


def test_open_date_ranges_leave_out_undated_quotes(ix: QuoteIndex) -> None:
    dates = [h.quote.date for h in ix.search("date:[TO 2023]", limit=None)]
    assert dates and all(d is not None and d.year <= 2023 for d in dates)


def test_the_budget_is_checked_while_a_segment_is_walked() -> None:
    from whoosh import matching

    from statement_search.engines.whoosh.bounds import _DeadlineMatcher
    from statement_search.search.bounds import Budget

    budget = Budget(seconds=1e-9)
    walk = _DeadlineMatcher(matching.ListMatcher(list(range(1000))), budget, "q")
    with pytest.raises(QueryTimeoutError):
        while walk.is_active():
            walk.next()
    assert walk.id() < 1000 - 1  # stopped early
    relaxed = _DeadlineMatcher(matching.ListMatcher([1, 2, 3]), Budget(seconds=None), "q")
    assert list(relaxed.all_ids()) == [1, 2, 3]

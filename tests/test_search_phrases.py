"""Quoted phrases through the `pairs` field: the same hits as the positional phrase on `exact`.

The "old" search below is the parsed query as it was run before `pairs`
existed (a positional `Phrase` on `exact`), run on the same index.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from statement_search import QuoteIndex
from statement_search.engines.whoosh.schema import build_schema
from statement_search.engines.whoosh.search import parse_query, runnable

from .search_corpus import build_index, make_quotes

# Written for these tests: repeated words, punctuation inside runs, stop words.
EXTRA = [
    "The peace process is a process, and peace is not a process of talks.",
    "We defend the rule of law; the rule of law defends us.",
    "Peace, process and patience: that is the plan.",
    "No, no, no and no again.",
    "They said no no to the talks, then yes to peace process talks.",
    "The rule of thumb is not the rule of law.",
    "Grain exports to the south will double, grain exports to the north will not.",
    "Zelenskyy’s plan and NATO's plan are two plans; U.S. plans differ.",
    "Peace. Process. Those were his two words, not peace process.",
    "Law and order, rule and law, of the people and for the law of the land.",
]
EXACT = build_schema()["exact"].analyzer


EXTRA_QUOTES = [
    dataclasses.replace(make_quotes()[0], id=f"x-{n}", article_id="x", position=n, text=text)
    for n, text in enumerate(EXTRA)
]
WORDS = [[t.text for t in EXACT(q.text)] for q in make_quotes() + EXTRA_QUOTES]
VOCABULARY = sorted({w for words in WORDS for w in words})


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> QuoteIndex:
    """The search corpus (two segments) and the quotes above in a third."""
    return build_index(tmp_path_factory.mktemp("phrases") / "index", EXTRA_QUOTES)


def old_and_new(ix: QuoteIndex, text: str) -> tuple[dict[int, float], dict[int, float]]:
    """Every hit's score, by the positional phrase on `exact` and through `pairs`."""
    searcher = ix.engine.searcher()
    parsed = parse_query(searcher, text)
    old = {r.docnum: r.score for r in searcher.search(parsed, limit=None)}
    new = {r.docnum: r.score for r in searcher.search(runnable(parsed), limit=None)}
    return old, new


def quote_ids(ix: QuoteIndex, docnums: set[int] | dict[int, float]) -> set[str]:
    return {ix.engine.searcher().stored_fields(d)["id"] for d in docnums}


def search_ids(ix: QuoteIndex, text: str, **kwargs: object) -> set[str]:
    return {hit.quote.id for hit in ix.search(text, limit=None, **kwargs)}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ('"peace process"', {"x-0", "x-2", "x-4", "x-8"}),
        ('"rule of law"', {"x-1", "x-5"}),
        ('"the rule of law"', {"x-1", "x-5"}),
        ('"grain exports to the"', {"x-6"}),
        ('"no no no"', {"x-3"}),
        ('"refused to negotiate"', {"a1-2"}),
        ('"the rule of law defends"', {"x-1"}),
        ('"no no no no"', set()),  # every pair is there, never four in a row
        ('"law of the rule"', set()),
    ],
)
def test_two_three_and_four_word_phrases_find_the_positional_hits(
    ix: QuoteIndex, phrase: str, expected: set[str]
) -> None:
    old, new = old_and_new(ix, phrase)
    assert quote_ids(ix, new) == quote_ids(ix, old) == expected
    assert search_ids(ix, phrase) == expected


def _word_runs() -> st.SearchStrategy[list[str]]:
    """Runs of 2–5 consecutive words from the corpus, or words drawn at random."""

    @st.composite
    def run(draw: st.DrawFn) -> list[str]:
        words = draw(st.sampled_from([w for w in WORDS if len(w) >= 2]))
        size = draw(st.integers(2, min(5, len(words))))
        start = draw(st.integers(0, len(words) - size))
        return words[start : start + size]

    return st.one_of(run(), st.lists(st.sampled_from(VOCABULARY), min_size=2, max_size=4))


@settings(max_examples=300, deadline=None)
@given(_word_runs())
def test_any_phrase_finds_what_the_positional_search_finds(
    ix: QuoteIndex, words: list[str]
) -> None:
    old, new = old_and_new(ix, '"' + " ".join(words) + '"')
    assert new.keys() == old.keys()
    # Each word counts the phrase's occurrences, never more than its own.
    assert all(new[d] <= old[d] + 1e-9 for d in new)


def test_a_phrase_whose_words_occur_only_in_it_scores_as_before(ix: QuoteIndex) -> None:
    old, new = old_and_new(ix, '"refused to negotiate"')
    assert new == pytest.approx(old)
    old, new = old_and_new(ix, '"the peace process"')  # "peace" and "process" also said alone
    [doc] = new
    assert new[doc] < old[doc]


def test_punctuation_between_words_does_not_break_a_phrase(ix: QuoteIndex) -> None:
    with_comma = search_ids(ix, '"peace, process"')
    assert with_comma == search_ids(ix, '"peace process"')
    assert "x-2" in with_comma  # "Peace, process and patience"
    assert "x-8" in with_comma  # "Peace. Process." as well as "peace process"


def test_stop_words_inside_a_phrase_are_matched_not_skipped(ix: QuoteIndex) -> None:
    assert search_ids(ix, '"rule of thumb"') == {"x-5"}
    assert search_ids(ix, '"the law of the land"') == {"x-9"}
    assert search_ids(ix, '"the rule law"') == set()
    assert search_ids(ix, '"rule law"') == set()


def test_a_phrase_with_slop_keeps_the_positional_search(ix: QuoteIndex) -> None:
    parsed = parse_query(ix.engine.searcher(), '"peace talks"~2')
    assert runnable(parsed) == parsed
    assert search_ids(ix, '"peace talks"~2') == {"x-4"}  # "peace process talks"


def test_only_the_run_query_goes_through_pairs(ix: QuoteIndex) -> None:
    parsed = parse_query(ix.engine.searcher(), 'peace NOT "the rule of law"')
    run = runnable(parsed)
    assert not any(isinstance(n, wq.Phrase) and n.fieldname == "exact" for n in run.leaves())
    assert any(isinstance(n, wq.Phrase) and n.fieldname == "exact" for n in parsed.leaves())
    assert any(n.fieldname == "pairs" for n in run.leaves())


def test_phrases_combine_with_words_filters_and_sorts(ix: QuoteIndex) -> None:
    for text in ('peace NOT "peace process"', '"peace process" OR "rule of law"', 'talks "no no"'):
        old, new = old_and_new(ix, text)
        assert new.keys() == old.keys(), text
    newest = ix.search('"rule of law"', sort="-date", limit=None)
    assert {h.quote.id for h in newest} == {"x-1", "x-5"}
    assert all(h.score > 0 for h in newest)
    counts = ix.facets('"peace process"')["speakers"]
    assert sum(c.count for c in counts) == 4


def test_a_phrase_hit_highlights_the_verbatim_run(ix: QuoteIndex) -> None:
    for hit in ix.search('"rule of law"'):
        marked = [f.text[s:e] for f in hit.highlights for s, e in f.matches]
        assert marked and all(m.lower() == "rule of law" for m in marked), marked
    [hit] = ix.search('"peace, process and"')
    assert [hit.quote.text[s:e] for f in hit.highlights for s, e in f.matches] == [
        "Peace, process and"
    ]


def test_the_hand_written_corpus_phrase_tests_still_hold(tmp_path: Path) -> None:
    with build_index(tmp_path / "ix") as small:
        assert [h.quote.id for h in small.search('"refused to negotiate"')] == ["a1-2"]
        assert small.search('"refused negotiate"') == []

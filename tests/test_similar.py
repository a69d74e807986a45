"""`similar`: rare content words, copies of one utterance skipped, questions left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from statement_search import QuoteIndex
from statement_search.engines.whoosh.similar import key_terms

from .conftest import CORPUS, SEED
from .search_corpus import build_index, copies_and_a_question

PEACE = ("peace", "talk", "negotiat", "settlement", "agreement")


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> QuoteIndex:
    if not SEED.exists():
        pytest.skip("seed article not present")
    return QuoteIndex.build(tmp_path_factory.mktemp("ix") / "index", [CORPUS])


def test_the_nearest_five_to_a_peace_process_quote_are_about_peace_talks(
    seed_index: QuoteIndex,
) -> None:
    [hit] = seed_index.search('"There can be no peace process"', limit=1)
    near = seed_index.similar(hit.quote.id, limit=5)
    assert len(near) == 5
    for found in near:
        assert "peace and negotiations" in found.quote.topics, found.quote.text
        assert any(word in found.quote.text.casefold() for word in PEACE), found.quote.text


def test_key_terms_leave_out_common_words(seed_index: QuoteIndex) -> None:
    searcher = seed_index.engine.searcher()
    terms = dict(key_terms(searcher, "We never refused peace, including the same talks"))
    assert "never" not in terms and "includ" not in terms and "same" not in terms
    assert "peac" in terms


def test_copies_of_one_utterance_are_skipped_and_questions_left_out(tmp_path: Path) -> None:
    ix = build_index(tmp_path / "index", copies_and_a_question())
    found = [h.quote.id for h in ix.similar("a1-0")]
    assert "c1-0" not in found and "c2-0" not in found and "q1-0" not in found
    assert found[0] == "a2-1"  # the other quote about sanctions
    assert "q1-0" in [h.quote.id for h in ix.similar("a1-0", kind="quote,question")]

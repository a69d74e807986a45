"""Search over the seed corpus: ranking, speaker filter, highlights, bad queries."""

from __future__ import annotations

from pathlib import Path

import pytest

from statement_search import QuoteIndex
from statement_search.errors import QueryError

from .conftest import CORPUS


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> QuoteIndex:
    return QuoteIndex.build(tmp_path_factory.mktemp("ix") / "index", [CORPUS])


def test_plain_word_matches_stemmed_forms(seed_index: QuoteIndex) -> None:
    hits = seed_index.search("negotiate")
    assert any("They refused to negotiate" in hit.quote.text for hit in hits)


def test_hits_are_ranked_by_descending_score(seed_index: QuoteIndex) -> None:
    scores = [hit.score for hit in seed_index.search("peace")]
    assert len(scores) >= 3
    assert scores == sorted(scores, reverse=True)


def test_highlight_spans_point_at_query_words(seed_index: QuoteIndex) -> None:
    for hit in seed_index.search("peace"):
        spans = [s for fragment in hit.highlights for s in fragment.matches]
        assert spans, hit.quote.text
        for fragment in hit.highlights:
            for start, end in fragment.matches:
                assert fragment.text[start:end].lower().startswith("peace")


def test_limit_caps_hits(seed_index: QuoteIndex) -> None:
    assert len(seed_index.search("peace", limit=2)) == 2


def test_speaker_filter_matches_last_name_case_insensitively(seed_index: QuoteIndex) -> None:
    hits = seed_index.search("peace", speaker="lukashenko")
    assert hits and all(hit.quote.speaker == "Aleksandr Lukashenko" for hit in hits)
    assert seed_index.search("peace", speaker="Nobody Atall") == []


def test_unparsable_query_is_a_query_error(seed_index: QuoteIndex) -> None:
    with pytest.raises(QueryError):
        seed_index.search("   ")


def test_hit_quote_fields_survive_the_index(seed_index: QuoteIndex, tmp_path: Path) -> None:
    [hit] = seed_index.search('"refused to negotiate"', limit=1)
    assert hit.quote.speaker == "Vladimir Putin"
    assert hit.quote.context.endswith(hit.quote.context.strip())
    assert hit.quote.start < hit.quote.end

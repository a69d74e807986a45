"""Facets: counts by speaker, topic and year, for the index or a query."""

from __future__ import annotations

import pytest

from statement_search import QuoteIndex
from statement_search.search.facets import FacetCount

from .search_corpus import build_index


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> QuoteIndex:
    return build_index(tmp_path_factory.mktemp("facets") / "index")


def test_speaker_counts_whole_index(ix: QuoteIndex) -> None:
    assert ix.speakers() == [
        FacetCount("Aleksandr Lukashenko", 3),
        FacetCount("Vladimir Putin", 3),
        FacetCount("Volodymyr Zelenskyy", 2),
        FacetCount("Viktor Orbán", 1),
    ]


def test_speaker_counts_for_a_query(ix: QuoteIndex) -> None:
    assert ix.speakers("sanctions") == [
        FacetCount("Aleksandr Lukashenko", 1),
        FacetCount("Vladimir Putin", 1),
    ]


def test_topic_counts_with_filters(ix: QuoteIndex) -> None:
    assert ix.topics(speaker="Putin") == [
        FacetCount("energy", 2),
        FacetCount("peace and negotiations", 1),
        FacetCount("sanctions", 1),
    ]


def test_facets_by_year_skip_undated(ix: QuoteIndex) -> None:
    years = ix.facets("*")["years"]
    assert years == [FacetCount("2025", 2), FacetCount("2024", 5), FacetCount("2023", 2)]
    assert ix.facets("peace", since="2025")["years"] == [FacetCount("2025", 1)]


def test_counts_stay_consistent_after_a_speaker_is_removed(tmp_path) -> None:
    ix = build_index(tmp_path / "index")
    writer = ix.engine._ix.writer()
    writer.delete_by_term("article_id", "a3")  # every Zelenskyy quote
    writer.commit(merge=False)
    ix.engine.refresh()
    names = {c.name for c in ix.speakers()}
    assert "Volodymyr Zelenskyy" not in names
    assert ix.speakers("peace") == [FacetCount("Aleksandr Lukashenko", 1)]
    facets = ix.facets("peace")
    assert sum(c.count for c in facets["speakers"]) == sum(
        1 for h in ix.search("peace", limit=None) if h.quote.speaker
    )

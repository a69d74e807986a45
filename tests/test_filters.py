"""Filters: speaker aliases, parent topics, partial dates, sources, listing mode."""

from __future__ import annotations

import dataclasses
import datetime as dt
from array import array
from pathlib import Path

import pytest

from statement_search import QuoteIndex
from statement_search.engines.whoosh.schema import quote_to_document
from statement_search.errors import QueryError
from statement_search.search.filters import Filters, parse_date_bound

from .search_corpus import build_index, make_quotes


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> QuoteIndex:
    return build_index(tmp_path_factory.mktemp("filters") / "index")


def ids(hits: list) -> list[str]:
    return [hit.quote.id for hit in hits]


@pytest.mark.parametrize(
    ("value", "end", "expected"),
    [
        ("2024", False, dt.date(2024, 1, 1)),
        ("2024", True, dt.date(2024, 12, 31)),
        ("2024-02", True, dt.date(2024, 2, 29)),
        ("2024-04", False, dt.date(2024, 4, 1)),
        ("2024-04-05", True, dt.date(2024, 4, 5)),
    ],
)
def test_partial_dates_cover_the_whole_period(value: str, end: bool, expected: dt.date) -> None:
    assert parse_date_bound(value, end=end) == expected


@pytest.mark.parametrize("value", ["April", "2024-13", "2024-02-30", "24"])
def test_bad_dates_are_query_errors(value: str) -> None:
    with pytest.raises(QueryError):
        parse_date_bound(value)


@pytest.mark.parametrize(
    "name",
    [
        "Aleksandr Lukashenko",
        "lukashenko",
        "LUKASHENKA",
        "Alexander Lukashenko",
        "Alyaksandr Lukashenka",
    ],
)
def test_speaker_matches_any_alias_spelling_or_last_name(ix: QuoteIndex, name: str) -> None:
    hits = ix.search("*", speaker=name, limit=None)
    assert ids(hits) == ["a1-0", "a1-1", "a5-0"]


def test_speaker_is_accent_insensitive_and_repeatable(ix: QuoteIndex) -> None:
    assert ids(ix.search("*", speaker="orban")) == ["a4-0"]
    both = ix.search("*", speaker=["Orban", "Zelensky"], limit=None)
    assert {h.quote.speaker for h in both} == {"Viktor Orbán", "Volodymyr Zelenskyy"}


def test_unknown_speaker_finds_nothing(ix: QuoteIndex) -> None:
    assert ix.search("peace", speaker="Nobody Atall") == []


def test_parent_topic_includes_its_children(ix: QuoteIndex) -> None:
    parent = ix.search("*", topic="economy and trade", limit=None)
    assert set(ids(parent)) == {"a4-0", "a1-0", "a2-1"}  # its own tag plus "sanctions"
    assert set(ids(ix.search("*", topic="Sanctions", limit=None))) == {"a1-0", "a2-1"}


def test_topics_are_or_ed_and_other_filters_and_ed(ix: QuoteIndex) -> None:
    hits = ix.search("*", topic=["energy", "agriculture"], speaker="Putin", limit=None)
    assert set(ids(hits)) == {"a2-0", "a2-1"}


def test_unknown_topic_is_a_query_error(ix: QuoteIndex) -> None:
    with pytest.raises(QueryError, match="unknown topic"):
        ix.search("*", topic="knitting")


def test_date_range_with_year_and_month(ix: QuoteIndex) -> None:
    assert set(ids(ix.search("*", since="2024", until="2024", limit=None))) == {
        "a1-0",
        "a1-1",
        "a1-2",
        "a4-0",
        "a4-1",
    }
    assert set(ids(ix.search("*", since="2024-11", limit=None))) == {"a4-0", "a4-1", "a3-0", "a3-1"}
    assert ids(ix.search("*", until="2023-06-01", limit=None)) == ["a2-0", "a2-1"]


def test_since_after_until_is_an_error(ix: QuoteIndex) -> None:
    with pytest.raises(QueryError):
        ix.search("*", since="2025", until="2024")


def test_source_is_case_insensitive(ix: QuoteIndex) -> None:
    assert set(ids(ix.search("*", source="reuters", limit=None))) == {
        "a3-0",
        "a3-1",
        "a4-0",
        "a4-1",
    }


def test_listing_is_newest_first_then_article_order(ix: QuoteIndex) -> None:
    hits = ix.search("", source="Reuters", limit=None)
    assert ids(hits) == ["a3-0", "a3-1", "a4-0", "a4-1"]


def test_empty_query_without_filters_is_an_error(ix: QuoteIndex) -> None:
    with pytest.raises(QueryError):
        ix.search("  ")


def test_filter_cache_is_rebuilt_when_the_index_changes(tmp_path: Path) -> None:
    ix = build_index(tmp_path / "ix")
    assert ids(ix.search("*", speaker="Orban")) == ["a4-0"]
    extra = dataclasses.replace(
        make_quotes()[7], id="a6-0", article_id="a6", date=dt.date(2025, 2, 1)
    )
    writer = ix.engine._ix.writer()
    writer.add_document(**quote_to_document(extra))
    writer.commit()
    assert ids(ix.search("*", speaker="Orban")) == ["a6-0", "a4-0"]


def test_date_window_combines_with_other_filters_and_ranked_search(ix: QuoteIndex) -> None:
    # Ranked (not listing) searches take the per-candidate date window path.
    assert ids(ix.search("peace", since="2024", until="2024")) == ["a1-1"]
    assert ids(ix.search("sanctions", speaker="Putin", since="2023", until="2023-12")) == ["a2-1"]
    assert ix.search("sanctions", speaker="Putin", since="2024") == []
    assert ix.search("harvest", since="2000") == []  # undated quotes never pass a date filter


def test_date_window_membership() -> None:
    """Candidates are in the window by their own date (undated never), and in `base` if given."""
    from statement_search.engines.whoosh.filter_cache import DateWindow

    dates = array("I", [20240105, 0, 20231231, 20240301])
    window = DateWindow(dates, 0, 20240131, None, 2)
    assert [d in window for d in range(4)] == [True, False, True, False]
    assert 4 not in window and "1" not in window and None not in window
    narrowed = DateWindow(dates, 20240101, 20241231, {3}, 1)
    assert [d in narrowed for d in range(4)] == [False, False, False, True]
    assert list(narrowed) == [3] and len(narrowed) == 1


def test_date_window_keeps_a_segments_candidates_by_their_index_numbers() -> None:
    """`keep` takes numbers within a segment starting at `offset`, as `__contains__`
    decides for the index's numbers."""
    from statement_search.engines.whoosh.filter_cache import DateWindow

    dates = array("I", [20240105, 0, 20231231, 20240301, 20240110, 20240120])
    window = DateWindow(dates, 20240101, 20240131, None, 3)
    assert window.keep([0, 1, 2], offset=3) == [1, 2]
    assert window.keep([0, 1, 2, 3], offset=0) == [0]
    narrowed = DateWindow(dates, 20240101, 20240131, {0, 5}, 2)
    assert narrowed.keep([0, 1, 2], offset=3) == [2]
    for offset, docnums in ((0, [0, 1, 2, 3]), (2, [0, 1, 2, 3])):
        for win in (window, narrowed):
            assert win.keep(docnums, offset) == [d for d in docnums if d + offset in win]


def test_a_date_window_bounds_its_size(ix: QuoteIndex) -> None:
    """The filter a date range gives knows at most how many quotes it allows (the search
    picks how to look by it)."""
    cache = ix.engine._filter_cache()
    in_2024 = cache.allowed(Filters.make(since="2024", until="2024"))
    assert in_2024.size == len(cache.date_range(dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
    assert in_2024.size == sum(1 for d in range(len(in_2024.dates)) if d in in_2024) > 0
    of_putin = cache.allowed(Filters.make(speaker="Putin", since="2000"))
    assert 0 < of_putin.size == len(cache.docs(Filters.make(speaker="Putin")))


def test_the_filter_keywords_are_the_ones_filters_make_reads() -> None:
    """`FilterArgs` (the public methods' `**filters`) and `Filters.make` list the same
    keywords: a filter added to one and not the other would be refused or ignored."""
    import inspect

    from statement_search.search.filters import FilterArgs

    made = [p for p in inspect.signature(Filters.make).parameters if p != "cls"]
    assert list(FilterArgs.__annotations__) == made


def test_speaker_lookup_finds_what_the_walk_finds() -> None:
    from statement_search.search.filters import fold, speaker_canon, speaker_forms, speaker_keys_for
    from statement_search.search.speaker_keys import SpeakerKeys

    names = [
        "Maria Delgado", "Governor Maria Delgado", "Tom Reyes", "Sen. Tom Reyes", "Ana Reyes",
        "Joe Biden", "Joseph R. Biden", "Donald Trump", "José Núñez", "Jose Nunez", "Cher",
        "Li Wei", "Wei", "Kim Jong Un",
    ]  # fmt: skip
    canon = speaker_canon(sorted({fold(n) for n in names}))
    lookup = SpeakerKeys(canon)
    asked = names + ["Delgado", "Reyes", "Governor Delgado", "Biden", "Nobody", "nunez", "Kim"]
    for name in asked:
        assert lookup.keys_for(*speaker_forms(name)) == speaker_keys_for(name, canon), name
    assert lookup.keys_for(*speaker_forms("Reyes")) == ["ana reyes", "sen. tom reyes", "tom reyes"]

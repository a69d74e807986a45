"""Search over the seed corpus: ranking, speaker filter, highlights, bad queries."""

from __future__ import annotations

import datetime as dt
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


# -- query language, ranking, paging, get/similar on a hand-written index -------


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> QuoteIndex:
    from .search_corpus import build_index

    return build_index(tmp_path_factory.mktemp("hand") / "index")


def ids(hits: list) -> list[str]:
    return [hit.quote.id for hit in hits]


def test_quoted_phrase_matches_verbatim_only(ix: QuoteIndex) -> None:
    assert ids(ix.search('"refused to negotiate"')) == ["a1-2"]
    assert ix.search('"refuse to negotiate"') == []  # stemmed forms do not count inside quotes
    assert ix.search('"refused negotiate"') == []  # nor does dropping a stop word


def test_plain_words_match_stemmed_forms(ix: QuoteIndex) -> None:
    assert ids(ix.search("negotiations")) == ["a1-2"]


def test_boolean_operators_and_fields(ix: QuoteIndex) -> None:
    assert set(ids(ix.search("sanctions AND energy"))) == {"a2-1"}
    assert set(ids(ix.search("sanctions NOT energy"))) == {"a1-0"}
    assert set(ids(ix.search("peace OR gas"))) == {"a1-1", "a3-0", "a2-0"}
    assert set(ids(ix.search("topic:energy"))) == {"a2-0", "a2-1"}
    assert set(ids(ix.search("speaker:zelenskyy"))) == {"a3-0", "a3-1"}


def test_wildcards_and_fuzzy_terms(ix: QuoteIndex) -> None:
    [hit] = ix.search("negot*")
    assert hit.quote.id == "a1-2"
    assert [hit.quote.text[s:e] for f in hit.highlights for s, e in f.matches] == ["negotiate"]
    assert set(ids(ix.search("sanctons~"))) == {"a1-0", "a2-1"}


def test_quote_text_outranks_context_and_title(ix: QuoteIndex) -> None:
    # "energy" is in a2-1's quote and in the title of both a2 quotes.
    assert ids(ix.search("energy"))[0] == "a2-1"


def test_equal_scores_are_ordered_newest_first(ix: QuoteIndex) -> None:
    hits = ix.search('context:"the meeting went on"', limit=None)  # same words in every context
    ties = [h for h in hits if h.score == hits[0].score]
    assert len(ties) >= 3
    # The words around each quote are the same, so undated quotes tie too: they come last.
    dates = [h.quote.date or dt.date.min for h in ties]
    assert dates == sorted(dates, reverse=True)


def test_sort_by_date_both_ways(ix: QuoteIndex) -> None:
    newest = ix.search("peace OR sanctions", sort="-date", limit=None)
    assert [h.quote.date for h in newest] == sorted((h.quote.date for h in newest), reverse=True)
    assert len({h.quote.date for h in newest}) >= 3
    oldest = ix.search("peace OR sanctions", sort="date", limit=None)
    assert [h.quote.date for h in oldest] == sorted(h.quote.date for h in oldest)
    with pytest.raises(QueryError):
        ix.search("peace", sort="loudest")


def test_limit_and_offset_page_through_the_same_order(ix: QuoteIndex) -> None:
    everything = ids(ix.search("*", limit=None))
    assert len(everything) == 10
    pages = [ids(ix.search("*", limit=3, offset=n)) for n in range(0, 10, 3)]
    assert sum(pages, []) == everything


def test_get_and_neighbours(ix: QuoteIndex) -> None:
    quote = ix.get("a1-1")
    assert quote is not None and quote.speaker == "Aleksandr Lukashenko"
    assert ix.get("nope") is None
    assert [q.id for q in ix.neighbours("a1-1")] == ["a1-0", "a1-2"]


def test_similar_finds_quotes_sharing_key_words(ix: QuoteIndex) -> None:
    similar = ids(ix.similar("a2-1"))
    assert "a2-1" not in similar
    assert similar[0] == "a1-0"  # the other quote about sanctions
    assert ix.similar("a2-1", speaker="Putin") == []  # his other quote shares no content word
    assert ids(ix.similar("a2-1", speaker="Lukashenko")) == ["a1-0"]
    with pytest.raises(QueryError):
        ix.similar("nope")


def test_a_searcher_is_reused_across_calls(ix: QuoteIndex) -> None:
    first = ix.engine.searcher()
    ix.search("peace", speaker="Putin")
    ix.facets("peace")
    assert ix.engine.searcher() is first


def test_title_words_alone_do_not_match_every_quote_of_the_article(tmp_path: Path) -> None:
    article = tmp_path / "talks.txt"
    article.write_text(
        "Harbour talks in the capital\n\n"
        '"We will rebuild the harbour by spring," Maria Novak said.\n\n'
        '"The budget is ready," Maria Novak added.\n',
        encoding="utf-8",
    )
    with QuoteIndex.build(tmp_path / "ix", [article]) as ix:
        hits = ix.search("harbour")
        assert [hit.quote.text for hit in hits] == ["We will rebuild the harbour by spring"]
        assert ix.search("title:capital")  # an explicit title search still works


def test_plain_words_are_parsed_as_whooshs_parser_does(ix: QuoteIndex) -> None:
    """Queries of plain words skip Whoosh's parser and give the query it gives; anything
    with syntax, digits or an operator goes to the parser."""
    from whoosh import qparser

    from statement_search.engines.whoosh.search import (
        FIELD_BOOSTS,
        SEARCH_FIELDS,
        plain_words_query,
    )

    schema = ix.engine.searcher().schema
    parser = qparser.MultifieldParser(SEARCH_FIELDS, schema, fieldboosts=FIELD_BOOSTS)
    plain = [
        "sanctions",
        "sanctions peace",
        "the sanctions",
        "the",
        "the a of",
        "Sanctions sanctions SANCTIONS",
        "Café naïve économie",
        "Путин сказал",
        "and or not",
        "peace and talks",
    ]
    for text in plain:
        made = plain_words_query(schema, text)
        assert made is not None, text
        assert repr(made) == repr(parser.parse(text)), text
        assert made == parser.parse(text)
    for text in [
        "sanctions AND peace",
        "NOT war",
        "a OR b",
        "x TO y",
        '"peace talks"',
        "speaker:putin",
        "sanct*",
        "peace~",
        "covid-19",
        "2024",
        "U.S.",
        "war^2",
        "(peace)",
        "don't",
        "  ",
    ]:
        assert plain_words_query(schema, text) is None, text

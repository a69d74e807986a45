"""Did you mean: misspelt words and speaker names, corrected from the index."""

from __future__ import annotations

import pytest

from statement_search import QuoteIndex

from .search_corpus import build_index


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> QuoteIndex:
    return build_index(tmp_path_factory.mktemp("suggest") / "index")


def test_misspelt_word_is_corrected_from_the_vocabulary(ix: QuoteIndex) -> None:
    suggestion = ix.suggest("sanctons")
    assert suggestion is not None and suggestion.query == "sanctions"
    assert str(suggestion) == "sanctions"


def test_operators_fields_and_known_words_are_kept(ix: QuoteIndex) -> None:
    suggestion = ix.suggest("peace AND sanctons OR topic:energy")
    assert suggestion is not None
    assert suggestion.query == "peace AND sanctions OR topic:energy"


def test_no_suggestion_for_a_good_query(ix: QuoteIndex) -> None:
    assert ix.suggest("sanctions") is None
    assert ix.suggest("xylophonic") is None  # nothing close in the index


def test_speaker_names_are_suggested(ix: QuoteIndex) -> None:
    suggestion = ix.suggest("peace", speaker="Lukashenkko")
    assert suggestion is not None and suggestion.speakers == ("Aleksandr Lukashenko",)
    assert suggestion.query is None
    assert str(suggestion) == '--speaker "Aleksandr Lukashenko"'


def test_correction_must_find_something_within_the_filters(ix: QuoteIndex) -> None:
    assert ix.suggest("sanctons", speaker="Zelenskyy") is None


def test_another_inflection_of_an_indexed_word_is_not_corrected(tmp_path) -> None:
    from statement_search import QuoteIndex

    article = tmp_path / "a.txt"
    article.write_text(
        'Title\n\n"We opened the border today," Maria Novak said.\n', encoding="utf-8"
    )
    with QuoteIndex.build(tmp_path / "ix", [article]) as ix:
        assert ix.suggest("borders") is None
        suggestion = ix.suggest("bordr")
        assert suggestion is not None and suggestion.query == "border"

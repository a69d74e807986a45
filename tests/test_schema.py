"""The stored document: `around` holds the paragraph's narration, never the quote's words;
`pairs` the quote's consecutive verbatim words two by two."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statement_search import QuoteIndex
from statement_search.engines.index import META_FILE
from statement_search.engines.whoosh.schema import (
    SCHEMA_VERSION,
    WordPairs,
    build_schema,
    outside_quote,
    quote_to_document,
    word_pairs,
)
from statement_search.errors import SchemaVersionError

from .search_corpus import make_quotes

ARTICLE = """Talks on grain exports

"We will double grain exports to the south next year," Maria Novak told farmers in Lviv.
"""


def _words(text: str) -> set[str]:
    return {w.strip('.,:“”"').casefold() for w in text.split()} - {""}


def test_around_is_the_paragraph_without_the_quote() -> None:
    for quote in make_quotes():
        around = quote_to_document(quote)["around"]
        assert around == "At the meeting, the speaker said: “ ” Then the meeting went on."
        assert not (_words(quote.text) - _words(quote.context)) & _words(around)


def test_around_of_a_quote_running_past_its_paragraph_keeps_only_the_lead_in() -> None:
    context = "Novak said: “We will double grain exports"
    assert outside_quote(context, "We will double grain exports\n\nto the south.") == (
        "Novak said: “"
    )


def test_around_of_a_quote_not_found_verbatim_drops_its_words() -> None:
    around = outside_quote(
        "Novak said we will double  grain exports, farmers heard.", "Grain exports"
    )
    assert _words(around) == {"novak", "said", "we", "will", "double", "farmers", "heard"}


def test_context_words_are_searched_outside_the_quote_only(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "grain.txt").write_text(ARTICLE, encoding="utf-8")
    with QuoteIndex.build(tmp_path / "ix", [folder]) as ix:
        [hit] = ix.search("context:lviv")
        assert hit.quote.context.startswith('"We will double grain exports')  # stored whole
        assert ix.search("context:grain") == []  # the quote's words are not indexed twice
        assert [h.quote.id for h in ix.search('context:"farmers Lviv"')] == [hit.quote.id]
        assert [h.quote.id for h in ix.search("grain")] == [hit.quote.id]


def test_index_of_the_previous_schema_version_says_rebuild(tmp_path: Path) -> None:
    QuoteIndex.create(tmp_path / "ix").close()
    (tmp_path / "ix" / META_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION - 1}))
    with pytest.raises(
        SchemaVersionError, match="rebuild it with `statement-search index --rebuild"
    ):
        QuoteIndex.open(tmp_path / "ix")


def test_pairs_join_each_verbatim_word_to_the_next_at_the_first_ones_position() -> None:
    pairs = build_schema()["pairs"].analyzer
    text = "We want peace, the rule of law — now!"
    tokens = pairs(text, positions=True, chars=True)
    assert [(t.text, t.pos, text[t.startchar : t.endchar]) for t in tokens] == [
        ("we want", 0, "We want"),
        ("want peace", 1, "want peace"),
        ("peace the", 2, "peace, the"),
        ("the rule", 3, "the rule"),
        ("rule of", 4, "rule of"),
        ("of law", 5, "of law"),
        ("law now", 6, "law — now"),
    ]
    assert [t.text for t in pairs("Peace.")] == []
    assert [t.text for t in pairs("")] == []


def test_pairs_are_the_exact_words_paired_as_a_query_pairs_them() -> None:
    schema = build_schema()
    text = "Don't say “U.S.” — Zelenskyy’s 2024 plan, NATO's too. No, no, no."
    words = [t.text for t in schema["exact"].analyzer(text)]
    assert [t.text for t in schema["pairs"].analyzer(text)] == word_pairs(words)
    assert word_pairs(["no", "no", "no"]) == ["no no", "no no"]
    words_at = [(t.text, t.pos) for t in schema["exact"].analyzer(text, positions=True)]
    assert WordPairs().over_words(words_at) == [
        (t.text, t.pos) for t in schema["pairs"].analyzer(text, positions=True)
    ]


def test_the_pairs_analyser_survives_the_schema_pickled_into_the_index() -> None:
    schema = pickle.loads(pickle.dumps(build_schema()))
    assert [t.text for t in schema["pairs"].analyzer("Peace process now")] == [
        "peace process",
        "process now",
    ]
    assert not schema["pairs"].scorable


def test_pairs_are_fed_the_quote_text() -> None:
    for quote in make_quotes():
        assert quote_to_document(quote)["pairs"] == quote.text


def test_an_index_pickled_before_the_stage_packages_finds_its_filter() -> None:
    """Whoosh pickles the schema naming `WordPairs` by its module: indexes written before
    the re-layout (#21) name `statement_search.schema`, which must still unpickle."""
    import pickle

    from statement_search.engines.whoosh.schema import WordPairs

    old_reference = b"\x80\x02cstatement_search.schema\nWordPairs\nq\x00."
    assert pickle.loads(old_reference) is WordPairs
    assert pickle.loads(pickle.dumps(WordPairs)) is WordPairs


@settings(max_examples=200, deadline=None)
@given(
    confidence=st.floats(min_value=-0.5, max_value=1.5, allow_nan=False),
    topics=st.lists(st.sampled_from(["", "energy", "a,b", ",", "war and conflict"]), max_size=3),
    empty=st.sets(
        st.sampled_from(
            ["speaker", "speaker_type", "source", "title", "attribution", "kind", "path", "url"]
        )
    ),
    numbers=st.tuples(st.sampled_from([0, 5]), st.sampled_from([0, 9]), st.sampled_from([0, 2])),
    dated=st.booleans(),
)
def test_stored_quote_is_the_quote_its_stored_document_gives_back(
    confidence: float,
    topics: list[str],
    empty: set[str],
    numbers: tuple[int, int, int],
    dated: bool,
) -> None:
    """`stored_quote` (the tantivy workers store it) is `document_to_quote(quote_to_document(q))`
    without the document, for the values that change on the way: empty ones, a confidence
    out of range or between whole percents, topics with commas."""
    import dataclasses
    import datetime as dt

    from statement_search.engines.documents import document_to_quote, stored_quote

    start, end, line = numbers
    quote = dataclasses.replace(
        make_quotes()[0],
        confidence=confidence,
        topics=tuple(topics),
        start=start,
        end=end,
        line=line,
        date=dt.date(2024, 2, 29) if dated else None,
        **{name: "" for name in empty},
    )
    assert stored_quote(quote) == document_to_quote(quote_to_document(quote, "h"))

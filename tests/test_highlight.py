"""Highlights: stemmed matches, verbatim phrases, sentence-start fragments."""

from __future__ import annotations

import pytest

from statement_search.engines.whoosh.highlight import highlight
from statement_search.engines.whoosh.schema import build_schema
from statement_search.search.highlight import MatchTerms

SCHEMA = build_schema()


def marked(text: str, terms: MatchTerms) -> list[str]:
    return [f.text[s:e] for f in highlight(SCHEMA, text, terms) for s, e in f.matches]


def test_stemmed_terms_mark_every_inflection() -> None:
    text = "Negotiations failed because they refused to negotiate."
    assert marked(text, MatchTerms(stemmed={"negoti"})) == ["Negotiations", "negotiate"]


def test_phrases_mark_only_the_verbatim_run() -> None:
    text = "They refused talks. They refused to negotiate at all."
    assert marked(text, MatchTerms(phrases=[("refused", "to", "negotiate")])) == [
        "refused to negotiate"
    ]


def test_overlapping_matches_merge() -> None:
    text = "We refused to negotiate."
    terms = MatchTerms(stemmed={"negoti"}, phrases=[("refused", "to", "negotiate")])
    assert marked(text, terms) == ["refused to negotiate"]


def test_long_quote_fragments_start_at_the_sentence() -> None:
    filler = "This sentence is only here to make the quote long enough to need windows. " * 8
    text = filler + "Peace matters most. " + filler
    [fragment] = highlight(SCHEMA, text, MatchTerms(stemmed={"peac"}))
    assert fragment.text.startswith("Peace matters most.")
    start, end = fragment.matches[0]
    assert fragment.text[start:end] == "Peace"


def test_unmatched_short_quote_is_one_plain_fragment() -> None:
    [fragment] = highlight(SCHEMA, "Nothing here.", MatchTerms(stemmed={"peac"}))
    assert fragment.text == "Nothing here." and fragment.matches == []


TEXTS = [
    "The sanctions hurt nobody; sanctioned firms still trade.",
    "Don't STOP—the Café's naïve résumé of 2024 U.S. policy, it's a test",
    "Путин сказал «нет», and the minister said no",
    "a\u00a0b c … well-being, covid-19 and 3.5% growth",
    "",
    "   ",
]


@pytest.mark.usefixtures("fast_path_on")
def test_marks_are_where_whooshs_analyser_puts_the_words() -> None:
    """The one-loop analysis marks exactly the tokens the `text` analyser gives."""
    from statement_search.engines.whoosh.highlight import _stemmed_spans, _text_indexer

    schema = build_schema()
    assert _text_indexer(schema) is not None
    analyzer = schema["text"].analyzer
    for text in TEXTS:
        tokens = [
            (t.text, t.startchar, t.endchar) for t in analyzer(text, chars=True, mode="index")
        ]
        words = {word for word, _, _ in tokens}
        for wanted in [words, set(list(sorted(words))[::2]), {"sanction", "minist", "absent"}]:
            expected = [(start, end) for word, start, end in tokens if word in wanted]
            assert _stemmed_spans(schema, text, wanted) == expected

"""The tantivy engine's query language and analysis, against the Whoosh path's."""

from __future__ import annotations

import pytest

tantivy = pytest.importorskip("tantivy")

from whoosh.analysis import STOP_WORDS  # noqa: E402

from statement_search.engines.tantivy.query import (  # noqa: E402
    analyzers,
    expansions,
    match_terms,
    rewrite,
)
from statement_search.engines.whoosh.schema import build_schema  # noqa: E402

TEXT = "The U.S. envoy said: a ceasefire isn't peace, and 3.5% of x_y voters can't wait."


def test_stop_words_are_whooshs() -> None:
    from statement_search.engines.tantivy.query import STOP_WORDS as ours

    assert set(ours) == set(STOP_WORDS)


def test_words_are_the_whoosh_fields() -> None:
    schema = build_schema()
    stemmed, verbatim = analyzers()
    exact = [(t.text, t.startchar, t.endchar) for t in schema["exact"].analyzer(TEXT, chars=True)]
    ours = [
        (t.text, t.char_offset_from, t.char_offset_to) for t in verbatim.pre_tokenize(TEXT).tokens
    ]
    assert ours == exact
    whoosh = [(t.startchar, t.endchar) for t in schema["text"].analyzer(TEXT, chars=True)]
    mine = [(t.char_offset_from, t.char_offset_to) for t in stemmed.pre_tokenize(TEXT).tokens]
    assert mine == whoosh  # the same words kept (a stop word leaves a position gap here)


def test_rewrite_sends_phrases_to_exact_and_expands_prefixes_and_fuzzy_words() -> None:
    fuzzy = {("sanctons", ""): ["sanction"]}
    text = rewrite('quote:gas "peace process" pea* sanctons~', lambda w, d: fuzzy[(w, d)])
    assert text.startswith('text:gas exact:"peace process" ')
    assert "text:/pea.*/^3.0 OR around:/pea.*/" in text
    assert "text:sanction^3.0 OR around:sanction" in text
    assert expansions('pea* "not* here" sanctons~2') == (["pea"], [("sanctons", "2")])


def test_match_terms_leave_out_negated_words() -> None:
    words, phrases = match_terms('talks NOT war -army "Peace process" verbatim:Minsk')
    assert words == {"talk"}
    assert phrases == [("peace", "process"), ("minsk",)]


def test_rewrite_expands_prefixes_to_the_terms_found_or_to_nothing() -> None:
    found = {"pea": ["peac", "peak"], "zzz": []}
    text = rewrite("pea* zzz*", lambda w, d: [], found.__getitem__)
    assert "text:peac^3.0 OR around:peac OR text:peak^3.0 OR around:peak" in text
    assert "year:100000" in text  # a prefix matching no word matches no quote

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


def test_tie_keys_read_the_id_and_date_a_stored_quote_decodes_to(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`_TieKeys` reads ids from the stored bytes without decoding them and dates from
    the `date` fast field; quote text that spells out those keys, backslashes and
    undated quotes change nothing."""
    import dataclasses
    import datetime as dt

    from statement_search.engines.tantivy.engine import TantivyEngine
    from statement_search.engines.tantivy.query import _TieKeys
    from statement_search.models import Quote

    base = Quote(
        id="b", article_id="a_id", position=0, text="t", start=0, end=1, speaker=None,
        speaker_as_written=None, attribution="unknown", kind="direct", context="t",
    )  # fmt: skip
    texts = ['he said "id": "zz" and "date": "1999-09-09"', "a \\ slash\\", "été — «да»"]
    quotes = [
        dataclasses.replace(base, id=f"q{n}", text=text, context=text, date=day)
        for n, (text, day) in enumerate(
            (t, d) for t in texts for d in (None, dt.date(2021, 3, 4), dt.date(1999, 12, 31))
        )
    ]
    engine = TantivyEngine.create(tmp_path / "tantivy")
    engine.add_quotes(quotes, content_hash="h")
    engine.commit()
    searcher = engine.searcher()
    hits = [a for _, a in searcher.search(tantivy.Query.all_query(), 100).hits][::-1]
    stored = [engine.stored_quote(searcher, address) for address in hits]
    assert sorted(q.id for q in stored) == sorted(q.id for q in quotes)
    keys = _TieKeys(searcher)
    assert keys.quote_ids(hits) == [q.id for q in stored]
    assert keys.dates(hits) == [
        q.date.year * 10000 + q.date.month * 100 + q.date.day if q.date else 0 for q in stored
    ]
    assert keys.dates(hits[2:4]) == keys.dates(hits)[2:4]


def test_any_term_finds_what_a_term_set_finds(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from statement_search.engines.tantivy.query import any_term
    from statement_search.engines.tantivy.schema import STEMMED, VERBATIM, build_schema

    index = tantivy.Index(build_schema(), path=str(tmp_path), reuse=False)
    index.register_tokenizer(STEMMED, analyzers()[0])
    index.register_tokenizer(VERBATIM, analyzers()[1])
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    speakers = [f"speaker {i % 90}" for i in range(300)]
    for i, speaker in enumerate(speakers):
        writer.add_document(tantivy.Document(doc=str(i).encode(), speaker_key=speaker, date=i))
    writer.commit()
    index.reload()
    searcher = index.searcher()

    def found(query: object) -> list[str]:
        hits = searcher.search(query, 1000).hits
        return sorted(bytes(searcher.doc(a).get_first("doc")).decode() for _, a in hits)

    for values in (["speaker 3"], ["speaker 3", "speaker 7", "nobody"], speakers[:80], ["x"]):
        want = found(tantivy.Query.term_set_query(index.schema, "speaker_key", values))
        assert found(any_term(index.schema, "speaker_key", values)) == want
        assert want or values == ["x"]

"""The fast segment writer must write the segment Whoosh's own writer writes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.fields import Schema
from whoosh.writing import SegmentWriter

from statement_search.engines.whoosh.indexers import fast_indexer
from statement_search.engines.whoosh.posting_pool import MemoryPostingPool
from statement_search.engines.whoosh.postings import (
    POSTINGS_KEY,
    DocumentAnalyzer,
    schema_fingerprint,
)
from statement_search.engines.whoosh.schema import build_schema, quote_to_document
from statement_search.engines.whoosh.segment_merge import TIER_WIDTH, merge_tiers
from statement_search.engines.whoosh.segment_writer import QuoteSegmentWriter
from statement_search.extraction.extract import extract_quotes
from statement_search.readers import read_article

from .conftest import SEED

COPIES = 6  # enough documents for common terms to span several 128-posting blocks


def _documents() -> list[dict[str, Any]]:
    article = read_article(SEED)
    quotes = extract_quotes(article)
    docs = []
    for copy in range(COPIES):
        for quote in quotes:
            doc = quote_to_document(quote, "hash")
            doc["id"] = f"{quote.id}-{copy}"
            doc["article_id"] = f"{quote.article_id}-{copy}"
            docs.append(doc)
    return docs


def _write(path: Path, docs: list[dict[str, Any]], make_writer: Any, batches: int = 1) -> Any:
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema())
    size = -(-len(docs) // batches)
    for start in range(0, len(docs), size):
        writer = make_writer(ix)
        for doc in docs[start : start + size]:
            writer.add_document(**doc)
        writer.commit()  # later batches merge the earlier segments (Whoosh's default policy)
    return ix


def _contents(ix: Any) -> dict[str, Any]:
    """All a reader gives back: terms with postings and statistics, lengths, stored fields."""
    with ix.reader() as reader:
        postings = {}
        for fieldname, text in reader.all_terms():
            matcher = reader.postings(fieldname, text)
            listed = []
            while matcher.is_active():
                listed.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            info = reader.term_info(fieldname, text)
            stats = (
                info.weight(),
                info.doc_frequency(),
                info.min_length(),
                info.max_length(),
                info.min_id(),
                info.max_id(),
            )
            postings[(fieldname, text)] = (listed, stats, info.max_weight())
        scorable = list(reader.schema.scorable_names())
        docs = [
            (
                reader.stored_fields(n),
                [reader.doc_field_length(n, f) for f in scorable],
            )
            for n in range(reader.doc_count_all())
        ]
        totals = [reader.field_length(f) for f in scorable]
        return {"postings": postings, "docs": docs, "totals": totals}


def _whoosh_writer(ix: Any) -> SegmentWriter:
    return SegmentWriter(ix)


@pytest.fixture(scope="module")
def documents() -> list[dict[str, Any]]:
    if not SEED.is_file():
        pytest.skip("seed article missing")
    return _documents()


@pytest.fixture(scope="module")
def expected(documents: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _contents(_write(tmp_path_factory.mktemp("w") / "ix", documents, _whoosh_writer))


def test_same_segment_as_whoosh(documents: list, expected: Any, tmp_path: Path) -> None:
    ix = _write(tmp_path / "ix", documents, QuoteSegmentWriter)
    got = _contents(ix)
    assert max(len(p[0]) for p in got["postings"].values()) > 128  # several blocks were written
    assert got == expected


def test_same_segment_with_postings_made_ahead(
    documents: list, expected: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Postings, stored bytes, lengths and column values made ahead give the same segment."""
    analyze = DocumentAnalyzer(build_schema())
    docs = [dict(doc, **{POSTINGS_KEY: analyze(doc)}) for doc in documents]
    prepared = []
    original = QuoteSegmentWriter._add_prepared

    def spy(self: QuoteSegmentWriter, *args: Any) -> None:
        prepared.append(True)
        original(self, *args)

    monkeypatch.setattr(QuoteSegmentWriter, "_add_prepared", spy)
    assert _contents(_write(tmp_path / "ix", docs, QuoteSegmentWriter)) == expected
    assert len(prepared) == len(docs)


def test_boosted_documents_made_ahead_match_whoosh(documents: list, tmp_path: Path) -> None:
    """Document and field boosts scale the weights as Whoosh's writer does."""
    analyze = DocumentAnalyzer(build_schema())
    boosted = []
    for number, doc in enumerate(documents[:40]):
        doc = dict(doc)
        if number % 3 == 0:
            doc["_boost"] = 2.0
        if number % 4 == 0:
            doc["_title_boost"] = 3.0
        boosted.append(doc)
    expected = _contents(_write(tmp_path / "whoosh", boosted, _whoosh_writer))
    made = [dict(doc, **{POSTINGS_KEY: analyze(doc)}) for doc in boosted]
    assert _contents(_write(tmp_path / "ours", made, QuoteSegmentWriter)) == expected
    plain = _contents(_write(tmp_path / "plain", documents[:40], QuoteSegmentWriter))
    assert plain["postings"] != expected["postings"]  # the boosts did change weights


def test_postings_for_another_schema_are_ignored(
    documents: list, expected: Any, tmp_path: Path
) -> None:
    bogus = ("another-schema", {"text": [(b"bogus", 1, 1.0, b"")]})
    docs = [dict(doc, **{POSTINGS_KEY: bogus}) for doc in documents]
    assert _contents(_write(tmp_path / "ix", docs, QuoteSegmentWriter)) == expected


@pytest.fixture(scope="module")
def expected_in_batches(
    documents: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> Any:
    """What Whoosh's own writer gives for the documents in three batches, merged by its
    default policy (read, never written to, by the tests comparing theirs with it)."""
    return _contents(
        _write(tmp_path_factory.mktemp("w3") / "ix", documents, _whoosh_writer, batches=3)
    )


def test_batches_and_merges_match_whoosh(
    documents: list, expected_in_batches: Any, tmp_path: Path
) -> None:
    ours = _write(tmp_path / "b", documents, QuoteSegmentWriter, batches=3)
    assert _contents(ours) == expected_in_batches


def test_overflow_to_whoosh_pool_matches(
    documents: list, expected: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spilled = []
    original = MemoryPostingPool._spill

    def spill(self: MemoryPostingPool) -> None:
        spilled.append(True)
        original(self)

    monkeypatch.setattr("statement_search.engines.whoosh.posting_pool.MEMORY_POSTINGS", 500)
    monkeypatch.setattr(MemoryPostingPool, "_spill", spill)
    assert _contents(_write(tmp_path / "ix", documents, QuoteSegmentWriter)) == expected
    assert spilled


def test_postings_folded_into_runs_match_whoosh(
    documents: list, expected: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Postings folded into several compact runs give the segment Whoosh writes."""
    runs = []
    original = MemoryPostingPool.fold

    def fold(self: MemoryPostingPool) -> Any:
        folded = original(self)
        runs.append(len(folded.runs))
        return folded

    monkeypatch.setattr("statement_search.engines.whoosh.posting_pool.FOLD_POSTINGS", 300)
    monkeypatch.setattr(MemoryPostingPool, "fold", fold)
    assert _contents(_write(tmp_path / "ix", documents, QuoteSegmentWriter)) == expected
    assert max(runs) >= 3  # a term's postings were joined from several runs


def test_folded_runs_merge_with_segments_as_whoosh_does(
    documents: list, expected_in_batches: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("statement_search.engines.whoosh.posting_pool.FOLD_POSTINGS", 300)
    ours = _write(tmp_path / "b", documents, QuoteSegmentWriter, batches=3)
    assert _contents(ours) == expected_in_batches


def test_pool_joins_a_terms_runs_in_docnum_order() -> None:
    pool = MemoryPostingPool(lambda: None)  # type: ignore[arg-type, return-value]
    pool.add_fields(0, [("text", [(b"b", 1, 1.0, b"p0"), (b"a", 1, 1.0, b"")])])
    pool.fold()
    pool.add_fields(1, [("text", [(b"b", 2, 2.0, b"p1")]), ("title", [(b"b", 1, 1.0, b"")])])
    pool.fold()
    pool.add_items("text", 2, [(b"b", 1, 1.0, b"p2")], 3.0)  # left unfolded
    assert pool.field_names() == {"text", "title"}
    got = [
        (field, term, list(docnums), list(weights), values)
        for field, term, (docnums, weights, values) in pool.sorted_terms()
    ]
    assert got == [
        ("text", b"a", [0], [1.0], [b""]),
        ("text", b"b", [0, 1, 2], [1.0, 2.0, 3.0], [b"p0", b"p1", b"p2"]),
        ("title", b"b", [1], [1.0], [b""]),
    ]
    assert [t for _, t, _ in pool.sorted_terms({"title"})] == [b"b"]
    assert pool.folded is not None
    folder = Path(pool.folded.folder)  # no index folder given: a temporary one
    assert len(list(folder.iterdir())) == 3
    pool.cleanup()
    assert not folder.exists()


def test_unknown_fields_are_refused_after_known_ones(documents: list, tmp_path: Path) -> None:
    """Checked field names are remembered per set of keys: other keys are checked again."""
    from whoosh.writing import UnknownFieldError

    tmp_path.joinpath("ix").mkdir()
    ix = whoosh_index.create_in(str(tmp_path / "ix"), build_schema())
    writer = QuoteSegmentWriter(ix)
    writer.add_document(**documents[0])
    with pytest.raises(UnknownFieldError):
        writer.add_document(**documents[1], colour="red")
    writer.add_document(**documents[1])
    assert writer.docnum == 2
    writer.cancel()


def test_fingerprint_survives_the_index_round_trip(tmp_path: Path) -> None:
    tmp_path.joinpath("ix").mkdir()
    ix = whoosh_index.create_in(str(tmp_path / "ix"), build_schema())
    reopened = whoosh_index.open_dir(str(tmp_path / "ix"))
    assert schema_fingerprint(reopened.schema) == schema_fingerprint(build_schema())
    assert schema_fingerprint(ix.schema) == schema_fingerprint(build_schema())


def test_every_text_field_of_the_schema_has_a_fast_indexer() -> None:
    schema = build_schema()
    text_fields = [
        name
        for name, field in schema.items()
        if field.format.__class__.__name__ in ("Positions", "Frequency")
        and type(field).__name__ == "TEXT"
    ]
    assert text_fields
    assert [n for n in text_fields if fast_indexer(schema[n]) is None] == []


_WORDS = st.sampled_from(
    [
        "The",
        "the",
        "peace",
        "Peace",
        "process",
        "a",
        "of",
        "U.S.",
        "don't",
        "it's",
        "2024",
        "Лукашенко",
        "naïve",
        "*",
        "x",
        "and",
        "talks",
        "talking",
        "e.g.",
        "co-operate",
        "—",
    ]
)
_TEXT = st.one_of(
    st.lists(_WORDS, max_size=30).map(" ".join),
    st.text(max_size=80),
)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_fast_indexer_gives_what_the_field_gives(text: str) -> None:
    schema = _SCHEMA
    for name, field in schema.items():
        indexer = fast_indexer(field)
        if indexer is None:
            continue
        # in Whoosh's order too (first occurrence): pickled results stay byte for byte
        assert indexer(text) == list(field.index(text)), name


@settings(max_examples=100, deadline=None)
@given(_TEXT)
def test_fast_indexer_weights_are_whole_numbers_as_ints(text: str) -> None:
    """In a field whose boost is a whole number, weights travel as ints (pickled without
    a float object each), equal to Whoosh's floats; in another, as Whoosh's floats."""
    for name, field in _SCHEMA.items():
        indexer = fast_indexer(field)
        if indexer is None:
            continue
        whole = float(field.format.field_boost).is_integer()
        for (_, _, weight, _), (_, _, expected, _) in zip(
            indexer(text), field.index(text), strict=True
        ):
            assert weight == expected, name
            assert type(weight) is (int if whole else type(expected)), name


_SCHEMA = build_schema()


def _commit_one_by_one(ix: Any, docs: list[dict[str, Any]]) -> list[int]:
    """Commit each document on its own with the tier policy; segment counts after each."""
    counts = []
    for doc in docs:
        writer = QuoteSegmentWriter(ix)
        writer.add_document(**doc)
        writer.commit(mergetype=merge_tiers)
        counts.append(len(ix._segments()))
    return counts


def test_small_commits_merge_by_tier(documents: list, tmp_path: Path) -> None:
    tmp_path.joinpath("ix").mkdir()
    ix = whoosh_index.create_in(str(tmp_path / "ix"), build_schema())
    docs = documents[: TIER_WIDTH * 3]
    counts = _commit_one_by_one(ix, docs)
    assert max(counts) <= TIER_WIDTH  # never more than a tier's width of one-document segments
    assert counts[TIER_WIDTH] < counts[TIER_WIDTH - 1]  # the first full tier was merged
    with ix.searcher() as searcher:
        assert searcher.doc_count() == len(docs)
        assert sorted(f["id"] for f in searcher.all_stored_fields()) == sorted(
            d["id"] for d in docs
        )


def test_deleted_segments_are_dropped_or_rewritten(documents: list, tmp_path: Path) -> None:
    tmp_path.joinpath("ix").mkdir()
    ix = whoosh_index.create_in(str(tmp_path / "ix"), build_schema())
    _commit_one_by_one(ix, documents[:3])
    writer = QuoteSegmentWriter(ix)
    writer.delete_by_term("id", documents[0]["id"])
    writer.add_document(**documents[3])
    writer.commit(mergetype=merge_tiers)
    with ix.searcher() as searcher:
        assert (
            searcher.doc_count_all() == 3
        )  # the emptied segment is gone, not kept with a deletion
    assert len(ix._segments()) == 3


def _merge_everything(writer: Any, segments: list[Any]) -> list[Any]:
    from whoosh.reading import SegmentReader

    for segment in segments:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return []


def _write_segments(path: Path, batches: list[list[dict[str, Any]]]) -> Any:
    """One unmerged segment per batch, written by our writer."""
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema())
    for batch in batches:
        writer = QuoteSegmentWriter(ix)
        for doc in batch:
            writer.add_document(**doc)
        writer.commit(mergetype=lambda writer, segments: segments)
    return ix


def _thirds(docs: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    size = -(-len(docs) // 3)
    return [docs[i : i + size] for i in range(0, len(docs), size)]


def test_merged_segments_equal_one_batch(documents: list, expected: Any, tmp_path: Path) -> None:
    """Merging reads and renumbers posting blocks; the result is the one-batch segment,
    field totals included (Whoosh's merge sums one-byte length approximations)."""
    ix = _write_segments(tmp_path / "ix", _thirds(documents))
    assert len(ix._segments()) == 3
    writer = QuoteSegmentWriter(ix)
    writer.commit(mergetype=_merge_everything)
    assert len(ix._segments()) == 1
    assert _contents(ix) == expected


def test_merge_with_new_documents_in_the_same_commit(
    documents: list, expected: Any, tmp_path: Path
) -> None:
    *earlier, last = _thirds(documents)
    ix = _write_segments(tmp_path / "ix", earlier)
    writer = QuoteSegmentWriter(ix)
    for doc in last:
        writer.add_document(**doc)
    writer.commit(mergetype=_merge_everything)
    got = _contents(ix)
    _assert_same_documents_reordered(got, expected)
    assert got["totals"] == expected["totals"]


def _assert_same_documents_reordered(got: Any, expected: Any) -> None:
    """New documents come before merged ones: the same index up to document order."""
    by_id = {doc[0]["id"]: doc for doc in got["docs"]}
    assert sorted(by_id) == sorted(doc[0]["id"] for doc in expected["docs"])
    assert [by_id[doc[0]["id"]] for doc in expected["docs"]] == expected["docs"]
    assert set(got["postings"]) == set(expected["postings"])
    for term, (listed, stats, _) in got["postings"].items():
        assert [p[1:] for p in listed] == [p[1:] for p in expected["postings"][term][0]]
        assert stats[:4] == expected["postings"][term][1][:4]  # ids differ: reordered


def test_merge_drops_deleted_documents(documents: list, tmp_path: Path) -> None:
    gone = {doc["id"] for doc in documents[5:40]}
    live = [doc for doc in documents if doc["id"] not in gone]
    reference = _contents(_write(tmp_path / "ref", live, QuoteSegmentWriter))
    ix = _write_segments(tmp_path / "ix", _thirds(documents))
    writer = QuoteSegmentWriter(ix)
    for doc_id in gone:
        writer.delete_by_term("id", doc_id)
    writer.commit(mergetype=lambda writer, segments: segments)
    writer = QuoteSegmentWriter(ix)
    writer.commit(mergetype=_merge_everything)
    got = _contents(ix)
    assert got["postings"] == reference["postings"]
    assert got["docs"] == reference["docs"]
    # a deleted document's exact lengths are gone: its one-byte approximations are subtracted
    for total, exact in zip(got["totals"], reference["totals"], strict=True):
        assert abs(total - exact) <= exact * 0.01


def test_merge_after_the_pool_spilled_matches(
    documents: list, expected: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch too big for memory merges the old segments through Whoosh's pool instead."""
    *earlier, last = _thirds(documents)
    ix = _write_segments(tmp_path / "ix", earlier)
    monkeypatch.setattr("statement_search.engines.whoosh.posting_pool.MEMORY_POSTINGS", 500)
    writer = QuoteSegmentWriter(ix)
    for doc in last:
        writer.add_document(**doc)
    assert writer.pool.overflow is not None
    writer.commit(mergetype=_merge_everything)
    _assert_same_documents_reordered(_contents(ix), expected)


def test_documents_added_after_a_merge(documents: list, expected: Any, tmp_path: Path) -> None:
    """Postings of documents added after `add_reader` are sorted in behind the merged ones."""
    from whoosh.reading import SegmentReader

    *earlier, last = _thirds(documents)
    ix = _write_segments(tmp_path / "ix", earlier)
    writer = QuoteSegmentWriter(ix)
    for segment in ix._segments():
        reader = SegmentReader(ix.storage, ix.schema, segment)
        writer.add_reader(reader)
        reader.close()
    for doc in last:
        writer.add_document(**doc)
    writer.commit(mergetype=lambda writer, segments: [])  # already merged above
    assert _contents(ix) == expected


def test_analyzer_reuses_postings_only_for_equal_values(documents: list) -> None:
    """Consecutive quotes of an article share field values; the reused postings must be
    the ones a fresh analysis gives, and a changed value must be analysed anew."""
    schema = build_schema()
    analyze = DocumentAnalyzer(schema)
    docs = documents[:5] + [dict(documents[5], title="Another title entirely")] + documents[6:9]
    for doc in docs:
        assert analyze(doc) == DocumentAnalyzer(schema)(doc)


def test_compact_term_index_writes_whoosh_bytes(tmp_path: Path) -> None:
    """Same keys and values: the same hash file, byte for byte, and readable by Whoosh."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.filedb.filetables import OrderedHashReader, OrderedHashWriter

    from statement_search.engines.whoosh.segment_format import CompactTermIndexWriter

    storage = FileStorage(str(tmp_path))
    keys = sorted({f"term{n * 7919 % 5003:05d}".encode() for n in range(3000)})
    for name, kind in (("whoosh", OrderedHashWriter), ("compact", CompactTermIndexWriter)):
        writer = kind(storage.create_file(name))
        writer.extras["fieldmap"] = {"text": 0}
        for key in keys:
            writer.add(key, key[::-1] * 3)
        writer.close()
    assert (tmp_path / "compact").read_bytes() == (tmp_path / "whoosh").read_bytes()
    reader = OrderedHashReader.open(storage, "compact")
    assert reader[keys[17]] == keys[17][::-1] * 3
    assert reader.closest_key(b"term0") == keys[0]
    with pytest.raises(ValueError):
        CompactTermIndexWriter(storage.create_file("bad")).add(b"", b"")


def test_writer_term_index_is_compact(tmp_path: Path) -> None:
    tmp_path.joinpath("ix").mkdir()
    ix = whoosh_index.create_in(str(tmp_path / "ix"), build_schema())
    writer = QuoteSegmentWriter(ix)
    from statement_search.engines.whoosh.segment_format import CompactTermIndexWriter

    assert type(writer.fieldwriter._tindex) is CompactTermIndexWriter
    writer.cancel()


def _whoosh_postings(schema: Any, doc: dict[str, Any]) -> dict[str, list[Any]]:
    """Each indexed field's postings as Whoosh's own `field.index` gives them, sorted."""
    return {
        name: sorted(schema[name].index(value))
        for name, value in doc.items()
        if not name.startswith("_") and value is not None and schema[name].indexed
    }


def _made(analyze: DocumentAnalyzer, doc: dict[str, Any]) -> dict[str, list[Any]]:
    return {name: sorted(items) for name, items in analyze(doc)[1].items()}


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=4), st.integers(0, 7))
def test_fields_sharing_a_tokenizer_get_their_own_terms(values: list[str], seed: int) -> None:
    """`text`, `exact`, `pairs` (and the other text fields) share one tokenizer pass per
    value; each must still get exactly the terms and positions its own chain gives."""
    doc: dict[str, Any] = {}
    for n, name in enumerate(("text", "exact", "pairs", "around", "title", "speaker")):
        doc[name] = values[(n * seed) % len(values)]
    analyze = DocumentAnalyzer(_SCHEMA)
    assert _made(analyze, doc) == _whoosh_postings(_SCHEMA, doc)
    assert _made(analyze, dict(doc, exact=doc["text"] + " and more")) == _whoosh_postings(
        _SCHEMA, dict(doc, exact=doc["text"] + " and more")
    )


def test_fields_share_matches_only_with_an_equal_tokenizer() -> None:
    """Two fields given one value, tokenized by different expressions: not shared."""
    from whoosh.analysis import LowercaseFilter as Lower
    from whoosh.analysis import RegexTokenizer, StemmingAnalyzer
    from whoosh.fields import TEXT

    schema = Schema(
        words=TEXT(analyzer=StemmingAnalyzer()),
        letters=TEXT(analyzer=RegexTokenizer(r"[a-z]") | Lower()),
        digits=TEXT(analyzer=RegexTokenizer(r"\d+") | Lower()),
    )
    doc = {"words": "Peace talks in 2024, talks", "letters": "", "digits": ""}
    doc["letters"] = doc["digits"] = doc["words"]
    assert _made(DocumentAnalyzer(schema), doc) == _whoosh_postings(schema, doc)


def test_remembered_values_and_encodings_are_whooshs(
    documents: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Postings of remembered words, numbers, topics and position lists are the ones
    Whoosh makes, also once a memo is full and starts over."""
    from whoosh.formats import Positions

    from statement_search.engines.whoosh import indexers, postings

    for module in (postings, indexers):  # values per field, words per text field
        monkeypatch.setattr(module, "MEMO_SIZE", 5)
    monkeypatch.setattr(indexers, "_POSITIONS_BYTES", {})
    analyze = DocumentAnalyzer(_SCHEMA)
    for doc in documents[:40] + documents[:5]:
        assert _made(analyze, doc) == _whoosh_postings(_SCHEMA, doc)
    for module in (postings, indexers):
        monkeypatch.setattr(module, "MEMO_SIZE", 10_000)
    analyze = DocumentAnalyzer(_SCHEMA)
    for doc in documents[:40]:
        analyze(doc)
    cached = indexers._POSITIONS_BYTES
    assert any(isinstance(key, tuple) for key in cached) and any(
        isinstance(key, int) for key in cached
    )
    for key, value in cached.items():
        assert value == Positions().encode(list(key) if isinstance(key, tuple) else [key])


def test_id_fields_take_the_whole_value_as_their_term() -> None:
    indexer = fast_indexer(_SCHEMA["speaker_key"])
    assert indexer is not None
    for value in ("", "vladimir putin", "Ünïcode  spaced,", "a\nb"):
        assert indexer(value) == list(_SCHEMA["speaker_key"].index(value))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab1_*.. \u00e9\u0416'’-,", max_size=40))
def test_word_finder_finds_the_words_of_the_tokenizer(text: str) -> None:
    from statement_search.engines.whoosh.indexers import _SAME_WORDS, word_finder

    expression = _SCHEMA["text"].analyzer.items[0].expression
    assert expression.pattern in _SAME_WORDS  # the faster pattern is the one in use
    words = [m.group() for m in expression.finditer(text)]
    assert word_finder(expression)(text) == words
    grouped = re.compile(r"(\w)+")  # findall would give the group: matches are used
    assert word_finder(grouped)(text) == [m.group() for m in grouped.finditer(text)]


def test_a_filter_giving_a_position_twice_keeps_both() -> None:
    """A `then` filter may give one term at one position twice (Whoosh lists it twice)."""
    from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer
    from whoosh.fields import TEXT

    class Twice(Filter):  # type: ignore[misc]
        def __call__(self, tokens: Any) -> Any:
            for token in tokens:
                text, pos = token.text, token.pos
                yield token
                token.text, token.pos = text, pos
                yield token

        def over_words(self, words: list[tuple[str, int]]) -> list[tuple[str, int]]:
            return [word for word in words for _ in (0, 1)]

    field = TEXT(analyzer=RegexTokenizer() | LowercaseFilter() | Twice(), phrase=True)
    indexer = fast_indexer(field)
    assert indexer is not None
    for text in ("peace talks", "talks, talks and talks"):
        assert indexer(text) == list(field.index(text))

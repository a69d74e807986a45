"""BM25F with lengths read from segment bytes scores every match as Whoosh's BM25F does."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from whoosh import fields, scoring
from whoosh import index as whoosh_index
from whoosh import query as wq

from statement_search.engines.whoosh.length_scores import (
    SegmentLengthBM25F,
    SegmentLengthScorer,
    segment_lengths,
)

WORDS = "war peace tax grain border court vote union trade bank".split()


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Any:
    schema = fields.Schema(
        body=fields.TEXT(), title=fields.TEXT(), tag=fields.KEYWORD(scorable=False)
    )
    folder: Path = tmp_path_factory.mktemp("length-scores")
    index = whoosh_index.create_in(str(folder), schema)
    rng = random.Random(3)
    for _segment in range(3):
        writer = index.writer()
        for n in range(400):
            body = " ".join(rng.choices(WORDS, k=rng.choice([1, 2, 5, 30, 300, 3000])))
            title = " ".join(rng.choices(WORDS, k=rng.randint(0, 3)))  # often none
            writer.add_document(body=body, title=title, tag=rng.choice(WORDS) if n % 3 else "")
        writer.commit(merge=False)
    writer = index.writer()
    for docnum in range(7, 1200, 23):
        writer.delete_document(docnum)
    writer.commit(merge=False)
    return index


QUERIES = [
    wq.Term("body", "war"),
    wq.Term("title", "tax", boost=0.5),
    wq.Or([wq.Term("body", "grain", boost=3.0), wq.Term("title", "grain")]),
    wq.And([wq.Term("body", "vote"), wq.Term("body", "bank")]),
    wq.AndMaybe(wq.Term("body", "court"), wq.Term("title", "court")),
    wq.Term("tag", "union"),
]


@pytest.mark.parametrize("query", QUERIES, ids=str)
def test_every_score_is_whooshs(ix: Any, query: wq.Query) -> None:
    with ix.searcher(weighting=scoring.BM25F()) as theirs:
        expected = [(hit.docnum, hit.score) for hit in theirs.search(query, limit=None)]
    with ix.searcher(weighting=SegmentLengthBM25F()) as ours:
        found = [(hit.docnum, hit.score) for hit in ours.search(query, limit=None)]
        top = [(hit.docnum, hit.score) for hit in ours.search(query, limit=5)]
    assert expected and found == expected  # the same floats, not just close
    assert top == expected[:5]


def test_segments_are_scored_through_their_bytes(ix: Any) -> None:
    with ix.searcher(weighting=SegmentLengthBM25F()) as searcher:
        for leaf, _offset in searcher.leaf_searchers():
            lengths = segment_lengths(leaf.reader(), "body")
            assert lengths is not None and len(lengths) == leaf.reader().doc_count_all()
            scorer = searcher.weighting.scorer(leaf, "body", "war")
            assert isinstance(scorer, SegmentLengthScorer)
            assert type(searcher.weighting.scorer(leaf, "tag", "war")) is scoring.WeightScorer
        assert segment_lengths(searcher.reader(), "body") is None  # several segments at once

"""The lazy optional boost finds the same hits with the same scores as Whoosh's AndMaybe."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields
from whoosh import index as whoosh_index
from whoosh import query as wq

from statement_search.engines.whoosh.optional_boost import LazyAndMaybe

WORDS = "war peace tax grain border court vote union trade bank".split()
DOCS = 900  # common words span several 128-posting blocks, so block quality matters


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Any:
    schema = fields.Schema(body=fields.TEXT(), title=fields.TEXT(field_boost=0.5))
    folder: Path = tmp_path_factory.mktemp("boost")
    ix = whoosh_index.create_in(str(folder), schema)
    rng = random.Random(8)
    for _segment in range(3):
        writer = ix.writer()
        for _ in range(DOCS // 3):
            body = " ".join(rng.choices(WORDS, k=rng.randint(1, 12)))
            title = " ".join(rng.choices(WORDS, k=rng.randint(0, 3)))
            writer.add_document(body=body, title=title)
        writer.commit(merge=False)
    with ix.searcher() as opened:
        yield opened


def _query(words: list[str], boost: float, kind: type) -> Any:
    required = wq.Or([wq.Term("body", w) for w in words])
    title = wq.Or([wq.Term("title", w) for w in words], boost=boost)
    return kind(required, title)


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=3, unique=True),
    boost=st.sampled_from([0.5, 2.0, 20.0]),
    allowed=st.none() | st.sets(st.integers(0, DOCS - 1), max_size=400),
    limit=st.sampled_from([1, 10, None]),
)
def test_same_hits_and_scores_as_and_maybe(
    searcher: Any, words: list[str], boost: float, allowed: set[int] | None, limit: int | None
) -> None:
    found = []
    for kind in (wq.AndMaybe, LazyAndMaybe):
        results = searcher.search(_query(words, boost, kind), filter=allowed, limit=limit)
        found.append([(hit.docnum, round(hit.score, 9)) for hit in results])
    assert found[0] == found[1]


def test_scores_every_match_with_its_title_words(searcher: Any) -> None:
    """Scoring only some matches (as a filtered search does) still adds the title's score
    wherever the title has the word."""
    lazy = _query(["war"], 2.0, LazyAndMaybe).matcher(searcher)
    eager = _query(["war"], 2.0, wq.AndMaybe).matcher(searcher)
    body_only = wq.Or([wq.Term("body", "war")]).matcher(searcher)
    scored = boosted = 0
    while eager.is_active():
        assert lazy.is_active() and lazy.id() == eager.id() == body_only.id()
        if eager.id() % 3 == 0:
            assert lazy.score() == pytest.approx(eager.score())
            scored += 1
            boosted += lazy.score() > body_only.score() + 1e-9
        eager.next()
        lazy.next()
        body_only.next()
    assert not lazy.is_active()
    assert scored > 50 and 0 < boosted < scored

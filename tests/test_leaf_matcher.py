"""Posting lists skip by binary search and decode blocks to the postings, and block state, of
Whoosh's own methods."""

from __future__ import annotations

import random
from types import MethodType
from typing import Any

import pytest
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import ReadTooFar

from statement_search.engines.whoosh import leaf_matcher

from .whoosh_reader import patched_reader

WORDS = "war peace tax grain border court vote union".split()
DOCS = 1500  # common words span many 128-posting blocks


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Any:
    rng = random.Random(5)
    weights = [8, 4, 2, 1, 1, 1, 1, 1]
    documents = (
        {
            "body": " ".join(rng.choices(WORDS, weights, k=rng.randint(1, 6))),  # weights over 1
            "tag": "once" if n % 3 else "",  # unit weights
        }
        for n in range(DOCS)
    )
    folder = tmp_path_factory.mktemp("leaf-matcher")
    with patched_reader(folder, documents, leaf_matcher.PATCH) as reader:
        yield reader


def _whooshs(matcher: Any) -> Any:
    """`matcher` running Whoosh's own methods."""
    for name, method in leaf_matcher.WHOOSH_METHODS.items():
        setattr(matcher, name, MethodType(method, matcher))
    return matcher


def _state(matcher: Any) -> tuple[Any, ...]:
    if not matcher.is_active():
        return ("inactive",)
    return (matcher.id(), matcher.block_max_id(), matcher.weight())


FIELD_WORDS = [("body", word) for word in WORDS] + [("tag", "once")]


@pytest.mark.parametrize(("field", "word"), FIELD_WORDS)
def test_skips_land_where_whooshs_walk_lands(reader: Any, field: str, word: str) -> None:
    rng = random.Random(word)
    for _trial in range(20):
        ours, theirs = reader.postings(field, word), _whooshs(reader.postings(field, word))
        assert type(ours) is W3LeafMatcher and W3LeafMatcher.skip_to is leaf_matcher.skip_to
        target = -1
        while theirs.is_active():
            target = max(0, target + rng.randint(-3, rng.choice([0, 1, 2, 5, 40, 130, 400])))
            theirs.skip_to(target)
            ours.skip_to(target)
            assert _state(ours) == _state(theirs), target
            if rng.random() < 0.3 and theirs.is_active():
                theirs.next()
                ours.next()
                assert _state(ours) == _state(theirs)
        with pytest.raises(ReadTooFar):
            ours.skip_to(target + 1)


@pytest.mark.parametrize(("field", "word"), FIELD_WORDS)
def test_blocks_decode_to_whooshs_ids_and_weights(reader: Any, field: str, word: str) -> None:
    ours, theirs = reader.postings(field, word), _whooshs(reader.postings(field, word))
    postings = 0
    while theirs.is_active():
        assert ours.is_active()
        assert (ours.id(), ours.weight()) == (theirs.id(), theirs.weight())
        assert type(ours.weight()) is type(theirs.weight())
        ours.next()
        theirs.next()
        postings += 1
    assert not ours.is_active() and postings > 128

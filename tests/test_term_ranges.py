"""Kept term lookups answer as Whoosh's hash table does: present, absent, frequencies, infos."""

from __future__ import annotations

import random
from types import MethodType
from typing import Any

import pytest
from whoosh.codec.whoosh3 import W3TermsReader
from whoosh.reading import TermNotFound

from statement_search.engines.whoosh import term_ranges

from .whoosh_reader import patched_reader

WORDS = [f"w{n}" for n in range(300)]


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Any:
    rng = random.Random(9)
    documents = (
        {"body": " ".join(rng.choices(WORDS, k=8)), "tag": rng.choice(WORDS[:20])}
        for _ in range(600)
    )
    folder = tmp_path_factory.mktemp("term-ranges")
    with patched_reader(folder, documents, term_ranges.PATCH) as reader:
        yield reader


def _answers(terms: Any, field: str, word: bytes) -> tuple[Any, ...]:
    present = (field, word) in terms
    try:
        info = terms.term_info(field, word)
        shown = (info.weight(), info.doc_frequency(), info.min_length(), info.max_weight())
    except TermNotFound:
        shown = None
    try:
        counts: Any = (terms.frequency(field, word), terms.doc_frequency(field, word))
    except KeyError:
        counts = "KeyError"
    return present, shown, counts


def test_kept_lookups_answer_as_the_hash_table(reader: Any) -> None:
    ours = reader._terms
    assert type(ours) is W3TermsReader and W3TermsReader.term_info is term_ranges.term_info
    theirs = W3TermsReader.__new__(W3TermsReader)
    theirs.__dict__.update({k: v for k, v in ours.__dict__.items() if k != "_kept_ranges"})
    for name, method in term_ranges.WHOOSH_METHODS.items():
        if name != "__contains__":
            setattr(theirs, name, MethodType(method, theirs))
    asked = [("body", w.encode()) for w in [*WORDS, "absent", "w1"]]
    asked += [("tag", w.encode()) for w in WORDS[:25]] + [("nofield", b"w1")]
    for _round in range(2):  # the second round answers from what the first kept
        for field, word in asked:
            expected = _answers(theirs, field, word)
            contains = term_ranges.WHOOSH_METHODS["__contains__"](theirs, (field, word))
            assert _answers(ours, field, word) == (contains, *expected[1:])
    assert len(ours.__dict__["_kept_ranges"]) == len(set(asked))
    assert any(_answers(ours, f, w)[1] is None for f, w in asked)

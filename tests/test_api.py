"""The package-root API: every exported name resolves, and the README's flow works."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import statement_search
from statement_search import QuoteIndex, extract_quotes, read_article

from .conftest import SEED


def test_every_exported_name_resolves() -> None:
    assert sorted(statement_search.__all__) == sorted(set(statement_search.__all__))
    for name in statement_search.__all__:
        assert getattr(statement_search, name) is not None


def test_unknown_attribute_is_an_attribute_error() -> None:
    try:
        statement_search.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_extract_then_index_then_search_returns_plain_dataclasses(tmp_path: Path) -> None:
    article = read_article(SEED)
    quotes = extract_quotes(article)
    assert len(quotes) == 38
    with QuoteIndex.build(tmp_path / "ix", [SEED]) as ix:
        hits = ix.search("negotiate", speaker="Putin", limit=3)
    assert hits and all(dataclasses.is_dataclass(hit) for hit in hits)
    assert all(hit.quote.speaker == "Vladimir Putin" for hit in hits)
    assert "whoosh" not in type(hits[0].quote).__module__
    assert statement_search.canonical_speaker("Alexander Lukashenka") == "Aleksandr Lukashenko"

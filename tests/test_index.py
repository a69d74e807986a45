"""Index round trip: files → QuoteIndex → quotes back out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from statement_search import QuoteIndex
from statement_search.errors import IndexNotFoundError, SchemaVersionError
from statement_search.index import META_FILE

ARTICLE = """Talks on grain exports

The minister met farmers on Monday.

"We will double grain exports to the south next year," Maria Novak said.
"""


@pytest.fixture()
def article_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "grain.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "notes.xyz").write_text("not an article", encoding="utf-8")
    return folder


def test_build_then_open_finds_the_quote(tmp_path: Path, article_dir: Path) -> None:
    QuoteIndex.build(tmp_path / "ix", [article_dir]).close()
    with QuoteIndex.open(tmp_path / "ix") as ix:
        assert ix.count() == 1
        [hit] = ix.search("exports")
    assert "double grain exports" in hit.quote.text
    assert hit.quote.title == "Talks on grain exports"
    assert hit.quote.path.endswith("grain.txt")


def test_add_reports_ignored_and_skipped(tmp_path: Path, article_dir: Path) -> None:
    ix = QuoteIndex.create(tmp_path / "ix")
    report = ix.add([article_dir, tmp_path / "missing.txt"])
    assert (report.articles, report.quotes, report.ignored) == (1, 1, 1)
    assert len(report.skipped) == 1 and "missing.txt" in report.skipped[0]


def test_reindexing_an_article_replaces_its_quotes(tmp_path: Path, article_dir: Path) -> None:
    ix = QuoteIndex.build(tmp_path / "ix", [article_dir])
    ix.add([article_dir])
    assert ix.count() == 1


def test_open_missing_index_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError, match="statement-search index"):
        QuoteIndex.open(tmp_path / "nothing")


def test_open_other_schema_version_says_rebuild(tmp_path: Path, article_dir: Path) -> None:
    QuoteIndex.build(tmp_path / "ix", [article_dir]).close()
    (tmp_path / "ix" / META_FILE).write_text(json.dumps({"schema_version": -1}))
    with pytest.raises(SchemaVersionError, match="rebuild"):
        QuoteIndex.open(tmp_path / "ix")

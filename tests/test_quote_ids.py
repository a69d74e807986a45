"""Stable quote ids: an edit elsewhere, a move and a rebuild keep every unchanged quote's id."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from statement_search import QuoteIndex, extract_quotes, read_article
from statement_search.models import article_identity, quote_id_for

ARTICLE = """Ferry talks resume

Transport minister Ilse Marrow met the ferry operators on Tuesday.

"The night ferry will run again from May," Marrow said.

The operators asked for more berths. "We need two more berths at the north pier," Marrow added.

"The night ferry will run again from May," she repeated at the end.
"""
EDITED = ARTICLE.replace(
    "The operators asked for more berths.", "The operators, who lost money, asked for berths."
)


def _ids(ix: QuoteIndex) -> dict[str, str]:
    return {h.quote.id: h.quote.text for h in ix.search("*", speaker="Marrow", limit=50)}


def test_an_edit_a_move_and_a_rebuild_keep_every_unchanged_quote_id(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ferry.txt").write_text(ARTICLE, encoding="utf-8")
    ix = QuoteIndex.build(tmp_path / "ix", [folder])
    before = _ids(ix)
    assert len(before) == 3  # the repeated quote gets an id of its own

    (folder / "ferry.txt").write_text(EDITED, encoding="utf-8")  # another paragraph changed
    ix.sync([folder])
    assert _ids(ix) == before

    (folder / "2024").mkdir()
    (folder / "ferry.txt").rename(folder / "2024" / "ferry-talks.txt")  # the file moved
    ix.sync([folder])
    assert _ids(ix) == before
    for quote_id in before:
        found = ix.get(quote_id)
        assert found is not None and found.path.endswith("ferry-talks.txt")
    ix.close()

    rebuilt = QuoteIndex.build(tmp_path / "rebuilt", [folder])
    assert _ids(rebuilt) == before
    rebuilt.close()


def test_a_changed_quote_gets_a_new_id_and_the_others_keep_theirs(tmp_path: Path) -> None:
    path = tmp_path / "ferry.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    old = [q.id for q in extract_quotes(read_article(path))]
    path.write_text(ARTICLE.replace("two more berths", "three more berths"), encoding="utf-8")
    new = [q.id for q in extract_quotes(read_article(path))]
    assert old[0] == new[0] and old[2] == new[2] and old[1] != new[1]


def test_identity_prefers_url_then_title_and_date_then_file_name() -> None:
    day = dt.date(2024, 5, 1)
    assert article_identity("https://www.Example.org/a/b/#top", "T", day, "x.txt") == (
        article_identity("http://example.org/a/b", "Other", None, "y.txt")
    )
    assert article_identity(None, "Ferry  talks", day, "a/x.txt") == (
        article_identity(None, "ferry talks", day, "b/y.txt")
    )
    assert article_identity(None, "Ferry talks", day, "x.txt") != (
        article_identity(None, "Ferry talks", None, "x.txt")
    )
    assert article_identity(None, "", None, "a/X.txt") == article_identity(
        None, "", None, "b/x.txt"
    )
    assert quote_id_for("t", "We will win.") == quote_id_for("t", "“we will win”")
    assert quote_id_for("t", "We will win.", 1) != quote_id_for("t", "We will win.")

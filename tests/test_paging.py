"""Pages of hits: totals, copies of one utterance collapsed, kinds, the page past the end."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from statement_search import QuoteIndex
from statement_search.cli import main
from statement_search.errors import QueryError

from .search_corpus import build_index, make_quotes

ORIGINAL = make_quotes()[0]  # a1-0, Lukashenko on sanctions, 2024-04-12, president.gov.by


def _copy(article: str, source: str, day: int, **changes: object) -> object:
    return dataclasses.replace(
        ORIGINAL,
        id=f"{article}-0",
        article_id=article,
        source=source,
        date=dt.date(2024, 4, day),
        url=f"https://{source}/{article}",
        **changes,
    )


@pytest.fixture(scope="module")
def copies_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("paging") / "index"
    more = [
        _copy("c1", "later.example", 20),
        _copy("c2", "earlier.example", 2),
        _copy("c3", "other.example", 3, speaker="Vladimir Putin"),  # another speaker: not a copy
        _copy("q1", "press.example", 5, kind="question", text="Will sanctions hurt the people?"),
    ]
    build_index(path, more).close()
    return path


def test_copies_collapse_into_the_earliest_with_the_others_listed(copies_index: Path) -> None:
    ix = QuoteIndex.open(copies_index)
    page = ix.search_page("sanctions hurt", kind="quote")
    ids = [h.quote.id for h in page.hits]
    assert "c2-0" in ids and "a1-0" not in ids and "c1-0" not in ids and "c3-0" in ids
    [merged] = [h for h in page.hits if h.quote.id == "c2-0"]
    assert [q.id for q in merged.also] == ["a1-0", "c1-0"]  # earliest first
    assert page.total == 4  # every copy counts
    flat = ix.search_page("sanctions hurt", kind="quote", collapse=False)
    assert {"a1-0", "c1-0", "c2-0"} <= {h.quote.id for h in flat.hits}
    assert all(h.also == [] for h in flat.hits)


def test_kinds_select_quotes_turns_and_questions(copies_index: Path) -> None:
    ix = QuoteIndex.open(copies_index)
    assert "q1-0" in [h.quote.id for h in ix.search("sanctions")]  # search: every kind
    assert "q1-0" not in [h.quote.id for h in ix.search("sanctions", kind="quote,turn")]
    assert [h.quote.id for h in ix.search("sanctions", kind="question")] == ["q1-0"]
    assert ix.total("sanctions", kind="question") == 1
    with pytest.raises(QueryError, match="kind 'speech'"):
        ix.search("sanctions", kind="speech")


def _run(copies_index: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["search", *args, "--index", str(copies_index)])


def test_text_output_says_where_the_page_sits_and_lists_other_sources(copies_index: Path) -> None:
    result = _run(copies_index, "sanctions", "--kind", "quote", "--limit", "2")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[-1] == "1–2 of 5"
    assert (
        "   also in 2 sources: president.gov.by (2024-04-12), later.example (2024-04-20)" in lines
    )


def test_json_lists_the_other_sources_and_no_collapse_shows_each(copies_index: Path) -> None:
    data = json.loads(_run(copies_index, "sanctions hurt", "--format", "json").stdout)
    [merged] = [h for h in data["hits"] if h["id"] == "c2-0"]
    assert [a["source"] for a in merged["also_in"]] == ["president.gov.by", "later.example"]
    flat = json.loads(
        _run(copies_index, "sanctions hurt", "--no-collapse", "--format", "json").stdout
    )
    assert flat["total"] == data["total"] and len(flat["hits"]) > len(data["hits"])


def test_a_page_past_the_end_says_how_many_match(copies_index: Path) -> None:
    result = _run(copies_index, "sanctions", "--offset", "50", "--limit", "10")
    assert result.exit_code == 1
    assert "statement-search: 6 quotes match; page 6 is past the end" in result.stderr


def test_total_counts_like_whoosh_through_and_or_not_and_phrases(copies_index: Path) -> None:
    ix = QuoteIndex.open(copies_index)
    searcher = ix.engine.searcher()
    for query in (
        "sanctions",
        "sanctions OR peace",
        "sanctions NOT energy",
        '"the people"',
        "sanc*",
    ):
        from statement_search.engines.whoosh.search import parse_query, runnable

        expected = set(searcher.docs_for_query(runnable(parse_query(searcher, query))))
        assert ix.total(query) == len(expected), query
    assert ix.total("*", speaker="Putin") == 4 and ix.total("sanctions", source="kremlin.ru") == 1


def test_total_leaves_out_deleted_quotes(tmp_path: Path) -> None:
    ix = build_index(tmp_path / "index")
    before = ix.total("sanctions OR peace")
    writer = ix.engine._ix.writer()
    writer.delete_by_term("id", "a1-0")  # a sanctions quote, in a segment that keeps it deleted
    writer.commit(merge=False)
    assert ix.total("sanctions OR peace") == before - 1
    assert ix.total("sanctions") == len(ix.search("sanctions"))

"""Index round trip: files → QuoteIndex → quotes back out."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from statement_search import QuoteIndex
from statement_search.engines.index import META_FILE
from statement_search.engines.whoosh.schema import SCHEMA_VERSION
from statement_search.errors import IndexNotFoundError, SchemaVersionError
from statement_search.ingest.preparing import default_workers

from .conftest import fast_path_only

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
    assert (report.added, report.articles, report.quotes, report.ignored) == (1, 1, 1, 1)
    assert report.skipped == 1 and "missing.txt" in report.errors[0]


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


def _article(title: str, words: str) -> str:
    return f'{title}\n\nThe minister spoke on Monday.\n\n"{words}," Maria Novak said.\n'


def _texts(ix: QuoteIndex) -> list[str]:
    return sorted(doc["text"].rstrip(",.") for doc in ix.engine.searcher().documents())


def test_sync_adds_updates_removes_and_skips_unchanged(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(_article("A", "We will build the northern bridge"))
    (folder / "b.txt").write_text(_article("B", "Taxes will not rise this year"))
    ix = QuoteIndex.build(tmp_path / "ix", [folder])
    (folder / "a.txt").write_text(_article("A", "We will build the southern bridge"))
    (folder / "b.txt").unlink()
    (folder / "c.txt").write_text(_article("C", "Schools reopen in September"))
    report = ix.sync([folder])
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 0)
    assert (report.articles, report.quotes) == (2, 2)
    assert _texts(ix) == ["Schools reopen in September", "We will build the southern bridge"]


def test_touched_but_unchanged_file_is_not_reindexed(tmp_path: Path, article_dir: Path) -> None:
    ix = QuoteIndex.build(tmp_path / "ix", [article_dir])
    grain = article_dir / "grain.txt"
    os.utime(grain, ns=(grain.stat().st_atime_ns, grain.stat().st_mtime_ns + 10**9))
    report = ix.sync([article_dir])
    assert (report.added, report.updated, report.unchanged) == (0, 0, 1)
    assert ix.count() == 1


def test_add_never_removes(tmp_path: Path, article_dir: Path) -> None:
    ix = QuoteIndex.build(tmp_path / "ix", [article_dir])
    other = tmp_path / "other.txt"
    other.write_text(_article("O", "Rail fares are frozen"))
    (article_dir / "grain.txt").unlink()
    report = ix.add([other])
    assert (report.added, report.removed, report.quotes) == (1, 0, 2)


def test_sync_of_a_deleted_folder_removes_its_articles(tmp_path: Path, article_dir: Path) -> None:
    ix = QuoteIndex.build(tmp_path / "ix", [article_dir])
    for file in article_dir.iterdir():
        file.unlink()
    article_dir.rmdir()
    report = ix.sync([article_dir])  # moved or unmounted, perhaps: kept
    assert (report.removed, report.skipped, report.articles, report.quotes) == (0, 1, 1, 1)
    report = ix.sync([article_dir], prune=True)
    assert (report.removed, report.skipped, report.articles, report.quotes) == (1, 0, 0, 0)


def test_same_content_under_two_paths_is_indexed_once(tmp_path: Path, article_dir: Path) -> None:
    (article_dir / "copy.txt").write_text(ARTICLE, encoding="utf-8")
    ix = QuoteIndex.create(tmp_path / "ix")
    report = ix.sync([article_dir])
    assert (report.added, report.duplicates, report.quotes) == (1, 1, 1)
    assert ix.sync([article_dir]).quotes == 1  # and stays once


def test_duplicate_is_indexed_when_its_original_goes(tmp_path: Path, article_dir: Path) -> None:
    (article_dir / "copy.txt").write_text(ARTICLE, encoding="utf-8")
    ix = QuoteIndex.build(tmp_path / "ix", [article_dir])
    (article_dir / "copy.txt").unlink()  # copy.txt sorts first: it was the original
    report = ix.sync([article_dir])
    assert (report.removed, report.updated, report.quotes) == (1, 1, 1)
    [hit] = ix.search("exports")
    assert hit.quote.path.endswith("grain.txt")


def test_stats_count_articles_without_quotes(tmp_path: Path, article_dir: Path) -> None:
    (article_dir / "quiet.txt").write_text("Quiet day\n\nNothing was said at all.\n")
    ix = QuoteIndex.build(tmp_path / "ix", [article_dir])
    stats = ix.stats()
    assert (stats.articles, stats.quotes, stats.schema_version) == (2, 1, SCHEMA_VERSION)
    assert stats.topics >= 0 and stats.index_bytes > 0 and stats.last_updated


def test_stats_ignore_deleted_documents(tmp_path: Path, article_dir: Path) -> None:
    ix = QuoteIndex.build(tmp_path / "ix", [article_dir])
    assert ix.stats().speakers <= 1
    (article_dir / "grain.txt").write_text(_article("A", "Nothing about grain"))
    ix.sync([article_dir])
    assert ix.stats().topics <= 1  # the grain quote's topics went with it


def test_optimize_merges_segments_and_keeps_documents(tmp_path: Path) -> None:
    ix = QuoteIndex.create(tmp_path / "ix")
    for n in range(4):
        file = tmp_path / f"n{n}.txt"
        file.write_text(_article(f"N{n}", f"Number {n} will be done"))
        ix.add([file])
    assert ix.optimize() >= 1
    assert ix.count() == 4
    assert len(ix.engine._ix._segments()) == 1


@fast_path_only
def test_optimize_of_a_large_index_writes_its_merge_in_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statement_search.engines.whoosh import merge_parts

    ix = QuoteIndex.create(tmp_path / "ix")
    for n in range(3):
        file = tmp_path / f"n{n}.txt"
        file.write_text(_article(f"N{n}", f"Number {n} will be done"))
        ix.add([file])
    helpers_seen = []
    write_in_parts = merge_parts.write_in_parts

    def spy(*args: Any) -> None:
        helpers_seen.append(args[-1])
        write_in_parts(*args)

    monkeypatch.setattr("statement_search.engines.whoosh.segment_writer.write_in_parts", spy)
    monkeypatch.setattr("statement_search.engines.whoosh.segment_writer.PARTS_MIN_DOCUMENTS", 1)
    ix.optimize()
    assert [count for _, count in helpers_seen] == [default_workers()]
    assert ix.count() == 3 and len(ix.engine._ix._segments()) == 1
    assert ix.search("done")


def test_stats_and_optimize_of_an_index_without_manifest(tmp_path: Path, article_dir: Path) -> None:
    ix = QuoteIndex.build(tmp_path / "ix", [article_dir])
    (tmp_path / "ix" / "manifest.sqlite").unlink()  # e.g. written by an older version
    assert ix.stats().articles == 1
    ix.optimize()
    assert not (tmp_path / "ix" / "manifest.sqlite").exists() and ix.count() == 1


def test_reader_sees_another_writers_reindex_without_deleted_quotes(
    tmp_path: Path, article_dir: Path
) -> None:
    QuoteIndex.build(tmp_path / "ix", [article_dir]).close()
    reader = QuoteIndex.open(tmp_path / "ix")
    assert reader.search("double")  # opens the reused searcher on the first state
    (article_dir / "grain.txt").write_text(
        ARTICLE.replace("double grain exports", "halve wheat sales"), encoding="utf-8"
    )
    with QuoteIndex.open(tmp_path / "ix") as writer:
        writer.sync([article_dir])
    assert reader.search("double") == []
    assert reader.search("wheat")


def test_a_file_holding_an_indexed_article_indexes_the_rest(tmp_path: Path) -> None:
    """An article already indexed from another file is skipped; the file's others are not."""
    import json

    grain = {"title": "Grain", "text": _article("Grain", "Grain exports will double")}
    fares = {"title": "Fares", "text": _article("Fares", "Rail fares are frozen")}
    (tmp_path / "a.jsonl").write_text(json.dumps(grain) + "\n")
    (tmp_path / "b.jsonl").write_text(json.dumps(grain) + "\n" + json.dumps(fares) + "\n")
    ix = QuoteIndex.build(tmp_path / "ix", [tmp_path / "a.jsonl", tmp_path / "b.jsonl"])
    assert _texts(ix) == ["Grain exports will double", "Rail fares are frozen"]
    [hit] = ix.search("fares")
    assert (hit.quote.speaker, hit.quote.path) == ("Maria Novak", str(tmp_path / "b.jsonl"))


def test_indexing_restores_automatic_garbage_collection(tmp_path: Path, article_dir: Path) -> None:
    """A run switches the collector off (it collects per batch) and hands it back as it was."""
    import gc

    seen: list[bool] = []
    QuoteIndex.build(tmp_path / "ix", [article_dir], progress=lambda _: seen.append(gc.isenabled()))
    assert seen and not any(seen) and gc.isenabled()
    gc.disable()
    try:
        QuoteIndex.open(tmp_path / "ix").sync([article_dir])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_each_batch_writer_is_collected_with_its_batch(
    tmp_path: Path, article_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A committed writer (a cycle) is freed by the batch's collection, not kept for the run."""
    import gc

    from statement_search.engines.whoosh.segment_writer import QuoteSegmentWriter
    from statement_search.ingest import syncing

    for n in range(3):
        (article_dir / f"more{n}.txt").write_text(ARTICLE.replace("grain", f"oil{n}"), "utf-8")
    flush = syncing.Syncer.flush
    alive: list[int] = []

    def writers() -> int:
        return sum(type(o) is QuoteSegmentWriter for o in gc.get_objects())

    def counted(self: Any) -> None:
        flush(self)
        alive.append(writers())

    gc.collect()  # earlier tests' garbage
    before = writers()
    monkeypatch.setattr(syncing.Syncer, "flush", counted)
    QuoteIndex.create(tmp_path / "ix").sync([article_dir], batch_articles=1, workers=0)
    assert len(alive) >= 4
    assert set(alive) == {before}


@fast_path_only
def test_a_large_batch_is_committed_before_its_tier_merge(
    tmp_path: Path, article_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large batch commits with no merge, then a commit of its own merges a full tier."""
    from statement_search.engines.whoosh import segment_merge
    from statement_search.engines.whoosh import writer as whoosh_writer
    from statement_search.ingest import syncing

    for n in range(6):
        (article_dir / f"more{n}.txt").write_text(ARTICLE.replace("grain", f"oil{n}"), "utf-8")
    monkeypatch.setattr(segment_merge, "TIER_WIDTH", 3)
    monkeypatch.setattr(whoosh_writer, "SEPARATE_MERGE_QUOTES", 1)
    commits: list[tuple[str, int]] = []  # (merge policy, segments before the commit)
    commit = syncing.Syncer._open_writer

    def opened(self: Any) -> Any:
        writer = commit(self)
        original = writer.writer.commit

        def spy(mergetype: Any = None, **kwargs: Any) -> None:
            commits.append((mergetype.__name__, len(self.target.ix._segments())))
            original(mergetype=mergetype, **kwargs)

        writer.writer.commit = spy
        return writer

    monkeypatch.setattr(syncing.Syncer, "_open_writer", opened)
    monkeypatch.setattr(
        whoosh_writer, "give_back_freed_memory", lambda: commits.append(("give back", 0))
    )
    ix = QuoteIndex.create(tmp_path / "ix")
    ix.sync([article_dir], batch_articles=1, workers=0)
    # freed memory goes back after each batch and each merge, so a merge starts from less
    for before, after in zip(commits, commits[1:], strict=False):
        if before[0] != "give back":
            assert after[0] == "give back"
    commits = [commit for commit in commits if commit[0] != "give back"]
    batches = [n for name, n in commits if name == "keep_segments"]
    merges = [n for name, n in commits if name == "merge_tiers"]
    assert len(batches) == 7
    # a tier (1-9 quotes) fills at the 3rd, 5th and 7th batch: 1+1+1, 3+1+1, 5+1+1
    assert merges == [3, 3, 3]
    assert [s.doc_count() for s in ix.engine._ix._segments()] == [7]
    assert ix.count() == 7
    assert len(ix.search("exports", limit=20)) == 7


def test_a_run_clears_postings_a_killed_writer_folded(tmp_path: Path, article_dir: Path) -> None:
    from statement_search.engines.whoosh.pool_runs import RUN_FILE_PREFIX

    ix = QuoteIndex.create(tmp_path / "ix")
    stale = tmp_path / "ix" / f"{RUN_FILE_PREFIX}99-1-0"
    stale.write_bytes(b"postings of a batch never committed")
    ix.sync([article_dir])
    assert not stale.exists()
    assert ix.count() == 1


def test_batches_collect_only_the_youngest_generation(
    tmp_path: Path, article_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch's garbage is collected without walking the calling program's older objects."""
    import gc

    from statement_search.ingest import syncing

    collected: list[int] = []
    monkeypatch.setattr(syncing.gc, "collect", lambda generation=2: collected.append(generation))
    ix = QuoteIndex.create(tmp_path / "ix")
    ix.sync([article_dir], batch_articles=1)
    assert collected == [0]
    collected.clear()
    (article_dir / "more.txt").write_text(ARTICLE.replace("grain", "oil"), encoding="utf-8")
    gc.disable()
    try:
        report = ix.sync([article_dir], batch_articles=1)
    finally:
        gc.enable()
    assert report.added == 1
    assert collected == []  # collection the program turned off stays its business


def test_build_refuses_to_overwrite_unless_asked(tmp_path: Path, article_dir: Path) -> None:
    from statement_search.errors import IndexExistsError

    QuoteIndex.build(tmp_path / "ix", [article_dir]).close()
    with pytest.raises(IndexExistsError, match="already exists"):
        QuoteIndex.build(tmp_path / "ix", [article_dir])
    with QuoteIndex.build(tmp_path / "ix", [article_dir], overwrite=True) as ix:
        assert ix.count() == 1


def test_an_index_inside_its_corpus_is_not_read(tmp_path: Path, article_dir: Path) -> None:
    with QuoteIndex.build(article_dir / "ix", [article_dir]) as ix:
        report = ix.sync([article_dir])
        assert (report.added, report.skipped, report.unchanged) == (0, 0, 1)
        assert ix.stats().articles == 1


def _many_articles(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    files = []
    for n in range(count):
        path = folder / f"a{n:02d}.txt"
        path.write_text(_article(f"Talk {n}", f"harvest number {n}"), encoding="utf-8")
        files.append(path)
    return files


def test_remove_takes_articles_out_without_a_rebuild(tmp_path: Path) -> None:
    files = _many_articles(tmp_path / "c", 4)
    with QuoteIndex.build(tmp_path / "ix", [tmp_path / "c"]) as ix:
        before = ix.count()
        report = ix.remove([files[0]])
        assert report.removed == 1 and ix.count() < before
        assert ix.remove([tmp_path / "elsewhere"]).removed == 0
        assert sum(c.count for c in ix.speakers()) == ix.count()


def test_a_missing_root_or_a_mass_removal_keeps_the_articles(tmp_path: Path) -> None:
    files = _many_articles(tmp_path / "c", 14)
    with QuoteIndex.build(tmp_path / "ix", [tmp_path / "c"]) as ix:
        count = ix.count()
        (tmp_path / "c").rename(tmp_path / "moved")
        report = ix.sync([tmp_path / "c"])
        assert report.removed == 0 and ix.count() == count and "kept" in report.errors[0]
        (tmp_path / "moved").rename(tmp_path / "c")
        for file in files[:12]:
            file.unlink()
        report = ix.sync([tmp_path / "c"])
        assert report.removed == 0 and ix.count() == count and "--prune" in report.errors[0]
        report = ix.sync([tmp_path / "c"], prune=True)
        assert report.removed == 12 and report.articles == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_an_unreadable_folder_keeps_its_articles(tmp_path: Path) -> None:
    _many_articles(tmp_path / "c", 3)
    (tmp_path / "c" / "sub").mkdir()
    (tmp_path / "c" / "sub" / "x.txt").write_text(_article("X", "rail fares"), encoding="utf-8")
    with QuoteIndex.build(tmp_path / "ix", [tmp_path / "c"]) as ix:
        count = ix.count()
        (tmp_path / "c" / "sub").chmod(0)
        try:
            report = ix.sync([tmp_path / "c"])
        finally:
            (tmp_path / "c" / "sub").chmod(0o755)
        assert report.removed == 0 and ix.count() == count
        assert any("kept" in e for e in report.errors)

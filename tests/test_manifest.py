"""The manifest: rows per source and article, write-ahead `pending`, and recovery with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from statement_search import QuoteIndex
from statement_search.ingest.manifest import MANIFEST_FILE, ArticleEntry, Manifest, SourceEntry


def _entry(path: str, digest: str = "h1") -> SourceEntry:
    return SourceEntry(path=path, size=10, mtime_ns=5, hash=digest)


def test_finish_batch_records_sources_and_articles(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path)
    manifest.begin_batch(["a1"])
    assert manifest.pending() == ["a1"]
    manifest.finish_batch([(_entry("/x/a.txt"), [ArticleEntry("a1", "/x/a.txt", "c1", ["a1-0"])])])
    assert manifest.pending() == []
    assert manifest.source("/x/a.txt") == _entry("/x/a.txt")
    assert manifest.article_ids("/x/a.txt") == ["a1"]
    assert manifest.sources_of_content("c1") == ["/x/a.txt"]
    assert manifest.counts() == (1, 1) and manifest.get_meta("last_updated")


def test_update_replaces_articles_and_removal_drops_them(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path)
    manifest.finish_batch([(_entry("/x/a.txt"), [ArticleEntry("a1", "/x/a.txt", "c1", [])])])
    manifest.finish_batch([(_entry("/x/a.txt", "h2"), [ArticleEntry("a2", "/x/a.txt", "c2", [])])])
    assert manifest.article_ids("/x/a.txt") == ["a2"] and manifest.source("/x/a.txt").hash == "h2"
    manifest.finish_batch([], removals=["/x/a.txt"])
    assert manifest.counts() == (0, 0) and manifest.source("/x/a.txt") is None


def test_manifest_survives_reopening(tmp_path: Path) -> None:
    Manifest(tmp_path).finish_batch([(_entry("/x/a.txt"), [])])
    assert Manifest.exists_in(tmp_path)
    assert [s.path for s in Manifest(tmp_path).sources()] == ["/x/a.txt"]


def _article(n: int) -> str:
    return f'Note {n}\n\nThe mayor spoke.\n\n"Road {n} opens in May," Ola Dahl said.\n'


def test_crash_between_whoosh_commit_and_manifest_leaves_no_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "n1.txt").write_text(_article(1))
    ix = QuoteIndex.build(tmp_path / "ix", [folder])
    (folder / "n2.txt").write_text(_article(2))

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # the process dies right after Whoosh committed

    with monkeypatch.context() as patch:
        patch.setattr(Manifest, "finish_batch", killed)
        with pytest.raises(KeyboardInterrupt):
            ix.sync([folder])
    assert ix.count() == 2  # Whoosh has n2, the manifest does not know it yet

    report = ix.sync([folder])
    assert (report.added, report.unchanged, report.quotes) == (1, 1, 2)
    assert sorted(Path(d["path"]).name for d in ix.engine.searcher().documents()) == [
        "n1.txt",
        "n2.txt",
    ]


def test_index_without_manifest_is_emptied_before_writing(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "n1.txt").write_text(_article(1))
    (folder / "n2.txt").write_text(_article(2))
    ix = QuoteIndex.build(tmp_path / "ix", [folder])
    (tmp_path / "ix" / MANIFEST_FILE).unlink()  # as if killed inside `create`
    report = ix.add([folder / "n1.txt"])
    assert (report.added, report.articles, report.quotes) == (1, 1, 1)

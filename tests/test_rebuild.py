"""A rebuild is built beside the index and swapped in: a reader sees the old index until the
new one is complete, and a failed rebuild leaves the old index as it was."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from statement_search import QuoteIndex
from statement_search.cli import run
from statement_search.engines import tantivy_available
from statement_search.ingest.sync_report import Progress
from statement_search.ingest.syncing import Syncer

from .conftest import SEED

ENGINES = [
    "whoosh",
    pytest.param(
        "tantivy",
        marks=pytest.mark.skipif(not tantivy_available(), reason="tantivy is not installed"),
    ),
]
SPEAKERS = ("Anna Lee", "Boris Kent", "Carla Moss")


def _new_corpus(folder: Path) -> Path:
    folder.mkdir()
    for n, name in enumerate(SPEAKERS):
        (folder / f"{n}.txt").write_text(
            f"Harbour plans {n}\n\n{name} said “the harbour will reopen in spring, "
            f"and the ferries will run every {n + 2} hours”.\n",
            encoding="utf-8",
        )
    return folder


def _seen(path: Path) -> tuple[int, bool]:
    """What a reader opening the index now finds: its quotes, and whether "harbour" does."""
    with QuoteIndex.open(path) as ix:
        return ix.count(), bool(ix.search("harbour"))


@pytest.mark.parametrize("engine", ENGINES)
def test_readers_see_the_old_index_until_the_rebuild_is_complete(
    tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "ix"
    QuoteIndex.build(index, [SEED], engine=engine).close()
    old = _seen(index)
    assert old[0] > 3 and not old[1]
    seen: list[tuple[int, bool]] = []

    def reading(progress: Progress) -> None:
        seen.append(_seen(index))

    flush = Syncer.flush

    def read_then_flush(self: Syncer) -> None:  # a reader just before each commit
        seen.append(_seen(index))
        flush(self)

    monkeypatch.setattr(Syncer, "flush", read_then_flush)
    corpus = _new_corpus(tmp_path / "corpus")
    rebuilt = QuoteIndex.build(
        index, [corpus], overwrite=True, engine=engine, progress=reading, batch_articles=1
    )
    assert len(seen) >= 6 and set(seen) == {old}  # never empty, never half-built
    assert rebuilt.count() == 3 and rebuilt.engine_name == engine
    rebuilt.close()
    assert _seen(index) == (3, True)
    with QuoteIndex.open(index) as ix:
        assert {f.name for f in ix.speakers()} == set(SPEAKERS)
    assert not (index / ".rebuild").exists()
    # The rebuilt index is an ordinary one: it syncs, and a second rebuild swaps again.
    report = QuoteIndex.open(index).sync([corpus])
    assert report.unchanged == 3 and report.added == 0
    QuoteIndex.build(index, [SEED], overwrite=True, engine=engine).close()
    assert _seen(index) == old


@pytest.mark.parametrize("engine", ENGINES)
def test_a_failed_rebuild_leaves_the_old_index_intact(tmp_path: Path, engine: str) -> None:
    index = tmp_path / "ix"
    QuoteIndex.build(index, [SEED], engine=engine).close()
    old = _seen(index)
    files = sorted(p.name for p in index.rglob("*") if p.name != "statement-search.lock")

    def fail(progress: Progress) -> None:
        if progress.files_done == 2:
            raise RuntimeError("disk pulled")

    corpus = _new_corpus(tmp_path / "corpus")
    with pytest.raises(RuntimeError, match="disk pulled"):
        QuoteIndex.build(index, [corpus], overwrite=True, engine=engine, progress=fail)
    assert _seen(index) == old
    assert sorted(p.name for p in index.rglob("*") if p.name != "statement-search.lock") == files
    assert QuoteIndex.open(index).sync([SEED]).unchanged == 1


def test_index_rebuild_on_the_command_line_swaps_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    index = tmp_path / "ix"
    QuoteIndex.build(index, [SEED]).close()
    old = _seen(index)
    seen: list[Any] = []
    flush = Syncer.flush

    def read_then_flush(self: Syncer) -> None:
        seen.append(_seen(index))
        flush(self)

    monkeypatch.setattr(Syncer, "flush", read_then_flush)
    corpus = _new_corpus(tmp_path / "corpus")
    argv = ["statement-search", "index", str(corpus), "--index", str(index), "--rebuild"]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as exit_:
        run()
    assert exit_.value.code == 0, capsys.readouterr().err
    assert seen and set(seen) == {old}
    assert _seen(index) == (3, True)
    assert "indexed 3 articles, 3 quotes" in capsys.readouterr().out


def test_a_killed_rebuilds_staging_is_ignored_then_cleared(tmp_path: Path) -> None:
    index = tmp_path / "ix"
    QuoteIndex.build(index, [SEED]).close()
    old = _seen(index)
    left = index / ".rebuild"  # what a rebuild killed while building leaves
    QuoteIndex.create(left).close()
    (left / "half.txt").write_text("“Never read,” said Nobody.\n", encoding="utf-8")
    report = QuoteIndex.open(index).sync([tmp_path])  # the index sits inside the corpus
    assert report.added == 0 and _seen(index) == old
    QuoteIndex.build(index, [SEED], overwrite=True).close()
    assert _seen(index) == old and not left.exists()


@pytest.mark.skipif(not tantivy_available(), reason="tantivy is not installed")
def test_without_an_atomic_exchange_the_folders_swap_in_two_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statement_search.engines import rebuild

    class NoExchange:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

    monkeypatch.setattr(rebuild.ctypes, "CDLL", NoExchange)
    index = tmp_path / "ix"
    QuoteIndex.build(index, [SEED], engine="tantivy").close()
    corpus = _new_corpus(tmp_path / "corpus")
    QuoteIndex.build(index, [corpus], overwrite=True, engine="tantivy").close()
    assert _seen(index) == (3, True)
    assert sorted(p.name for p in index.iterdir() if p.is_dir()) == ["tantivy"]

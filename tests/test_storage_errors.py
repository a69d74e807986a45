"""storage_errors.py: the index's own file problems as one line naming the path, exit 2."""

from __future__ import annotations

import errno
import sqlite3
import sys
from pathlib import Path

import pytest

from statement_search import QuoteIndex
from statement_search.cli import run
from statement_search.errors import IndexStorageError, InputError
from statement_search.ingest.storage_errors import storage_error
from statement_search.ingest.syncing import Syncer

from .conftest import SEED


@pytest.mark.parametrize(
    ("exc", "says"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "ix: disk full"),
        (OSError(errno.EROFS, "Read-only file system", "ix/x.seg"), "ix/x.seg: read-only"),
        (PermissionError(errno.EACCES, "Permission denied"), "ix: permission denied"),
        (NotADirectoryError(errno.ENOTDIR, "Not a directory"), "ix: a part of the path is a file"),
        (sqlite3.OperationalError("database or disk is full"), "ix: disk full"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "ix: read-only"),
        (sqlite3.DatabaseError("file is not a database"), "ix: its manifest is damaged"),
        (EOFError(), "ix: the index is damaged (EOFError)"),
        # tantivy raises Rust's io::Error as a ValueError carrying the errno.
        (
            ValueError("An IO error occurred: 'No space left on device (os error 28)'"),
            "ix: disk full",
        ),
        (
            ValueError("An IO error occurred: 'Read-only file system (os error 30)'"),
            "ix: read-only",
        ),
        (
            ValueError(
                "Failed to acquire Lockfile: IoError(Os { code: 30, kind: ReadOnlyFilesystem"
            ),
            "ix: read-only",
        ),
    ],
)
def test_each_problem_is_named_with_what_to_do(exc: Exception, says: str) -> None:
    mapped = storage_error(exc, "ix")
    assert isinstance(mapped, IndexStorageError)
    assert str(mapped).startswith(says)


def test_bugs_and_input_errors_are_not_storage_problems() -> None:
    assert storage_error(ValueError("x"), "ix") is None
    assert storage_error(InputError("f.txt: bad"), "ix") is None
    assert storage_error(ModuleNotFoundError("no numpy", name="numpy"), "ix") is None


def test_a_schema_naming_a_module_this_version_lacks_asks_for_a_rebuild() -> None:
    missing = ModuleNotFoundError("gone", name="statement_search.no_such_module")
    mapped = storage_error(missing, "ix")
    assert isinstance(mapped, IndexStorageError)
    assert str(mapped).startswith("ix: the index was written by another version")
    assert "statement_search.no_such_module" in str(mapped) and "--rebuild" in str(mapped)


def test_an_index_under_a_regular_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(IndexStorageError, match="a part of the path is a file"):
        QuoteIndex.create(tmp_path / "file" / "ix")


def test_a_full_disk_mid_run_names_the_index_and_leaves_no_partial_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ix = QuoteIndex.build(tmp_path / "ix", [SEED])
    before = sorted(p.name for p in (tmp_path / "ix").iterdir())
    other = tmp_path / "other.txt"
    other.write_text("Other\n\nAnna Lee said “we will build the bridge this year”.\n")

    def full_disk(self: Syncer) -> None:
        if self._writer is not None:  # a batch written in part, then the disk fills
            (tmp_path / "ix" / "MAIN_partialsegment1.seg").write_bytes(b"x" * 1000)
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Syncer, "flush", full_disk)
    with pytest.raises(IndexStorageError, match=r"ix: disk full"):
        ix.add([other])
    monkeypatch.undo()
    assert sorted(p.name for p in (tmp_path / "ix").iterdir()) == before
    assert QuoteIndex.open(tmp_path / "ix").search("peace")  # the last commit is intact


def test_a_damaged_segment_is_named_not_aborted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    QuoteIndex.build(tmp_path / "ix", [SEED]).close()
    for segment in (tmp_path / "ix").glob("*.seg"):
        segment.write_bytes(segment.read_bytes()[:100])
    monkeypatch.delenv("STATEMENT_SEARCH_DEBUG", raising=False)
    monkeypatch.setattr(
        sys, "argv", ["statement-search", "search", "peace", "--index", str(tmp_path / "ix")]
    )
    with pytest.raises(SystemExit) as exit_:
        run()
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith(
        "the index is damaged (EOFError) — rebuild it with `statement-search index --rebuild PATH`"
    )
    assert "Aborted" not in err


def test_files_a_killed_writer_left_are_removed_by_the_next_run(tmp_path: Path) -> None:
    ix = QuoteIndex.build(tmp_path / "ix", [SEED])
    before = sorted(p.name for p in (tmp_path / "ix").iterdir())
    (tmp_path / "ix" / "MAIN_killedwriter12.seg").write_bytes(b"x" * 1000)
    (tmp_path / "ix" / "MAIN.tmp").mkdir()
    (tmp_path / "ix" / "MAIN.tmp" / "half.ctmp").write_bytes(b"x")
    ix.sync([SEED])
    assert sorted(p.name for p in (tmp_path / "ix").iterdir()) == before

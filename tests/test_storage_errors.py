"""storage_errors.py: the index's own file problems as one line naming the path, exit 2."""

from __future__ import annotations

import errno
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from statement_search import QuoteIndex
from statement_search.cli import run
from statement_search.engines import tantivy_available
from statement_search.errors import IndexStorageError, InputError, StatementSearchError
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
    [segment] = (tmp_path / "ix").glob("*.seg")
    segment.write_bytes(segment.read_bytes()[:100])
    monkeypatch.delenv("STATEMENT_SEARCH_DEBUG", raising=False)
    monkeypatch.setattr(
        sys, "argv", ["statement-search", "search", "peace", "--index", str(tmp_path / "ix")]
    )
    with pytest.raises(SystemExit) as exit_:
        run()
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err == (  # one line naming the file that failed (it named the folder)
        f"statement-search: error: {segment}: the index is damaged (EOFError) — rebuild it "
        "with `statement-search index --rebuild PATH`"
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


def _flipped_at(segment: Path, find: Callable[[bytes], int]) -> None:
    """One byte of `segment` made 0xFF where `find` points: no valid UTF-8 starts there."""
    data = bytearray(segment.read_bytes())
    at = find(bytes(data))
    assert at >= 0
    data[at] ^= 0xFF if data[at] < 0x80 else 0x7F
    segment.write_bytes(bytes(data))


# Where a flipped byte lands in a Whoosh segment, found by what is stored there: a speaker's
# name in the term index, a stored-field name in a pickled column header, a file name in the
# segment's own table of contents (a pickle at its end).
_FLIPS: dict[str, Callable[[bytes], int]] = {
    "speaker term": lambda data: data.find(b"aleksandr lukashenko"),
    "column header": lambda data: data.find(b"article_id\x94"),
    "table of contents": lambda data: data.rfind(b"_stored.col") + 1,
}


@pytest.mark.parametrize("where", list(_FLIPS))
def test_one_flipped_byte_in_a_whoosh_segment_is_named_by_every_read_command(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    where: str,
) -> None:
    """A flipped byte ended `speakers` (and search, facets, stats) in "internal error:
    UnicodeDecodeError/TypeError/Exception: Block tag error"."""
    index = tmp_path / "ix"
    QuoteIndex.build(index, [SEED]).close()
    [segment] = index.glob("*.seg")
    _flipped_at(segment, _FLIPS[where])
    monkeypatch.delenv("STATEMENT_SEARCH_DEBUG", raising=False)
    damaged = 0
    for args in (["speakers"], ["search", "Lukashenko"], ["topics"], ["sources"], ["stats"]):
        monkeypatch.setattr(sys, "argv", ["statement-search", *args, "--index", str(index)])
        with pytest.raises(SystemExit) as exit_:
            run()
        err = capsys.readouterr().err.strip().splitlines()
        assert "Traceback" not in "\n".join(err)
        assert exit_.value.code in (0, 1, 2), args
        if exit_.value.code == 2:
            damaged += 1
            assert len(err) == 1 and "internal error" not in err[0], (args, err)
            # The segment where its reader failed; the folder where the failing bytes were
            # decoded away from the file they came from (a term list merged over segments).
            where = (index / segment.name, index)
            assert err[0].startswith(
                tuple(f"statement-search: error: {w}: the index is damaged" for w in where)
            ), (args, err)
            assert err[0].endswith("rebuild it with `statement-search index --rebuild PATH`")
    assert damaged, "the flip was not noticed by any command"
    # The API says it with the same error.
    try:
        with QuoteIndex.open(index) as ix:
            ix.speakers()
            ix.search("Lukashenko")
    except IndexStorageError as exc:
        assert "the index is damaged" in str(exc)
    # Nothing else was touched: the damaged segment is still there for a rebuild.
    assert [p.name for p in index.glob("*.seg")] == [segment.name]


def test_tantivys_undecodable_bytes_and_a_stored_quote_that_is_not_are_damage() -> None:
    for message in (
        "An IO error occurred: 'Reach end of buffer while reading VInt'",
        "An IO error occurred: 'Unsupported sstable version, expected one of [2, 3], found 7'",
    ):
        assert "the index is damaged" in str(storage_error(ValueError(message), "ix"))
    from statement_search.models import json_to_quote

    with pytest.raises(TypeError) as decoding:
        json_to_quote({"id": "a-0"})  # a stored quote whose keys a flipped byte changed
    assert "the index is damaged" in str(storage_error(decoding.value, "ix"))
    with pytest.raises(TypeError) as bug:
        len(3)  # type: ignore[arg-type]
    assert storage_error(bug.value, "ix") is None


@pytest.mark.skipif(not tantivy_available(), reason="tantivy is not installed")
@pytest.mark.parametrize("suffix", ["term", "idx", "pos", "fieldnorm"])
def test_one_flipped_byte_at_a_tantivy_files_end_is_damage_in_the_api(
    tmp_path: Path, suffix: str
) -> None:
    """A flip in a file's footer gave a bare ValueError ("An IO error occurred: 'Reach end
    of buffer while reading VInt'") from every read."""
    index = tmp_path / "ix"
    QuoteIndex.build(index, [SEED], engine="tantivy").close()
    [part] = (index / "tantivy").glob(f"*.{suffix}")
    original = part.read_bytes()
    for at in range(max(0, len(original) - 200), len(original), 3):
        _write_byte(part, at, original[at] ^ 0xFF)  # in place: tantivy maps the file
        try:
            with QuoteIndex.open(index) as ix:
                ix.speakers()
                ix.search("peace", sort="date")
                ix.stats()
        except StatementSearchError:
            pass
        _write_byte(part, at, original[at])


def _write_byte(path: Path, at: int, value: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(at)
        handle.write(bytes([value]))


def test_the_file_tantivy_names_is_the_one_the_error_names(tmp_path: Path) -> None:
    (tmp_path / "tantivy").mkdir()
    (tmp_path / "tantivy" / "ab12.store").write_bytes(b"x")
    (tmp_path / "tantivy" / "meta.json").write_text("{", encoding="utf-8")
    store = (
        "Failed to open file for read: 'IoError { io_error: Custom { kind: InvalidData, "
        'error: "Footer magic byte mismatch." }, filepath: "ab12.store" }\''
    )
    meta = "Data corrupted: 'Data corruption (in file `\"meta.json\"`): Meta file cannot be read.'"
    for message, where in ((store, "ab12.store"), (meta, "meta.json")):
        said = str(storage_error(ValueError(message), tmp_path))
        assert said.startswith(f"{tmp_path / 'tantivy' / where}: the index is damaged"), said
    gone = store.replace("ab12.store", "../../etc/passwd")  # never a path outside the index
    assert str(storage_error(ValueError(gone), tmp_path)).startswith(f"{tmp_path}: the index")

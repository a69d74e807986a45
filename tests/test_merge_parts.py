"""A merge written in parts by helper processes must be the segment one process writes."""

from __future__ import annotations

import io
import struct
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from statement_search.engines.whoosh import merge_parts
from statement_search.engines.whoosh.merge_parts import split_fields
from statement_search.engines.whoosh.schema import build_schema
from statement_search.engines.whoosh.segment_writer import QuoteSegmentWriter
from statement_search.ingest.preparing import _context

from .test_segment_writer import (
    _contents,
    _documents,
    _merge_everything,
    _thirds,
    _write_segments,
)


class InlineExecutor(Executor):
    """Runs each task when it is submitted, in this process."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


class FailingExecutor(Executor):
    """A pool whose helpers die: every task fails."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_exception(RuntimeError("helper died"))
        return future


@pytest.fixture(scope="module")
def documents() -> list[dict[str, Any]]:
    return _documents()


def _merged(path: Path, documents: list, helpers: tuple[Executor, int] | None) -> Any:
    """Two segments merged in one commit with a third batch of new documents."""
    *earlier, last = _thirds(documents)
    ix = _write_segments(path, earlier)
    writer = QuoteSegmentWriter(ix)
    writer.merge_helpers = helpers
    for doc in last:
        writer.add_document(**doc)
    writer.commit(mergetype=_merge_everything)
    return ix


def _segment_files(ix: Any) -> dict[str, bytes]:
    """The one segment's files (inside its compound file) by name less the segment id."""
    (segment,) = ix._segments()
    storage = segment.open_compound_file(ix.storage) if segment.is_compound() else ix.storage
    files = {}
    for name in storage.list():
        if segment.segid in name:
            with storage.open_file(name) as part:
                files[name.split(segment.segid, 1)[1]] = part.read()
    return files


@pytest.fixture(scope="module")
def one_process(documents: list, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _merged(tmp_path_factory.mktemp("serial") / "ix", documents, None)


@pytest.fixture(autouse=True)
def small_merges_in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("statement_search.engines.whoosh.segment_writer.PARTS_MIN_DOCUMENTS", 1)


@pytest.mark.parametrize("helpers", [1, 2])
def test_parts_write_the_one_process_bytes(
    documents: list,
    one_process: Any,
    tmp_path: Path,
    helpers: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(merge_parts, "_ENTRIES_AT_ONCE", 1000)  # several runs of records
    ix = _merged(tmp_path / "ix", documents, (InlineExecutor(), helpers))
    files = _segment_files(ix)
    assert files == _segment_files(one_process)
    assert {".trm", ".pst"} <= set(files)
    assert _contents(ix) == _contents(one_process)
    assert not list(tmp_path.glob(f"ix/{merge_parts.PART_FILE_PREFIX}*"))


def test_parts_written_by_forked_helpers(documents: list, one_process: Any, tmp_path: Path) -> None:
    with ProcessPoolExecutor(2, mp_context=_context()) as pool:
        ix = _merged(tmp_path / "ix", documents, (pool, 2))
    assert _segment_files(ix) == _segment_files(one_process)


def test_a_failed_helper_part_is_written_by_the_writer(
    documents: list, one_process: Any, tmp_path: Path
) -> None:
    ix = _merged(tmp_path / "ix", documents, (FailingExecutor(), 2))
    assert _segment_files(ix) == _segment_files(one_process)


def test_parts_are_used_only_for_large_merges(
    documents: list, one_process: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("statement_search.engines.whoosh.segment_writer.PARTS_MIN_DOCUMENTS", 10**9)
    ix = _merged(tmp_path / "ix", documents, (FailingExecutor(), 2))
    assert _segment_files(ix) == _segment_files(one_process)  # written without the executor
    calls = []
    monkeypatch.setattr(merge_parts, "write_part", lambda task: calls.append(task))
    _merged(tmp_path / "ix2", documents, (InlineExecutor(), 2))
    assert calls == []


def test_a_large_batch_without_merges_is_written_in_parts(
    documents: list, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bulk batch's own segment, no merge in it, is written in parts too (same bytes)."""
    from whoosh import index as whoosh_index

    calls = []
    write_part = merge_parts.write_part
    monkeypatch.setattr(
        merge_parts, "write_part", lambda task: calls.append(task) or write_part(task)
    )

    def batch(path: Path, helpers: tuple[Executor, int] | None) -> Any:
        path.mkdir()
        ix = whoosh_index.create_in(str(path), build_schema())
        writer = QuoteSegmentWriter(ix)
        writer.merge_helpers = helpers
        for doc in documents:
            writer.add_document(**doc)
        writer.commit()
        return ix

    one = batch(tmp_path / "one", None)
    assert calls == []
    parts = batch(tmp_path / "parts", (InlineExecutor(), 2))
    assert len(calls) == 2
    assert _segment_files(parts) == _segment_files(one)


def test_fields_split_at_the_part_starts() -> None:
    names = ["text", "around", "pairs", "exact", "path", "title", "id"]
    assert split_fields(names, 3) == [
        ("around", "exact"),
        ("id", "pairs"),
        ("path", "text", "title"),
    ]
    assert split_fields(names, 5) == split_fields(names, 3)
    assert split_fields(names, 2) == [("around", "exact", "id"), ("pairs", "path", "text", "title")]
    assert split_fields(names, 1) == [tuple(sorted(names))]
    assert split_fields(["a", "b"], 3) == [("a", "b")]  # empty runs dropped


def _part_records(count: int) -> tuple[io.BytesIO, io.BytesIO]:
    records, entries = io.BytesIO(), io.BytesIO()
    writer = merge_parts._PartRecords(records, entries)
    for n in range(count):
        extent = struct.pack("!qi", 100 * n, 7)
        writer.add(b"\x00\x01term%03d" % n, b"t" * merge_parts.TERMINFO.size + extent)
    records.seek(0)
    entries.seek(0)
    return records, entries


class _TermIndex:
    """What `_append_records` uses of the writer's term index."""

    def __init__(self) -> None:
        self.dbfile = io.BytesIO(b"head")
        self.dbfile.seek(4)
        self.index: list[int] = []
        self._hashes: list[list[int]] = [[] for _ in range(256)]
        self._positions: list[list[int]] = [[] for _ in range(256)]


@pytest.mark.parametrize("at_once", [1, 2, 3, 1 << 16])
def test_records_appended_with_offsets_moved(monkeypatch: pytest.MonkeyPatch, at_once: int) -> None:
    monkeypatch.setattr(merge_parts, "_ENTRIES_AT_ONCE", at_once)
    records, entries = _part_records(5)
    tindex = _TermIndex()
    assert merge_parts._append_records(tindex, records, entries, 1000) == 5
    written = tindex.dbfile.getvalue()[4:]
    assert len(written) == len(records.getvalue())
    size = len(written) // 5
    offsets = [struct.unpack_from("!q", written, n * size + size - 12)[0] for n in range(5)]
    assert offsets == [1000, 1100, 1200, 1300, 1400]
    assert tindex.index == [4 + n * size for n in range(5)]
    assert sorted(p for bucket in tindex._positions for p in bucket) == tindex.index


def test_a_records_file_cut_short_is_an_error() -> None:
    records, entries = _part_records(3)
    cut = io.BytesIO(records.getvalue()[:-5])
    with pytest.raises(ValueError, match="shorter"):
        merge_parts._append_records(_TermIndex(), cut, entries, 1)

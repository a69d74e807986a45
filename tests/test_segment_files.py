"""Segment parts are read through the memory map, exactly as a BytesIO would read them."""

from __future__ import annotations

import io
import pickle

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.filedb.structfile import BufferFile

from statement_search.engines.whoosh.segment_files import PEEK_BYTES, MemoryViewFile, install

_DATA = pickle.dumps([("a", 1), "line one\nline two\n", b"\x00\xff" * 40], protocol=2)

_OPS = st.lists(
    st.one_of(
        st.tuples(st.just("read"), st.integers(-1, 120)),
        st.tuples(st.just("readline"), st.integers(-1, 30)),
        st.tuples(st.just("seek"), st.integers(0, len(_DATA) + 5)),
        st.tuples(st.just("seek_cur"), st.integers(-5, 20)),
        st.tuples(st.just("readinto"), st.integers(0, 50)),
    ),
    max_size=25,
)


def _apply(handle: io.IOBase, op: str, arg: int) -> object:
    if op == "read":
        return handle.read(arg)
    if op == "readline":
        return handle.readline(arg)
    if op == "seek":
        return handle.seek(arg)
    if op == "seek_cur":
        return handle.seek(max(arg, -handle.tell()), io.SEEK_CUR)
    buffer = bytearray(arg)
    count = handle.readinto(buffer)  # type: ignore[attr-defined]
    return count, bytes(buffer[:count])


@settings(max_examples=300, deadline=None)
@given(_OPS)
def test_reads_like_bytesio(ops: list[tuple[str, int]]) -> None:
    ours, reference = MemoryViewFile(memoryview(_DATA)), io.BytesIO(_DATA)
    for op, arg in ops:
        assert _apply(ours, op, arg) == _apply(reference, op, arg), (op, arg)
        assert ours.tell() == reference.tell()


def test_pickles_load_through_it() -> None:
    handle = MemoryViewFile(memoryview(_DATA + b"tail"))
    assert pickle.load(handle) == pickle.loads(_DATA)
    assert handle.read() == b"tail"


def test_a_pickle_loads_with_one_peek_and_one_read() -> None:
    """The unpickler looks ahead, then reads exactly what it used: the position lands right
    after the pickle, also for a pickle longer than one look ahead."""
    small, large = pickle.dumps((3, 128, 2.5, None, 1, 9)), pickle.dumps(list(range(400)))
    assert len(large) > PEEK_BYTES
    handle = _Counting(memoryview(small + large + b"tail"))
    assert pickle.load(handle) == pickle.loads(small) and handle.tell() == len(small)
    assert handle.reads <= 1
    assert handle.peek(3) == large[:3] and handle.tell() == len(small)
    assert pickle.load(handle) == list(range(400))
    assert handle.read() == b"tail"


class _Counting(MemoryViewFile):
    reads = 0

    def read(self, size: int | None = -1) -> bytes:
        self.reads += 1
        return super().read(size)


def test_buffer_files_do_not_copy_their_buffer() -> None:
    install()
    source = bytearray(_DATA)
    part = BufferFile(memoryview(source)[10:30])
    source[10:12] = b"XY"  # a copy would not see this
    assert part.read(2) == b"XY"
    assert part.get(0, 2) == b"XY"
    part.seek(0)
    assert part.file.read() == bytes(source[10:30])

"""The term encoder's one-posting path writes the bytes its general path writes; one encoder
over many terms records their offsets as an encoder per term does."""

from __future__ import annotations

import io
from array import array
from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from whoosh import fields
from whoosh.util.numeric import length_to_byte

from statement_search.engines.whoosh.segment_format import LENGTH_BYTE, _TermEncoder


class _Recorder:
    """What an encoder writes: the postings bytes and the term index rows."""

    def __init__(self) -> None:
        self.postings = io.BytesIO()
        self.rows: list[tuple[bytes, bytes]] = []

    def fieldwriter(self) -> Any:
        postwriter = SimpleNamespace(_postfile=self.postings, _blocklimit=128, _compression=3)
        tindex = SimpleNamespace(add=lambda key, value: self.rows.append((key, value)))
        return SimpleNamespace(_postwriter=postwriter, _tindex=tindex, _fieldid=3)


FIELDS = [fields.TEXT(phrase=True), fields.TEXT(phrase=False), fields.ID(), fields.NUMERIC()]


@given(
    field=st.sampled_from(FIELDS),
    docnum=st.integers(0, 5000),
    weight=st.sampled_from([0.0, 1.0, 0.5, 3.0, 2.7, 1e-3]),
    value=st.binary(max_size=12),
    lengths=st.lists(st.integers(0, 300), max_size=60),
)
def test_one_posting_path_writes_the_general_bytes(
    field: Any, docnum: int, weight: float, value: bytes, lengths: list[int]
) -> None:
    written = []
    for path in ("_single", "_blocks"):
        recorder = _Recorder()
        recorder.postings.write(b"x" * 7)  # the term's offset is recorded too
        encode = _TermEncoder(recorder.fieldwriter(), field, array("i", lengths))
        if path == "_single":
            encode._single(b"term", docnum, weight, value)
        else:
            encode._blocks(b"term", (array("q", [docnum]), array("d", [weight]), [value]))
        written.append((recorder.postings.getvalue(), recorder.rows))
    assert written[0] == written[1]


@given(
    field=st.sampled_from(FIELDS),
    postings=st.lists(
        st.tuples(st.sampled_from([1.0, 1.0, 2.0, 0.5, 3.7]), st.binary(max_size=6)),
        min_size=2,
        max_size=128,
    ),
    first=st.integers(0, 50),
    gaps=st.integers(1, 9),
    lengths=st.lists(st.integers(0, 300), max_size=400),
)
def test_one_block_path_writes_the_general_bytes(
    field: Any,
    postings: list[tuple[float, bytes]],
    first: int,
    gaps: int,
    lengths: list[int],
) -> None:
    docnums = array("q", range(first, first + gaps * len(postings), gaps))
    weights = array("d", [weight for weight, _ in postings])
    values = [value for _, value in postings]
    written = []
    for path in ("_one_block", "_blocks"):
        recorder = _Recorder()
        encode = _TermEncoder(recorder.fieldwriter(), field, array("i", lengths))
        getattr(encode, path)(b"term", (docnums, weights, values))
        written.append((recorder.postings.getvalue(), recorder.rows))
    assert written[0] == written[1]


@given(
    field=st.sampled_from(FIELDS),
    counts=st.lists(st.sampled_from([1, 1, 2, 5, 130, 300]), min_size=1, max_size=8),
    lengths=st.lists(st.integers(0, 300), max_size=400),
)
def test_one_encoder_records_each_terms_offset(
    field: Any, counts: list[int], lengths: list[int]
) -> None:
    """An encoder keeps its own count of where a posting list starts: the rows of one
    encoder over many terms are those of an encoder per term, which asks the file."""
    terms = [
        (
            f"term{n:03}".encode(),
            (array("q", range(count)), array("d", [1.0] * count), [b"\x01"] * count),
        )
        for n, count in enumerate(counts)
    ]
    together, apart = _Recorder(), _Recorder()
    together.postings.write(b"x" * 5)
    apart.postings.write(b"x" * 5)
    one = _TermEncoder(together.fieldwriter(), field, array("i", lengths))
    for btext, postings in terms:
        one(btext, postings)
        _TermEncoder(apart.fieldwriter(), field, array("i", lengths))(btext, postings)
    assert together.postings.getvalue() == apart.postings.getvalue()
    assert together.rows == apart.rows


@given(length=st.one_of(st.none(), st.integers(0, 200_000)))
def test_remembered_length_bytes_are_whooshs(length: int | None) -> None:
    assert LENGTH_BYTE[length] == length_to_byte(length)


@given(length=st.integers(1, 200_000))
def test_remembered_stored_lengths_are_whooshs(length: int) -> None:
    from whoosh.util.numeric import byte_to_length

    from statement_search.engines.whoosh.field_lengths import STORED_LENGTH

    assert STORED_LENGTH[length] == byte_to_length(length_to_byte(length))

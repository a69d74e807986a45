"""A batch's postings folded to run files must come back as they were filed, merged by term."""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path
from typing import Any

from statement_search.engines.whoosh import pool_runs
from statement_search.engines.whoosh.pool_runs import RUN_FILE_PREFIX, FoldedPostings


def _read(folded: FoldedPostings, fields: Any = None) -> list[tuple[Any, ...]]:
    return [
        (field, term, list(docnums), list(weights), values)
        for field, term, (docnums, weights, values) in folded.sorted_terms(fields)
    ]


def test_runs_merge_a_terms_postings_in_docnum_order(tmp_path: Path) -> None:
    folded = FoldedPostings(str(tmp_path))
    first = {
        "text": {b"peace": [0, 1.0, b"p0", 2, 2.0, b"p0"[:1] + b"0"], b"grain": [1, 1.0, b"g"]},
        "title": {b"talks": [0, 1.0, b"", 1, 1.0, b"", 2, 1.0, b""]},
    }
    folded.fold(first, ordered=True)
    assert first == {}  # emptied as it was written
    folded.fold({"text": {b"peace": [3, 3.0, b"p0"], b"army": [4, 1.0, b"a"]}}, ordered=True)
    assert folded.field_names() == {"text", "title"}
    assert _read(folded) == [
        ("text", b"army", [4], [1.0], [b"a"]),
        ("text", b"grain", [1], [1.0], [b"g"]),
        ("text", b"peace", [0, 2, 3], [1.0, 2.0, 3.0], [b"p0", b"p0", b"p0"]),
        ("title", b"talks", [0, 1, 2], [1.0, 1.0, 1.0], [b"", b"", b""]),
    ]
    assert [term for _, term, *_ in _read(folded, {"title"})] == [b"talks"]
    # a value recurring in a run's field is stored once and read back as one object
    read = {term: values for _, term, (_, _, values) in folded.sorted_terms({"text"})}
    assert read[b"peace"][0] is read[b"peace"][1] is not read[b"peace"][2]


def test_postings_filed_out_of_order_are_sorted(tmp_path: Path) -> None:
    folded = FoldedPostings(str(tmp_path))
    folded.fold({"text": {b"peace": [5, 5.0, b"e", 1, 1.0, b"a", 3, 3.0, b"c"]}}, ordered=False)
    assert _read(folded) == [("text", b"peace", [1, 3, 5], [1.0, 3.0, 5.0], [b"a", b"c", b"e"])]


def test_run_files_are_removed_and_stale_ones_cleared(tmp_path: Path) -> None:
    stale = tmp_path / f"{RUN_FILE_PREFIX}1-2-0"
    stale.write_bytes(b"left by a killed writer")
    other = tmp_path / "MAIN_abc.seg"
    other.write_bytes(b"")
    folded = FoldedPostings(str(tmp_path))
    folded.fold({"text": {b"a": [0, 1.0, b""]}}, ordered=True)
    folded.fold({"text": {b"b": [1, 1.0, b""]}}, ordered=True)
    runs = sorted(tmp_path.glob(f"{RUN_FILE_PREFIX}*"))
    assert len(runs) == 2 and stale not in runs
    folded.remove()
    assert not list(tmp_path.glob(f"{RUN_FILE_PREFIX}*"))
    assert other.exists()
    assert _read(folded) == []


def test_fields_are_written_and_read_back_in_chunks_of_whole_terms(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr(pool_runs, "CHUNK_POSTINGS", 3)
    rng = random.Random(7)
    expected: dict[bytes, list[tuple[int, float, bytes]]] = {}
    folded = FoldedPostings(str(tmp_path))
    docnum = 0
    for _ in range(4):  # runs
        fields: dict[str, dict[bytes, list[Any]]] = {"text": {}}
        for _ in range(30):
            term = b"t%d" % rng.randrange(40)
            value = b"v%d" % rng.randrange(5)
            fields["text"].setdefault(term, []).extend((docnum, 1.0 + docnum, value))
            expected.setdefault(term, []).append((docnum, 1.0 + docnum, value))
            docnum += 1
        folded.fold(fields, ordered=True)
    assert len(folded.runs) == 4
    assert _read(folded) == [
        ("text", term, [d for d, _, _ in rows], [w for _, w, _ in rows], [v for _, _, v in rows])
        for term, rows in sorted(expected.items())
    ]


def test_reading_a_field_back_holds_a_chunk_not_the_field(tmp_path: Path) -> None:
    folded = FoldedPostings(str(tmp_path))
    per_term = 100
    terms = {b"t%05d" % n: [] for n in range(2_000)}  # 200k postings, >5 MB as arrays
    for n, flat in enumerate(terms.values()):
        for i in range(per_term):
            flat += (n * per_term + i, 1.0, b"")
    folded.fold({"text": terms}, ordered=True)
    tracemalloc.start()
    try:
        read = sum(len(docnums) for _, _, (docnums, _, _) in folded.sorted_terms())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read == 2_000 * per_term
    assert peak < 2 << 20

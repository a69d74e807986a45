"""Merge benchmark: one tier merge (8 segments) written by one process, then in parts.

Builds, once, an index of 8 unmerged batch segments from the first files of a
generated corpus (`bench/out/corpus-10x` by default: 88 files, 126k quotes),
then times the commit that merges them into one, on copies of it:

- `one`: the writer alone (no helpers);
- `parts`: the writer plus a pool of worker processes (`merge_parts.py`).

    .venv/bin/python bench/bench_merge.py [--corpus DIR] [--files 88] [--runs 2]

Prints wall and CPU seconds per run, and checks that both ways wrote the same
segment bytes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from statement_search import QuoteIndex
from statement_search.engines.whoosh import segment_merge
from statement_search.engines.whoosh.segment_writer import QuoteSegmentWriter
from statement_search.ingest.preparing import _context, default_workers

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "out" / "corpus-10x"


def build_segments(corpus: Path, files: int, where: Path) -> list[int]:
    """An index of unmerged batch segments; returns their document counts."""
    chosen = where / "files"
    chosen.mkdir(parents=True)
    for file in sorted(corpus.iterdir())[:files]:
        (chosen / file.name).symlink_to(file)
    keep_all = segment_merge.merge_tiers
    segment_merge.merge_tiers = lambda writer, segments: segments  # type: ignore[assignment]
    try:
        ix = QuoteIndex.create(where / "ix")
        ix.sync([chosen], batch_quotes=16_000)  # segments the size 20k batches had
        counts = [segment.doc_count() for segment in ix.engine._ix._segments()]
        ix.close()
    finally:
        segment_merge.merge_tiers = keep_all
    return counts


def merge_once(
    template: Path, where: Path, pool: ProcessPoolExecutor | None
) -> tuple[float, float]:
    """Wall and CPU seconds (this process) of the merging commit, on a copy of `template`."""
    from whoosh import index as whoosh_index

    shutil.copytree(template, where)
    ix = whoosh_index.open_dir(str(where))
    writer = QuoteSegmentWriter(ix)
    if pool is not None:
        writer.merge_helpers = (pool, pool._max_workers)
    started, cpu = time.perf_counter(), time.process_time()
    writer.commit(optimize=True)  # every segment merged into one
    return time.perf_counter() - started, time.process_time() - cpu


def segment_bytes(where: Path) -> bytes:
    """The merged segment's term index and postings, read through its compound file."""
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(where))
    (segment,) = ix._segments()
    storage = segment.open_compound_file(ix.storage) if segment.is_compound() else ix.storage
    parts = []
    for name in sorted(storage.list()):
        if segment.segid in name and name.endswith((".trm", ".pst")):
            with storage.open_file(name) as part:
                parts.append(part.read())
    return b"".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--files", type=int, default=88)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=ROOT / "bench" / "out") as tmp:
        base = Path(tmp)
        counts = build_segments(args.corpus, args.files, base / "built")
        print(f"{len(counts)} segments, {sum(counts)} quotes: {counts}; cpus={os.cpu_count()}")
        template = base / "built" / "ix"
        workers = default_workers()
        with ProcessPoolExecutor(workers, mp_context=_context()) as pool:
            list(pool.map(abs, range(workers)))  # the workers exist before the clock starts
            written: dict[str, bytes] = {}
            for run in range(args.runs):
                for way, helpers in (("one", None), ("parts", pool)):
                    where = base / f"{way}-{run}"
                    wall, cpu = merge_once(template, where, helpers)
                    written.setdefault(way, segment_bytes(where))
                    shutil.rmtree(where)
                    print(f"run {run + 1} {way:5}: {wall:6.2f} s wall, {cpu:6.2f} s CPU writer")
        same = written["one"] == written["parts"]
        print(f"same segment bytes: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()

"""Index build benchmark: default writer vs multi-process writer, and search after many small adds.

Reads articles from ../shared/eval/polnear-dev/train/texts at run time (nothing is copied).

    .venv/bin/python bench/bench_index.py [TEXTS_DIR] [--adds 40]
    .venv/bin/python bench/bench_index.py --end-to-end [--workers N]   # build quotes/s, peak RSS
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from statement_search import QuoteIndex

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT.parent / "shared" / "eval" / "polnear-dev" / "train" / "texts"


def build(texts: Path, where: Path, **options: object) -> tuple[float, int, int]:
    started = time.perf_counter()
    ix = QuoteIndex.create(where)
    report = ix.sync([texts], **options)
    seconds = time.perf_counter() - started
    segments = len(ix.engine._ix._segments())
    ix.close()
    return seconds, report.quotes, segments


def end_to_end(texts: Path, workers: int | None) -> None:
    """One fresh build (read + extract + index): quotes/s, peak RSS, CPU per side."""
    options = {} if workers is None else {"workers": workers}
    with tempfile.TemporaryDirectory() as tmp:
        seconds, quotes, segments = build(texts, Path(tmp) / "ix", **options)
    usage, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    own, kids = usage.ru_maxrss / 1024, children.ru_maxrss / 1024
    # CPU seconds per side: with a free core each, the slower side bounds the rate.
    main_cpu, worker_cpu = usage.ru_utime + usage.ru_stime, children.ru_utime + children.ru_stime
    print(
        f"end-to-end workers={workers if workers is not None else 'default'} "
        f"cpus={os.cpu_count()}: {quotes} quotes {seconds:.2f}s {quotes / seconds:.0f} quotes/s, "
        f"peak RSS main {own:.0f} MB, largest worker {kids:.0f} MB, {segments} segments; "
        f"CPU main {main_cpu:.1f}s workers {worker_cpu:.1f}s → bound "
        f"{quotes / max(main_cpu, worker_cpu, 1e-9):.0f} quotes/s on free cores"
    )


def search_ms(ix: QuoteIndex, rounds: int = 30) -> float:
    queries = ["president", "tax OR taxes", '"united states"', "war", "health care", "immigration"]
    started = time.perf_counter()
    for _ in range(rounds):
        for query in queries:
            ix.search(query, limit=10)
    return 1000 * (time.perf_counter() - started) / (rounds * len(queries))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("texts", nargs="?", type=Path, default=TEXTS)
    parser.add_argument("--adds", type=int, default=40)
    parser.add_argument("--skip-builds", action="store_true", help="only the incremental part")
    parser.add_argument("--end-to-end", action="store_true", help="only one timed fresh build")
    parser.add_argument("--workers", type=int, default=None, help="0: prepare inline")
    args = parser.parse_args()
    if args.end_to_end:
        end_to_end(args.texts, args.workers)
        return
    files = sorted(args.texts.glob("*.txt"))
    tmp = Path(tempfile.mkdtemp())
    try:
        variants = {
            "default writer, batch 200": {},
            "default writer, one batch": {"batch_articles": 10**9, "batch_quotes": 10**9},
            "procs=2 multisegment, batch 200": {
                "writer_options": {"procs": 2, "multisegment": True}
            },
            "procs=2 multisegment, one batch": {
                "writer_options": {"procs": 2, "multisegment": True, "limitmb": 64},
                "batch_articles": 10**9,
                "batch_quotes": 10**9,
            },
        }
        for name, options in {} if args.skip_builds else variants.items():
            seconds, quotes, segments = build(args.texts, tmp / name.replace(" ", "_"), **options)
            print(
                f"{name:34s} {len(files)} files {quotes} quotes {seconds:6.2f}s {segments} segments"
            )

        # A bulk build of all but the last N files, then N one-file adds.
        bulk = tmp / "bulk"
        bulk.mkdir()
        for file in files[: -args.adds]:
            (bulk / file.name).symlink_to(file)
        ix = QuoteIndex.create(tmp / "incremental")
        ix.sync([bulk])
        print(
            f"after bulk build: {len(ix.engine._ix._segments())} segments, "
            f"search {search_ms(ix):.2f} ms/query"
        )
        started = time.perf_counter()
        for file in files[-args.adds :]:
            ix.add([file])
        per_add = 1000 * (time.perf_counter() - started) / args.adds
        print(
            f"after {args.adds} one-file adds ({per_add:.0f} ms each, MERGE_SMALL): "
            f"{len(ix.engine._ix._segments())} segments, search {search_ms(ix):.2f} ms/query"
        )
        started = time.perf_counter()
        ix.optimize()
        print(f"optimize took {time.perf_counter() - started:.2f}s")
        print(
            f"after optimize: {len(ix.engine._ix._segments())} segments, "
            f"search {search_ms(ix):.2f} ms/query"
        )
        ix.close()
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()

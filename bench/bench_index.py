"""Index build benchmark: default writer vs multi-process writer, and search after many small adds.

Reads articles from ../shared/eval/polnear-dev/train/texts at run time (nothing is copied).

    .venv/bin/python bench/bench_index.py [TEXTS_DIR] [--adds 40]
"""

from __future__ import annotations

import argparse
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
    segments = len(ix._ix._segments())
    ix.close()
    return seconds, report.quotes, segments


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
    args = parser.parse_args()
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
            f"after bulk build: {len(ix._ix._segments())} segments, "
            f"search {search_ms(ix):.2f} ms/query"
        )
        started = time.perf_counter()
        for file in files[-args.adds :]:
            ix.add([file])
        per_add = 1000 * (time.perf_counter() - started) / args.adds
        print(
            f"after {args.adds} one-file adds ({per_add:.0f} ms each, MERGE_SMALL): "
            f"{len(ix._ix._segments())} segments, search {search_ms(ix):.2f} ms/query"
        )
        started = time.perf_counter()
        ix.optimize()
        print(f"optimize took {time.perf_counter() - started:.2f}s")
        print(
            f"after optimize: {len(ix._ix._segments())} segments, "
            f"search {search_ms(ix):.2f} ms/query"
        )
        ix.close()
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()

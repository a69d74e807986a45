"""Re-time the warm queries of one scale on the current code, reusing what `run.py` built.

The index, the FTS5 database and the seeded query set are the ones `bench/run.py` left in
`bench/out/`, so a search-side change can be measured in minutes instead of a full run.

Example:
    .venv/bin/python bench/rerun_warm.py --scale 10x
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import fts  # noqa: E402
import measure  # noqa: E402
import queries as qset  # noqa: E402
import run  # noqa: E402


def percentile_ms(seconds: list[float], fraction: float) -> float:
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="10x", help="the tag of bench/out/index-TAG")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    index_dir, db = args.out / f"index-{args.scale}", args.out / f"fts-{args.scale}.sqlite"
    rows = run.rows_from_index(index_dir)
    query_set = qset.build_queries(rows, args.queries, args.seed)
    del rows
    ss, engine = run.SsEngine(index_dir), fts.FtsEngine(db)
    latency, hits = run.measure_queries(ss, engine, query_set, args.passes)
    print(measure.machine_line())
    print(f"code: {measure.code_line()}")
    print("| query type | ss p50 | ss p95 | FTS5 p50 | FTS5 p95 | ratio p50 | ratio p95 | hits |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind, per_engine in latency.items():
        ss50, ss95, f50, f95 = (
            statistics.median(percentile_ms(p, q) for p in per_engine[engine_name])
            for engine_name in ("ss", "fts")
            for q in (0.5, 0.95)
        )
        print(
            f"| {kind} | {ss50:.2f} | {ss95:.2f} | {f50:.2f} | {f95:.2f} | "
            f"{ss50 / f50:.1f}× | {ss95 / f95:.1f}× | "
            f"{hits[kind]['ss']:.1f} / {hits[kind]['fts']:.1f} |"
        )


if __name__ == "__main__":
    main()

"""The Whoosh fast path against its fallback (Whoosh's own writer and collector), #21.

Run: .venv/bin/python bench/bench_fallback.py [--scale 1] [--per-kind 34] [--texts DIR] [--work DIR]

One generated corpus (generate.py); each side runs in a process of its own (the fallback
with `STATEMENT_SEARCH_WHOOSH_FALLBACK=1`, so it never loads a fast-path module): it builds
its index through the `index` path, then searches both indexes with the benchmark queries
(queries.py, warm: a first pass is not timed).  Reports build time, per-kind p50/p95, and
how the answers compare: the same top-10 ids, and the largest score difference, for each
index read by each side.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_engines import TEXTS, rows_of  # noqa: E402
from generate import generate  # noqa: E402
from measure import percentile  # noqa: E402
from queries import build_queries, whoosh_text  # noqa: E402

from statement_search import QuoteIndex  # noqa: E402

SIDES = ("fast", "fallback")


def build(work: Path, name: str, per_kind: int = 0) -> None:
    """Build this side's index from the corpus; its time and size to `<side>-build.json`."""
    started = time.perf_counter()
    ix = QuoteIndex.create(work / f"index-{name}")
    ix.sync([work / "corpus"])
    built = {"build": time.perf_counter() - started, "quotes": ix.count()}
    ix.close()
    (work / f"{name}-build.json").write_text(json.dumps(built), encoding="utf-8")


def side(work: Path, name: str, per_kind: int) -> None:
    """Answer the queries on both sides' indexes; times and answers to `<side>.json`."""
    out: dict[str, Any] = {"answers": {}, "times": {}}
    with QuoteIndex.open(work / "index-fast") as reference:
        queries = build_queries(rows_of(reference), per_kind)
    for index in SIDES:
        with QuoteIndex.open(work / f"index-{index}") as ix:
            for kind, batch in queries.items():
                for query in batch:  # warm-up
                    _run(ix, query)
                times, answers = [], []
                for query in batch:
                    t0 = time.perf_counter()
                    answers.append(_run(ix, query))
                    times.append((time.perf_counter() - t0) * 1000)
                out["answers"][f"{index}/{kind}"] = answers
                out["times"][f"{index}/{kind}"] = times
    (work / f"{name}.json").write_text(json.dumps(out), encoding="utf-8")


def _run(ix: Any, query: Any) -> list[tuple[str, float]]:
    hits = ix.search(
        whoosh_text(query),
        speaker=query.speaker,
        topic=query.topic,
        since=query.since,
        until=query.until,
        limit=10,
    )
    return [(hit.quote.id, hit.score) for hit in hits]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--per-kind", type=int, default=34)
    parser.add_argument("--texts", type=Path, default=TEXTS)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--side", choices=SIDES, help=argparse.SUPPRESS)
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--skip-builds", action="store_true", help="reuse --work's indexes")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-fallback-"))
    if args.side:
        (build if args.build else side)(work, args.side, args.per_kind)
        return
    if not args.texts.is_dir():
        sys.exit(f"bench_fallback: no source texts at {args.texts}")
    if not args.skip_builds:
        info = generate(args.texts, args.scale, work / "corpus")
        size = f"{info.articles} articles, ~{info.estimated_quotes} quotes"
        print(f"corpus: {work / 'corpus'} ({size})")
    for step in ([] if args.skip_builds else [["--build"]]) + [[]]:
        for name in SIDES:
            forced = "1" if name == "fallback" else ""
            # One hash seed: the query set drawn from the index is the same in both processes.
            env = {**os.environ, "STATEMENT_SEARCH_WHOOSH_FALLBACK": forced, "PYTHONHASHSEED": "0"}
            command = [sys.executable, __file__, "--side", name, "--work", str(work), *step]
            subprocess.run([*command, "--per-kind", str(args.per_kind)], env=env, check=True)
    results = {name: json.loads((work / f"{name}.json").read_text()) for name in SIDES}
    for name in SIDES:
        built = json.loads((work / f"{name}-build.json").read_text())
        seconds, quotes = built["build"], built["quotes"]
        rate = quotes / seconds
        print(f"build {name:8s} {seconds:6.1f} s  {rate:6.0f} quotes/s  {quotes} quotes")
    print("\np50 / p95 ms per kind, the fast-built index read by each side")
    kinds = sorted({key.split("/")[1] for key in results["fast"]["times"]})
    for kind in kinds:
        cells = []
        for name in SIDES:
            times = results[name]["times"][f"fast/{kind}"]
            cells.append(f"{percentile(times, 50):7.2f} / {percentile(times, 95):7.2f}")
        print(f"{kind:10s}" + "".join(f"{c:>20s}" for c in cells))
    reference = results["fast"]["answers"]
    print("\nagainst the fast path on its own index: same top-10 ids, largest score difference")
    for name in SIDES:
        for index in SIDES:
            same = total = 0
            worst = 0.0
            for key, answers in results[name]["answers"].items():
                if not key.startswith(f"{index}/"):
                    continue
                theirs = reference[f"fast/{key.split('/')[1]}"]
                for a, b in zip(answers, theirs, strict=True):
                    total += 1
                    same += [i for i, _ in a] == [i for i, _ in b]
                    for (_, x), (_, y) in zip(a, b, strict=False):
                        worst = max(worst, abs(x - y))
            print(f"{name:8s} reading index-{index:8s} {same}/{total} same  max |Δ| {worst:.2e}")


if __name__ == "__main__":
    main()

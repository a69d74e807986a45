"""Both engines (and SQLite FTS5) side by side on one generated corpus (#21).

Run: .venv/bin/python bench/bench_engines.py [--scale 1] [--per-kind 34] [--texts DIR] [--work DIR]

The corpus is generated from `../shared/eval/polnear-dev/train/texts` (generate.py)
into a work folder in /tmp; each engine builds its index from it through the
same `index` path (read, extract, manifest, batches), then answers the same
queries (queries.py: plain, phrase, highlight, speaker, topic, date; ~200 in all)
through the library API.  Reports build time and quotes/s, per-kind query
p50/p95 (warm: a first pass is not timed) and the ranking overlap@10 between
Whoosh and tantivy: |top-10 ∩ top-10| / the larger top-10, over queries where
either engine finds something.  FTS5 is timed on the same queries (its SQL from
fts.py) as the reference; its rankings are not compared.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import fts  # noqa: E402
from generate import generate  # noqa: E402
from measure import percentile  # noqa: E402
from queries import build_queries, whoosh_text  # noqa: E402

from statement_search import QuoteIndex  # noqa: E402
from statement_search.engines.whoosh.schema import date_number  # noqa: E402

TEXTS = HERE.parent.parent / "shared" / "eval" / "polnear-dev" / "train" / "texts"
ENGINES = ("whoosh", "tantivy")


def build(engine: str, corpus: Path, path: Path) -> tuple[Any, float]:
    started = time.perf_counter()
    ix = QuoteIndex.create(path, engine=engine)
    ix.sync([corpus])
    return ix, time.perf_counter() - started


def rows_of(ix: Any) -> list[fts.Row]:
    return [
        fts.Row(
            id=q.id,
            text=q.text,
            context=q.context,
            title=q.title,
            speaker=q.speaker or "",
            topics=q.topics,
            date=date_number(q.date),
            source=q.source or "",
        )
        for q in ix.quotes()
    ]


def run(ix: Any, query: fts.FtsQuery) -> list[str]:
    hits = ix.search(
        whoosh_text(query),
        speaker=query.speaker,
        topic=query.topic,
        since=query.since,
        until=query.until,
        limit=10,
    )
    return [hit.quote.id for hit in hits]


def timed(call: Any, queries: list[fts.FtsQuery]) -> tuple[list[float], list[Any]]:
    for query in queries:  # warm-up pass: caches, filter sets, mapped files
        call(query)
    times, results = [], []
    for query in queries:
        started = time.perf_counter()
        results.append(call(query))
        times.append((time.perf_counter() - started) * 1000)
    return times, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--per-kind", type=int, default=34)
    parser.add_argument("--texts", type=Path, default=TEXTS)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    if not args.texts.is_dir():
        sys.exit(f"bench_engines: no source texts at {args.texts}")
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-engines-"))
    corpus = work / f"corpus-{args.scale:g}x"
    info = generate(args.texts, args.scale, corpus)
    print(f"corpus: {corpus} ({info.articles} articles, ~{info.estimated_quotes} quotes)")

    indexes: dict[str, Any] = {}
    for engine in ENGINES:
        ix, seconds = build(engine, corpus, work / f"index-{engine}")
        indexes[engine] = ix
        print(f"build {engine:8s} {seconds:6.1f} s  {ix.count() / seconds:7.0f} quotes/s")
    rows = rows_of(indexes["whoosh"])
    quotes, seconds = fts.build(work / "fts.sqlite", rows)
    print(f"build fts5     {seconds:6.1f} s  {quotes / seconds:7.0f} quotes/s (rows in memory)")

    queries = build_queries(rows, args.per_kind)
    total = sum(len(v) for v in queries.values())
    fts_engine = fts.FtsEngine(work / "fts.sqlite")
    print(f"\n{total} queries; p50 / p95 ms per kind")
    print(f"{'kind':10s}" + "".join(f"{e:>18s}" for e in (*ENGINES, "fts5")))
    overlaps: list[float] = []
    identical = 0
    for kind, batch in queries.items():
        cells, tops = [], {}
        for engine in ENGINES:
            times, tops[engine] = timed(lambda q, ix=indexes[engine]: run(ix, q), batch)
            cells.append(f"{percentile(times, 50):7.2f} / {percentile(times, 95):7.2f}")
        times, _ = timed(fts_engine.run, batch)
        cells.append(f"{percentile(times, 50):7.2f} / {percentile(times, 95):7.2f}")
        print(f"{kind:10s}" + "".join(f"{c:>18s}" for c in cells))
        for a, b in zip(tops["whoosh"], tops["tantivy"], strict=True):
            if a or b:
                overlaps.append(len(set(a) & set(b)) / max(len(a), len(b)))
                identical += a == b
    fts_engine.close()
    mean = sum(overlaps) / len(overlaps) if overlaps else 0.0
    print(
        f"\noverlap@10 whoosh/tantivy: {mean:.3f} over {len(overlaps)} queries with hits "
        f"({identical} identical top-10 lists)"
    )
    for ix in indexes.values():
        ix.close()


if __name__ == "__main__":
    main()

"""Benchmark statement-search against SQLite FTS5 and write bench/RESULTS.md.

One command measures, per scale: end-to-end build (CLI `index` in a child
process: quotes/s, peak RSS), index size, warm query latency through the
Python API interleaved query by query with FTS5, cold CLI search; once:
extraction speed, incremental adds to the largest index, and profiles.

Example:
    .venv/bin/python bench/run.py --texts ../shared/eval/polnear-dev/train/texts --scales 1,10
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import shlex
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import fts  # noqa: E402
import generate  # noqa: E402
import measure  # noqa: E402
import queries as qset  # noqa: E402
import report  # noqa: E402

HERE = Path(__file__).parent


@dataclass
class ScaleResult:
    """Everything measured at one scale."""

    scale: float
    corpus: generate.CorpusInfo
    builds: list[measure.RunResult] = field(default_factory=list)
    quotes: int = 0
    index_bytes: int = 0
    fts_bytes: int = 0
    fts_load_s: float = 0.0
    latency: dict[str, dict[str, list[list[float]]]] = field(default_factory=dict)
    hits: dict[str, dict[str, float]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    cold: dict[str, list[float]] = field(default_factory=dict)


class SsEngine:
    """statement-search through the Python API, one QuoteIndex reused."""

    def __init__(self, index_dir: Path) -> None:
        from statement_search.engines.index import QuoteIndex

        self.ix = QuoteIndex.open(index_dir)
        self.params = inspect.signature(self.ix.search).parameters
        self.notes: dict[str, str] = {}
        self.kept: dict[str, int] = {}  # query types timed on a prefix only

    def text_and_filters(self, q: fts.FtsQuery) -> tuple[str, dict[str, Any]]:
        text, kwargs = qset.whoosh_text(q), {}
        if q.speaker:
            kwargs["speaker"] = q.speaker
        if q.topic:
            if "topic" in self.params:
                kwargs["topic"] = q.topic
            else:
                text = f"({text}) AND topics:'{q.topic}'"
                self.notes["topic"] = "no topic= yet: ANDed `topics:` term"
        if q.since and q.until:
            if "since" in self.params:
                kwargs["since"], kwargs["until"] = q.since, q.until
            else:
                lo, hi = (d.year * 10000 + d.month * 100 + d.day for d in (q.since, q.until))
                text = f"({text}) AND date:[{lo} TO {hi}]"
                self.notes["date"] = "no since=/until= yet: ANDed range query"
        return text, kwargs

    def run(self, q: fts.FtsQuery) -> int:
        text, kwargs = self.text_and_filters(q)
        return len(self.ix.search(text, limit=10, **kwargs))


def rows_from_index(index_dir: Path) -> list[fts.Row]:
    """The indexed quotes, read back from the stored fields (exactly what was indexed)."""
    from statement_search.engines.index import QuoteIndex

    rows = []
    with QuoteIndex.open(index_dir) as ix:
        for f in ix.engine.searcher().all_stored_fields():
            iso = f.get("date_iso") or ""
            topics = f.get("topics") or ""
            rows.append(
                fts.Row(
                    id=f.get("id", ""),
                    text=f.get("text") or "",
                    context=f.get("context") or "",
                    title=f.get("title") or "",
                    speaker=f.get("speaker") or "",
                    topics=tuple(
                        t for t in (topics.split(",") if isinstance(topics, str) else topics) if t
                    ),
                    date=int(iso[:10].replace("-", "")) if iso else 0,
                    source=f.get("source") or "",
                )
            )
    return rows


def build_command(corpus: Path, index_dir: Path, extra: list[str]) -> list[str]:
    """`statement-search index` with whatever parallel/rebuild options it offers."""
    help_text = measure.subprocess.run(
        [measure.cli_path(), "index", "--help"], capture_output=True, text=True
    ).stdout
    cmd = [measure.cli_path(), "index", str(corpus), "--index", str(index_dir)]
    if "--rebuild" in help_text:
        cmd.append("--rebuild")
    jobs = re.search(r"--(jobs|procs|workers|processes)\b", help_text)
    if jobs and not any(a.startswith("--" + jobs.group(1)) for a in extra):
        cmd += ["--" + jobs.group(1), "2"]
    return cmd + extra


def run_build(res: ScaleResult, corpus: Path, index_dir: Path, runs: int, extra: list[str]) -> None:
    cmd = build_command(corpus, index_dir, extra)
    res.notes["build"] = " ".join(Path(cmd[0]).name if i == 0 else a for i, a in enumerate(cmd))
    for _ in range(runs):
        shutil.rmtree(index_dir, ignore_errors=True)
        result = measure.run_measured(cmd)
        if result.returncode != 0:
            raise SystemExit(f"build failed ({result.returncode}): {result.stderr[-2000:]}")
        res.builds.append(result)
        print(f"  build {result.seconds:.1f} s, maxrss {result.maxrss_mb:.0f} MB", flush=True)
    from statement_search.engines.index import QuoteIndex

    with QuoteIndex.open(index_dir) as ix:
        res.quotes = ix.count()
    res.index_bytes = measure.dir_size(index_dir)


def measure_queries(
    ss: SsEngine,
    engine: fts.FtsEngine,
    queries: dict[str, list[fts.FtsQuery]],
    passes: int,
    budget: float = 60.0,
) -> tuple[dict[str, dict[str, list[list[float]]]], dict[str, dict[str, float]]]:
    """Latency lists per kind and engine, one list per pass; alternates which engine goes first.

    A query type whose warm-up pass takes longer than `budget` seconds is timed
    on a prefix of its queries that fits the budget (noted in `ss.notes`).
    """
    latency: dict[str, dict[str, list[list[float]]]] = {}
    hits: dict[str, dict[str, float]] = {}
    clock = time.perf_counter
    for kind, items in queries.items():
        warm, done = 0.0, 0
        for q in items:  # warm-up pass: caches, filter sets, page cache
            done += 1
            t0 = clock()
            ss.run(q)
            warm += clock() - t0
            engine.run(q)
            if warm > budget:
                break
        if warm > budget:
            keep = max(10, int(done * budget / warm / passes))
            ss.notes[kind] = (
                f"timed on {keep} of {len(items)} queries: the warm-up averaged "
                f"{warm / done:.2f} s per statement-search query"
            )
            items = items[:keep]
            ss.kept[kind] = keep
        latency[kind] = {"ss": [], "fts": []}
        found = {"ss": 0, "fts": 0}
        for _ in range(passes):
            times: dict[str, list[float]] = {"ss": [], "fts": []}
            for i, q in enumerate(items):
                order = (("ss", ss.run), ("fts", engine.run))
                for name, run in order if i % 2 == 0 else order[::-1]:
                    t0 = clock()
                    found[name] += run(q)
                    times[name].append(clock() - t0)
            for name in times:
                latency[kind][name].append(times[name])
        hits[kind] = {n: found[n] / (passes * len(items)) for n in found}
    return latency, hits


def measure_cold(res: ScaleResult, index_dir: Path, db: Path, words: list[str], runs: int) -> None:
    cli = measure.cli_path()
    res.cold = {"ss": [], "fts": []}
    for i in range(runs + 1):
        word = words[i % len(words)]
        t_ss = measure.wall_time([cli, "search", word, "--index", str(index_dir)])
        t_fts = measure.wall_time([sys.executable, "-c", fts.COLD_SCRIPT, str(db), word])
        if i:  # the first round only warms the page cache
            res.cold["ss"].append(t_ss)
            res.cold["fts"].append(t_fts)


def measure_extraction(corpus: Path, articles: int, runs: int) -> dict[str, float]:
    """Read and extract articles/s on one core, in this process."""
    from statement_search.extraction.extract import extract_quotes
    from statement_search.extraction.topics import default_taxonomy
    from statement_search.readers import read_articles

    files = sorted(corpus.glob("*.jsonl"))
    read_s, extract_s, items = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        items = []
        for f in files:
            items += [a for a in read_articles(f) if not isinstance(a, Exception)]
            if len(items) >= articles:
                break
        items = items[:articles]
        read_s.append(time.perf_counter() - t0)
        default_taxonomy()
        t0 = time.perf_counter()
        quotes = sum(len(extract_quotes(a)) for a in items)
        extract_s.append(time.perf_counter() - t0)
    return {
        "articles": len(items),
        "quotes": quotes,
        "read_per_s": len(items) / measure.median(read_s),
        "extract_per_s": len(items) / measure.median(extract_s),
        "extract_quotes_per_s": quotes / measure.median(extract_s),
    }


def measure_adds(
    index_dir: Path,
    work: Path,
    sources: list[generate.SourceArticle],
    queries: list[fts.FtsQuery],
    adds: int,
) -> dict[str, Any]:
    """Single-article adds to a copy of the largest index; search before and after."""

    copy = work / "index-adds"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(index_dir, copy)
    files_dir = work / "added"
    shutil.rmtree(files_dir, ignore_errors=True)
    files_dir.mkdir(parents=True)
    ss = SsEngine(copy)

    def latencies() -> list[float]:
        for q in queries:
            ss.run(q)
        out = []
        for q in queries:
            t0 = time.perf_counter()
            ss.run(q)
            out.append(time.perf_counter() - t0)
        return out

    segments = lambda: len(list(copy.glob("*.seg")))  # noqa: E731
    before, seg_before = latencies(), segments()
    times = []
    for i, record in enumerate(generate.extra_articles(sources, adds, seed=8)):
        path = files_dir / f"added-{i:04d}.jsonl"
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        t0 = time.perf_counter()
        ss.ix.add([path])
        times.append(time.perf_counter() - t0)
    first_search = time.perf_counter()
    ss.run(queries[0])
    first_search = time.perf_counter() - first_search
    after = latencies()
    ss.ix.close()
    return {
        "adds": len(times),
        "add_p50": measure.median(times),
        "add_p95": measure.percentile(times, 95),
        "add_first": times[0],
        "segments_before": seg_before,
        "segments_after": segments(),
        "first_search_after": first_search,
        "before": before,
        "after": after,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=Path, required=True)
    parser.add_argument("--scales", default="1,10", help="comma-separated, e.g. 1,10,100")
    parser.add_argument("--quotes-per-x", type=int, default=generate.DEFAULT_QUOTES_PER_X)
    parser.add_argument("--queries", type=int, default=200, help="queries per type")
    parser.add_argument("--passes", type=int, default=3, help="timed passes over the query set")
    parser.add_argument("--build-runs", type=int, default=3, help="builds below 10x")
    parser.add_argument("--big-build-runs", type=int, default=1, help="builds at 10x and above")
    parser.add_argument(
        "--type-budget",
        type=float,
        default=60.0,
        help="seconds per query type before timing a prefix only",
    )
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--adds", type=int, default=100)
    parser.add_argument("--extract-articles", type=int, default=400)
    parser.add_argument("--build-args", default="", help="extra `index` options, quoted")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()

    machine = measure.machine_line()
    code = measure.code_line()  # at the start: the code this run imports and measures
    print(machine, flush=True)
    scales = [float(s) for s in args.scales.split(",")]
    args.out.mkdir(parents=True, exist_ok=True)
    sources = generate.load_sources(args.texts)
    results: list[ScaleResult] = []
    extraction: dict[str, float] = {}
    for scale in scales:
        tag = f"{scale:g}x"
        print(f"[{tag}] corpus", flush=True)
        corpus_dir = args.out / f"corpus-{tag}"
        info = generate.generate(
            args.texts, scale, corpus_dir, args.quotes_per_x, args.seed, sources
        )
        res = ScaleResult(scale, info)
        if not extraction:
            print(f"[{tag}] extraction", flush=True)
            extraction = measure_extraction(corpus_dir, args.extract_articles, 3)
        print(f"[{tag}] build", flush=True)
        index_dir = args.out / f"index-{tag}"
        runs = args.build_runs if scale < 10 else args.big_build_runs
        run_build(res, corpus_dir, index_dir, runs, args.build_args.split())
        print(f"[{tag}] FTS5 load", flush=True)
        rows = rows_from_index(index_dir)
        db = args.out / f"fts-{tag}.sqlite"
        _, res.fts_load_s = fts.build(db, rows)
        res.fts_bytes = db.stat().st_size
        queries = qset.build_queries(rows, args.queries, args.seed)
        del rows
        print(f"[{tag}] warm queries", flush=True)
        ss, engine = SsEngine(index_dir), fts.FtsEngine(db)
        res.latency, res.hits = measure_queries(ss, engine, queries, args.passes, args.type_budget)
        res.notes.update(ss.notes)
        kept = ss.kept
        ss.ix.close()
        engine.close()
        print(f"[{tag}] cold search", flush=True)
        words = [q.words[0] for q in queries["plain"][:10]]
        measure_cold(res, index_dir, db, words, args.cold_runs)
        results.append(res)
        print(report.scale_summary(res), flush=True)

    largest = results[-1]
    tag = f"{largest.scale:g}x"
    print(f"[{tag}] {args.adds} single-article adds", flush=True)
    adds = measure_adds(args.out / f"index-{tag}", args.out, sources, queries["plain"], args.adds)
    profiles: dict[str, Any] = {}
    if not args.no_profile:
        # Profile the queries that were timed, so one slow type does not swamp the rest.
        timed = {k: v[: kept.get(k, len(v))] for k, v in queries.items()}
        profiles = run_profiles(args, results, timed)
    command = " ".join([".venv/bin/python bench/run.py"] + [shlex.quote(a) for a in sys.argv[1:]])
    text = report.render(machine, command, results, extraction, adds, profiles, args.queries, code)
    args.results.write_text(text, encoding="utf-8")
    print(text)


def run_profiles(
    args: argparse.Namespace, results: list[ScaleResult], queries: dict[str, list[fts.FtsQuery]]
) -> dict[str, Any]:
    """cProfile one in-process build of the smallest corpus and one pass of warm queries."""
    from statement_search.engines.index import QuoteIndex

    small = f"{results[0].scale:g}x"
    where = args.out / "index-profile"
    shutil.rmtree(where, ignore_errors=True)
    print(f"[{small}] profile build", flush=True)

    def build() -> None:
        ix = QuoteIndex.create(where)
        ix.add([args.out / f"corpus-{small}"])
        ix.close()

    t0 = time.perf_counter()
    build_top = measure.profile(build, args.out / "profile-build.pstats")
    build_s = time.perf_counter() - t0
    big = f"{results[-1].scale:g}x"
    print(f"[{big}] profile queries", flush=True)
    ss = SsEngine(args.out / f"index-{big}")
    for items in queries.values():  # warm, as in the measured runs
        for q in items:
            ss.run(q)
    t0 = time.perf_counter()
    query_top = measure.profile(
        lambda: [ss.run(q) for items in queries.values() for q in items],
        args.out / "profile-queries.pstats",
    )
    query_s = time.perf_counter() - t0
    ss.ix.close()
    return {
        "build": build_top,
        "build_s": build_s,
        "build_scale": small,
        "build_own": measure.own_time_top(args.out / "profile-build.pstats"),
        "queries": query_top,
        "queries_s": query_s,
        "queries_scale": big,
        "queries_n": sum(len(v) for v in queries.values()),
        "queries_own": measure.own_time_top(args.out / "profile-queries.pstats"),
    }


if __name__ == "__main__":
    main()

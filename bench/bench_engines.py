"""Whoosh, tantivy, raw tantivy and SQLite FTS5 side by side at 1x, 10x and 100x (#21).

Run (from the repo root; corpora, indexes and results go to the git-ignored `bench/out/`):
    .venv/bin/python bench/bench_engines.py --scales 1,10          # then --scales 100 (long)
    .venv/bin/python bench/bench_engines.py --report-only           # RESULTS.md/README from JSON

Per scale (corpus from generate.py over `../shared/eval/polnear-dev/train/texts`):
- **build**, each engine in a child process (`QuoteIndex.create(path, engine=…).sync([corpus])`:
  read + extract + index, 2 workers): seconds, quotes/s, CPU seconds of the process tree, peak
  RSS (sampled tree sum and largest process; measure.py);
- **raw tantivy** (raw_tantivy.py): the quotes read back from the Whoosh index, filed straight
  into a tantivy index of the same schema (its index-only time reported), queried by tantivy
  alone; **FTS5** (fts.py) loaded from the same quotes;
- **queries** (queries.py; `--per-kind` of each kind, ~200 in all): a warm-up pass, then
  `--passes` timed passes in which the engines take turns query by query (the first engine
  rotates), so load from other work on the machine falls on all of them alike: p50/p95 ms;
- **same answers**: whether both engines hold the same quote ids, speakers and texts, and for
  every query the overlap@10 of their top-10 ids (|A ∩ B| / max(|A|, |B|), queries where
  either finds something), identical lists, and speakers of the shared hits;
- **cold start** (`statement-search search WORD --index DIR` as a subprocess; median of
  `--cold-runs` after one page-cache warm-up), **one-article add** (`ix.add([file])` of
  `--adds` new small files, p50), after the queries.
`--answers-only` runs only the same-answers step on the two indexes a scale already has (the
same query set, drawn from the Whoosh index's quotes as above) and prints `compare()`'s result
without building, loading raw tantivy/FTS5 or timing, nor writing any file.
Each scale's results go to `bench/out/engines-<N>x.json`; the report is rendered from every
such file into a dated section of `bench/RESULTS.md` and a summary table in `bench/README.md`
(engines_report.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import engines_report  # noqa: E402
import fts  # noqa: E402
import generate  # noqa: E402
import measure  # noqa: E402
from queries import build_queries, whoosh_text  # noqa: E402
from raw_tantivy import RawTantivy  # noqa: E402

from statement_search import QuoteIndex  # noqa: E402
from statement_search.engines.whoosh.schema import date_number  # noqa: E402

TEXTS = HERE.parent.parent / "shared" / "eval" / "polnear-dev" / "train" / "texts"
ENGINES = ("whoosh", "tantivy")
QUERY_ROWS = 300_000  # quotes the query set is drawn from (a stride sample above this)

BUILD_SCRIPT = """
import json, resource, sys, time
from statement_search import QuoteIndex
engine, path, corpus = sys.argv[1:4]
started = time.perf_counter()
ix = QuoteIndex.create(path, engine=engine)
ix.sync([corpus])
seconds = time.perf_counter() - started
quotes = ix.count()
ix.close()
cpu = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF,
          resource.RUSAGE_CHILDREN) for f in ("ru_utime", "ru_stime"))
print(json.dumps({"seconds": seconds, "quotes": quotes, "cpu": cpu}))
"""


def build(engine: str, corpus: Path, path: Path) -> dict[str, Any]:
    """One engine's end-to-end build in a child process: time, CPU, memory."""
    import shutil

    shutil.rmtree(path, ignore_errors=True)
    result = measure.run_measured(
        [sys.executable, "-c", BUILD_SCRIPT, engine, str(path), str(corpus)]
    )
    if result.returncode != 0:
        raise SystemExit(f"{engine} build failed: {result.stderr[-2000:]}")
    out = json.loads(result.stdout.strip().splitlines()[-1])
    out.update(tree_rss_mb=result.tree_rss_mb, maxrss_mb=result.maxrss_mb)
    out["quotes_per_s"] = out["quotes"] / out["seconds"]
    out["cpu_ms_per_quote"] = out["cpu"] / out["quotes"] * 1000
    return out


def load_quotes(whoosh: Any, raw: RawTantivy, db: Path) -> tuple[list[fts.Row], set[int], float]:
    """One pass over the Whoosh index's quotes: the raw tantivy index and FTS5 filled from
    them; a sample of rows for the query set; fingerprints of (id, speaker, text)."""
    sample: list[fts.Row] = []
    prints: set[int] = set()
    stride = max(1, whoosh.count() // QUERY_ROWS)
    feeding = [0.0]

    def rows() -> Any:
        for i, q in enumerate(whoosh.quotes()):
            started = time.perf_counter()
            raw.add(q)
            prints.add(_fingerprint(q))
            row = fts.Row(
                q.id,
                q.text,
                q.context,
                q.title,
                q.speaker or "",
                q.topics,
                date_number(q.date),
                q.source or "",
            )
            if i % stride == 0:
                sample.append(dataclasses.replace(row, context="", title=""))
            feeding[0] += time.perf_counter() - started
            yield row

    _, seconds = fts.build(db, rows())
    raw.commit()
    return sample, prints, seconds - feeding[0]


def _fingerprint(q: Any) -> int:
    return zlib.crc32(f"{q.id}\x00{q.speaker or ''}\x00{q.text}".encode())


def same_quotes(tantivy: Any, whoosh_prints: set[int], whoosh_count: int) -> dict[str, Any]:
    """Whether the tantivy index holds exactly the Whoosh index's (id, speaker, text)s."""
    count, missing = 0, 0
    for q in tantivy.quotes():
        count += 1
        missing += _fingerprint(q) not in whoosh_prints
    return {
        "whoosh": whoosh_count,
        "tantivy": count,
        "unmatched": missing,
        "same": count == whoosh_count and missing == 0,
    }


def hits_of(ix: Any, q: fts.FtsQuery) -> list[tuple[str, str, str]]:
    """Top 10 (id, speaker, text) through the library API; a highlighted query's
    highlights read too (an engine may work them out only when read)."""
    hits = ix.search(
        whoosh_text(q), speaker=q.speaker, topic=q.topic, since=q.since, until=q.until, limit=10
    )
    if q.highlight:  # read: an engine may work highlights out only when they are read
        _ = [hit.highlights for hit in hits]
    return [(hit.quote.id, hit.quote.speaker or "", hit.quote.text) for hit in hits]


def time_queries(
    runners: dict[str, Callable[[fts.FtsQuery], Any]], batch: list[fts.FtsQuery], passes: int
) -> tuple[dict[str, list[float]], dict[str, list[float]], dict[str, list[Any]]]:
    """Warm-up pass, then `passes` passes taking turns query by query; wall and CPU (this
    thread's: what other work on the machine does not add) times in ms."""
    names = list(runners)
    for q in batch:
        for name in names:
            runners[name](q)
    times: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    results: dict[str, list[Any]] = {n: [] for n in names}
    for p in range(passes):
        for i, q in enumerate(batch):
            turn = (i + p) % len(names)
            for name in names[turn:] + names[:turn]:
                started, thread = time.perf_counter(), time.thread_time()
                out = runners[name](q)
                times[name].append((time.perf_counter() - started) * 1000)
                cpu[name].append((time.thread_time() - thread) * 1000)
                if p == 0:
                    results[name].append(out)
    return times, cpu, results


def compare(whoosh: list[list[Any]], tantivy: list[list[Any]]) -> dict[str, Any]:
    """Overlap@10 of the ids; also counting copies of one quote (the same text, in other
    articles: the generated corpora recombine paragraphs) as interchangeable, since the
    engines break ties of equal scores differently."""
    overlaps, by_text, identical, shared, speakers_same = [], [], 0, 0, 0
    for a, b in zip(whoosh, tantivy, strict=True):
        if not a and not b:
            continue
        ids_a, ids_b = [h[0] for h in a], [h[0] for h in b]
        overlaps.append(len(set(ids_a) & set(ids_b)) / max(len(a), len(b)))
        texts = Counter(h[2] for h in a) & Counter(h[2] for h in b)
        by_text.append(sum(texts.values()) / max(len(a), len(b)))
        identical += ids_a == ids_b
        said_b = {h[0]: h[1] for h in b}
        for qid, speaker, _ in a:
            if qid in said_b:
                shared += 1
                speakers_same += said_b[qid] == speaker
    return {
        "queries_with_hits": len(overlaps),
        "overlap_at_10": sum(overlaps) / len(overlaps) if overlaps else 0.0,
        "overlap_at_10_copies_as_one": sum(by_text) / len(by_text) if by_text else 0.0,
        "identical_top10": identical,
        "shared_hits": shared,
        "shared_hits_same_speaker": speakers_same,
    }


def sample_rows(whoosh: Any) -> list[fts.Row]:
    """The rows `load_quotes` samples for the query set, without loading anything else."""
    stride = max(1, whoosh.count() // QUERY_ROWS)
    return [
        fts.Row(
            q.id, q.text, "", "", q.speaker or "", q.topics, date_number(q.date), q.source or ""
        )
        for i, q in enumerate(whoosh.quotes())
        if i % stride == 0
    ]


def answers_only(args: argparse.Namespace, scale: float) -> dict[str, Any]:
    """`compare()` of both engines' top 10 over a scale's existing indexes (read only)."""
    tag = f"{scale:g}x"
    whoosh = QuoteIndex.open(args.out / f"engines-{tag}-whoosh")
    tantivy = QuoteIndex.open(args.out / f"engines-{tag}-tantivy")
    queries = build_queries(sample_rows(whoosh), args.per_kind)
    batch = [q for kind in queries.values() for q in kind]
    tops_w, tops_t = [hits_of(whoosh, q) for q in batch], [hits_of(tantivy, q) for q in batch]
    answers = {**compare(tops_w, tops_t), **gap_causes(whoosh, tantivy, batch, tops_w, tops_t)}
    print(json.dumps({"scale": tag, "code": measure.code_line(), **answers}), flush=True)
    return answers


def _scores(ix: Any, q: fts.FtsQuery, limit: int = 50) -> dict[str, float]:
    hits = ix.search(
        whoosh_text(q), speaker=q.speaker, topic=q.topic, since=q.since, until=q.until, limit=limit
    )
    return {hit.quote.id: round(hit.score, 5) for hit in hits}


def gap_causes(
    whoosh: Any, tantivy: Any, batch: list[fts.FtsQuery], tops_w: list[Any], tops_t: list[Any]
) -> dict[str, Any]:
    """Why top 10s differ: the engines' scores order some pair of the two top 10s
    differently (one ranks them apart, the other ties or reverses them, or a hit is not
    in the other's top 50), or the scores agree and only the order of ties differs.  The
    overlap@10 lost (per query with hits, as `compare`) to each."""
    counts = {"scores": 0, "ties": 0}
    lost = {"scores": 0.0, "ties": 0.0}
    with_hits = 0
    for q, a, b in zip(batch, tops_w, tops_t, strict=True):
        with_hits += bool(a or b)
        ids_a, ids_b = [h[0] for h in a], [h[0] for h in b]
        if ids_a == ids_b:
            continue
        shared = len(set(ids_a) & set(ids_b)) / max(len(a), len(b))
        sw, st = _scores(whoosh, q), _scores(tantivy, q)
        both = sorted(set(ids_a) | set(ids_b))
        cause = "ties"
        if any(i not in sw or i not in st for i in both) or any(
            (sw[x] > sw[y]) - (sw[x] < sw[y]) != (st[x] > st[y]) - (st[x] < st[y])
            for i, x in enumerate(both)
            for y in both[i + 1 :]
        ):
            cause = "scores"
        counts[cause] += 1
        lost[cause] += 1 - shared
    return {
        "top10_differ_scores_order_differently": counts["scores"],
        "top10_differ_same_score_order": counts["ties"],
        "overlap_lost_to_scores": lost["scores"] / max(1, with_hits),
        "overlap_lost_to_ties": lost["ties"] / max(1, with_hits),
    }


def cold_start(index_dir: Path, words: list[str], runs: int) -> float:
    cli = measure.cli_path()
    times = [
        measure.wall_time([cli, "search", words[i % len(words)], "--index", str(index_dir)])
        for i in range(runs + 1)
    ]
    return statistics.median(times[1:])


def cold_fts(db: Path, words: list[str], runs: int) -> float:
    times = [
        measure.wall_time([sys.executable, "-c", fts.COLD_SCRIPT, str(db), words[i % len(words)]])
        for i in range(runs + 1)
    ]
    return statistics.median(times[1:])


def adds(ix: Any, records: list[dict[str, str]], folder: Path) -> list[float]:
    """Seconds per one-article `add` of each record as a new small JSONL file."""
    folder.mkdir(parents=True, exist_ok=True)
    times = []
    for i, record in enumerate(records):
        path = folder / f"added-{i:03d}.jsonl"
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        started = time.perf_counter()
        ix.add([path])
        times.append(time.perf_counter() - started)
    return times


def bench_scale(args: argparse.Namespace, scale: float, sources: list[Any]) -> dict[str, Any]:
    tag = f"{scale:g}x"
    out = args.out
    corpus = out / f"corpus-{tag}"
    info = generate.generate(args.texts, scale, corpus, sources=sources)
    result_path = out / f"engines-{tag}.json"
    old = json.loads(result_path.read_text()) if result_path.is_file() else {}
    res: dict[str, Any] = {
        "scale": tag,
        "articles": info.articles,
        "machine": measure.machine_line(),
        "code": measure.code_line(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "build": {},
    }
    for engine in args.build_only or ENGINES:
        index_dir = out / f"engines-{tag}-{engine}"
        if engine in args.reuse and engine in old.get("build", {}) and index_dir.is_dir():
            res["build"][engine] = old["build"][engine]
            print(f"[{tag}] {engine}: reusing the build of {old['build'][engine].get('code')}")
            continue
        print(f"[{tag}] build {engine}", flush=True)
        code = measure.code_line()
        res["build"][engine] = {**build(engine, corpus, index_dir), "code": code}
        print(f"  {json.dumps(res['build'][engine])}", flush=True)
        old = json.loads(result_path.read_text()) if result_path.is_file() else {}
        old = {**old, "build": {**old.get("build", {}), engine: res["build"][engine]}}
        result_path.write_text(json.dumps(old, indent=1))
    if args.build_only:
        return old

    print(f"[{tag}] raw tantivy + FTS5 from the Whoosh quotes", flush=True)
    whoosh = QuoteIndex.open(out / f"engines-{tag}-whoosh")
    tantivy = QuoteIndex.open(out / f"engines-{tag}-tantivy")
    import shutil

    shutil.rmtree(out / f"engines-{tag}-raw", ignore_errors=True)
    raw = RawTantivy(out / f"engines-{tag}-raw", create=True)
    db = out / f"engines-{tag}-fts.sqlite"
    rows, prints, fts_seconds = load_quotes(whoosh, raw, db)
    quotes = whoosh.count()
    res["build"]["raw"] = {"seconds": raw.add_seconds, "quotes": quotes}
    res["build"]["fts5"] = {"seconds": fts_seconds, "quotes": quotes}
    print(f"[{tag}] same quotes?", flush=True)
    res["same_quotes"] = same_quotes(tantivy, prints, quotes)
    del prints
    print(f"  {res['same_quotes']}", flush=True)

    queries = build_queries(rows, args.per_kind)
    words = [q.words[0] for q in queries["plain"][:10]]
    del rows
    fts_engine = fts.FtsEngine(db)
    everyone = [q for batch in queries.values() for q in batch]
    keys = {id(q): RawTantivy.keys(q, tantivy.engine) for q in everyone}
    plain_keys = {id(q): RawTantivy.keys(q) for q in everyone}
    plain = RawTantivy(out / f"engines-{tag}-raw", title_boost=False)
    plain.commit()
    runners: dict[str, Callable[[fts.FtsQuery], Any]] = {
        "whoosh": lambda q: hits_of(whoosh, q),
        "tantivy": lambda q: hits_of(tantivy, q),
        "raw": lambda q: raw.run(q, keys[id(q)]),
        "raw-plain": lambda q: plain.run(q, plain_keys[id(q)]),
        "fts5": fts_engine.run,
    }
    res["queries"], tops_w, tops_t = {}, [], []
    for kind, batch in queries.items():
        print(f"[{tag}] {kind}: {len(batch)} queries", flush=True)
        times, cpu, results = time_queries(runners, batch, args.passes)
        res["queries"][kind] = {
            n: [measure.percentile(t, 50), measure.percentile(t, 95), len(batch)]
            for n, t in times.items()
        }
        res.setdefault("cpu", {})[kind] = {
            n: [measure.percentile(t, 50), measure.percentile(t, 95)] for n, t in cpu.items()
        }
        print(f"  {res['queries'][kind]}", flush=True)
        tops_w += results["whoosh"]
        tops_t += results["tantivy"]
    res["answers"] = compare(tops_w, tops_t)
    print(f"  {res['answers']}", flush=True)
    fts_engine.close()

    print(f"[{tag}] cold start, adds", flush=True)
    res["cold"] = {
        e: cold_start(out / f"engines-{tag}-{e}", words, args.cold_runs) for e in ENGINES
    }
    res["cold"]["fts5"] = cold_fts(db, words, args.cold_runs)
    records = generate.extra_articles(sources, args.adds, seed=int(time.time()))
    res["adds"] = {}
    for name, ix in (("whoosh", whoosh), ("tantivy", tantivy)):
        times = adds(ix, records, out / f"engines-{tag}-added-{name}-{int(time.time())}")
        res["adds"][name] = [statistics.median(times), measure.percentile(times, 95), len(times)]
        ix.close()
    print(f"  cold {res['cold']} adds {res['adds']}", flush=True)
    result_path.write_text(json.dumps(res, indent=1))
    return res


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="1", help="comma-separated, e.g. 1,10,100")
    parser.add_argument("--per-kind", type=int, default=34, help="queries of each kind")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--adds", type=int, default=20)
    parser.add_argument("--texts", type=Path, default=TEXTS)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument(
        "--reuse", default="", help="engines whose last build at a scale is reused, e.g. whoosh"
    )
    parser.add_argument(
        "--build-only", default="", help="only build these engines' indexes (kept for --reuse)"
    )
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument(
        "--answers-only", action="store_true", help="only compare the engines' top 10 (no build)"
    )
    args = parser.parse_args()
    args.reuse = {e for e in args.reuse.split(",") if e}
    args.build_only = [e for e in args.build_only.split(",") if e]
    if args.answers_only:
        for scale in (float(s) for s in args.scales.split(",")):
            answers_only(args, scale)
        return
    if not args.report_only:
        if not args.texts.is_dir():
            sys.exit(f"bench_engines: no source texts at {args.texts}")
        args.out.mkdir(parents=True, exist_ok=True)
        sources = generate.load_sources(args.texts)
        for scale in (float(s) for s in args.scales.split(",")):
            bench_scale(args, scale, sources)
    if not args.build_only:
        engines_report.write(args.out, HERE / "RESULTS.md", HERE / "README.md")


if __name__ == "__main__":
    main()

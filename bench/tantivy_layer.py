"""What the tantivy engine's layer costs over raw tantivy, in CPU time, on one index (#21).

Run on an index bench_engines.py built (its tantivy folder is queried raw as well):
    .venv/bin/python bench/tantivy_layer.py bench/out/engines-10x-tantivy
    PYTHONPATH=/tmp/base/src .venv/bin/python bench/tantivy_layer.py DIR   # older code, A/B

The query set (queries.py, `--per-kind` of each kind) is drawn from every `--stride`-th
stored quote and kept beside the index (`layer-queries.pkl`), so runs of two versions
of the code ask the same queries.  Each query is asked through `QuoteIndex.search` and
raw (raw_tantivy.py) in turn, `--passes` times after a warm-up; the CPU time of this
thread is what other work on a shared machine does not inflate as it does wall time.
"""

from __future__ import annotations

import argparse
import itertools
import pickle
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import fts  # noqa: E402
from bench_engines import hits_of  # noqa: E402
from measure import percentile  # noqa: E402
from queries import build_queries  # noqa: E402
from raw_tantivy import RawTantivy  # noqa: E402

from statement_search import QuoteIndex  # noqa: E402
from statement_search.engines.documents import date_number  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--per-kind", type=int, default=34)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--stride", type=int, default=3)
    args = parser.parse_args()
    ix = QuoteIndex.open(args.index)
    raw = RawTantivy(args.index / "tantivy")
    raw.commit()
    bare = RawTantivy(args.index / "tantivy", title_boost=False)
    bare.commit()
    saved = args.index.parent / f"{args.index.name}-layer-queries.pkl"
    if saved.is_file():
        queries = pickle.loads(saved.read_bytes())
    else:
        rows = [
            fts.Row(q.id, q.text, "", "", q.speaker or "", q.topics, date_number(q.date), "")
            for q in itertools.islice(ix.quotes(), 0, None, args.stride)
        ]
        queries = build_queries(rows, args.per_kind)
        saved.write_bytes(pickle.dumps(queries))
    print(
        f"{'kind':10s} {'layer p50/p95':>15s} {'raw p50/p95':>15s}  p95 ratio  mean ratio"
        "  (raw without the title boost and with one filter term: p95, p95 ratio)"
    )
    for kind, batch in queries.items():
        keys = {id(q): RawTantivy.keys(q, ix.engine) for q in batch}
        plain = {id(q): RawTantivy.keys(q) for q in batch}
        runs = {
            "layer": lambda q: hits_of(ix, q),
            "raw": lambda q, keys=keys: raw.run(q, keys[id(q)]),
            "bare": lambda q, keys=plain: bare.run(q, keys[id(q)]),
        }
        for q in batch:
            for run in runs.values():
                run(q)
        cpu: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.passes):
            for q in batch:
                for name, run in runs.items():
                    started = time.thread_time()
                    run(q)
                    cpu[name].append((time.thread_time() - started) * 1000)
        mine, base, no_title = cpu["layer"], cpu["raw"], cpu["bare"]
        print(
            f"{kind:10s} {percentile(mine, 50):7.3f}/{percentile(mine, 95):7.3f} "
            f"{percentile(base, 50):7.3f}/{percentile(base, 95):7.3f}  "
            f"{percentile(mine, 95) / percentile(base, 95):9.2f}  {sum(mine) / sum(base):10.2f}"
            f"  {percentile(no_title, 95):7.3f}"
            f" {percentile(mine, 95) / percentile(no_title, 95):5.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()

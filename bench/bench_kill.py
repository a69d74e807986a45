"""kill -9 trials: kill `index`, `index --rebuild`, `remove` and `optimize` at random moments,
then check (#20).

Each trial copies a fresh corpus state, starts the command in its own process
group, sends SIGKILL to that group after a random delay, and then checks that

- `stats` opens the index (exit 0),
- re-running `index CORPUS` converges to the quote count of a clean build,
- no partial files are left after that run (segment files no commit refers
  to, Whoosh's temporary storage, tantivy files outside its meta.json).

    .venv/bin/python bench/bench_kill.py --texts ../shared/eval/polnear-dev/train/texts \
        [--files 300] [--trials 4] [--engines whoosh,tantivy] [--ops index,rebuild,remove,optimize]

Bounded: each trial is a few seconds (a build of the chosen files).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = [sys.executable, "-m", "statement_search"]


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def killed_run(args: list[str], delay: float) -> int | None:
    """Start the command, SIGKILL its process group after `delay` s; its exit code if it
    ended first."""
    proc = subprocess.Popen(
        [*CLI, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        return proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return None


def quotes_of(index: Path) -> int:
    done = run("stats", "--index", str(index), "--format", "json")
    if done.returncode != 0:
        raise AssertionError(f"stats failed ({done.returncode}): {done.stderr.strip()}")
    return int(json.loads(done.stdout)["quotes"])


def partial_files(index: Path) -> list[str]:
    """Files of the index that no commit refers to."""
    if (index / "tantivy").is_dir():
        return _tantivy_partial(index / "tantivy")
    return _whoosh_partial(index)


def _whoosh_partial(index: Path) -> list[str]:
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(index))
    live = {seg.segment_id() for seg in ix._segments()}
    generation = ix.latest_generation()
    left = []
    for f in index.iterdir():
        name = f.name
        if name.endswith(".tmp") or name.endswith("-journal"):
            left.append(name)
        elif name.startswith("_MAIN_") and name.endswith(".toc"):
            if name != f"_MAIN_{generation}.toc":
                left.append(name)
        elif name.startswith("MAIN_") and name != "MAIN_WRITELOCK":
            if name.split(".")[0] not in live:
                left.append(name)
    return left


def _tantivy_partial(folder: Path) -> list[str]:
    meta = json.loads((folder / "meta.json").read_text())
    live = {s["segment_id"].replace("-", "") for s in meta["segments"]}
    left = []
    for f in folder.iterdir():
        if f.name.startswith(".") or f.name == "meta.json":
            continue
        if f.name.split(".")[0] not in live:
            left.append(f.name)
    return left


def trial(engine: str, op: str, corpus: Path, base: Path, work: Path, rng: random.Random) -> str:
    """One trial; returns a failure description or ''."""
    index = work / "ix"
    shutil.rmtree(index, ignore_errors=True)
    engine_args = ["--engine", engine] if engine != "whoosh" else []
    if op == "index":
        args = ["index", str(corpus), "--index", str(index), *engine_args]
        delay = rng.uniform(0.3, 3.5)
    else:
        shutil.copytree(base, index)
        if op == "remove":
            files = sorted(corpus.iterdir())[: len(list(corpus.iterdir())) // 3]
            args = ["remove", *map(str, files), "--index", str(index)]
            delay = rng.uniform(0.1, 0.8)  # a remove is short
        elif op == "rebuild":
            args = ["index", str(corpus), "--index", str(index), "--rebuild", *engine_args]
            delay = rng.uniform(0.2, 3.5)
        else:
            args = ["optimize", "--index", str(index)]
            delay = rng.uniform(0.2, 1.5)
    code = killed_run(args, delay)
    what = (
        f"{engine} {op} killed at {delay:.2f}s" if code is None else f"{engine} {op} ended {code}"
    )
    problems = []
    if index.exists():
        try:
            quotes_of(index)
            what += f" ({len(partial_files(index))} partial files after the kill)"
        except AssertionError as exc:
            problems.append(f"after kill: {exc}")
    again = run("index", str(corpus), "--index", str(index), *engine_args, "--prune")
    if again.returncode != 0:
        problems.append(f"re-run index exit {again.returncode}: {again.stderr.strip()[-300:]}")
    else:
        return_quotes = quotes_of(index)
        if return_quotes != EXPECTED[engine]:
            problems.append(f"converged to {return_quotes} quotes, clean build {EXPECTED[engine]}")
        left = partial_files(index)
        if left:
            problems.append(f"partial files left: {left[:5]}")
    return f"{what}: " + ("; ".join(problems) if problems else "ok")


EXPECTED: dict[str, int] = {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", default="../shared/eval/polnear-dev/train/texts")
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--trials", type=int, default=4)
    parser.add_argument("--engines", default="whoosh,tantivy")
    parser.add_argument("--ops", default="index,rebuild,remove,optimize")
    parser.add_argument("--seed", type=int, default=20)
    opts = parser.parse_args()
    rng = random.Random(opts.seed)
    texts = Path(opts.texts)
    if not texts.is_dir():
        print(f"no texts at {texts}", file=sys.stderr)
        return 2
    failures = 0
    with tempfile.TemporaryDirectory(prefix="kill-trials-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        corpus.mkdir()
        for f in sorted(texts.iterdir())[: opts.files]:
            shutil.copy(f, corpus / f.name)
        for engine in opts.engines.split(","):
            base = work / f"base-{engine}"
            engine_args = ["--engine", engine] if engine != "whoosh" else []
            start = time.monotonic()
            built = run(
                "index", str(corpus), "--index", str(base), *engine_args, "--batch-size", "50"
            )
            if built.returncode != 0:
                print(f"{engine}: clean build failed: {built.stderr.strip()}", file=sys.stderr)
                return 2
            EXPECTED[engine] = quotes_of(base)
            took = time.monotonic() - start
            print(f"{engine}: clean build {EXPECTED[engine]} quotes in {took:.1f}s")
            for op in opts.ops.split(","):
                for _ in range(opts.trials):
                    line = trial(engine, op, corpus, base, work, rng)
                    failures += not line.endswith(": ok")
                    print(line, flush=True)
    print(f"{failures} failed trials")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())

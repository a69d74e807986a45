"""Where a build's memory goes: each process's RSS through one CLI build, sampled 5x a second.

`measure.run_measured` gives the peaks; this says which process held what at the process
tree's peak, what the build was doing then (a merge's part files present, folded runs,
segments), and how busy both cores were (CPU seconds of the tree over 2 x wall time).

    .venv/bin/python bench/build_memory.py bench/out/corpus-10x [--index DIR] [--series OUT.json]

To measure frozen code, run it with PYTHONPATH pointing at a worktree's `src/`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MERGE_PART_PREFIX = "statement-search-merge-"
POOL_RUN_PREFIX = "statement-search-pool-"


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
    except OSError:
        pass
    return found


def _tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        current = todo.pop()
        seen.append(current)
        todo += _children(current)
    return seen


def _rss_mb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _phase(index: Path) -> dict[str, int]:
    names = os.listdir(index) if index.is_dir() else []
    return {
        "merge_parts": sum(name.startswith(MERGE_PART_PREFIX) for name in names),
        "folded_runs": sum(name.startswith(POOL_RUN_PREFIX) for name in names),
        "segments": sum(name.endswith(".seg") for name in names),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--index", type=Path, default=None, help="default: a temporary folder")
    parser.add_argument("--series", type=Path, default=None, help="write every sample here")
    args = parser.parse_args()
    index = args.index or Path(tempfile.mkdtemp(prefix="build-memory-")) / "index"
    cmd = [sys.executable, "-m", "statement_search", "index", str(args.corpus)]
    cmd += ["--index", str(index), "--rebuild"]
    started = time.monotonic()
    output = tempfile.TemporaryFile("w+")  # a file, not a pipe: a long error list cannot block
    proc = subprocess.Popen(cmd, stdout=output, stderr=subprocess.STDOUT, text=True)
    series: list[dict[str, object]] = []
    cpu: dict[int, float] = {}
    peak_mb, peak_sample, largest_mb = 0, {}, 0
    while proc.poll() is None:
        pids = _tree(proc.pid)
        per = sorted((_rss_mb(pid) for pid in pids), reverse=True)
        cpu.update({pid: _cpu_seconds(pid) for pid in pids})
        sample = {"s": round(time.monotonic() - started, 1), "tree_mb": sum(per), "per_mb": per}
        sample |= _phase(index)
        series.append(sample)
        largest_mb = max([largest_mb, *per])
        if sum(per) > peak_mb:
            peak_mb, peak_sample = sum(per), sample
        time.sleep(0.2)
    wall = time.monotonic() - started
    output.seek(0)
    said = output.read().strip().splitlines()
    if proc.returncode:
        raise SystemExit(f"build failed ({proc.returncode}): {said[-1:]}")
    print(f"seconds {wall:.1f}; {said[-1] if said else ''}")
    print(f"tree peak {peak_mb} MB: {peak_sample}")
    print(f"largest process {largest_mb} MB")
    busy = sum(cpu.values()) / (2 * wall)
    print(f"CPU s per process {sorted(round(c, 1) for c in cpu.values())}; both cores {busy:.0%}")
    if args.series:
        args.series.write_text(json.dumps(series))
    if args.index is None:
        shutil.rmtree(index.parent, ignore_errors=True)


if __name__ == "__main__":
    main()

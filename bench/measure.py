"""Measurement helpers: machine line, percentiles, builds in a subprocess, profiles."""

from __future__ import annotations

import cProfile
import io
import os
import platform
import pstats
import re
import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path


def cli_path() -> str:
    """The `statement-search` script beside the running interpreter."""
    import sys

    return str(Path(sys.executable).parent / "statement-search")


def machine_line() -> str:
    """CPU model, cores, RAM, Python, whoosh and SQLite versions on one line."""
    import sqlite3

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        ram = f"{kb / 1048576:.0f} GB RAM"
    except (OSError, AttributeError):
        ram = "? RAM"
    try:
        whoosh = metadata.version("whoosh-reloaded")
    except metadata.PackageNotFoundError:
        whoosh = "?"
    return (
        f"{cpu}, {os.cpu_count()} cores, {ram}, Python {platform.python_version()}, "
        f"whoosh-reloaded {whoosh}, SQLite {sqlite3.sqlite_version}"
    )


def code_line() -> str:
    """The commit measured, and whether the working tree had other changes."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], capture_output=True, text=True, cwd=Path(__file__).parent
        ).stdout.strip()

    head = git("log", "-1", "--format=%h %s")
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "src")
    return f"{head}" + (" + uncommitted changes in src/" if dirty else "")


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile of `values`."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(pct / 100 * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


@dataclass
class RunResult:
    """A command run in a child process: wall time, memory, output."""

    seconds: float
    maxrss_mb: float  # largest single process (ru_maxrss of the child and its waited children)
    tree_rss_mb: float  # sampled peak of the summed RSS of the child's process tree
    tree_pss_mb: float  # the same for PSS: pages shared by forked workers counted once
    returncode: int
    stdout: str
    stderr: str


def _tree_pids(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        ppid = re.search(r"PPid:\s+(\d+)", status)
        if ppid:
            children.setdefault(int(ppid.group(1)), []).append(int(entry))
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, []))
    return pids


def _tree_kb(root: int, part: str, pattern: str) -> int:
    """A /proc/PID/`part` figure (kB, first group of `pattern`) summed over `root`'s tree."""
    total = 0
    for pid in _tree_pids(root):
        try:
            text = Path(f"/proc/{pid}/{part}").read_text()
        except OSError:
            continue
        found = re.search(pattern, text, re.MULTILINE)
        total += int(found.group(1)) if found else 0
    return total


def _tree_rss_kb(root: int) -> int:
    return _tree_kb(root, "status", r"^VmRSS:\s+(\d+)")


def _tree_pss_kb(root: int) -> int:
    """Each page shared by several processes (forked workers) counted once, split among them."""
    return _tree_kb(root, "smaps_rollup", r"^Pss:\s+(\d+)")


def run_measured(cmd: list[str], cwd: Path | None = None) -> RunResult:
    """Run `cmd`; wall time, ru_maxrss (via wait4 on this child) and sampled tree RSS."""
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-{os.getpid()}.out"
    err_path = out_path.with_suffix(".err")
    with open(out_path, "w") as out, open(err_path, "w") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd)
        peak = [0, 0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.1):
                peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
                peak[1] = max(peak[1], _tree_pss_kb(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    result = RunResult(
        seconds,
        usage.ru_maxrss / 1024,
        peak[0] / 1024,
        peak[1] / 1024,
        proc.returncode,
        out_path.read_text(),
        err_path.read_text(),
    )
    out_path.unlink()
    err_path.unlink()
    return result


def wall_time(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def profile(
    func: Callable[[], object], out: Path, top: int = 25
) -> list[tuple[str, int, float, float]]:
    """cProfile `func`; dump stats to `out`; top entries by cumulative time.

    Each entry is (function, calls, own seconds, cumulative seconds); entries
    of the bench itself and of builtins that only wrap others are left out.
    """
    prof = cProfile.Profile()
    prof.enable()
    func()
    prof.disable()
    prof.dump_stats(out)
    stats = pstats.Stats(prof, stream=io.StringIO())
    rows = []
    for (filename, line, name), (_, calls, own, cum, _) in stats.stats.items():  # type: ignore[attr-defined]
        if "/bench/" in filename or filename == "~" or "cProfile" in filename:
            continue
        where = re.sub(r".*/(statement_search|whoosh)/", r"\1/", filename)
        where = re.sub(r".*/lib/python3\.\d+/", "", where)
        rows.append((f"{where}:{line}({name})", calls, own, cum))
    rows.sort(key=lambda r: -r[3])
    return rows[:top]


def own_time_top(stats_file: Path, top: int = 12) -> list[tuple[str, int, float, float]]:
    """Top entries of a dumped profile by own (tottime) seconds."""
    stats = pstats.Stats(str(stats_file), stream=io.StringIO())
    rows = []
    for (filename, line, name), (_, calls, own, cum, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = re.sub(r".*/(statement_search|whoosh)/", r"\1/", filename)
        where = re.sub(r".*/lib/python3\.\d+/", "", where)
        rows.append((f"{where}:{line}({name})", calls, own, cum))
    rows.sort(key=lambda r: -r[2])
    return rows[:top]

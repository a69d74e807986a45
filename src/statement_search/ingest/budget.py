"""Per-file guard for reading + extraction: a time budget, and one file's failure kept its own.

Input: a file and a callable doing its work; output: the work's result, or an
`InputError` naming the file.  Extraction is linear in a file's size, so a
budget in seconds per MB only trips on a pathological file, and the run goes
on without it.  The budget counts the process's CPU seconds, not the clock, so
a busy machine does not skip files.  On a main thread it interrupts the work
(`SIGPROF`); elsewhere (an API call from a thread) the work runs to its end
and is refused afterwards if it went over.
"""

from __future__ import annotations

import math
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, TypeVar

from ..errors import FileBudgetError, InputError, StatementSearchError

if TYPE_CHECKING:
    from ..extraction.topics import Taxonomy
    from ..models import Article, Quote

T = TypeVar("T")

ENV_VAR = "STATEMENT_SEARCH_TIME_BUDGET"
# Seconds of CPU per MB of source a file may take to read and extract: twice what
# dense real text costs (a quote and a new name every sentence, about 4 s/MB), so
# only a file no linear step handles is skipped; the hostile patterns of
# bench/bench_hostile.py take 1-10 s/MB...
DEFAULT_SECONDS_PER_MB = 8.0
# ...and at least this many, whatever its size (imports, a first HTML parse).
MIN_SECONDS = 10.0


def seconds_per_mb(value: float | None = None) -> float:
    """The budget rate: `value`, else `STATEMENT_SEARCH_TIME_BUDGET`, else the default.
    0 (or less) means no budget."""
    if value is None:
        raw = os.environ.get(ENV_VAR, "").strip()
        if not raw:
            return DEFAULT_SECONDS_PER_MB
        try:
            value = float(raw)
        except ValueError:
            raise StatementSearchError(
                f"{ENV_VAR}={raw!r} is not a number of seconds per MB"
            ) from None
    if math.isnan(value):
        raise StatementSearchError("a time budget must be a number of seconds per MB, not nan")
    return value


def file_budget(size: int, rate: float) -> float | None:
    """CPU seconds a file of `size` bytes may take at `rate` seconds per MB (None: no limit)."""
    if rate <= 0 or math.isinf(rate):
        return None
    return max(MIN_SECONDS, rate * size / 1048576)


def guarded(name: str, work: Callable[[], T], budget: float | None) -> T:
    """`work()`, its unexpected errors turned into an `InputError` naming the file
    (set STATEMENT_SEARCH_DEBUG to see them raised), within `budget` CPU seconds."""
    try:
        with _cpu_limit(name, budget):
            return work()
    except (StatementSearchError, KeyboardInterrupt):
        raise
    except (RecursionError, MemoryError) as exc:
        raise InputError(f"{name}: too large or too deeply nested to read ({_kind(exc)})") from None
    except Exception as exc:
        if os.environ.get("STATEMENT_SEARCH_DEBUG"):
            raise
        raise InputError(f"{name}: could not be read ({_kind(exc)}: {exc})") from None


def read_file(path: str | Path, rate: float | None = None) -> list[Article | InputError]:
    """Every article of a file, or its one error, within its time budget
    (`read_articles` guarded: what `read` shows)."""
    from ..readers import read_articles

    name = str(path)
    try:
        budget = file_budget(source_size(path), seconds_per_mb(rate))
        return guarded(name, lambda: list(read_articles(path)), budget)
    except InputError as exc:
        return [exc]


def extract_file(
    path: str | Path, taxonomy: Taxonomy | None = None, rate: float | None = None
) -> list[tuple[Article, list[Quote]] | InputError]:
    """Every article of a file with its quotes, or the file's one error, within
    its time budget (what `extract` prints)."""
    from ..extraction.extract import extract_quotes
    from ..readers import read_articles

    def work() -> list[tuple[Article, list[Quote]] | InputError]:
        return [
            item if isinstance(item, InputError) else (item, extract_quotes(item, taxonomy))
            for item in read_articles(path)
        ]

    try:
        budget = file_budget(source_size(path), seconds_per_mb(rate))
        return guarded(str(path), work, budget)
    except InputError as exc:
        return [exc]


def _kind(exc: BaseException) -> str:
    return type(exc).__name__


def source_size(path: str | Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


@contextmanager
def _cpu_limit(name: str, budget: float | None) -> Iterator[None]:
    if budget is None:
        yield
        return
    started = time.process_time()
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        if time.process_time() - started > budget:
            raise _over(name, budget)
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise _over(name, budget)

    previous = signal.signal(signal.SIGPROF, interrupt)
    signal.setitimer(signal.ITIMER_PROF, budget)
    try:
        yield
    finally:
        try:  # the one-shot timer may fire even here: the handler is put back regardless
            signal.setitimer(signal.ITIMER_PROF, 0)
        finally:
            signal.signal(signal.SIGPROF, previous)


def _over(name: str, budget: float) -> FileBudgetError:
    return FileBudgetError(
        f"{name}: over its time budget ({budget:.1f} CPU seconds to read and extract; "
        f"raise it with --time-budget or {ENV_VAR}, in seconds per MB)"
    )

"""Index stage, writer side: one writer at a time per index directory.

The lock is an OS file lock (`flock`) on `statement-search.lock`, so the
kernel releases it when the holder dies, even by `kill -9`: a lock left by a
dead process is stale by construction and the next writer simply takes it.
The file also records who holds it (pid, host, command, start time), so a
writer that gives up can say whom it waited for, and a writer that takes over
can say whose stale lock it recovered.  Readers never take this lock.

We take this lock *before* Whoosh's own `WRITELOCK`, so two of our writers
queue here with a timeout instead of one dying on Whoosh's `LockError`.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import IndexLockedError, InputError

LOCK_FILE = "statement-search.lock"
LOCK_TIMEOUT_ENV = "STATEMENT_SEARCH_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 30.0
_POLL_SECONDS = 0.05


@dataclass
class LockHolder:
    """Who holds (or last held) a writer lock."""

    pid: int
    host: str
    command: str
    since: float

    def describe(self) -> str:
        started = time.strftime("%H:%M:%S", time.localtime(self.since))
        return f"pid {self.pid} on {self.host} (`{self.command}`, since {started})"

    def is_dead(self) -> bool:
        """True when the holder ran on this host and that process is gone."""
        if self.host != socket.gethostname():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False


def lock_timeout(value: float | str | None = None) -> float:
    """The timeout to use: an explicit value, else the env var, else the default."""
    raw = value if value is not None else os.environ.get(LOCK_TIMEOUT_ENV)
    if raw is None or raw == "":
        return DEFAULT_LOCK_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        raise InputError(f"lock timeout {raw!r} is not a number of seconds") from None
    if not math.isfinite(seconds) or seconds < 0:
        raise InputError(f"lock timeout {raw!r} must be a finite number of seconds, 0 or more")
    return seconds


def read_holder(index_dir: str | Path) -> LockHolder | None:
    """The holder recorded in the lock file, or None when empty or unreadable."""
    try:
        data = json.loads((Path(index_dir) / LOCK_FILE).read_text(encoding="utf-8"))
        return LockHolder(
            int(data["pid"]), str(data["host"]), str(data["command"]), float(data["since"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


class WriterLock:
    """Exclusive writer lock on an index directory, waiting up to `timeout` seconds.

    Example:
        with WriterLock("index", timeout=10):
            ...  # write; other writers wait, readers go on
    """

    def __init__(self, index_dir: str | Path, timeout: float | None = None) -> None:
        self.index_dir = Path(index_dir)
        self.timeout = lock_timeout(timeout)
        self.recovered: LockHolder | None = None  # stale holder info we replaced
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> WriterLock:
        self.index_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.index_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise IndexLockedError(self._locked_message()) from None
                time.sleep(_POLL_SECONDS)
        # The file may still name a writer that died without cleaning up.
        previous = read_holder(self.index_dir)
        self.recovered = previous if previous is not None else None
        me = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": _command_line(),
            "since": time.time(),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(me).encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)  # an empty file means "nobody"
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _locked_message(self) -> str:
        holder = read_holder(self.index_dir)
        who = holder.describe() if holder else "another process"
        return (
            f"index at {self.index_dir} is being written by {who}; gave up after "
            f"{self.timeout:g}s — wait for it to finish, or retry with a longer "
            f"--lock-timeout (env {LOCK_TIMEOUT_ENV})"
        )

    def __enter__(self) -> WriterLock:
        return self.acquire()

    def __exit__(self, *exc: Any) -> None:
        self.release()


def _command_line() -> str:
    """A short form of this process's command line, for the holder record."""
    args = [Path(sys.argv[0]).name, *sys.argv[1:]] if sys.argv and sys.argv[0] else ["python"]
    text = " ".join(args)
    return text if len(text) <= 120 else text[:117] + "..."

"""A one-line progress bar on stderr for long indexing runs; silent when not a terminal."""

from __future__ import annotations

import sys
import time
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from ..ingest.sync_report import Progress

_WIDTH = 24
_EVERY_SECONDS = 0.1


class ProgressBar:
    """Files done/total, quotes, files per second and ETA, redrawn in place."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", None) and self.stream.isatty())
        self._last = 0.0
        self._drawn = False

    def __call__(self, progress: Progress) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if progress.files_done < progress.files_total and now - self._last < _EVERY_SECONDS:
            return
        self._last = now
        self.stream.write("\r" + render(progress) + "\x1b[K")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False


def render(progress: Progress) -> str:
    """The bar as text, e.g. `[#####-----] 120/500 files · 1,534 quotes · 40/s · ETA 0:09`."""
    total = max(progress.files_total, 1)
    filled = int(_WIDTH * progress.files_done / total)
    rate = progress.files_done / progress.elapsed if progress.elapsed > 0 else 0.0
    left = (progress.files_total - progress.files_done) / rate if rate > 0 else 0.0
    eta = f"{int(left // 60)}:{int(left % 60):02d}"
    return (
        f"[{'#' * filled}{'-' * (_WIDTH - filled)}] {progress.files_done}/{progress.files_total}"
        f" files · {progress.quotes:,} quotes · {rate:.0f}/s · ETA {eta}"
    )

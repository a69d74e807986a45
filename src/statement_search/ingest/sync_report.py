"""Index stage, what a sync reports: `SyncReport` for a finished run, `Progress` while it runs.

Input: counts kept by `syncing.Syncer`; output: typed records the CLI prints
(`as_dict` for JSON) and the library returns from `index`/`add`/`remove`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class SyncReport:
    """What an `index`/`add` run did (counts of files), and the index totals after it."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0
    duplicates: int = 0
    ignored: int = 0
    articles: int = 0
    quotes: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    recovered_lock: str | None = None  # holder of a stale lock this run took over

    @property
    def read(self) -> int:
        """Files read fine (or known unchanged): zero with errors means nothing was readable."""
        return self.added + self.updated + self.unchanged + self.duplicates

    def as_dict(self) -> dict[str, Any]:
        keys = ("added", "updated", "removed", "unchanged", "skipped", "duplicates", "ignored")
        data: dict[str, Any] = {key: getattr(self, key) for key in keys}
        data.update(articles=self.articles, quotes=self.quotes, seconds=round(self.seconds, 3))
        return data


@dataclass
class Progress:
    """Where a run is: files looked at out of the total, quotes written so far."""

    files_done: int
    files_total: int
    quotes: int
    elapsed: float

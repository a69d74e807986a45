"""Index stage, bookkeeping: which source files are in the index, and as what.

The manifest lives beside the Whoosh files (`manifest.sqlite`).  Per source
file: absolute path, size, mtime, content hash, and the articles it produced;
per article: its id, content hash (to spot one article under two paths) and
quote ids.  SQLite gives us atomic, crash-safe updates of single rows without
rewriting a whole file per batch.

Crash safety protocol (see `QuoteIndex`): before a batch's Whoosh commit the
ids of the articles it adds are written to `pending`; after the commit the
batch's rows are written and `pending` cleared in one transaction.  Ids still
pending at the next run belong to a commit the manifest never confirmed, so
their documents are deleted and their files re-done: no duplicates, no losses.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_FILE = "manifest.sqlite"

_TABLES = """
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL,
    duplicates TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    quote_ids TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);
CREATE TABLE IF NOT EXISTS pending (id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass
class SourceEntry:
    """One indexed file as last seen; `duplicates` are content hashes it repeated."""

    path: str
    size: int
    mtime_ns: int
    hash: str
    duplicates: list[str] = field(default_factory=list)


@dataclass
class ArticleEntry:
    """One indexed article and the quote ids it put into the index."""

    id: str
    source: str
    content_hash: str
    quote_ids: list[str]


class Manifest:
    """The manifest of one index directory (created on first use)."""

    def __init__(self, index_dir: str | Path) -> None:
        self.path = Path(index_dir) / MANIFEST_FILE
        self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        self._db.executescript(_TABLES)

    @classmethod
    def exists_in(cls, index_dir: str | Path) -> bool:
        return (Path(index_dir) / MANIFEST_FILE).is_file()

    def close(self) -> None:
        self._db.close()

    # -- reading ---------------------------------------------------------------

    def source(self, path: str) -> SourceEntry | None:
        row = self._db.execute(
            "SELECT path, size, mtime_ns, hash, duplicates FROM sources WHERE path = ?", (path,)
        ).fetchone()
        return _source(row) if row else None

    def sources(self) -> Iterator[SourceEntry]:
        rows = self._db.execute("SELECT path, size, mtime_ns, hash, duplicates FROM sources")
        return (_source(row) for row in rows.fetchall())

    def article_ids(self, source: str) -> list[str]:
        rows = self._db.execute("SELECT id FROM articles WHERE source = ?", (source,))
        return [row[0] for row in rows]

    def sources_of_content(self, content_hash: str) -> list[str]:
        """The sources already holding an article with this text."""
        rows = self._db.execute(
            "SELECT source FROM articles WHERE content_hash = ?", (content_hash,)
        )
        return [row[0] for row in rows]

    def has_article(self, article_id: str) -> bool:
        row = self._db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    def counts(self) -> tuple[int, int]:
        """(sources, articles) in the index."""
        sources = self._db.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
        articles = self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        return int(sources), int(articles)

    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def pending(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT id FROM pending")]

    # -- writing (caller holds the writer lock) -------------------------------

    def begin_batch(self, article_ids: Iterable[str]) -> None:
        """Record the articles a Whoosh commit is about to add (write-ahead)."""
        with self._transaction():
            self._db.executemany(
                "INSERT OR IGNORE INTO pending VALUES (?)", ((a,) for a in article_ids)
            )

    def finish_batch(
        self,
        upserts: Iterable[tuple[SourceEntry, list[ArticleEntry]]],
        removals: Iterable[str] = (),
    ) -> None:
        """After a Whoosh commit: its sources and articles, all or nothing."""
        with self._transaction():
            for path in removals:
                self._db.execute("DELETE FROM articles WHERE source = ?", (path,))
                self._db.execute("DELETE FROM sources WHERE path = ?", (path,))
            for entry, articles in upserts:
                self._db.execute("DELETE FROM articles WHERE source = ?", (entry.path,))
                self._db.execute(
                    "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?)",
                    (
                        entry.path,
                        entry.size,
                        entry.mtime_ns,
                        entry.hash,
                        json.dumps(entry.duplicates),
                    ),
                )
                self._db.executemany(
                    "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?)",
                    ((a.id, a.source, a.content_hash, json.dumps(a.quote_ids)) for a in articles),
                )
            self._db.execute("DELETE FROM pending")
            self._db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('last_updated', ?)",
                (time.strftime("%Y-%m-%dT%H:%M:%S%z"),),
            )

    def touch(self, entry: SourceEntry) -> None:
        """A file whose mtime changed but whose content did not."""
        with self._transaction():
            self._db.execute(
                "UPDATE sources SET size = ?, mtime_ns = ? WHERE path = ?",
                (entry.size, entry.mtime_ns, entry.path),
            )

    def clear_pending(self) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM pending")

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")


def _source(row: tuple[str, int, int, str, str]) -> SourceEntry:
    return SourceEntry(row[0], int(row[1]), int(row[2]), row[3], json.loads(row[4]))

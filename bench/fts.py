"""The reference engine: the same quotes in SQLite FTS5 (stdlib `sqlite3`).

A `quotes` table (text, context, title, speaker, topics, date, source), an
external-content FTS5 table over text/context/title with the Porter
tokenizer, `bm25()` weighted like statement-search's BM25F (3 / 1 / 0.5),
`snippet()` for highlights, and filters as WHERE clauses and joins.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Row:
    """One quote as stored in both engines."""

    id: str
    text: str
    context: str
    title: str
    speaker: str
    topics: tuple[str, ...]
    date: int  # YYYYMMDD, 0 when undated
    source: str


@dataclass
class FtsQuery:
    """One benchmark query in engine-neutral form."""

    kind: str
    words: list[str]
    phrase: bool = False
    speaker: str | None = None
    topic: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    highlight: bool = False


_SCHEMA = """
CREATE TABLE quotes (rowid INTEGER PRIMARY KEY, id TEXT, text TEXT, context TEXT, title TEXT,
                     speaker TEXT, speaker_key TEXT, topics TEXT, date INTEGER, source TEXT);
CREATE VIRTUAL TABLE fts USING fts5(text, context, title, content='quotes',
                                    content_rowid='rowid', tokenize='porter unicode61');
CREATE TABLE quote_topics (topic TEXT, quote INTEGER, PRIMARY KEY (topic, quote)) WITHOUT ROWID;
CREATE TABLE speakers (key TEXT PRIMARY KEY) WITHOUT ROWID;
"""
_INDEXES = """
CREATE INDEX quotes_speaker ON quotes (speaker_key);
CREATE INDEX quotes_date ON quotes (date);
INSERT INTO speakers SELECT DISTINCT speaker_key FROM quotes WHERE speaker_key != '';
INSERT INTO fts (fts) VALUES ('optimize');
ANALYZE;
"""


def speaker_key(name: str) -> str:
    return " ".join(name.casefold().split())


def build(path: Path, rows: Iterable[Row]) -> tuple[int, float]:
    """Write the database; returns (quotes, seconds)."""
    if path.exists():
        path.unlink()
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
    count = 0
    with db:
        for i, row in enumerate(rows, start=1):
            db.execute(
                "INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    i,
                    row.id,
                    row.text,
                    row.context,
                    row.title,
                    row.speaker,
                    speaker_key(row.speaker),
                    ",".join(row.topics),
                    row.date,
                    row.source,
                ),
            )
            db.executemany(
                "INSERT OR IGNORE INTO quote_topics VALUES (?,?)", [(t, i) for t in row.topics]
            )
            count = i
        db.execute(
            "INSERT INTO fts (rowid, text, context, title) "
            "SELECT rowid, text, context, title FROM quotes"
        )
    db.executescript(_INDEXES)
    db.close()
    return count, time.perf_counter() - started


def match_expression(query: FtsQuery) -> str:
    """FTS5 MATCH syntax: each word quoted (no operators), a phrase as one string."""
    if query.phrase:
        return '"' + " ".join(query.words) + '"'
    return " ".join(f'"{w}"' for w in query.words)


def sql_for(query: FtsQuery) -> tuple[str, list[object]]:
    """The SQL and parameters answering `query` (top 10, with display fields)."""
    cols = "q.id, q.text, q.speaker, q.date, q.source, q.title, q.topics"
    if query.highlight:
        cols += ", snippet(fts, 0, '[', ']', '…', 40)"
    where = ["fts MATCH ?"]
    params: list[object] = [match_expression(query)]
    if query.speaker:
        key = speaker_key(query.speaker)
        where.append("q.speaker_key IN (SELECT key FROM speakers WHERE key = ? OR key LIKE ?)")
        params += [key, "% " + key]
    if query.topic:
        where.append("q.rowid IN (SELECT quote FROM quote_topics WHERE topic = ?)")
        params.append(query.topic)
    if query.since:
        where.append("q.date >= ?")
        params.append(_number(query.since))
    if query.until:
        where.append("q.date <= ?")
        params.append(_number(query.until))
    sql = (
        f"SELECT {cols} FROM fts JOIN quotes q ON q.rowid = fts.rowid "
        f"WHERE {' AND '.join(where)} ORDER BY bm25(fts, 3.0, 1.0, 0.5) LIMIT 10"
    )
    return sql, params


def _number(date: dt.date) -> int:
    return date.year * 10000 + date.month * 100 + date.day


class FtsEngine:
    """One open connection reused across queries (the warm case)."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA cache_size=-65536")

    def run(self, query: FtsQuery) -> int:
        sql, params = sql_for(query)
        return len(self.db.execute(sql, params).fetchall())

    def close(self) -> None:
        self.db.close()


COLD_SCRIPT = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT q.id, q.text, q.speaker, snippet(fts, 0, '[', ']', '…', 40) "
                  "FROM fts JOIN quotes q ON q.rowid = fts.rowid WHERE fts MATCH ? "
                  "ORDER BY bm25(fts, 3.0, 1.0, 0.5) LIMIT 10",
                  ['"' + sys.argv[2] + '"']).fetchall()
for row in rows[:1]:
    print(row[0])
"""

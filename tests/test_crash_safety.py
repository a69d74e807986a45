"""kill -9 a real indexing process mid-run: the index still opens, and the next run completes it
(either engine; the tantivy case skips when tantivy is not installed)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from statement_search import QuoteIndex
from statement_search.engines import tantivy_available
from statement_search.ingest.manifest import MANIFEST_FILE

ARTICLES = 300
BATCH = 5


def _write_corpus(folder: Path) -> None:
    folder.mkdir()
    for n in range(ARTICLES):
        (folder / f"a{n:04d}.txt").write_text(
            f"Council report {n}\n\nThe council met on Monday.\n\n"
            f'"We approved plan w{n}x for the district," Anna Berg said.\n',
            encoding="utf-8",
        )


def _start_indexer(corpus: Path, index: Path, engine: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "statement_search", "index", str(corpus)]
    command += ["--index", str(index), "--batch-size", str(BATCH), "--engine", engine]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _confirmed_articles(index: Path) -> int:
    """Articles the manifest has confirmed, read the way a bystander would."""
    if not (index / MANIFEST_FILE).exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{index / MANIFEST_FILE}?mode=ro", uri=True, timeout=5)
        try:
            return int(db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        finally:
            db.close()
    except sqlite3.OperationalError:  # tables not created yet
        return 0


def _kill_when(process: subprocess.Popen[bytes], index: Path, confirmed: int) -> int:
    """kill -9 once `confirmed` articles are committed; the count seen just before."""
    deadline = time.monotonic() + 30  # a bound, not a speed goal
    seen = _confirmed_articles(index)
    while seen < confirmed and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
        seen = _confirmed_articles(index)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return seen


@pytest.mark.parametrize(
    "engine",
    [
        "whoosh",
        pytest.param(
            "tantivy",
            marks=pytest.mark.skipif(not tantivy_available(), reason="tantivy is not installed"),
        ),
    ],
)
def test_kill_9_mid_run_then_rerun_leaves_every_article_once(tmp_path: Path, engine: str) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "ix"
    _write_corpus(corpus)

    first = _start_indexer(corpus, index, engine)
    seen = _kill_when(first, index, BATCH)
    assert first.returncode == -signal.SIGKILL and BATCH <= seen < ARTICLES

    # The index opens and searches its last commit.
    with QuoteIndex.open(index) as ix:
        assert ix.count() >= BATCH
        assert ix.search("approved", limit=3)

    # A second run killed later still leaves a readable index.
    second = _start_indexer(corpus, index, engine)
    _kill_when(second, index, seen + 4 * BATCH)
    assert second.returncode == -signal.SIGKILL
    QuoteIndex.open(index).close()

    with QuoteIndex.open(index) as ix:
        report = ix.sync([corpus])
        assert report.added > 0 and report.skipped == 0
        assert (report.articles, report.quotes) == (ARTICLES, ARTICLES)
        quotes = list(ix.quotes())
    paths = sorted(Path(quote.path).name for quote in quotes)
    assert paths == sorted(f"a{n:04d}.txt" for n in range(ARTICLES))  # each exactly once
    assert len({quote.id for quote in quotes}) == ARTICLES
    if engine == "tantivy":  # and no file of a killed commit is left
        meta = json.loads((index / "tantivy" / "meta.json").read_text())
        live = {segment["segment_id"].replace("-", "") for segment in meta["segments"]}
        files = [f.name for f in (index / "tantivy").iterdir() if not f.name.startswith(".")]
        assert {f.split(".")[0] for f in files if f != "meta.json"} <= live

"""Files prepared in worker processes give exactly the index the inline path gives."""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import time
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from statement_search import QuoteIndex
from statement_search.extraction.topics import parse_taxonomy
from statement_search.ingest import preparing
from statement_search.ingest.preparing import POOL_MIN_FILES, Preparer, prepare_file

from .conftest import SEED

TAXONOMY = """
[topics.farming]
terms = ["grain", "harvest", "farmers"]
"""


def _write_corpus(folder: Path, articles: int) -> None:
    folder.mkdir()
    for n in range(articles):
        (folder / f"a{n:04d}.txt").write_text(
            f"Harvest report {n}\n\nThe council met farmers on Monday.\n\n"
            f'"We will buy grain lot g{n}x this year," Anna Berg said. '
            f"The council agreed.\n\n“Prices stay fair,” she added.\n",
            encoding="utf-8",
        )
    (folder / "copy.txt").write_bytes((folder / "a0003.txt").read_bytes())  # a duplicate
    (folder / "empty.txt").write_text("", encoding="utf-8")  # an error
    (folder / "seed.txt").write_bytes(SEED.read_bytes())


def _content(ix: QuoteIndex) -> tuple[list[Any], list[Any]]:
    reader = ix.engine.searcher().reader()
    docs = [dict(sorted(fields.items())) for _, fields in reader.iter_docs()]
    terms = sorted((field, text) for field, text in reader.all_terms())
    return docs, terms


def test_pooled_build_writes_exactly_what_the_inline_build_writes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _write_corpus(corpus, POOL_MIN_FILES + 4)
    taxonomy = parse_taxonomy(TAXONOMY, "test taxonomy")
    built = {}
    for workers in (0, 1):
        ix = QuoteIndex.create(tmp_path / f"ix{workers}")
        report = ix.sync([corpus], taxonomy=taxonomy, workers=workers, batch_articles=7)
        built[workers] = (
            json.dumps(report.as_dict() | {"seconds": 0}),
            report.errors,
            _content(ix),
        )
        ix.close()
    assert built[0] == built[1]
    report, errors, (docs, terms) = built[1]
    assert json.loads(report)["duplicates"] == 1 and len(errors) == 1
    assert len(docs) > 2 * POOL_MIN_FILES
    assert ("topics", b"farming") in terms  # the taxonomy reached the worker


def test_preparer_keeps_file_order_and_prepares_inline_what_it_skipped(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _write_corpus(corpus, 20)
    files = sorted(corpus.glob("a*.txt"))
    with Preparer(None, workers=1) as preparer:
        ahead = list(preparer.ahead(files, lambda f: f.name != "a0002.txt"))
        assert [f for f, _ in ahead] == files
        assert [f.name for f, pending in ahead if pending is None] == ["a0002.txt"]
        results = [preparer.result(f, pending) for f, pending in ahead]
    assert results == [prepare_file(f, None) for f in files]


def test_a_taken_result_is_not_kept_by_the_preparer(tmp_path: Path) -> None:
    """A result's pickled bytes are about 5x its file: once taken they must go, also in
    the window's last files (held past their turn, they grew the writer by the window)."""
    corpus = tmp_path / "corpus"
    _write_corpus(corpus, 12)
    files = sorted(corpus.glob("a*.txt"))  # fewer than the window: all are its last files
    taken: list[weakref.ref[preparing.PreparingFile]] = []
    with Preparer(None, workers=1) as preparer:
        for file, pending in preparer.ahead(files, lambda f: True):
            assert pending is not None
            assert preparer.result(file, pending) == prepare_file(file, None)
            assert pending.future is None
            taken.append(weakref.ref(pending))
            del pending
            assert [ref for ref in taken[:-1] if ref() is not None] == []
    assert len(taken) == len(files)


@pytest.mark.parametrize(
    ("window_bytes", "expected"),
    [(10**9, 2 * preparing.MAX_FILES_PER_WORKER), (1, 2 * preparing.FILES_PER_WORKER), (1000, 10)],
)
def test_files_go_out_ahead_up_to_the_byte_and_count_bounds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, window_bytes: int, expected: int
) -> None:
    """While the writer is busy (a merge) workers keep preparing, within bounds."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(200):
        (corpus / f"a{n:04d}.txt").write_bytes(b"x" * 100)
    monkeypatch.setattr(preparing, "WINDOW_BYTES", window_bytes)
    submitted: list[Path] = []

    def needs_work(file: Path) -> bool:
        submitted.append(file)
        return True

    with Preparer(None, workers=2) as preparer:
        ahead = preparer.ahead(sorted(corpus.iterdir()), needs_work)
        first, pending = next(ahead)
        assert len(submitted) == expected  # files in flight when the first is handed over
        assert first.name == "a0000.txt" and pending is not None
        ahead.close()


# The workers' gate: a test opens it when its pool may start preparing; until then no
# file is done, however slow the machine (it was a sleep of 0.3 s a file).
_gate: Any = None


def _held_prepare(file: Path) -> bytes:
    """Stands in for `_prepare_in_worker` (found by name in the forked workers)."""
    assert _gate.wait(60), "the test never opened the gate"  # a bound, not a speed goal
    return pickle.dumps(prepare_file(file, None))


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """`_gate`, shut: made before the pool's workers fork, so they share it.  Opened at
    the end whatever happened, so a failed test leaves no worker waiting."""
    event = preparing._context().Event()
    monkeypatch.setattr(sys.modules[__name__], "_gate", event)
    yield event
    event.set()


def _held_pool_of_little_room(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> list[Path]:
    """`count` files, which workers prepare only once the test opens `_gate`, and a pool
    holding as few as it may."""
    corpus = tmp_path / "corpus"
    _write_corpus(corpus, count)
    monkeypatch.setattr(preparing, "POOL_BYTES_PER_WORKER", 1)
    monkeypatch.setattr(preparing, "_prepare_in_worker", _held_prepare)
    return sorted(corpus.glob("a*.txt"))


def test_the_pool_holds_only_a_few_files_of_the_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gate: Any
) -> None:
    """Work sent to the pool between files (a merge's parts) waits behind a few files,
    not behind the whole window; the rest go out as results are taken."""
    files = _held_pool_of_little_room(tmp_path, monkeypatch, 40)
    with Preparer(None, workers=2) as preparer:
        ahead = preparer.ahead(files, lambda f: True)
        first, pending = next(ahead)
        sent = [job.file for job in preparer._sent]
        assert sent == files[: 2 * preparing.FILES_PER_WORKER]  # the least the pool holds
        assert len(preparer._unsent) > len(sent)  # the rest of the window waits here
        gate.set()
        results = [preparer.result(first, pending)]
        results += [preparer.result(f, p) for f, p in ahead]
    assert results == [prepare_file(f, None) for f in files]


def test_a_result_wanted_now_goes_to_the_pool_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gate: Any
) -> None:
    """Files whose results the caller skipped may fill the pool; a wanted one still goes
    to a worker instead of being prepared in the writer."""
    files = _held_pool_of_little_room(tmp_path, monkeypatch, 30)
    with Preparer(None, workers=2) as preparer:
        listed = list(preparer.ahead(files, lambda f: True))
        assert len(preparer._unsent) == len(files) - 2 * preparing.FILES_PER_WORKER  # full
        inline: list[Path] = []
        monkeypatch.setattr(preparing, "prepare_file", lambda f, _: inline.append(f))
        last, pending = listed[-1]
        gate.set()
        got = preparer.result(last, pending)
    assert inline == []
    assert got == prepare_file(last, None)


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_workers_hold_no_index_file_and_leave_when_their_parent_is_killed(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    _write_corpus(corpus, 400)
    command = [sys.executable, "-m", "statement_search", "index", str(corpus)]
    command += ["--index", str(tmp_path / "ix"), "--batch-size", "5"]
    indexer = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30  # bounds, not speed goals
    workers: list[int] = []
    while not workers and indexer.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
        workers = _children(indexer.pid)
    assert workers, "the indexer finished before its workers were seen"
    # A forked worker has one thread until its initializer, having let go of the index's
    # files, starts the one that watches for its parent's death.
    while any(_threads(w) < 2 for w in workers) and time.monotonic() < deadline:
        time.sleep(0.01)
    held = [_open_files(w) for w in workers]
    assert all(not any(f.startswith(str(tmp_path / "ix")) for f in files) for files in held)
    os.kill(indexer.pid, signal.SIGKILL)
    indexer.wait()
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers)


def _threads(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return int(status.split("\nThreads:", 1)[1].split()[0])


def _open_files(pid: int) -> list[str]:
    found = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            found.append(os.readlink(fd))
        except OSError:
            continue
    return found

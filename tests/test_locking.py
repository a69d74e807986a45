"""One writer at a time: waiting, giving up with the holder's name, stale locks, readers go on."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from statement_search import QuoteIndex
from statement_search.cli import main
from statement_search.errors import IndexLockedError, InputError
from statement_search.ingest.locking import LOCK_FILE, WriterLock, lock_timeout, read_holder

ARTICLE = 'Port news\n\nThe harbour reopened.\n\n"Ships can dock again," Ivo Horvat said.\n'

HOLD_LOCK = """
import sys
from statement_search.ingest.locking import WriterLock
WriterLock(sys.argv[1], timeout=0).acquire()
print("held", flush=True)
sys.stdin.read()
"""


@pytest.fixture()
def built(tmp_path: Path) -> Path:
    folder = tmp_path / "port"
    folder.mkdir()
    (folder / "port.txt").write_text(ARTICLE, encoding="utf-8")
    QuoteIndex.build(tmp_path / "ix", [folder]).close()
    return tmp_path / "ix"


def _hold_in_subprocess(index: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(index)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline() == "held\n"
    return process


def test_lock_records_its_holder_and_clears_on_release(tmp_path: Path) -> None:
    with WriterLock(tmp_path, timeout=0):
        holder = read_holder(tmp_path)
        assert holder is not None and holder.pid == os.getpid()
        assert holder.host == socket.gethostname()
    assert read_holder(tmp_path) is None


def test_second_writer_gives_up_naming_the_holder(tmp_path: Path) -> None:
    with WriterLock(tmp_path, timeout=0):
        with pytest.raises(IndexLockedError, match=rf"pid {os.getpid()} on .*--lock-timeout"):
            WriterLock(tmp_path, timeout=0.1).acquire()


def test_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    first = WriterLock(tmp_path, timeout=0).acquire()
    releaser = threading.Timer(0.2, first.release)
    releaser.start()
    with WriterLock(tmp_path, timeout=10) as second:
        assert second.held and not first.held
    releaser.join()


def test_stale_lock_of_a_killed_writer_is_recovered(tmp_path: Path) -> None:
    process = _hold_in_subprocess(tmp_path)
    with pytest.raises(IndexLockedError, match=f"pid {process.pid}"):
        WriterLock(tmp_path, timeout=0).acquire()
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert read_holder(tmp_path).pid == process.pid  # the dead writer's record is left
    with WriterLock(tmp_path, timeout=0) as lock:
        assert lock.recovered is not None and lock.recovered.pid == process.pid
        assert lock.recovered.is_dead()


def test_cli_second_writer_exits_2_and_stale_lock_is_reported(built: Path, tmp_path: Path) -> None:
    process = _hold_in_subprocess(built)
    runner = CliRunner()
    folder = str(tmp_path / "port")
    args = ["index", folder, "--index", str(built)]
    result = runner.invoke(main, [*args, "--lock-timeout", "0.2"])
    assert result.exit_code == 2
    assert f"pid {process.pid}" in result.stderr and result.stderr.count("\n") == 1
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    result = runner.invoke(main, args, env={"STATEMENT_SEARCH_LOCK_TIMEOUT": "0"})
    assert result.exit_code == 0, result.output
    assert f"recovered a stale lock left by pid {process.pid}" in result.stderr


def test_env_var_sets_the_timeout(built: Path, tmp_path: Path) -> None:
    with WriterLock(built, timeout=0):
        result = CliRunner().invoke(
            main,
            ["add", str(tmp_path / "port"), "--index", str(built)],
            env={"STATEMENT_SEARCH_LOCK_TIMEOUT": "0.1"},
        )
    assert result.exit_code == 2 and "gave up after 0.1s" in result.stderr


def test_searches_never_block_on_a_writer(built: Path) -> None:
    with WriterLock(built, timeout=0):
        result = CliRunner().invoke(main, ["search", "ships", "--index", str(built)])
        stats = CliRunner().invoke(main, ["stats", "--index", str(built)])
    assert result.exit_code == 0 and "dock again" in result.stdout
    assert stats.exit_code == 0


def test_a_searcher_sees_only_whole_commits(built: Path, tmp_path: Path) -> None:
    reader = QuoteIndex.open(built)
    assert reader.count() == 1
    more = tmp_path / "more.txt"
    more.write_text(ARTICLE.replace("Ships can dock", "Ferries can sail"), encoding="utf-8")
    QuoteIndex.open(built).add([more])
    assert reader.count() == 2  # refreshed to the new commit, never a partial one


def test_lock_timeout_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATEMENT_SEARCH_LOCK_TIMEOUT", "2.5")
    assert lock_timeout() == 2.5 and lock_timeout(1) == 1.0
    monkeypatch.setenv("STATEMENT_SEARCH_LOCK_TIMEOUT", "soon")
    with pytest.raises(InputError, match="not a number"):
        lock_timeout()


def test_holder_record_is_json(tmp_path: Path) -> None:
    with WriterLock(tmp_path, timeout=0):
        data = json.loads((tmp_path / LOCK_FILE).read_text())
    assert set(data) == {"pid", "host", "command", "since"}

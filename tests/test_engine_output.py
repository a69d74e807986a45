"""The CLI says a damaged tantivy index in one line: Rust's panic message, written by the
engine to stderr itself, is held and dropped once named (cli/engine_output.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from statement_search import QuoteIndex
from statement_search.cli.engine_output import without_panics
from statement_search.engines import tantivy_available
from statement_search.errors import StatementSearchError
from statement_search.ingest.storage_errors import is_panic

from .conftest import SEED

_CLI = [sys.executable, "-c", "from statement_search.cli import run; run()"]

_PANIC = (
    b"\nthread '<unnamed>' (2410) panicked at /src/bitpacker.rs:223:14:\n"
    b"range end index 18446744073709551615 out of range for slice of length 8\n"
)
_SHORT = _PANIC + b"note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n"
_TRACED = (
    _PANIC
    + b"stack backtrace:\n   0: __rustc::rust_begin_unwind\n   1: core::panicking::panic_fmt\n"
    b"             at /rustc/library/core/src/panicking.rs:75:14\n"
    b"note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.\n"
)


@pytest.mark.parametrize("panic", [_SHORT, _TRACED])
def test_a_panic_message_is_dropped_and_nothing_else(panic: bytes) -> None:
    assert without_panics(panic) == b""
    assert without_panics(b"before\n" + panic + b"after\n") == b"before\nafter\n"
    assert without_panics(panic + panic) == b""
    assert without_panics(b"thread 'main' said hello\n") == b"thread 'main' said hello\n"


def _panicking_index(tmp_path: Path) -> Path:
    """A tantivy index with one byte of a fast-field file flipped where a date-sorted search
    makes tantivy panic (found by trying each byte in turn)."""
    index = tmp_path / "ix"
    QuoteIndex.build(index, [SEED], engine="tantivy").close()
    [part] = (index / "tantivy").glob("*.fast")
    original = part.read_bytes()
    for at in range(len(original)):
        _write_byte(part, at, original[at] ^ 0xFF)
        try:
            with QuoteIndex.open(index) as ix:
                ix.search("peace", sort="date")
        except StatementSearchError as exc:
            if exc.__cause__ is not None and is_panic(exc.__cause__):
                return index
        _write_byte(part, at, original[at])  # in place: tantivy maps the file
    pytest.fail("no flipped byte made tantivy panic")


def _write_byte(path: Path, at: int, value: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(at)
        handle.write(bytes([value]))


def _cli(args: list[str], stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "STATEMENT_SEARCH_DEBUG"}
    environment.update(env)
    return subprocess.run(
        [*_CLI, *args], input=stdin, capture_output=True, text=True, env=environment, timeout=120
    )


@pytest.mark.skipif(not tantivy_available(), reason="tantivy is not installed")
def test_a_tantivy_panic_reaches_the_user_as_our_one_line_only(tmp_path: Path) -> None:
    """Rust's "thread '<unnamed>' panicked at …" (and with RUST_BACKTRACE=1 a backtrace)
    was printed above the one-line error, by the command and by the shell."""
    index = _panicking_index(tmp_path)
    for backtrace in ("0", "1"):
        searched = _cli(
            ["search", "peace", "--sort", "date", "--index", str(index)], RUST_BACKTRACE=backtrace
        )
        assert searched.returncode == 2
        [line] = searched.stderr.splitlines()
        assert line.startswith(f"statement-search: error: {index}")
        assert "the index is damaged (PanicException)" in line
        shell = _cli(
            ["shell", "--index", str(index)], ":sort date\npeace\n", RUST_BACKTRACE=backtrace
        )
        assert shell.returncode == 0 and shell.stderr == ""
        assert "the index is damaged" in shell.stdout and "panicked" not in shell.stdout
    # Debugging shows the engine's own words as they come.
    debug = _cli(
        ["search", "peace", "--sort", "date", "--index", str(index)],
        STATEMENT_SEARCH_DEBUG="1",
        RUST_BACKTRACE="0",
    )
    assert "panicked at" in debug.stderr


def test_what_an_engine_writes_that_is_no_panic_is_passed_on(tmp_path: Path) -> None:
    QuoteIndex.build(tmp_path / "ix", [SEED]).close()
    script = (
        "import os, sys\n"
        "from statement_search import cli\n"
        "command = cli._run\n"
        "def speaking():\n"
        "    os.write(2, b'native words\\n')\n"
        "    print('our words', file=sys.stderr)\n"
        "    command()\n"
        "cli._run = speaking\n"
        "cli.run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "search", "peace", "--index", str(tmp_path / "ix")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "peace" in done.stdout.lower()
    assert done.stderr.splitlines() == ["our words", "native words"]

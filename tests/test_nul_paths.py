"""A NUL byte in a path (no file name can hold one; the OS calls raise ValueError) is the
project's own one-line error naming the path, in the API and on the command line, and
nothing already indexed is touched."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from statement_search import QuoteIndex, load_taxonomy, read_article, read_articles
from statement_search.cli import run
from statement_search.errors import (
    IndexNotFoundError,
    IndexStorageError,
    InputError,
    StatementSearchError,
)

from .conftest import SEED

NAMED = r"^a\\0b(\.jsonl)?: a path cannot hold a NUL byte$"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("nul") / "ix"
    QuoteIndex.build(path, [SEED]).close()
    return path


def test_reading_a_nul_path_is_an_input_error() -> None:
    with pytest.raises(InputError, match=NAMED):
        read_article("a\0b")
    with pytest.raises(InputError, match=NAMED):
        list(read_articles("a\0b.jsonl"))
    with pytest.raises(StatementSearchError, match=NAMED):
        load_taxonomy("a\0b")


def test_opening_or_creating_an_index_at_a_nul_path_is_named(tmp_path: Path) -> None:
    assert not QuoteIndex.exists(tmp_path / "a\0b")
    with pytest.raises(IndexNotFoundError, match=NAMED):
        QuoteIndex.open("a\0b")
    with pytest.raises(IndexStorageError, match=NAMED):
        QuoteIndex.create("a\0b")
    with pytest.raises(IndexStorageError, match=NAMED):
        QuoteIndex.build("a\0b", [SEED])
    assert not any(tmp_path.iterdir())


def test_adding_a_nul_path_is_that_files_error_and_keeps_the_index(built: Path) -> None:
    ix = QuoteIndex.open(built)
    before = ix.count()
    report = ix.add(["a\0b"])
    assert [str(e) for e in report.errors] == ["a\\0b: a path cannot hold a NUL byte"]
    report = ix.sync([SEED, "a\0b"])
    assert report.unchanged == 1 and len(report.errors) == 1
    assert ix.count() == before
    report = ix.remove(["a\0b"])
    assert report.removed == 0 and ix.count() == before


@pytest.mark.parametrize(
    "args",
    [
        ["search", "peace", "--index", "a\0b"],
        ["speakers", "--index", "a\0b"],
        ["stats", "--index", "a\0b"],
        ["show", "0123456789abcdef", "--index", "a\0b"],
        ["similar", "0123456789abcdef", "--index", "a\0b"],
        ["optimize", "--index", "a\0b"],
        ["index", str(SEED), "--index", "a\0b"],
        ["extract", "a\0b"],
        ["read", "a\0b"],
        ["export", "a\0b", "--index", "{built}"],
        ["index", "a\0b", "--index", "{built}"],
        ["add", "a\0b", "--index", "{built}"],
        ["remove", "a\0b", "--index", "{built}"],
    ],
)
def test_the_cli_names_a_nul_path_in_one_line(
    args: list[str],
    built: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("STATEMENT_SEARCH_DEBUG", raising=False)
    argv = [arg.replace("{built}", str(built)) for arg in args]
    monkeypatch.setattr(sys, "argv", ["statement-search", *argv])
    before = QuoteIndex.open(built).count()
    with pytest.raises(SystemExit) as exit_:
        run()
    err = capsys.readouterr().err.strip().splitlines()
    assert exit_.value.code != 0
    assert len(err) == 1 and "a\\0b" in err[0] and "NUL byte" in err[0], err
    assert "internal error" not in err[0]
    assert QuoteIndex.open(built).count() == before

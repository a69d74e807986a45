"""`statement-search index` and `search` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from statement_search.cli import main

from .conftest import CORPUS


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_first_search_builds_the_default_index_and_says_so(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["search", "peace", "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert "building it from" in result.stderr
    assert "Aleksandr Lukashenko" in result.stdout
    assert "**peace**" in result.stdout  # visible markers when not on a terminal


def test_no_color_prints_no_markers(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["search", "peace", "--index", str(tmp_path / "ix")], env={"NO_COLOR": "1"}
    )
    assert result.exit_code == 0
    assert "**" not in result.stdout and "\x1b[" not in result.stdout


def test_json_output_has_the_hit_contract(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(main, ["index", str(CORPUS), "--index", str(tmp_path / "ix")])
    result = runner.invoke(
        main, ["search", "peace process", "--index", str(tmp_path / "ix"), "--format", "json"]
    )
    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    assert hits
    for hit in hits:
        assert {"id", "quote", "speaker", "topics", "title", "date", "score", "highlights"} <= set(hit)
        assert hit["speaker"]
        for fragment in hit["highlights"]:
            for start, end in fragment["matches"]:
                assert fragment["text"][start:end]


def test_no_hits_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(main, ["index", str(CORPUS), "--index", str(tmp_path / "ix")])
    result = runner.invoke(main, ["search", "xylophone", "--index", str(tmp_path / "ix")])
    assert result.exit_code == 1


def test_bad_query_is_one_line_and_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(main, ["index", str(CORPUS), "--index", str(tmp_path / "ix")])
    result = runner.invoke(main, ["search", "  ", "--index", str(tmp_path / "ix")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


def test_index_command_summarises(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["index", str(CORPUS), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0
    assert "indexed 1 articles" in result.stdout


def test_index_missing_path_names_it(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["index", str(tmp_path / "gone.txt"), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 2
    assert "gone.txt" in result.stderr

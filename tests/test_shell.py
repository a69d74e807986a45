"""The interactive prompt: sticky filters, paging, :show, history, piped input."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from statement_search import QuoteIndex
from statement_search.cli import main
from statement_search.shell import Shell, history_path, run_prompt

from .search_corpus import build_index


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> QuoteIndex:
    return build_index(tmp_path_factory.mktemp("shell") / "index")


def make_shell(ix: QuoteIndex) -> tuple[Shell, list[str]]:
    lines: list[str] = []
    shell = Shell(
        ix, lines.append, lambda rank, hit: f"{rank}. {hit.quote.id}", lambda q, n: f"SHOW {q.id}"
    )
    return shell, lines


def test_filters_stay_set_until_cleared(ix: QuoteIndex) -> None:
    shell, out = make_shell(ix)
    shell.run_lines([":speaker putin", "sanctions", ":speaker", "sanctions"])
    assert out == ["filters: speaker=putin", "1. a2-1", "filters: none", "1. a2-1", "2. a1-0"]


def test_dates_topics_and_clear(ix: QuoteIndex) -> None:
    shell, out = make_shell(ix)
    shell.run_lines(
        [":topic peace and negotiations", ":since 2025", "*", ":clear", ":since Tuesday"]
    )
    assert out[2] == "1. a3-0"
    assert out[3] == "filters: none"
    assert out[4].startswith("error: date 'Tuesday'")


def test_more_pages_and_show(ix: QuoteIndex) -> None:
    shell, out = make_shell(ix)
    shell.page_size = 4
    shell.run_lines(["*", ":more", ":more", ":more", ":show 11", ":show 6"])
    assert out[:10] == [
        f"{n}. {i}"
        for n, i in enumerate(
            ["a3-0", "a3-1", "a4-0", "a4-1", "a1-0", "a1-1", "a1-2", "a2-0", "a2-1", "a5-0"],
            start=1,
        )
    ]
    assert out[10] == "no more quotes"
    assert out[11].startswith("error: :show takes a hit number from 1 to 10")
    assert out[12] == "SHOW a1-1"


def test_no_hits_suggests_and_bad_query_reports(ix: QuoteIndex) -> None:
    shell, out = make_shell(ix)
    shell.run_lines(["sanctons", ":bogus", ":more"])
    assert out[:2] == ["no quotes match", "did you mean: sanctions"]
    assert out[2].startswith("unknown command :bogus")


def test_quit_stops_reading(ix: QuoteIndex) -> None:
    shell, out = make_shell(ix)
    shell.run_lines([":quit", "peace"])
    assert out == []


def test_prompt_runs_lines_keeps_history_and_leaves_on_ctrl_d(ix: QuoteIndex) -> None:
    shell, out = make_shell(ix)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(":speaker zelensky\rpeace\r")
        pipe.send_text("\x04")  # Ctrl-D
        run_prompt(shell, input=pipe, output=DummyOutput())
    assert out[1:] == ["filters: speaker=zelensky", "1. a3-0"]
    assert history_path().read_text().count("peace") == 1  # STATEMENT_SEARCH_HOME is a tmp dir


def test_completion_offers_commands_speakers_and_topics(ix: QuoteIndex) -> None:
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from statement_search.shell import _Completer

    shell, _ = make_shell(ix)
    completer = _Completer(shell)

    def complete(text: str) -> list[str]:
        return [c.text for c in completer.get_completions(Document(text), CompleteEvent())]

    assert complete(":sp") == [":speaker"]
    assert complete(":speaker vo") == ["Volodymyr Zelenskyy"]
    assert "sanctions" in complete(":topic sanc")


def test_piped_shell_command_runs_one_query_per_line(ix: QuoteIndex) -> None:
    result = CliRunner().invoke(
        main, ["shell", "--index", str(ix.path)], input=":speaker orban\ntrade\n"
    )
    assert result.exit_code == 0
    assert "filters: speaker=orban" in result.stdout
    assert "Viktor Orbán — Budapest forum (2024-11-03)" in result.stdout


def test_bare_command_without_a_terminal_prints_help(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 0 and "Commands:" in result.stdout


def test_confidence_and_attribution_filters(ix: QuoteIndex) -> None:
    shell, out = make_shell(ix)
    shell.run_lines([":confidence 0.9", "harvest", ":confidence", ":attribution role", "harvest"])
    assert out[:2] == ["filters: min_confidence=0.9", "1. a5-0"]
    assert out[2] == "filters: none"
    assert out[3] == "filters: attribution=role"
    assert not out[4].startswith("1.")  # every hand-written quote is attributed by name
    shell.run_lines([":confidence high", ":attribution guess"])
    assert out[-2].startswith("error: :confidence takes a number")
    assert out[-1].startswith("error: unknown attribution 'guess'")

"""The interactive prompt: sticky filters, paging, :show, history, piped input."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from statement_search import QuoteIndex
from statement_search.cli import main
from statement_search.cli.shell import Shell, history_path, run_prompt

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


def completer_for(ix: QuoteIndex) -> Callable[[str], list[str]]:
    """What the prompt would offer for a line typed so far."""
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from statement_search.cli.shell import _Completer

    completer = _Completer(make_shell(ix)[0])
    return lambda text: [c.text for c in completer.get_completions(Document(text), CompleteEvent())]


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
    complete = completer_for(ix)
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


def test_one_bad_query_does_not_end_the_session(ix: QuoteIndex) -> None:
    shell, out = make_shell(ix)
    shell.run_lines(["date:2024-13", "x" * 3000, "peace~3", "sanctions"])
    assert out[0].startswith("error: ") and "at most 2,000" in out[1]
    assert "note: peac~3: edit distance narrowed to 1" in out
    assert out[-2:] == ["1. a2-1", "2. a1-0"]


def test_an_unexpected_error_is_one_line_and_the_session_goes_on(
    ix: QuoteIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    shell, out = make_shell(ix)
    monkeypatch.delenv("STATEMENT_SEARCH_DEBUG", raising=False)
    monkeypatch.setattr(shell, "_page", lambda: 1 / 0)
    assert shell.handle("peace") is True
    assert out == ["internal error: ZeroDivisionError: division by zero"]


def test_prompt_shows_the_active_filters(ix: QuoteIndex) -> None:
    shell, _ = make_shell(ix)
    assert shell.prompt_text() == "search> "
    shell.run_lines([":speaker putin", ":since 2023"])
    assert shell.prompt_text() == "search [speaker=putin; since=2023]> "


def test_unknown_speaker_is_refused_with_suggestions(ix: QuoteIndex) -> None:
    shell, out = make_shell(ix)
    shell.run_lines([":speaker Zelensky", ":speaker Zelenskiyy", ":speaker Nobody Atall"])
    assert out[0] == "filters: speaker=Zelensky"
    assert (
        out[1]
        == "error: no quotes by 'Zelenskiyy' in this index — did you mean Volodymyr Zelenskyy?"
    )
    assert out[2] == "error: no quotes by 'Nobody Atall' in this index"
    assert shell.filters["speaker"] == ["Zelensky"]


def test_limit_format_similar_cite_and_verify(ix: QuoteIndex) -> None:
    import json

    lines: list[str] = []
    shell = Shell(
        ix,
        lines.append,
        lambda rank, hit: f"{rank}. {hit.quote.id}",
        lambda q, n: f"SHOW {q.id}",
        render_records=lambda hits, fmt: json.dumps([h.quote.id for h in hits]) + f" {fmt}",
        render_verification=lambda result: f"VERDICT {result.verdict}",
        render_citation=lambda quote, style: f"CITE {quote.id} {style}",
    )
    shell.run_lines(
        [":limit 1", "sanctions", ":similar 1", ":cite 1", ":cite 1 bibtex", ":cite 1 mla"]
    )
    assert lines[:5] == ["1. a2-1", "1. a1-0", "CITE a2-1 text", "CITE a2-1 bibtex", lines[4]]
    assert lines[4].startswith("error: :cite N takes csl-json or bibtex")
    lines.clear()
    shell.run_lines([":format json", "sanctions", ":format xml", ":limit 0"])
    assert lines[0] == '["a2-1"] json'
    assert lines[1].startswith("error: :format takes") and lines[2].startswith("error: :limit")
    lines.clear()
    shell.run_lines([":verify Air defence saves lives every single night", ":verify"])
    assert lines[0] == "VERDICT verbatim" and lines[1].startswith("error: :verify takes")


def test_completion_offers_fields_values_and_index_words(ix: QuoteIndex) -> None:
    complete = completer_for(ix)
    assert complete("gas AND speak") == ["speaker:"]
    assert complete("speaker:Vl") == ['"Vladimir Putin"']
    assert complete("topic:ener") == ["'energy'"]
    assert complete("sanc") == ["sanctions"]
    assert complete(":format j") == ["json", "jsonl"]


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

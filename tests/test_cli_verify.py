"""`verify` through click's CliRunner: verdicts, exit codes, JSON, speaker check."""

from __future__ import annotations

import json

from click.testing import CliRunner

from statement_search.cli import main


def run(hand_index: str, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["verify", *args, "--index", hand_index])


def test_verbatim_exits_0_and_names_the_source(hand_index: str) -> None:
    result = run(hand_index, "A just peace is the only peace that will last")
    assert result.exit_code == 0
    assert result.output.startswith("verdict: verbatim\n")
    assert "Volodymyr Zelenskyy" in result.output and "2025-01-20 · Reuters" in result.output


def test_altered_shows_the_change_and_the_diff(hand_index: str) -> None:
    result = run(hand_index, "Air defence saves lives every night", "--speaker", "Zelensky")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "verdict: altered — dropped “single”"
    assert lines[1] == "said by Zelensky? yes"
    assert "   diff: Air defence saves lives every [-single-] night" in lines


def test_not_found_exits_1_and_json_says_so(hand_index: str) -> None:
    result = run(hand_index, "The moon is made of cheese", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["verdict"] == "not found" and data["utterances"] == []


def test_json_lists_every_source_with_its_diff(hand_index: str) -> None:
    result = run(hand_index, "They refused to negotiate", "--speaker", "Orban", "--format", "json")
    data = json.loads(result.output)
    assert data["verdict"] == "verbatim" and data["said_by"] == "someone else"
    assert data["said_by_others"] == ["Vladimir Putin"]
    [source] = data["utterances"][0]["sources"]
    assert source["url"] == "https://example.org/a1" and source["date"] == "2024-04-12"
    assert source["diff"] == [{"op": "equal", "text": "They refused to negotiate"}]


def test_no_words_is_a_one_line_error(hand_index: str) -> None:
    result = run(hand_index, "!!")
    assert result.exit_code == 2
    assert "nothing to verify" in result.output

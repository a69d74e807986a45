"""`show`, `similar`, `speakers` and `topics` through click's CliRunner."""

from __future__ import annotations

import json

from click.testing import CliRunner

from statement_search.cli import main


def run(hand_index: str, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, [*args, "--index", hand_index])


def test_show_prints_quote_paragraph_neighbours_and_source(hand_index: str) -> None:
    result = run(hand_index, "show", "a1-1")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("Aleksandr Lukashenko — Talks in Minsk (2024-04-12) · president.gov.by\n")
    assert "“We want peace on our borders, and we are ready to talk.”" in out
    assert "paragraph:\n  At the meeting" in out
    assert "before:\n  [a1-0] Aleksandr Lukashenko:" in out
    assert "after:\n  [a1-2] Vladimir Putin:" in out
    assert "source: https://example.org/a1 a1.txt:37-" in out


def test_show_json(hand_index: str) -> None:
    data = json.loads(run(hand_index, "show", "a1-0", "--format", "json").stdout)
    assert data["quote"]["id"] == "a1-0"
    assert [q["id"] for q in data["neighbours"]] == ["a1-1", "a1-2"]


def test_similar_lists_other_quotes(hand_index: str) -> None:
    result = run(hand_index, "similar", "a2-1", "--format", "json")
    assert result.exit_code == 0
    ids = [hit["id"] for hit in json.loads(result.stdout)]
    assert ids[0] == "a1-0" and "a2-1" not in ids


def test_speakers_counts_as_text_and_json(hand_index: str) -> None:
    text = run(hand_index, "speakers").stdout.splitlines()
    assert text[0].split(None, 1) == ["3", "Aleksandr Lukashenko"]
    data = json.loads(run(hand_index, "speakers", "sanctions", "--format", "json").stdout)
    assert data == [
        {"speaker": "Aleksandr Lukashenko", "count": 1},
        {"speaker": "Vladimir Putin", "count": 1},
    ]


def test_topics_for_a_query_with_filters(hand_index: str) -> None:
    result = run(hand_index, "topics", "--speaker", "Putin", "--format", "jsonl")
    assert [json.loads(line) for line in result.stdout.splitlines()][0] == {
        "topic": "energy",
        "count": 2,
    }
    assert run(hand_index, "topics", "xylophone").exit_code == 1

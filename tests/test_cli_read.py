"""`statement-search read`: one JSON object per article, errors on stderr, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from statement_search.cli import main

FIX = Path(__file__).parent / "fixtures" / "readers"


def _run(*args: str):
    return CliRunner().invoke(main, ["read", *args])


def test_jsonl_record_fields() -> None:
    path = str(FIX / "dated.txt")
    result = _run(path, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record == {
        "file": path,
        "title": "Talks on trade",
        "date": "2024-04-11",
        "url": None,
        "source": None,
        "language": "en",
        "text": "Minsk, April 11, 2024\n\nThe ministers met.",
    }


def test_html_page_record(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        '<html lang="en"><head><title>Talks | Example News</title>'
        '<link rel="canonical" href="https://www.example.org/talks"></head><body>'
        "<h1>Talks</h1><p>The minister said the talks would go on for a long time yet.</p>"
        "</body></html>"
    )
    record = json.loads(_run(str(page), "--format", "jsonl").stdout)
    assert record["title"] == "Talks"
    assert record["source"] == "example.org"
    assert record["url"] == "https://www.example.org/talks"
    assert record["text"] == "The minister said the talks would go on for a long time yet."


def test_bad_files_are_named_on_stderr_and_exit_1() -> None:
    result = _run(str(FIX / "dated.txt"), str(FIX / "binary.txt"), "--format", "json")
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)) == 1
    assert (
        result.stderr.strip()
        == f"statement-search: skipped {FIX / 'binary.txt'}: binary file, not an article"
    )


def test_nothing_readable_exits_2_without_traceback() -> None:
    result = _run(str(FIX / "empty.txt"), str(FIX / "malformed.json"))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 2


def test_text_output_has_no_control_characters() -> None:
    result = _run(str(FIX / "control_chars.txt"))
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "title: Title red" in result.stdout

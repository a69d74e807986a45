"""`statement-search extract`: quotes with their speaker, type and confidence."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from statement_search.cli import main

_ARTICLE = (
    "Harbour plan\n\n"
    "“We will open the new pier next spring,” said Mayor Ann Lee.\n\n"
    "Critics gathered outside. “It will cost far too much,” one of them said.\n\n"
    "The Kremlin said: “We are watching the harbour plan closely.”\n"
)


def test_jsonl_carries_speaker_type_and_confidence(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(_ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    found = [(r["speaker"], r["speaker_type"], r["confidence"]) for r in records]
    assert found[0][:2] == ("Ann Lee", "person") and found[0][2] >= 0.9
    assert found[1] == (None, None, 0.0)  # "one of them": no one named
    assert found[2][:2] == ("Kremlin", "organisation") and 0.0 < found[2][2] < 1.0


def test_text_marks_an_unsure_speaker(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "Title\n\nAnn Lee opened the pier.\n\nShe added: “It was a long wait for all of us.”\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    assert "Ann Lee (?) [pronoun]" in result.stdout

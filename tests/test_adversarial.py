"""Hostile articles (#20): generated text through extraction and the CLI never raises
anything but the library's own errors, and extraction stays linear in a file's size."""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statement_search.cli import main
from statement_search.errors import StatementSearchError
from statement_search.extraction.extract import extract_quotes
from statement_search.extraction.topics import Taxonomy
from statement_search.readers.text import parse_text

PIECES = st.sampled_from(
    [
        "“", "”", '"', "«", "»", "„", "‘", "’", "'", "‟", "〝", "〞",
        "Vladimir Putin:", "Q:", "THE PRESIDENT:", "MR SMITH:", "Question:", "Ann Lee said",
        "the Russian leader", "he told reporters", "she", ",", ".", ":", "—", "(", ")",
        "Peace", "sanctions", "WAR", "NATO", "McCain", "O'Neil", "İstanbul", "ſ",
        " ", " ", " ", "\n", "\n\n", "\t", "\r",
        "\x00", "\x07", "\x1b[31m", "\x1b]8;;http://x/\x07", "\x9b", "\x85", "\u202e", "\u2066",
        "\u2028", "\ufeff", "\ud800", "\udcff", "\U0001f600",
    ]
)  # fmt: skip
_NO_BYTE = re.compile("[\ud800-\udc7f\udd00-\udfff]")  # surrogates no byte escapes to
HUGE = st.sampled_from(["a" * 5_000, "Ab" * 2_000, "“" * 300, ". " * 1_000, "x:" * 500])
ARTICLES = st.lists(st.one_of(PIECES, st.text(max_size=12), HUGE), max_size=80).map("".join)


class _NoTopics(Taxonomy):
    def tag(self, text: str, context: str = "", nearby: str = "") -> tuple[str, ...]:
        return ()


@settings(max_examples=120, deadline=None)
@given(ARTICLES)
def test_extraction_survives_anything(text: str) -> None:
    try:
        article = parse_text(text, "hostile.txt")
        quotes = extract_quotes(article)
    except StatementSearchError:
        return
    for quote in quotes:
        assert 0 <= quote.start <= quote.end <= len(article.text)
        assert quote.text.strip()


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "internal error" not in result.output
    return result.exit_code, result.output


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ARTICLES, st.sampled_from([".txt", ".json", ".html", ".jsonl"]))
def test_extract_and_index_answer_every_file_in_one_line(text: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"hostile{suffix}"
        if suffix in (".json", ".jsonl"):
            path.write_text(json.dumps({"title": text[:40], "text": text, "turns": None}))
        elif suffix == ".html":
            path.write_bytes(f"<html><body><p>{text}</p></body></html>".encode(errors="replace"))
        else:
            # "\udcff" is the undecodable byte 0xFF; a surrogate standing for no byte is "?",
            # as `replace` writes it (the two in one text made this helper raise)
            path.write_bytes(_NO_BYTE.sub("?", text).encode(errors="surrogateescape"))
        code, output = _run(["extract", "--format", "jsonl", str(path)])
        assert code in (0, 2)
        for line in output.splitlines():
            if line.startswith("{"):
                assert not set(line) & {"\x1b", "\x9b", "\u202e", "\x07"}
        code, _ = _run(["index", "--index", str(Path(tmp) / "ix"), str(path)])
        assert code in (0, 1, 2)


def _seconds_per_byte(text: str) -> float:
    article = parse_text(text, "linear.txt")
    no_topics = _NoTopics()
    best = float("inf")
    for _ in range(3 if len(text) < 100_000 else 1):
        # CPU seconds of this thread: other work on the machine (another test worker on
        # the other core, a pool's threads) does not count
        started = time.thread_time()
        extract_quotes(article, no_topics)
        best = min(best, time.thread_time() - started)
    return best / len(text)


def test_extraction_time_per_byte_does_not_grow_with_the_paragraph() -> None:
    """One paragraph of alternating marks (a quote every few characters): 1 MB costs
    per byte what 10 KB does, within a constant factor (was quadratic: 100x)."""
    unit = '“a” "b" «c» ‘d’ '
    small = "Title\n\n" + unit * (10_000 // len(unit))
    large = "Title\n\n" + unit * (1_000_000 // len(unit))
    assert _seconds_per_byte(large) < 8 * _seconds_per_byte(small)


UNSAFE = {"\x1b", "\x07", "\x9b", "\x85", "\u202e", "\u2066", "\u200f"}


def test_no_command_or_format_prints_control_or_bidi_characters(tmp_path: Path) -> None:
    record = {
        "title": "Title \u202eevil\u202c \x1b]8;;http://x/\x07link\x1b]8;;\x07",
        "source": "src\u2066\x9b",
        "turns": [
            {
                "speaker": "Ann \u202eLee\x1b[31m",
                "text": "We will keep peace \u202ein\u2066 the region.",
            },
            {"speaker": "Bob \u200fStone", "text": "Peace \x9b2J is near \x07 today, friends."},
        ],
    }
    source = tmp_path / "evil\u202e\u200fname.json"
    source.write_text(json.dumps(record))
    index = str(tmp_path / "ix")
    _, out = _run(["index", "--index", index, str(source)])
    outputs = [out]
    for fmt in ("text", "json", "jsonl", "csv"):
        code, out = _run(["search", "peace", "--index", index, "--format", fmt, "--facets"])
        outputs.append(out)
    found = json.loads(_run(["search", "peace", "--index", index, "--format", "json"])[1])
    quote_id = found["hits"][0]
    for args in (
        ["speakers", "--index", index],
        ["speakers", "--index", index, "--format", "csv"],
        ["topics", "peace", "--index", index],
        ["show", quote_id["id"], "--index", index],
        ["stats", "--index", index],
        ["extract", str(source)],
        ["extract", "--format", "json", str(source)],
        ["read", str(source)],
        ["read", "--format", "jsonl", str(source)],
    ):
        outputs.append(_run(args)[1])
    for out in outputs:
        assert not UNSAFE & set(out), out
    assert "Ann Lee" in outputs[1]

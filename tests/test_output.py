"""cli/output.py: untrusted text made safe to print, JSON escaped but exact."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from statement_search.cli.output import clean_for_terminal, clean_keeping_bold, dumps

HOSTILE = (
    "a\x1b[31mred\x1b[0m \x1b]8;;http://evil/\x07link\x1b]8;;\x07 \x9b2J \x07bell "
    "\u202eevil\u202c \u2066iso\u2069 \u200emark\u200f \x00nul\x7f\x85"
)
UNSAFE = set("\x1b\x07\x9b\x00\x7f\x85\u202e\u202c\u2066\u2069\u200e\u200f")


def test_escape_sequences_controls_and_bidi_are_stripped() -> None:
    cleaned = clean_for_terminal(HOSTILE)
    assert not UNSAFE & set(cleaned)
    assert cleaned.startswith("ared link 2J bell evil iso mark nul")
    assert clean_for_terminal("tab\tand\nnewline stay") == "tab\tand\nnewline stay"


def test_undecodable_name_bytes_are_shown_not_dropped() -> None:
    assert clean_for_terminal("bad\udcffname.txt") == "bad\\xffname.txt"
    assert clean_for_terminal("lone \ud800") == "lone \ufffd"


def test_our_bold_survives_and_nothing_else_does() -> None:
    text = "\x1b[1mpeace\x1b[0m " + HOSTILE
    cleaned = clean_keeping_bold(text)
    assert cleaned.startswith("\x1b[1mpeace\x1b[0m ared")
    # Bold on and off (ours, or a reset from the text: harmless) are all that is left.
    assert cleaned.count("\x1b") == cleaned.count("\x1b[1m") + cleaned.count("\x1b[0m")
    assert not (UNSAFE - {"\x1b"}) & set(cleaned)


@given(st.text())
def test_json_round_trips_and_holds_nothing_raw(text: str) -> None:
    out = dumps({"t": text, "l": [text]})
    assert json.loads(out) == {"t": text, "l": [text]}
    assert not UNSAFE & set(out)
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in out)
    out.encode("utf-8")  # printable whatever the text held


def test_json_keeps_readable_non_ascii() -> None:
    assert dumps("Лукашенко “x”") == '"Лукашенко “x”"'
    assert dumps("\x9b\u202e") == '"\\u009b\\u202e"'


def test_a_message_stays_one_line_whatever_the_file_name() -> None:
    from statement_search.cli.output import clean_line

    name = "evil\nstatement-search: indexed 0 articles\t\x1b[2K.txt"
    assert clean_line(f"skipped {name}: bad") == (
        "skipped evil\\nstatement-search: indexed 0 articles\\t.txt: bad"
    )

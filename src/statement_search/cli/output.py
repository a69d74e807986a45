"""Terminal output helpers: safe printing of untrusted text, errors, JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from typing import Any

import click

# ANSI/OSC escape sequences (OSC-8 hyperlinks included), then C0/C1 control
# characters but tab and newline, bidi embeddings, overrides, isolates and marks
# (they reorder what the terminal shows), and lone surrogates (from JSON escapes
# or undecodable file names; unprintable).
_ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-_])")
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_CONTROL_CHARS = re.compile(f"[{_UNSAFE}]")
# In JSON text these can only stand inside strings: escaped there as \\uXXXX, so
# the value round-trips and nothing raw reaches a terminal.
_JSON_UNSAFE = re.compile(f"[{_UNSAFE}\u2028\u2029]")


class CliError(click.ClickException):
    """A one-line error that exits with status 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"statement-search: error: {clean_line(self.format_message())}", err=True)


def clean_for_terminal(text: str) -> str:
    """Strip escape sequences, control and bidi characters from untrusted text; a
    byte a file name could not decode (a surrogate escape) is shown as \\xNN."""
    if _SURROGATE.search(text):
        text = _SURROGATE.sub(_show_surrogate, text)
    return _CONTROL_CHARS.sub("", _ESCAPE_SEQUENCE.sub("", text))


def clean_line(text: str) -> str:
    """`clean_for_terminal` for a one-line message: a newline or tab in a file name
    or query is shown escaped, so a message never turns into several lines."""
    return clean_for_terminal(text).replace("\n", "\\n").replace("\t", "\\t")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _show_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


_BOLD_OR_RESET = re.compile("(\x1b\\[[01]m)")


def clean_keeping_bold(text: str) -> str:
    """`clean_for_terminal` for text mixing our own bold highlights with untrusted
    text: bold on and off are the only sequences kept (harmless from anyone)."""
    parts = _BOLD_OR_RESET.split(text)
    return "".join(part if i % 2 else clean_for_terminal(part) for i, part in enumerate(parts))


def display_path(path: str | os.PathLike[str]) -> str:
    """A file name fit to print (see `clean_for_terminal`)."""
    return clean_for_terminal(os.fspath(path))


def json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps(value: Any, indent: int | None = None) -> str:
    """JSON text, readable (non-ASCII kept) but with control, bidi and surrogate
    characters escaped, so printing it never drives the terminal."""
    text = json.dumps(value, ensure_ascii=False, default=json_default, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def use_color(stream: Any = None) -> bool:
    """Colour only on a terminal and never with NO_COLOR set."""
    import os

    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def notice(message: str) -> None:
    click.echo(clean_line(message), err=True)

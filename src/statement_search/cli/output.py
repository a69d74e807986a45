"""Terminal output helpers: safe printing of untrusted text, errors, JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from typing import Any

import click

# C0/C1 control characters except tab and newline, plus ANSI/OSC escape sequences.
_ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-_])")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class CliError(click.ClickException):
    """A one-line error that exits with status 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"statement-search: error: {self.format_message()}", err=True)


def clean_for_terminal(text: str) -> str:
    """Strip escape sequences and control characters from untrusted text."""
    return _CONTROL_CHARS.sub("", _ESCAPE_SEQUENCE.sub("", text))


def json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, default=json_default, indent=indent)


def use_color(stream: Any = None) -> bool:
    """Colour only on a terminal and never with NO_COLOR set."""
    import os

    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def notice(message: str) -> None:
    click.echo(message, err=True)

"""Options shared by several commands, declared once."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_INDEX = "index"


class PathArg(click.Path):
    """`click.Path` that refuses a path holding a NUL byte with the project's one-line
    `InputError` (click's own check would end in a bare `ValueError`)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from ..errors import InputError, refuse_nul

        if isinstance(value, str):
            refuse_nul(value, InputError)
        return super().convert(value, param, ctx)


# The index this command works on, for naming it in an error that escapes the command.
chosen_index: str | None = None


def _remember_index(ctx: click.Context, param: click.Parameter, value: str) -> str:
    global chosen_index
    chosen_index = value
    return value


def index_option(func: F) -> F:
    return click.option(
        "--index",
        "index_dir",
        envvar="STATEMENT_SEARCH_INDEX",
        default=DEFAULT_INDEX,
        show_default=True,
        type=PathArg(file_okay=False),
        callback=_remember_index,
        help="Index directory (env STATEMENT_SEARCH_INDEX).",
    )(func)


def format_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    def decorate(func: F) -> F:
        return click.option(
            "--format",
            "output_format",
            type=click.Choice(list(choices)),
            default=default,
            show_default=True,
            help="Output format.",
        )(func)

    return decorate


def taxonomy_option(func: F) -> F:
    return click.option(
        "--taxonomy",
        type=PathArg(dir_okay=False),
        envvar="STATEMENT_SEARCH_TAXONOMY",
        default=None,
        help="TOML file of extra topics (env STATEMENT_SEARCH_TAXONOMY).",
    )(func)


# -- search options (search, similar, speakers, topics) ---------------------------

FILTER_NAMES = (
    "speaker",
    "topic",
    "since",
    "until",
    "source",
    "kind",
    "min_confidence",
    "attribution",
)

_FILTER_OPTIONS = (
    click.option(
        "--speaker",
        multiple=True,
        metavar="NAME",
        help="Only quotes by this speaker: full name, alias or last name, any case (repeatable).",
    ),
    click.option(
        "--topic",
        multiple=True,
        metavar="TOPIC",
        help="Only quotes on this topic; a parent topic includes its children (repeatable).",
    ),
    click.option("--since", metavar="DATE", help="From this date on: YYYY, YYYY-MM or YYYY-MM-DD."),
    click.option("--until", metavar="DATE", help="Up to this date: YYYY, YYYY-MM or YYYY-MM-DD."),
    click.option(
        "--source",
        multiple=True,
        metavar="SOURCE",
        help="Only quotes from this source (repeatable).",
    ),
    click.option(
        "--kind",
        metavar="KINDS",
        default=None,
        help="Only these kinds, comma-separated: quote, turn (transcripts), question "
        "(reporters'). Default: all (similar: quote,turn).",
    ),
    click.option(
        "--min-confidence",
        type=click.FloatRange(0.0, 1.0),
        metavar="X",
        help="Only quotes whose speaker has at least this confidence (0-1; 0.9: about 95% right).",
    ),
    click.option(
        "--attribution",
        multiple=True,
        metavar="HOW",
        help="Only quotes whose speaker was found this way: name, label, role, pronoun, "
        "continuation, unknown (comma-separated or repeatable).",
    ),
)


def filter_options(func: F) -> F:
    """--speaker/--topic/--since/--until/--source, handed to the command as one `filters` dict."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        kwargs["filters"] = {name: kwargs.pop(name) for name in FILTER_NAMES}
        return func(*args, **kwargs)

    for option in reversed(_FILTER_OPTIONS):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


def sort_option(func: F) -> F:
    return click.option(
        "--sort",
        type=click.Choice(["relevance", "date", "-date"]),
        default="relevance",
        show_default=True,
        help="relevance (ties: newest first), date (oldest first) or -date (newest first).",
    )(func)


def limit_option(default: int = 10) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        return click.option(
            "--limit",
            default=default,
            show_default=True,
            type=click.IntRange(1, 100_000),
            help="How many results to print.",
        )(func)

    return decorate


def offset_option(func: F) -> F:
    return click.option(
        "--offset",
        default=0,
        show_default=True,
        type=click.IntRange(0, None),
        help="Skip this many results first (paging).",
    )(func)


def seconds(ctx: click.Context | None, param: click.Parameter | None, value: Any) -> float | None:
    """A click callback: a finite, non-negative number of seconds (NaN would wait forever)."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise click.BadParameter(f"{value!r} is not a number of seconds") from None
    if not math.isfinite(number) or number < 0:
        raise click.BadParameter(f"{value!r} must be a finite number of seconds, 0 or more")
    return number


def time_limit_option(func: F) -> F:
    return click.option(
        "--time-limit",
        type=float,
        callback=seconds,
        envvar="STATEMENT_SEARCH_TIME_LIMIT",
        default="10",
        show_default=True,
        metavar="SECONDS",
        help="Stop a query that runs longer (env STATEMENT_SEARCH_TIME_LIMIT; 0: no limit).",
    )(func)


def fields_option(func: F) -> F:
    return click.option(
        "--fields",
        metavar="A,B,…",
        default=None,
        help="Only these fields (comma-separated, in this order) in json, jsonl and csv output.",
    )(func)


def hit_list_options(func: F) -> F:
    """--limit/--offset/--format/--fields, as every command listing hits takes them."""
    for option in (
        fields_option,
        format_option("text", "json", "jsonl", "csv"),
        offset_option,
        limit_option(10),
    ):
        func = option(func)
    return func

"""Options shared by several commands, declared once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_INDEX = "index"


def index_option(func: F) -> F:
    return click.option(
        "--index",
        "index_dir",
        envvar="STATEMENT_SEARCH_INDEX",
        default=DEFAULT_INDEX,
        show_default=True,
        type=click.Path(file_okay=False),
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
        type=click.Path(dir_okay=False),
        envvar="STATEMENT_SEARCH_TAXONOMY",
        default=None,
        help="TOML file of extra topics (env STATEMENT_SEARCH_TAXONOMY).",
    )(func)


# -- search options (search, similar, speakers, topics) ---------------------------

FILTER_NAMES = ("speaker", "topic", "since", "until", "source", "min_confidence", "attribution")

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

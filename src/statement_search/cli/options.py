"""Options shared by several commands, declared once."""

from __future__ import annotations

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

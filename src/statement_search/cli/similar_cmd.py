"""`statement-search similar`: quotes like a given one (more-like-this)."""

from __future__ import annotations

from typing import Any

import click

from .options import filter_options, format_option, index_option, limit_option, offset_option
from .output import CliError


@click.command()
@click.argument("quote_id", metavar="ID")
@index_option
@filter_options
@limit_option(10)
@offset_option
@format_option("text", "json", "jsonl", "csv")
def similar(
    quote_id: str,
    index_dir: str,
    filters: dict[str, Any],
    limit: int,
    offset: int,
    output_format: str,
) -> None:
    """Find quotes that share the key words of quote ID. Exit status: 0 hits, 1 none, 2 error.

    \b
    Example:
      statement-search similar 628a7973db86728e --since 2024
    """
    from ..errors import StatementSearchError
    from .index_cmd import open_or_build_default
    from .render import emit_hits

    if not filters["kind"]:
        del filters["kind"]  # the library's default: reporters' questions left out
    try:
        ix = open_or_build_default(index_dir)
        hits = ix.similar(quote_id, limit=limit, offset=offset, **filters)
    except StatementSearchError as exc:
        raise CliError(str(exc)) from None
    emit_hits(hits, output_format, offset=offset)
    raise SystemExit(0 if hits else 1)

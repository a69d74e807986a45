"""`statement-search similar`: quotes about what a given one is about."""

from __future__ import annotations

from typing import Any

import click

from .options import filter_options, hit_list_options, index_option
from .output import CliError


@click.command()
@click.argument("quote_id", metavar="ID")
@index_option
@filter_options
@hit_list_options
def similar(
    quote_id: str,
    index_dir: str,
    filters: dict[str, Any],
    limit: int,
    offset: int,
    output_format: str,
    fields: str | None,
) -> None:
    """Find quotes about what quote ID is about (its rarest content words).

    Other outlets' copies of the same words are skipped, and reporters'
    questions left out unless --kind names them.  Exit status: 0 hits, 1 none, 2 error.

    \b
    Example:
      statement-search similar 628a7973db86728e --since 2024
    """
    from ..errors import StatementSearchError
    from .index_cmd import open_or_build_default
    from .render import emit_hits, field_names

    if not filters["kind"]:
        del filters["kind"]  # the library's default: reporters' questions left out
    try:
        ix = open_or_build_default(index_dir)
        hits = ix.similar(quote_id, limit=limit, offset=offset, **filters)
    except StatementSearchError as exc:
        raise CliError(str(exc)) from None
    emit_hits(hits, output_format, offset=offset, fields=field_names(fields))
    raise SystemExit(0 if hits else 1)

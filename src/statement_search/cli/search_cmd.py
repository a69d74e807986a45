"""`statement-search search`: ranked, highlighted quotes."""

from __future__ import annotations

from typing import Any

import click

from .options import (
    filter_options,
    hit_list_options,
    index_option,
    sort_option,
    time_limit_option,
)
from .output import CliError, clean_for_terminal, notice


@click.command()
@click.argument("query", nargs=-1)
@index_option
@filter_options
@sort_option
@hit_list_options
@time_limit_option
@click.option(
    "--collapse/--no-collapse",
    default=True,
    help="One hit for the same words by the same speaker in several sources (default), "
    "or each copy.",
)
@click.option(
    "--facets",
    "with_facets",
    is_flag=True,
    help="Also count the matches by speaker, topic and year.",
)
def search(
    query: tuple[str, ...],
    index_dir: str,
    filters: dict[str, Any],
    sort: str,
    limit: int,
    offset: int,
    output_format: str,
    fields: str | None,
    time_limit: float,
    collapse: bool,
    with_facets: bool,
) -> None:
    """Find quotes matching QUERY (Whoosh query language), best first.

    Words match any inflection; "quoted phrases" match verbatim; also AND, OR,
    NOT, field:value (speaker:, topic:, title:), wildcards* and fuzzy~.  An
    empty QUERY or * with filters lists every quote passing them, newest first.
    The same words by the same speaker in several sources are one hit ("also
    in 3 sources", earliest first) unless --no-collapse.
    Exit status: 0 hits, 1 none, 2 error.

    \b
    Examples:
      statement-search search peace
      statement-search search '"peace process"' --speaker Lukashenka --format json
      statement-search search '*' --topic sanctions --since 2024-04 --sort -date
    """
    from ..errors import StatementSearchError
    from ..search.suggest import FEW_HITS
    from .index_cmd import open_or_build_default
    from .render import emit_hits, field_names

    if with_facets and output_format in ("jsonl", "csv"):
        raise CliError("--facets works with --format text or json")
    text = " ".join(query)
    try:
        ix = open_or_build_default(index_dir)
        seconds = time_limit or None
        page = ix.search_page(
            text,
            sort=sort,
            limit=limit,
            offset=offset,
            collapse=collapse,
            time_limit=seconds,
            **filters,
        )
        hits = page.hits
        few = len(hits) < min(FEW_HITS, limit) and offset == 0
        suggestion = ix.suggest(text, time_limit=seconds, **filters) if few else None
        facets = ix.facets(text, time_limit=seconds, **filters) if with_facets else None
    except StatementSearchError as exc:
        raise CliError(str(exc)) from None
    for message in page.notices:
        notice(f"statement-search: note: {clean_for_terminal(message)}")
    emit_hits(
        hits,
        output_format,
        offset=offset,
        facets=facets,
        suggestion=suggestion,
        page=page,
        fields=field_names(fields),
    )
    raise SystemExit(0 if hits else 1)

"""`statement-search speakers`, `topics` and `sources`: quote counts, for the index or a query."""

from __future__ import annotations

from typing import Any

import click

from .options import filter_options, format_option, index_option, limit_option, time_limit_option
from .output import CliError, clean_for_terminal


def _facet_command(kind: str) -> click.Command:
    """One command per facet; both share options, output and exit codes."""

    @click.command(
        kind,
        help=(
            f"List {kind} with how many quotes they have, largest first — in the whole "
            "index or among the quotes matching QUERY and the filters. "
            "Exit status: 0 found, 1 none, 2 error.\n\n\b\nExamples:\n"
            f"  statement-search {kind}\n"
            f"  statement-search {kind} sanctions --since 2024 --format json"
        ),
    )
    @click.argument("query", nargs=-1)
    @index_option
    @filter_options
    @limit_option(100)
    @format_option("text", "json", "jsonl", "csv")
    @time_limit_option
    def command(
        query: tuple[str, ...],
        index_dir: str,
        filters: dict[str, Any],
        limit: int,
        output_format: str,
        time_limit: float,
    ) -> None:
        from ..errors import StatementSearchError
        from .index_cmd import open_or_build_default
        from .render import emit_records, facet_records

        try:
            ix = open_or_build_default(index_dir)
            found = getattr(ix, kind)(" ".join(query), time_limit=time_limit or None, **filters)
            counts = found[:limit]
        except StatementSearchError as exc:
            raise CliError(str(exc)) from None
        if output_format == "text":
            for count in counts:
                click.echo(clean_for_terminal(f"{count.count:6d}  {count.name}"))
        else:
            emit_records(facet_records(kind, counts), output_format)
        if not counts:
            click.echo(f"statement-search: no {kind} found", err=True)
        raise SystemExit(0 if counts else 1)

    return command


speakers = _facet_command("speakers")
topics = _facet_command("topics")
sources = _facet_command("sources")

"""`statement-search search`: ranked, highlighted quotes."""

from __future__ import annotations

import click

from .options import format_option, index_option
from .output import CliError, dumps, use_color


@click.command()
@click.argument("query")
@index_option
@click.option("--speaker", default=None, help="Only quotes by this speaker (name or last name).")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 10_000))
@format_option("text", "json")
def search(query: str, index_dir: str, speaker: str | None, limit: int, output_format: str) -> None:
    """Find quotes matching QUERY, best first.

    \b
    Examples:
      statement-search search peace
      statement-search search "peace process" --speaker Lukashenko --format json
    """
    from ..errors import StatementSearchError
    from .index_cmd import open_or_build_default
    from .render import hit_to_record, hit_to_text

    try:
        ix = open_or_build_default(index_dir)
        hits = ix.search(query, speaker=speaker, limit=limit)
    except StatementSearchError as exc:
        raise CliError(str(exc)) from None
    if output_format == "json":
        click.echo(dumps([hit_to_record(hit) for hit in hits], indent=2))
    else:
        if not hits:
            click.echo(f"no quotes match {query!r}", err=True)
        style = "plain" if _no_color() else ("ansi" if use_color() else "markers")
        for rank, hit in enumerate(hits, start=1):
            click.echo(hit_to_text(rank, hit, style))
    raise SystemExit(0 if hits else 1)


def _no_color() -> bool:
    import os

    return bool(os.environ.get("NO_COLOR"))

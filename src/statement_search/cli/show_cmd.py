"""`statement-search show`: one quote with its paragraph, neighbours and source."""

from __future__ import annotations

import click

from .options import format_option, index_option
from .output import CliError, dumps


@click.command()
@click.argument("quote_id", metavar="ID")
@index_option
@click.option(
    "--around",
    default=2,
    show_default=True,
    type=click.IntRange(0, 50),
    help="How many quotes of the article to show before and after.",
)
@format_option("text", "json")
def show(quote_id: str, index_dir: str, around: int, output_format: str) -> None:
    """Show the quote ID (as printed by `search`) in its article.

    \b
    Example:
      statement-search show 41b585f2edbbd4cf-13
    """
    from ..errors import StatementSearchError
    from .index_cmd import open_or_build_default
    from .render import quote_in_article, quote_to_record

    try:
        ix = open_or_build_default(index_dir)
        quote = ix.get(quote_id)
        neighbours = ix.neighbours(quote_id, around=around) if quote else []
    except StatementSearchError as exc:
        raise CliError(str(exc)) from None
    if quote is None:
        raise CliError(f"no quote with id {quote_id!r} — ids are shown by `search`")
    if output_format == "json":
        click.echo(
            dumps(
                {
                    "quote": quote_to_record(quote),
                    "neighbours": [quote_to_record(q) for q in neighbours],
                },
                indent=2,
            )
        )
        return
    click.echo(quote_in_article(quote, neighbours))

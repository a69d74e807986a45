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
@format_option("text", "json", "csv")
@click.option(
    "--cite",
    type=click.Choice(["csl-json", "bibtex"]),
    default=None,
    help="Print only the quote's citation, as CSL-JSON or BibTeX.",
)
def show(quote_id: str, index_dir: str, around: int, output_format: str, cite: str | None) -> None:
    """Show the quote ID (as printed by `search`) in its article, with a citation.

    Ids stay the same when the article is edited elsewhere, moved or re-indexed.

    \b
    Examples:
      statement-search show 628a7973db86728e
      statement-search show 628a7973db86728e --cite bibtex
    """
    from ..errors import StatementSearchError
    from ..search.citations import citation_text
    from .index_cmd import open_or_build_default
    from .render import quote_in_article, quote_to_record, records_to_csv
    from .verify_render import citation_as

    try:
        ix = open_or_build_default(index_dir)
        quote = ix.get(quote_id)
        neighbours = ix.neighbours(quote_id, around=around) if quote else []
    except StatementSearchError as exc:
        raise CliError(str(exc)) from None
    if quote is None:
        raise CliError(f"no quote with id {quote_id!r} — ids are shown by `search`")
    if cite is not None:
        click.echo(citation_as(quote, cite))
        return
    if output_format == "csv":  # the quote's row, then its neighbours' in article order
        rows = [{"shown": "quote", **quote_to_record(quote)}]
        rows += [{"shown": "neighbour", **quote_to_record(q)} for q in neighbours]
        click.echo(records_to_csv(rows))
        return
    if output_format == "json":
        click.echo(
            dumps(
                {
                    "quote": quote_to_record(quote),
                    "neighbours": [quote_to_record(q) for q in neighbours],
                    "citation": citation_text(quote),
                },
                indent=2,
            )
        )
        return
    click.echo(quote_in_article(quote, neighbours))
    click.echo(f"cite: {citation_as(quote, 'text')}")

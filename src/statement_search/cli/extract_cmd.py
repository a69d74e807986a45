"""`statement-search extract`: quotes of files, without indexing."""

from __future__ import annotations

import dataclasses

import click

from .options import format_option, taxonomy_option
from .output import CliError, clean_for_terminal, dumps


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@format_option("text", "json", "jsonl", default="text")
@taxonomy_option
def extract(files: tuple[str, ...], output_format: str, taxonomy: str | None) -> None:
    """Print the quotes found in FILES with their speakers.

    \b
    Example:
      statement-search extract corpus/*.txt --format jsonl
    """
    from ..errors import InputError, StatementSearchError
    from ..extract import extract_quotes
    from ..readers import read_articles
    from ..topics import load_taxonomy
    from .render import speaker_label

    try:
        tax = load_taxonomy(taxonomy)
    except StatementSearchError as exc:
        raise CliError(str(exc)) from None
    failures = 0
    collected: list[dict[str, object]] = []
    for path in files:
        try:
            items = list(read_articles(path))
        except InputError as exc:
            click.echo(f"statement-search: skipped {exc}", err=True)
            failures += 1
            continue
        for item in items:
            if isinstance(item, InputError):
                click.echo(f"statement-search: skipped {item}", err=True)
                failures += 1
                continue
            for quote in extract_quotes(item, tax):
                record = {"file": path, **dataclasses.asdict(quote)}
                record["quote"] = record.pop("text")
                if output_format == "jsonl":
                    click.echo(dumps(record))
                elif output_format == "json":
                    collected.append(record)
                else:
                    who = speaker_label(quote) if quote.speaker else "(unknown speaker)"
                    click.echo(
                        clean_for_terminal(
                            f"{path}:{quote.start}-{quote.end}  {who} [{quote.attribution}]"
                        )
                    )
                    click.echo(f"  “{clean_for_terminal(quote.text)}”")
    if output_format == "json":
        click.echo(dumps(collected, indent=2))
    if failures and failures == len(files):
        raise SystemExit(2)
    if failures:
        raise SystemExit(1)

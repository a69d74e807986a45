"""`statement-search extract`: quotes of files, without indexing."""

from __future__ import annotations

import dataclasses

import click

from .options import format_option, taxonomy_option
from .output import CliError, clean_for_terminal, dumps, notice


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
    from ..budget import extract_file
    from ..errors import InputError, StatementSearchError
    from ..topics import load_taxonomy

    try:
        tax = load_taxonomy(taxonomy)
    except StatementSearchError as exc:
        raise CliError(str(exc)) from None
    failures = read_count = 0
    collected: list[dict[str, object]] = []
    for path in files:
        for item in extract_file(path, tax):
            if isinstance(item, InputError):
                notice(f"statement-search: skipped {item}")
                failures += 1
                continue
            read_count += 1
            for quote in item[1]:
                record = {"file": path, **dataclasses.asdict(quote)}
                record["quote"] = record.pop("text")
                if output_format == "jsonl":
                    click.echo(dumps(record))
                elif output_format == "json":
                    collected.append(record)
                else:
                    who = quote.speaker or "(unknown speaker)"
                    click.echo(
                        clean_for_terminal(
                            f"{path}:{quote.start}-{quote.end}  {who} [{quote.attribution}]"
                        )
                    )
                    click.echo(f"  “{clean_for_terminal(quote.text)}”")
    if output_format == "json":
        click.echo(dumps(collected, indent=2))
    if failures:
        raise SystemExit(2 if read_count == 0 else 1)

"""`statement-search extract`: quotes of files, without indexing."""

from __future__ import annotations

import dataclasses

import click

from .options import PathArg, fields_option, format_option, taxonomy_option
from .output import CliError, clean_for_terminal, dumps, notice


@click.command()
@click.argument("files", nargs=-1, required=True, type=PathArg())
@format_option("text", "json", "jsonl", "csv", default="text")
@fields_option
@taxonomy_option
def extract(
    files: tuple[str, ...], output_format: str, fields: str | None, taxonomy: str | None
) -> None:
    """Print the quotes found in FILES with their speakers.

    \b
    Example:
      statement-search extract corpus/*.txt --format jsonl
    """
    from ..errors import InputError, StatementSearchError
    from ..extraction.topics import load_taxonomy
    from ..ingest.budget import extract_file
    from .render import field_names, pick_fields, records_to_csv, speaker_label

    names = field_names(fields)
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
                record = pick_fields([record], names)[0]
                if output_format == "jsonl":
                    click.echo(dumps(record))
                elif output_format in ("json", "csv"):
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
    elif output_format == "csv" and collected:
        click.echo(records_to_csv(collected))
    if failures:
        raise SystemExit(2 if read_count == 0 else 1)

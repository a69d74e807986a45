"""`statement-search read`: what the readers saw in files (debugging and scoring)."""

from __future__ import annotations

import click

from .options import PathArg, format_option
from .output import clean_for_terminal, dumps, notice


@click.command()
@click.argument("files", nargs=-1, required=True, type=PathArg())
@format_option("text", "json", "jsonl", default="text")
def read(files: tuple[str, ...], output_format: str) -> None:
    """Print each article of FILES as the reader saw it: title, date, url,
    source, language and the main text (paragraphs separated by blank lines).

    Exit status: 0 all read, 1 some files skipped, 2 nothing could be read.

    \b
    Example:
      statement-search read saved-page.html --format jsonl
    """
    from ..errors import InputError
    from ..ingest.budget import read_file

    read_count = failures = 0
    collected: list[dict[str, object]] = []
    for path in files:
        for item in read_file(path):
            if isinstance(item, InputError):
                notice(f"statement-search: skipped {item}")
                failures += 1
                continue
            read_count += 1
            record: dict[str, object] = {
                "file": path,
                "title": item.title,
                "date": item.date.isoformat() if item.date else None,
                "url": item.url,
                "source": item.source,
                "language": item.language,
                "text": item.body,
            }
            if output_format == "jsonl":
                click.echo(dumps(record))
            elif output_format == "json":
                collected.append(record)
            else:
                click.echo(_as_text(record))
    if output_format == "json":
        click.echo(dumps(collected, indent=2))
    if failures:
        raise SystemExit(2 if read_count == 0 else 1)


def _as_text(record: dict[str, object]) -> str:
    """A readable block per article; every field is cleaned of control characters."""
    head = [f"== {record['file']}"]
    for key in ("title", "date", "url", "source", "language"):
        if record[key]:
            head.append(f"{key}: {record[key]}")
    return clean_for_terminal("\n".join(head) + "\n\n" + str(record["text"]) + "\n")

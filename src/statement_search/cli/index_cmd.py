"""`statement-search index`: build the index from files and folders."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from .options import index_option, taxonomy_option
from .output import CliError, clean_for_terminal, notice

if TYPE_CHECKING:
    from ..index import QuoteIndex


def default_corpus() -> Path:
    """`./corpus` when present, else the corpus shipped beside the package source."""
    here = Path("corpus")
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[3] / "corpus"


def open_or_build_default(index_dir: str) -> QuoteIndex:
    """Open the index; on first use build it from the default corpus and say so."""
    from ..index import QuoteIndex

    if not QuoteIndex.exists(index_dir):
        corpus = default_corpus()
        if not corpus.is_dir():
            raise CliError(f"no index at {index_dir} — run `statement-search index PATH`")
        notice(f"statement-search: no index at {index_dir} yet — building it from {corpus}/")
        return QuoteIndex.build(index_dir, [corpus])
    return QuoteIndex.open(index_dir)


@click.command("index")
@click.argument("paths", nargs=-1, type=click.Path())
@index_option
@taxonomy_option
def index_command(paths: tuple[str, ...], index_dir: str, taxonomy: str | None) -> None:
    """Index PATHS (files or folders; default: corpus/).

    \b
    Example:
      statement-search index corpus/ --index ./index
    """
    from ..errors import StatementSearchError
    from ..index import QuoteIndex
    from ..topics import load_taxonomy

    sources = list(paths) or [str(default_corpus())]
    try:
        tax = load_taxonomy(taxonomy)
        ix = QuoteIndex.create(index_dir)
        report = ix.add(
            sources,
            taxonomy=tax,
            on_error=lambda exc: notice(f"statement-search: skipped {clean_for_terminal(str(exc))}"),
        )
    except StatementSearchError as exc:
        raise CliError(str(exc)) from None
    click.echo(
        f"indexed {report.articles} articles, {report.quotes} quotes into {index_dir}"
        + (f"; {len(report.skipped)} skipped" if report.skipped else "")
    )
    if report.skipped:
        raise SystemExit(2 if report.articles == 0 else 1)

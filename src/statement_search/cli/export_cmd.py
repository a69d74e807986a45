"""`statement-search export`: the index's quotes for a search cluster (OpenSearch/Elasticsearch)."""

from __future__ import annotations

import click

from .options import PathArg, format_option, index_option
from .output import CliError, clean_for_terminal


@click.command()
@click.argument("out_dir", type=PathArg(file_okay=False))
@index_option
@format_option("opensearch", default="opensearch")
@click.option(
    "--name", "index_name", default="quotes", show_default=True, help="The cluster's index name."
)
def export(out_dir: str, index_dir: str, output_format: str, index_name: str) -> None:
    """Write OUT_DIR/mapping.json and bulk NDJSON files that OpenSearch or Elasticsearch
    load with their `_bulk` API (see docs/scale-out.md).

    \b
    Example:
      statement-search export --format opensearch cluster-export/
    """
    from ..engines.index import QuoteIndex
    from ..engines.opensearch import export_opensearch
    from ..errors import StatementSearchError

    try:
        with QuoteIndex.open(index_dir) as ix:
            report = export_opensearch(ix.quotes(), out_dir, index_name=index_name)
    except StatementSearchError as exc:
        raise CliError(str(exc)) from None
    bulk = len(report.files) - 1
    click.echo(
        f"exported {report.quotes} quotes to {clean_for_terminal(out_dir)}: "
        f"mapping.json and {bulk} bulk file{'s' if bulk != 1 else ''}"
    )

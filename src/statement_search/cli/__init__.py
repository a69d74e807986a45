"""The `statement-search` command line: a thin click layer over the library.

Each command lives in its own module and imports the library lazily, so a
command never pays for imports it does not use.
"""

from __future__ import annotations

import click

from .extract_cmd import extract


@click.group(invoke_without_command=True)
@click.version_option(package_name="statement-search")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Search what politicians said: quotes with speakers, topics and sources."""
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


main.add_command(extract)

__all__ = ["main"]

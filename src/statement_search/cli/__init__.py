"""The `statement-search` command line: a thin click layer over the library.

Each command lives in its own module and imports the library lazily, so a
command never pays for imports it does not use.
"""

from __future__ import annotations

import click

from .extract_cmd import extract
from .index_cmd import add_command, index_command, optimize_command, stats_command
from .read_cmd import read
from .search_cmd import search


@click.group(invoke_without_command=True)
@click.version_option(package_name="statement-search")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Search what politicians said: quotes with speakers, topics and sources."""
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


main.add_command(extract)
main.add_command(index_command)
main.add_command(add_command)
main.add_command(stats_command)
main.add_command(optimize_command)
main.add_command(search)
main.add_command(read)



def run() -> None:
    """Console-script entry: the CLI, with no traceback ever reaching the user."""
    import os
    import sys

    from ..errors import StatementSearchError

    try:
        main(prog_name="statement-search")
    except StatementSearchError as exc:
        click.echo(f"statement-search: error: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        # Output piped into `head` and friends: stop quietly.
        sys.stderr.close()
        sys.exit(0)
    except Exception as exc:  # a bug: say so in one line, traceback on request
        if os.environ.get("STATEMENT_SEARCH_DEBUG"):
            raise
        click.echo(
            f"statement-search: internal error: {type(exc).__name__}: {exc} "
            "(set STATEMENT_SEARCH_DEBUG=1 for details)",
            err=True,
        )
        sys.exit(2)


__all__ = ["main", "run"]

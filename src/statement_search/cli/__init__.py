"""The `statement-search` command line: a thin click layer over the library.

Each command lives in its own module and imports the library lazily, so a
command never pays for imports it does not use.
"""

from __future__ import annotations

import click

from .export_cmd import export
from .extract_cmd import extract
from .facets_cmd import sources, speakers, topics
from .index_cmd import (
    add_command,
    index_command,
    optimize_command,
    remove_command,
    stats_command,
)
from .read_cmd import read
from .search_cmd import search
from .shell_cmd import shell
from .show_cmd import show
from .similar_cmd import similar
from .verify_cmd import verify


@click.group(invoke_without_command=True)
@click.version_option(package_name="statement-search")
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Bold matches: on a terminal or with FORCE_COLOR (auto, never with NO_COLOR), "
    "always, or never.",
)
@click.pass_context
def main(ctx: click.Context, color: str) -> None:
    """Search what politicians said: quotes with speakers, topics and sources."""
    from . import render

    render.color_choice = color
    if ctx.invoked_subcommand is None:
        import os
        import sys

        from .options import DEFAULT_INDEX

        # A terminal gets the interactive prompt; anything else the help text.
        if sys.stdin.isatty() and sys.stdout.isatty():
            ctx.invoke(shell, index_dir=os.environ.get("STATEMENT_SEARCH_INDEX") or DEFAULT_INDEX)
        else:
            click.echo(ctx.get_help())


main.add_command(extract)
main.add_command(index_command)
main.add_command(add_command)
main.add_command(remove_command)
main.add_command(stats_command)
main.add_command(export)
main.add_command(optimize_command)
main.add_command(search)
main.add_command(read)
main.add_command(show)
main.add_command(similar)
main.add_command(speakers)
main.add_command(topics)
main.add_command(sources)
main.add_command(shell)
main.add_command(verify)


def run() -> None:
    """Console-script entry: the CLI, with no traceback ever reaching the user, and what
    an engine writes to stderr itself held until the command ends and passed on unless
    the command named it (`engine_output`: tantivy's panic message on a damaged index).

    Click runs without its standalone handling, so an error it would print as
    "Aborted!" (a damaged segment raises EOFError) is named here instead.
    """
    from . import engine_output

    engine_output.hold()
    try:
        _run()
    except BaseException as exc:  # SystemExit, raised while handling what ended the command
        engine_output.end(exc)
        raise
    engine_output.end()


def _run() -> None:
    import os
    import sys

    from ..errors import StatementSearchError
    from ..ingest.storage_errors import is_panic, storage_error
    from .output import clean_line

    try:
        code = main(prog_name="statement-search", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort as exc:
        # Click turns EOFError (a damaged segment, too) and Ctrl-C into Abort.
        if isinstance(exc.__cause__, KeyboardInterrupt):
            sys.exit(130)
        cause = exc.__cause__
        mapped = storage_error(cause, _index_named()) if cause is not None else None
        click.echo(
            f"statement-search: error: {clean_line(str(mapped))}" if mapped else "Aborted!",
            err=True,
        )
        sys.exit(2 if mapped else 1)
    except StatementSearchError as exc:
        click.echo(f"statement-search: error: {clean_line(str(exc))}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        # Output piped into `head` and friends: stop quietly.
        sys.stderr.close()
        sys.exit(0)
    except Exception as exc:  # the index's files, else a bug: one line, traceback on request
        if os.environ.get("STATEMENT_SEARCH_DEBUG"):
            raise
        mapped = storage_error(exc, _index_named())
        message = (
            f"error: {mapped}"
            if mapped is not None
            else f"internal error: {type(exc).__name__}: {exc} "
            "(set STATEMENT_SEARCH_DEBUG=1 for details)"
        )
        click.echo(f"statement-search: {clean_line(message)}", err=True)
        sys.exit(2)
    except BaseException as exc:  # tantivy's panic on a damaged file is no Exception
        if not is_panic(exc) or os.environ.get("STATEMENT_SEARCH_DEBUG"):
            raise
        click.echo(f"statement-search: error: {storage_error(exc, _index_named())}", err=True)
        sys.exit(2)


def _index_named() -> str:
    """The index the command was given (or the default), for an error naming it."""
    from . import options

    return options.chosen_index or options.DEFAULT_INDEX


__all__ = ["main", "run"]

"""`statement-search shell`: the interactive prompt (a bare `statement-search` on a terminal)."""

from __future__ import annotations

import sys

import click

from .options import index_option, time_limit_option
from .output import CliError, clean_keeping_bold


@click.command()
@index_option
@time_limit_option
def shell(index_dir: str, time_limit: float | None = None) -> None:
    """Search interactively: history, completion, filters that stay set.

    Piped input runs one query per line.  Type :help at the prompt.

    \b
    Example:
      printf 'peace\\n:speaker Putin\\nsanctions\\n' | statement-search shell
    """
    from ..errors import StatementSearchError
    from .index_cmd import open_or_build_default
    from .render import hit_to_text, hits_as, output_style, quote_in_article
    from .shell import Shell, run_prompt
    from .verify_render import citation_as, verification_text

    try:
        ix = open_or_build_default(index_dir)
    except StatementSearchError as exc:
        raise CliError(str(exc)) from None
    style = output_style()
    session = Shell(
        ix,
        # suggestions, errors and hits are untrusted text: controls stripped, our bold kept
        lambda text: click.echo(clean_keeping_bold(text), color=style == "ansi"),
        lambda rank, hit: hit_to_text(rank, hit, style),
        quote_in_article,
        render_records=hits_as,
        render_verification=verification_text,
        render_citation=citation_as,
    )
    session.time_limit = time_limit or None
    if sys.stdin.isatty() and sys.stdout.isatty():
        run_prompt(session)
    else:
        session.run_lines(sys.stdin)

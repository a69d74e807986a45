"""`statement-search verify`: was a quotation said as worded, by whom, first where?"""

from __future__ import annotations

import click

from .options import format_option, index_option, limit_option
from .output import CliError, dumps


@click.command()
@click.argument("text", nargs=-1, required=True)
@index_option
@click.option(
    "--speaker", metavar="NAME", help="Also check who said it: yes / someone else / unknown."
)
@click.option(
    "--questions/--no-questions",
    "include_questions",
    default=False,
    help="Also compare reporters' questions (left out by default).",
)
@limit_option(10)
@format_option("text", "json")
def verify(
    text: tuple[str, ...],
    index_dir: str,
    speaker: str | None,
    include_questions: bool,
    limit: int,
    output_format: str,
) -> None:
    """Check TEXT against the index: verbatim, altered (and how) or not found.

    Versions of the same words across sources are grouped into one utterance,
    earliest source first, each with a word diff against TEXT ([-source-]
    {+yours+}).  Exit status: 0 verbatim or altered, 1 not found, 2 error.

    \b
    Examples:
      statement-search verify "There can be no peace process"
      statement-search verify "They refused to talk" --speaker Putin --format json
    """
    from ..errors import StatementSearchError
    from .index_cmd import open_or_build_default
    from .verify_render import verification_record, verification_text

    try:
        ix = open_or_build_default(index_dir)
        result = ix.verify(
            " ".join(text), speaker=speaker, include_questions=include_questions, limit=limit
        )
    except StatementSearchError as exc:
        raise CliError(str(exc)) from None
    if output_format == "json":
        click.echo(dumps(verification_record(result), indent=2))
    else:
        click.echo(verification_text(result))
    raise SystemExit(0 if result.found else 1)

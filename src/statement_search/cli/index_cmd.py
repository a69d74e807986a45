"""`statement-search index | add | stats | optimize`: keep the index in step with files."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .options import (
    DEFAULT_INDEX,
    PathArg,
    format_option,
    index_option,
    seconds,
    taxonomy_option,
)
from .output import CliError, clean_for_terminal, display_path, dumps, notice

if TYPE_CHECKING:
    from ..engines.index import QuoteIndex
    from ..ingest.sync_report import SyncReport

F = TypeVar("F", bound=Callable[..., Any])


def default_corpus() -> Path:
    """`./corpus` when present, else the corpus shipped beside the package source."""
    here = Path("corpus")
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[3] / "corpus"


def open_or_build_default(index_dir: str) -> QuoteIndex:
    """Open the index; on first use of the default `./index`, build it from the default
    corpus and say so.  An index the user named is never built behind their back."""
    from ..engines.index import QuoteIndex

    if not QuoteIndex.exists(index_dir):
        if Path(index_dir) != Path(DEFAULT_INDEX):
            raise CliError(
                f"no index at {index_dir} — run `statement-search index PATH --index {index_dir}`"
            )
        corpus = default_corpus()
        if not corpus.is_dir():
            raise CliError(f"no index at {index_dir} — run `statement-search index PATH`")
        notice(f"statement-search: no index at {index_dir} yet — building it from {corpus}/")
        return QuoteIndex.build(index_dir, [corpus])
    return QuoteIndex.open(index_dir)


def lock_timeout_option(func: F) -> F:
    return click.option(
        "--lock-timeout",
        type=float,
        callback=seconds,
        metavar="SECONDS",
        envvar="STATEMENT_SEARCH_LOCK_TIMEOUT",
        default=None,
        help="Seconds to wait for another writer (env STATEMENT_SEARCH_LOCK_TIMEOUT; default 30).",
    )(func)


def time_budget_option(func: F) -> F:
    return click.option(
        "--time-budget",
        type=float,
        envvar="STATEMENT_SEARCH_TIME_BUDGET",
        default=None,
        metavar="SECONDS_PER_MB",
        help="CPU seconds per MB (at least 10) a file may take to read and extract before "
        "it is skipped (env STATEMENT_SEARCH_TIME_BUDGET; default 8; 0: no limit).",
    )(func)


def _write(
    method: str, paths: list[str], index_dir: str, rebuild: bool, **kwargs: Any
) -> SyncReport:
    """Open (or create) the index and run `sync`/`add` with a progress bar on a terminal;
    a rebuild of an index is built beside it and swapped in (`engines/rebuild.py`)."""
    from ..engines.index import QuoteIndex
    from ..errors import StatementSearchError
    from ..extraction.topics import load_taxonomy
    from .progress import ProgressBar

    bar = ProgressBar()
    try:
        taxonomy = load_taxonomy(kwargs.pop("taxonomy"))
        if kwargs.get("batch_articles") is None:
            kwargs.pop("batch_articles", None)  # the library's default
        timeout = kwargs["lock_timeout"]
        engine = kwargs.pop("engine", None)
        if not rebuild and not QuoteIndex.exists(index_dir):
            if not any(os.path.exists(p) for p in paths):
                raise CliError(f"{paths[0]}: no such file or folder — nothing to index")
        if rebuild and QuoteIndex.swappable(index_dir, engine):
            report: SyncReport = QuoteIndex.rebuild(
                index_dir,
                paths,
                engine,
                taxonomy=taxonomy,
                progress=bar,
                on_error=_skipped,
                **kwargs,
            )
        else:
            with _open_or_create(index_dir, rebuild, timeout, engine) as ix:
                report = getattr(ix, method)(
                    paths, taxonomy=taxonomy, progress=bar, on_error=_skipped, **kwargs
                )
    except StatementSearchError as exc:
        raise CliError(str(exc)) from None
    finally:
        bar.close()
    if report.recovered_lock:
        notice(f"statement-search: recovered a stale lock left by {report.recovered_lock}")
    return report


def _open_or_create(
    index_dir: str, rebuild: bool, timeout: float | None, engine: str | None = None
) -> QuoteIndex:
    """The index to write to: rebuilt, opened, or created (under the lock: of two first
    runs at once, the second opens what the first made).  `engine` chooses only for a
    new or rebuilt index."""
    from ..engines.index import QuoteIndex
    from ..errors import IndexExistsError

    new_engine = engine or "whoosh"
    if rebuild:
        # A rebuild keeps the engine the index has unless --engine names another.
        kept = _engine_found(index_dir) if engine is None else None
        return QuoteIndex.create(
            index_dir, lock_timeout=timeout, overwrite=True, engine=kept or new_engine
        )
    if QuoteIndex.exists(index_dir):
        _check_engine(index_dir, engine)
        return QuoteIndex.open(index_dir)
    try:
        return QuoteIndex.create(index_dir, lock_timeout=timeout, engine=new_engine)
    except IndexExistsError:
        if QuoteIndex.exists(index_dir):
            _check_engine(index_dir, engine)
            return QuoteIndex.open(index_dir)
        raise


def _engine_found(index_dir: str) -> str | None:
    """The engine the index at `index_dir` records, if it is one this version knows."""
    from ..engines.index import ENGINES, engine_of

    found = engine_of(Path(index_dir))
    return found if found in ENGINES else None


def _check_engine(index_dir: str, engine: str | None) -> None:
    """`--engine` only chooses when an index is created: another one needs --rebuild."""
    from ..engines.index import engine_of

    found = engine_of(Path(index_dir))
    if engine is not None and found != engine:
        raise CliError(
            f"the index at {index_dir} uses the {found} engine — "
            f"add --rebuild to rebuild it with {engine}"
        )


def _skipped(exc: Exception) -> None:
    notice(f"statement-search: skipped {clean_for_terminal(str(exc))}")


def _finish(report: SyncReport, index_dir: str, output_format: str) -> None:
    """Summary line (or JSON object) on stdout; exit 1 if some input was skipped, 2 if all."""
    if output_format == "json":
        click.echo(dumps(report.as_dict()))
    else:
        extra = f", {report.duplicates} duplicate" if report.duplicates else ""
        where = display_path(index_dir)
        click.echo(
            f"indexed {report.articles} articles, {report.quotes} quotes in {where} "
            f"({report.added} added, {report.updated} updated, {report.removed} removed, "
            f"{report.unchanged} unchanged, {report.skipped} skipped{extra}; {report.seconds:.1f}s)"
        )
    if report.skipped:
        raise SystemExit(2 if report.read == 0 else 1)


@click.command("index")
@click.argument("paths", nargs=-1, type=PathArg())
@index_option
@taxonomy_option
@click.option("--rebuild", is_flag=True, help="Start from an empty index.")
@click.option(
    "--batch-size",
    "batch_articles",
    type=click.IntRange(min=1),
    default=None,
    help="Articles per commit (default 2000, and at most 20,000 quotes); "
    "a crash loses at most one batch.",
)
@click.option(
    "--prune",
    is_flag=True,
    help="Allow removing more than half of the indexed files (a moved folder looks deleted).",
)
@click.option(
    "--engine",
    type=click.Choice(["whoosh", "tantivy"]),
    default=None,
    help="Search engine of a new index (default whoosh; --rebuild keeps the index's; tantivy needs "
    "`pip install 'statement-search[tantivy]'`).",
)
@lock_timeout_option
@time_budget_option
@format_option("text", "json")
def index_command(
    paths: tuple[str, ...], index_dir: str, rebuild: bool, output_format: str, **kw: Any
) -> None:
    """Sync the index with PATHS (files or folders; default: corpus/).

    New files are added, changed ones re-indexed, files deleted from a synced
    folder removed, unchanged ones skipped.

    \b
    Examples:
      statement-search index corpus/ --index ./index
      statement-search index corpus/ --index ./big --engine tantivy
    """
    if not paths and not Path("corpus").is_dir():
        raise CliError("name the files or folders to index (there is no ./corpus here)")
    sources = list(paths) or ["corpus"]
    report = _write("sync", sources, index_dir, rebuild, **kw)
    _finish(report, index_dir, output_format)


@click.command("add")
@click.argument("paths", nargs=-1, type=PathArg(), required=True)
@index_option
@taxonomy_option
@lock_timeout_option
@time_budget_option
@format_option("text", "json")
def add_command(paths: tuple[str, ...], index_dir: str, output_format: str, **kw: Any) -> None:
    """Add or update FILES (or folders) without removing anything.

    \b
    Example:
      statement-search add new-article.txt
    """
    report = _write("add", list(paths), index_dir, False, **kw)
    _finish(report, index_dir, output_format)


@click.command("remove")
@click.argument("paths", nargs=-1, type=PathArg(), required=True)
@index_option
@lock_timeout_option
@format_option("text", "json")
def remove_command(
    paths: tuple[str, ...], index_dir: str, lock_timeout: float | None, output_format: str
) -> None:
    """Take the articles of FILES (or of every file under folders) out of the index.

    The files need not exist any more; nothing is read.

    \b
    Example:
      statement-search remove corpus/old-article.txt
    """
    from ..engines.index import QuoteIndex
    from ..errors import StatementSearchError

    try:
        with QuoteIndex.open(index_dir) as ix:
            report = ix.remove(list(paths), lock_timeout=lock_timeout)
    except StatementSearchError as exc:
        raise CliError(str(exc)) from None
    _finish(report, index_dir, output_format)
    if not report.removed:
        notice(f"statement-search: nothing indexed under {clean_for_terminal(' '.join(paths))}")
        raise SystemExit(1)


@click.command("stats")
@index_option
@format_option("text", "json")
def stats_command(index_dir: str, output_format: str) -> None:
    """What the index holds: articles, quotes, speakers, topics, size, last update.

    \b
    Example:
      statement-search stats --format json
    """
    from dataclasses import asdict

    from ..engines.index import QuoteIndex
    from ..errors import StatementSearchError

    try:
        with QuoteIndex.open(index_dir) as ix:
            stats = asdict(ix.stats())
    except StatementSearchError as exc:
        raise CliError(str(exc)) from None
    if output_format == "json":
        click.echo(dumps(stats))
    else:
        for key, value in stats.items():
            click.echo(clean_for_terminal(f"{key.replace('_', ' ')}: {value}"))


@click.command("optimize")
@index_option
@lock_timeout_option
def optimize_command(index_dir: str, lock_timeout: float | None) -> None:
    """Merge the index into one segment, so searches stay fast after many small adds.

    \b
    Example:
      statement-search optimize
    """
    from ..engines.index import QuoteIndex
    from ..errors import StatementSearchError

    try:
        with QuoteIndex.open(index_dir) as ix:
            before = ix.optimize(lock_timeout=lock_timeout)
    except StatementSearchError as exc:
        raise CliError(str(exc)) from None
    if ix.engine_name == "tantivy":  # merges as it commits
        plural = "s" if before != 1 else ""
        click.echo(
            f"optimized {display_path(index_dir)}: tantivy keeps {before} segment{plural}, "
            "merged as it commits"
        )
        return
    click.echo(f"optimized {display_path(index_dir)}: {before} segments merged into 1")

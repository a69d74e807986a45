"""The interactive prompt: lines typed (or piped) → searches over one open index.

Filters set with `:speaker`, `:topic`, `:since`, `:until`, `:source`,
`:confidence`, `:attribution` stay set
until cleared, so a user refines "what did X say about Y" step by step.
Piped input runs one query per line.  Rendering is handed in by the caller
(the CLI), so this module needs neither click nor a terminal.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prompt_toolkit.completion import Completer, Completion

from ..errors import QueryError, StatementSearchError
from ..ingest.storage_errors import is_panic, storage_error
from ..search.filters import Filters, parse_date_bound, stored_kinds
from . import engine_output

if TYPE_CHECKING:
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from ..engines.index import QuoteIndex
    from ..engines.whoosh.verify import Verification
    from ..models import Hit, Quote

HELP = """\
Type words to search (the search command's query language: "phrases", AND/OR/NOT,
field:value, wildcards*, fuzzy~).  Filters stay set until cleared (the prompt shows them):
  :speaker NAME   add a speaker (alias or last name is fine); ':speaker' alone clears
  :topic TOPIC    add a topic (a parent topic includes its children); ':topic' clears
  :source NAME    add a source; ':source' clears
  :kind KINDS     quote, turn and/or question (comma-separated); ':kind' clears
  :since DATE     from DATE on (2024, 2024-04, 2024-04-05); ':since' clears
  :until DATE     up to DATE; ':until' clears
  :confidence X   only speakers at least this sure (0-1); ':confidence' clears
  :attribution HOW  only speakers found this way (name, label, role, pronoun, ...)
  :filters        show the filters      :clear   clear every filter
  :sort relevance|date|-date            :more    next page of the last search
  :limit N        hits per page         :format text|json|jsonl|csv
  :show N         hit N of the last search in its article
  :similar N      quotes about what hit N is about
  :cite N [csl-json|bibtex]             hit N's citation
  :verify TEXT    was TEXT said as worded? (checks the speaker filter's speaker too)
  :help           this text             :quit or Ctrl-D   leave"""
COMMANDS = (
    ":speaker",
    ":topic",
    ":source",
    ":kind",
    ":since",
    ":until",
    ":confidence",
    ":attribution",
    ":filters",
    ":clear",
    ":sort",
    ":more",
    ":limit",
    ":format",
    ":show",
    ":similar",
    ":cite",
    ":verify",
    ":help",
    ":quit",
)
FORMATS = ("text", "json", "jsonl", "csv")
PAGE = 10


def history_path() -> Path:
    """`$STATEMENT_SEARCH_HOME/history`, else under ~/.local/state/statement-search/."""
    home = os.environ.get("STATEMENT_SEARCH_HOME")
    base = Path(home) if home else Path.home() / ".local" / "state" / "statement-search"
    return base / "history"


def _confidence(arg: str) -> float | None:
    if not arg:
        return None
    try:
        return float(arg)
    except ValueError:
        raise QueryError(f":confidence takes a number from 0 to 1, not {arg!r}") from None


def no_filters() -> dict[str, Any]:
    return {
        "speaker": [],
        "topic": [],
        "source": [],
        "kind": None,
        "since": None,
        "until": None,
        "min_confidence": None,
        "attribution": [],
    }


@dataclass
class Shell:
    """State of one session: filters, the last search and its page."""

    index: QuoteIndex
    write: Callable[[str], None]
    render_hit: Callable[[int, Hit], str]
    render_quote: Callable[[Quote, list[Quote]], str]
    filters: dict[str, Any] = field(default_factory=lambda: no_filters())
    sort: str = "relevance"
    page_size: int = PAGE
    query: str | None = None
    offset: int = 0
    hits: list[Hit] = field(default_factory=list)
    time_limit: float | None = 10.0  # seconds a query may run (None: no limit)
    # How other output looks, handed in by the CLI: hits in a machine format
    # (hits, format), a verification, a citation (quote, style).
    render_records: Callable[[list[Hit], str], str] | None = None
    render_verification: Callable[[Verification], str] = str
    render_citation: Callable[[Quote, str], str] | None = None
    output_format: str = "text"

    def handle(self, line: str) -> bool:
        """Run one line; False means the user asked to leave."""
        line = line.strip()
        if not line:
            return True
        error: BaseException | None = None
        try:
            if line.startswith(":"):
                return self._command(line)
            self.query, self.offset, self.hits = line, 0, []
            self._page()
        except StatementSearchError as exc:
            error = exc
            self.write(f"error: {exc}")
        except Exception as exc:  # a bug: said in one line, the session goes on
            if os.environ.get("STATEMENT_SEARCH_DEBUG"):
                raise
            error = exc
            self.write(f"internal error: {type(exc).__name__}: {exc}")
        except BaseException as exc:  # tantivy's panic on a damaged file is no Exception
            if not is_panic(exc):
                raise
            error = exc
            self.write(f"error: {storage_error(exc, getattr(self.index, 'path', 'the index'))}")
        finally:
            engine_output.release(error)  # the engine's own words, unless just said
        return True

    def _command(self, line: str) -> bool:
        name, _, arg = line.partition(" ")
        arg = arg.strip()
        if name in (":quit", ":q", ":exit"):
            return False
        if name == ":speaker" and arg and not self._known_speaker(arg):
            return True
        if name == ":confidence":
            value = _confidence(arg)
            Filters.make(min_confidence=value)  # reject a bad value now
            self.filters["min_confidence"] = value
            self.write(self._describe())
        elif name == ":attribution":
            Filters.make(attribution=arg or None)
            self.filters["attribution"] = [*self.filters["attribution"], arg] if arg else []
            self.write(self._describe())
        elif name in (":speaker", ":topic", ":source"):
            key = name[1:]
            self.filters[key] = [*self.filters[key], arg] if arg else []
            self.write(self._describe())
        elif name == ":kind":
            stored_kinds(arg)  # reject an unknown kind now
            self.filters["kind"] = arg or None
            self.write(self._describe())
        elif name in (":since", ":until"):
            parse_date_bound(arg or None)  # reject a bad date now, not at the next search
            self.filters[name[1:]] = arg or None
            self.write(self._describe())
        elif name == ":clear":
            self.filters = no_filters()
            self.write(self._describe())
        elif name == ":filters":
            self.write(self._describe())
        elif name == ":sort":
            if arg not in ("relevance", "date", "-date"):
                self.write("error: :sort takes relevance, date or -date")
            else:
                self.sort = arg
        elif name == ":more":
            if self.query is None:
                self.write("nothing to continue — type a search first")
            else:
                self.offset += self.page_size
                self._page()
        elif name == ":show":
            self._show(arg)
        elif name in (":limit", ":format", ":similar", ":cite", ":verify"):
            self._more_commands(name, arg)
        elif name == ":help":
            self.write(HELP)
        else:
            self.write(f"unknown command {name} — :help lists them")
        return True

    def _more_commands(self, name: str, arg: str) -> None:
        if name == ":limit":
            if not arg.isdigit() or not 1 <= int(arg) <= 1000:
                self.write("error: :limit takes a number from 1 to 1000")
            else:
                self.page_size = int(arg)
        elif name == ":format":
            if arg not in FORMATS or (arg != "text" and self.render_records is None):
                self.write(f"error: :format takes {', '.join(FORMATS)}")
            else:
                self.output_format = arg
        elif name == ":verify":
            if not arg:
                self.write("error: :verify takes the words of a quotation")
                return
            speakers = self.filters["speaker"]
            result = self.index.verify(arg, speaker=speakers[0] if speakers else None)
            self.write(self.render_verification(result))
        else:
            number, _, style = arg.partition(" ")
            hit = self._hit_numbered(name, number)
            if hit is None:
                return
            if name == ":similar":
                filters = {k: v for k, v in self.filters.items() if k != "kind" or v}
                similar = self.index.similar(hit.quote.id, limit=self.page_size, **filters)
                self._emit(similar, 1)
                if not similar:
                    self.write("no similar quotes")
            elif style.strip() not in ("", "csl-json", "bibtex") or self.render_citation is None:
                self.write("error: :cite N takes csl-json or bibtex, or nothing for text")
            else:
                self.write(self.render_citation(hit.quote, style.strip() or "text"))

    def _hit_numbered(self, name: str, number: str) -> Hit | None:
        if not number.isdigit() or not 1 <= int(number) <= len(self.hits):
            self.write(f"error: {name} takes a hit number from 1 to {len(self.hits)}")
            return None
        return self.hits[int(number) - 1]

    def _known_speaker(self, name: str) -> bool:
        """A speaker the index has; else refused, with the closest names it has."""
        if self.index.speakers(speaker=name):
            return True
        suggestion = self.index.suggest("*", speaker=name)
        close = f" — did you mean {', '.join(suggestion.speakers)}?" if suggestion else ""
        self.write(f"error: no quotes by {name!r} in this index{close}")
        return False

    def _emit(self, hits: list[Hit], first: int) -> None:
        if self.output_format != "text" and self.render_records is not None:
            if hits:
                self.write(self.render_records(hits, self.output_format))
            return
        for rank, hit in enumerate(hits, start=first):
            self.write(self.render_hit(rank, hit))

    def prompt_text(self) -> str:
        """'search> ', or with filters set 'search [speaker=Putin; since=2024]> '."""
        described = self._describe().removeprefix("filters: ")
        return "search> " if described == "none" else f"search [{described}]> "

    def _page(self) -> None:
        assert self.query is not None
        page = self.index.search(
            self.query,
            sort=self.sort,
            limit=self.page_size,
            offset=self.offset,
            time_limit=self.time_limit,
            **self.filters,
        )
        self.hits += page
        for notice in page.notices:
            self.write(f"note: {notice}")
        self._emit(page, self.offset + 1)
        if not page:
            self.write("no more quotes" if self.offset else "no quotes match")
            if not self.offset:
                suggestion = self.index.suggest(
                    self.query, time_limit=self.time_limit, **self.filters
                )
                if suggestion:
                    self.write(f"did you mean: {suggestion}")

    def _show(self, arg: str) -> None:
        hit = self._hit_numbered(":show", arg)
        if hit is not None:
            self.write(self.render_quote(hit.quote, self.index.neighbours(hit.quote.id)))

    def _describe(self) -> str:
        parts = [
            f"{k}={', '.join(v) if isinstance(v, list) else v}"
            for k, v in self.filters.items()
            if v
        ]
        return "filters: " + ("; ".join(parts) if parts else "none")

    def run_lines(self, lines: Iterable[str]) -> None:
        """Piped input: one query or command per line, no prompt."""
        for line in lines:
            if not self.handle(line):
                break


# Query fields a word can name before ':' (the search command's field:value).
QUERY_FIELDS = ("speaker:", "topic:", "title:", "quote:", "verbatim:", "context:")
_CHOICES = {
    ":kind ": ("quote", "turn", "question"),
    ":format ": FORMATS,
    ":sort ": ("relevance", "date", "-date"),
    ":cite ": (),
}
_MAX_WORDS = 20


class _Completer(Completer):
    """Commands after ':', speaker names and topics after ':speaker ' and ':topic ' (and
    after `speaker:`/`topic:` in a query), field names, and words of the index."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell
        self._speakers: list[str] | None = None
        self._topics: list[str] | None = None

    def speakers(self) -> list[str]:
        if self._speakers is None:
            self._speakers = [c.name for c in self.shell.index.speakers()]
        return self._speakers

    def topics(self) -> list[str]:
        if self._topics is None:
            self._topics = sorted(
                {c.name for c in self.shell.index.topics()} | set(_taxonomy_names())
            )
        return self._topics

    def get_completions(self, document: Document, event: CompleteEvent) -> Iterator[Completion]:
        text = document.text_before_cursor
        if text.startswith(":") and " " not in text:
            options: Iterable[str] = COMMANDS
        elif text.startswith(":speaker "):
            options = self.speakers()
        elif text.startswith(":topic "):
            options = self.topics()
        elif any(text.startswith(prefix) for prefix in _CHOICES):
            options = next(v for k, v in _CHOICES.items() if text.startswith(k))
        elif text.startswith(":"):
            return
        else:
            yield from self._query_completions(text.rsplit(" ", 1)[-1])
            return
        word = text.split(" ", 1)[1] if " " in text else text
        for option in options:
            if option.casefold().startswith(word.casefold()):
                yield Completion(option, start_position=-len(word))

    def _query_completions(self, word: str) -> Iterator[Completion]:
        """Inside a query: field values, field names, then the index's own words."""
        field_name, colon, value = word.partition(":")
        if colon and field_name in ("speaker", "topic"):
            names = self.speakers() if field_name == "speaker" else self.topics()
            bare = value.strip("\"'").casefold()
            mark = '"' if field_name == "speaker" else "'"  # a phrase; a whole keyword
            for name in names:
                if name.casefold().startswith(bare):
                    yield Completion(f"{mark}{name}{mark}", start_position=-len(value))
            return
        if colon or len(word) < 2:
            return
        for name in QUERY_FIELDS:
            if name.startswith(word.casefold()):
                yield Completion(name, start_position=-len(word))
        for found in self.shell.index.words_starting(word.casefold(), _MAX_WORDS):
            yield Completion(found, start_position=-len(word))


def _taxonomy_names() -> list[str]:
    from ..extraction.topics import configured_taxonomy

    return configured_taxonomy().names()


def run_prompt(shell: Shell, input: Any = None, output: Any = None) -> None:
    """The interactive loop: persistent history, completion, Ctrl-D to leave."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    path = history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    session: PromptSession[str] = PromptSession(
        history=FileHistory(str(path)), completer=_Completer(shell), input=input, output=output
    )
    shell.write("statement-search — type words to search, :help for commands, Ctrl-D to leave")
    write, buffered = shell.write, list[str]()
    shell.write = buffered.append  # a command's output, paged when taller than the screen
    try:
        while True:
            try:
                line = session.prompt(shell.prompt_text())
            except KeyboardInterrupt:
                continue
            except EOFError:
                break
            going_on = shell.handle(line)
            _page_or_write(buffered, write)
            buffered.clear()
            if not going_on:
                break
    finally:
        shell.write = write


def _page_or_write(lines: list[str], write: Callable[[str], None]) -> None:
    """Through the pager ($PAGER, else less) on a terminal when taller than it; else written."""
    import pydoc
    import shutil
    import sys

    text = "\n".join(lines)
    rows = shutil.get_terminal_size().lines
    if sys.stdout.isatty() and text.count("\n") + 2 > rows:
        pydoc.pager(text)
        return
    for line in lines:
        write(line)

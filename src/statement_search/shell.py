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

from .errors import QueryError, StatementSearchError
from .filters import Filters, parse_date_bound

if TYPE_CHECKING:
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from .index import QuoteIndex
    from .models import Hit, Quote

HELP = """\
Type words to search (the search command's query language: "phrases", AND/OR/NOT,
field:value, wildcards*, fuzzy~).  Filters stay set until cleared:
  :speaker NAME   add a speaker (alias or last name is fine); ':speaker' alone clears
  :topic TOPIC    add a topic (a parent topic includes its children); ':topic' clears
  :source NAME    add a source; ':source' clears
  :since DATE     from DATE on (2024, 2024-04, 2024-04-05); ':since' clears
  :until DATE     up to DATE; ':until' clears
  :confidence X   only speakers at least this sure (0-1); ':confidence' clears
  :attribution HOW  only speakers found this way (name, label, role, pronoun, ...)
  :filters        show the filters      :clear   clear every filter
  :sort relevance|date|-date            :more    next page of the last search
  :show N         hit N of the last search in its article
  :help           this text             :quit or Ctrl-D   leave"""
COMMANDS = (
    ":speaker",
    ":topic",
    ":source",
    ":since",
    ":until",
    ":confidence",
    ":attribution",
    ":filters",
    ":clear",
    ":sort",
    ":more",
    ":show",
    ":help",
    ":quit",
)
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

    def handle(self, line: str) -> bool:
        """Run one line; False means the user asked to leave."""
        line = line.strip()
        if not line:
            return True
        try:
            if line.startswith(":"):
                return self._command(line)
            self.query, self.offset, self.hits = line, 0, []
            self._page()
        except StatementSearchError as exc:
            self.write(f"error: {exc}")
        return True

    def _command(self, line: str) -> bool:
        name, _, arg = line.partition(" ")
        arg = arg.strip()
        if name in (":quit", ":q", ":exit"):
            return False
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
        elif name == ":help":
            self.write(HELP)
        else:
            self.write(f"unknown command {name} — :help lists them")
        return True

    def _page(self) -> None:
        assert self.query is not None
        page = self.index.search(
            self.query, sort=self.sort, limit=self.page_size, offset=self.offset, **self.filters
        )
        self.hits += page
        for rank, hit in enumerate(page, start=self.offset + 1):
            self.write(self.render_hit(rank, hit))
        if not page:
            self.write("no more quotes" if self.offset else "no quotes match")
            if not self.offset:
                suggestion = self.index.suggest(self.query, **self.filters)
                if suggestion:
                    self.write(f"did you mean: {suggestion}")

    def _show(self, arg: str) -> None:
        if not arg.isdigit() or not 1 <= int(arg) <= len(self.hits):
            self.write(f"error: :show takes a hit number from 1 to {len(self.hits)}")
            return
        quote = self.hits[int(arg) - 1].quote
        self.write(self.render_quote(quote, self.index.neighbours(quote.id)))

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


class _Completer(Completer):
    """Commands after ':', speaker names after ':speaker ', topics after ':topic '."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell
        self._speakers: list[str] | None = None
        self._topics: list[str] | None = None

    def get_completions(self, document: Document, event: CompleteEvent) -> Iterator[Completion]:
        text = document.text_before_cursor
        if text.startswith(":") and " " not in text:
            options = list(COMMANDS)
        elif text.startswith(":speaker "):
            if self._speakers is None:
                self._speakers = [c.name for c in self.shell.index.speakers()]
            options = self._speakers
        elif text.startswith(":topic "):
            if self._topics is None:
                self._topics = sorted(
                    {c.name for c in self.shell.index.topics()} | set(_taxonomy_names())
                )
            options = self._topics
        else:
            return
        word = text.split(" ", 1)[1] if " " in text else text
        for option in options:
            if option.casefold().startswith(word.casefold()):
                yield Completion(option, start_position=-len(word))


def _taxonomy_names() -> list[str]:
    from .topics import load_taxonomy

    return load_taxonomy(os.environ.get("STATEMENT_SEARCH_TAXONOMY") or None).names()


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
    while True:
        try:
            line = session.prompt("search> ")
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        if not shell.handle(line):
            break

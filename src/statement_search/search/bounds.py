"""Search limits, engine-neutral: what one query may cost, and the time `Budget`.

A query is text from anyone, so what one query may cost is capped: its
length, the edit distance of fuzzy terms (2), how many index terms a wildcard,
fuzzy term or range may expand to, and the time it may take (`Budget`).  When a
cap narrows the query the search still answers, and says so (`Budget.notices`).
Each engine applies them (engines/whoosh/bounds.py, engines/tantivy/expand.py).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import QueryError, QueryTimeoutError
from .filters import is_text, parse_date_bound

if TYPE_CHECKING:
    pass

MAX_QUERY_CHARS = 2_000
MAX_EDIT_DISTANCE = 2
# Index terms one wildcard, fuzzy term or range may stand for, and a whole query.
MAX_EXPANSIONS = 64
MAX_QUERY_TERMS = 1_024
# A fuzzy word longer than this is searched as written (edit automata grow with it).
MAX_FUZZY_CHARS = 40
DEFAULT_TIME_LIMIT = 10.0
MAX_BOOST = 1e6
# Fields whose wildcards are matched against the verbatim words, then stemmed.
_STEMMED = ("text", "around", "title")
_DATE_WORD = re.compile(r"(?<![\w:])date:(\d{4}(?:-\d{1,2}){0,2})(?![\w-])")


@dataclass
class Budget:
    """What one query may still spend: a deadline, expansion terms, and what was narrowed."""

    seconds: float | None = DEFAULT_TIME_LIMIT
    terms_left: int = MAX_QUERY_TERMS
    notices: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    @classmethod
    def make(cls, time_limit: float | None) -> Budget:
        if time_limit is not None and not (0 < time_limit < float("inf")):
            raise QueryError(f"time limit {time_limit!r} must be a positive number of seconds")
        return cls(seconds=time_limit)

    def remaining(self) -> float | None:
        if self.seconds is None:
            return None
        return self.seconds - (time.monotonic() - self.started)

    def check(self, query: str = "") -> None:
        """Raise QueryTimeoutError once the time is spent."""
        left = self.remaining()
        if left is not None and left <= 0:
            raise QueryTimeoutError(_timeout_message(self.seconds, query))

    def notice(self, message: str) -> None:
        if message not in self.notices:
            self.notices.append(message)


def shown(query: str) -> str:
    """A query as an error message shows it: quoted, and cut to a line."""
    return repr(query if len(query) <= 60 else query[:57] + "...")


def _timeout_message(seconds: float | None, query: str) -> str:
    return (
        f"query {shown(query)} took longer than {seconds:g}s — narrow it, "
        "or allow more with --time-limit"
    )


def check_query(text: str) -> None:
    """An over-long query, or one that is not valid text, is a QueryError."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"query is {len(text):,} characters long; at most {MAX_QUERY_CHARS:,} are allowed"
        )
    if not is_text(text):
        raise QueryError("query holds a lone surrogate, which is not text — retype it")


def with_date_ranges(text: str) -> str:
    """`date:2024`, `date:2024-04`, `date:2024-04-05` → the range of days they cover."""

    def to_range(match: re.Match[str]) -> str:
        value = match.group(1)
        first, last = parse_date_bound(value), parse_date_bound(value, end=True)
        assert first is not None and last is not None
        return f"date:[{_day(first)} TO {_day(last)}]"

    return _DATE_WORD.sub(to_range, text)


def _day(date: Any) -> int:
    return int(date.year * 10000 + date.month * 100 + date.day)


def allowed_distance(word: str) -> int:
    """The edit distance a fuzzy word may use: none under 3 letters, 1 under 6, else 2
    (Lucene's "AUTO" fuzziness: `we~2` would match every short word)."""
    if len(word) < 3:
        return 0
    return 1 if len(word) < 6 else MAX_EDIT_DISTANCE

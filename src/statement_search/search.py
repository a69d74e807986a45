"""Search stage: a query string and filters → ranked [Hit] with highlights.

Ranking is BM25F over the quote text (weighted highest), its paragraph and the
article title.  Highlights come from re-analysing the quote text and marking
the tokens whose indexed form matched a query term.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from whoosh import qparser, query as wq

from .errors import QueryError
from .models import Highlight, Hit
from .schema import document_to_quote, speaker_key

if TYPE_CHECKING:
    from whoosh.searching import Searcher

SEARCH_FIELDS = ["text", "context", "title"]
FIELD_BOOSTS = {"text": 3.0, "context": 1.0, "title": 0.5}
FRAGMENT_CHARS = 320


class SearchMixin:
    """The read side of `QuoteIndex`: every query method lives here.

    The host class provides `searcher()`, one Whoosh searcher reused across
    calls and refreshed when the index changes.
    """

    def searcher(self) -> Searcher:
        raise NotImplementedError

    def search(self, query: str, speaker: str | None = None, limit: int = 10) -> list[Hit]:
        """Quotes matching `query`, best first (BM25F)."""
        return run_search(self.searcher(), query, speaker=speaker, limit=limit)


def parse_query(searcher: Searcher, text: str) -> wq.Query:
    """Parse the Whoosh query language; an unparsable query is a QueryError."""
    if not text.strip():
        raise QueryError("empty query — give some words to search for")
    parser = qparser.MultifieldParser(SEARCH_FIELDS, searcher.schema, fieldboosts=FIELD_BOOSTS)
    try:
        parsed = parser.parse(text)
    except Exception as exc:  # Whoosh raises assorted errors on odd syntax
        raise QueryError(f"cannot parse query {text!r}: {exc}") from None
    if parsed is wq.NullQuery and text.strip():
        raise QueryError(f"query {text!r} has no searchable words")
    return parsed


def speaker_filter(searcher: Searcher, speaker: str) -> wq.Query:
    """Speakers whose canonical name equals or ends with the given name."""
    wanted = speaker_key(speaker)
    keys = [
        key.decode() if isinstance(key, bytes) else key
        for key in searcher.lexicon("speaker_key")
    ]
    matches = [k for k in keys if k == wanted or k.endswith(" " + wanted)]
    if not matches:
        return wq.NullQuery
    return wq.Or([wq.Term("speaker_key", k) for k in matches])


def run_search(searcher: Searcher, text: str, speaker: str | None = None, limit: int = 10) -> list[Hit]:
    """Top `limit` hits for `text`, optionally restricted to one speaker."""
    parsed = parse_query(searcher, text)
    if speaker:
        parsed = wq.And([parsed, speaker_filter(searcher, speaker)])
    results = searcher.search(parsed, limit=limit)
    terms = query_terms(parsed)
    hits = []
    for result in results:
        quote = document_to_quote(result.fields())
        hits.append(Hit(quote=quote, score=float(result.score or 0.0), highlights=highlight(searcher, quote.text, terms)))
    return hits


def query_terms(parsed: wq.Query) -> set[str]:
    """The indexed forms of the positive text terms of a query."""
    terms: set[str] = set()
    for fieldname, value in parsed.iter_all_terms(phrases=True):
        if fieldname in ("text", "context", "title"):
            terms.add(value.decode() if isinstance(value, bytes) else value)
    return terms


def highlight(searcher: Searcher, text: str, terms: set[str]) -> list[Highlight]:
    """Fragments of `text` around the tokens whose indexed forms are query terms.

    A quote short enough to read at a glance is one fragment; a long one gives
    up to three non-overlapping windows, each starting at a word boundary.
    """
    analyzer = searcher.schema["text"].analyzer
    spans = [
        (token.startchar, token.endchar)
        for token in analyzer(text, chars=True, mode="index")
        if token.text in terms
    ]
    if len(text) <= FRAGMENT_CHARS or not spans:
        end = len(text) if len(text) <= FRAGMENT_CHARS else _word_end(text, FRAGMENT_CHARS)
        return [Highlight(text=text[:end], matches=[s for s in spans if s[1] <= end])]
    fragments: list[Highlight] = []
    window: list[tuple[int, int]] = []
    window_start = window_end = 0
    for start, end in spans:
        if window and end <= window_end:
            window.append((start, end))
            continue
        if window:
            fragments.append(_fragment(text, window_start, window_end, window))
        window_start = _word_start(text, max(window_end, start - FRAGMENT_CHARS // 4))
        window_end = _word_end(text, window_start + FRAGMENT_CHARS)
        window = [(start, end)]
    fragments.append(_fragment(text, window_start, window_end, window))
    return fragments[:3]


def _word_start(text: str, pos: int) -> int:
    while 0 < pos < len(text) and not text[pos - 1].isspace():
        pos -= 1
    return pos


def _word_end(text: str, pos: int) -> int:
    pos = min(pos, len(text))
    while pos < len(text) and not text[pos].isspace():
        pos += 1
    return pos


def _fragment(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> Highlight:
    return Highlight(text=text[start:end], matches=[(s - start, e - start) for s, e in spans])

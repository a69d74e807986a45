"""The Whoosh schema; the Quote ⇄ stored-document mapping it stores is `engines/documents.py`'s
(re-exported here).

Only modules of this package (`engine.py` the engine, `search.py` its queries) know Whoosh exists.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence

from whoosh.analysis import Filter, StandardAnalyzer, StemmingAnalyzer, Token
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from ..documents import confidence_term as confidence_term
from ..documents import date_number as date_number
from ..documents import document_to_quote as document_to_quote
from ..documents import outside_quote as outside_quote
from ..documents import quote_to_document as quote_to_document
from ..documents import speaker_key as speaker_key

# Bump when the schema or the meaning of a stored field changes; an index
# written with another version must be rebuilt.
# 2: `context` stored only; its narration indexed as `around`; `title` without positions.
# 3: `pairs`, the quote's consecutive verbatim word pairs, so phrases need no position checks (#8).
# 4: quote ids from the article's identity and the quote's words (stable across edits, moves,
#    rebuilds); `line` stored for citations (#22).
# 5: `speaker_type` and `confidence` (percent, as a term: filtered by --min-confidence) (#19).
SCHEMA_VERSION = 5

# Stop words are kept in the verbatim field so "quoted phrases" match as said.
_EXACT_ANALYZER = StandardAnalyzer(stoplist=None, minsize=1)
_STEM_ANALYZER = StemmingAnalyzer()


def word_pair(first: str, second: str) -> str:
    """One `pairs` term: two consecutive verbatim words (tokens never hold a space)."""
    return f"{first} {second}"


def word_pairs(words: Sequence[str]) -> list[str]:
    """The `pairs` terms of consecutive `exact` words: ["a", "b", "c"] → ["a b", "b c"]."""
    return [word_pair(a, b) for a, b in zip(words, words[1:], strict=False)]


class WordPairs(Filter):
    """Tokens → each token joined to the next ("peace process"), at the first one's position.

    Pairs at consecutive positions are words at consecutive positions, so a
    phrase of n words is a phrase of its n-1 pairs, and two words one term.
    Module-level because the schema, analysers included, is pickled into the
    index and must load again.

    >>> [t.text for t in (_EXACT_ANALYZER | WordPairs())("Peace, process now")]
    ['peace process', 'process now']
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        before: tuple[str, int, int] | None = None
        for token in tokens:
            # Tokenizers yield one Token object over and over: keep values, not it.
            here = (
                token.text,
                token.pos if token.positions else 0,
                token.startchar if token.chars else 0,
            )
            if before is not None:
                token.text = word_pair(before[0], here[0])
                if token.positions:
                    token.pos = before[1]
                if token.chars:
                    token.startchar = before[2]
                yield token
            before = here

    def over_words(self, words: list[tuple[str, int]]) -> list[tuple[str, int]]:
        """The same over (word, position) pairs, for the segment writer's one-loop analysis."""
        return [(word_pair(a, b), at) for (a, at), (b, _) in zip(words, words[1:], strict=False)]


# A Whoosh index pickles its schema, naming `WordPairs` by the module it was defined in:
# indexes written before the stage packages (#21) name `statement_search.schema`.  That
# old name stays importable as this module, so those indexes open unchanged.
LEGACY_MODULE_NAMES = ("statement_search.schema",)
for _legacy in LEGACY_MODULE_NAMES:
    sys.modules.setdefault(_legacy, sys.modules[__name__])


def _pairs_field() -> TEXT:
    """`exact` as word pairs, with positions; only matched, never scored (see search.py)."""
    field = TEXT(analyzer=_EXACT_ANALYZER | WordPairs(), phrase=True)
    field.scorable = False  # no field lengths to write: phrase scores come from `exact`
    return field


def build_schema() -> Schema:
    """Quote text stemmed for ranking and verbatim for phrases (words, pairs), filters, display.

    Postings per quote dominate build time, so the paragraph is stored for
    display but only its words outside the quote are indexed (`around`), and
    neither `around` nor `title` keeps positions (no phrase search there).
    `pairs` indexes the verbatim words two by two so a "quoted phrase" is
    found by pair lookups instead of position checks on every document
    holding all its words.
    """
    return Schema(
        id=ID(stored=True, unique=True),
        article_id=ID(stored=True),
        content_hash=ID(stored=True),
        position=NUMERIC(int, stored=True, sortable=True),
        text=TEXT(analyzer=_STEM_ANALYZER, stored=True, phrase=True, field_boost=3.0),
        exact=TEXT(analyzer=_EXACT_ANALYZER, phrase=True),
        pairs=_pairs_field(),
        context=STORED(),
        around=TEXT(analyzer=_STEM_ANALYZER, phrase=False),
        title=TEXT(analyzer=_STEM_ANALYZER, stored=True, phrase=False, field_boost=0.5),
        speaker=TEXT(analyzer=_EXACT_ANALYZER, stored=True),
        speaker_key=ID(stored=False),
        speaker_as_written=STORED(),
        attribution=ID(stored=True),
        speaker_type=ID(stored=True),
        confidence=ID(stored=True),
        kind=ID(stored=True),
        topics=KEYWORD(stored=True, commas=True, lowercase=True, scorable=True),
        date=NUMERIC(int, stored=False, sortable=True, signed=False),
        date_iso=STORED(),
        source=ID(stored=True),
        url=STORED(),
        path=ID(stored=True),
        start=STORED(),
        end=STORED(),
        line=STORED(),
    )

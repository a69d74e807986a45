"""Whoosh highlights: a quote's text and the query's terms → fragments with match spans.

The quote text is re-analysed with the index's own analysers, so a token is
marked exactly when its indexed form matched: stemmed words through the
`text` analyser, "quoted phrases" as whole verbatim runs through the `exact`
one.  Fragments widen to sentence starts so a reader gets the sentence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...models import Highlight
from ...search.highlight import STEMMED_FIELDS, MatchTerms, fragments
from .fast_path import fast_path_enabled

if TYPE_CHECKING:
    from whoosh import query as wq
    from whoosh.fields import Schema


def match_terms(parsed: wq.Query) -> MatchTerms:
    """The positive text terms of a parsed query, as the index stores them."""
    from whoosh import query as wq

    terms = MatchTerms()

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.Phrase):
            if node.fieldname == "exact":
                terms.phrases.append(tuple(node.words))
            elif node.fieldname in STEMMED_FIELDS:
                terms.stemmed.update(node.words)
            return
        if isinstance(node, wq.Term):
            if not isinstance(node.text, str):
                return  # a number (`position:5`): nothing to mark in the text
            value = node.text
            if node.fieldname == "exact":
                terms.phrases.append((value,))
            elif node.fieldname in STEMMED_FIELDS:
                terms.stemmed.add(value)
            return
        if isinstance(node, (wq.Wildcard, wq.Prefix, wq.FuzzyTerm)):
            return  # never left in a run query: `bounds.py` expands them into terms
        for child in node.children():
            walk(child)

    walk(parsed)
    return terms


def highlight(schema: Schema, text: str, terms: MatchTerms) -> list[Highlight]:
    """Fragments of `text` around the words the query matched.

    A quote short enough to read at a glance is one fragment; a long one gives
    up to three non-overlapping windows, each starting at a sentence (or word)
    boundary.
    """
    spans = _stemmed_spans(schema, text, terms.stemmed) + _phrase_spans(schema, text, terms.phrases)
    return fragments(text, spans)


def _stemmed_spans(schema: Schema, text: str, stemmed: set[str]) -> list[tuple[int, int]]:
    if not stemmed:
        return []
    indexer = _text_indexer(schema)
    if indexer is not None:
        return indexer.spans(text, {word.encode("utf-8") for word in stemmed})
    analyzer = schema["text"].analyzer
    return [
        (token.startchar, token.endchar)
        for token in analyzer(text, chars=True, mode="index")
        if token.text in stemmed
    ]


# The last schema seen and its `text` field's one-loop analysis (None: a chain it cannot
# run); one slot, as a reopened index brings a new schema object and the old one goes.
_text_indexer_of: tuple[Schema | None, Any] = (None, None)


def _text_indexer(schema: Schema) -> Any:
    """The `text` field's `_TextIndexer` (indexers.py): a hit's words stemmed through its memo
    cost a fifth of Whoosh's token chain, and a page of hits was a third of a search."""
    global _text_indexer_of
    if _text_indexer_of[0] is not schema:
        indexer = None  # Whoosh's own analyser off the fast path (`fast_path.py`), asked
        if fast_path_enabled():  # once per schema: a search's hits share one
            from .indexers import fast_indexer

            indexer = fast_indexer(schema["text"])
        _text_indexer_of = (schema, indexer if hasattr(indexer, "spans") else None)
    return _text_indexer_of[1]


def _phrase_spans(
    schema: Schema, text: str, phrases: list[tuple[str, ...]]
) -> list[tuple[int, int]]:
    if not phrases:
        return []
    tokens = [(t.text, t.startchar, t.endchar) for t in schema["exact"].analyzer(text, chars=True)]
    words = [t[0] for t in tokens]
    spans = []
    for phrase in phrases:
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if tuple(words[i : i + n]) == phrase:
                spans.append((tokens[i][1], tokens[i + n - 1][2]))
    return spans

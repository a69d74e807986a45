"""Similar quotes on the tantivy engine: a quote's rare content words (`search/similar.py`'s
`weighed_terms`, weighed with Whoosh's idf as the Whoosh engine weighs them) as a
boosted OR query within the request's filters, the quote itself left out, its hits in
`search/ranking.py`'s order (`query.ranked_page`: equal scores newest first, then by
id, as on Whoosh), copies of one utterance listed once (`is_copy`).  `engine` is a
`TantivyEngine`.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import tantivy

from ...errors import QueryError
from ...models import Hit
from ...search.request import SearchRequest
from ...search.similar import FETCH_PER_HIT, is_copy, weighed_terms
from .query import analyzers, ranked_page
from .spans import highlight


def similar(engine: Any, quote_id: str, request: SearchRequest, taxonomy: Any = None) -> list[Hit]:
    """Quotes sharing this one's rare content words (similar.py's contract), one per
    utterance: copies of it or of a hit already listed are skipped."""
    quote = engine.get(quote_id)
    if quote is None:
        raise QueryError(f"no quote with id {quote_id!r} — ids are shown by `search`")
    keys = _key_terms(engine, quote.text)
    if not keys:
        return []
    like = tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Should, tantivy.Query.boost_query(engine.term_query("text", k), w))
            for k, w in keys
        ]
        + [(tantivy.Occur.MustNot, engine.term_query("id", quote_id))]
    )
    query = engine._filtered(like, request.filters, taxonomy)
    if query is None:
        return []
    searcher = engine.searcher()
    wanted = request.offset + (request.limit or 10)
    window = wanted * FETCH_PER_HIT + 10
    ranked = ranked_page(searcher, query, 0, window, partial(engine.stored_quote, searcher))
    spans = {k for k, _ in keys}
    hits: list[Hit] = []
    for score, found in ranked:
        if is_copy(found.text, quote.text, hits):
            continue
        hits.append(Hit(found, score, highlight(found.text, spans, [])))
        if len(hits) == wanted:
            break
    return hits[request.offset :]


def _key_terms(engine: Any, text: str) -> list[tuple[str, float]]:
    """The quote's rare content words as stemmed terms, weighted as the Whoosh path
    weighs them (tf × Whoosh's idf, `log(N / (df + 1)) + 1`)."""
    stemmed, _ = analyzers()
    searcher = engine.searcher()
    total = max(1, searcher.num_docs)
    return weighed_terms(
        text,
        stemmed.analyze,
        lambda term: int(searcher.doc_freq("text", term)),
        lambda term: math.log(total / (searcher.doc_freq("text", term) + 1)) + 1,
    )

"""Similar quotes: what a quote is about (its rare content words) → other quotes about it.

A quote's content words (stop words, numbers and words of two letters out)
are weighted by how rare they are in the index (idf) and how often the quote
says them; the best ten make an OR query on the stemmed text.  Copies of the
same utterance (the quote itself in other outlets, or a hit already listed)
are skipped, and reporters' questions are left out unless asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from whoosh import query as wq

from ...errors import QueryError
from ...models import Hit
from ...search.filters import Filters, is_text
from ...search.highlight import MatchTerms
from ...search.similar import FETCH_PER_HIT, is_copy, weighed_terms
from .highlight import highlight
from .schema import document_to_quote

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from ...extraction.topics import Taxonomy
    from .filter_cache import FilterCache


def similar_hits(
    cache: FilterCache,
    quote_id: str,
    filters: Filters,
    limit: int = 10,
    offset: int = 0,
    taxonomy: Taxonomy | None = None,
) -> list[Hit]:
    """Quotes about what quote `quote_id` is about, best first, one per utterance, within
    `filters` (`Filters.make(kind=NOT_QUESTIONS)` leaves reporters' questions out)."""
    searcher = cache.searcher
    docnum = searcher.document_number(id=quote_id) if is_text(quote_id) else None
    if docnum is None:
        raise QueryError(f"no quote with id {quote_id!r} — ids are shown by `search`")
    text = searcher.stored_fields(docnum)["text"]
    keys = key_terms(searcher, text)
    if not keys:
        return []
    query = wq.Or([wq.Term("text", term, boost=weight) for term, weight in keys])
    allowed = cache.docs(filters, taxonomy)
    wanted = offset + limit
    results = searcher.search(query, limit=wanted * FETCH_PER_HIT + 10, filter=allowed)
    terms = MatchTerms(stemmed={term for term, _ in keys})
    hits: list[Hit] = []
    for result in results:
        if result.docnum == docnum:
            continue
        quote = document_to_quote(result.fields())
        if is_copy(quote.text, text, hits):
            continue
        score = float(result.score or 0.0)
        hits.append(Hit(quote, score, highlight(searcher.schema, quote.text, terms)))
        if len(hits) == wanted:
            break
    return hits[offset:]


def key_terms(searcher: Searcher, text: str) -> list[tuple[str, float]]:
    """The quote's best content words as stemmed `text` terms, weighted tf × idf."""
    analyzer = searcher.schema["text"]
    return weighed_terms(
        text,
        lambda word: list(analyzer.process_text(word, mode="query")),
        lambda term: int(searcher.doc_frequency("text", term)),
        lambda term: float(searcher.idf("text", term)),
    )

"""Similar quotes: what a quote is about (its rare content words) → other quotes about it.

A quote's content words (stop words, numbers and words of two letters out)
are weighted by how rare they are in the index (idf) and how often the quote
says them; the best ten make an OR query on the stemmed text, its hits in
`search/ranking.py`'s order (equal scores newest first, then by id).  Copies of the
same utterance (the quote itself in other outlets, or a hit already listed)
are skipped, and reporters' questions are left out unless asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from whoosh import query as wq

from ...errors import QueryError
from ...models import Hit
from ...search.filters import Filters, is_text
from ...search.highlight import MatchTerms
from ...search.ranking import exact_top, relevance_keys
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

    def fetch(n: int | None) -> list[tuple[float, int]]:
        # The quote itself matches its own words: one more fetched, then left out.
        found = searcher.search(query, limit=None if n is None else n + 1, filter=allowed)
        pairs = [(float(r.score or 0.0), r.docnum) for r in found if r.docnum != docnum]
        return pairs if n is None else pairs[:n]

    columns: list[Any] = []  # the date column, read once a tie needs it

    def date(number: int) -> int:
        if not columns:
            columns.append(searcher.reader().column_reader("date"))
        return int(columns[0][number])

    def id_of(number: int) -> str:
        return str(searcher.stored_fields(number)["id"])

    ranked = exact_top(fetch, 0, wanted * FETCH_PER_HIT + 10, relevance_keys(date, id_of))
    terms = MatchTerms(stemmed={term for term, _ in keys})
    hits: list[Hit] = []
    for score, number in ranked:
        quote = document_to_quote(searcher.stored_fields(number))
        if is_copy(quote.text, text, hits):
            continue
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

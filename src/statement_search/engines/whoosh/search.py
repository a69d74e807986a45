"""The Whoosh engine's queries: a query string and filters → ranked [Hit] with highlights.

Ranking is BM25F over the quote text (weighted highest), its paragraph and the
article title, equal scores newest first, then by quote id (`search/ranking.py`).
"Quoted phrases" go to the unstemmed `exact` field so they match the words as
said, and are found through its word pairs (`pairs`) rather than by checking
positions.  Filters come from per-searcher doc-id sets (`filter_cache.py`);
`engine.py` runs facets and did-you-mean (`suggest.py`) over them.  Whoosh
objects never leave this package: every result is a `Hit`, `Quote` or `FacetCount`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from whoosh import qparser, sorting
from whoosh import query as wq
from whoosh.qparser import syntax

from ...errors import QueryError
from ...models import Hit
from ...search.bounds import Budget, check_query, shown, with_date_ranges
from ...search.filters import Filters
from ...search.highlight import MatchTerms
from ...search.ranking import date_keys, exact_top, relevance_keys
from .bounds import bound_query, collect, push_boosts
from .fast_path import title_boost, top_hits
from .filter_cache import FilterCache
from .highlight import highlight, match_terms
from .pair_phrases import through_pairs
from .schema import document_to_quote

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from ...extraction.topics import Taxonomy

# Words must match the quote or the narration around it; the article title
# only adds weight (every quote of an article shares its title, so a title
# match alone would return all of them).
SEARCH_FIELDS = ["text", "around"]
FIELD_BOOSTS = {"text": 3.0, "around": 1.0}
TITLE_FIELD, TITLE_BOOST = "title", 0.5
FIELD_ALIASES = {
    "topics": ["topic"],
    "text": ["quote"],
    "exact": ["verbatim"],
    "around": ["context"],  # the paragraph is searched through its words around the quote
}
SORTS = ("relevance", "date", "-date")


class _ExactPhrases(qparser.Plugin):
    """Unfielded "quoted phrases" search the verbatim field, not the stemmed ones."""

    def filters(self, parser: Any) -> list[tuple[Any, int]]:
        # After explicit field names (100), before multifield expansion (110).
        return [(self._retarget, 105)]

    def _retarget(self, parser: Any, group: Any) -> Any:
        for node in group:
            if isinstance(node, syntax.GroupNode):
                self._retarget(parser, node)
            elif isinstance(node, qparser.PhrasePlugin.PhraseNode) and node.fieldname is None:
                node.set_fieldname("exact")
        return group


def parse_query(searcher: Searcher, text: str, budget: Budget | None = None) -> wq.Query:
    """Parse the Whoosh query language, every expansion bounded by `budget` (`bounds.py`);
    an unparsable or over-long query is a QueryError."""
    if not text.strip():
        raise QueryError("empty query — give some words, or `*` with a filter")
    check_query(text)
    budget = Budget(seconds=None) if budget is None else budget
    parsed = plain_words_query(searcher.schema, text)
    plain = parsed is not None  # plain terms, no boosts: nothing to bound
    if parsed is None:
        parser = qparser.MultifieldParser(SEARCH_FIELDS, searcher.schema, fieldboosts=FIELD_BOOSTS)
        parser.add_plugin(_ExactPhrases())
        parser.add_plugin(qparser.FuzzyTermPlugin())
        parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
        try:
            parsed = parser.parse(with_date_ranges(text))
        except Exception as exc:  # Whoosh raises assorted errors on odd syntax
            reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            raise QueryError(f"cannot parse query {shown(text)}: {reason}") from None
    if parsed is wq.NullQuery:
        raise QueryError(f"query {shown(text)} has no searchable words")
    if plain:
        return _with_title_boost(parsed).accept(_union_matchers)
    parsed = push_boosts(parsed.accept(lambda node: _unordered(searcher.schema, node)))
    bounded = bound_query(searcher, _with_title_boost(parsed), budget, text)
    return bounded.accept(_union_matchers)


# A query of words made of letters only, none an operator, uses no query syntax.
_LETTERS = re.compile(r"[^\W\d_]+")
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})


def plain_words_query(schema: Any, text: str) -> wq.Query | None:
    """What Whoosh's parser makes of a query of plain words, built directly; None for
    anything else.  Whoosh's parser tags the text with a dozen regexes and rewrites
    the tree several times: 0.23 ms a query, a twentieth of a typical search."""
    words = text.split()
    if not words or any(w in _OPERATORS or not _LETTERS.fullmatch(w) for w in words):
        return None
    groups: list[wq.Query] = []
    for word in words:
        terms: list[wq.Query] = []
        for name in SEARCH_FIELDS:
            found = list(schema[name].process_text(word, mode="query"))
            if len(found) > 1:
                return None  # the parser would make a phrase or an AND of the parts
            terms.extend(wq.Term(name, t, boost=FIELD_BOOSTS[name]) for t in found)
        if terms and len(terms) != len(SEARCH_FIELDS):
            return None  # a word stopped in one field only: left to the parser
        if terms:
            groups.append(wq.Or(terms))
    return wq.And(groups).normalize()


def _with_title_boost(parsed: wq.Query) -> wq.Query:
    """The query, with its plain words also scored (never required) in the title."""
    words = sorted(match_terms(parsed).stemmed)
    if not words:
        return parsed
    title = wq.Or([wq.Term(TITLE_FIELD, word) for word in words], boost=TITLE_BOOST)
    return title_boost(parsed, title)


def _union_matchers(node: wq.Query) -> wq.Query:
    """OR nodes walk their sub-matchers in step rather than preloading them.

    Whoosh preloads every match into arrays when a segment holds under 5,000
    documents, which is most segments of an incrementally built index; on
    the plain top-N path that costs more than the search itself.
    """
    if isinstance(node, wq.Or):
        node.matcher_type = wq.Or.DEFAULT_MATCHER
    return node


def _unordered(schema: Any, node: wq.Query) -> wq.Query:
    """A phrase on a field indexed without positions (`around`, `title`) needs all its words."""
    if isinstance(node, wq.Phrase) and node.fieldname in schema:
        field_format = schema[node.fieldname].format
        if field_format is not None and not field_format.supports("positions"):
            terms = [wq.Term(node.fieldname, word) for word in node.words]
            return wq.And(terms, boost=node.boost)
    return node


def runnable(parsed: wq.Query) -> wq.Query:
    """The query to run for a parsed one: phrases on `exact` matched through `pairs`.

    The parsed query itself keeps its `exact` phrases for highlighting.
    Rewriting copies the tree, so the copy's OR nodes are set to stream again.
    """
    if not any(isinstance(n, wq.Phrase) and n.fieldname == "exact" for n in parsed.leaves()):
        return parsed
    return parsed.accept(through_pairs).accept(_union_matchers)


def lists_all(query: str) -> bool:
    """An empty query or `*`: every quote passing the filters."""
    return query.strip() in ("", "*")


def _sort_facets(sort: str, listing: bool) -> tuple[sorting.MultiFacet, int | None]:
    """The Whoosh sort for a date `sort`, and where the score sits in each sort key."""
    if sort not in SORTS:
        raise QueryError(f"sort {sort!r} is not one of {', '.join(SORTS)}")
    date = sorting.FieldFacet("date", reverse=sort != "date")
    if listing:
        return sorting.MultiFacet([date]), None
    return sorting.MultiFacet([date, sorting.ScoreFacet()]), 1


def run_search(
    cache: FilterCache,
    text: str,
    filters: Filters,
    sort: str = "relevance",
    limit: int | None = 10,
    offset: int = 0,
    taxonomy: Taxonomy | None = None,
    budget: Budget | None = None,
) -> list[Hit]:
    """One page of hits for `text` within `filters`, built inside the searcher, in the
    order of `search/ranking.py` (an empty query or `*` newest first)."""
    if limit is not None and limit < 0 or offset < 0:
        raise QueryError("limit and offset must not be negative")
    budget = Budget(seconds=None) if budget is None else budget
    searcher = cache.searcher
    listing = lists_all(text)
    if listing and not text.strip() and not filters:
        raise QueryError("empty query — give some words, or `*` with a filter")
    parsed: wq.Query = wq.Every() if listing else parse_query(searcher, text, budget)
    if listing and sort == "relevance":
        sort = "-date"
    facets, score_at = _sort_facets(sort, listing) if sort != "relevance" else (None, None)
    allowed = cache.allowed(filters, taxonomy)
    if isinstance(allowed, set) and not allowed or limit == 0:
        return []
    top = None if limit is None else offset + limit
    terms = match_terms(parsed)
    query = parsed if listing else runnable(parsed)
    stored: dict[int, dict[str, Any]] = {}

    def fields(docnum: int) -> dict[str, Any]:
        if docnum not in stored:
            stored[docnum] = searcher.stored_fields(docnum)
        return stored[docnum]

    def run(q: wq.Query, collector: Any) -> None:
        collect(searcher, q, collector, budget, text)

    columns: list[Any] = []  # the date column, read once it is needed

    def date(docnum: int) -> int:
        if not columns:
            columns.append(searcher.reader().column_reader("date"))
        return int(columns[0][docnum])

    scores: dict[int, float] = {}

    def fetch(n: int | None) -> list[tuple[float, int]]:
        if facets is None:  # relevance: the best n by score alone (`_top_by_relevance`)
            return _top_by_relevance(searcher, query, allowed, n, run)
        collector = searcher.collector(filter=allowed, sortedby=facets, limit=n)
        run(query, collector)
        found = []
        for result in collector.results():
            key = result.score
            if score_at is not None and isinstance(key, tuple):
                scores[result.docnum] = -float(key[score_at])
            day = date(result.docnum)
            found.append((float(-day if sort == "date" else day), result.docnum))
        return found

    def quote_id(docnum: int) -> str:
        return str(fields(docnum)["id"])

    if facets is None:
        ranked = exact_top(fetch, offset, top, relevance_keys(date, quote_id))
    else:
        by_date = exact_top(fetch, offset, top, date_keys(quote_id))
        ranked = [(scores.get(docnum, 0.0), docnum) for _, docnum in by_date]
    return [_hit(searcher, fields(docnum), score, terms) for score, docnum in ranked]


def _top_by_relevance(
    searcher: Searcher, parsed: wq.Query, allowed: set[int] | None, top: int | None, run: Any
) -> list[tuple[float, int]]:
    """The best `top` (None: every) (score, docnum) pairs, any order among equal scores.

    Whoosh's plain top-N collector skips blocks that cannot reach the top
    (block-max scoring; not for a query with a NOT, see `filtered_top`), and so do
    the fast path's candidates (`fast_path.top_hits`); sorting by a (score, date)
    facet would score every match instead, so the rest of the order
    (`search/ranking.py`) is applied to the few hits tied at the page's edge.
    """
    if top is None:
        collector = searcher.collector(filter=allowed, limit=None)
        run(parsed, collector)
        results = collector.results()
    else:
        results = top_hits(searcher, parsed, allowed, top, run)
    return [(float(r.score or 0.0), r.docnum) for r in results]


def _hit(searcher: Searcher, fields: dict[str, Any], score: float, terms: MatchTerms) -> Hit:
    quote = document_to_quote(fields)
    return Hit(quote=quote, score=score, highlights=highlight(searcher.schema, quote.text, terms))

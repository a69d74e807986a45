"""Search stage: a query string and filters → ranked [Hit] with highlights.

Ranking is BM25F over the quote text (weighted highest), its paragraph and the
article title, ties broken by the newest date.  "Quoted phrases" go to the
unstemmed `exact` field so they match the words as said, and are found
through its word pairs (`pairs`) rather than by checking positions.  Filters come from
per-searcher doc-id sets (`filters.py`); facets (`facets.py`) and did-you-mean
(`suggest.py`) reuse them.  Whoosh objects never leave this package's search
modules: every result is a `Hit`, `Quote` or `FacetCount`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import TYPE_CHECKING, Any

from whoosh import qparser, sorting
from whoosh import query as wq
from whoosh.qparser import syntax

from ...errors import QueryError
from ...models import Hit, Hits, Quote
from ...search.bounds import DEFAULT_TIME_LIMIT, Budget, check_query, shown, with_date_ranges
from ...search.facets import FacetCount, speaker_counts, topic_counts, year_counts
from ...search.filters import Filters, is_text
from ...search.highlight import MatchTerms
from .bounds import bound_query, collect, push_boosts
from .fast_path import title_boost, top_hits
from .filter_cache import FilterCache
from .highlight import highlight, match_terms
from .pair_phrases import through_pairs
from .schema import document_to_quote
from .suggest import Suggestion, closest_speakers, correct_words

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
# Below this many hits a search is worth a did-you-mean check.
FEW_HITS = 3

Many = str | list[str] | tuple[str, ...] | None
DateLike = str | dt.date | None


class SearchMixin:
    """The read side of `QuoteIndex`: every query method lives here.

    The host class provides `searcher()`, one Whoosh searcher reused across
    calls and refreshed when the index changes; filter caches live as long
    as that searcher.
    """

    def searcher(self) -> Searcher:
        raise NotImplementedError

    def search(
        self,
        query: str = "",
        speaker: Many = None,
        topic: Many = None,
        since: DateLike = None,
        until: DateLike = None,
        source: Many = None,
        sort: str = "relevance",
        limit: int | None = 10,
        offset: int = 0,
        kind: Many = None,
        min_confidence: float | None = None,
        attribution: Many = None,
        time_limit: float | None = DEFAULT_TIME_LIMIT,
    ) -> Hits:
        """Quotes matching `query` and the filters, best first (BM25F).

        An empty query or `*` with filters lists every quote passing them,
        newest first.  Dates may be `2024`, `2024-04` or `2024-04-05`; `kind`
        is `quote`, `turn` and/or `question` (default: all).  `min_confidence`
        keeps quotes whose speaker is at least that sure (0–1); `attribution` keeps
        quotes whose speaker was found that way ("name", "label", "role", …; several,
        or comma-separated).  A query running
        past `time_limit` seconds (None: no limit) is a QueryTimeoutError; what a
        bounded query was narrowed to is said in the result's `notices`.
        """
        filters = Filters.make(
            speaker, topic, since, until, source, kind, min_confidence, attribution
        )
        budget = Budget.make(time_limit)
        cache = self._filter_cache()
        hits = run_search(cache, query, filters, sort, limit, offset, self._taxonomy(), budget)
        return Hits(hits, budget.notices)

    def get(self, quote_id: str) -> Quote | None:
        """The quote with this id, or None."""
        if not is_text(quote_id):  # undecodable bytes of a command line
            return None
        searcher = self.searcher()
        docnum = searcher.document_number(id=quote_id)
        return None if docnum is None else document_to_quote(searcher.stored_fields(docnum))

    def neighbours(self, quote_id: str, around: int = 2) -> list[Quote]:
        """The quotes before and after this one in its article, in article order."""
        quote = self.get(quote_id)
        if quote is None:
            return []
        searcher = self.searcher()
        docs = searcher.postings("article_id", quote.article_id).all_ids()
        quotes = sorted(
            (document_to_quote(searcher.stored_fields(d)) for d in docs), key=lambda q: q.position
        )
        at = next(i for i, q in enumerate(quotes) if q.id == quote_id)
        return quotes[max(0, at - around) : at] + quotes[at + 1 : at + 1 + around]

    def facets(
        self,
        query: str = "",
        speaker: Many = None,
        topic: Many = None,
        since: DateLike = None,
        until: DateLike = None,
        source: Many = None,
        kind: Many = None,
        min_confidence: float | None = None,
        attribution: Many = None,
        time_limit: float | None = DEFAULT_TIME_LIMIT,
    ) -> dict[str, list[FacetCount]]:
        """Counts of the matching quotes by speaker, topic and year."""
        filters = Filters.make(
            speaker, topic, since, until, source, kind, min_confidence, attribution
        )
        cache, docs = self._matching(query, filters, time_limit)
        return {
            "speakers": speaker_counts(cache, docs),
            "topics": topic_counts(cache, docs),
            "years": year_counts(cache, docs),
        }

    def speakers(
        self, query: str = "", time_limit: float | None = DEFAULT_TIME_LIMIT, **filters: Any
    ) -> list[FacetCount]:
        """Quotes per speaker, for the whole index or for a query; largest first."""
        cache, docs = self._matching(query, Filters.make(**filters), time_limit)
        return speaker_counts(cache, docs)

    def topics(
        self, query: str = "", time_limit: float | None = DEFAULT_TIME_LIMIT, **filters: Any
    ) -> list[FacetCount]:
        """Quotes per topic, for the whole index or for a query; largest first."""
        cache, docs = self._matching(query, Filters.make(**filters), time_limit)
        return topic_counts(cache, docs)

    def suggest(
        self,
        query: str = "",
        speaker: Many = None,
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        **filters: Any,
    ) -> Suggestion | None:
        """Corrected words (if the correction finds quotes) and speaker names, or None.

        Bounded like a search: an over-long query gets no correction, and the
        time spent correcting counts against `time_limit`.
        """
        all_filters = Filters.make(speaker=speaker, **filters)
        budget = Budget.make(time_limit)
        cache = self._filter_cache()
        unknown = [s for s in all_filters.speakers if not cache.speaker_matches(s)]
        speakers = tuple(n for s in unknown for n in closest_speakers(cache, s))
        corrected = None if _lists_all(query) else correct_words(cache.searcher, query, budget)
        if corrected is not None:
            kept = Filters(
                **{
                    **all_filters.__dict__,
                    "speakers": all_filters.speakers if not unknown else speakers[:1],
                }
            )
            try:
                found = run_search(
                    cache, corrected, kept, "relevance", 1, 0, self._taxonomy(), budget
                )
            except QueryError:
                found = []  # the correction is not a query that runs: not worth suggesting
            if not found:
                corrected = None
        if corrected is None and not speakers:
            return None
        return Suggestion(query=corrected, speakers=speakers)

    # -- helpers -----------------------------------------------------------------

    def _filter_cache(self) -> FilterCache:
        searcher = self.searcher()
        cache: FilterCache | None = getattr(self, "_search_cache", None)
        if cache is None or cache.searcher is not searcher:
            cache = FilterCache.build(searcher)
            self._search_cache = cache
        return cache

    def _taxonomy(self) -> Taxonomy:
        from ...extraction.topics import load_taxonomy

        return load_taxonomy(os.environ.get("STATEMENT_SEARCH_TAXONOMY") or None)

    def _matching(
        self, query: str, filters: Filters, time_limit: float | None
    ) -> tuple[FilterCache, set[int] | None]:
        """Doc numbers matching a query and filters (None: the whole index)."""
        budget = Budget.make(time_limit)
        cache = self._filter_cache()
        docs = cache.docs(filters, self._taxonomy())
        if _lists_all(query):
            return cache, docs
        searcher = cache.searcher
        parsed = parse_query(searcher, query, budget)
        every = searcher.collector(limit=None, scored=False)
        matched = collect(searcher, runnable(parsed), every, budget, query)
        found = set(matched.results().docs())
        return cache, found if docs is None else found & docs


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


def _lists_all(query: str) -> bool:
    return query.strip() in ("", "*")


def _sort_facets(sort: str, listing: bool) -> tuple[sorting.MultiFacet, int | None]:
    """The Whoosh sort for `sort`, and where the score sits in each sort key."""
    score, newest = sorting.ScoreFacet(), sorting.FieldFacet("date", reverse=True)
    order = sorting.FieldFacet("position")
    if listing and sort == "relevance":
        sort = "-date"
    if sort == "relevance":
        return sorting.MultiFacet([score, newest]), 0
    if sort == "-date":
        return sorting.MultiFacet([newest, score, order]), None if listing else 1
    if sort == "date":
        return sorting.MultiFacet(
            [sorting.FieldFacet("date"), score, order]
        ), None if listing else 1
    raise QueryError(f"sort {sort!r} is not one of {', '.join(SORTS)}")


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
    """One page of hits for `text` within `filters`, built inside the searcher."""
    if limit is not None and limit < 0 or offset < 0:
        raise QueryError("limit and offset must not be negative")
    budget = Budget(seconds=None) if budget is None else budget
    searcher = cache.searcher
    listing = _lists_all(text)
    if listing and not text.strip() and not filters:
        raise QueryError("empty query — give some words, or `*` with a filter")
    parsed: wq.Query = wq.Every() if listing else parse_query(searcher, text, budget)
    facets, score_at = _sort_facets(sort, listing)
    allowed = cache.allowed(filters, taxonomy)
    if isinstance(allowed, set) and not allowed or limit == 0:
        return []
    top = None if limit is None else offset + limit
    terms = match_terms(parsed)
    query = parsed if listing else runnable(parsed)

    def run(q: wq.Query, collector: Any) -> None:
        collect(searcher, q, collector, budget, text)

    if sort == "relevance" and not listing and top is not None:
        ranked = _top_by_relevance(searcher, query, allowed, top, run)
    else:
        collector = searcher.collector(filter=allowed, sortedby=facets, limit=top)
        run(query, collector)
        results = collector.results()
        ranked = []
        for result in results:
            key = result.score
            score = (
                -float(key[score_at]) if score_at is not None and isinstance(key, tuple) else 0.0
            )
            ranked.append((score, result.docnum))
    return [
        _hit(searcher, searcher.stored_fields(docnum), score, terms)
        for score, docnum in ranked[offset:]
    ]


# Extra hits fetched past the page so that ties at its edge still go newest first.
_TIE_MARGIN = 10


def _top_by_relevance(
    searcher: Searcher, parsed: wq.Query, allowed: set[int] | None, top: int, run: Any
) -> list[tuple[float, int]]:
    """The best `top` (score, docnum) pairs, equal scores newest first.

    Whoosh's plain top-N collector skips blocks that cannot reach the top
    (block-max scoring; not for a query with a NOT, see `filtered_top`), and so do
    the fast path's candidates (`fast_path.top_hits`); sorting
    by a (score, date) facet would score every
    match instead, so the date only breaks ties among the few kept hits.
    """
    results = top_hits(searcher, parsed, allowed, top + _TIE_MARGIN, run)
    dates = searcher.reader().column_reader("date") if results else None
    scored = [(float(r.score or 0.0), r.docnum) for r in results]
    scored.sort(key=lambda pair: (-round(pair[0], 9), -(dates[pair[1]] if dates else 0)))
    return scored[:top]


def _hit(searcher: Searcher, fields: dict[str, Any], score: float, terms: MatchTerms) -> Hit:
    quote = document_to_quote(fields)
    return Hit(quote=quote, score=score, highlights=highlight(searcher.schema, quote.text, terms))

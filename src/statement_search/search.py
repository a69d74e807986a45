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

from whoosh import matching, qparser, sorting
from whoosh import query as wq
from whoosh.qparser import syntax

from .errors import QueryError
from .facets import FacetCount, speaker_counts, topic_counts, year_counts
from .filtered_top import filtered_top
from .filters import FilterCache, Filters
from .highlight import MatchTerms, expand_multiterms, highlight, match_terms
from .models import Hit, Quote
from .optional_boost import LazyAndMaybe
from .schema import document_to_quote, word_pairs
from .suggest import Suggestion, closest_speakers, correct_words

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from .topics import Taxonomy

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
        min_confidence: float | None = None,
        attribution: Many = None,
    ) -> list[Hit]:
        """Quotes matching `query` and the filters, best first (BM25F).

        An empty query or `*` with filters lists every quote passing them,
        newest first.  Dates may be `2024`, `2024-04` or `2024-04-05`.
        `min_confidence` keeps quotes whose speaker is at least that sure (0–1);
        `attribution` keeps quotes whose speaker was found that way ("name",
        "label", "role", …; several, or comma-separated).
        """
        filters = Filters.make(speaker, topic, since, until, source, min_confidence, attribution)
        cache = self._filter_cache()
        return run_search(cache, query, filters, sort, limit, offset, self._taxonomy())

    def get(self, quote_id: str) -> Quote | None:
        """The quote with this id, or None."""
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

    def similar(
        self,
        quote_id: str,
        speaker: Many = None,
        topic: Many = None,
        since: DateLike = None,
        until: DateLike = None,
        source: Many = None,
        limit: int = 10,
        offset: int = 0,
        min_confidence: float | None = None,
        attribution: Many = None,
    ) -> list[Hit]:
        """Quotes like the given one (more-like-this on the quote text's key terms)."""
        filters = Filters.make(speaker, topic, since, until, source, min_confidence, attribution)
        cache = self._filter_cache()
        searcher = cache.searcher
        docnum = searcher.document_number(id=quote_id)
        if docnum is None:
            raise QueryError(f"no quote with id {quote_id!r} — ids are shown by `search`")
        text = searcher.stored_fields(docnum)["text"]
        allowed = cache.docs(filters, self._taxonomy())
        results = searcher.more_like(
            docnum, "text", text=text, top=offset + limit, numterms=10, filter=allowed
        )
        keys = {word for word, _ in searcher.key_terms_from_text("text", text, numterms=10)}
        terms = MatchTerms(stemmed=keys)
        return [
            _hit(searcher, r.fields(), float(r.score or 0.0), terms) for r in list(results)[offset:]
        ]

    def facets(
        self,
        query: str = "",
        speaker: Many = None,
        topic: Many = None,
        since: DateLike = None,
        until: DateLike = None,
        source: Many = None,
        min_confidence: float | None = None,
        attribution: Many = None,
    ) -> dict[str, list[FacetCount]]:
        """Counts of the matching quotes by speaker, topic and year."""
        filters = Filters.make(speaker, topic, since, until, source, min_confidence, attribution)
        cache, docs = self._matching(query, filters)
        return {
            "speakers": speaker_counts(cache, docs),
            "topics": topic_counts(cache, docs),
            "years": year_counts(cache, docs),
        }

    def speakers(self, query: str = "", **filters: Any) -> list[FacetCount]:
        """Quotes per speaker, for the whole index or for a query; largest first."""
        cache, docs = self._matching(query, Filters.make(**filters))
        return speaker_counts(cache, docs)

    def topics(self, query: str = "", **filters: Any) -> list[FacetCount]:
        """Quotes per topic, for the whole index or for a query; largest first."""
        cache, docs = self._matching(query, Filters.make(**filters))
        return topic_counts(cache, docs)

    def suggest(self, query: str = "", speaker: Many = None, **filters: Any) -> Suggestion | None:
        """Corrected words (if the correction finds quotes) and speaker names, or None."""
        all_filters = Filters.make(speaker=speaker, **filters)
        cache = self._filter_cache()
        unknown = [s for s in all_filters.speakers if not cache.speaker_matches(s)]
        speakers = tuple(n for s in unknown for n in closest_speakers(cache, s))
        corrected = None if _lists_all(query) else correct_words(cache.searcher, query)
        if corrected is not None:
            kept = Filters(
                **{
                    **all_filters.__dict__,
                    "speakers": all_filters.speakers if not unknown else speakers[:1],
                }
            )
            if not run_search(cache, corrected, kept, "relevance", 1, 0, self._taxonomy()):
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
        from .topics import load_taxonomy

        return load_taxonomy(os.environ.get("STATEMENT_SEARCH_TAXONOMY") or None)

    def _matching(self, query: str, filters: Filters) -> tuple[FilterCache, set[int] | None]:
        """Doc numbers matching a query and filters (None: the whole index)."""
        cache = self._filter_cache()
        docs = cache.docs(filters, self._taxonomy())
        if _lists_all(query):
            return cache, docs
        parsed = parse_query(cache.searcher, query)
        found = set(cache.searcher.docs_for_query(runnable(parsed)))
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


def parse_query(searcher: Searcher, text: str) -> wq.Query:
    """Parse the Whoosh query language; an unparsable query is a QueryError."""
    if not text.strip():
        raise QueryError("empty query — give some words, or `*` with a filter")
    parsed = plain_words_query(searcher.schema, text)
    if parsed is None:
        parser = qparser.MultifieldParser(SEARCH_FIELDS, searcher.schema, fieldboosts=FIELD_BOOSTS)
        parser.add_plugin(_ExactPhrases())
        parser.add_plugin(qparser.FuzzyTermPlugin())
        parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
        try:
            parsed = parser.parse(text)
        except Exception as exc:  # Whoosh raises assorted errors on odd syntax
            raise QueryError(f"cannot parse query {text!r}: {exc}") from None
    if parsed is wq.NullQuery:
        raise QueryError(f"query {text!r} has no searchable words")
    parsed = parsed.accept(lambda node: _unordered(searcher.schema, node))
    return _with_title_boost(parsed).accept(_union_matchers)


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
    return LazyAndMaybe(parsed, title)


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
    return parsed.accept(_through_pairs).accept(_union_matchers)


def _through_pairs(node: wq.Query) -> wq.Query:
    """A verbatim phrase matched through its word pairs, scored by its words.

    "peace process" matches where the pair term `peace process` does; a longer
    phrase where its pairs sit at consecutive positions, checked only on the
    few documents holding every pair.  A phrase with slop ("a b"~2) keeps the
    positional search on `exact`.
    """
    if not (isinstance(node, wq.Phrase) and node.fieldname == "exact" and node.slop == 1):
        return node
    pairs = word_pairs(node.words)
    if not pairs:
        return node
    match = wq.Term("pairs", pairs[0]) if len(pairs) == 1 else wq.Phrase("pairs", pairs)
    return _ScoredAsWords(match, tuple(node.words), node.boost)


class _ScoredAsWords(wq.WrappingQuery):
    """A `pairs` match scored like the positional phrase on `exact`, by phrase frequency.

    The positional phrase scores the sum of its words' BM25 on `exact`, each
    word at its own frequency in the quote.  Here each word counts the
    phrase's occurrences instead (as Lucene scores phrases), with the same idf,
    field length and boost: where the words occur only inside the phrase the
    score is exactly the old one; a quote that also says a word elsewhere no
    longer gains from it.  The hits are the same; scoring this way, not by an
    AND with the words, is what makes it fast: the words' own postings
    (common words, every segment) are never read, and their scorers are
    built only for segments where the phrase occurs.
    """

    def __init__(self, child: wq.Query, words: tuple[str, ...], boost: float = 1.0) -> None:
        super().__init__(child)
        self.words = words
        self.boost = boost

    def _rewrap(self, child: wq.Query) -> wq.Query:
        return self.__class__(child, self.words, self.boost)

    def with_boost(self, boost: float) -> wq.Query:
        return self.__class__(self.child, self.words, boost)

    def matcher(self, searcher: Searcher, context: Any = None) -> matching.Matcher:
        found = self.child.matcher(searcher, context)
        if not found.is_active():
            return matching.NullMatcher()
        weighting = searcher.weighting if context is None else context.weighting
        if weighting is None:  # a boolean context (under NOT, for instance): match only
            return found
        scorers = [weighting.scorer(searcher, "exact", word) for word in self.words]
        return _WordScoredMatcher(found, scorers, self.boost)


class _Occurrences:
    """What a term scorer reads from its matcher: the document and the term's frequency."""

    def __init__(self, docnum: int, count: int) -> None:
        self.docnum, self.count = docnum, count

    def id(self) -> int:
        return self.docnum

    def weight(self) -> float:
        return float(self.count)


class _WordScoredMatcher(matching.WrappingMatcher):
    """The child's documents; each scored by the words' scorers at the phrase's count.

    No block-quality skipping (nothing here knows a block's best score); the
    phrase's documents are few, so scoring them all is cheap.
    """

    def __init__(self, child: matching.Matcher, scorers: list[Any], boost: float = 1.0) -> None:
        super().__init__(child, boost=boost)
        self.scorers = scorers

    def copy(self) -> matching.Matcher:
        return self.__class__(self.child.copy(), self.scorers, self.boost)

    def _replacement(self, newchild: matching.Matcher) -> matching.Matcher:
        return self.__class__(newchild, self.scorers, self.boost)

    def replace(self, minquality: float = 0) -> matching.Matcher:
        if not self.child.is_active() or (minquality and self.max_quality() < minquality):
            return matching.NullMatcher()
        child = self.child.replace(0)
        return self if child is self.child else self._replacement(child)

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return self.boost * sum(scorer.max_quality() for scorer in self.scorers)

    def block_quality(self) -> float:
        return self.max_quality()

    def score(self) -> float:
        # One span per occurrence of the phrase (a pair term's positions, or
        # the runs of consecutive pairs a longer phrase matched).
        seen = _Occurrences(self.child.id(), len(self.child.spans()))
        return self.boost * sum(scorer.score(seen) for scorer in self.scorers)


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
) -> list[Hit]:
    """One page of hits for `text` within `filters`, built inside the searcher."""
    if limit is not None and limit < 0 or offset < 0:
        raise QueryError("limit and offset must not be negative")
    searcher = cache.searcher
    listing = _lists_all(text)
    if listing and not text.strip() and not filters:
        raise QueryError("empty query — give some words, or `*` with a filter")
    parsed: wq.Query = wq.Every() if listing else parse_query(searcher, text)
    facets, score_at = _sort_facets(sort, listing)
    allowed = cache.allowed(filters, taxonomy)
    if isinstance(allowed, set) and not allowed:
        return []
    top = None if limit is None else offset + limit
    terms = match_terms(parsed)
    expand_multiterms(parsed, searcher.reader(), terms)
    query = parsed if listing else runnable(parsed)
    if sort == "relevance" and not listing and top is not None:
        ranked = _top_by_relevance(searcher, query, allowed, top)
    else:
        results = searcher.search(query, filter=allowed, sortedby=facets, limit=top)
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
    searcher: Searcher, parsed: wq.Query, allowed: set[int] | None, top: int
) -> list[tuple[float, int]]:
    """The best `top` (score, docnum) pairs, equal scores newest first.

    Whoosh's plain top-N collector skips blocks that cannot reach the top
    (block-max scoring; not for a query with a NOT, see `filtered_top`); sorting
    by a (score, date) facet would score every
    match instead, so the date only breaks ties among the few kept hits.
    """
    results = filtered_top(searcher, parsed, allowed, top + _TIE_MARGIN)
    dates = searcher.reader().column_reader("date") if results else None
    scored = [(float(r.score or 0.0), r.docnum) for r in results]
    scored.sort(key=lambda pair: (-round(pair[0], 9), -(dates[pair[1]] if dates else 0)))
    return scored[:top]


def _hit(searcher: Searcher, fields: dict[str, Any], score: float, terms: MatchTerms) -> Hit:
    quote = document_to_quote(fields)
    return Hit(quote=quote, score=score, highlights=highlight(searcher.schema, quote.text, terms))

"""Search stage: "quoted phrases" on the verbatim field → matches of its word pairs.

Whoosh checks a phrase's positions on every document holding all its words,
which made phrases the slowest query (#8); here a two-word phrase is one
`pairs` term, and a longer one a phrase of its pairs, scored like the
positional phrase by its words (see `_ScoredAsWords`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from whoosh import matching
from whoosh import query as wq

from .schema import word_pairs

if TYPE_CHECKING:
    from whoosh.searching import Searcher


def through_pairs(node: wq.Query) -> wq.Query:
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

    def apply(self, fn: Any) -> wq.Query:
        return self.__class__(fn(self.child), self.words, self.boost)

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

    def replace(self, minquality: float = 0) -> matching.Matcher:
        if not self.child.is_active() or (minquality and self.max_quality() < minquality):
            return matching.NullMatcher()
        child = self.child.replace(0)
        return self if child is self.child else self.__class__(child, self.scorers, self.boost)

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

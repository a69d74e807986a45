"""Whoosh search bounds: a parsed query → the same query with every expansion bounded.

A query is text from anyone, so what one query may cost is capped here: its
length, the edit distance of fuzzy terms (2), how many index terms a wildcard,
fuzzy term or range may expand to, and the time it may take (`Budget`).  When a
cap narrows the query the search still answers, and says so (`Budget.notices`).

Wildcards, fuzzy terms and ranges are expanded once, against the whole index,
into plain terms.  Whoosh expands them per segment, so a term missing from a
segment changed how that segment scored (a single expansion lost the field's
boost): the same corpus ranked differently built in one go, in batches or by
`add`.  Wildcards on the stemmed fields are matched against the words as
written (the verbatim `exact` field) and then stemmed, so `negotiat*` finds
"negotiations" whose stem is `negoti`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from whoosh import collectors, matching
from whoosh import query as wq

from ...errors import QueryError
from ...search.bounds import (
    _STEMMED,
    MAX_BOOST,
    MAX_EXPANSIONS,
    MAX_FUZZY_CHARS,
    Budget,
    _day,
    allowed_distance,
)
from ...search.filters import parse_date_bound

if TYPE_CHECKING:
    from whoosh.searching import Searcher


def bound_query(searcher: Searcher, parsed: wq.Query, budget: Budget, text: str) -> wq.Query:
    """`parsed` with wildcards, fuzzy terms and ranges expanded (capped) over the whole index."""
    expander = _Expander(searcher, budget, text)
    return parsed.accept(expander.replace)


class _Expander:
    def __init__(self, searcher: Searcher, budget: Budget, text: str) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.budget = budget
        self.text = text
        self.seen: dict[tuple[Any, ...], list[str]] = {}

    def replace(self, node: wq.Query) -> wq.Query:
        if isinstance(node, wq.Every) and node.fieldname in ("text", "around"):
            return wq.Every(boost=node.boost)  # every quote has text: no need to walk its terms
        if isinstance(node, wq.NumericRange):
            return self._numeric(node)
        if isinstance(node, wq.Term) and not isinstance(node.text, str):
            return node  # a number or other binary term, matched as it is
        if isinstance(node, wq.FuzzyTerm):
            return self._terms(node, self._fuzzy(node), ranked=True)
        if isinstance(node, (wq.Wildcard, wq.Prefix)):
            return self._terms(node, self._pattern(node), ranked=True)
        if isinstance(node, wq.TermRange):
            words = self._range(node)
            return wq.ConstantScoreQuery(self._terms(node, words, ranked=False), node.boost)
        return node

    # -- expansions --------------------------------------------------------------

    def _label(self, node: wq.Query) -> str:
        if isinstance(node, wq.FuzzyTerm):
            return f"{node.text}~"
        if isinstance(node, (wq.Wildcard, wq.Prefix)):
            return f"{node.text}*" if isinstance(node, wq.Prefix) else str(node.text)
        return str(node)

    def _fuzzy(self, node: wq.FuzzyTerm) -> list[str]:
        word = str(node.text)
        asked = int(node.maxdist) if node.maxdist >= 0 else 0
        maxdist = min(asked, allowed_distance(word))
        if maxdist < asked:
            self.budget.notice(f"{word}~{asked}: edit distance narrowed to {maxdist}")
        if len(word) > MAX_FUZZY_CHARS:
            self.budget.notice(f"{word[:20]}…~: too long for a fuzzy match, searched as written")
            maxdist = 0
        prefix = max(0, min(int(node.prefixlength), len(word)))
        key = ("fuzzy", node.fieldname, word, maxdist, prefix)
        if key not in self.seen:
            found: set[str] = set()
            for leaf, _ in self.reader.leaf_readers():
                for term in leaf.terms_within(node.fieldname, word, maxdist, prefix=prefix):
                    found.add(_text(term))
                    self._tick(len(found))
            self.seen[key] = sorted(found)
        return self.seen[key]

    def _pattern(self, node: wq.Wildcard | wq.Prefix) -> list[str]:
        fieldname, pattern = node.fieldname, str(node.text)
        if isinstance(node, wq.Prefix):
            pattern = pattern.replace("*", "[*]").replace("?", "[?]") + "*"
        key = ("pattern", fieldname, pattern)
        if key in self.seen:
            return self.seen[key]
        found = set(self._lexicon_matches(fieldname, pattern))
        if fieldname in _STEMMED and fieldname in self.searcher.schema:
            # The words as said (`exact`), through the field's own stemming.
            analyzer = self.searcher.schema[fieldname].analyzer
            for word in self._lexicon_matches("exact", pattern):
                for token in analyzer(word):
                    if (fieldname, token.text) in self.reader:
                        found.add(token.text)
        self.seen[key] = sorted(found)
        return self.seen[key]

    def _lexicon_matches(self, fieldname: str, pattern: str) -> list[str]:
        """Terms of a field matching a `*`/`?` pattern (`[*]` a literal star)."""
        if fieldname not in self.searcher.schema:
            return []
        prefix, regex = _compile(pattern)
        found: list[str] = []
        for count, term in enumerate(self.reader.expand_prefix(fieldname, prefix)):
            text = _text(term)
            if regex.fullmatch(text):
                found.append(text)
            self._tick(count)
        return found

    def _range(self, node: wq.TermRange) -> list[str]:
        found: list[str] = []
        for count, (_, term) in enumerate(node.expanded_terms(self.reader)):
            found.append(_text(term))
            self._tick(count)
            if len(found) > 4 * MAX_EXPANSIONS:
                break  # enough to know it was narrowed
        return found

    def _numeric(self, node: wq.NumericRange) -> wq.Query:
        start, end = node.start, node.end
        if node.fieldname == "date":
            # A year or a year and month stands for every day in it.
            start = 1 if start is None else _widen(start, end=False)  # 0: undated
            end = _widen(end, end=True)
        bounded = wq.NumericRange(
            node.fieldname, start, end, node.startexcl, node.endexcl, constantscore=True
        )
        return wq.ConstantScoreQuery(bounded, node.boost)

    def _tick(self, count: int) -> None:
        if count % 512 == 511:
            self.budget.check(self.text)

    # -- the replacement ----------------------------------------------------------

    def _terms(self, node: wq.Query, words: list[str], ranked: bool) -> wq.Query:
        """Plain terms for a multi-term node, the most frequent when there are too many."""
        fieldname = node.field()
        cap = min(MAX_EXPANSIONS, max(self.budget.terms_left, 1))
        if len(words) > cap:
            if ranked:
                words = sorted(words, key=lambda w: -self.reader.doc_frequency(fieldname, w))
            which = "most common" if ranked else "first"
            self.budget.notice(
                f"{self._label(node)}: matches more than {cap} index words; "
                f"searched the {cap} {which}"
            )
            words = sorted(words[:cap])
        self.budget.terms_left -= len(words)
        # Each term carries the boost: see `push_boosts`.
        terms = [wq.Term(fieldname, w, boost=node.boost) for w in words]
        if not terms:
            return wq.NullQuery
        return terms[0] if len(terms) == 1 else wq.Or(terms)


def push_boosts(node: wq.Query, boost: float = 1.0) -> wq.Query:
    """The query with the boosts of its ANDs and ORs moved onto their parts (same scores).

    Whoosh's top-N walk skips documents by each matcher's best possible score;
    under a boosted OR that bound came out too low, so a top hit could be
    skipped (`election~`, whose field boost sits on the OR of its expansions,
    lost its fourth-best hit on a one-segment index).
    """
    if isinstance(node, (wq.Or, wq.And)) and not isinstance(node, wq.DisjunctionMax):
        inner = _bounded_boost(boost * node.boost)
        return node.__class__([push_boosts(child, inner) for child in node.subqueries])
    if boost != 1.0 or abs(node.boost) > MAX_BOOST:
        return node.with_boost(_bounded_boost(node.boost * boost))
    return node


def _bounded_boost(boost: float) -> float:
    """A boost within ±MAX_BOOST (`peace^1e308` made every score infinite: no hits)."""
    if boost != boost:  # NaN
        return 1.0
    return max(-MAX_BOOST, min(MAX_BOOST, boost))


def _compile(pattern: str) -> tuple[str, re.Pattern[str]]:
    """The literal prefix before the first wildcard, and the whole pattern as a regex."""
    parts: list[str] = []
    prefix = ""
    literal = True
    i = 0
    while i < len(pattern):
        if pattern.startswith(("[*]", "[?]"), i):
            char, i = pattern[i + 1], i + 3
            parts.append(re.escape(char))
            prefix += char if literal else ""
            continue
        char = pattern[i]
        i += 1
        if char in "*?":
            literal = False
            parts.append(".*" if char == "*" else ".")
        else:
            parts.append(re.escape(char))
            prefix += char if literal else ""
    return prefix, re.compile("".join(parts), re.DOTALL)


def _widen(value: Any, end: bool) -> Any:
    """A date bound given as a year (2024) or year and month (202404) → yyyymmdd."""
    if value is None:
        return None
    number = int(value)
    text = str(number)
    if len(text) == 6:
        text = f"{text[:4]}-{text[4:]}"
    elif len(text) != 4:
        return number
    try:
        date = parse_date_bound(text, end=end)
    except QueryError:
        return number
    return _day(date)


def has_negation(query: wq.Query) -> bool:
    """Whether a NOT (an `AndNot` or a `Not`) is anywhere in the query tree."""
    if isinstance(query, wq.AndNot | wq.Not):
        return True
    return any(has_negation(child) for child in query.children())


def _text(term: Any) -> str:
    return term.decode("utf-8", "replace") if isinstance(term, bytes) else str(term)


def collect(searcher: Searcher, query: wq.Query, collector: Any, budget: Budget, text: str) -> Any:
    """Run `collector` over `query`, stopped (QueryTimeoutError) once the budget is spent.

    The time is checked before each segment is searched and every few hundred
    matcher steps within it (`_DeadlineMatcher`): Whoosh's own
    `TimeLimitCollector` checks it between documents but replaces the child's
    walk (losing block skipping), or takes SIGALRM, which a library must not.
    """
    timed = _DeadlineQuery(query, budget, text)
    searcher.search_with_collector(timed, _Deadline(collector, budget, text))
    return collector


class _DeadlineQuery(wq.WrappingQuery):  # type: ignore[misc]
    """The query, its matcher checking the budget as the collector walks it."""

    def __init__(self, child: wq.Query, budget: Budget, text: str) -> None:
        super().__init__(child)
        self.budget, self.text = budget, text

    # Whoosh's `apply`/`with_boost` rewrap through a private hook; these are public.
    def apply(self, fn: Any) -> wq.Query:
        return self.__class__(fn(self.child), self.budget, self.text)

    def with_boost(self, boost: float) -> wq.Query:
        return self.__class__(self.child.with_boost(boost), self.budget, self.text)

    def matcher(self, searcher: Any, context: Any = None) -> matching.Matcher:
        found = self.child.matcher(searcher, context)
        if isinstance(found, matching.NullMatcherClass):
            return found
        return _DeadlineMatcher(found, self.budget, self.text)


# Matcher steps between two looks at the clock; a `replace` (which may rebuild a
# large tree: 13 ms for an OR of 200 words) always looks.
_STEPS_PER_CHECK = 64


class _DeadlineMatcher(matching.WrappingMatcher):  # type: ignore[misc]
    def __init__(self, child: matching.Matcher, budget: Budget, text: str) -> None:
        super().__init__(child)
        self.budget, self.text = budget, text
        self._steps = 0
        # The collector asks these of every match: straight to the child, not through a
        # wrapper's method (its boost is 1, so the score is the child's as it is).
        self.id, self.is_active, self.score = child.id, child.is_active, child.score

    def copy(self) -> matching.Matcher:
        return self.__class__(self.child.copy(), self.budget, self.text)

    def _tick(self) -> None:
        self._steps += 1
        if self._steps >= _STEPS_PER_CHECK:
            self._steps = 0
            self.budget.check(self.text)

    def replace(self, minquality: float = 0) -> matching.Matcher:
        self.budget.check(self.text)
        child = self.child.replace(minquality)
        return self if child is self.child else self.__class__(child, self.budget, self.text)

    def next(self) -> Any:
        self._tick()
        return self.child.next()

    def skip_to(self, docnum: int) -> Any:
        self._tick()
        return self.child.skip_to(docnum)

    def skip_to_quality(self, minquality: float) -> Any:
        self._tick()
        return self.child.skip_to_quality(minquality)


class _Deadline(collectors.WrappingCollector):  # type: ignore[misc]
    """A collector that checks the budget before each segment."""

    def __init__(self, child: Any, budget: Budget, text: str) -> None:
        super().__init__(child)
        self.budget, self.text = budget, text

    def set_subsearcher(self, subsearcher: Any, offset: int) -> None:
        self.budget.check(self.text)
        super().set_subsearcher(subsearcher, offset)

    def collect_matches(self) -> None:
        self.child.collect_matches()  # the child's own walk (its skipping, its filter)

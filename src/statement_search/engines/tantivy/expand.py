"""`word~` and `word*` in a tantivy query → the stemmed index terms they stand for,
bounded as `bounds.py` bounds the Whoosh path: the edit distance a word's length
allows, at most `MAX_EXPANSIONS` terms a word (the most common) and `MAX_QUERY_TERMS`
a query, each narrowing said in the query's `Budget.notices`.
"""

from __future__ import annotations

from typing import Any

from ...search.bounds import MAX_EXPANSIONS, MAX_FUZZY_CHARS, Budget, allowed_distance
from .query import FIELD_BOOSTS, analyzers, edit_distance, expansions


class Expander:
    """Expands one query's fuzzy and prefix words over a searcher's terms."""

    def __init__(self, searcher: Any, budget: Budget | None = None) -> None:
        self.searcher = searcher
        self.budget = budget

    def fuzzy(self, word: str, distance: str) -> list[str]:
        """The stemmed `text` terms within `distance` edits (default 1) of `word`'s stem,
        sharing its first letter, as Whoosh's `word~` finds them; the stem when none is,
        nothing for a stop word.  Narrowings are named by the stem, as Whoosh names them."""
        stems = analyzers()[0].analyze(word)
        if not stems:
            return []
        stem, asked = stems[0], int(distance or 1)
        most = min(asked, allowed_distance(stem))
        if most < asked:
            self._notice(f"{stem}~{asked}: edit distance narrowed to {most}")
        if len(stem) > MAX_FUZZY_CHARS:
            self._notice(f"{stem[:20]}…~: too long for a fuzzy match, searched as written")
            return [stem]
        near = self.searcher.terms_with_prefix("text", stem[0])
        found = [str(t) for t, _ in near if edit_distance(stem, str(t), most) <= most]
        return self._capped(f"{stem}~", found) or [stem]

    def prefixed(self, word: str) -> list[str]:
        """The stemmed terms of the searched fields starting with `word` (`word*`), and the
        stems of the words as said (`exact`) starting with it, as the Whoosh path finds
        them: `negotiat*` finds "negotiations", whose stem is `negoti`."""
        searcher = self.searcher
        found = {str(t) for f in FIELD_BOOSTS for t, _ in searcher.terms_with_prefix(f, word)}
        stemmed = analyzers()[0]
        for count, (said, _) in enumerate(searcher.terms_with_prefix("exact", word)):
            for stem in stemmed.analyze(str(said)):
                if stem not in found and any(searcher.doc_freq(f, stem) for f in FIELD_BOOSTS):
                    found.add(stem)
            if count % 512 == 511 and self.budget is not None:
                self.budget.check(f"{word}*")
        return self._capped(f"{word}*", sorted(found))

    def matched(self, text: str) -> set[str]:
        """Every term the query's `word*` and `word~` stand for (to mark in hits)."""
        prefixes, fuzzy = expansions(text)
        found = {t for p in prefixes for t in self.prefixed(p)}
        for word, distance in fuzzy:
            found.update(self.fuzzy(word, distance))
        return found

    def _capped(self, label: str, terms: list[str]) -> list[str]:
        """At most `MAX_EXPANSIONS` terms, and what is left of the query's
        `MAX_QUERY_TERMS` (`Budget.terms_left`): the most common, the cut said."""
        left = MAX_EXPANSIONS if self.budget is None else self.budget.terms_left
        cap = min(MAX_EXPANSIONS, max(left, 1))
        if len(terms) > cap:
            ranked = sorted(terms, key=lambda t: -self.searcher.doc_freq("text", t))
            self._notice(
                f"{label}: matches more than {cap} index words; searched the {cap} most common"
            )
            terms = sorted(ranked[:cap])
        if self.budget is not None:
            self.budget.terms_left -= len(terms)
        return terms

    def _notice(self, message: str) -> None:
        if self.budget is not None:
            self.budget.notice(message)

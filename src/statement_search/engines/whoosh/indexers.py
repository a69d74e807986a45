"""Whoosh field analysis in one loop: `field.index` for the schema's ID and TEXT fields,
giving the same terms, weights and encoded positions as Whoosh's analyser chains.

`postings.DocumentAnalyzer` indexes every field of a document through these.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from functools import lru_cache
from operator import itemgetter
from typing import Any

from whoosh.analysis import (
    CompositeAnalyzer,
    IDTokenizer,
    LowercaseFilter,
    RegexTokenizer,
    StopFilter,
)
from whoosh.analysis.morph import StemFilter
from whoosh.fields import ID, TEXT, Schema
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import pack_uint

# (term bytes, frequency, weight, encoded value), as `FieldType.index` gives them; a
# whole-number weight may be an int (equal to Whoosh's float, see `whole_weight`)
Item = tuple[bytes, int, float, bytes]
FieldIndexer = Callable[[str], list[Item]]
frequency = itemgetter(1)
# Values (and words) remembered per field before the memo starts afresh.
MEMO_SIZE = 50_000


def field_indexers(schema: Schema) -> dict[str, FieldIndexer]:
    return {
        name: indexer
        for name, field in schema.items()
        if (indexer := fast_indexer(field)) is not None
    }


def index_value(indexers: dict[str, FieldIndexer], name: str, field: Any, value: Any) -> list[Item]:
    indexer = indexers.get(name)
    if indexer is not None and isinstance(value, str):
        return indexer(value)
    return list(field.index(value))


def fast_indexer(field: Any) -> FieldIndexer | None:
    """A one-loop `field.index` for a field this module knows, else None.

    Known: an ID field (the whole value is its one term), and a TEXT field
    whose chain is a regex tokenizer, lowercasing, then optionally stop
    words, a stemmer, and last a filter of our own that offers `over_words` —
    the same transformation applied to a list of (word, position) pairs.
    """
    if type(field) is ID and type(field.analyzer) is IDTokenizer:
        if type(field.format) is Existence:
            return _id_indexer(field.format.field_boost)
        return None
    if not isinstance(field, TEXT) or field.column_type is not None:
        return None
    fmt = field.format
    if type(fmt) not in (Positions, Frequency):
        return None
    analyzer = field.analyzer
    items = analyzer.items if isinstance(analyzer, CompositeAnalyzer) else [analyzer]
    if not items or type(items[0]) is not RegexTokenizer or items[0].gaps:
        return None
    if [type(step) for step in items[1:2]] != [LowercaseFilter]:
        return None
    rest = items[2:]
    stop: StopFilter | None = None
    stemmer: StemFilter | None = None
    if rest and type(rest[0]) is StopFilter:
        stop, rest = rest[0], rest[1:]
    if rest and type(rest[0]) is StemFilter:
        stemmer, rest = rest[0], rest[1:]
    then = None
    if rest and callable(getattr(rest[0], "over_words", None)):
        then, rest = rest[0].over_words, rest[1:]
    if rest:
        return None
    return _TextIndexer(items[0].expression, stop, stemmer, then, fmt)


def _stemmer(stemmer: StemFilter) -> Callable[[str], str]:
    """The filter's stemming function behind a cache shared with topics.py (Whoosh's own
    cache is Python-level and prunes itself by sorting; `_term` asks only for new words)."""
    if stemmer.lang:
        return stemmer._stem  # type: ignore[no-any-return]
    from ...extraction.topics import cached_stemmer

    return cached_stemmer(stemmer.stemfn)


def whole_weight(weight: float) -> float:
    """A weight as the items of the fast indexers carry it: a whole number as an int
    (equal to Whoosh's float, and written as the same float: posting weights become
    doubles in the pool's arrays), so that a worker's postings pickle without a float
    object each and load as Python's shared small ints."""
    return int(weight) if float(weight).is_integer() else weight


def _id_indexer(field_boost: float) -> FieldIndexer:
    weight = whole_weight(field_boost)

    def index(value: str) -> list[Item]:
        return [(value.encode("utf-8"), 1, weight, b"")]

    return index


WordsAt = list[tuple[str, int]]
_group = re.Match.group


class _TermMemo(dict[str, Any]):
    """Matched word → its term (None: dropped as a stop word), made on a miss, so a
    value's words are looked up by one C-level `map` and only new ones cost a call."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[str], Any]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, word: str) -> Any:
        term = self[word] = self._make(word)
        return term


# Whoosh's word pattern → one finding the same words: each word and each ".word" taken
# whole (possessive: nothing follows that could make the engine give characters
# back) and nothing captured, so `findall` gives the words without a match object each.
_SAME_WORDS = {r"[\w\*]+(\.?[\w\*]+)*": r"[\w\*]++(?:\.[\w\*]++)*+"}


def word_finder(expression: re.Pattern[str]) -> Callable[[str], list[str]]:
    """What `expression.finditer` matches in a text, as a list of strings."""
    same = _SAME_WORDS.get(expression.pattern)
    if same is not None:
        return re.compile(same, expression.flags).findall
    if expression.groups == 0:
        return expression.findall
    return lambda value: list(map(_group, expression.finditer(value)))


class _TextIndexer:
    """`field.index` for a TEXT field with a known chain (see `fast_indexer`), in one loop.

    The tokenizer's pass (`matches`) is a step of its own so that fields
    with an equal tokenizer can share it (`tokens`: its expression); what
    each matched word becomes (lowercased, dropped as a stop word, stemmed)
    is remembered per word.
    """

    def __init__(
        self,
        expression: Any,
        stop: StopFilter | None,
        stemmer: StemFilter | None,
        then: Callable[[WordsAt], WordsAt] | None,
        fmt: Any,
    ) -> None:
        self.tokens = expression
        self._finditer = expression.finditer
        self._find_words = word_finder(expression)
        self._stops = stop.stops if stop else frozenset()
        self._minsize = stop.min if stop else 0
        self._maxsize = stop.max if stop and stop.max is not None else None
        self._renumber = stop.renumber if stop else False
        self._stem = _stemmer(stemmer) if stemmer else None
        self._unstemmed = stemmer.ignore if stemmer else frozenset()
        self._then = then
        self._field_boost = whole_weight(fmt.field_boost)
        self._encode = fmt.encode if type(fmt) is Positions else None
        # matched word → its term (UTF-8, or text when `then` pairs them), None if dropped
        self._terms = _TermMemo(self._term)

    def __call__(self, value: str) -> list[Item]:
        return self.from_matches(self.matches(value))

    def matches(self, value: str) -> list[str]:
        """The words the tokenizer finds, as written (a word's position is its index)."""
        return self._find_words(value)

    def from_matches(self, words: list[str]) -> list[Item]:
        """The postings of a value the tokenizer found `words` in: each word's term (from
        the memo; a new word's made on the miss) and position, grouped by term in the
        same loop when no `then` filter comes between."""
        terms = self._terms
        if len(terms) >= MEMO_SIZE:
            terms.clear()
        each = enumerate(map(terms.__getitem__, words))
        # term → its position, or its positions listed once it recurs; `setdefault` gives
        # back the position passed exactly when the term is new, as positions only grow
        positions: dict[Any, Any] = {}
        add = positions.setdefault
        if self._then is not None:
            found = []
            kept = -1
            for pos, term in each:
                if term is None:
                    continue
                if self._renumber:
                    kept = pos if kept < 0 else kept + 1
                    pos = kept
                found.append((term, pos))
            for pair, pos in self._then(found):  # a filter may give a position twice
                term = pair.encode("utf-8")
                seen = positions.get(term)
                if seen is None:
                    positions[term] = pos
                elif type(seen) is int:
                    positions[term] = [seen, pos]
                else:
                    seen.append(pos)
        elif self._renumber:  # the stop filter numbers kept words on from the first one
            kept = -1
            for pos, term in each:
                if term is None:
                    continue
                kept = pos if kept < 0 else kept + 1
                if (seen := add(term, kept)) is not kept:
                    if type(seen) is int:
                        positions[term] = [seen, kept]
                    else:
                        seen.append(kept)
        else:
            for pos, term in each:
                if term is None:
                    continue
                if (seen := add(term, pos)) is not pos:
                    if type(seen) is int:
                        positions[term] = [seen, pos]
                    else:
                        seen.append(pos)
        return self._items(positions)

    def spans(self, value: str, wanted: Collection[Any]) -> list[tuple[int, int]]:
        """Where the words whose terms are `wanted` stand in `value` (start, end): what a
        highlighter needs, from the same memo of words instead of Whoosh's token chain."""
        terms = self._terms
        if len(terms) >= MEMO_SIZE:
            terms.clear()
        found = []
        for match in self._finditer(value):
            term = terms[match.group()]
            if term is not None and term in wanted:
                found.append(match.span())
        return found

    def _term(self, word: str) -> str | bytes | None:
        """What a matched word becomes: its term, or None when the stop filter drops it."""
        word = word.lower()
        if len(word) < self._minsize or (self._maxsize is not None and len(word) > self._maxsize):
            return None
        if word in self._stops:
            return None
        if self._stem is not None and word not in self._unstemmed:
            word = self._stem(word)
        return word if self._then is not None else word.encode("utf-8")

    def _items(self, positions: dict[bytes, Any]) -> list[Item]:
        """(term, frequency, weight, encoded value) per term; a term found once has its
        position by itself (an int), one found again the list of them."""
        field_boost, encode = self._field_boost, self._encode
        once = 1 * field_boost
        if encode is None:  # Frequency
            one = _frequency_bytes(1)
            return [
                (term, 1, once, one)
                if type(at) is int
                else (term, count := len(at), count * field_boost, _frequency_bytes(count))
                for term, at in positions.items()
            ]
        encoded = _POSITIONS_BYTES
        if len(encoded) >= MEMO_SIZE:
            encoded.clear()
        get = encoded.get
        return [
            (term, 1, once, get(at) or _new_positions_bytes(encode, [at]))
            if type(at) is int
            else (
                term,
                count := len(at),
                count * field_boost,
                get(tuple(at)) or _new_positions_bytes(encode, at),
            )
            for term, at in positions.items()
        ]


# Whoosh's encoding of a position list (a lone position by itself), as `Positions.encode`
# gives it: most lists are one or two positions, and a few hundred cover most postings.
_POSITIONS_BYTES: dict[int | tuple[int, ...], bytes] = {}


def _new_positions_bytes(encode: Callable[[list[int]], bytes], at: list[int]) -> bytes:
    value = _POSITIONS_BYTES[at[0] if len(at) == 1 else tuple(at)] = encode(at)
    return value


@lru_cache(maxsize=1024)
def _frequency_bytes(frequency: int) -> bytes:
    """`Frequency`'s encoding of a posting's frequency."""
    return pack_uint(frequency)

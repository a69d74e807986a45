"""Index stage, analysis: a quote document → what the writer files, made ahead (in a worker).

`DocumentAnalyzer` gives a document's postings per field (the terms,
weights and encoded positions Whoosh's analysers give, from one loop per
tokenizer), its stored fields already pickled and compressed as Whoosh's
stored column keeps them, its field lengths and its column values.  The
writer (segment_writer.py) files them as they are when the schema
fingerprint matches its own.
"""

from __future__ import annotations

import pickle
import re
import zlib
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
from whoosh.codec.whoosh3 import (
    STORED_COLUMN,
)
from whoosh.columns import CompressedBytesColumn, PickleColumn
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import (
    pack_uint,
)

# (term bytes, frequency, weight, encoded value), as `FieldType.index` gives them
Item = tuple[bytes, int, float, bytes]
FieldIndexer = Callable[[str], list[Item]]
frequency = itemgetter(1)
# A document's stored fields (pickled, compressed), (field, length) and (field, column value).
PerDocValues = tuple[bytes, list[tuple[str, int]], list[tuple[str, Any]]]
# The document key carrying postings made by `DocumentAnalyzer` (Whoosh ignores "_" keys).
POSTINGS_KEY = "_postings"


class DocumentAnalyzer:
    """A document's postings made ahead of the writer (in a worker process), per field.

    What each field needs is worked out once (`_FieldPlan`).  Fields whose
    analysers start with the same tokenizer share its pass over a value (the
    quote goes to `text`, `exact` and `pairs`), and short values that recur
    (a quote's position, its topics) are indexed once each.

    Example:
        analyze = DocumentAnalyzer(build_schema())
        doc[POSTINGS_KEY] = analyze(doc)
    """

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._indexers = field_indexers(schema)
        self._schema_id = schema_fingerprint(schema)
        self._plans = {name: self._plan(name) for name in schema.names()}
        # the last document's keys → plans of its fields in name order (None: a field
        # the schema lacks); the quotes of a file all have the same keys
        self._fields: tuple[tuple[str, ...], list[_FieldPlan] | None] = ((), [])
        # field → (value, postings) of the last document: an article's quotes share
        # its title, date, path and ids, and shared lists are pickled once per file
        self._last: dict[str, tuple[Any, list[Item]]] = {}

    def _plan(self, name: str) -> _FieldPlan:
        return _FieldPlan(name, self.schema[name], self._indexers.get(name))

    def __call__(
        self, doc: dict[str, Any]
    ) -> tuple[str, dict[str, list[Item]], PerDocValues | None]:
        """(schema fingerprint, postings per field, per-document values or None)."""
        keys = tuple(doc)
        if keys != self._fields[0]:
            self._fields = (keys, self._plans_for(keys))
        plans = self._fields[1]
        if plans is None:
            return self._schema_id, {}, None  # the writer reports the unknown field
        last = self._last
        made: dict[str, list[Item]] = {}
        stored: dict[str, Any] = {}
        lengths: list[tuple[str, int]] = []
        columns: list[tuple[str, Any]] = []
        matches: dict[tuple[Any, str], list[str]] = {}  # shared by this document's fields
        for plan in plans:
            name = plan.name
            value = doc[name]
            if value is None:
                continue
            if plan.indexed:
                seen = last.get(name)
                if seen is not None and type(seen[0]) is type(value) and seen[0] == value:
                    items = made[name] = seen[1]
                else:
                    items = made[name] = plan.index(value, matches)
                    last[name] = (value, items)
                if plan.scorable and (length := sum(map(frequency, items))):
                    lengths.append((name, length))
            custom = doc.get(plan.stored_key, value)
            if custom is None:
                continue
            if plan.stored:
                stored[name] = custom
            if plan.column_type:
                columns.append((name, plan.column_value(custom)))
        return self._schema_id, made, (stored_document_bytes(stored), lengths, columns)

    def _plans_for(self, keys: tuple[str, ...]) -> list[_FieldPlan] | None:
        """The plans of a document's fields in name order; None if the schema lacks one."""
        names = sorted(name for name in keys if not name.startswith("_"))
        if any(name not in self.schema for name in names):
            return None
        for name in names:
            if name not in self._plans:  # a dynamic field
                self._plans[name] = self._plan(name)
        return [self._plans[name] for name in names]


# Values remembered per field or indexer before the memo starts over.
MEMO_SIZE = 50_000
_MEMO_TYPES = (str, int)  # values whose equality means the same postings (not 0.0 == -0.0)


class _FieldPlan:
    """What `DocumentAnalyzer` does with one field, decided once."""

    __slots__ = (
        "name",
        "field",
        "indexed",
        "scorable",
        "stored",
        "column_type",
        "stored_key",
        "_indexer",
        "_tokens",
        "_memo",
        "_columns",
    )

    def __init__(self, name: str, field: Any, indexer: FieldIndexer | None) -> None:
        self.name = name
        self.field = field
        self.indexed = bool(field.indexed)
        self.scorable = bool(field.scorable)
        self.stored = bool(field.stored)
        self.column_type = field.column_type
        self.stored_key = f"_stored_{name}"
        self._indexer = indexer
        # the tokenizer whose matches fields may share (`_TextIndexer.tokens`)
        self._tokens = indexer.tokens if isinstance(indexer, _TextIndexer) else None
        # Whoosh's own analysis of short recurring values, per value
        self._memo: dict[Any, list[Item]] | None = (
            {} if indexer is None and type(field) in (NUMERIC, KEYWORD) else None
        )
        self._columns: dict[Any, Any] | None = {} if type(field) is NUMERIC else None

    def index(self, value: Any, matches: dict[tuple[Any, str], list[str]]) -> list[Item]:
        """`field.index(value)` as a list; `matches` holds the document's tokenizer passes."""
        indexer = self._indexer
        if indexer is not None and isinstance(value, str):
            if self._tokens is None:
                return indexer(value)
            assert isinstance(indexer, _TextIndexer)
            key = (self._tokens, value)
            found = matches.get(key)
            if found is None:
                found = matches[key] = indexer.matches(value)
            return indexer.from_matches(found)
        memo = self._memo
        if memo is None or type(value) not in _MEMO_TYPES:
            return list(self.field.index(value))
        items = memo.get(value)
        if items is None:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            items = memo[value] = list(self.field.index(value))
        return items

    def column_value(self, value: Any) -> Any:
        """`field.to_column_value(value)`, remembered for a numeric field's int values."""
        memo = self._columns
        if memo is None or type(value) is not int:
            return self.field.to_column_value(value)
        column = memo.get(value)
        if column is None:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            column = memo[value] = self.field.to_column_value(value)
        return column


def stored_document_bytes(stored: dict[str, Any]) -> bytes:
    """A document's stored fields as Whoosh's stored column keeps them: pickled
    (protocol 2) and compressed (empty: nothing stored)."""
    if not stored:
        return b""
    return zlib.compress(pickle.dumps(stored, 2), STORED_COLUMN._child._level)


def stored_column_is_standard() -> bool:
    return (
        type(STORED_COLUMN) is PickleColumn
        and type(STORED_COLUMN._child) is CompressedBytesColumn
        and STORED_COLUMN._child._module == "zlib"
    )


def schema_fingerprint(schema: Schema) -> str:
    """Which schema postings were made for: fields, formats and analysers, in a stable form."""
    import hashlib

    described = _describe(sorted(schema.items()))
    return hashlib.blake2b(described.encode("utf-8"), digest_size=8).hexdigest()


def _describe(obj: Any, depth: int = 0) -> str:
    """A deterministic rendering (sets sorted, regexes by pattern, callables by name)."""
    if depth > 8:
        return "…"
    if isinstance(obj, (str, int, float, bool, bytes)) or obj is None:
        return repr(obj)
    if isinstance(obj, (set, frozenset)):
        return "{" + ",".join(sorted(_describe(x, depth + 1) for x in obj)) + "}"
    if isinstance(obj, (list, tuple)):
        return "[" + ",".join(_describe(x, depth + 1) for x in obj) + "]"
    if isinstance(obj, dict):
        parts = sorted(f"{k}={_describe(v, depth + 1)}" for k, v in obj.items())
        return "{" + ",".join(parts) + "}"
    if hasattr(obj, "pattern") and hasattr(obj, "flags"):
        return f"re({obj.pattern!r},{obj.flags})"
    if hasattr(obj, "__qualname__"):  # functions and classes
        return (
            f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', type(obj).__name__)}"
        )
    state = {k: v for k, v in vars(obj).items() if not k.startswith("_")}
    return f"{type(obj).__name__}{_describe(state, depth + 1)}"


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


def _id_indexer(field_boost: float) -> FieldIndexer:
    def index(value: str) -> list[Item]:
        return [(value.encode("utf-8"), 1, field_boost, b"")]

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
        self._field_boost = fmt.field_boost
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

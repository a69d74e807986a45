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
import zlib
from typing import Any

from whoosh.codec.whoosh3 import (
    STORED_COLUMN,
)
from whoosh.columns import CompressedBytesColumn, PickleColumn
from whoosh.fields import KEYWORD, NUMERIC, Schema

from .indexers import MEMO_SIZE, FieldIndexer, Item, _TextIndexer, field_indexers, frequency

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

"""The tantivy engine's index layout: its fields, what of a quote each keyword field holds.

Input: nothing (a `Quote` for the `KEYWORDS` extractors, `document_fields` and
`quote_document`); output: the tantivy schema `build_schema` makes, the document a quote
is filed as (its fields as plain values, its stored JSON: `stored_json`), the
analyser names it registers and the schema version an index records (`engine.py`
writes and searches by it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import tantivy

from ...models import Quote, quote_to_json
from ...search.filters import fold
from ..documents import date_number, outside_quote

# Bump when the tantivy schema or a stored field's meaning changes.
TANTIVY_SCHEMA_VERSION = 3  # 3: attribution and confidence filters (#19)
# The analysers of the stemmed fields and of `exact` (query.analyzers), registered
# on every open.
STEMMED, VERBATIM = "quote_stem", "quote_exact"


# Keyword fields (raw, fast: for filters and facets) and what of a quote each holds.
# A filter on a new `Quote` field: an entry here (a keyword; a number is a fast field in
# `build_schema` and `add_quotes`), its `Filters` name in `FILTERED`, its query in
# `_filter_parts`, and TANTIVY_SCHEMA_VERSION bumped (existing indexes lack the field).
KEYWORDS: dict[str, Callable[[Quote], list[str]]] = {
    "speaker": lambda q: [q.speaker] if q.speaker else [],  # display name, for facets
    "speaker_key": lambda q: [fold(q.speaker)] if q.speaker else [],  # folded, for filters
    "topics": lambda q: [fold(t) for t in q.topics],
    "source": lambda q: [q.source] if q.source else [],  # as stored, for `sources`
    "source_key": lambda q: [fold(q.source)] if q.source else [],
    "kind": lambda q: [q.kind],
    "attribution": lambda q: [q.attribution],
}
# The `Filters` fields `_filter_parts` turns into queries; a filter set on any other is
# refused rather than ignored (a filter a later issue adds, not yet wired here).
FILTERED = frozenset(
    {"speakers", "topics", "sources", "since", "until", "kinds", "min_confidence", "attributions"}
)


def build_schema() -> Any:
    """Stemmed and verbatim quote text with positions, keyword filters, one stored JSON."""
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", tokenizer_name="raw")
    sb.add_text_field("article_id", tokenizer_name="raw")
    sb.add_text_field("text", tokenizer_name=STEMMED, index_option="position")
    sb.add_text_field("exact", tokenizer_name=VERBATIM, index_option="position")
    sb.add_text_field("around", tokenizer_name=STEMMED, index_option="position")
    sb.add_text_field("title", tokenizer_name=STEMMED, index_option="position")
    for name in KEYWORDS:
        sb.add_text_field(name, tokenizer_name="raw", fast=True)
    sb.add_integer_field("date", indexed=True, fast=True)  # yyyymmdd, 0 undated
    sb.add_integer_field("year", indexed=True, fast=True)
    sb.add_integer_field("position", fast=True)
    sb.add_integer_field("confidence", indexed=True, fast=True)  # whole percent
    sb.add_bytes_field("doc", stored=True)
    return sb.build()


def document_fields(quote: Quote, stored: bytes, around: str | None = None) -> dict[str, Any]:
    """The fields of the tantivy document a quote is filed as, as plain values (the
    preparing workers make them; `tantivy.Document(**fields)` is the document): its
    searched and filtered fields, and `stored` (the quote's JSON) as the one stored
    field.  `around` is `outside_quote(quote.context, quote.text)` when already made."""
    number = date_number(quote.date)
    fields: dict[str, Any] = {
        "id": quote.id,
        "article_id": quote.article_id,
        "text": quote.text,
        "exact": quote.text,
        "around": outside_quote(quote.context, quote.text) if around is None else around,
        "title": quote.title or "",
        "date": number,
        "year": number // 10000,
        "position": quote.position,
        "confidence": round(quote.confidence * 100),
        "doc": stored,
    }
    for name, values in KEYWORDS.items():
        found = values(quote)
        if found:  # no value, no field (an empty list would be an empty field)
            fields[name] = found
    return fields


def stored_json(quote: Quote, content_hash: str = "") -> bytes:
    """A quote's stored field: its JSON (`quote_to_json`) with the article's content hash."""
    return json.dumps(
        {**quote_to_json(quote), "content_hash": content_hash}, ensure_ascii=False
    ).encode()


def quote_document(quote: Quote, stored: bytes) -> Any:
    """The tantivy document a quote is filed as (`document_fields`)."""
    return tantivy.Document(**document_fields(quote, stored))

"""The Whoosh schema and the Quote ⇄ stored-document mapping.

Only this module, `index.py` and `search.py` know Whoosh exists.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .models import Quote

# Bump when the schema or the meaning of a stored field changes; an index
# written with another version must be rebuilt.
# 2: `context` stored only; its narration indexed as `around`; `title` without positions.
SCHEMA_VERSION = 2

# Stop words are kept in the verbatim field so "quoted phrases" match as said.
_EXACT_ANALYZER = StandardAnalyzer(stoplist=None, minsize=1)
_STEM_ANALYZER = StemmingAnalyzer()
_WORD = re.compile(r"\w+(?:[.'’]\w+)*")


def build_schema() -> Schema:
    """Quote text twice (stemmed for ranking, verbatim for phrases), filters, display.

    Postings per quote dominate build time, so the paragraph is stored for
    display but only its words outside the quote are indexed (`around`), and
    neither `around` nor `title` keeps positions (no phrase search there).
    """
    return Schema(
        id=ID(stored=True, unique=True),
        article_id=ID(stored=True),
        content_hash=ID(stored=True),
        position=NUMERIC(int, stored=True, sortable=True),
        text=TEXT(analyzer=_STEM_ANALYZER, stored=True, phrase=True, field_boost=3.0),
        exact=TEXT(analyzer=_EXACT_ANALYZER, phrase=True),
        context=STORED(),
        around=TEXT(analyzer=_STEM_ANALYZER, phrase=False),
        title=TEXT(analyzer=_STEM_ANALYZER, stored=True, phrase=False, field_boost=0.5),
        speaker=TEXT(analyzer=_EXACT_ANALYZER, stored=True),
        speaker_key=ID(stored=False),
        speaker_as_written=STORED(),
        attribution=ID(stored=True),
        kind=ID(stored=True),
        topics=KEYWORD(stored=True, commas=True, lowercase=True, scorable=True),
        date=NUMERIC(int, stored=False, sortable=True, signed=False),
        date_iso=STORED(),
        source=ID(stored=True),
        url=STORED(),
        path=ID(stored=True),
        start=STORED(),
        end=STORED(),
    )


def speaker_key(name: str | None) -> str:
    """The case-insensitive form a speaker filter compares against."""
    return " ".join((name or "").casefold().split())


def date_number(date: dt.date | None) -> int:
    """YYYYMMDD as an integer (0 for undated) — cheap to range-filter and sort."""
    return date.year * 10000 + date.month * 100 + date.day if date else 0


def outside_quote(context: str, text: str) -> str:
    """The paragraph without the quote: narration and attribution, not the words said again.

    A quote that runs on past its paragraph starts in it and fills the rest;
    one whose text is not found verbatim loses its words one by one instead.
    """
    text = text.strip()
    if not text:
        return context
    at = context.find(text)
    if at >= 0:
        return f"{context[:at]} {context[at + len(text) :]}".strip()
    at = context.find(text.split("\n", 1)[0][:40])
    if at >= 0:
        return context[:at].strip()
    said = {w.casefold() for w in _WORD.findall(text)}
    return " ".join(w for w in _WORD.findall(context) if w.casefold() not in said)


def quote_to_document(quote: Quote, content_hash: str = "") -> dict[str, Any]:
    """The fields Whoosh stores and indexes for one quote."""
    doc: dict[str, Any] = {
        "id": quote.id,
        "article_id": quote.article_id,
        "content_hash": content_hash,
        "position": quote.position,
        "text": quote.text,
        "exact": quote.text,
        "context": quote.context,
        "around": outside_quote(quote.context, quote.text),
        "title": quote.title or "",
        "speaker": quote.speaker or "",
        "speaker_key": speaker_key(quote.speaker),
        "speaker_as_written": quote.speaker_as_written,
        "attribution": quote.attribution,
        "kind": quote.kind,
        "topics": ",".join(quote.topics),
        "date": date_number(quote.date),
        "date_iso": quote.date.isoformat() if quote.date else None,
        "source": quote.source or "",
        "url": quote.url,
        "path": quote.path,
        "start": quote.start,
        "end": quote.end,
    }
    return doc


def document_to_quote(fields: dict[str, Any]) -> Quote:
    """Rebuild a Quote from stored fields."""
    topics = tuple(t for t in (fields.get("topics") or "").split(",") if t)
    date_iso = fields.get("date_iso")
    return Quote(
        id=fields["id"],
        article_id=fields["article_id"],
        position=fields["position"],
        text=fields["text"],
        start=fields.get("start") or 0,
        end=fields.get("end") or 0,
        speaker=fields.get("speaker") or None,
        speaker_as_written=fields.get("speaker_as_written"),
        attribution=fields.get("attribution") or "unknown",
        kind=fields.get("kind") or "direct",
        context=fields.get("context") or "",
        topics=topics,
        title=fields.get("title") or "",
        date=dt.date.fromisoformat(date_iso) if date_iso else None,
        source=fields.get("source") or None,
        url=fields.get("url"),
        path=fields.get("path") or "",
    )

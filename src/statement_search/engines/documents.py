"""Quote ⇄ stored document: the fields a quote is indexed and stored as (a Whoosh index
stores them as they are; the tantivy engine's writer takes them back to quotes), and the
engine-neutral values they are made of (`date_number`, `outside_quote`).  No engine
package is imported here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from ..models import Quote

_WORD = re.compile(r"\w+(?:[.'’]\w+)*")


def speaker_key(name: str | None) -> str:
    """The case-insensitive form a speaker filter compares against."""
    return " ".join((name or "").casefold().split())


def confidence_term(confidence: float) -> str:
    """A confidence as the index keeps it: whole percent ("93"), one term per value,
    so a minimum is a union of at most 101 terms' postings."""
    return str(max(0, min(100, round(confidence * 100))))


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
        "pairs": quote.text,
        "context": quote.context,
        "around": outside_quote(quote.context, quote.text),
        "title": quote.title or "",
        "speaker": quote.speaker or "",
        "speaker_key": speaker_key(quote.speaker),
        "speaker_as_written": quote.speaker_as_written,
        "attribution": quote.attribution,
        "speaker_type": quote.speaker_type or "",
        "confidence": confidence_term(quote.confidence),
        "kind": quote.kind,
        "topics": ",".join(quote.topics),
        "date": date_number(quote.date),
        "date_iso": quote.date.isoformat() if quote.date else None,
        "source": quote.source or "",
        "url": quote.url,
        "path": quote.path,
        "start": quote.start,
        "end": quote.end,
        "line": quote.line,
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
        speaker_type=fields.get("speaker_type") or None,
        confidence=int(fields.get("confidence") or 0) / 100,
        topics=topics,
        title=fields.get("title") or "",
        date=dt.date.fromisoformat(date_iso) if date_iso else None,
        source=fields.get("source") or None,
        url=fields.get("url"),
        path=fields.get("path") or "",
        line=fields.get("line") or 0,
    )


def stored_quote(quote: Quote) -> Quote:
    """The quote as its stored document gives it back, `document_to_quote(quote_to_document(
    quote))` without the document: a confidence in whole percent, empty values as their
    defaults, topics split as the stored field splits them."""
    topics = quote.topics
    if any("," in topic or not topic for topic in topics):
        topics = tuple(t for t in ",".join(topics).split(",") if t)
    return Quote(
        id=quote.id,
        article_id=quote.article_id,
        position=quote.position,
        text=quote.text,
        start=quote.start or 0,
        end=quote.end or 0,
        speaker=quote.speaker or None,
        speaker_as_written=quote.speaker_as_written,
        attribution=quote.attribution or "unknown",
        kind=quote.kind or "direct",
        context=quote.context or "",
        speaker_type=quote.speaker_type or None,
        confidence=int(confidence_term(quote.confidence)) / 100,
        topics=tuple(topics),
        title=quote.title or "",
        date=quote.date,
        source=quote.source or None,
        url=quote.url,
        path=quote.path or "",
        line=quote.line or 0,
    )


def quote_documents(quotes: Iterable[Quote], content_hash: str) -> list[dict[str, Any]]:
    """An article's quotes as stored documents (`quote_to_document` each): what the
    preparing workers make for a writer that takes documents (ingest/syncing.py)."""
    return [quote_to_document(quote, content_hash) for quote in quotes]

"""Turn hits into text for people (ANSI or markers) and records for programs."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..models import Highlight, Hit
from .output import clean_for_terminal

BOLD = "\x1b[1m"
RESET = "\x1b[0m"
MARK_OPEN = "**"
MARK_CLOSE = "**"


def mark(fragment: Highlight, style: str) -> str:
    """A fragment with its matches in bold ("ansi"), **starred** ("markers") or plain."""
    if style == "plain":
        return clean_for_terminal(fragment.text)
    opening, closing = (BOLD, RESET) if style == "ansi" else (MARK_OPEN, MARK_CLOSE)
    out: list[str] = []
    pos = 0
    for start, end in fragment.matches:
        out.append(clean_for_terminal(fragment.text[pos:start]))
        out.append(opening + clean_for_terminal(fragment.text[start:end]) + closing)
        pos = end
    out.append(clean_for_terminal(fragment.text[pos:]))
    return "".join(out)


def hit_to_text(rank: int, hit: Hit, style: str) -> str:
    """A few lines per hit: who, where, the highlighted passage, the id."""
    quote = hit.quote
    speaker = clean_for_terminal(quote.speaker or "unknown speaker")
    where = clean_for_terminal(quote.title or quote.path)
    date = quote.date.isoformat() if quote.date else "undated"
    passage = " … ".join(mark(fragment, style) for fragment in hit.highlights)
    if hit.highlights and not hit.quote.text.startswith(hit.highlights[0].text):
        passage = "… " + passage
    lines = [
        f"{rank}. {speaker} — {where} ({date})",
        f"   “{passage}”",
        f"   id {quote.id}  score {hit.score:.2f}"
        + (f"  source {clean_for_terminal(quote.source)}" if quote.source else ""),
    ]
    return "\n".join(lines)


def hit_to_record(hit: Hit) -> dict[str, Any]:
    """Every quote field plus score and highlights, ready for JSON."""
    record = dataclasses.asdict(hit.quote)
    record["quote"] = record.pop("text")
    record["score"] = round(hit.score, 4)
    record["highlights"] = [
        {"text": h.text, "matches": [list(span) for span in h.matches]} for h in hit.highlights
    ]
    return record

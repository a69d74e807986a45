"""Turn hits, quotes and facet counts into text for people and records for programs.

Contract of the machine formats (`search`, `similar`):
- `json`: a list of hit objects; `jsonl`: one hit object per line; `csv`: a
  header row of the same field names, then one row per hit (`topics` joined
  with "; ", `highlights` as a JSON string).
- A hit object is every quote field (the text under `quote`), `score` and
  `highlights: [{"text", "matches": [[start, end], ...]}]`; dates ISO.
- Did-you-mean never changes stdout's shape: it goes to stderr, as a line of
  text, or for machine formats as one JSON object `{"suggestion": ..., "speakers": [...]}`.
- `search --facets --format json` is the one opt-in exception: an object
  `{"hits": [...], "facets": {"speakers"|"topics"|"years": [...]}, "suggestion": ...}`.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
from typing import TYPE_CHECKING, Any

import click

from ..models import Highlight, Hit, Quote
from .output import clean_for_terminal, dumps, use_color

if TYPE_CHECKING:
    from ..facets import FacetCount
    from ..suggest import Suggestion

BOLD = "\x1b[1m"
RESET = "\x1b[0m"
MARK_OPEN = "**"
MARK_CLOSE = "**"
FACET_KEYS = {"speakers": "speaker", "topics": "topic", "years": "year"}


def output_style() -> str:
    """'plain' with NO_COLOR, 'ansi' on a terminal, else visible 'markers'."""
    if os.environ.get("NO_COLOR"):
        return "plain"
    return "ansi" if use_color() else "markers"


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


# Below this a speaker is shown as uncertain: "Vladimir Putin (?)".
UNSURE_BELOW = 0.7


def speaker_label(quote: Quote) -> str:
    """The speaker for display, marked "(?)" when the attribution is unsure."""
    if not quote.speaker:
        return "unknown speaker"
    return quote.speaker + (" (?)" if quote.confidence < UNSURE_BELOW else "")


def quote_heading(quote: Quote) -> str:
    """'Speaker — Title (date) · source', cleaned for the terminal."""
    speaker = speaker_label(quote)
    where = quote.title or quote.path
    date = quote.date.isoformat() if quote.date else "undated"
    source = f" · {quote.source}" if quote.source else ""
    return clean_for_terminal(f"{speaker} — {where} ({date}){source}")


def hit_to_text(rank: int, hit: Hit, style: str) -> str:
    """A few lines per hit: who, where, the highlighted passage, score and id."""
    passage = " … ".join(mark(fragment, style) for fragment in hit.highlights)
    if hit.highlights and not hit.quote.text.startswith(hit.highlights[0].text):
        passage = "… " + passage
    if hit.highlights and not hit.quote.text.endswith(hit.highlights[-1].text):
        passage += " …"
    return "\n".join(
        [
            f"{rank}. {quote_heading(hit.quote)}",
            f"   “{passage}”",
            f"   id {clean_for_terminal(hit.quote.id)}  score {hit.score:.2f}"
            + (
                f"  topics: {clean_for_terminal(', '.join(hit.quote.topics))}"
                if hit.quote.topics
                else ""
            ),
        ]
    )


def quote_in_article(quote: Quote, neighbours: list[Quote]) -> str:
    """The quote, its paragraph, the quotes around it and where it comes from."""
    lines = [quote_heading(quote), f"“{quote.text}”", "", "paragraph:", f"  {quote.context}"]
    for label, group in (
        ("before", [q for q in neighbours if q.position < quote.position]),
        ("after", [q for q in neighbours if q.position > quote.position]),
    ):
        if group:
            lines += ["", f"{label}:"]
            lines += [f"  [{q.id}] {speaker_label(q)}: “{q.text}”" for q in group]
    where = " ".join(p for p in (quote.url, f"{quote.path}:{quote.start}-{quote.end}") if p)
    lines += [
        "",
        f"source: {where}  (named as: {quote.speaker_as_written or '?'}, {quote.attribution},"
        f" confidence {quote.confidence:.2f})",
    ]
    return clean_for_terminal("\n".join(lines))


def quote_to_record(quote: Quote) -> dict[str, Any]:
    fields = dataclasses.asdict(quote)
    record = {"id": fields.pop("id"), "quote": fields.pop("text"), **fields}
    record["date"] = quote.date.isoformat() if quote.date else None
    record["topics"] = list(quote.topics)
    return record


def hit_to_record(hit: Hit) -> dict[str, Any]:
    """Every quote field plus score and highlights, ready for JSON."""
    record = quote_to_record(hit.quote)
    record["score"] = round(hit.score, 4)
    record["highlights"] = [
        {"text": h.text, "matches": [list(span) for span in h.matches]} for h in hit.highlights
    ]
    return record


def records_to_csv(records: list[dict[str, Any]]) -> str:
    """Header row of the record's field names, then one row per record."""
    if not records:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    for record in records:
        row = dict(record)
        if isinstance(row.get("topics"), list):
            row["topics"] = "; ".join(row["topics"])
        if "highlights" in row:
            row["highlights"] = dumps(row["highlights"])
        writer.writerow(row)
    return buffer.getvalue().rstrip("\n")


def facet_records(kind: str, counts: list[FacetCount]) -> list[dict[str, Any]]:
    key = FACET_KEYS[kind]
    return [{key: c.name, "count": c.count} for c in counts]


def emit_records(records: list[dict[str, Any]], output_format: str) -> None:
    """Print records as json (a list), jsonl (a line each) or csv."""
    if output_format == "json":
        click.echo(dumps(records, indent=2))
    elif output_format == "jsonl":
        for record in records:
            click.echo(dumps(record))
    elif records:
        click.echo(records_to_csv(records))


def emit_facets_text(facets: dict[str, list[FacetCount]]) -> None:
    for kind, counts in facets.items():
        shown = ", ".join(f"{c.name} ({c.count})" for c in counts[:10]) or "none"
        click.echo(clean_for_terminal(f"{kind}: {shown}"))


def emit_hits(
    hits: list[Hit],
    output_format: str,
    offset: int = 0,
    facets: dict[str, list[FacetCount]] | None = None,
    suggestion: Suggestion | None = None,
) -> None:
    """Print hits (and facets, did-you-mean) in the chosen format; see the module contract."""
    records = [hit_to_record(hit) for hit in hits] if output_format != "text" else []
    if output_format == "json" and facets is not None:
        envelope = {
            "hits": records,
            "facets": {kind: facet_records(kind, counts) for kind, counts in facets.items()},
            "suggestion": str(suggestion) if suggestion else None,
        }
        click.echo(dumps(envelope, indent=2))
        return
    if output_format != "text":
        emit_records(records, output_format)
    else:
        style = output_style()
        for rank, hit in enumerate(hits, start=offset + 1):
            click.echo(hit_to_text(rank, hit, style))
        if facets is not None:
            emit_facets_text(facets)
    if not hits:
        click.echo("statement-search: no quotes match", err=True)
    if suggestion:
        if output_format == "text":
            click.echo(clean_for_terminal(f"did you mean: {suggestion}"), err=True)
        else:
            click.echo(
                dumps({"suggestion": suggestion.query, "speakers": list(suggestion.speakers)}),
                err=True,
            )

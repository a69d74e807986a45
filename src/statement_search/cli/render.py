"""Turn hits, quotes and facet counts into text for people and records for programs.

Contract of the machine formats (`search`, `similar`):
- `search --format json`: an object `{"total", "offset", "limit", "hits": [...]}` (`total`
  counts every matching quote, copies included); `similar --format json`: a list of hit
  objects; `jsonl`: one hit object per line; `csv`: a header row of the same field names,
  then one row per hit (`topics` joined with "; ", `highlights` and `also_in` as JSON strings).
- A hit object is every quote field (the text under `quote`), `score`,
  `highlights: [{"text", "matches": [[start, end], ...]}]` and `also_in`: the other
  sources of the same words by the same speaker, earliest first
  (`[{"id", "source", "date", "url", "title"}]`, empty with `--no-collapse`); dates ISO.
- Did-you-mean never changes stdout's shape: it goes to stderr, as a line of
  text, or for machine formats as one JSON object `{"suggestion": ..., "speakers": [...]}`.
- `search --facets --format json` adds `"facets": {"speakers"|"topics"|"years": [...]}` and
  `"suggestion"` to that object.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
from typing import TYPE_CHECKING, Any

import click

from ..models import Highlight, Hit, Quote
from .output import CliError, clean_for_terminal, dumps, use_color

if TYPE_CHECKING:
    from ..search.facets import FacetCount
    from ..search.paging import Page
    from ..search.suggest import Suggestion

BOLD = "\x1b[1m"
RESET = "\x1b[0m"
MARK_OPEN = "**"
MARK_CLOSE = "**"
FACET_KEYS = {"speakers": "speaker", "topics": "topic", "years": "year", "sources": "source"}


# `statement-search --color auto|always|never`, set by the command group.
COLOR_CHOICES = ("auto", "always", "never")
color_choice = "auto"


def output_style() -> str:
    """How matches are marked: bold ('ansi'), **starred** ('markers') or not ('plain').

    `--color always` is bold and `never` plain; `auto` is plain with NO_COLOR,
    bold with FORCE_COLOR or on a terminal, else starred (visible in a pipe).
    """
    if color_choice == "always":
        return "ansi"
    if color_choice == "never" or os.environ.get("NO_COLOR"):
        return "plain"
    if os.environ.get("FORCE_COLOR", "0") not in ("", "0"):
        return "ansi"
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
    also = [f"   {also_in_text(hit.also)}"] if hit.also else []
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
            *also,
        ]
    )


def also_in_text(copies: list[Quote]) -> str:
    """'also in 3 sources: kremlin.ru (2024-03-02), …', earliest first."""
    named = [
        f"{q.source or q.title or q.path} ({q.date.isoformat() if q.date else 'undated'})"
        for q in copies
    ]
    count = len(copies)
    return clean_for_terminal(
        f"also in {count} source{'s' if count > 1 else ''}: {', '.join(named)}"
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
    record["also_in"] = [
        {
            "id": q.id,
            "source": q.source,
            "date": q.date.isoformat() if q.date else None,
            "url": q.url,
            "title": q.title,
        }
        for q in hit.also
    ]
    return record


# Fields a record may have beside the quote's own (`text` is printed as `quote`).
_RECORD_EXTRAS = ("quote", "score", "highlights", "also_in", "file")


def field_names(fields: str | None) -> list[str] | None:
    """`--fields id,quote,speaker` → the names, checked; None for every field."""
    if fields is None:
        return None
    names = [name.strip() for name in fields.split(",") if name.strip()]
    known = [f.name for f in dataclasses.fields(Quote) if f.name != "text"] + list(_RECORD_EXTRAS)
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise CliError(
            f"--fields: unknown {', '.join(unknown) or 'nothing'}; known: {', '.join(known)}"
        )
    return names


def pick_fields(records: list[dict[str, Any]], names: list[str] | None) -> list[dict[str, Any]]:
    """The records with only the fields named (in that order), or as they are."""
    if names is None:
        return records
    return [{name: record.get(name) for name in names} for record in records]


def records_to_csv(records: list[dict[str, Any]]) -> str:
    """Header row of the record's field names, then one row per record."""
    if not records:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    for record in records:
        row = dict(record)
        if isinstance(row.get("topics"), (list, tuple)):
            row["topics"] = "; ".join(row["topics"])
        for key in ("highlights", "also_in"):
            if key in row:
                row[key] = dumps(row[key])
        # Spreadsheets and terminals alike show CSV as text: controls stripped.
        writer.writerow(
            {k: clean_for_terminal(v) if isinstance(v, str) else v for k, v in row.items()}
        )
    return buffer.getvalue().rstrip("\n")


def facet_records(kind: str, counts: list[FacetCount]) -> list[dict[str, Any]]:
    key = FACET_KEYS[kind]
    return [{key: c.name, "count": c.count} for c in counts]


def hits_as(hits: list[Hit], output_format: str) -> str:
    """Hits as one block of json, jsonl or csv (the shell's `:format`)."""
    records = [hit_to_record(hit) for hit in hits]
    if output_format == "json":
        return dumps(records, indent=2)
    if output_format == "jsonl":
        return "\n".join(dumps(record) for record in records)
    return records_to_csv(records)


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
    page: Page | None = None,
    fields: list[str] | None = None,
) -> None:
    """Print hits (and facets, did-you-mean, the page's place in the total); see the contract."""
    records = [hit_to_record(hit) for hit in hits] if output_format != "text" else []
    records = pick_fields(records, fields)
    if output_format == "json" and (facets is not None or page is not None):
        envelope: dict[str, Any] = {}
        if page is not None:
            envelope.update(total=page.total, offset=page.offset, limit=page.limit)
        envelope["hits"] = records
        if facets is not None:
            envelope["facets"] = {kind: facet_records(kind, c) for kind, c in facets.items()}
            envelope["suggestion"] = str(suggestion) if suggestion else None
        click.echo(dumps(envelope, indent=2))
    elif output_format != "text":
        emit_records(records, output_format)
    else:
        style = output_style()
        for rank, hit in enumerate(hits, start=offset + 1):
            click.echo(hit_to_text(rank, hit, style), color=style == "ansi")
        if page is not None and hits:
            click.echo(f"{offset + 1:,}–{offset + len(hits):,} of {page.total:,}")
        if facets is not None:
            emit_facets_text(facets)
    if page is not None and page.past_the_end and page.limit:
        number = page.offset // page.limit + 1
        matches = f"{page.total:,} quote{'s' if page.total > 1 else ''} match"
        click.echo(f"statement-search: {matches}; page {number:,} is past the end", err=True)
    elif not hits:
        click.echo("statement-search: no quotes match", err=True)
    if suggestion:
        if output_format == "text":
            click.echo(clean_for_terminal(f"did you mean: {suggestion}"), err=True)
        elif facets is None or output_format != "json":
            click.echo(
                dumps({"suggestion": suggestion.query, "speakers": list(suggestion.speakers)}),
                err=True,
            )

"""A `Verification` as text for people and as a JSON record for programs.

JSON contract (`verify --format json`): `{"text", "verdict", "changes": [str],
"speaker", "said_by", "said_by_others", "utterances": [{"text", "level",
"speakers", "disputed", "earliest": source, "sources": [source]}]}`, where a
source is `{"id", "speaker", "title", "source", "date", "url", "path",
"level", "similarity", "matched", "changes": [str], "diff": [{"op", "text"}]}`,
sources earliest first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..search.citations import citation_bibtex, citation_csl, citation_text
from ..search.wording import render_diff
from .output import clean_for_terminal, dumps

if TYPE_CHECKING:
    from ..engines.whoosh.verify import Utterance, Verification, Version
    from ..models import Quote

# How many sources of one utterance the text output lists.
SHOWN_SOURCES = 5


def version_record(version: Version) -> dict[str, Any]:
    quote = version.quote
    return {
        "id": quote.id,
        "speaker": quote.speaker,
        "title": quote.title,
        "source": quote.source,
        "date": quote.date.isoformat() if quote.date else None,
        "url": quote.url,
        "path": quote.path,
        "level": version.level,
        "similarity": version.similarity,
        "matched": version.matched,
        "changes": [str(c) for c in version.changes],
        "diff": [{"op": part.op, "text": part.text} for part in version.diff],
    }


def verification_record(result: Verification) -> dict[str, Any]:
    """The whole answer as plain JSON-ready values; see the module contract."""
    return {
        "text": result.text,
        "verdict": result.verdict,
        "changes": [str(c) for c in result.changes],
        "speaker": result.speaker,
        "said_by": result.said_by,
        "said_by_others": result.said_by_others,
        "utterances": [
            {
                "text": u.text,
                "level": u.level,
                "speakers": u.speakers,
                "disputed": u.disputed,
                "earliest": version_record(u.earliest),
                "sources": [version_record(v) for v in u.versions],
            }
            for u in result.utterances
        ],
    }


def _where(version: Version) -> str:
    quote = version.quote
    date = quote.date.isoformat() if quote.date else "undated"
    parts = [date, quote.source or "", quote.title or quote.path, quote.url or "", f"id {quote.id}"]
    return " · ".join(p for p in parts if p)


def _utterance_text(rank: int, utterance: Utterance) -> list[str]:
    count = len(utterance.versions)
    speakers = " / ".join(utterance.speakers)
    if utterance.disputed:
        speakers += " (sources disagree on the speaker)"
    lines = [
        f"{rank}. {utterance.level} · {speakers} · {count} source{'s' if count > 1 else ''}",
        f"   “{utterance.text}”",
    ]
    if utterance.level == "altered":
        lines.append(f"   diff: {render_diff(utterance.earliest.diff)}")
    lines.append(f"   earliest: {_where(utterance.earliest)}")
    for version in utterance.versions[1:SHOWN_SOURCES]:
        said_by = f" ({version.quote.speaker or 'unknown'})" if utterance.disputed else ""
        lines.append(f"   also: {_where(version)}{said_by}")
    if count > SHOWN_SOURCES:
        lines.append(f"   … and {count - SHOWN_SOURCES} more (--format json lists them all)")
    return lines


def verification_text(result: Verification) -> str:
    """The verdict, the attribution check, then each utterance with its sources."""
    verdict: str = result.verdict
    if result.changes:
        verdict += " — " + "; ".join(str(c) for c in result.changes)
    lines = [f"verdict: {verdict}"]
    if result.speaker:
        others = f" ({', '.join(result.said_by_others)})" if result.said_by_others else ""
        label = "also attributed to" if result.said_by == "yes" else ""
        answer = f"{result.said_by}{' — ' + label if label and others else ''}{others}"
        lines.append(f"said by {result.speaker}? {answer}")
    found = [u for u in result.utterances if u.level != "paraphrase"]
    close = [u for u in result.utterances if u.level == "paraphrase"]
    for rank, utterance in enumerate(found, start=1):
        lines += [""] + _utterance_text(rank, utterance)
    if close:
        lines += ["", "close in meaning (paraphrase-level):"]
        for rank, utterance in enumerate(close, start=len(found) + 1):
            lines += _utterance_text(rank, utterance)
    return clean_for_terminal("\n".join(lines))


def citation_as(quote: Quote, style: str) -> str:
    """A quote's citation as text, CSL-JSON or BibTeX (`show --cite`, the shell's `:cite`)."""
    if style == "csl-json":
        return dumps([citation_csl(quote)], indent=2)
    if style == "bibtex":
        return clean_for_terminal(citation_bibtex(quote))
    return clean_for_terminal(citation_text(quote))

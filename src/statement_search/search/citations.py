"""Citations of a quote: one line for people, CSL-JSON and BibTeX for reference managers.

A citation names who said it, where (title, source, URL, file and line) and
when, and carries the quote's stable id so it can be looked up again with
`show` after the article is edited, moved or the index rebuilt.
"""

from __future__ import annotations

import re
from typing import Any

from ..models import Quote

CITE_FORMATS = ("text", "csl-json", "bibtex")
# BibTeX's special characters, each with the form that prints it.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL = re.compile(r"[\\{}&%$#_~^]")


def _where(quote: Quote) -> str:
    return f"{quote.path}, line {quote.line}" if quote.line else quote.path


def citation_text(quote: Quote) -> str:
    """'Speaker, quoted in “Title”, Source, 2024-03-02, URL (file, line N); id …'."""
    speaker = quote.speaker or "Unknown speaker"
    parts = [f"{speaker}, quoted in “{quote.title or quote.path}”"]
    parts += [p for p in (quote.source, quote.date.isoformat() if quote.date else "n.d.") if p]
    if quote.url:
        parts.append(quote.url)
    return f"{', '.join(parts)} ({_where(quote)}); quote id {quote.id}"


def citation_csl(quote: Quote) -> dict[str, Any]:
    """The quote's article as a CSL-JSON item, the quotation and its speaker in `note`."""
    item: dict[str, Any] = {
        "id": quote.id,
        "type": "article-newspaper" if quote.source else "document",
        "title": quote.title or quote.path,
    }
    if quote.source:
        item["container-title"] = quote.source
    if quote.date:
        item["issued"] = {"date-parts": [[quote.date.year, quote.date.month, quote.date.day]]}
    if quote.url:
        item["URL"] = quote.url
    item["note"] = f"{quote.speaker or 'Unknown speaker'}: “{quote.text}” ({_where(quote)})"
    return item


def _bibtex(value: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES[m.group()], " ".join(value.split()))


def citation_bibtex(quote: Quote) -> str:
    """A BibTeX `@misc` entry keyed by the quote id, the quotation in `note`."""
    fields: list[tuple[str, str]] = [("title", _bibtex(quote.title or quote.path))]
    if quote.source:
        fields.append(("organization", _bibtex(quote.source)))
    if quote.date:
        fields += [("year", str(quote.date.year)), ("date", quote.date.isoformat())]
    if quote.url:
        fields.append(("howpublished", "\\url{" + _bibtex(quote.url) + "}"))
    speaker = _bibtex(quote.speaker or "Unknown speaker")
    fields.append(("note", f"{speaker}: ``{_bibtex(quote.text)}'' ({_bibtex(_where(quote))})"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{quote.id},\n{body}\n}}"

"""Plain-text reader: first line is the title, blank lines separate paragraphs."""

from __future__ import annotations

import re

from ..models import Article, article_id_for
from .sniff import find_date, guess_language

# A date "stated near the top": the dateline or the first lines of the body,
# not a date mentioned somewhere in the story.
_DATE_WINDOW = 400

_BLANK_LINES = re.compile(r"\n[^\S\n]*\n")  # no-break spaces count as blank too


def split_paragraphs(text: str, start: int = 0) -> tuple[list[str], list[int]]:
    """Paragraphs of `text[start:]` separated by blank lines, with their offsets.

    Single line breaks stay inside a paragraph; surrounding whitespace is
    trimmed but every paragraph remains an exact slice of `text`.
    """
    paragraphs: list[str] = []
    offsets: list[int] = []
    pos = start
    for match in [*_BLANK_LINES.finditer(text, start), None]:
        end = match.start() if match else len(text)
        chunk = text[pos:end]
        stripped = chunk.strip()
        if stripped:
            offsets.append(pos + chunk.index(stripped[0]))
            paragraphs.append(stripped)
        if match:
            pos = match.end()
    return paragraphs, offsets


def join_paragraphs(paragraphs: list[str]) -> tuple[str, list[int]]:
    """Text of paragraphs joined by blank lines, with each paragraph's offset."""
    offsets: list[int] = []
    pos = 0
    for para in paragraphs:
        offsets.append(pos)
        pos += len(para) + 2
    return "\n\n".join(paragraphs), offsets


def parse_text(text: str, path: str) -> Article:
    """Build an Article from decoded plain text."""
    first_break = text.find("\n")
    title_line = text if first_break < 0 else text[:first_break]
    title = title_line.strip()
    paragraphs, offsets = split_paragraphs(text)
    body_offset = len(title_line) if first_break >= 0 else len(text)
    return Article(
        id=article_id_for(path, text),
        path=path,
        title=title,
        text=text,
        paragraphs=paragraphs,
        paragraph_offsets=offsets,
        body_offset=body_offset,
        date=find_date(text[:_DATE_WINDOW]),
        language=guess_language(text),
    )

"""Plain-text reader: first line is the title, blank lines separate paragraphs.

Markdown's YAML front matter (`---` … `---`) gives the title, date and URL
and is not body text.  A first line that is a transcript's speaker label
("GARCIA:", "Marek Halas: Mr Varga," going on in the next line) is the
first turn, not a title.
"""

from __future__ import annotations

import re

from ..extraction.transcript_labels import label_of
from ..models import Article, article_id_for
from .sniff import find_date, guess_language, parse_date

# A date "stated near the top": the dateline or the first lines of the body,
# not a date mentioned somewhere in the story.
_DATE_WINDOW = 400

_BLANK_LINES = re.compile(r"\n[^\S\n]*\n")  # no-break spaces count as blank too
# "---\ntitle: …\n---": only the first few KB are looked at.
_FRONT_MATTER = re.compile(
    r"\A\ufeff?---[^\S\n]*\n(?P<yaml>.{0,4000}?)\n(?:---|\.\.\.)[^\S\n]*(?:\n|\Z)", re.S
)
_LOOK_AHEAD = 4000  # where a transcript's second label would be
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_YAML_SCALAR = re.compile(r"^(?P<key>[A-Za-z_][\w-]*):[^\S\n]*(?P<value>\S.*?)[^\S\n]*$", re.M)


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


def line_paragraphs(text: str) -> list[str]:
    """Paragraphs of preformatted text (an HTML `<pre>`): each line's spacing
    collapsed, line breaks kept, blank lines between paragraphs."""
    found = []
    for chunk in split_paragraphs(text)[0]:
        lines = (" ".join(line.split()) for line in chunk.split("\n"))
        found.append("\n".join(line for line in lines if line))
    return found


def join_paragraphs(paragraphs: list[str]) -> tuple[str, list[int]]:
    """Text of paragraphs joined by blank lines, with each paragraph's offset."""
    offsets: list[int] = []
    pos = 0
    for para in paragraphs:
        offsets.append(pos)
        pos += len(para) + 2
    return "\n\n".join(paragraphs), offsets


def front_matter(text: str) -> tuple[dict[str, str], int]:
    """The scalar `key: value` fields of a YAML front matter, and where the body starts.

    Only plain scalars are read (title, date, url, source): nested YAML is
    skipped, and no YAML library is needed for that."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    fields: dict[str, str] = {}
    for item in _YAML_SCALAR.finditer(match.group("yaml")):
        value = item.group("value")
        if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) >= 2:
            value = value[1:-1]
        elif value[:1] in "[{|>&*!":
            continue  # not a plain scalar
        fields.setdefault(item.group("key").casefold(), value.strip())
    return fields, match.end()


def _opens_with_turn(first_line: str, after: str) -> bool:
    """A first line that is a speaker's label: on its own ("GARCIA:"), opening a turn
    that goes on in the next line (titles are followed by a blank line), or a full
    sentence answered by another label in the lines below ("GUTHRIE: Good evening, I'm
    Savannah Guthrie." — a headline like "Lukashenko: No intention to resign" is none)."""
    label = label_of(first_line.strip())
    if label is None:
        return False
    own_line = not first_line[label.speech :].strip()
    if own_line or after[:1].strip():
        return True
    lines = after[:_LOOK_AHEAD].splitlines()[:40]
    return not label.weak and any(label_of(line.strip()) for line in lines if line.strip())


def parse_text(text: str, path: str) -> Article:
    """Build an Article from decoded plain text."""
    fields, start = front_matter(text)
    first_break = text.find("\n", start)
    title_line = text[start:] if first_break < 0 else text[start:first_break]
    title = _MD_HEADING.sub("", title_line.strip())  # "# Remarks by …"
    body_offset = start + len(title_line) if first_break >= 0 else len(text)
    if fields.get("title"):
        title, body_offset = fields["title"], start
    elif _opens_with_turn(title_line, text[first_break + 1 :] if first_break >= 0 else ""):
        title, body_offset = "", start
    paragraphs, offsets = split_paragraphs(text, start)
    date = parse_date(fields["date"]) if fields.get("date") else None
    return Article(
        id=article_id_for(path, text),
        path=path,
        title=title,
        text=text,
        paragraphs=paragraphs,
        paragraph_offsets=offsets,
        body_offset=body_offset,
        date=date or find_date(text[start : start + _DATE_WINDOW]),
        url=fields.get("url") or fields.get("link") or None,
        source=fields.get("source") or None,
        language=guess_language(text),
    )

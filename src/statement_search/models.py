"""The data that flows between stages: files → Article → Quote → Hit.

Plain dataclasses only: no Whoosh or click types cross a module boundary, so
`--format json` is `dataclasses.asdict` and scripts can build these by hand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

Attribution = Literal["name", "role", "pronoun", "continuation", "label", "unknown"]
# "question": a reporter's question in a transcript (#18), left out of `similar` and `verify`.
QuoteKind = Literal["direct", "transcript", "mixed", "question"]
SpeakerType = Literal["person", "organisation"]


def article_id_for(path: str, content: str) -> str:
    """Stable id: the same file with the same content always gets the same id."""
    digest = hashlib.sha1(f"{path}\0{content}".encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:16]


_WORDS = re.compile(r"\w+")


def article_identity(url: str | None, title: str, date: dt.date | None, path: str) -> str:
    """What names an article whatever file holds it: its URL, else title and date, else file name.

    The URL without scheme, `www.`, fragment or trailing slash; the title
    with its words only, cased any way; the file name without its folders
    (so a moved file keeps it) and in any case.
    """
    if url and url.strip():
        bare = url.strip().split("#", 1)[0].split("://", 1)[-1].rstrip("/")
        host, _, rest = bare.partition("/")
        return "url:" + host.casefold().removeprefix("www.") + "/" + rest
    words = " ".join(_WORDS.findall(title.casefold()))
    if words:
        return f"title:{words}|{date.isoformat() if date else ''}"
    return "file:" + os.path.basename(path.replace("\\", "/")).casefold()


def quote_id_for(identity: str, text: str, occurrence: int = 0) -> str:
    """Stable id: the article's identity and the quote's own words (case and marks aside).

    Edits elsewhere in the article, moving or re-reading its file and
    rebuilding the index leave it unchanged; `occurrence` tells apart the
    same words quoted twice in one article (0 for the first).
    """
    words = " ".join(_WORDS.findall(text.casefold()))
    digest = hashlib.sha1(f"{identity}\0{words}\0{occurrence}".encode()).hexdigest()
    return digest[:16]


def content_hash(content: str) -> str:
    """Hash of the text alone, used to spot one article stored under two paths."""
    return hashlib.sha1(content.encode()).hexdigest()


@dataclass
class Article:
    """One article as a reader saw it.

    `text` is everything the extractor works on, as read (for plain text: the
    whole file, title line included, so offsets match the file).  Each
    paragraph is a slice of it: `text[paragraph_offsets[i]:][:len(paragraphs[i])]
    == paragraphs[i]`.  `body_offset` is where the body starts after the title.
    """

    id: str
    path: str
    title: str
    text: str
    paragraphs: list[str]
    paragraph_offsets: list[int]
    body_offset: int = 0
    date: dt.date | None = None
    url: str | None = None
    source: str | None = None
    language: str | None = None
    # Pre-attributed transcript turns from structured input (JSON `turns`),
    # as (speaker, paragraph index) pairs; empty for ordinary articles.
    turn_speakers: dict[int, str | None] = field(default_factory=dict)

    @property
    def body(self) -> str:
        """The main text without the title line."""
        return self.text[self.body_offset :].strip("\n")


@dataclass
class Quote:
    """One quote-level document: the words spoken, who spoke them, and where."""

    id: str  # stable across edits elsewhere, moves and rebuilds (`quote_id_for`)
    article_id: str
    position: int
    text: str
    start: int
    end: int
    speaker: str | None
    speaker_as_written: str | None
    attribution: Attribution
    kind: QuoteKind
    context: str
    # "person" or "organisation" ("the Kremlin said"); None when speaker is None.
    speaker_type: SpeakerType | None = None
    # Share of right speakers among attributions made this way (0–1; 0 without a speaker).
    confidence: float = 0.0
    topics: tuple[str, ...] = ()
    title: str = ""
    date: dt.date | None = None
    source: str | None = None
    url: str | None = None
    path: str = ""
    line: int = 0  # line of `start` in the text as read (the file's line for plain text)


@dataclass
class Highlight:
    """A fragment of a quote with the character spans of matched words."""

    text: str
    matches: list[tuple[int, int]]


@dataclass
class Hit:
    """A quote found by a search, with its score and highlighted fragments."""

    quote: Quote
    score: float
    highlights: list[Highlight]
    # Other outlets' copies of the same words by the same speaker, earliest first
    # (filled when a page of hits is collapsed; `search_page`).
    also: list[Quote] = field(default_factory=list)


class Hits(list[Hit]):
    """A page of hits (a plain list), with what the search narrowed to stay bounded.

    `notices` are one-line messages ("peace~3: edit distance narrowed to 2")
    the CLI prints on stderr; empty when the query ran as written.
    """

    def __init__(self, hits: Iterable[Hit] = (), notices: Iterable[str] = ()) -> None:
        super().__init__(hits)
        self.notices: tuple[str, ...] = tuple(notices)


def quote_to_json(quote: Quote) -> dict[str, Any]:
    """A quote's every field as JSON values (dates ISO, tuples lists), whatever fields
    `Quote` has grown: what engines store and exports write."""
    data = {}
    kind = type(quote)
    names = _FIELD_ORDER.get(kind) or _FIELD_ORDER.setdefault(
        kind, tuple(f.name for f in dataclasses.fields(kind))
    )
    for key in names:  # `asdict` without its deep copy: values are flat
        value = getattr(quote, key)
        if value is None or type(value) in _JSON_SCALARS or isinstance(value, (str, int, float)):
            pass
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        else:  # a nested value: as `asdict` gives it
            value = dataclasses.asdict(quote)[key]
        data[key] = value
    return data


_FIELD_ORDER: dict[type, tuple[str, ...]] = {}  # a Quote class → its field names
_JSON_SCALARS = frozenset({str, int, float})  # kept as they are (and their subclasses)


def json_to_quote(data: dict[str, Any]) -> Quote:
    """The inverse of `quote_to_json`; keys `Quote` does not know are dropped.  JSON
    holding every `Quote` field (all a stored quote holds) sets them as `Quote.__init__`
    would (it only assigns them) without its keyword call, half the cost of decoding."""
    values = dict(data)
    values.pop("content_hash", None)  # what engines store beside a quote's fields
    if values.keys() != _QUOTE_FIELDS:
        if not values.keys() <= _QUOTE_FIELDS:
            for key in values.keys() - _QUOTE_FIELDS:
                del values[key]
        _json_values(values)
        return Quote(**values)  # defaults for fields the JSON lacks
    _json_values(values)
    quote = _new_quote(Quote)
    quote.__dict__.update(values)
    return quote


def _json_values(values: dict[str, Any]) -> None:
    """A quote's JSON values as its fields hold them: the date a `date`, lists tuples."""
    date = values.get("date")
    if date:
        values["date"] = _iso_date(date)
    for key in _TUPLE_FIELDS:
        value = values.get(key)
        if isinstance(value, list):
            values[key] = tuple(value)


_QUOTE_FIELDS = frozenset(f.name for f in dataclasses.fields(Quote))
# The `Quote` fields holding tuples (lists in JSON).
_TUPLE_FIELDS = tuple(f.name for f in dataclasses.fields(Quote) if str(f.type).startswith("tuple"))
# `Quote.__init__` only assigns its fields (no `__post_init__`, no slots): the fast path holds.
assert not hasattr(Quote, "__post_init__") and not hasattr(Quote, "__slots__")
_new_quote = object.__new__
_iso_date = dt.date.fromisoformat

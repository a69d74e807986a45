"""The data that flows between stages: files → Article → Quote → Hit.

Plain dataclasses only: no Whoosh or click types cross a module boundary, so
`--format json` is `dataclasses.asdict` and scripts can build these by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Literal

Attribution = Literal["name", "role", "pronoun", "continuation", "label", "unknown"]
QuoteKind = Literal["direct", "transcript", "mixed"]
SpeakerType = Literal["person", "organisation"]


def article_id_for(path: str, content: str) -> str:
    """Stable id: the same file with the same content always gets the same id."""
    digest = hashlib.sha1(f"{path}\0{content}".encode()).hexdigest()
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

    id: str
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

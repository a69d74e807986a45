"""Highlights, engine-neutral: a quote's text and the spans a query matched → fragments.

Each engine finds the spans with its own analysers (engines/whoosh/highlight.py,
engines/tantivy/query.py); fragments widen to sentence starts so a reader gets
the sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Highlight

FRAGMENT_CHARS = 320
MAX_FRAGMENTS = 3
# How far back a fragment may reach for the start of its sentence.
SENTENCE_REACH = 120
STEMMED_FIELDS = ("text", "around", "title")


@dataclass
class MatchTerms:
    """What to mark: stemmed terms, and verbatim word runs from phrases."""

    stemmed: set[str] = field(default_factory=set)
    phrases: list[tuple[str, ...]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.stemmed or self.phrases)


def fragments(text: str, spans: list[tuple[int, int]]) -> list[Highlight]:
    """`text` cut into fragments around the match `spans` (engine-neutral: any engine
    that finds its spans gets the same fragments)."""
    spans = _drop_nested(sorted(set(spans)))
    if len(text) <= FRAGMENT_CHARS or not spans:
        end = len(text) if len(text) <= FRAGMENT_CHARS else _word_end(text, FRAGMENT_CHARS)
        return [Highlight(text=text[:end], matches=[s for s in spans if s[1] <= end])]
    found: list[Highlight] = []
    window: list[tuple[int, int]] = []
    window_start = window_end = 0
    for start, end in spans:
        if window and end <= window_end:
            window.append((start, end))
            continue
        if window:
            found.append(_fragment(text, window_start, window_end, window))
        window_start = _sentence_start(text, start, floor=window_end)
        window_end = max(_word_end(text, window_start + FRAGMENT_CHARS), end)
        window = [(start, end)]
    found.append(_fragment(text, window_start, window_end, window))
    return found[:MAX_FRAGMENTS]


def _drop_nested(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping marks merge, so markup never nests."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _sentence_start(text: str, pos: int, floor: int) -> int:
    """Start of the sentence holding `pos` if close enough, else a word start."""
    reach = max(floor, pos - SENTENCE_REACH)
    for i in range(pos - 1, reach - 1, -1):
        if i >= 1 and text[i - 1] in ".!?;" and text[i].isspace():
            return i + 1
    if reach == 0:
        return 0
    return _word_start(text, max(floor, pos - SENTENCE_REACH // 2))


def _word_start(text: str, pos: int) -> int:
    while 0 < pos < len(text) and not text[pos - 1].isspace():
        pos -= 1
    return pos


def _word_end(text: str, pos: int) -> int:
    pos = min(pos, len(text))
    while pos < len(text) and not text[pos].isspace():
        pos += 1
    return pos


def _fragment(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> Highlight:
    return Highlight(text=text[start:end], matches=[(s - start, e - start) for s, e in spans])

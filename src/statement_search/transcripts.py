"""Transcript turns (extraction stage): units → speaker-labelled paragraphs.

Input: the article's units; output: `Turn`s, one per paragraph of a turn,
carrying the label as written ("THE PRESIDENT", "MS. PSAKI", "Q",
"Question", "President of Russia Vladimir Putin").  Labels stand inline
("Sergey Lavrov: …", "Q    …", "Name: (00:07) …") or on their own line.
Stage directions ("(Laughter.)") alone in a unit are not speech; a time
stamp line ("1:09 P.M. EST") ends a turn.  Headlines of a news feed
("Lukashenko: No intention to …") are not turns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .quotes import Unit

_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
_NAME_WORD = rf"(?:[{_UPPER}][\w'’\-]*\.?|(?:of|the|de|von|van|der|da|bin|al|le|la)(?=\s))"
# "THE PRESIDENT:", "MS. PSAKI:", "SECRETARY BLINKEN:" — capitals only.
_CAPS_LABEL = rf"(?:[{_UPPER}][{_UPPER}.'’\-]*\s?){{1,5}}"
_NAME_LABEL = rf"{_NAME_WORD}(?:\s{_NAME_WORD}){{0,7}}"
_TIMESTAMP = r"(?:\s*[\(\[]\d{1,2}:\d{2}(?::\d{2})?[\)\]])?"
_RETRANSLATED = r"(?:\s*\((?:retranslated|via interpreter|through an? interpreter|in \w+)\))?"
_LABEL = re.compile(
    rf"^(?P<label>Q|A|{_CAPS_LABEL}|{_NAME_LABEL}){_RETRANSLATED}{_TIMESTAMP}\s*:"
    rf"{_TIMESTAMP}(?:\s+|$)"
)
# "Q    Thank you." — the bare Q of White House transcripts, without a colon.
_BARE_Q = re.compile(r"^(?P<label>Q)(?:\s{2,}|\t|\u00a0\s*)(?=\S)")
_STAGE = re.compile(r"^\((?:[^()]{1,40})\.?\)\.?$")
_TIME_LINE = re.compile(
    r"^(?:\d{1,2}:\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4})?|END|\[?END\]?.*)$"
)
_QUESTION_LABELS = frozenset({"q", "question", "questions", "reporter", "audience member"})
_NOT_LABELS = frozenset(
    {
        "source",
        "sources",
        "note",
        "update",
        "updated",
        "editor's note",
        "related",
        "photo",
        "video",
        "watch",
        "read more",
        "see also",
        "tags",
        "subject",
        "topic",
        "topics",
        "date",
        "location",
        "place",
        "time",
        "by",
        "posted",
        "published",
        "a",
        # Editorial furniture, not people.
        "correction",
        "corrections",
        "clarification",
        "previously",
        "earlier",
        "updates",
        "breaking",
        "developing",
        "exclusive",
        "disclosure",
        "advertisement",
        "programming note",
        "full disclosure",
        "transcript",
        "video transcript",
    }
)
# "UN: PEACEKEEPERS PAYING …" — a headline in capitals after the colon.
_CAPS_HEADLINE = re.compile(rf"^(?:[{_UPPER}0-9][{_UPPER}0-9'’\-]+[,:]?\s+){{3,}}")
_LETTERS = re.compile(r"[^\W\d_]{2,}")
_SENTENCE_END = re.compile(r"[.!?…”\"’)\]—–-]\s*$")


@dataclass(frozen=True)
class Turn:
    """One paragraph of a labelled turn; `start`/`end` are article offsets of the speech."""

    unit: int
    label: str
    start: int
    end: int

    @property
    def is_question(self) -> bool:
        return self.label.strip().casefold() in _QUESTION_LABELS


def _label_of(unit: Unit) -> tuple[str, int] | None:
    """(label, offset where the speech starts) when `unit` opens with a speaker label."""
    text = unit.text
    # Every label but the bare Q ends in a colon: a unit without one is spared the try.
    match = (_LABEL.match(text) if ":" in text else None) or (
        _BARE_Q.match(text) if text[:1] == "Q" else None
    )
    if not match:
        return None
    label = match.group("label").strip()
    folded = label.casefold()
    if folded in _NOT_LABELS:
        return None
    if folded.split()[0] in {"the", "a", "an"} and not label.isupper():
        return None
    if label == "A" and not unit.text.startswith("A:"):
        return None
    rest = unit.text[match.end() :]
    if rest and not _SENTENCE_END.search(rest) and len(rest.split()) <= 15 and label != "Q":
        # "Lukashenko: No intention to …" — a headline, not a turn.
        return None
    if rest and rest[0].islower():
        return None
    if rest and (not _LETTERS.search(rest) or _CAPS_HEADLINE.match(rest)):
        return None  # "Clinton: 1,547." (a tally) or a capitals headline
    return label, match.end()


def is_stage_direction(text: str) -> bool:
    return bool(_STAGE.match(text.strip()))


def find_turns(units: list[Unit], first_unit: int = 0) -> list[Turn]:
    """Turn paragraphs of a transcript; empty when the article has fewer than two labels."""
    labelled: dict[int, tuple[str, int]] = {}
    for unit in units[first_unit:]:
        found = _label_of(unit)
        if found:
            labelled[unit.index] = found
    caps = sum(
        1
        for label, _ in labelled.values()
        if label.isupper() or label.casefold() in _QUESTION_LABELS
    )
    names = [label for label, _ in labelled.values()]
    if len(names) < 2 or not caps and len(set(names)) == len(names):
        # One label, or nobody speaks twice: not a conversation.
        return []
    turns: list[Turn] = []
    current: str | None = None
    for unit in units[first_unit:]:
        found = labelled.get(unit.index)
        if found:
            current, offset = found
            speech = unit.text[offset:].strip()
            if speech:
                lead = unit.text.index(speech, offset)
                turns.append(Turn(unit.index, current, unit.start + lead, unit.end))
            continue
        if current is None:
            continue
        if _TIME_LINE.match(unit.text):
            current = None
            continue
        if is_stage_direction(unit.text):
            continue
        turns.append(Turn(unit.index, current, unit.start, unit.end))
    return turns

"""Compare the wording of a quotation with a quote as a source printed it.

Pure text, no index: `compare(asked, source)` finds where in the source's
quote the asked words sit, and says how they differ there — the same words
(`verbatim`), the same words with small changes (`altered`: words dropped,
added, changed or moved, different punctuation), or only the same content
words (`paraphrase`).  `verify.py` runs it over an index's candidates.
A word-level diff (difflib) goes with every comparison, so a reader sees the
change rather than a score.
"""

from __future__ import annotations

import difflib
import heapq
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

Level = Literal["verbatim", "altered", "paraphrase"]
ChangeKind = Literal["dropped", "added", "changed", "moved", "punctuation", "joined"]
DiffOp = Literal["equal", "source", "asked"]

# Words (with inner apostrophes and dots: "don't", "U.S") and single punctuation marks.
_TOKEN = re.compile(r"\w+(?:['’.]\w+)*|[^\w\s]")
_WORD = re.compile(r"\w+(?:['’.]\w+)*")
# Marks that never change what was said: quotation marks of every style, the
# ellipsis and brackets of an omission ("[…]"), and dashes' spacing variants.
_IGNORED_MARKS = frozenset("\"'“”„‟«»‹›‘’‚`…[]")
_SAME_MARK = {"–": "-", "—": "-", "‑": "-"}

# The share of the asked words a version must hold, in order, to be the same words
# with small changes; below it, a version sharing enough content words is a paraphrase.
ALTERED_MIN = 0.6
PARAPHRASE_MIN = 0.6
PARAPHRASE_WORDS = 3  # …or at least this many of them (a long text names more than its topic)
STOP_WORDS = frozenset(
    """a about above after again against all almost already also always am among an and another
    any anything are around as at be because been before being below between both but by can
    could did do does doing done down during each either else enough even ever every
    everything few for from further get gets getting give given go goes going gone got had has
    have having he her here hers herself him himself his how however i if in including indeed
    into is it its itself just know last least less let like made make makes making many may
    me might more most much must my myself never new no nobody none nor not nothing now of off
    often on once one only or other others our ours ourselves out over own per perhaps put
    quite rather really said same say says see seem should since so some something still such
    take than that the their theirs them themselves then there these they thing things think
    this those though through thus to today together too toward under until up upon us very
    want was way we well were what whatever when where whether which while who whole whom
    whose why will with within without would yes yet you your yours""".split()
)


@dataclass
class Token:
    """One word or punctuation mark of a text, with its offsets in that text."""

    text: str
    key: str  # what comparisons use: lower-cased, apostrophes and dashes unified
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.key[:1].isalnum() or self.key[:1] == "_"


@dataclass
class Change:
    """One difference between the source's words and the asked ones."""

    kind: ChangeKind
    source: str = ""
    asked: str = ""

    def __str__(self) -> str:
        if self.kind == "dropped":
            return f"dropped “{self.source}”"
        if self.kind == "added":
            return f"added “{self.asked}”"
        if self.kind == "moved":
            return f"moved “{self.source}”"
        if self.kind == "joined":
            return f"joined two quotes: “…{self.source}” + “{self.asked}…”"
        if self.kind == "punctuation":
            return f"punctuation “{self.source or ' '}” → “{self.asked or ' '}”"
        return f"changed “{self.source}” → “{self.asked}”"


@dataclass
class DiffPart:
    """A run of the word diff: in both (`equal`), only the source's, or only the asked text's."""

    op: DiffOp
    text: str


@dataclass
class Comparison:
    """How the asked words compare with one source quote."""

    level: Level
    similarity: float  # 0..1: matched words against both spans' lengths
    start: int  # the matching span in the source quote's text
    end: int
    changes: list[Change] = field(default_factory=list)
    diff: list[DiffPart] = field(default_factory=list)


def same_words(a: str, b: str, at_least: float = 0.9) -> bool:
    """Whether two quote texts say the same words (another outlet's copy, cut or re-punctuated)."""
    first, second = words(a), words(b)
    if first == second:
        return True
    matcher = difflib.SequenceMatcher(None, first, second, False)
    return matcher.real_quick_ratio() >= at_least and matcher.ratio() >= at_least


def _key(word: str) -> str:
    return word.casefold().replace("’", "'")


def tokens(text: str) -> list[Token]:
    """The words and marks of `text` that carry meaning, with comparison keys."""
    found = []
    for match in _TOKEN.finditer(text):
        raw = match.group()
        if raw in _IGNORED_MARKS:
            continue
        key = _SAME_MARK.get(raw) or _key(raw)
        found.append(Token(raw, key, match.start(), match.end()))
    return found


def words(text: str) -> list[str]:
    """The comparison keys of the words of `text` (no punctuation)."""
    return [_key(word) for word in _WORD.findall(text)]


def content_words(text: str) -> set[str]:
    """The words of `text` that say what it is about (stop words and numbers out)."""
    return _content(words(text))


def _trimmed(items: list[Token]) -> list[Token]:
    """Tokens without punctuation at either end (a full stop ending a passage is no change)."""
    lo, hi = 0, len(items)
    while lo < hi and not items[lo].is_word:
        lo += 1
    while hi > lo and not items[hi - 1].is_word:
        hi -= 1
    return items[lo:hi]


# Windows of a quote aligned with the asked words: the ones holding most asked words.
_WINDOWS_TRIED = 4


def _best_span(keys: list[str], asked_words: list[str]) -> tuple[int, int, int]:
    """The source's words (from, to) where most asked words match in order, and how many.

    A local alignment: windows of the source a little longer than the asked
    text, placed so that a word of the asked text sits where it sits in the
    asked text; the few windows holding most asked words are matched with
    difflib, and the one matching most words in order wins, trimmed to its
    first and last matched word.  (Matching the whole quote at once can pair a
    word with an occurrence far from the passage and miss the passage itself;
    aligning every window costs too much on long transcript turns.)
    """
    wanted = {word: at for at, word in reversed(list(enumerate(asked_words)))}
    width = len(asked_words) + max(3, len(asked_words) // 2)
    held = [0]
    for key in keys:
        held.append(held[-1] + (key in wanted))
    starts = {max(0, at - wanted[key]) for at, key in enumerate(keys) if key in wanted}
    if not starts:
        return 0, 0, 0
    count = len(keys)
    ranked = heapq.nlargest(
        _WINDOWS_TRIED, starts, key=lambda at: (held[min(count, at + width)] - held[at], -at)
    )
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(asked_words)
    best: tuple[int, int, int] = (0, 0, 0)
    for at in ranked:
        if held[min(count, at + width)] - held[at] <= best[2]:
            break
        matcher.set_seq1(keys[at : at + width])
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        matched = sum(b.size for b in blocks)
        if matched > best[2]:
            best = (at + blocks[0].a, at + blocks[-1].a + blocks[-1].size, matched)
    return best


def _widened(lo: int, hi: int, keys: list[str], asked_words: list[str]) -> tuple[int, int]:
    """The matched span grown over the source words the alignment left out at its edges.

    Asked words missing from the span that sit just outside it were moved
    ("without us, there can be…"), so the span takes them in; asked words
    still missing at the start or end of the asked text face changed words
    ("They refused to talk" against "They refused to negotiate": a changed
    word, not an added one), so the span takes in as many source words there.
    """
    missing = Counter(asked_words) - Counter(keys[lo:hi])
    while hi < len(keys) and missing[keys[hi]] > 0:
        missing[keys[hi]] -= 1
        hi += 1
    while lo > 0 and missing[keys[lo - 1]] > 0:
        missing[keys[lo - 1]] -= 1
        lo -= 1
    lead = trail = 0
    for word in asked_words:
        if missing[word] <= 0:
            break
        missing[word] -= 1
        lead += 1
    for word in reversed(asked_words):
        if missing[word] <= 0:
            break
        missing[word] -= 1
        trail += 1
    return max(0, lo - lead), min(len(keys), hi + trail)


def _changes(source: list[Token], asked: list[Token]) -> tuple[list[Change], list[DiffPart]]:
    """Word-level changes and diff between two token lists (punctuation included)."""
    matcher = difflib.SequenceMatcher(None, [t.key for t in source], [t.key for t in asked], False)
    diff: list[DiffPart] = []
    changes: list[Change] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        said = _join([t.text for t in source[a0:a1]])
        put = _join([t.text for t in asked[b0:b1]])
        if op == "equal":
            diff.append(DiffPart("equal", said))
            continue
        if said:
            diff.append(DiffPart("source", said))
        if put:
            diff.append(DiffPart("asked", put))
        if not any(t.is_word for t in source[a0:a1] + asked[b0:b1]):
            changes.append(Change("punctuation", said, put))
        elif op == "delete":
            changes.append(Change("dropped", said, ""))
        elif op == "insert":
            changes.append(Change("added", "", put))
        else:
            changes.append(Change("changed", said, put))
    return _moves(changes), diff


_NO_SPACE_BEFORE = frozenset(",.;:!?)%")
_NO_SPACE_AFTER = frozenset("(")


def _join(pieces: list[str]) -> str:
    """Words and marks as written: no space before a comma or after an opening bracket."""
    out = ""
    for piece in pieces:
        if out and piece[:1] not in _NO_SPACE_BEFORE and out[-1] not in _NO_SPACE_AFTER:
            out += " "
        out += piece
    return out


def _moves(changes: list[Change]) -> list[Change]:
    """A run dropped in one place and added in another is one word group moved."""
    dropped = {c.source.casefold(): c for c in changes if c.kind == "dropped"}
    kept: list[Change] = []
    moved: set[str] = set()
    for change in changes:
        key = change.asked.casefold()
        if change.kind == "added" and key in dropped and key not in moved:
            moved.add(key)
            kept.append(Change("moved", change.asked, change.asked))
        elif not (change.kind == "dropped" and change.source.casefold() in moved):
            kept.append(change)
    return [c for c in kept if not (c.kind == "dropped" and c.source.casefold() in moved)]


@dataclass
class Asked:
    """The asked text analysed once for comparing with many quotes."""

    text: str
    tokens: list[Token]  # without punctuation at either end
    words: list[str]
    content: set[str]

    @classmethod
    def of(cls, text: str) -> Asked:
        trimmed = _trimmed(tokens(text))
        said = [t.key for t in trimmed if t.is_word]
        return cls(text, trimmed, said, _content(said))


def _content(keys: list[str]) -> set[str]:
    return {w for w in keys if w not in STOP_WORDS and not w.isdigit() and len(w) > 1}


def compare(asked: str | Asked, source: str) -> Comparison | None:
    """How `asked` compares with the quote text `source`; None when they share too little."""
    if isinstance(asked, str):
        asked = Asked.of(asked)
    asked_words = asked.words
    found = [(m.start(), m.end()) for m in _WORD.finditer(source)]
    keys = [_key(source[start:end]) for start, end in found]
    if not asked_words or not keys:
        return None
    lo, hi, matched = _best_span(keys, asked_words)
    if matched:
        lo, hi = _widened(lo, hi, keys, asked_words)
    span_length = hi - lo
    similarity = 2 * matched / (len(asked_words) + span_length) if span_length else 0.0
    if matched / len(asked_words) >= ALTERED_MIN and similarity >= ALTERED_MIN:
        start, end = found[lo][0], found[hi - 1][1]
        span = tokens(source[start:end])
        changes, diff = _changes(span, asked.tokens)
        level: Level = "altered" if changes else "verbatim"
        return Comparison(level, similarity, start, end, changes, diff)
    shared = asked.content & _content(keys)
    share = len(shared) / len(asked.content) if asked.content else 0.0
    if len(shared) >= PARAPHRASE_WORDS or (len(shared) >= 2 and share >= PARAPHRASE_MIN):
        diff = [DiffPart("source", source.strip()), DiffPart("asked", asked.text.strip())]
        return Comparison("paraphrase", share, 0, len(source), [], diff)
    return None


def render_diff(diff: list[DiffPart], deleted: str = "[-{}-]", inserted: str = "{{+{}+}}") -> str:
    """The diff as one line, wdiff style: [-the source's words-] {+the asked words+}."""
    out = []
    for part in diff:
        if part.op == "equal":
            out.append(part.text)
        elif part.op == "source":
            out.append(deleted.format(part.text))
        else:
            out.append(inserted.format(part.text))
    return _join(out)

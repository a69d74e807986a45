"""Quote finding (extraction stage, part 1): article units → quoted runs.

Input: the article's text cut into units (lines of paragraphs); output:
`Run`s, each the words between a pair of double quotation marks, with
offsets into `Article.text`.  Handles “ ” and straight " (direction told from
the neighbouring characters), « » and „ “, nested marks (they stay inside the
outer run), mistyped pairs, unclosed quotes (end at their unit), quotations
over several paragraphs (an opening mark at each paragraph, one run), and
drops scare quotes: runs of one or two words inside a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Article
from .lexicon import CUE

OPENERS = frozenset("“„«‟〝")
CLOSERS = frozenset("”»〞")
STRAIGHT = '"'
MARKS = OPENERS | CLOSERS | {STRAIGHT}
_MARK_RE = re.compile('[“„«‟〝”»〞"]')
# Characters that may stand before an opening mark or after a closing one.
_BEFORE_OPEN = frozenset("([{—–-/:;‘'")
_AFTER_CLOSE = frozenset(".,;:!?)]}—–-…‘’'")
_ELLIPSIS_AFTER = re.compile(r" (?:…|\.\.\.) ?\w")
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_END_PUNCT = frozenset(",.!?…—–-;:")
_CUE_BEFORE = re.compile(r"\b" + CUE + r"[^“”\".!?]{0,30}[,:]$")
_SENTENCE_BREAK = re.compile(r"(?:[.!?…][\"”’)\]]*|:)\s*$")
_ENDS_UNIT = re.compile(r"[ .!?]*\Z")
# How far back from an opening mark the scare-quote and title rules read: the
# words just before a quote decide, and a bounded window keeps a paragraph of
# thousands of quotes linear (a whole-prefix slice per quote was quadratic).
LOOKBACK = 200


@dataclass(frozen=True)
class Unit:
    """A line of a paragraph: the smallest block a quote may close in."""

    index: int
    paragraph: int
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class Run:
    """One quoted run: `text` is what was inside the marks, offsets into the article."""

    start: int
    end: int
    text: str
    unit: int
    end_unit: int
    open_mark: int
    close_mark: int | None
    unclosed: bool = False


def article_units(article: Article) -> list[Unit]:
    """Every non-empty line of every paragraph, with article offsets."""
    units: list[Unit] = []
    for p_index, (para, offset) in enumerate(
        zip(article.paragraphs, article.paragraph_offsets, strict=True)
    ):
        pos = 0
        for line in para.split("\n"):
            stripped = line.strip()
            if stripped:
                lead = len(line) - len(line.lstrip())
                units.append(Unit(len(units), p_index, offset + pos + lead, stripped))
            pos += len(line) + 1
    return units


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _role(text: str, i: int, depth: int) -> str | None:
    """'open', 'close' or None (ignore) for the mark at `text[i]`."""
    mark = text[i]
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    can_open = (not prev or prev.isspace() or prev in _BEFORE_OPEN or prev in MARKS) and bool(
        nxt and not nxt.isspace()
    )
    can_close = (not nxt or nxt.isspace() or nxt in _AFTER_CLOSE or nxt in MARKS) and bool(
        prev and not prev.isspace()
    )
    if mark in OPENERS:
        if depth and can_close and not can_open:
            return "close"
        return "open"
    if mark in CLOSERS:
        if not depth and can_open and not can_close:
            return "open"
        if not depth and _ELLIPSIS_AFTER.match(text, i + 1) and (not prev or prev.isspace()):
            return "open"  # ”… what I learned…,” he said: a mistyped opening, words cut
        return "close" if depth else None
    if can_open and not can_close:
        return "open"
    if can_close and not can_open:
        return "close" if depth else None
    return "close" if depth else "open"


def opens_with_mark(unit: Unit) -> bool:
    return bool(unit.text) and unit.text[0] in MARKS and _role(unit.text, 0, 0) == "open"


def _trimmed(unit: Unit, lo: int, hi: int) -> tuple[int, int]:
    """Unit-relative span `lo:hi` without surrounding whitespace."""
    while lo < hi and unit.text[lo].isspace():
        lo += 1
    while hi > lo and unit.text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def find_runs(units: list[Unit], text: str) -> list[Run]:
    """All quoted runs of `units` in order, nested marks kept inside the outer run."""
    runs: list[Run] = []
    # Pieces of a run still open across units: (unit, lo, hi) unit-relative.
    pending: list[tuple[Unit, int, int]] = []
    open_mark = 0
    for unit in units:
        depth = 0
        start = 0
        if pending:
            if opens_with_mark(unit):
                depth, start = 1, 1
            elif all(not unit_.text[lo:hi].strip() for unit_, lo, hi in pending):
                # The mark closed its line ("… chanting “" / words on the next): go on.
                pending, depth, start = [], 1, 0
            else:
                runs.append(_close(pending, None, text, open_mark, unclosed=True))
                pending = []
        for match in _MARK_RE.finditer(unit.text):
            i = match.start()
            if pending and i == 0:
                continue
            role = _role(unit.text, i, depth)
            if role is None:
                continue
            if role == "open" and depth == 1 and i == start:
                # A doubled opening mark ("“): one mark typed twice.
                start = i + 1
                continue
            if role == "open":
                if depth == 0:
                    start = i + 1
                    open_mark = unit.start + i
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    pending.append((unit, start, i))
                    runs.append(_close(pending, unit.start + i, text, open_mark))
                    pending = []
        if depth:
            pending.append((unit, start, len(unit.text)))
    if pending:
        runs.append(_close(pending, None, text, open_mark, unclosed=True))
    return [run for run in runs if run.text]


def _close(
    pieces: list[tuple[Unit, int, int]],
    close_mark: int | None,
    text: str,
    open_mark: int,
    unclosed: bool = False,
) -> Run:
    spans = [(unit, *_trimmed(unit, lo, hi)) for unit, lo, hi in pieces]
    spans = [s for s in spans if s[1] < s[2]] or spans[:1]
    first, last = spans[0], spans[-1]
    start = first[0].start + first[1]
    end = last[0].start + last[2]
    if len(spans) == 1:
        body = text[start:end]
    else:
        joined = [unit.text[lo:hi] for unit, lo, hi in spans]
        body = "\n\n".join(joined)
    return Run(
        start=start,
        end=max(start, end),
        text=body,
        unit=pieces[0][0].index,
        end_unit=pieces[-1][0].index,
        open_mark=open_mark,
        close_mark=close_mark,
        unclosed=unclosed,
    )


def text_before(text: str, pos: int, window: int = LOOKBACK) -> str:
    """Up to `window` characters of `text` before `pos`, trailing whitespace dropped.

    Empty only when nothing but whitespace precedes `pos` (as `text[:pos].rstrip()`)."""
    end = pos
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return text[max(0, end - window) : end]


def is_standalone(run: Run, unit: Unit) -> bool:
    """A run that is a whole utterance: it starts a sentence or follows a colon/cue.

    Short runs inside a sentence ("the so-called “peace summit”") are scare
    quotes; short runs standing alone (“Of course,” he said) are quotes.
    """
    before = text_before(unit.text, run.open_mark - unit.start)
    if before.endswith((",", ":")) and _CUE_BEFORE.search(before[-50:]):
        return True  # “Nobody will lose a job,” he promised, “not one.”
    if not before or _SENTENCE_BREAK.search(before):
        return (
            run.text.rstrip()[-1:] in _END_PUNCT or run.close_mark is None or _ends_unit(run, unit)
        )
    return False


def _ends_unit(run: Run, unit: Unit) -> bool:
    if run.close_mark is None:
        return True
    return _ENDS_UNIT.match(unit.text, run.close_mark - unit.start + 1) is not None


# Where a show or a publication is named: "on CNN's", "on", "in".
_TITLE_PLACE = re.compile(r"(?:['’]s|\bon|\bin)$")


def _is_title(run: Run, unit: Unit, words: list[str]) -> bool:
    """A capitalised name inside a sentence: a bill, book or operation, not speech.

    `words` are the run's words (`_WORD`)."""
    before = text_before(unit.text, run.open_mark - unit.start)
    if not before or before[-1] in ":,":
        return False
    text = run.text.rstrip()
    if text[-1:] in ".," and _TITLE_PLACE.search(before):
        text = text[:-1]  # on CNN's “State of the Union.”: the sentence's full stop
    if text[-1:] in ".!?…:;":
        return False
    if any(c in text for c in ".!?"):
        return False
    significant = [w for w in words if len(w) > 3]
    return 2 <= len(significant) <= 8 and all(w[0].isupper() for w in significant)


def keep_run(run: Run, unit: Unit) -> bool:
    """Not a scare quote, a title or a markup attribute's value (tweet-date="May 1"):
    three words or more, or a standalone utterance."""
    at = run.open_mark - unit.start
    if at > 0 and unit.text[at - 1] == "=":
        return False
    found = _WORD.findall(run.text)
    words = len(found)
    if words == 0:
        return False
    if words >= 3:
        return not _is_title(run, unit, found)
    return is_standalone(run, unit)

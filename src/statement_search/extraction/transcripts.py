"""Transcript turns (extraction stage): units → speaker-labelled paragraphs.

Input: the article's units; output: `Turn`s, one per paragraph of a turn,
carrying the label as written ("THE PRESIDENT", "MS. PSAKI", "Q",
"Mr Peter Alden (Northfield) (Con)").  The label grammar is in
`transcript_labels.py`; this module decides whether the labels make a
conversation (two turns are enough when they read as speech, not as a list
of headlines or verdicts), joins hard-wrapped lines, and leaves out what is
not speech: stage directions, time stamps, `END`, Hansard column markers and
headings, TheyWorkForYou's "Share this specific contribution".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import CUE_WORDS
from .quotes import Run, Unit, opens_with_mark
from .transcript_labels import Label, LabelKind, dotted_qa, elapsed, label_of, label_person

# "(Applause.)", "(Beifall bei der SPD – Zuruf von der AfD: Das stimmt nicht!)"
# "[BEGIN TAPE]", "[CROSSTALK]": square brackets too.
_STAGE = re.compile(r"^(?:\([^()]{1,300}\)|\[[^\[\]]{1,300}\])\.?$")
_TIME_LINE = re.compile(
    r"^(?:\d{1,2}:\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4})?|END|\[?END\]?.*"
    r"|\d{1,2}\.\d{2}\s*[ap]\.?m\.?)$"  # Hansard's "12.31 pm"
)
_END = re.compile(r"^\[?(?:END|КОНЕЦ|КІНЕЦЬ)\]?\.?$")
# "12 March 2024 : Column 455", "Column 455WH", "19 July 2011 : Column 772".
_COLUMN = re.compile(r"^(?:\d{1,2}\s\w+\s\d{4}\s*:\s*)?Col(?:umn|\.)?\s?\d{1,5}[A-Z]{0,3}$")
# A German parliament's running page header, its page number under it: "Deutscher
# Bundestag – 19. Wahlperiode – 42. Sitzung. Berlin, Mittwoch, den 4. März 2025 4215".
_RUNNING_HEADER = re.compile(
    r"^[^\W\d_][\w ]{2,60}\s[–-]\s\d{1,2}\.\s?Wahlperiode\s[–-]\s\d{1,4}\.\s?Sitzung\b"
    r"[^\n]{0,80}(?:\s+\d{1,5})?$"
)
_FURNITURE = frozenset(
    {
        "alert me about debates like this",
        "share this specific contribution",
        "link to this speech",
        "link to this",
        "in context",
        "individually",
        "hide",
        "hansard source",
    }
)
# "Follow Ann Lee on Twitter @annlee": a news site's sign-off under the text.
_FOLLOW = re.compile(r"^Follow\s[^\n]{1,60}?\son\s(?:Twitter|Facebook|Instagram|Threads)\b")
# "Several hon. Members rose—"
_ROSE = re.compile(r"^(?:Several |An? )?(?:[Hh]on\. )?(?:Members?|Member) rose\s?[—–-]*$")
# "## Questions and answers", "---": Markdown headings and rules.
_MARKDOWN_FURNITURE = re.compile(r"^(?:#{1,6}\s.*|[-*_]{3,})$")
_GLUED_Q = re.compile(r"^Q(?=[A-Z][a-z’'])")
_SPACED_Q = re.compile(r"^Q\s(?=[A-Z])")
_HEADING_END = frozenset('.,;:!?…"”’)]»—–-')
_WORDS = re.compile(r"[^\W\d_][\w'’\-]*")
# A turn of a real exchange says something: verdict lists ("Ann Lee: Win in a walk.") do not.
_MIN_MEAN_WORDS = 6


@dataclass(frozen=True)
class Turn:
    """One paragraph of a labelled turn; `start`/`end` are article offsets of the speech."""

    unit: int
    label: str
    start: int
    end: int
    name: str = ""
    kind: LabelKind = "name"
    role: str = ""

    @property
    def is_question(self) -> bool:
        return self.kind == "question"


def is_stage_direction(text: str) -> bool:
    return bool(_STAGE.match(text.strip()))


def is_not_speech(text: str) -> bool:
    """Lines inside a transcript that nobody says: stage directions, column markers,
    page furniture.  They neither become quotes nor end a turn."""
    stripped = text.strip()
    return (
        is_stage_direction(stripped)
        or bool(_COLUMN.match(stripped))
        or bool(_RUNNING_HEADER.match(stripped))
        or stripped.casefold().rstrip(".").split(" (", 1)[0] in _FURNITURE
        or bool(_ROSE.match(stripped))
        or bool(_MARKDOWN_FURNITURE.match(stripped))
        or bool(_FOLLOW.match(stripped))
        or not _WORDS.search(stripped)  # "<…>", "* * *": a cut, not words
    )


def _is_heading(text: str) -> bool:
    """A short Title Case line without closing punctuation ("Topical Questions")."""
    if len(text) > 80 or text[-1:] in _HEADING_END or not text[:1].isupper():
        return False
    words = _WORDS.findall(text)
    if not 1 <= len(words) <= 8:
        return False
    long = [w for w in words if len(w) > 3]
    # "Transport", "Oral Answers to Questions" — but "Thank you all" is speech.
    return all(w[0].isupper() for w in long) and (len(words) == 1 or len(long) >= 2)


def _labels(units: list[Unit]) -> dict[int, Label]:
    found: dict[int, Label] = {}
    for unit in units:
        label = label_of(unit.text)
        if label is not None:
            found[unit.index] = label
    times = [(unit.index, t) for unit in units if (t := elapsed(unit.text)) is not None]
    clock = [t for _, t in times]
    if clock and (clock[0] >= 60 or clock != sorted(clock)):
        for index, _ in times:  # "Real Vellia  3:00": a schedule, not a recording's clock
            found.pop(index, None)
    found.update(_name_lines(units, found))
    dotted = {unit.index: qa for unit in units if (qa := dotted_qa(unit.text))}
    if {qa.label for qa in dotted.values()} == {"Q", "A"}:
        found.update(dotted)  # "Q. …" / "A. …": an interview, when both letters open lines
    glued = any(label.label == "A" for label in found.values())
    if glued or any(label.label.isupper() for label in found.values()):
        # Questions whose Q lost its spacing: "Q Mr. President, …" among "THE PRESIDENT:"
        # turns, "QWhy …?" among "A:" answers.
        for unit in units:
            if unit.index not in found and (
                (spaced := _SPACED_Q.match(unit.text)) or glued and _GLUED_Q.match(unit.text)
            ):
                found[unit.index] = Label("Q", "Q", "question", spaced.end() if spaced else 1)
    return found


_NAME_LINE = re.compile(
    r"^[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁІЇЄҐЎ][\w’'\-]+(?: [A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁІЇЄҐЎ][\w’'\-.]+){1,3}$"
)


def _name_lines(units: list[Unit], found: dict[int, Label]) -> dict[int, Label]:
    """A name alone on its line before what they say (`<p class="speaker">Ada Kell</p>`):
    labels when two people or more each head two speeches or more."""
    lines: dict[int, Unit] = {}
    for unit, after in zip(units, units[1:], strict=False):
        text = unit.text.strip()
        if (
            len(text) <= 60
            and unit.index not in found
            and after.index not in found
            and _NAME_LINE.match(text)
            and not _NAME_LINE.match(after.text.strip())
        ):
            surname = text.split()[-1]
            if re.search(rf"\b{re.escape(surname)}\b", after.text):
                return {}  # "Ada Kell" over "Ada Kell, the union leader, said …": a caption
            lines[unit.index] = unit
    counts: dict[str, int] = {}
    for unit in lines.values():
        counts[unit.text.strip()] = counts.get(unit.text.strip(), 0) + 1
    if sum(1 for n in counts.values() if n >= 2) < 2:
        return {}
    return {
        index: Label(unit.text.strip(), unit.text.strip(), "name", len(unit.text))
        for index, unit in lines.items()
        if counts[unit.text.strip()] >= 2
    }


def _special(label: Label) -> bool:
    """Labels only transcripts carry: capitals, Q, brackets, photos, stenogram full stops."""
    return (
        label.kind != "name"
        or label.label.isupper()
        or "(" in label.label
        or label.label.startswith("Photo of ")
        or label.label != label.name
    )


def find_turns(units: list[Unit], first_unit: int = 0) -> list[Turn]:
    """Turn paragraphs of a transcript; empty when the labels do not make a conversation."""
    body = units[first_unit:]
    labels = _labels(body)
    strong = [label for label in labels.values() if not label.weak]
    if len(strong) < 1 or len(labels) < 2:
        return []
    known = {label.name.casefold() for label in strong}
    for index, label in list(labels.items()):
        rest = units[index].text[label.speech :].rstrip()
        # A short opening ("Mr Varga,") is a turn when its speaker speaks elsewhere
        # too, or when its sentence goes on in the next line.
        if label.weak and label.name.casefold() not in known and rest[-1:] not in ",:;":
            del labels[index]
    if len(labels) < 2:
        return []
    turns = _walk(body, labels)
    if not _is_conversation(list(labels.values()), turns, {unit.index: unit for unit in body}):
        return []
    return turns


def _walk(body: list[Unit], labels: dict[int, Label]) -> list[Turn]:
    turns: list[Turn] = []
    current: Label | None = None
    said = 0  # how many turns there were when the current label began
    last_label = max(labels)
    for unit in body:
        found = labels.get(unit.index)
        if found:
            current, said = found, len(turns)
            speech = unit.text[found.speech :].strip()
            if speech and not is_not_speech(speech):
                lead = unit.text.index(speech, found.speech)
                turns.append(_turn(unit, current, unit.start + lead))
            continue
        if current is None:
            continue
        if _END.match(unit.text) or _TIME_LINE.match(unit.text):
            # The time a speech was given, under its speaker, is no end: "1:09 P.M." after
            # the last words is (what follows is page furniture).
            if _END.match(unit.text) or len(turns) > said:
                current = None
            continue
        if is_not_speech(unit.text) or _is_heading(unit.text):
            continue
        # "Shoigu said the drills would go on.", or after the last label's words a
        # paragraph in the third person: the report resumes.
        resumes = unit.index > last_label and len(turns) > said and _third_person(unit.text)
        if resumes or _narrates(unit.text, current):
            current = None
            continue
        turns.append(_turn(unit, current, unit.start))
    return turns


def _narrates(text: str, label: Label) -> bool:
    """A paragraph after a turn that tells of its speaker by surname with a speech verb:
    the article's own words, not the speaker's."""
    if _QUOTE_THEN_CUE.match(text) and any(w in CUE_WORDS for w in _after_quote_words(text)):
        return True  # "“We will win,” Ann Lee said.": a report of a quote, any label before
    if label.kind != "name":
        return False
    words = label_person(label.name).split()
    surname = words[-1].title() if words else ""
    if len(surname) < 3 or not re.search(rf"\b{re.escape(surname)}\b", text):
        return False
    return any(word in CUE_WORDS for word in _WORDS.findall(text.casefold()))


# Words a speaker uses of themself and their listeners, and words that show English prose.
_SPEAKING = frozenset(
    "i i'm i’m i've i’ve i'd i’d i'll i’ll me my mine myself we we're we’re we've we’ve "
    "we'll we’ll us our ours ourselves you you're you’re you've you’ve your yours let's "
    "let’s".split()
)
_ENGLISH = frozenset("the a of and to in is that for it".split())
_PROSE_WORDS = 15


def _third_person(text: str) -> bool:
    """An English paragraph of some length with no word of the first or second person:
    after the last label of a transcript, the article's own words, not the speaker's."""
    words = _WORDS.findall(text.casefold())
    if len(words) < _PROSE_WORDS or sum(w in _ENGLISH for w in words) < 0.1 * len(words):
        return False
    return not any(w in _SPEAKING for w in words)


_QUOTE_THEN_CUE = re.compile(r"^[“\"«„](?P<quote>[^”\"»“]{1,600})[”\"»“]")


def _after_quote_words(text: str) -> list[str]:
    """The first words after a paragraph's opening quote ("…,” Ann Lee said.")."""
    match = _QUOTE_THEN_CUE.match(text)
    return _WORDS.findall(text[match.end() : match.end() + 60].casefold())[:5] if match else []


def _turn(unit: Unit, label: Label, start: int) -> Turn:
    return Turn(
        unit.index, label.label.strip(), start, unit.end, label.name, label.kind, label.role
    )


def _is_conversation(labels: list[Label], turns: list[Turn], units: dict[int, Unit]) -> bool:
    """Two labels or more that read as an exchange, not a list of verdicts or of
    sections about people ("Jeb Bush: … Mr. Bush's plan would …")."""
    if any(_special(label) for label in labels):
        return True
    names = [label.name for label in labels]
    people = [(label_person(name) or name).casefold() for name in names]
    if len(set(people)) < len(people):
        return True  # somebody speaks twice ("Defence Minister Sergei Shoigu", "Sergei Shoigu")
    if not all(_person_like(name) for name in names):
        return False  # "Slow Thaw for Ferry Crews: …", "Iowa: …" — section leads
    words = 0
    for turn in turns:
        unit = units[turn.unit]
        said = unit.text[turn.start - unit.start :]
        words += len(_WORDS.findall(said))
        surname = label_person(turn.name).split()[-1]
        if re.search(rf"\b{re.escape(surname)}\b", said):
            return False  # a speaker does not talk of themself by surname
    return words >= _MIN_MEAN_WORDS * len(labels)


def _person_like(name: str) -> bool:
    """A label shaped like a person's name, titles aside: two to four capitalised words."""
    words = label_person(name).split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)


# --- transcripts printed inside a quotation ---------------------------------------------


@dataclass(frozen=True)
class QuotedTurn:
    """One turn of a transcript printed as a quotation.  `turn.start`/`turn.end` are the
    article offsets of its words, first paragraph to last; `text` is the words, paragraphs
    joined by a blank line without their opening marks (as a multi-paragraph `Run`)."""

    turn: Turn
    text: str


def quoted_turns(run: Run, units: list[Unit]) -> list[QuotedTurn]:
    """The turns of a transcript an article prints as one quotation over several
    paragraphs, each opening with a quotation mark and a label ("“WALLACE: …",
    "“PENCE: …", "“(CROSSTALK.)"), or [] when `run` is no such transcript.

    The quotation must open its paragraph with a label, end its last one, and hold two
    labels or more that make a conversation.  Stage directions and page furniture inside
    it belong to no turn; a paragraph without a label goes on the turn before it."""
    first, last = units[run.unit], units[run.end_unit]
    if run.end_unit == run.unit or run.open_mark != first.start:
        return []
    if run.close_mark is not None and last.text[run.close_mark - last.start + 1 :].strip(" .,;"):
        return []  # words after the closing mark: a quotation the article goes on about
    pieces: list[tuple[Unit, int, int]] = []
    for unit in units[run.unit : run.end_unit + 1]:
        lo = 1 if unit is first or opens_with_mark(unit) else 0
        hi = len(unit.text)
        if unit is last and run.close_mark is not None:
            hi = run.close_mark - unit.start
        pieces.append((unit, lo, hi))
    labels = {u.index: lab for u, lo, hi in pieces if (lab := label_of(u.text[lo:hi]))}
    if first.index not in labels or len(labels) < 2:
        return []
    strong = {label.name.casefold() for label in labels.values() if not label.weak}
    if not strong or any(label.name.casefold() not in strong for label in labels.values()):
        return []
    real = list(labels.values())
    for unit, lo, hi in pieces:  # "“VIDEO: …": a clip played, nobody's turn
        if unit.index not in labels and (tag := _TAG.match(unit.text, lo, hi)):
            labels[unit.index] = Label(tag.group(1), tag.group(1), "unnamed", tag.end() - lo)
    groups: list[tuple[Label, list[tuple[Unit, int, int]]]] = []
    for unit, lo, hi in pieces:
        label = labels.get(unit.index)
        if label is not None:
            groups.append((label, []))
            lo += label.speech
        said = unit.text[lo:hi]
        if said.strip() and not is_not_speech(said):
            lead = len(said) - len(said.lstrip())
            groups[-1][1].append((unit, lo + lead, lo + len(said.rstrip())))
    found = [
        QuotedTurn(
            Turn(
                parts[0][0].index,
                label.label.strip(),
                parts[0][0].start + parts[0][1],
                parts[-1][0].start + parts[-1][2],
                label.name,
                label.kind,
                label.role,
            ),
            "\n\n".join(unit.text[lo:hi] for unit, lo, hi in parts),
        )
        for label, parts in groups
        if parts
    ]
    turns = [q.turn for q in found if q.turn.unit not in labels or labels[q.turn.unit] in real]
    by_index = {unit.index: unit for unit, _, _ in pieces}
    return found if _is_conversation(real, turns, by_index) else []


# A tag in capitals before a colon that names nobody ("VIDEO:", "SOUNDBITE:").
_TAG = re.compile(r"([A-Z]{3,20}):\s+")


# --- hard-wrapped lines ---------------------------------------------------------------

_WRAP_MIN, _WRAP_MAX = 40, 132
_SENTENCE_CLOSE = re.compile(r"[.!?…:\"”’)\]]$")


def wrap_width(units: list[Unit]) -> int | None:
    """The width a plain-text export was hard-wrapped at, or None when it was not.

    A wrapped text's lines inside paragraphs end near one width, and none
    is longer; lines that are paragraphs of their own vary freely."""
    inner: list[int] = []
    for unit, after in zip(units, units[1:], strict=False):
        # A label on its own line ("Name:") and a short line of a header block
        # ("Deutscher Bundestag") are no wrapped lines.
        wrappable = len(unit.text) >= _WRAP_MIN and not unit.text.endswith(":")
        if after.paragraph == unit.paragraph and wrappable:
            inner.append(len(unit.text))
    if len(inner) < 3:
        return None
    longest = max(inner)
    # Lines of their own may pass the width, but only a few (a page's running header).
    over = sum(1 for unit in units if len(unit.text) > longest)
    if not _WRAP_MIN <= longest <= _WRAP_MAX or over > max(1, len(units) // 20):
        return None
    near = sum(1 for n in inner if n >= longest - 20)
    return longest if near >= 0.6 * len(inner) else None


def join_wrapped(units: list[Unit], text: str) -> list[Unit]:
    """Units with the hard-wrapped lines of each paragraph joined into one unit.

    A joined unit is still an exact slice of the article's text (line breaks
    included), so offsets stay right.  A label, a stage direction or a time
    stamp always starts a unit of its own.  Each unit is sliced once: linear
    in the text's size however long a paragraph is."""
    width = wrap_width(units)
    groups: list[list[Unit]] = []
    for unit in units:
        last = groups[-1][-1] if groups else None
        if last is not None and last.paragraph == unit.paragraph and _wrapped(last, unit, width):
            groups[-1].append(unit)
        else:
            groups.append([unit])
    return [
        group[0]  # a line joined to none, numbered and sliced alike: the same unit
        if len(group) == 1
        and group[0].index == i
        and text.startswith(group[0].text, group[0].start)
        else Unit(i, group[0].paragraph, group[0].start, text[group[0].start : group[-1].end])
        for i, group in enumerate(groups)
    ]


def _wrapped(prev: Unit, unit: Unit, width: int | None) -> bool:
    """Whether `unit` goes on the line `prev` that a fixed width broke (any width:
    a line starting in lower case after one without a full stop)."""
    line = prev.text
    if width is None:
        return unit.text[:1].islower() and not _SENTENCE_CLOSE.search(line)
    if label_of(unit.text) or is_not_speech(unit.text) or _TIME_LINE.match(unit.text):
        return False
    first_word = unit.text.split(maxsplit=1)[0]
    fits = len(line) + 1 + len(first_word) <= width
    return not (fits and _SENTENCE_CLOSE.search(line))

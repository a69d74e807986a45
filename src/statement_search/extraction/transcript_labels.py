"""Transcript label grammar (extraction stage): one unit's opening → a speaker label.

The layouts transcripts are published in: `Name:`, `NAME:`, role + name
(`Defence Minister Sergei Shoigu:`), `THE PRESIDENT:`, `Q` / `Q:` /
`Question:`, unnamed `Remark:`/`Reply:`/`Answer:` and rev-style `Speaker 2:
(01:12)`, Hansard `Mr X (Constituency) (Party):` and `The Secretary of State
for … (Mr William Hague):`, TheyWorkForYou `Photo of X X Party, Seat` lines,
stenogram labels ending in a full stop in Cyrillic capitals (`ГОЛОВА.`,
`СОКОЛОВА А.Н., депутат фракции …`), and Markdown bold (`**Name:**`).
Every pattern is anchored at the unit's start and bounded, so a unit costs
at most a few hundred steps: detection stays linear in the file's size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .lexicon import CUE_WORDS, NOT_NAME_WORDS, PLACE_NAMES
from .names import strip_titles

LabelKind = Literal["name", "question", "unnamed", "chair"]

_CYR_UPPER = "А-ЯЁІЇЄҐЎ"
_CYR_LOWER = "а-яёіїєґў"
_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž" + _CYR_UPPER
# "Vladimir", "Mr.", "В.Путин", "J. K. Rowling"
_PARTICLE = r"(?:of|the|de|von|van|der|da|bin|al|le|la)(?=\s)"
# A full stop inside a word only before a letter ("В.Путин", "J.K."), so that "A. A. A."
# splits into words one way only.
_NAME_WORD = rf"(?:[{_UPPER}](?:[\w'’\-]|\.(?=\w))*\.?|{_PARTICLE})"
# "The Secretary of State for Foreign and Commonwealth Affairs" (before a bracketed name).
_ROLE_WORD = rf"(?:{_NAME_WORD}|(?:for|and|on|in)(?=\s))"
# "THE PRESIDENT:", "MS. PSAKI:", "SECRETARY BLINKEN:" — capitals only.
# Words need a space between them: a run of capitals splits one way only (no backtracking
# through every split of "AAAA…", which made a long capital run cost seconds).
_CAPS_WORD = rf"[{_UPPER}][{_UPPER}.'’\-]*"
_CAPS_LABEL = rf"{_CAPS_WORD}(?:\s{_CAPS_WORD}){{0,4}}\s?"
_NAME_LABEL = rf"{_NAME_WORD}(?:\s{_NAME_WORD}){{0,7}}"
_TIMESTAMP = r"(?:\s*[\(\[]\d{1,2}:\d{2}(?::\d{2})?[\)\]])?"
# How a speaker was heard, not who they are: "TRASK (voice-over):", "Putin (retranslated):".
_MANNERS = (
    r"retranslated|via interpreter|through an? (?:interpreter|translator)|in \w+|"
    r"voice[- ]over|on[- ]camera|off[- ]camera|off[- ]mic|via (?:tele)?phone|on phone|"
    r"through translation|translated|VO|OC|SOT"
)
_MANNER = re.compile(rf"(?:{_MANNERS})", re.I)
_RETRANSLATED = rf"(?:\s*\((?i:{_MANNERS})\))?"
_BOLD = r"(?:\*\*|__)?"
_LABEL = re.compile(
    rf"^{_BOLD}(?P<label>Q|A|Speaker\s\d{{1,3}}|{_CAPS_LABEL}|{_NAME_LABEL})"
    rf"{_RETRANSLATED}{_TIMESTAMP}{_BOLD}\s*:{_BOLD}{_TIMESTAMP}(?:\s+|$)"
)
# "1. ", "T3. [901234] ": the number of an oral question before its asker.
_QUESTION_NUMBER = r"(?:T?\d{1,3}\.\s(?:\[\d{1,9}\]\s)?)?"
# "Mr Peter Alden (Northfield) (Con):", "The Minister for Ports (Ms Clara Vane):".
_PAREN_LABEL = re.compile(
    rf"^{_BOLD}{_QUESTION_NUMBER}(?P<label>(?P<pre>{_ROLE_WORD}(?:\s{_ROLE_WORD}){{0,11}})\s?"
    rf"\((?P<inner>[^():\n]{{2,80}})\)(?P<party>\s?\([^():\n]{{1,40}}\))?)\s*:{_BOLD}(?:\s+|$)"
)
# "JAKE TAPPER, CNN ANCHOR:", "SEN. MARIA ROSS (D), NEVADA:" — a name in capitals, then
# what they are: the name is what comes before the comma or bracket.
_CAPS_DESC = re.compile(
    rf"^(?P<label>(?P<name>{_CAPS_LABEL}?)\s?[,(][{_UPPER}0-9 .,&'’()\-]{{1,60}}?)\s*:(?:\s+|$)"
)
# Words of an office, not of a name: "Madam Deputy Speaker", "The Prime Minister".
_OFFICE_WORDS = frozenset(
    {"the", "mr", "mr.", "madam", "deputy", "speaker", "prime", "minister", "secretary", "of",
     "state", "president", "vice", "chancellor", "chair", "chairman", "chairwoman", "first",
     "leader", "attorney", "solicitor", "general", "lord", "advocate", "house", "exchequer",
     "for", "and", "second", "church", "estates", "commissioner", "parliamentary",
     "under-secretary", "financial", "treasury", "chief", "whip", "senior", "junior"}
)  # fmt: skip
# "Q    Thank you." — the bare Q of White House transcripts, without a colon.
_BARE_Q = re.compile(r"^(?P<label>Q)(?:\s{2,}|\t|\u00a0\s*)(?=\S)")
# "Photo of Peter Alden Peter Alden Conservative, Northfield" (TheyWorkForYou).
_PHOTO = re.compile(r"^Photo of (?P<name>[^\n]{3,60}?) (?P=name)(?:\s[^\n]{0,120})?$")
# "ПРЕДСЕДАТЕЛЬСТВУЮЩИЙ. …", "СОКОЛОВА А.Н., депутат фракции «…». …",
# "Председательствующий. …", "Жиринов В. В., руководитель фракции. …"
_STENO = re.compile(
    rf"^(?P<label>(?P<name>[{_CYR_UPPER}][{_CYR_UPPER}\-]{{2,}}"
    rf"(?:\s[{_CYR_UPPER}]\.\s?[{_CYR_UPPER}]\.)?"
    rf"|[{_CYR_UPPER}][{_CYR_LOWER}\-]+\s[{_CYR_UPPER}]\.\s?[{_CYR_UPPER}]\."
    rf"|Председательствующий|Головуючий)(?:,\s(?!\d)[^.\n]{{1,160}}?)?)(?:\.|(?<=\.))(?:\s+|$)"
)
# Assemblée nationale and Sénat: "M. le président. …", "Mme Marie Dupont. …",
# "Mme Claire Fontaine, ministre de la santé. …" — the label ends in a full stop.
_FRENCH = re.compile(
    rf"^(?P<label>(?:M\.|Mme|Mlle)\s(?P<name>(?P<role>(?:le|la)\s[\w’'\-]+)"
    rf"|[{_UPPER}][\w’'\-]+(?:\s(?:de\s|d’|d'|du\s|le\s|la\s)?[{_UPPER}][\w’'\-]+){{0,3}})"
    rf"(?:,\s[^.\n]{{1,120}}?)?)\.\s+(?=[{_UPPER}«\"“])"
)
# Exports of otter.ai and the like: "Lina Haas  0:03" on a line of its own.
_NAME_TIME = re.compile(
    rf"^(?P<label>Speaker\s\d{{1,3}}|{_NAME_LABEL})(?:\s{{2,}}|\t)\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?$"
)
# Interviews: "Q. What did you achieve?" and "A. A timetable." (turns only as a pair).
_DOTTED_QA = re.compile(r"^(?P<label>[QA])\.\s+(?=[\"“‘'(]?[A-ZÀ-Þ0-9])")
_QUESTION_LABELS = frozenset(
    {"q", "question", "questions", "reporter", "journalist", "audience member", "вопрос",
     "frage", "zusatzfrage", "nachfrage", "journaliste", "journalistin", "запитання",
     "питання"}
)  # fmt: skip
_UNNAMED_LABELS = frozenset(
    {"remark", "reply", "answer", "response", "a", "unidentified speaker", "unknown speaker",
     "unidentified male", "unidentified female", "unidentified man", "unidentified woman",
     "hon. members", "hon. member", "an hon. member", "several hon. members", "members",
     "crowd", "audience", "protester", "protesters", "participant", "voice", "voices",
     "interpreter", "speaker", "реплика", "репліка", "голос из зала", "голос із залу"}
)  # fmt: skip
# A stenogram's presiding officer, named in its header ("Председательствует … Петров В.С.").
_CHAIR_LABELS = frozenset(
    {"председательствующий", "головуючий", "председатель", "голова", "le président",
     "la présidente", "mme la présidente"}
)  # fmt: skip
_NOT_LABELS = frozenset(
    {
        "source", "sources", "note", "update", "updated", "editor's note", "related", "photo",
        "video", "watch", "read more", "see also", "tags", "subject", "topic", "topics", "date",
        "location", "place", "time", "by", "posted", "published",
        # Editorial furniture, not people.
        "correction", "corrections", "clarification", "previously", "earlier", "updates",
        "breaking", "developing", "exclusive", "disclosure", "advertisement",
        "programming note", "full disclosure", "transcript", "video transcript",
        # Form fields and credits.
        "name", "age", "city", "job", "pay", "email", "phone", "address", "title", "category",
        "categories", "author", "credit", "credits", "caption", "image", "photo credit",
        "contributing", "reporting", "additional reporting", "editing", "writing by", "via",
        "filed under", "keywords", "summary", "abstract", "status", "venue",
    }
)  # fmt: skip
# "UN: PEACEKEEPERS PAYING …" — a headline in capitals after the colon.
_CAPS_HEADLINE = re.compile(rf"^(?:[{_UPPER}0-9][{_UPPER}0-9'’\-]+[,:]?\s+){{3,}}")
_MAX_LABEL = 120  # "The Parliamentary Under-Secretary of State for … (Mr …) (Con)" fits
_LETTERS = re.compile(r"[^\W\d_]{2,}")
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_SENTENCE_END = re.compile(r"[.!?…”\"’)\]—–-]\s*$")


# Offices and courtesies labels carry in French and German transcripts ("Mme Marie Duval",
# "Vizepräsidentin Petra Lindner", "StS Brenner", "Vors. Kessler"): never part of the name.
_LABEL_TITLES = frozenset(
    {"m.", "mme", "mlle", "präsident", "präsidentin", "vizepräsident", "vizepräsidentin",
     "alterspräsident", "alterspräsidentin", "bundeskanzler", "bundeskanzlerin",
     "bundesminister", "bundesministerin", "staatssekretär", "staatssekretärin",
     "staatsminister", "staatsministerin", "sts", "sts'in", "srs", "srs'in", "vors.", "vors",
     "abg.", "frau", "herr", "bk", "bk'in", "bm", "bm'in", "bmin", "stm", "stm'in", "pm"}
)  # fmt: skip


def label_person(name: str) -> str:
    """The person's name in a label, offices and courtesies of any language stripped."""
    words = name.split()
    while len(words) > 1 and words[0].casefold() in _LABEL_TITLES:
        words = words[1:]
    return strip_titles(" ".join(words))


@dataclass(frozen=True)
class Label:
    """A speaker label at a unit's start.

    `label` is as written (without the colon), `name` the part naming the
    person, `speech` the unit offset where the words spoken start, and `weak`
    marks a label whose words read like a headline ("Lukashenko: No
    intention to resign"): a turn only inside an established transcript.
    """

    label: str
    name: str
    kind: LabelKind
    speech: int
    weak: bool = False
    role: str = ""  # the office a bracketed name holds ("The Prime Minister (Ann Lee)")


def _kind_of(name: str) -> LabelKind:
    folded = name.casefold()
    if folded in _QUESTION_LABELS:
        return "question"
    if folded in _UNNAMED_LABELS or re.fullmatch(r"speaker\s\d+", folded):
        return "unnamed"
    if folded in _CHAIR_LABELS:
        return "chair"
    return "name"


def label_of(text: str) -> Label | None:
    """The speaker label `text` opens with, if any."""
    head = text[:1]
    if head == "P" and text.startswith("Photo of ") and (photo := _PHOTO.match(text[:260])):
        return Label(text, photo.group("name"), "name", len(text))
    if ("А" <= head <= "Я" or head in "ЁІЇЄҐЎ") and (steno := _steno_label(text)):
        return steno
    if ":" not in text[:200]:
        if head == "Q" and (bare := _BARE_Q.match(text)):
            return Label("Q", "Q", "question", bare.end())
        return _french_label(text) if head == "M" else None
    if head.isupper() and (timed := _NAME_TIME.match(text[:200])):
        name = timed.group("label")
        return Label(name, name, _kind_of(name), len(text))
    paren = _PAREN_LABEL.match(text) if "(" in text[:200] else None
    if paren and not _MANNER.fullmatch(paren.group("inner")):
        pre, inner = paren.group("pre"), paren.group("inner")
        if pre.isupper() and " " not in pre:
            return None  # "WASHINGTON (Reuters): …" — a dateline
        # "The Minister for … (Ms Clara Vane)", "Madam Deputy Speaker (Dame Ann Lee)": the
        # person is in brackets; "Mr Tom Frayne (Saltmarsh) (LD)": the seat and party are.
        role_first = pre.split()[0].casefold() == "the" or _is_office(pre)
        office = not paren.group("party") and role_first and inner[:1].isupper()
        name, role = (inner, pre) if office else (pre, "")
        return _checked(text, paren.group("label"), name, paren.end(), strong=True, role=role)
    match = _LABEL.match(text) or (_BARE_Q.match(text) if head == "Q" else None)
    if not match and (caps := _CAPS_DESC.match(text)) and len(caps.group("name").split()) > 1:
        return _checked(text, caps.group("label"), caps.group("name").strip(), caps.end(), True)
    if not match:
        return None
    label = match.group("label").strip()
    folded = label.casefold()
    if folded in _NOT_LABELS:
        return None
    first = folded.split()[0]
    if first in {"the", "a", "an"} and not label.isupper() and not _is_office(label):
        return None  # "The talks: …", but "The Prime Minister:" is a speaker
    if first in CUE_WORDS and " " in label:
        return None  # "Stated Stone: …" — a cue verb and its speaker, as in prose
    if label == "A" and not text.startswith("A:"):
        return None
    return _checked(text, label, label, match.end(), strong=label == "Q")


def elapsed(text: str) -> int | None:
    """Seconds into the recording of an otter-style "Name  1:02" line, None for other lines."""
    head = text[:200]
    end = head[:-1] if head.endswith("\n") else head
    if not end[-1:].isdecimal():
        return None  # `_NAME_TIME` ends in a digit (\d: a decimal) at `$`: most lines do not
    match = _NAME_TIME.match(head)
    if not match:
        return None
    parts = [int(p) for p in text.rsplit(None, 1)[-1].split(":")]
    return sum(p * 60**i for i, p in enumerate(reversed(parts)))


def _french_label(text: str) -> Label | None:
    """ "M. Luc Bernard. …" → Luc Bernard; "M. le président. …" → the chair."""
    match = _FRENCH.match(text[:300])
    if not match:
        return None
    name, role = match.group("name"), match.group("role")
    if role:  # "le président" chairs; "la ministre" names nobody
        return Label(match.group("label"), name, "chair" if name in _CHAIR_LABELS else "unnamed",
                     match.end())  # fmt: skip
    return Label(match.group("label"), name, "name", match.end())


def dotted_qa(text: str) -> Label | None:
    """ "Q. …" or "A. …": an interview's question or answer (a turn only among both)."""
    match = _DOTTED_QA.match(text)
    if not match:
        return None
    letter = match.group("label")
    return Label(letter, letter, "question" if letter == "Q" else "unnamed", match.end())


def _is_office(words: str) -> bool:
    """Words of an office only ("The Prime Minister", "Madam Deputy Speaker")."""
    split = words.casefold().split()
    return len(split) >= 2 and split[0] in ("the", "madam", "mr") and set(split) <= _OFFICE_WORDS


def _checked(
    text: str, label: str, name: str, end: int, strong: bool, role: str = ""
) -> Label | None:
    rest = text[end:]
    if len(label) > _MAX_LABEL or rest and rest[0].islower():
        return None
    if rest and (not _LETTERS.search(rest) or _CAPS_HEADLINE.match(rest)):
        return None  # "Clinton: 1,547." (a tally) or a capitals headline
    # "Lukashenko: No intention to …" — maybe a headline, maybe a short turn; so is a
    # rest in Title Case ("Fallin: Trump Is ‘Trying To Campaign As A Racial Healer’").
    short = not _SENTENCE_END.search(rest) and len(rest.split()) <= 15
    # German speech capitalises its nouns too, but not its short words ("für die").
    headline = _title_case(rest) and not _short_words_lower(rest)
    weak = bool(rest) and not strong and (short or headline)
    return Label(label, name, _kind_of(name), end, weak, role)


def _short_words_lower(text: str) -> bool:
    """Most words of three letters or fewer in lower case: a sentence, not a headline."""
    short = [w for w in _WORD.findall(text[:300]) if len(w) <= 3]
    return len(short) >= 3 and sum(w[0].islower() for w in short) > 0.5 * len(short)


def _title_case(text: str) -> bool:
    """Words of a headline: most words of four letters or more capitalised."""
    long = [w for w in _WORD.findall(text[:300]) if len(w) > 3]
    return len(long) >= 4 and sum(w[0].isupper() for w in long) >= 0.8 * len(long)


def _steno_label(text: str) -> Label | None:
    match = _STENO.match(text[:300])
    if not match:
        return None
    rest = text[match.end() :]
    if rest and not rest[0].isupper():
        return None
    name = match.group("name")
    if len(name) < 4 and " " not in name:
        return None  # "США. …": an abbreviation, not a speaker
    return Label(match.group("label"), name, _kind_of(name), match.end())


_SELF_INTRO = re.compile(
    r"\b(?:I'm|I’m|I am|[Mm]y name is|[Tt]his is)\s"
    rf"(?P<name>[{_UPPER}][\w'’\-]+(?:\s[{_UPPER}][\w'’\-]+){{1,2}})"
)
# "Председательствует председатель думы Петров В.С.", "Веде засідання Голова … ПАРУБІЙ А.В."
_SURNAME_LAST = rf"\s?[{_CYR_UPPER}][{_CYR_LOWER}\-]+(?=\s*(?:$|[.,;\n]))"
_PRESIDING = re.compile(
    rf"Présidence de (?:M\.|Mme) (?P<fr>[{_UPPER}][\w’'\-]+(?:\s[{_UPPER}][\w’'\-]+){{1,3}})|"
    r"(?:Председательствует|Председательствующий|Головує|Головуючий|"
    r"[Вв]еде засідання|[Зз]асідання веде)[\s:–—-]+(?:\S+\s){0,6}?"
    rf"(?P<name>[{_CYR_UPPER}](?:[{_CYR_LOWER}\-]+|[{_CYR_UPPER}\-]+)"
    rf"\s[{_CYR_UPPER}]\.\s?[{_CYR_UPPER}]\.(?!{_SURNAME_LAST})"
    # "… Государственной Думы В. В. Володин": initials first, the surname ending the line
    rf"|[{_CYR_UPPER}]\.\s?[{_CYR_UPPER}]\.{_SURNAME_LAST})"
)
# "Darlene Superville, Associated Press. Mr President, …": a reporter names themself.
_REPORTER = re.compile(
    r"^(?:(?:Yes|Hi|Hello|Thank you|Thanks|Good (?:morning|afternoon|evening))"
    r"(?:,?\s(?:very much|so much|sir|ma'am))?"
    rf"(?:,\s(?:Mr\.?|Madam|Mister)\s[{_UPPER}][\w.]*|,\s[{_UPPER}][\w.]*)?[,.!]?\s+)?"
    rf"(?P<name>[{_UPPER}][\w'’\-]+(?:\s[{_UPPER}][\w'’\-]+){{1,2}}),\s"
    rf"(?:with\s|from\s)?(?P<outlet>[{_UPPER}][\w&'’.\-]*(?:\s[{_UPPER}&][\w&'’.\-]*){{0,4}})[.,]\s"
)
_PRESIDING_WORDS = ("Présidence de ", "Председательству", "Голову", "асідання")
_NOT_REPORTER_WORDS = frozenset(
    {"mr", "mr.", "ms", "ms.", "mrs", "mrs.", "madam", "sir", "president", "prime", "minister",
     "secretary", "senator", "governor", "good", "thank", "dear", "ladies", "colleagues"}
)  # fmt: skip


def presiding_officer(header: str) -> str | None:
    """Who chairs a stenogram's sitting, as its header names them (surname and initials)."""
    # Each opening the pattern holds contains one of these; most headers hold none,
    # and finding that costs far less than trying the pattern at every spot (#8).
    if not any(word in header for word in _PRESIDING_WORDS):
        return None
    match = _PRESIDING.search(header)
    if match and match.group("fr"):
        return match.group("fr")  # "Présidence de M. Paul Girardin"
    return steno_name(match.group("name")) if match else None


def self_introductions(text: str) -> list[str]:
    """Full names people give themselves in a turn ("Good evening, I'm Elena Garcia")."""
    return [m.group("name") for m in _SELF_INTRO.finditer(text)]


def reporter_of(speech: str) -> str | None:
    """The reporter a question opens with ("Darlene Superville, Associated Press.")."""
    match = _REPORTER.match(speech)
    if not match:
        return None
    name = match.group("name")
    words = name.casefold().split()
    if words[0] in _NOT_REPORTER_WORDS or name.casefold() in PLACE_NAMES:
        return None
    if any(w in NOT_NAME_WORDS for w in words):
        return None  # "United States, China." — places, not a reporter
    return name


def steno_name(name: str) -> str:
    """ "СОКОЛОВА А.Н." → "Соколова А.Н." (a stenogram's surname in capitals)."""
    surname, _, initials = name.partition(" ")
    return f"{surname[:1]}{surname[1:].lower()} {initials}".strip()

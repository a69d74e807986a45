"""Attribution primitives (extraction stage): masked units, subjects, mentions → speakers.

Input: a unit, its quoted runs and the article's `People`; output: the unit's
text with quotes blanked (`mask_runs`), its sentence spans, a sentence's
subject (`subject_of`) and the `Attribution` a mention resolves to (`Resolver`,
which remembers who spoke last).  `speakers.py` applies its cue rules on these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .lexicon import CUE, NOT_NAME_WORDS, PRONOUN_GENDERS
from .mentions import NAME, ROLE_NOUN_RE, find_mentions
from .names import TITLE_WORDS
from .people import People, after_office, clean_name
from .quotes import Run, Unit

_SUBORDINATORS = frozenset(
    "when if after before while although though as because since once until unless whereas".split()
)
_NOT_SPACE = re.compile(r"\S")
PREPOSITIONS = frozenset(
    "with to for by of from at on about against than like toward towards into among between "
    "behind beside over under via whom after before".split()
)
_COORDINATORS = frozenset({"and", "or", "nor"})
# "On The Steve Harvey Show, …" names a setting, "Like Tom Reed, …" a comparison;
# "For Jon Chait, …" and "To Ann Lee, …" name whose view the sentence gives.
_OPENING_PREPOSITIONS = (PREPOSITIONS | {"in", "during", "inside", "outside", "near"}) - {
    "for",
    "to",
}
# A cue verb right after a mention, perhaps after an adverb: "Lee said", "Lee openly admitted".
_SPEAKS = re.compile(rf"\s+(?:[a-z]+ly\s+)?{CUE}")
_GOVERNING = (
    PREPOSITIONS | _COORDINATORS | {"in", "during"}
)  # a mention after these is not the subject
# Starts with the stop itself, its look-behinds one character further back: a
# pattern that starts with a character class lets the engine skip to the stops.
_SENTENCE_END = re.compile(
    r"[.!?…](?<![A-Z].)(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|Lt|Mt|No|vs).)(?<!\bMrs.)"
    r"(?<!\b(?:Sen|Rep|Gov|Gen|Col).)[.!?…]*[\"”’)\]]*\s+(?=[\"“‘«(\[]?[A-Z0-9]|[\"“‘«]x)"
)


@dataclass(frozen=True)
class Attribution:
    speaker: str | None
    as_written: str | None
    how: str  # name | role | pronoun | continuation | unknown
    # Which rule found it (`confidence.py` weighs them): after_verb, after_name,
    # according, after_dash, after_late, lead_according, lead_cue, possessive,
    # subject, earlier, split, continuation, label.
    rule: str = ""


def by_rule(found: Attribution, rule: str) -> Attribution:
    """`found` marked as found by `rule`."""
    return replace(found, rule=rule)


UNKNOWN = Attribution(None, None, "unknown")
INDEFINITE = re.compile(r"(?:an?|one|another|some)\s", re.I)


# Every ASCII character but whitespace (as `\s` has it) → "x", for `bytes.translate`.
_ASCII_MASK = bytes(c if chr(c).isspace() else ord("x") for c in range(256))


def _blanked(text: str) -> str:
    """`text` with every character but whitespace turned into "x"."""
    if text.isascii():  # a byte table does ASCII in one pass instead of a match per character
        return text.encode("ascii").translate(_ASCII_MASK).decode("ascii")
    return _NOT_SPACE.sub("x", text)


def mask_runs(unit: Unit, runs: list[Run]) -> str:
    """The unit's text with the inside of quotes blanked, final punctuation kept."""
    text = unit.text
    pieces: list[str] = []
    done = 0  # text[:done] is in pieces (runs come in order and do not overlap)
    for run in runs:
        lo = max(run.start, unit.start, unit.start + done) - unit.start
        hi = min(run.end, unit.end) - unit.start
        if hi <= lo:
            continue
        pieces.append(text[done:lo])
        if run.end_unit == unit.index and text[hi - 1] in ".!?…":
            pieces.append(_blanked(text[lo : hi - 1]) + text[hi - 1])
        else:
            pieces.append(_blanked(text[lo:hi]))
        done = hi
    pieces.append(text[done:])
    return "".join(pieces)


def sentence_spans(masked: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for match in _SENTENCE_END.finditer(masked):
        spans.append((pos, match.end()))
        pos = match.end()
    spans.append((pos, len(masked)))
    return spans


class Resolver:
    """Turns mentions into canonical speakers, remembering who spoke or acted last.

    `people` is complete when the resolver is made (nothing is learnt after): what a
    name mention as written resolves to is then fixed, and remembered per mention."""

    def __init__(self, people: People, bodies: dict[str, list[str]] | None = None) -> None:
        self.people = people
        self._named: dict[str, Attribution] = {}  # `mention("name", …)` per text
        # Per name mention as written: the person `note_mentions` remembers, or None.
        self._noted: dict[str, str | None] = {}
        # The bodies the article names, by head word (`entities.find_bodies`).
        self.bodies = bodies or {}
        self.recent: list[str] = []
        # People merely mentioned (not subjects, not speakers), oldest first: the
        # last resort of a pronoun no one who acted or spoke agrees with.
        self.mentioned: list[str] = []
        # People the last noted sentence named when it had no subject and no cue
        # ("…, with Ann Lee lambasting the plan."): the next "she" may be one of them.
        self.unsubjected: list[str] = []

    def note(self, name: str | None) -> None:
        if name:
            if self.recent and self.recent[-1] == name:
                return
            self.recent.append(name)
            del self.recent[:-12]
            self.unsubjected = []

    def note_mentions(
        self,
        masked: str,
        lo: int,
        hi: int,
        subject: re.Match[str] | None = None,
        mentions: list[re.Match[str]] | None = None,
    ) -> list[str]:
        """Remember the people `masked[lo:hi]` names besides its `subject` (returned);
        `mentions`, when given, are `find_mentions(masked, lo, hi)` already listed."""
        added: list[str] = []
        if mentions is None:
            mentions = list(find_mentions(masked, lo, hi))
        for match in mentions:
            if match.lastgroup != "name" or (
                subject is not None and match.start() == subject.start()
            ):
                continue
            written = match.group(0)
            if written in self._noted:
                name = self._noted[written]
            else:
                name = self._noted[written] = self._pronounable(written)
            if name is not None:
                self.mentioned.append(name)
                if not _MODIFIES.match(masked, match.end(), hi):
                    added.append(name)  # not "the Clinton campaign", "Trump aides"
        del self.mentioned[:-30]
        return added

    def _pronounable(self, written: str) -> str | None:
        """The person a name mention stands for when "he" or "she" may later refer to
        them (a person of known gender), or None."""
        people = self.people
        cleaned = clean_name(written)
        if not cleaned or not people.is_person(written):
            return None
        name = people.canonical(cleaned)
        if people.is_female(name) is not None and people.can_be_pronoun(name):
            return name
        return None

    def note_sentence(self, masked: str, lo: int, hi: int, pronoun: bool = True) -> str | None:
        """Note who the sentence `masked[lo:hi]` is about: its other people, then its
        subject (with `pronoun`, also a subject "he"), then who a cue closing it names;
        the last of them, or None."""
        people = self.people
        mentions = list(find_mentions(masked, lo, hi))  # one scan for both
        subject = subject_of(masked, lo, hi, people, mentions)
        added = self.note_mentions(masked, lo, hi, subject, mentions)
        last: str | None = None
        if subject is not None and (pronoun or subject.lastgroup != "pron"):
            kind = subject.lastgroup or "name"
            found = self.mention(kind, subject.group(0))
            if found.speaker is None and kind == "role":
                # "Her father, Brad Lowe, 39, worried …": the apposition names the subject.
                named = _APPOSITION_NAME.match(masked, subject.end(), hi)
                if named and people.is_person(named.group("name")):
                    found = self.mention("name", named.group("name"))
            if found.speaker:
                self.note(found.speaker)
                last = found.speaker
        closing = closing_speaker(masked, lo, hi, people)
        if closing:  # "…, Law said.": who spoke is more salient than the subject
            found = self.mention("name", closing)
            if found.speaker:
                self.note(found.speaker)
                last = found.speaker
        self.unsubjected = added if last is None and subject is None else []
        return last

    def mention(self, kind: str, text: str, local: list[str] | None = None) -> Attribution:
        """Canonical speaker for a mention of `kind` role/name/pron."""
        if kind == "name":
            resolved = self._named.get(text)
            if resolved is None:
                name = clean_name(text)
                resolved = (
                    Attribution(self.people.canonical(after_office(name)), text, "name")
                    if name
                    else UNKNOWN
                )
                self._named[text] = resolved
            return resolved
        if kind == "body":
            # "the board said": the one body the article names with that head word;
            # none or several, and the body stays unnamed (never someone near it).
            named = self.bodies.get(text.split()[-1].casefold(), [])
            if len(named) == 1:
                return Attribution(named[0], text, "role")
            return Attribution(None, text, "unknown")
        if kind == "role":
            if INDEFINITE.match(text):
                # "a spokesperson for the majority leader", "a senior official": an
                # unnamed source, kept as written, never given to someone named later.
                return Attribution(None, text, "unknown")
            found = self.people.resolve_role(text, self.recent + (local or []))
            return Attribution(found, text, "role" if found else "unknown")
        gender = PRONOUN_GENDERS.get(text.casefold(), "plural")
        if gender == "plural":
            return Attribution(None, text, "unknown")
        want_female = gender == "female"
        fresh = {n for n in self.unsubjected if self.people.is_female(n) is want_female}
        if len(fresh) == 1:
            # "…, with Ann Lee lambasting the plan. “…,” she said": the one woman the
            # sentence before named, though no one acted in it, not an earlier speaker.
            return Attribution(fresh.pop(), text, "pronoun")
        for name in reversed(self.recent + (local or [])):
            if not self.people.can_be_pronoun(name):
                continue  # an outlet or a place is never "he" or "she"
            female = self.people.is_female(name)
            if female is None or female == want_female:
                return Attribution(name, text, "pronoun")
        # No one of that gender acted lately: the article's only such person, if one.
        only = self.people.only_of_gender(want_female)
        if only is not None:
            return Attribution(only, text, "pronoun", "only_gender")
        # Nor is there one such person: the last one of that gender mentioned at all.
        for name in reversed(self.mentioned):
            if self.people.is_female(name) is want_female:
                return Attribution(name, text, "pronoun", "mentioned")
        return Attribution(None, text, "unknown")


# "Clinton campaign manager Robby Mook", "McConnell spokesman Don Stewart": a name
# that modifies a role noun, then the person who holds it.
_HOLDER = re.compile(rf"\s+(?P<between>(?:[a-z][\w\-]*\s+){{1,3}})(?P<name>{NAME})")


_OFFICE_OF = re.compile(rf"\s+of\s+(?P<name>{NAME})")
_TITLE_APPOSITION = re.compile(r",\s+[A-Z]")
# Nouns a name modifies as an adjective: "the Clinton campaign", "Trump aides".
_MODIFIES = re.compile(
    r"\s+(?:campaign|camp|administration|team|era|presidency|foundation|family|"
    r"spokesman|spokeswoman|spokesperson|allies|aides|supporters|staff|staffers)\b"
)
# Plural nouns for people a name modifies: "Trump supporters", "Clinton aides".
_GROUP_AFTER = re.compile(
    r"\s+(?:fans|supporters|aides|staffers|members|officials|voters|students|workers|"
    r"residents|activists|lawmakers|employees|protesters|delegates|loyalists|backers|"
    r"allies|critics|donors|advisers|advisors|volunteers)\b"
)
_APPOSITION_NAME = re.compile(r"\s*,\s*(?P<name>" + NAME + r")\s*,")
# Jobs an outlet's name modifies: "Washington Post columnist Margaret Sullivan".
_BYLINE_JOBS = frozenset("columnist reporter analyst commentator pundit correspondent".split())
# A body's head word ending a name after "the": the body is a sentence's subject.
_SPEAKING_BODY = re.compile(r"\b(?:Council|Department|Commission|Committee|Board|Ministry)$")
_MODIFIERS = frozenset({"former", "then", "acting", "late", "elect", "deputy", "assistant"})
# Nouns for a work whose title a name in apposition gives: "In her book, Harbour
# Lights, Reyes noted": the title is no one, the name after it acts.
WORK_NOUNS = frozenset(
    """book books memoir memoirs autobiography biography novel film films movie documentary
    show series album song play report column essay op-ed editorial article podcast
    newsletter blog""".split()
)


def _holder(masked: str, match: re.Match[str], hi: int, people: People | None) -> re.Match[str]:
    """The person a name mention modifies, when a role noun stands between them."""
    last = match.group(0).rsplit(None, 1)[-1].casefold().rstrip(".")
    if last in TITLE_WORDS and last not in _MODIFIERS:
        # "RNC Chief of Staff Katie Walsh": the office's holder after its "of".
        of_holder = _OFFICE_OF.match(masked, match.end(), hi)
        if of_holder and (people is None or people.is_person(of_holder.group("name"))):
            later = next(find_mentions(masked, of_holder.start("name"), hi), None)
            if later is not None and later.lastgroup == "name":
                return later
    found = _HOLDER.match(masked, match.end(), hi)
    if found is None:
        return match
    holder = clean_name(found.group("name")).split()
    titled = bool(holder) and holder[0].casefold().rstrip(".") in TITLE_WORDS
    between = found.group("between").split()
    if not NOT_NAME_WORDS.isdisjoint(between):
        return match  # "Jon Goldberg of the National Review", "Lee told the Times"
    # The office right before the holder: "police officer Tim Smith", not "Lee quotes
    # former Carter adviser Al Kahn" (a verb and a description between).
    noun = between[-1].casefold()
    office = (
        (noun in TITLE_WORDS and noun not in _MODIFIERS)
        or noun in _BYLINE_JOBS
        or bool(ROLE_NOUN_RE.fullmatch(noun))
    )
    if not holder or not (titled or office):
        return match
    if people is not None and not people.is_person(found.group("name")):
        return match
    later = next(find_mentions(masked, found.start("name"), hi), None)
    return later if later is not None and later.lastgroup == "name" else match


# "…, Law said." / "…, said Steven Law, a professor at …": a cue closing a sentence
# names who spoke it.
_CLOSING_CUE = re.compile(
    rf"(?:,[”\"’]?|[”\"])\s+(?:(?P<before>{NAME})\s+{CUE}(?:\s+[a-z][^,;:“”\"]{{0,60}})?|{CUE}\s+(?P<after>{NAME})"
    r"(?:,\s+[^,;:“”\"]{1,100})?)[\s.!?…\"”’)]*$"
)


def closing_speaker(masked: str, lo: int, hi: int, people: People) -> str | None:
    """The person a cue closing the sentence `masked[lo:hi]` names ("…, Law said."), or None."""
    if (
        masked.find(",", lo, hi) < 0
        and masked.find("”", lo, hi) < 0
        and masked.find('"', lo, hi) < 0
    ):
        return None  # none of the marks a closing cue starts with
    found = _CLOSING_CUE.search(masked, lo, hi)
    if found is None:
        return None
    written = found.group("before") or found.group("after")
    return written if clean_name(written) and people.is_person(written) else None


def _after_work_noun(before: str) -> bool:
    """Whether `before` ends in a work noun, perhaps with its comma ("her book,")."""
    last = before.rsplit(maxsplit=1)[-1:]
    return bool(last) and last[0].casefold().rstrip(",") in WORK_NOUNS


def _office_of(prev: list[str]) -> bool:
    """Whether the words before a mention end in an office and "of" ("Secretary of")."""
    return len(prev) > 1 and prev[-1] == "of" and prev[-2].casefold().rstrip(".") in TITLE_WORDS


def subject_of(
    masked: str,
    lo: int,
    hi: int,
    people: People | None = None,
    mentions: list[re.Match[str]] | None = None,
) -> re.Match[str] | None:
    """The first person mention of a sentence not governed by a preposition.

    `mentions`, when given, are `find_mentions(masked, lo, hi)` already listed."""
    first = masked[lo:hi].split(maxsplit=1)
    opener = first[0].casefold().strip(",") if first else ""
    participle = opener.endswith("ing") or opener in {"asked", "given", "told", "pressed"}
    if opener in _SUBORDINATORS:
        comma = masked.find(",", lo, hi)
        if comma > 0:
            lo = comma + 1
            mentions = None  # the scan starts after the clause: a scan of its own
    governed_end = -1  # where a mention governed by a preposition ends
    for match in find_mentions(masked, lo, hi) if mentions is None else mentions:
        kind = match.lastgroup
        if participle and masked[match.end() : match.end() + 1] == ",":
            continue  # "Speaking in Salem, New Hampshire, Trump said": not the subject
        if kind == "role" and masked[governed_end : match.start()].strip() == ",":
            continue  # "Like Bob Reed, the former mayor, Lee …": the apposition too
        if kind == "name":
            written = match.group(0)
            if not clean_name(written):
                continue
            if written.split(maxsplit=1)[0].casefold() in _OPENING_PREPOSITIONS:
                governed_end = match.end()
                continue  # "On The Steve Harvey Show, Lee said": a place in time, no one
            if masked[max(lo, match.start() - 1) : match.start()] in ("“", '"', "«", "„"):
                continue  # billed as “Hard Hats for Hillary”: a title in quotes, no one
            if _TITLE_APPOSITION.match(masked, match.end(), hi) and _after_work_noun(
                masked[lo : match.start()]
            ):
                continue  # "her 2003 book, Harbour Lights, Reyes noted": a work's title
            if people is not None and not people.is_person(written):
                if not people.may_be_surname(written) or not _SPEAKS.match(masked, match.end(), hi):
                    continue  # but "Brenan said": a surname the article never completes
        prev = masked[lo : match.start()].split()
        if len(prev) > 20:
            return None
        if (
            prev
            and prev[-1].casefold().strip(",") in _GOVERNING
            and (len(prev) > 1 or prev[-1].casefold() not in _COORDINATORS)
            # "Secretary of State John Kerry said": the office's holder, not its object
            and not (_office_of(prev) and kind == "name")
        ):
            continue  # "And Obama, …, seems to agree": a sentence may open with "and"
        if kind == "name" and prev and prev[-1] in ("the", "a", "an"):
            if len(prev) > 1 and prev[-2].casefold() in PREPOSITIONS:
                continue
            if prev[-1] == "the" and _SPEAKING_BODY.search(match.group(0)):
                return match  # "the Security Council issued a statement": a body acts
            return None  # "the Western neighbours", "the White House": not a person
        if kind != "pron" and (
            masked[match.end() : match.end() + 2] in ("'s", "’s")
            or match.group(0)[-2:] in ("s'", "s’")
        ):
            continue  # "Trump's plan", "Sanders' success" (a possessor); "He's …" a subject
        if kind == "name" and _GROUP_AFTER.match(masked, match.end(), hi):
            return None  # "Westfield College fans chanted": the fans, no one named
        return _holder(masked, match, hi, people) if kind == "name" else match
    return None

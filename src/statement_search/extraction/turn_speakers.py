"""Who speaks each transcript turn (extraction stage): a label → the person it names.

A label resolves to the person the document introduces: `GUTHRIE:` is
Savannah Guthrie once she says "I'm Savannah Guthrie", `Mr Hague:` is the
William Hague of an earlier `(Mr William Hague):`, `THE PRESIDENT:` the
president the title names, `ПРЕДСЕДАТЕЛЬСТВУЮЩИЙ.` the chair the header
names.  Questions belong to the reporter who names themself, else to nobody;
unnamed labels (`Speaker 2`, `Reply`) to nobody.  The label always wins over
what is said in the turn.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .names import name_tokens, title_case
from .people import People
from .transcript_labels import (
    label_person,
    presiding_officer,
    reporter_of,
    self_introductions,
    steno_name,
)
from .transcripts import Turn

if TYPE_CHECKING:
    from .context import ArticleContext

_ROLE_ONLY = frozenset(
    {"the", "president", "vice", "prime", "minister", "secretary", "chancellor", "speaker",
     "chair", "chairman", "chairwoman", "moderator", "governor", "senator", "mayor", "premier",
     "deputy", "first", "lady", "madam", "mr", "mr.", "ms", "ms.", "mrs", "mrs.", "of", "state",
     "foreign", "defence", "defense", "king", "queen", "host", "spokesperson", "spokesman",
     "spokeswoman", "ambassador", "general", "admiral", "commissioner",
     # "Le Président de la République", "Der Bundeskanzler"
     "le", "la", "de", "président", "présidente", "république", "première",
     "ministre", "porte-parole", "der", "die", "präsident", "präsidentin", "bundeskanzler",
     "bundeskanzlerin", "bundespräsident", "bundespräsidentin"}
)  # fmt: skip


# "И.Петрак", "V. Petrak": an initial and a surname, as Kremlin transcripts label speakers.
_INITIAL_SURNAME = re.compile(r"^(?P<initial>[^\W\d_])\.\s?(?P<surname>[^\W\d_][\w’'\-]+)$")
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁІЇЄҐЎ"
# Capitalised words before a surname that are no forename ("Dr Quill", "Senator Quill").
_NOT_FORENAMES = frozenset(
    {"dr", "dr.", "sen", "sen.", "rep", "rep.", "gov", "gov.", "sir", "dame", "lord", "lady",
     "professor", "prof", "judge", "justice", "colonel", "captain", "by", "with", "and",
     "said", "says", "asked", "told", "to", "from", "for", "meets", "met", "on", "in",
     "at", "press", "spokesperson", "spokesman", "spokeswoman", "correspondent", "anchor",
     "host", "moderator", "reporter", "interview", "mayor", "senator", "governor", "minister"}
)  # fmt: skip
_ANSWER_LABELS = frozenset({"A", "Answer", "ANSWER"})
_INTERVIEW = re.compile(
    r"\b(?:[Ii]nterview|[Cc]onversation)\s(?:with|of)\s"
    r"(?P<who>(?:[A-Z][\w.'’\-]* ){0,6}[A-Z][\w'’\-]+)"
)
# German compound offices: "Premierminister", "Bundespräsidentin", "Staatssekretär".
_OFFICE_ENDINGS = ("minister", "ministerin", "präsident", "präsidentin", "kanzler", "kanzlerin",
                   "sekretär", "sekretärin", "sprecher", "sprecherin")  # fmt: skip
_HONORIFICS = frozenset({"mr", "mr.", "ms", "ms.", "mrs", "mrs.", "madam", "the", "of"})


def credit(context: ArticleContext) -> dict[int, str | None]:
    """Who speaks each turn of the article, those of a transcript printed as a quotation
    included: the unit index a turn starts in → the person its label names (None:
    nobody).  The labels are learnt from the whole transcript first."""
    article = context.article
    in_quotes = [said.turn for split in context.quoted.values() for said in split]
    if not context.turns and not in_quotes:
        return {}
    header = "\n".join([article.title, *(u.text for u in context.units[:8])])
    speakers = TurnSpeakers(context.people, header)
    every = context.found_turns + in_quotes
    speech: dict[int, str] = {}
    for turn in every:
        speech[turn.unit] = speech.get(turn.unit, "") + article.text[turn.start : turn.end]
    speakers.learn(every, speech)
    credits = {
        index: speakers.speaker(turn, article.text[turn.start : turn.end])
        for index, turn in context.turns.items()
    }
    for split in context.quoted.values():
        for said in split:
            credits[said.turn.unit] = speakers.speaker(said.turn, said.text)
    return credits


class TurnSpeakers:
    """Resolves a transcript's labels against the names the document introduces."""

    def __init__(self, people: People, header: str) -> None:
        self.people = people
        self.header = header
        self.interviewee = _interviewee(header)
        self.chair = presiding_officer(header)
        self.by_surname: dict[str, set[str]] = {}
        self.by_office: dict[str, str | None] = {}  # "prime minister" → "Ann Lee"
        self.answerers: set[str] = set()  # surnames of the labelled speakers
        self.memo: dict[str, str | None] = {}

    def learn(self, turns: list[Turn], speech: dict[int, str]) -> None:
        """Register the full names labels give and the names speakers give themselves."""
        for turn in turns:
            if turn.kind == "name":
                bare = label_person(turn.name)
                self._register(title_case(bare) if bare.isupper() else bare)
                self.answerers.update(t.casefold() for t in name_tokens(bare)[-1:])
            if turn.role:
                self._office(turn.role, label_person(turn.name))
            elif turn.kind == "name" and (office := _office_of(turn.name)):
                self._office(office, label_person(turn.name))  # "PRESIDENT RUIZ"
            if turn.kind == "name":
                for name in self_introductions(speech.get(turn.unit, "")):
                    self._register(name)

    def _office(self, office: str, holder: str) -> None:
        """One holder an office: two different ones make it ambiguous (None)."""
        key = _office_key(office)
        holder = title_case(holder) if holder.isupper() else holder
        known = self.by_office.setdefault(key, holder)
        if known and name_tokens(known)[-1:] != name_tokens(holder)[-1:]:
            self.by_office[key] = None

    def _register(self, name: str) -> None:
        tokens = name_tokens(name)
        if len(tokens) >= 2 and all(t[:1].isupper() for t in tokens):
            self.by_surname.setdefault(tokens[-1].casefold(), set()).add(" ".join(tokens))

    def speaker(self, turn: Turn, speech: str) -> str | None:
        """The person who speaks `turn` (None when the label names nobody)."""
        if turn.kind == "question":
            reporter = reporter_of(speech)
            # Never the person who answers: a reporter is not one of the labelled speakers.
            if reporter and name_tokens(reporter)[-1].casefold() in self.answerers:
                return None
            return reporter
        if turn.kind == "unnamed":
            # "A." / "Answer:" of "Interview with Foreign Minister Oleg Varga"
            return self.interviewee if turn.label in _ANSWER_LABELS else None
        if turn.kind == "chair":
            return self.chair
        if turn.name not in self.memo:
            self.memo[turn.name] = self._resolve(turn.name)
        return self.memo[turn.name]

    def _resolve(self, name: str) -> str | None:
        if name[:1].isupper() and name.split()[0].isupper() and _is_steno(name):
            return steno_name(name)
        words = [w.casefold() for w in name.split()]
        if all(w in _ROLE_ONLY for w in words):
            # "The Prime Minister:" after "The Prime Minister (Ann Lee):", "THE PRESIDENT:"
            # after "PRESIDENT RUIZ:"
            key = _office_key(name)
            return self.by_office[key] if key in self.by_office else self._role(name)
        if initialled := _INITIAL_SURNAME.match(name):
            return self._initialled(name, initialled.group("initial"), initialled.group("surname"))
        bare = label_person(name) or name
        if bare.isupper():
            bare = title_case(bare)
        tokens = name_tokens(bare)
        if not tokens:
            return None
        if len(tokens) == 1:
            full = self.by_surname.get(tokens[0].casefold(), set()) or self._in_header(tokens[0])
            if len(full) == 1:
                return next(iter(full))
        canonical = label_person(self.people.canonical(bare) or "")
        if canonical and canonical.isupper():
            canonical = title_case(canonical)
        # Not a run of capitalised nouns glued to the name ("Pressekonferenz von … Roth").
        if canonical and name_tokens(canonical)[-1:] == tokens[-1:]:
            return canonical if len(name_tokens(canonical)) <= 4 else bare
        return bare

    def _in_header(self, surname: str) -> set[str]:
        """ "MS. QUILL" → the "Karen Quill" of "Press Secretary Karen Quill" in the title."""
        pattern = rf"\b([{_UPPER}][\w’'\-]+)\s{re.escape(surname)}\b"
        return {
            f"{first} {surname}"
            for first in re.findall(pattern, self.header)
            if first.casefold() not in _ROLE_ONLY | _NOT_FORENAMES
            and label_person(f"{first} {surname}") != surname  # "BK'in Roth"
            and not first.casefold().endswith(_OFFICE_ENDINGS)  # "Premierminister Okoye"
        }

    def _initialled(self, name: str, initial: str, surname: str) -> str:
        """ "И.Петрак" → "Иван Петрак" when the labels or the header give one such name."""
        known = self.by_surname.get(surname.casefold(), set())
        pattern = rf"\b{re.escape(initial)}[\w’'\-]+\s{re.escape(surname)}\b"
        found = {n for n in known if n.startswith(initial)} or {
            " ".join(m.split()) for m in re.findall(pattern, self.header)
        }
        return next(iter(found)) if len(found) == 1 else name

    def _role(self, label: str) -> str | None:
        """ "THE PRESIDENT", "MR SPEAKER": the holder the document names, if one."""
        role = label if label.casefold().startswith("the ") else "the " + label
        # Only someone the document describes so: in a transcript the last speaker named
        # is the one the question was put to, not the holder of the office.
        return self.people.resolve_role(role.lower(), [])


def _interviewee(header: str) -> str | None:
    """Who a header says is interviewed ("Interview with Mayor Lina Haas"), if a full name."""
    if "nterview" not in header and "onversation" not in header:
        return None  # what `_INTERVIEW` starts with: most headers are turned away here
    match = _INTERVIEW.search(header)
    if not match:
        return None
    name = label_person(match.group("who"))
    return name if len(name_tokens(name)) >= 2 else None


def _office_key(role: str) -> str:
    """ "The Prime Minister" → "prime minister"; "President of Ruritania" → "president"."""
    words = role.casefold().split()
    if words and words[0] == "the":
        words = words[1:]
    for cut, word in enumerate(words):
        if word in ("of", "for", "de", "der"):
            words = words[:cut]
            break
    return " ".join(words)


def _office_of(label: str) -> str | None:
    """The office words before a name ("PRESIDENT RUIZ" → "PRESIDENT"), if any."""
    bare = label_person(label)
    if not bare or bare == label or not label.endswith(bare):
        return None
    office = label[: len(label) - len(bare)].strip()
    words = office.casefold().split()
    return office if words and words[0] in _ROLE_ONLY - _HONORIFICS else None


def _is_steno(name: str) -> bool:
    return any("А" <= ch <= "я" or ch in "ЁІЇЄҐЎ" for ch in name)

"""Who the article introduces (extraction stage): names, roles, gender hints.

Input: the article's units; output: a `People` register that turns a mention
as written ("Lukashenko", "the Russian leader", "THE PRESIDENT", "he") into
a canonical full name.  Roles resolve against the descriptions the article
gives its people ("Russian President Vladimir Putin", "Andrew Bates, a
spokesperson for the White House"); an unqualified "the President" on an
official presidential site is that site's own president.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .entities import (
    ADVERB_ENDINGS,
    GROUP_WORDS,
    before_headline_words,
    not_a_speaker,
    speaker_type,
)
from .gender import first_name_gender, guessed_female
from .lexicon import (
    ADJECTIVE_SYNONYMS,
    FEMALE_FIRST_NAMES,
    FEMALE_TITLES,
    FOREIGN_ROLES,
    HEAD_ROLES,
    MALE_FIRST_NAMES,
    MALE_TITLES,
    NOT_NAME_WORDS,
    NOT_PERSON_WORDS,
    PLACE_NAMES,
    ROLE_CLASSES,
    ROLE_NOUNS,
)
from .mentions import CAPWORD, NAME, NAME_FIND, OF, ROLE_NOUN_RE, UPPER, role_nouns
from .names import TITLE_WORDS, ArticleNames, name_tokens, strip_titles

# Found from each role noun outwards (cheap), not by scanning every position:
# "Russian President Vladimir Putin" — up to four words before, a name after;
_NAME_AFTER = re.compile(
    rf"(?:\s+{OF}\s+(?:the\s+)?{CAPWORD}(?:\s+{CAPWORD}){{0,2}})?\s+(?P<name>{NAME})"
)
# Other languages put more between a role noun and the name: "Міністр охорони
# здоров'я Руританії Тарас Коваль", "El presidente del Gobierno, Andrés Ruiz,".
_FOREIGN_NAME_AFTER = re.compile(
    rf"(?:\s+(?:{OF}\s+)?(?:[^\W\d{UPPER}][\w'’\-]*|«[^»]{{1,40}}»|{CAPWORD})){{0,4}}?"
    rf"(?:\s+|,\s+)(?P<name>{CAPWORD}(?:\s{CAPWORD}){{1,3}})(?=[\s,.;:]|$)"
)
_DESC_BEFORE = re.compile(rf"(?:(?:{CAPWORD}|[a-z][\w\-]*)\s+){{0,4}}$")
# "Andrew Bates, a spokesperson for the White House," — a name and comma before.
_NAME_BEFORE = re.compile(rf"(?P<name>{NAME}),\s+(?:the|a|an|{CAPWORD})\b[^,;:.“”\"]{{0,80}}$")
# "Thank you, Mr President", "Merci, Monsieur le Président": a courtesy title after the
# comma addresses someone; the word before it is no name in apposition.
_ADDRESS_TITLES = (
    frozenset({"mr", "mr.", "mister", "madam", "madame", "sir", "ms", "ms.", "mrs", "mrs."})
    | MALE_TITLES
    | FEMALE_TITLES
) - {"king", "queen", "lord", "lady", "dame", "father"}  # "Charles, King of …" is apposition


def _addresses(text: str, comma: int) -> bool:
    """Whether the comma at `comma` is followed by a title of address (a vocative)."""
    following = text[comma + 1 : comma + 40].split(maxsplit=1)
    return bool(following) and following[0].casefold() in _ADDRESS_TITLES


_ROLE_WORDS_RE = re.compile(
    r"(?<![\w\-])(?:"
    + "|".join(re.escape(r) for r in sorted(ROLE_NOUNS, key=len, reverse=True))
    + r")(?![\w\-])"
)
_PLACE_WORDS_RE = re.compile(
    r"(?<![\w\-])(?:"
    + "|".join(re.escape(p) for p in sorted(ADJECTIVE_SYNONYMS, key=len, reverse=True))
    + r")(?![\w\-])"
)
# An official presidential site's own head of state (nationality, name if stable).
OFFICIAL_SITES: dict[str, tuple[str, str | None]] = {
    "president.gov.by": ("belarusian", "Aleksandr Lukashenko"),
    "kremlin.ru": ("russian", "Vladimir Putin"),
    "president.gov.ua": ("ukrainian", None),
    "whitehouse.gov": ("american", None),
    "elysee.fr": ("french", None),
    "akorda.kz": ("kazakh", None),
    "president.az": ("azerbaijani", None),
    "prezident.tj": ("tajik", None),
    "president.kg": ("kyrgyz", None),
    "bundespraesident.de": ("german", None),
    "gov.uk": ("british", None),
    "tccb.gov.tr": ("turkish", None),
}


_NATIONALITIES = frozenset(ADJECTIVE_SYNONYMS.values())


_ARTICLES = frozenset({"der", "die", "das", "den", "dem", "des"})
# A lower-case word not inside another: its first letter taken first, so the engine
# skips to the letters, then the look-behind checks the character before it.
_LOWER_WORD = re.compile(r"[a-z](?<![\w'’\-].)[a-z'’\-]*")
_LOWER_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz'’-")


@lru_cache(maxsize=32768)
def clean_name(text: str) -> str:
    """A name mention without leading sentence words ("During Aleksandr …").

    Cached: each mention is cleaned by several rules.
    """
    tokens = text.replace("\u00a0", " ").split(" ")
    if len(tokens) >= 3 and text.isupper():
        return ""  # a headline in capitals, not a name
    while tokens and (
        tokens[0].casefold().rstrip(".,") in NOT_NAME_WORDS
        or tokens[0].casefold().endswith(ADVERB_ENDINGS)  # "Certainly Donald Trump"
    ):
        if len(tokens) > 1 and f"{tokens[0]} {tokens[1]}".casefold() in PLACE_NAMES:
            # "New York Times", "New Hampshire Republican": a place naming a body or a
            # group keeps its "New"; before a person ("New Hampshire Sanders") it goes.
            rest = [t.casefold() for t in tokens[2:]]
            if not rest or any(w in NOT_PERSON_WORDS or w in GROUP_WORDS for w in rest):
                break
            del tokens[:2]
            continue
        tokens.pop(0)
    if tokens and (tokens[-1].endswith("'s") or tokens[-1].endswith("’s")):
        return ""
    for i in range(2, len(tokens) - 1):
        # "Olaf Scholz der Zeitung": an article starts what follows the name
        # (but "Ursula von der Leyen" keeps its particles).
        if tokens[i] in _ARTICLES and tokens[i - 1].casefold() not in ("von", "van", "de"):
            del tokens[i:]
            break
    return " ".join(tokens)


@lru_cache(maxsize=32768)
def _full_name(written: str) -> str:
    """The full name a mention registers (two words or more once titles go), or "".

    Cached: articles name the same people, and most capitalised words are no name.
    A possessor names its person too ("Ann Reyes’s record": Ann Reyes)."""
    if len(written.split(None, 1)) < 2:
        return ""  # one word: no full name, whatever the rules below take off
    if written.endswith(("'s", "’s")):
        written = written[:-2]
    raw = after_office(clean_name(written))
    if raw and " " in raw and len(name_tokens(strip_titles(raw))) >= 2:
        # "Hillary Clinton Goes After Donald Trump": a headline, not a longer Trump.
        return "" if not_a_speaker(raw) == "headline" else raw
    return ""


_FIRST_NAMES = MALE_FIRST_NAMES | FEMALE_FIRST_NAMES  # the lexicon's lists, joined once


@lru_cache(maxsize=32768)
def after_office(raw: str) -> str:
    """`raw` from its first name on when the words before it complete an office:
    "Chief of Staff Katie Walsh" is read as "Staff Katie Walsh", the person is
    "Katie Walsh". Only when the first word is no first name and the second is (cached)."""
    words = raw.split()
    if (
        len(words) >= 3
        and words[0].isalpha()
        and guessed_female(words[0]) is None
        and words[0].casefold() not in _FIRST_NAMES
        and (words[1].casefold() in _FIRST_NAMES or guessed_female(words[1]) is not None)
    ):
        return " ".join(words[1:])
    return raw


@lru_cache(maxsize=32768)
def _titled(raw: str) -> tuple[str, bool | None]:
    """`raw` without titles, and whether a title makes it a woman (True) or a man (False).

    Cached: articles name the same people."""
    lowered = raw.casefold().split()
    if not FEMALE_TITLES.isdisjoint(lowered):
        female: bool | None = True
    elif not MALE_TITLES.isdisjoint(lowered):
        female = False
    else:
        female = None
    return strip_titles(raw), female


def _last_words_start(text: str, end: int) -> int:
    """Where the last four whitespace-separated chunks of the 80 characters before
    `end` begin: `_DESC_BEFORE` (four words at most) cannot match earlier, and
    searching from there spares it a failed try at every character before."""
    lo = max(0, end - 80)
    chunks = text[lo:end].rsplit(None, 4)
    if len(chunks) < 5:
        return lo
    return text.index(chunks[1], lo + len(chunks[0]))


def _writes(text: str, word: str) -> bool:
    """Whether `word` (lower-case letters, ' ’ -) is one of `_LOWER_WORD.findall(text)`:
    written with no letter, digit, _ ' ’ or - before it and no a-z ' ’ - after it."""
    at = text.find(word)
    while at >= 0:
        before = text[at - 1 : at]
        after = text[at + len(word) : at + len(word) + 1]
        if not (before and (before.isalnum() or before in "_'’-")) and not (
            after and after in _LOWER_WORD_CHARS
        ):
            return True
        at = text.find(word, at + 1)
    return False


@lru_cache(maxsize=32768)
def _can_be_pronoun(name: str) -> bool:
    """A person "he" or "she" may stand for: not an outlet, body or region (cached)."""
    tokens = name_tokens(name)
    if not tokens or name.casefold() in PLACE_NAMES or not_a_speaker(name):
        return False
    return speaker_type(name) == "person"


_WORD_RE = re.compile(r"[\w\-]+")


@lru_cache(maxsize=8192)
def _words(desc: str) -> frozenset[str]:
    """Adjectives and role nouns of a description, normalised (cached: role phrases
    such as "the president" come back in every article)."""
    lowered = desc.casefold()
    words: set[str] = {
        FOREIGN_ROLES.get(noun, noun)
        for noun in (" ".join(found.split()) for found in _ROLE_WORDS_RE.findall(lowered))
    }
    words.update(ADJECTIVE_SYNONYMS[p] for p in _PLACE_WORDS_RE.findall(lowered))
    for token in _WORD_RE.findall(lowered):
        words.add(ADJECTIVE_SYNONYMS.get(token, token))
    return frozenset(words)


def _compatible(role: str, person_words: set[str], classes: list[frozenset[str]]) -> bool:
    """`role` fits a person described by `person_words`; `classes` are the role's classes."""
    if role in person_words:
        return True
    return any(not person_words.isdisjoint(cls) for cls in classes)


@dataclass
class Person:
    name: str
    order: int
    words: set[str] = field(default_factory=set)
    female: bool | None = None
    # What the person was ("former Secretary of State"): only "the former …" refers to it.
    former: set[str] = field(default_factory=set)


# Role noun (English), adjectives, who fits, and whether it was written in another language.
_RoleCandidates = tuple[str, set[str], list[Person], bool]


@dataclass
class People:
    """The register of one article's people."""

    names: ArticleNames = field(default_factory=ArticleNames)
    people: dict[str, Person] = field(default_factory=dict)
    site: tuple[str, str | None] | None = None
    # Per role phrase as written: its role noun, adjectives and the people it may
    # stand for (`_role_candidates`); forgotten whenever a person is described (only
    # a description makes someone a candidate).
    _roles: dict[str, _RoleCandidates | None] = field(
        default_factory=dict, repr=False, compare=False
    )
    # Per name mention: `is_person`'s answer and how many full names it was given for.
    _persons: dict[str, tuple[bool, int]] = field(default_factory=dict, repr=False, compare=False)
    # Texts whose lower-case words are no surname; per word asked: answer, texts covered.
    _texts: list[str] = field(default_factory=list, repr=False, compare=False)
    _lower: dict[str, tuple[bool, int]] = field(default_factory=dict, repr=False, compare=False)
    # Every text learnt, joined (`_joined`), and how many texts that was.
    _all: tuple[str, int] = field(default=("", 0), repr=False, compare=False)

    def person(self, name: str) -> Person:
        found = self.people.get(name)
        if found is None:
            found = self.people[name] = Person(name, len(self.people))
        return found

    def learn(self, text: str, confirmed_by: str | None = None) -> None:
        """Register every full name and role description in `text`; with `confirmed_by`
        (the body, for a headline) a name of three words or more only if that text also
        writes it, and no roles: a headline's capitalised run ("Republican Donor
        Adelson", "More Hillary Clinton") is not a name."""
        for raw in filter(None, map(_full_name, NAME_FIND.findall(text))):
            if (
                confirmed_by is not None
                and raw not in confirmed_by
                and len(name_tokens(strip_titles(raw))) > 2
            ):
                continue
            self.names.add(raw)
            self._gender(raw)
        if confirmed_by is not None:
            return
        self._texts.append(text)
        for role in role_nouns(text):  # spans only: the match is of the lower-cased text
            noun = " ".join(role.group(0).lower().split())
            finder = _FOREIGN_NAME_AFTER if noun in FOREIGN_ROLES else _NAME_AFTER
            after = finder.match(text, role.end())
            if after:
                desc = _DESC_BEFORE.search(
                    text, _last_words_start(text, role.start()), role.start()
                )
                lo = desc.start() if desc else role.start()
                self._describe(after.group("name"), text[lo : after.start("name")])
            window = max(0, role.start() - 120)
            # "Name, a spokesperson for …": most windows hold no comma and need no search.
            if text.find(",", window, role.start()) < 0:
                continue
            before = _NAME_BEFORE.search(text, window, role.start())
            if before and not _addresses(text, before.end("name")):
                self._describe(before.group("name"), text[before.end("name") : role.end() + 60])

    def _gender(self, raw: str) -> None:
        bare, female = _titled(raw)
        if not bare:
            return
        person = self.person(self.names.canonical(bare))
        if female is not None:
            person.female = female
        elif person.female is None:
            person.female = first_name_gender(name_tokens(bare))

    def _describe(self, raw_name: str, desc: str) -> None:
        name = clean_name(raw_name)
        if not_a_speaker(name) == "headline":
            name = before_headline_words(name)  # "President Lee Before Harbour …"
        bare = strip_titles(name)
        if not bare or bare.casefold() in NOT_NAME_WORDS:
            return
        self.names.add(bare)
        person = self.person(self.names.canonical(bare))
        words = _words(desc + " " + name[: max(0, len(name) - len(bare))])
        if "former" in words or "late" in words:
            if "former" in words:
                person.former |= words
                self._roles.clear()
            return
        person.words |= words
        self._roles.clear()

    def is_person(self, written: str) -> bool:
        """A name mention that can be a speaker: a full name, or a surname the article knows."""
        known = len(self.names.full)  # the surnames it knows change only with the full names
        found = self._persons.get(written)
        if found is None or found[1] != known:
            found = self._persons[written] = (self._is_person(written), known)
        return found[0]

    def _is_person(self, written: str) -> bool:
        bare = strip_titles(clean_name(written))
        tokens = name_tokens(bare)
        if bare.casefold() in PLACE_NAMES or not tokens or not_a_speaker(bare):
            return False
        if len(tokens) >= 2:
            return True
        first = tokens[0].casefold()
        if first in TITLE_WORDS and not any(
            speaker_type(full) == "person" for full in self.names.by_surname.get(first, ())
        ):
            return False  # "Former House": an office, no one named (but Billie Jean King)
        titled = len(name_tokens(clean_name(written))) > 1
        known = first in MALE_FIRST_NAMES or first in FEMALE_FIRST_NAMES
        if not (titled or known or self.names.by_surname.get(first)):
            # "Her father, Brad, 39, worried": a first name alone, unless the article
            # also writes the word in lower case ("Will", "Hope", "Rush").
            return (
                tokens[0].istitle()  # not "JACKSON, Miss." of a dateline
                and not self.writes_in_lower_case(first)
                and guessed_female(tokens[0]) is not None
            )
        return True

    def may_be_surname(self, written: str) -> bool:
        """A single capitalised word that may be a surname the article never completes
        ("Brenan said"): no word the article also writes in lower case ("Delegates")."""
        word = written.strip()
        return (
            " " not in word
            and len(word) > 2
            and word[:1].isupper()
            and not self.writes_in_lower_case(word.casefold())
            and word.casefold() not in NOT_NAME_WORDS
            and not_a_speaker(word) is None
            # "Aides say": a role noun's plural opening a sentence, not a surname
            and not (word.endswith("s") and ROLE_NOUN_RE.fullmatch(word[:-1].casefold()))
        )

    def writes_in_lower_case(self, word: str) -> bool:
        """Whether a text learnt writes `word` as a whole lower-case word: one of
        `_LOWER_WORD.findall(text)`, found by looking up `word` alone."""
        known = self._lower.get(word)
        if known is not None and (known[0] or known[1] == len(self._texts)):
            return known[0]
        found = False
        if _LOWER_WORD.fullmatch(word):
            found = _writes(self._joined(known[1] if known else 0), word)
        self._lower[word] = (found, len(self._texts))
        return found

    def _joined(self, start: int) -> str:
        """The texts learnt from the `start`-th on, one line each: a line break is no
        letter, digit, _ ' ’ or -, so `_writes` in it is `_writes` in one of them."""
        if start:
            return "\n".join(self._texts[start:])
        if self._all[1] != len(self._texts):
            self._all = ("\n".join(self._texts), len(self._texts))
        return self._all[0]

    can_be_pronoun = staticmethod(_can_be_pronoun)

    def canonical(self, written: str) -> str:
        return self.names.canonical(written)

    def only_of_gender(self, female: bool) -> str | None:
        """The article's one person known to be a woman (or a man), or None."""
        found = [
            p.name
            for p in self.people.values()
            if p.female is female and self.can_be_pronoun(p.name)
        ]
        return found[0] if len(found) == 1 else None

    def is_female(self, name: str) -> bool | None:
        person = self.people.get(name)
        return person.female if person else None

    def _role_candidates(self, written: str) -> _RoleCandidates | None:
        """The role noun of a role phrase, its adjectives, and who fits both."""
        match = ROLE_NOUN_RE.search(written)
        if not match:
            return None
        written_noun = re.sub(r"\s+", " ", match.group(0).casefold())
        role = FOREIGN_ROLES.get(written_noun, written_noun)
        words = _words(written) - {"the", "a", "an", "this", "that", "his", "her", "their"}
        adjectives = {w for w in words if w in _NATIONALITIES or w.endswith("ian")} - {role}
        classes = [cls for cls in ROLE_CLASSES if role in cls]
        # "the former secretary of state": someone described as what they were.
        known = (lambda p: p.former) if "former" in words else (lambda p: p.words)
        candidates = [
            p
            for p in self.people.values()
            if _compatible(role, known(p), classes) and adjectives <= known(p)
        ]
        return role, adjectives, candidates, written_noun in FOREIGN_ROLES

    def resolve_role(self, written: str, recent: list[str]) -> str | None:
        """The person a role noun phrase stands for, or None when unsure."""
        if written in self._roles:
            found = self._roles[written]
        else:
            found = self._roles[written] = self._role_candidates(written)
        if found is None:
            return None
        role, adjectives, candidates, foreign = found
        if not adjectives and self.site and role in HEAD_ROLES:
            nationality, holder = self.site
            own = [p for p in candidates if nationality in p.words]
            if own:
                return min(own, key=lambda p: p.order).name
            if holder:
                return self.canonical(holder)
        if len(candidates) == 1:
            return candidates[0].name
        if len(candidates) > 1:
            if not adjectives and role in HEAD_ROLES:
                return min(candidates, key=lambda p: p.order).name
            for name in reversed(recent):
                if any(p.name == name for p in candidates):
                    return name
            return None
        if role in HEAD_ROLES and recent:
            person = self.people.get(recent[-1])
            known = person.words & _NATIONALITIES if person else set()
            if person is None or not adjectives or not known or adjectives <= person.words:
                if person is None or not (person.words & {"spokesman", "spokeswoman"}):
                    return recent[-1]
        if foreign and recent and self.can_be_pronoun(recent[-1]):
            # "— подчеркнула депутат": languages without articles refer back with
            # a bare role noun, as English does with "she".
            return recent[-1]
        return None

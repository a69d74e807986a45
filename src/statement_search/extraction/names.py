"""Speaker names: per-article canonical forms and cross-outlet aliases.

Within one article, "Lukashenko", "Mr. Lukashenko" and "President
Lukashenko" become the fullest form the article gives ("Aleksandr
Lukashenko"), titles and honorifics stripped.  Across articles, the alias
table (`data/aliases.toml`, extended by the TOML file named in
`STATEMENT_SEARCH_ALIASES`) maps transliterations and spellings to one
canonical name, so the search layer can match `--speaker Lukashenka`.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from ..errors import AliasError
from ..small_files import read_small_file
from .lexicon import COMPOUND_ENDS, FOREIGN_TITLE_WORDS, NOT_PERSON_WORDS
from .morphology import nominative_name, surname_forms

MAX_ALIAS_BYTES = 4 * 1_048_576  # a user's alias table: names, not a corpus

# nameparser's titles that are also ordinary words before a name, surnames or parts of a
# body's name ("British Airways", "Grand Jury"): never stripped as titles.
_NOT_TITLES = frozenset(
    """her his me met my our british english group family member members grand high field law
    count master flag air army bench business civil credit district division federal film
    financial flying information intelligence judicial kingdom knowledge legal literary
    marketing mathematics military computer corporate criminal customs designated discovery
    docket excellent hereditary heir banner bearer blessed classical ballet baseball blues
    burlesque behavioral biblical analytics appellate award-winning chairs co-chairs charge
    goodman marcher burgess canon knight maid lama guru baba national united states uk us
    right wing royal senior saint sainte st first most mystery municipal navy police political
    radio rock social software soccer special staff state strategy superior supreme tax
    technical theater theatre travel voice warrant security risk revenue rear petty private
    pro pioneer opera operating model player prior primate principal resident servant
    ranger printer host critic expert player mobster""".split()
)


def _library_titles() -> frozenset[str]:
    """nameparser's titles (occupations, ranks, honorifics in many languages), one word
    each, without those that are also ordinary words; empty when it is not installed."""
    try:
        from nameparser.config import CONSTANTS
    except ImportError:
        return frozenset()
    return frozenset(
        t for t in CONSTANTS.titles if t.replace("-", "").isalpha() and t not in _NOT_TITLES
    )


# Words that name an office or courtesy, never part of a person's name.
TITLE_WORDS = (
    frozenset(
        """mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady madam mister
    president vice prime minister secretary senator sen sen. rep rep. representative gov
    gov. governor mayor speaker chancellor premier king queen prince princess sheikh
    judge justice general gen gen. colonel col col. lt lt. captain capt capt. admiral
    ambassador commissioner chairman chairwoman chair director chief deputy leader
    spokesman spokeswoman spokesperson press the former first lady candidate nominee
    congressman congresswoman councilman councilwoman attorney sergeant pope cardinal
    bishop rabbi rev rev. reverend father sister brother comrade minister-president
    foreign defence defense interior finance state house senate majority minority whip
    acting interim elect president-elect head of treasurer comptroller auditor controller
    lieutenant sheriff superintendent councillor councilor alderman alderwoman assemblyman
    assemblywoman assemblymember delegate del del. supervisor solicitor marshal commander
    officer professor secretary-general""".split()
    )
    | FOREIGN_TITLE_WORDS
    | _library_titles()
)
# Nouns that end the place an office is of ("Governor of Vellia Region Anton Korsak"):
# after an office word, what follows them is the person.
_JURISDICTIONS = frozenset(
    """region oblast province district republic federation county state territory krai
    okrug prefecture canton municipality city ministry committee commission council
    department agency république república repubblica republik föderation federación
    fédération région región""".split()
)
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_PARTICLES = frozenset(
    {"von", "van", "der", "den", "de", "da", "di", "du", "la", "le", "bin", "al"}
)
_STRIP = ",;:()[]\"“”‘’'"


@lru_cache(maxsize=32768)
def name_tokens(name: str) -> tuple[str, ...]:
    """Words of a name; a sentence's full stop is not part of the last one.

    Cached: the speaker rules ask about the same few names over and over.
    """
    # `str.split` splits where `\s` does (Unicode whitespace); each word stripped once.
    tokens = [t for t in (w.strip(_STRIP) for w in name.split()) if t]
    return tuple(t[:-1] if t.endswith(".") and len(t) > 3 else t for t in tokens)


@lru_cache(maxsize=32768)
def strip_titles(name: str) -> str:
    """'Russian President Vladimir Putin' → 'Vladimir Putin'; 'Mr. Bates' → 'Bates'.

    Everything up to the last office word is description ("President of
    Russia", "Hungarian Prime Minister"), as long as a name remains after it.
    A declined full name comes back in the nominative ("Анной Соколовой" →
    "Анна Соколова"); a lone surname stays as written (its case is ambiguous:
    `ArticleNames.canonical` tries its forms).
    """
    tokens = name_tokens(name)
    last_title = -1
    for i, token in enumerate(tokens[:-1]):
        folded = token.casefold()
        if (
            folded in TITLE_WORDS
            or folded.endswith(("'s", "’s"))
            or folded.rpartition("-")[2] in COMPOUND_ENDS  # "Texas-based Matt Mackowiak"
        ):
            last_title = i
        elif last_title >= 0 and folded in _JURISDICTIONS:
            last_title = i  # "… of Vellia Region | Anton Korsak"
    rest = tokens[last_title + 1 :]
    if last_title >= 0 and all(
        t.casefold() in _JURISDICTIONS or t.casefold() in _PARTICLES for t in rest
    ):
        return " ".join(tokens)  # "President of the Republic": an office, no name after it
    if rest and rest[-1].casefold() in NOT_PERSON_WORDS:
        return " ".join(tokens)  # "State Department": a body, not a titled "Department"
    if last_title >= 0 and tokens[last_title].casefold() == "of" and len(rest) > 1:
        rest = rest[1:]
    while len(rest) > 1 and rest[0].casefold() in _PARTICLES and not rest[1][:1].isupper():
        rest = rest[1:]
    if len(rest) > 1:
        return nominative_name(" ".join(rest))
    return " ".join(rest)


_MC = re.compile(r"\b(Mc)([a-z])(?=[a-z])")  # "Mac" is not: Machado, Macron


def title_case(name: str) -> str:
    """A name written in capitals as names are written: 'KWAME OSEI' → 'Kwame Osei',
    'MITCH MCCONNELL' → 'Mitch McConnell', "BETO O'ROURKE" → "Beto O'Rourke"."""
    titled = " ".join(
        token.lower() if i and token.casefold() in _PARTICLES else token.capitalize()
        for i, token in enumerate(name.split())
    )
    titled = re.sub(r"(?<=[-'’])([a-zà-þ])", lambda m: m.group(1).upper(), titled)
    return _MC.sub(lambda m: m.group(1) + m.group(2).upper(), titled)


@lru_cache(maxsize=32768)
def surname(name: str) -> str:
    """Last name part, without suffixes: 'Joseph R. Biden Jr.' → 'Biden'."""
    tokens = [t for t in name_tokens(name) if t.casefold() not in _SUFFIXES]
    return tokens[-1] if tokens else ""


@lru_cache(maxsize=32768)
def _fold(text: str) -> str:
    if text.isascii():
        return text.casefold()  # NFKD leaves ASCII as it is, with no combining mark
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _capitalised(tokens: tuple[str, ...]) -> bool:
    """Every word of a name is capitalised or a particle ("von", "al")."""
    for token in tokens:
        if not token[:1].isupper() and token not in _PARTICLES:
            return False
    return True


_Form = tuple[str, frozenset[str], int]


@lru_cache(maxsize=32768)
def _full_form(name: str) -> tuple[str, tuple[str, str, _Form] | None]:
    """A mention without titles and, when that is a full name (two capitalised words or
    more), its folded key, folded surname and form (`ArticleNames._forms`).

    Cached: what `ArticleNames.add` works out of a name is the same in every article."""
    bare = strip_titles(name)
    tokens = name_tokens(bare)
    if len(tokens) < 2 or not _capitalised(tokens):
        return bare, None
    key = _fold(bare)
    return bare, (key, _fold(surname(bare)), (key[:1], frozenset(map(_fold, tokens)), len(tokens)))


def _one_letter_apart(a: str, b: str) -> bool:
    """Whether one of `a`, `b` is the other with one letter more ("mclenney"/"mcclenney")."""
    if abs(len(a) - len(b)) != 1:
        return False
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


@dataclass
class ArticleNames:
    """The people one article names, so short mentions resolve to the fullest form."""

    full: dict[str, str] = field(default_factory=dict)  # folded full name → as written
    by_surname: dict[str, list[str]] = field(default_factory=dict)
    # name → (its canonical form, its surname key, how many forms that surname had):
    # the answer holds until `add` gives that surname another form.
    _cache: dict[str, tuple[str, str, int]] = field(default_factory=dict, repr=False)
    _added: dict[str, str] = field(default_factory=dict, repr=False)  # name → without titles
    # form → (its first letter folded, its words folded, how many words): what
    # `canonical` compares a mention with, worked out once per form.
    _forms: dict[str, _Form] = field(default_factory=dict, repr=False)

    def add(self, name: str) -> str:
        """Register a mention; returns it without titles."""
        bare = self._added.get(name)
        if bare is not None:
            return bare  # registered already: adding it again changes nothing
        bare = self._added[name] = self._add(name)
        return bare

    def _add(self, name: str) -> str:
        bare, full = _full_form(name)
        if full is not None:
            key, surname_key, form = full
            if key not in self.full:
                self.full[key] = bare
                self.by_surname.setdefault(surname_key, []).append(bare)
                self._forms[bare] = form
        return bare

    def canonical(self, name: str) -> str:
        """The fullest form of `name` this article gives, titles stripped."""
        memo = self._cache.get(name)
        if memo is not None and len(self.by_surname.get(memo[1], ())) == memo[2]:
            return memo[0]
        bare = strip_titles(name)
        key = _fold(surname(bare))
        forms = self.by_surname.get(key, [])
        if not forms and " " not in bare:
            # A declined surname ("Путина", "Соколовой"): the form the article knows,
            # else the likeliest nominative.
            variants = surname_forms(bare)
            known = [v for v in variants if _fold(v) in self.by_surname]
            if known or variants:
                bare = (known or variants)[0]
                key = _fold(bare)
                forms = self.by_surname.get(key, [])
        if not forms and " " not in bare and bare[:1].isupper():
            by_first = self._by_first_name(key) or self._by_misspelt_surname(key)
            if by_first:
                return by_first  # not remembered: it holds only until another such name
        found = self._canonical(bare, forms)
        self._cache[name] = (found, key, len(forms))
        return found

    def _by_first_name(self, key: str) -> str | None:
        """The one full name of this article whose first name is `key` ("Hillary" →
        "Hillary Clinton"), or None when none or several are."""
        found = [form for form, made in self._forms.items() if _fold(form.split()[0]) == key]
        return found[0] if len(found) == 1 else None

    def _by_misspelt_surname(self, key: str) -> str | None:
        """The one full name whose surname is `key` with one letter more, the same first
        letter ("Brenan" → "Tamsin Brennan"), or None: a surname of five letters or
        more the article spelt once with a letter dropped.  Only names of plain words
        ("Anti-Trump Republicans" is no one "Republican" misspells)."""
        if len(key) < 5:
            return None
        found = [
            forms[0]
            for other, forms in self.by_surname.items()
            if len(forms) == 1
            and len(other) == len(key) + 1
            and other[:1] == key[:1]
            and _one_letter_apart(key, other)
            and all(word.isalpha() for word in forms[0].split())
        ]
        return found[0] if len(found) == 1 else None

    def _canonical(self, bare: str, forms: list[str]) -> str:
        """The fullest of `forms` (those of `bare`'s surname) that `bare` fits."""
        tokens = name_tokens(bare)
        if not tokens:
            return bare
        known = self._forms
        if len(tokens) >= 2:
            first = _fold(tokens[0])[:1]
            forms = [f for f in forms if known[f][0] == first]
        # The longest form that contains every written word.
        written = set(map(_fold, tokens))
        if len(forms) == 1:  # most surnames have one form: it fits or the mention stays
            return forms[0] if written <= known[forms[0]][1] else bare
        fits = [f for f in forms if written <= known[f][1]]
        if not fits:
            return bare
        longest = max(known[f][2] for f in fits)
        best = sorted({f for f in fits if known[f][2] == longest})
        if len(best) > 1 and len(tokens) == 1:
            return bare
        return best[0]


@dataclass(frozen=True)
class AliasTable:
    """Canonical people names and word-level spellings (Lukashenka → Lukashenko)."""

    people: dict[str, tuple[str, ...]]
    spellings: dict[str, str]

    def normal_words(self, name: str) -> tuple[str, ...]:
        words = []
        for token in name_tokens(strip_titles(name)):
            if token.casefold() in _SUFFIXES:
                continue
            mapped = self.spellings.get(_fold(token), token)
            words.append(_fold(mapped))
        return tuple(words)

    @cached_property
    def _lookup(self) -> tuple[dict[tuple[str, ...], str], dict[str, str]]:
        """Normalised full forms → canonical name, and last words → canonical name.

        Built once per table; the first person listed wins, as in the file.
        """
        full: dict[tuple[str, ...], str] = {}
        last: dict[str, str] = {}
        for canon, variants in self.people.items():
            for form in (canon, *variants):
                words = self.normal_words(form)
                if words:
                    full.setdefault(words, canon)
                    last.setdefault(words[-1], canon)
        return full, last

    def canonical(self, name: str) -> str:
        words = self.normal_words(name)
        if not words:
            return name.strip()
        full, last = self._lookup
        found = last.get(words[0]) if len(words) == 1 else full.get(words)
        return found if found is not None else strip_titles(name)


def _load_toml(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(read_small_file(path, MAX_ALIAS_BYTES, AliasError).decode("utf-8"))
    except FileNotFoundError:
        raise AliasError(f"{path}: alias file not found") from None
    except OSError as exc:
        raise AliasError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise AliasError(f"{path}: not a UTF-8 text file") from None
    except tomllib.TOMLDecodeError as exc:
        raise AliasError(f"{path}: invalid TOML ({exc})") from None


def _merge(data: dict[str, object], source: str, people: dict, spellings: dict) -> None:
    for key, value in dict(data.get("people", {})).items():  # type: ignore[call-overload]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise AliasError(f"{source}: people.{key!r} must be a list of names")
        people[str(key)] = tuple(value)
    for key, value in dict(data.get("spellings", {})).items():  # type: ignore[call-overload]
        if not isinstance(value, str):
            raise AliasError(f"{source}: spellings.{key!r} must be a string")
        spellings[_fold(str(key))] = value


@lru_cache(maxsize=8)
def load_aliases(extra: str | None = None) -> AliasTable:
    """The bundled alias table, extended by the TOML file at `extra` if given."""
    people: dict[str, tuple[str, ...]] = {}
    spellings: dict[str, str] = {}
    bundled = resources.files("statement_search") / "data" / "aliases.toml"
    _merge(tomllib.loads(bundled.read_text(encoding="utf-8")), "aliases.toml", people, spellings)
    if extra:
        _merge(_load_toml(Path(extra)), extra, people, spellings)
    return AliasTable(people, spellings)


def _table() -> AliasTable:
    return load_aliases(os.environ.get("STATEMENT_SEARCH_ALIASES") or None)


def canonical_speaker(name: str) -> str:
    """One name for one person across outlets: 'Alexander Lukashenka' → 'Aleksandr Lukashenko'."""
    return _table().canonical(name)


def speaker_aliases(name: str) -> list[str]:
    """Every spelling the alias table knows for `name`'s person, canonical form first."""
    table = _table()
    canon = table.canonical(name)
    forms = [canon, *table.people.get(canon, ())]
    bare = strip_titles(name)
    if bare and bare not in forms:
        forms.append(bare)
    seen: list[str] = []
    for form in forms:
        if form not in seen:
            seen.append(form)
    return seen

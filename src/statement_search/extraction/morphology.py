"""Declined names and role nouns → their dictionary forms (extraction stage, ru/uk).

Russian and Ukrainian decline names: "по словам Александра Лукашенко",
"с губернатором Анной Соколовой".  A speaker is its nominative form, so
mentions in any case meet one canonical name.  The forms come from
`pymorphy3` and its dictionaries (`pymorphy3-dicts-ru`, `-uk`); without
them a name stays as written (`available()` says which), and only mentions
written alike are joined.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_CYRILLIC = re.compile("[а-яёіїєґўА-ЯЁІЇЄҐЎ]")
_UKRAINIAN = re.compile("[іїєґІЇЄҐ]")
_NAME_TAGS = frozenset({"Name", "Surn", "Patr"})
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


@lru_cache(maxsize=4)
def _analyzer(lang: str) -> Any | None:
    """pymorphy3's analyser for `lang`, or None when it or its dictionary is missing."""
    try:
        import pymorphy3
    except ImportError:
        return None
    try:
        return pymorphy3.MorphAnalyzer(lang=lang)
    except (ValueError, OSError, KeyError):  # no dictionary package for `lang`
        return None


def available(lang: str = "ru") -> bool:
    """Whether declined forms of `lang` ("ru" or "uk") can be told."""
    return _analyzer(lang) is not None


def is_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC.search(text))


def _for(text: str) -> Any | None:
    """The analyser for `text`: Ukrainian when it has Ukrainian letters, or when its
    first word is a Ukrainian dictionary word but not a Russian one ("Оксани")."""
    if _UKRAINIAN.search(text):
        return _analyzer("uk")
    russian = _analyzer("ru")
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    if russian is not None and first and not russian.word_is_known(first.lower()):
        ukrainian = _analyzer("uk")
        if ukrainian is not None and ukrainian.word_is_known(first.lower()):
            return ukrainian
    return russian


def _recase(word: str, written: str) -> str:
    """`word` (lower case) in the letter case of `written`."""
    if written.isupper() and len(written) > 1:
        return word.upper()
    if written[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _gender(tag: Any) -> str | None:
    """A tag's gender as a plain string ("ms-f" for a word of either; pymorphy3's own
    attribute refuses comparison with grammemes it does not list)."""
    if "ms-f" in tag.grammemes or "Fixd" in tag.grammemes:
        return None
    return str(tag.gender) if tag.gender else None


_NAME_POS = frozenset({"NOUN", "ADJF"})  # surnames such as "Зеленський" are adjectives


def _agree(parses: list[list[Any]], strict: bool = True) -> list[Any] | None:
    """One parse per word, all singular and in one case, the first a name (`strict`;
    else any noun, for dictionaries that do not tag every first name): the reading
    under which the words are one person's name (first its likeliest)."""
    for first in parses[0]:
        tag = first.tag
        if tag.number == "plur" or tag.case is None:
            continue
        if not (_NAME_TAGS & tag.grammemes if strict else tag.POS == "NOUN"):
            continue
        chosen = [first]
        for options in parses[1:]:
            match = next(
                (
                    q
                    for q in options
                    if q.tag.case == tag.case
                    and q.tag.number != "plur"
                    and q.tag.POS in _NAME_POS
                    and (
                        _gender(tag) is None
                        or _gender(q.tag) is None
                        or _gender(q.tag) == _gender(tag)
                    )
                ),
                None,
            )
            if match is None:
                break
            chosen.append(match)
        else:
            return chosen
    return None


def _nominative(parse: Any, written: str) -> str:
    if parse.tag.case == "nomn" or "Fixd" in parse.tag.grammemes:
        return written
    form = parse.inflect({"nomn", "sing"}) or parse.inflect({"nomn"})
    return _recase(form.word, written) if form is not None else written


@lru_cache(maxsize=32768)
def nominative_name(name: str) -> str:
    """'Анной Соколовой' → 'Анна Соколова'; 'Руритании Виктор Петров' → 'Виктор Петров'
    (leading words that are not part of the name, such as a country in the genitive
    after a title, go). Names in other scripts, or without pymorphy3, stay as written."""
    if not is_cyrillic(name):
        return name
    analyzer = _for(name)
    tokens = name.split()
    if analyzer is None or not tokens:
        return name
    parses = [analyzer.parse(token) for token in tokens]
    for strict in (True, False):
        for skip in range(max(1, len(tokens) - 1)):
            chosen = _agree(parses[skip:], strict)
            if chosen is not None:
                return " ".join(map(_nominative, chosen, tokens[skip:]))
    return name


@lru_cache(maxsize=32768)
def surname_forms(word: str) -> tuple[str, ...]:
    """The nominative forms a declined surname may stand for ('Соколовой' → 'Соколова',
    'Соколов'), likeliest first; () for other scripts or without pymorphy3."""
    analyzer = _for(word) if is_cyrillic(word) else None
    if analyzer is None:
        return ()
    forms: list[str] = []
    for parse in analyzer.parse(word):
        if parse.tag.POS != "NOUN" or parse.tag.number == "plur":
            continue
        form = _nominative(parse, word)
        if form not in forms:
            forms.append(form)
    return tuple(forms)


def is_female(first_name: str) -> bool | None:
    """A Cyrillic first name's gender (True for a woman), None when not told."""
    analyzer = _for(first_name) if is_cyrillic(first_name) else None
    if analyzer is None:
        return None
    for parse in analyzer.parse(first_name):
        if "Name" in parse.tag.grammemes:
            if parse.tag.gender == "femn":
                return True
            if parse.tag.gender == "masc":
                return False
    return None


def declensions(phrase: str) -> list[str]:
    """A role noun phrase in every singular case, its first word declined
    ('глава государства' → 'главы государства', 'главе государства', …); the
    phrase alone without pymorphy3. The lexicon files list these forms (so no
    dictionary loads at import); tests check them with this."""
    analyzer = _for(phrase) if is_cyrillic(phrase) else None
    if analyzer is None:
        return [phrase]
    head, _, rest = phrase.partition(" ")
    forms = [phrase]
    for parse in analyzer.parse(head)[:1]:
        for case in _CASES:
            form = parse.inflect({case, "sing"})
            if form is not None:
                words = form.word + (" " + rest if rest else "")
                if words not in forms:
                    forms.append(words)
    return forms

"""Readers: metadata sniffed from text — a stated date, the language.

Used by every reader when the file does not say (plain text never does).
Cheap on purpose: a few regular expressions over the first lines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan январ янв",
        "february feb феврал фев",
        "march mar март мар",
        "april apr апрел апр",
        "may мая май",
        "june jun июн",
        "july jul июл",
        "august aug август авг",
        "september sept sep сентябр сен",
        "october oct октябр окт",
        "november nov ноябр ноя",
        "december dec декабр дек",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_MONTH_WORD = r"([A-Za-zА-Яа-яЁё]{3,9})\.?"
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_WORD},?\s+(\d{{4}})\b")
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH_WORD}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?!\d)")
_DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def _month(word: str) -> int | None:
    word = word.lower()
    if word in _MONTHS:
        return _MONTHS[word]
    # Russian months are inflected ("апреля", "марта"): match on the stem.
    for stem, number in _MONTHS.items():
        if len(stem) >= 3 and not stem.isascii() and word.startswith(stem):
            return number
    return None


def _make(year: int, month: int | None, day: int) -> dt.date | None:
    if month is None or not 1800 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_date(text: str) -> dt.date | None:
    """The first date written out in `text`: "11 April 2024", "April 11, 2024",
    "11 апреля 2024", "2024-04-11" or "11.04.2024" (day first, as in Europe)."""
    # Each pattern with how its groups give (year, month, day).
    forms: list[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[int, int | None, int]]]] = [
        (_DAY_MONTH_YEAR, lambda m: (int(m[3]), _month(m[2]), int(m[1]))),
        (_MONTH_DAY_YEAR, lambda m: (int(m[3]), _month(m[1]), int(m[2]))),
        (_ISO, lambda m: (int(m[1]), int(m[2]), int(m[3]))),
        (_DOTTED, lambda m: (int(m[3]), int(m[2]), int(m[1]))),
    ]
    found: list[tuple[int, dt.date]] = []
    for pattern, parts in forms:
        for m in pattern.finditer(text):
            if (d := _make(*parts(m))) is not None:
                found.append((m.start(), d))
                break
    return min(found, key=lambda pair: pair[0])[1] if found else None


def parse_date(value: str) -> dt.date | None:
    """A date from a metadata value: ISO timestamps first, then written-out forms."""
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return find_date(value)


_CYRILLIC = re.compile(r"[А-Яа-яЁёІіЇїЄєҐґЎў]")
_LATIN_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_EN_WORDS = re.compile(r"\b(?:the|and|of|to|that|is|was|said|with)\b", re.I)
# The same words after the character before them: a pattern that starts with a
# character class lets the engine skip ahead, one that starts with \b tries every spot.
_EN_WORDS_AFTER = re.compile(r"\W(?i:(?=[taoisw])(?:the|and|of|to|that|is|was|said|with))\b")


def _latin_letters(sample: str) -> int:
    """How many of A-Z, a-z: in UTF-8 every other character is made of non-ASCII bytes."""
    encoded = sample.encode("utf-8", "surrogatepass")
    return len(encoded) - len(encoded.translate(None, _LATIN_BYTES))


def _english_words(sample: str) -> int:
    return len(_EN_WORDS_AFTER.findall(sample)) + (1 if _EN_WORDS.match(sample) else 0)


def _looks_english(sample: str, words: int) -> bool:
    """`_english_words(sample) / words > 0.05`, counted only until it is so: English
    text gets there within its first lines, so most of the sample is never scanned."""
    count = 1 if _EN_WORDS.match(sample) else 0
    if count / words > 0.05:
        return True
    for _ in _EN_WORDS_AFTER.finditer(sample):
        count += 1
        if count / words > 0.05:
            return True
    return False


def guess_language(text: str) -> str | None:
    """ "ru"/"uk"/"be" for Cyrillic text, "en" for English-looking text, else None."""
    sample = text[:5000]
    cyr = len(_CYRILLIC.findall(sample))
    lat = _latin_letters(sample)
    if cyr == 0 and lat == 0:
        return None
    if cyr > lat:
        if re.search(r"[ўЎ]", sample):
            return "be"
        if re.search(r"[їЇєЄґҐ]", sample):
            return "uk"
        return "ru"
    words = max(1, len(sample.split()))
    return "en" if _looks_english(sample, words) else None

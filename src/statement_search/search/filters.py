"""Search filters, engine-neutral: the `Filters` value (speakers, topics, dates, sources,
kinds) and the folding, date and name-key rules every engine applies them with.

The Whoosh engine answers them from per-searcher doc-id sets
(engines/whoosh/filter_cache.py).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Container, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, TypedDict, get_args

from ..errors import QueryError
from ..models import Attribution

if TYPE_CHECKING:
    from ..extraction.topics import Taxonomy

# What `Quote.attribution` may be (models.Attribution).
ATTRIBUTIONS = frozenset(get_args(Attribution))
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
# `--kind` names → the stored kinds they mean: quotes (direct, or mixed with narration),
# transcript turns, reporters' questions.  Stored kinds are accepted as they are too.
KIND_NAMES: dict[str, tuple[str, ...]] = {
    "quote": ("direct", "mixed"),
    "turn": ("transcript",),
    "question": ("question",),
}
STORED_KINDS = ("direct", "mixed", "transcript", "question")
# What `similar` and `verify` look at by default: everything but reporters' questions.
NOT_QUESTIONS = ("quote", "turn")


@lru_cache(maxsize=1 << 16)  # names, topics and sources recur on every quote of a build
def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name ("Orbán" == "orban")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join(
        "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split()
    )


def parse_date_bound(value: str | dt.date | None, *, end: bool = False) -> dt.date | None:
    """'2024', '2024-04' or '2024-04-05' → a date; `end` picks the last day of the period."""
    if value is None or isinstance(value, dt.date):
        return value
    match = _DATE.match(value.strip())
    if not match:
        raise QueryError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if month is None:
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, last if end else 1)
        return dt.date(year, month, day)
    except ValueError:
        raise QueryError(f"date {value!r} does not exist") from None


def date_number(date: dt.date) -> int:
    return date.year * 10000 + date.month * 100 + date.day


Many = str | list[str] | tuple[str, ...] | None
DateLike = str | dt.date | None


class FilterArgs(TypedDict, total=False):
    """The filter keywords the public search methods take (`**filters`), as
    `Filters.make` reads them; one value or several for each list."""

    speaker: Many
    topic: Many
    since: DateLike
    until: DateLike
    source: Many
    kind: Many
    min_confidence: float | None
    attribution: Many


@dataclass
class Filters:
    """What the user narrowed a search to; every list is OR-ed, the kinds AND-ed."""

    speakers: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    kinds: tuple[str, ...] = ()  # stored kinds (`direct`, `transcript`, …); () for all
    min_confidence: float | None = None
    attributions: tuple[str, ...] = ()

    @classmethod
    def make(
        cls,
        speaker: Many = None,
        topic: Many = None,
        since: DateLike = None,
        until: DateLike = None,
        source: Many = None,
        kind: Many = None,
        min_confidence: float | None = None,
        attribution: Many = None,
    ) -> Filters:
        """Accept one value or several for each filter, as the API and CLI give them.

        `attribution` values may also be comma-separated ("name,label")."""
        if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
            raise QueryError(f"--min-confidence {min_confidence} is not between 0 and 1")
        attributions = tuple(
            a.strip().casefold() for value in _many(attribution) for a in value.split(",")
        )
        unknown = [a for a in attributions if a not in ATTRIBUTIONS]
        if unknown:
            raise QueryError(
                f"unknown attribution {unknown[0]!r} — one of {', '.join(sorted(ATTRIBUTIONS))}"
            )
        filters = cls(
            speakers=_many(speaker),
            topics=_many(topic),
            sources=_many(source),
            since=parse_date_bound(since),
            until=parse_date_bound(until, end=True),
            kinds=stored_kinds(kind),
            min_confidence=min_confidence or None,
            attributions=tuple(a for a in attributions if a),
        )
        if filters.since and filters.until and filters.since > filters.until:
            raise QueryError(f"--since {filters.since} is after --until {filters.until}")
        named = (
            ("speaker", filters.speakers),
            ("topic", filters.topics),
            ("source", filters.sources),
        )
        for name, values in named:
            for value in values:
                if not is_text(value):
                    raise QueryError(
                        f"--{name} {value!r} holds a lone surrogate, which is not text — retype it"
                    )
        return filters

    def __bool__(self) -> bool:
        return bool(
            self.speakers
            or self.topics
            or self.sources
            or self.since
            or self.until
            or self.kinds
            or self.min_confidence
            or self.attributions
        )


def is_text(value: str) -> bool:
    """False for a string holding lone surrogates (a command line's undecodable bytes):
    no index term holds one, and the engines cannot even encode it to look."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def stored_kinds(kind: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """`quote,turn` (or a list of names) → the stored kinds they mean; unknown names an error."""
    names = [n.strip().casefold() for k in _many(kind) for n in k.split(",") if n.strip()]
    kinds: list[str] = []
    for name in names:
        if name in KIND_NAMES:
            kinds += KIND_NAMES[name]
        elif name in STORED_KINDS:
            kinds.append(name)
        else:
            known = ", ".join(KIND_NAMES)
            raise QueryError(f"kind {name!r} is not one of {known} (comma-separated)")
    return tuple(dict.fromkeys(kinds))


def _many(value: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    values = (value,) if isinstance(value, str) else tuple(value)
    return tuple(v.strip() for v in values if v and v.strip())


def speaker_canon(keys: Iterable[str]) -> dict[str, str]:
    """Folded index speaker → its folded canonical name (folded names canonicalise like
    the names as stored: the alias table compares folded words)."""
    from ..extraction.names import canonical_speaker

    return {key: fold(canonical_speaker(key)) for key in keys}


def speaker_keys_for(name: str, canon: dict[str, str]) -> list[str]:
    """The folded index speakers (`canon`'s keys, from `speaker_canon`) that `name` means:
    full name, alias, spelling or last name.  Engine-neutral: every engine filters so."""
    forms, wanted, last_names = speaker_forms(name)  # "Governor Delgado" means the surname
    single = bool(last_names)
    found = []
    for key, key_canon in canon.items():
        if (
            key in forms
            or key_canon == wanted
            or (single and key.split()[-1:] and key.split()[-1] in last_names)
        ):
            found.append(key)
    return found


def speaker_forms(name: str) -> tuple[set[str], str, set[str]]:
    """(forms, canonical name, last names: for one name only) of a speaker filter, folded."""
    from ..extraction.names import canonical_speaker, speaker_aliases, strip_titles, surname

    forms = {fold(f) for f in speaker_aliases(name)} | {fold(name)}
    wanted = fold(canonical_speaker(name))
    single = len(fold(strip_titles(name) or name).split()) == 1
    last_names = {fold(surname(f)) for f in forms} if single else set()
    return forms, wanted, last_names


def topic_keys_for(name: str, known: Container[str], taxonomy: Taxonomy | None) -> list[str]:
    """The index topics (`known`, folded) for `name`, with every child of a parent topic."""
    wanted = fold(name)
    names = {wanted}
    if taxonomy is not None:
        resolved = taxonomy.resolve(name)
        if resolved is not None:
            names |= {fold(t) for t in taxonomy.descendants(resolved)}
        elif wanted not in known:
            raise QueryError(f"unknown topic {name!r} — `statement-search topics` lists them")
    return sorted(n for n in names if n in known)

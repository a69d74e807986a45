"""Search filters: speaker / topic / date / source options → a set of doc numbers.

Filters are answered from per-searcher caches (`FilterCache`) built once per
searcher generation from the index's own postings: one doc-id set per
speaker, topic and source, and every dated document sorted by date.  A date
range is then two bisections and a slice, never a Whoosh range query
expanded over thousands of terms, so filters stay cheap on large indexes.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
import unicodedata
from array import array
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, get_args

from whoosh.idsets import DocIdSet

from .errors import QueryError
from .models import Attribution

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from .topics import Taxonomy

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
        speaker: str | list[str] | tuple[str, ...] | None = None,
        topic: str | list[str] | tuple[str, ...] | None = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        source: str | list[str] | tuple[str, ...] | None = None,
        kind: str | list[str] | tuple[str, ...] | None = None,
        min_confidence: float | None = None,
        attribution: str | list[str] | tuple[str, ...] | None = None,
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
    from .names import canonical_speaker

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
    from .names import canonical_speaker, speaker_aliases, strip_titles, surname

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


class FilterCache:
    """Doc-id sets of one searcher generation; rebuilt when the searcher changes.

    Each group (speakers, topics, sources, dates) is read from the index the
    first time a filter or facet needs it, so a plain search on a cold start
    never pays for walking postings it does not use.
    """

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        # folded speaker → folded canonical name, filled on first use
        self.speaker_canon: dict[str, str] = {}

    @classmethod
    def build(cls, searcher: Searcher) -> FilterCache:
        return cls(searcher)

    @cached_property
    def speaker_terms(self) -> dict[str, list[str]]:
        """Folded speaker name → the index terms spelling it (the lexicon only)."""
        terms: dict[str, list[str]] = {}
        for term in self.searcher.lexicon("speaker_key"):
            text = term.decode() if isinstance(term, bytes) else str(term)
            if text:
                terms.setdefault(fold(text), []).append(text)
        return terms

    def speaker_docs(self, key: str) -> set[int]:
        """Doc numbers of one folded speaker name, read on first use."""
        docs = self._speaker_docs.get(key)
        if docs is None:
            reader = self.searcher.reader()
            docs = set()
            for term in self.speaker_terms.get(key, ()):
                docs.update(reader.postings("speaker_key", term).all_ids())
            self._speaker_docs[key] = docs
        return docs

    @cached_property
    def _speaker_docs(self) -> dict[str, set[int]]:
        return {}

    @property
    def speakers(self) -> dict[str, set[int]]:
        """Folded speaker name → doc numbers (every speaker: for facets)."""
        return {key: self.speaker_docs(key) for key in self.speaker_terms}

    @cached_property
    def speaker_names(self) -> dict[str, str]:
        """Folded speaker name → the name as stored."""
        names: dict[str, str] = {}
        for key in self.speaker_terms:
            docs = self.speaker_docs(key)
            if docs:
                names[key] = self.searcher.stored_fields(min(docs)).get("speaker") or key
        return names

    @cached_property
    def topics(self) -> dict[str, set[int]]:
        return {key: set(docs) for key, docs in _postings(self.searcher, "topics")}

    @cached_property
    def _source_groups(self) -> tuple[dict[str, set[int]], dict[str, str]]:
        sources: dict[str, set[int]] = {}
        names: dict[str, str] = {}
        for key, docs in _postings(self.searcher, "source"):
            sources.setdefault(fold(key), set()).update(docs)
            names.setdefault(fold(key), key)
        return sources, names

    @property
    def sources(self) -> dict[str, set[int]]:
        return self._source_groups[0]

    @property
    def source_names(self) -> dict[str, str]:
        return self._source_groups[1]

    @cached_property
    def dated(self) -> list[tuple[int, int]]:
        """(yyyymmdd, docnum) of every dated live document, sorted."""
        reader = self.searcher.reader()
        if not reader.has_column("date"):
            return []
        live = set(reader.all_doc_ids())
        column = reader.column_reader("date")
        return sorted(
            (int(value), docnum) for docnum, value in enumerate(column) if value and docnum in live
        )

    @cached_property
    def years(self) -> dict[int, set[int]]:
        years: dict[int, set[int]] = {}
        for number, docnum in self.dated:
            years.setdefault(number // 10000, set()).add(docnum)
        return years

    # -- resolving user words to index values -----------------------------------

    def speaker_matches(self, name: str) -> list[str]:
        """Index speakers (folded) that `name` means: full name, alias, spelling or last name."""
        if not self.speaker_canon:
            self.speaker_canon = speaker_canon(self.speaker_terms)
        return speaker_keys_for(name, self.speaker_canon)

    def topic_matches(self, name: str, taxonomy: Taxonomy | None) -> list[str]:
        """Index topics for `name`, with every child topic of a parent topic."""
        return topic_keys_for(name, self.topics, taxonomy)

    # -- filtering -----------------------------------------------------------------

    def allowed(self, filters: Filters, taxonomy: Taxonomy | None = None) -> Any:
        """What a search may return: None (everything), a doc-id set, or a date window.

        A date range is checked per candidate against one date per document
        rather than expanded into a set of every document in range, which
        would cost more than the search on a wide range.
        """
        if not (filters.since or filters.until):
            return self.docs(filters, taxonomy)
        others = Filters(**{**filters.__dict__, "since": None, "until": None})
        base = self.docs(others, taxonomy)
        in_range = self._dated_slice(filters.since, filters.until)
        size = in_range.stop - in_range.start
        return DateWindow(
            self.date_by_doc,
            date_number(filters.since) if filters.since else 0,
            date_number(filters.until) if filters.until else 99991231,
            base,
            size if base is None else min(size, len(base)),
        )

    @cached_property
    def date_by_doc(self) -> array[int]:
        """yyyymmdd per document number (0: undated or deleted); an array, 4 bytes a
        document, because a date-filtered search looks up candidates all over it."""
        dates = array("I", bytes(4 * self.searcher.reader().doc_count_all()))
        for number, docnum in self.dated:
            dates[docnum] = number
        return dates

    def docs(self, filters: Filters, taxonomy: Taxonomy | None = None) -> set[int] | None:
        """Doc numbers passing every filter; None when there is no filter at all."""
        result: set[int] | None = None
        if filters.speakers:
            keys = [k for name in filters.speakers for k in self.speaker_matches(name)]
            result = _intersect(result, _union(self.speaker_docs(k) for k in keys))
        if filters.topics:
            keys = [k for name in filters.topics for k in self.topic_matches(name, taxonomy)]
            result = _intersect(result, _union(self.topics[k] for k in keys))
        if filters.sources:
            keys = [fold(s) for s in filters.sources]
            result = _intersect(result, _union(self.sources.get(k, set()) for k in keys))
        if filters.min_confidence:
            least = round(filters.min_confidence * 100 + 0.4999)  # ceil, without float noise
            docs = (d for pct, d in self.confidences.items() if pct >= least)
            result = _intersect(result, _union(docs))
        if filters.attributions:
            groups = self.attributions
            result = _intersect(result, _union(groups.get(a, set()) for a in filters.attributions))
        if filters.since or filters.until:
            result = _intersect(result, self.date_range(filters.since, filters.until))
        if filters.kinds and not set(self.kinds) <= set(filters.kinds):
            result = _intersect(result, _union(self.kinds.get(k, set()) for k in filters.kinds))
        return result

    @cached_property
    def kinds(self) -> dict[str, set[int]]:
        """Stored kind → doc numbers (a kind filter that allows every kind present is none)."""
        return {kind: set(docs) for kind, docs in _postings(self.searcher, "kind")}

    @cached_property
    def confidences(self) -> dict[int, set[int]]:
        """Confidence in whole percent → doc numbers."""
        found: dict[int, set[int]] = {}
        for term, docs in _postings(self.searcher, "confidence"):
            if term.isdigit():
                found.setdefault(int(term), set()).update(docs)
        return found

    @cached_property
    def attributions(self) -> dict[str, set[int]]:
        """How the speaker was found (name, label, role, …) → doc numbers."""
        return {key: set(docs) for key, docs in _postings(self.searcher, "attribution")}

    def date_range(self, since: dt.date | None, until: dt.date | None) -> set[int]:
        return {docnum for _, docnum in self.dated[self._dated_slice(since, until)]}

    def _dated_slice(self, since: dt.date | None, until: dt.date | None) -> slice:
        """Where the documents dated from `since` to `until` lie in `dated`."""
        lo = bisect.bisect_left(self.dated, (date_number(since), -1)) if since else 0
        hi = (
            bisect.bisect_right(self.dated, (date_number(until), 1 << 62))
            if until
            else len(self.dated)
        )
        return slice(lo, hi)


class DateWindow(DocIdSet):  # type: ignore[misc]
    """Documents dated within [lo, hi], optionally also in `base`: a Whoosh filter.

    `size` bounds how many documents it holds (for choosing how to search).
    """

    def __init__(
        self, dates: array[int], lo: int, hi: int, base: set[int] | None, size: int
    ) -> None:
        self.dates, self.lo, self.hi, self.base = dates, max(lo, 1), hi, base
        self.size = size

    def __contains__(self, docnum: object) -> bool:
        # Called for every candidate of a date-filtered search: kept to one lookup
        # and one comparison (a bad docnum fails the lookup; negatives never come).
        try:
            date = self.dates[docnum]  # type: ignore[call-overload]
        except (IndexError, TypeError):
            return False
        if self.base is None:
            return self.lo <= date <= self.hi
        return self.lo <= date <= self.hi and docnum in self.base

    def keep(self, docnums: list[int], offset: int) -> list[int]:
        """The ones of a segment's `docnums` (its documents start at `offset`) in the window."""
        dates, lo, hi, base = self.dates, self.lo, self.hi, self.base
        if base is None:
            return [d for d in docnums if lo <= dates[d + offset] <= hi]
        return [d for d in docnums if lo <= dates[d + offset] <= hi and d + offset in base]

    def __iter__(self) -> Iterator[int]:
        return (d for d in range(len(self.dates)) if d in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:
        return True  # emptiness is decided per candidate, never up front


def _postings(searcher: Searcher, fieldname: str) -> list[tuple[str, list[int]]]:
    """Every term of a field with the (live) doc numbers that contain it."""
    out = []
    for term in searcher.lexicon(fieldname):
        text = term.decode() if isinstance(term, bytes) else str(term)
        if not text:
            continue
        # The reader's postings skip deleted documents and, unlike the
        # searcher's, build no scorer per term.
        docs = list(searcher.reader().postings(fieldname, term).all_ids())
        if docs:
            out.append((text, docs))
    return out


def _union(sets: object) -> set[int]:
    result: set[int] = set()
    for docs in sets:  # type: ignore[attr-defined]
        result |= docs
    return result


def _intersect(a: set[int] | None, b: set[int]) -> set[int]:
    return set(b) if a is None else a & b

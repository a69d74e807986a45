"""Verify stage: a quotation someone attributes → did it appear, as said, where and when first?

`VerifyMixin.verify` finds candidate quotes in the index (every quote holding
the asked words verbatim, through the `pairs` phrase path, and those sharing
most of its word pairs; only when none is close, those sharing its rarest
content words), compares each with the asked text (`wording.py`)
and groups the versions by utterance: the same words across outlets are one
utterance with its sources listed earliest first, its speakers (and whether
sources disagree on them) and each version's word diff.  Reporters'
questions are left out unless asked for.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from whoosh import query as wq

from ...errors import QueryError
from ...models import Quote
from ...search.filters import fold
from ...search.wording import Asked, Change, Comparison, DiffPart, compare, content_words, words
from .schema import document_to_quote, word_pairs
from .search import runnable

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from .filter_cache import FilterCache

Verdict = Literal["verbatim", "altered", "not found"]
SaidBy = Literal["yes", "someone else", "unknown"]
_RANK = {"verbatim": 0, "altered": 1, "paraphrase": 2}
# Quotes sharing most word pairs with the asked text looked at (beside every verbatim
# holder).  A pair or word held by more than COMMON_SHARE of the quotes (at least
# COMMON_MIN) says nothing about which quote was meant ("of the", "said").
CANDIDATES = 30
COMMON_SHARE = 0.01
COMMON_MIN = 200
# Paraphrase candidates (looked for only when nothing closer is found): the quotes
# sharing most of the asked text's RARE_WORDS rarest content words.
PARAPHRASES = 10
RARE_WORDS = 5
# Quotes of one article tried two by two as one joined quotation, shown with a gap.
JOINED_MAX = 6
_GAP = " […] "
# Versions whose matched words are this alike are one utterance reported twice.
SAME_UTTERANCE = 0.75
_UNDATED = dt.date.max


@dataclass
class Version:
    """One source's version of the utterance and how it compares with the asked words."""

    quote: Quote
    level: str  # verbatim | altered | paraphrase
    similarity: float
    matched: str  # the passage of the source's quote that the asked words match
    changes: list[Change] = field(default_factory=list)
    diff: list[DiffPart] = field(default_factory=list)


@dataclass
class Utterance:
    """One thing said, as reported by one or more sources (earliest first)."""

    text: str
    level: str
    speakers: list[str]  # distinct speakers the sources give ("unknown" for none)
    disputed: bool  # sources name different speakers
    versions: list[Version]

    @property
    def earliest(self) -> Version:
        return self.versions[0]


@dataclass
class Verification:
    """The answer to "was this said, as worded?": a verdict and the evidence."""

    text: str
    verdict: Verdict
    changes: list[Change]  # for `altered`: what differs in the closest version
    utterances: list[Utterance]  # verbatim and altered ones first, then paraphrases
    speaker: str | None = None  # the speaker asked about, if any
    said_by: SaidBy | None = None  # yes / someone else / unknown (with `speaker`)
    said_by_others: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.verdict != "not found"


class VerifyMixin:
    """`verify` for `WhooshEngine`; the host gives `searcher()` and `_filter_cache()`."""

    def searcher(self) -> Searcher:
        raise NotImplementedError

    def _filter_cache(self) -> FilterCache:
        raise NotImplementedError

    def verify(
        self,
        text: str,
        speaker: str | None = None,
        include_questions: bool = False,
        limit: int = 10,
    ) -> Verification:
        """Whether `text` was said as worded, by whom, first where; see `Verification`."""
        if not words(text):
            raise QueryError("nothing to verify — give the words of the quotation")
        searcher = self.searcher()
        asked = Asked.of(text)
        seen: dict[int, Quote] = {}
        versions = _compared(searcher, asked, _close_candidates(searcher, text), seen)
        # Quotes joined, then paraphrases, only when nothing closer was said.
        if not _close(versions):
            kept = [q for q in seen.values() if include_questions or q.kind != "question"]
            versions += _joined(asked, kept)
        if not _close(versions):
            versions += _compared(searcher, asked, _paraphrase_candidates(searcher, text), seen)
        if not include_questions:
            versions = [v for v in versions if v.quote.kind != "question"]
        utterances = _group(versions)[:limit]
        result = _verdict(text, utterances)
        if speaker:
            result.speaker = speaker
            _check_speaker(self._filter_cache(), result, speaker)
        return result


def _compared(
    searcher: Searcher, asked: Asked, docnums: list[int], seen: dict[int, Quote]
) -> list[Version]:
    """The candidates not compared yet, each compared with the asked text."""
    versions = []
    for docnum in docnums:
        if docnum in seen:
            continue
        quote = seen[docnum] = document_to_quote(searcher.stored_fields(docnum))
        found = compare(asked, quote.text)
        if found is not None:
            versions.append(_version(quote, found))
    return versions


def _close(versions: list[Version]) -> bool:
    return any(v.level != "paraphrase" for v in versions)


def _joined(asked: Asked, quotes: list[Quote]) -> list[Version]:
    """Two quotes of one article run together as one ("A. B." where A and B were said
    apart): each pair of the article's candidate quotes, in article order, compared as one
    text; a match is `altered`, its first change the joining."""
    by_article: dict[str, list[Quote]] = {}
    for quote in quotes:
        by_article.setdefault(quote.article_id, []).append(quote)
    versions = []
    for group in by_article.values():
        group.sort(key=lambda q: q.position)
        for first, second in itertools.combinations(group[:JOINED_MAX], 2):
            together = f"{first.text}{_GAP}{second.text}"  # the gap's marks never count
            found = compare(asked, together)
            if found is None or found.level == "paraphrase":
                continue
            if found.start >= len(first.text) or found.end <= len(first.text) + len(_GAP):
                continue  # the match lies in one of them: not a joining
            joining = Change("joined", _edge(first.text, tail=True), _edge(second.text))
            # Marks the asked text puts where the two quotes meet are part of the joining.
            changes = [c for c in found.changes if not (c.kind == "punctuation" and not c.source)]
            versions.append(
                Version(
                    quote=first,
                    level="altered",
                    similarity=round(found.similarity, 3),
                    matched=together[found.start : found.end],
                    changes=[joining, *changes],
                    diff=list(found.diff),
                )
            )
    return versions


def _edge(text: str, tail: bool = False, size: int = 6) -> str:
    """The first (or last) few words of a quote, to name it in a change."""
    said = text.split()
    return " ".join(said[-size:] if tail else said[:size])


def _close_candidates(searcher: Searcher, text: str) -> list[int]:
    """The quotes holding the asked words verbatim, then those sharing most of its word
    pairs (the same words with small changes)."""
    found: dict[int, None] = {}
    verbatim = list(searcher.schema["exact"].process_text(text, mode="query"))
    if len(verbatim) > 1:
        phrase = runnable(wq.Phrase("exact", verbatim))
        found.update(dict.fromkeys(searcher.docs_for_query(phrase)))
    common = max(COMMON_MIN, int(COMMON_SHARE * searcher.doc_count()))
    shared = _shared_terms(searcher, "pairs", set(word_pairs(verbatim)), common)
    least = 1 if len(verbatim) < 5 else 2
    for docnum, weight in shared.most_common(CANDIDATES):
        if weight >= least:
            found.setdefault(docnum, None)
    return list(found)


def _paraphrase_candidates(searcher: Searcher, text: str) -> list[int]:
    """The quotes sharing most of the asked text's rarest content words (idf-weighted)."""
    common = max(COMMON_MIN, int(COMMON_SHARE * searcher.doc_count()))
    stems = {
        stem
        for word in content_words(text)
        for stem in searcher.schema["text"].process_text(word, mode="query")
    }
    shared = _shared_terms(searcher, "text", stems, common, weigh=True, keep=RARE_WORDS)
    return [docnum for docnum, _ in shared.most_common(PARAPHRASES)]


def _shared_terms(
    searcher: Searcher,
    field: str,
    terms: set[str],
    common: int,
    weigh: bool = False,
    keep: int | None = None,
) -> Counter[int]:
    """Documents → how many of `terms` they hold (or the sum of those terms' idf).

    Read straight from the posting lists; a term in more than `common`
    documents says nothing about which quote was meant and is skipped, and
    with `keep` only the rarest terms are read.
    """
    reader = searcher.reader()
    frequencies = {term: reader.doc_frequency(field, term) for term in terms}
    usable = sorted((f, t) for t, f in frequencies.items() if 0 < f <= common)[:keep]
    shared: Counter[int] = Counter()
    for _, term in usable:
        docs = reader.postings(field, term).all_ids()
        if weigh:
            weight = searcher.idf(field, term)
            for docnum in docs:
                shared[docnum] += weight
        else:
            shared.update(docs)
    return shared


def _version(quote: Quote, found: Comparison) -> Version:
    return Version(
        quote=quote,
        level=found.level,
        similarity=round(found.similarity, 3),
        matched=quote.text[found.start : found.end],
        changes=found.changes,
        diff=list(found.diff),
    )


def _date_key(version: Version) -> tuple[dt.date, str, str]:
    quote = version.quote
    return (quote.date or _UNDATED, quote.source or "", quote.path)


def _group(versions: list[Version]) -> list[Utterance]:
    """Versions of one utterance together (alike matched words), best level first."""
    versions.sort(key=lambda v: (_RANK[v.level], -v.similarity, _date_key(v)))
    groups: list[tuple[list[str], list[Version]]] = []
    for version in versions:
        said = words(version.matched)
        for key, members in groups:
            if _RANK[members[0].level] < 2 and version.level == "paraphrase":
                continue
            if difflib.SequenceMatcher(None, key, said, False).ratio() >= SAME_UTTERANCE:
                members.append(version)
                break
        else:
            groups.append((said, [version]))
    utterances = []
    for _, members in groups:
        best = members[0]
        members.sort(key=_date_key)
        people = _people([v.quote.speaker for v in members if v.quote.speaker])
        named = sorted(people) + (["unknown"] if any(not v.quote.speaker for v in members) else [])
        utterances.append(
            Utterance(
                text=best.matched,
                level=best.level,
                speakers=named,
                disputed=len(people) > 1,
                versions=members,
            )
        )
    return utterances


def _people(names: list[str]) -> list[str]:
    """Distinct people among speaker names: one outlet's "Cruz" is another's "Ted Cruz"
    (a lone surname joins the fuller name it ends), and aliases are one person.  The
    name rules are imported here, by the one command that needs them, not at start-up."""
    from ...extraction.names import canonical_speaker, surname

    fullest: dict[str, str] = {}
    for name in sorted(set(names), key=lambda n: -len(n.split())):
        key = fold(canonical_speaker(name))
        if len(name.split()) == 1:
            lone = fold(name)
            key = next((k for k in fullest if fold(surname(k)) == lone), key)
        fullest.setdefault(key, name)
    return list(fullest.values())


def _verdict(text: str, utterances: list[Utterance]) -> Verification:
    levels = {u.level for u in utterances}
    if "verbatim" in levels:
        return Verification(text, "verbatim", [], utterances)
    if "altered" in levels:
        closest = max(
            (v for u in utterances for v in u.versions if v.level == "altered"),
            key=lambda v: v.similarity,
        )
        return Verification(text, "altered", closest.changes, utterances)
    return Verification(text, "not found", [], utterances)


def _check_speaker(cache: FilterCache, result: Verification, speaker: str) -> None:
    """Yes if a matching version names `speaker`; someone else if they name only others."""
    wanted = set(cache.speaker_matches(speaker)) | {fold(speaker)}
    level = {"verbatim": "verbatim", "altered": "altered"}.get(result.verdict)
    named = {
        v.quote.speaker
        for u in result.utterances
        if u.level == level
        for v in u.versions
        if v.quote.speaker
    }
    others = sorted(_people([name for name in named if fold(name) not in wanted]))
    result.said_by_others = others
    if any(fold(name) in wanted for name in named):
        result.said_by = "yes"
    else:
        result.said_by = "someone else" if others else "unknown"

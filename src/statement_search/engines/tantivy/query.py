"""The query language and highlights of the tantivy engine, in tantivy's terms.

Queries use the Whoosh path's language (search.py): plain words on the stemmed
fields, "phrases" verbatim, `AND`/`OR`/`NOT`, `field:word`, `word*`, `word~`.
Tantivy's parser reads most of it; this module rewrites the rest onto it and
works out which words a query asks for, so hits mark them as the Whoosh path does
(`spans.highlight`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import tantivy

from ...errors import QueryError
from ...ingest.storage_errors import storage_error
from ...models import Quote
from ...search.bounds import shown
from ...search.ranking import exact_top, relevance_batches

FIELD_BOOSTS = {"text": 3.0, "around": 1.0}
TITLE_BOOST = 0.5
# The query language's field names as the Whoosh path accepts them.
FIELD_ALIASES = {"quote": "text", "verbatim": "exact", "context": "around", "topic": "topics"}
SORTS = ("relevance", "date", "-date")

_UNFIELDED_PHRASE = re.compile(r'(?<![\w:"])"')
_FIELD_PREFIX = re.compile(r"\b(" + "|".join(FIELD_ALIASES) + r"):")
_PREFIX = re.compile(r"(?<![\w:*?~^/-])([^\W\d_]+)\*(?![\w*?])")
_FUZZY = re.compile(r"(?<![\w:*?~^/-])([^\W\d_]+)~(\d?)(?![\w~])")
_PHRASE = re.compile(r'(?:(\w+):)?"([^"]*)"(?:~\d+)?')
_OPERATORS = frozenset({"AND", "OR", "NOT", "TO", "IN"})
_STEMMED_FIELDS = ("text", "around", "title")
_FEW_TERMS = 64  # a filter's values searched as term queries; more as one term set
# A clause no quote matches: `year` holds yyyy (0 when undated).
_NOTHING = "year:100000"


# The Whoosh path's analysis (schema.py): words by Whoosh's token pattern; stemmed fields
# drop one-letter words and Whoosh's stop words (`whoosh.analysis.STOP_WORDS`, which a
# test compares), the verbatim field keeps every word.  Stems are Snowball English
# (Whoosh: Porter), so a few words stem differently.
STOP_WORDS = (
    "a an and are as at be by can for from have if in is it may not of on or tbd that the "
    "this to us we when will with yet you your"
).split()
_WORD_PATTERN = r"\w+(?:\.?\w+)*"
_TWO_LETTERS_OR_MORE = r"\w\w+(?:\.?\w+)*|\w(?:\.?\w+)+"
_MAX_TOKEN = 255  # tantivy refuses terms past 65 kB; no word is this long


@lru_cache(maxsize=1)
def analyzers() -> tuple[Any, Any]:
    """(stemmed, verbatim): the analysers the engine registers for the stemmed fields and
    for `exact`, as the Whoosh path analyses them; highlights use them too, to find
    match spans in stored text exactly as the index found its terms."""
    verbatim = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(_WORD_PATTERN))
        .filter(tantivy.Filter.remove_long(_MAX_TOKEN))
        .filter(tantivy.Filter.lowercase())
    )
    stemmed = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(_TWO_LETTERS_OR_MORE))
        .filter(tantivy.Filter.remove_long(_MAX_TOKEN))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.custom_stopword(STOP_WORDS))
        .filter(tantivy.Filter.stemmer("english"))
    )
    return stemmed.build(), verbatim.build()


@lru_cache(maxsize=4096)
def analysed(text: str, stemmed: bool) -> tuple[str, ...]:
    """`text`'s terms under the stemmed (`stemmed`) or else the verbatim analyser."""
    return tuple(str(t) for t in analyzers()[0 if stemmed else 1].analyze(text))


def any_term(schema: Any, field: str, values: list[str]) -> Any:
    """The quotes holding any of `values` in keyword `field` (a filter).  Term queries
    read only their terms' postings, where a term-set query walks the field's whole
    dictionary: the few values a filter names are term queries, a long list a term set."""
    if len(values) > _FEW_TERMS:
        return tantivy.Query.term_set_query(schema, field, values)
    if len(values) == 1:
        return tantivy.Query.term_query(schema, field, values[0])
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Should, tantivy.Query.term_query(schema, field, v)) for v in values]
    )


def rewrite(
    text: str,
    fuzzy: Callable[[str, str], list[str]],
    prefix: Callable[[str], list[str]] | None = None,
) -> str:
    """`text` in tantivy's query language: field aliases, unfielded "phrases" on `exact`,
    `word*` as the terms `prefix(word)` finds (regexes without it) and `word~` as the
    terms `fuzzy(word, distance)` finds."""
    rewritten = text  # each step only where its mark is: most queries need none
    if ":" in rewritten:
        rewritten = _FIELD_PREFIX.sub(lambda m: FIELD_ALIASES[m.group(1)] + ":", rewritten)
    if '"' in rewritten:
        rewritten = _UNFIELDED_PHRASE.sub('exact:"', _pair_quotes(rewritten))
    if "*" not in rewritten:
        pass
    elif prefix is None:
        rewritten = _PREFIX.sub(_prefix_query, rewritten)
    else:
        rewritten = _PREFIX.sub(lambda m: _any_of(prefix(m.group(1).lower())), rewritten)
    if "~" not in rewritten:
        return rewritten
    return _FUZZY.sub(lambda m: _any_of(fuzzy(m.group(1), m.group(2))), rewritten)


def expansions(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The `word*` prefixes and (`word`, distance) fuzzy words of a query, outside phrases."""
    if "*" not in text and "~" not in text:
        return [], []
    text = _PHRASE.sub(" ", _pair_quotes(text))
    return [p.lower() for p in _PREFIX.findall(text)], _FUZZY.findall(text)


def _prefix_query(match: re.Match[str]) -> str:
    """`word*` as the query parser's regexes on the stemmed fields, with their boosts."""
    word = match.group(1).lower()
    return f"(text:/{word}.*/^{FIELD_BOOSTS['text']} OR around:/{word}.*/)"


def _any_of(terms: list[str]) -> str:
    """Stemmed terms as one query-language group over the searched fields, with boosts;
    a clause no quote matches for no terms (as Whoosh's expansion to nothing)."""
    if not terms:
        return _NOTHING
    return "(" + " OR ".join(f"text:{t}^{FIELD_BOOSTS['text']} OR around:{t}" for t in terms) + ")"


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of `a` and `b`, stopping once every path exceeds `limit`."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
        if min(row) > limit:
            return limit + 1
    return row[-1]


def _pair_quotes(text: str) -> str:
    """An unclosed quote mark closes at the end, as Whoosh's parser reads it."""
    return text + '"' if text.count('"') % 2 else text


def match_terms(text: str) -> tuple[set[str], list[tuple[str, ...]]]:
    """(stemmed words, verbatim phrases) a query asks for, to mark in a hit's text;
    words under NOT, wildcards and keyword fields are not marked."""
    words: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    text = _pair_quotes(text)
    for match in _PHRASE.finditer(text):
        field = FIELD_ALIASES.get(match.group(1) or "", match.group(1) or "exact")
        before = text[: match.start()].rstrip()
        if before.endswith(("-", "NOT")):
            continue
        if field == "exact":
            phrases.append(analysed(match.group(2), stemmed=False))
        elif field in _STEMMED_FIELDS:
            words.update(analysed(match.group(2), stemmed=True))
    negated = False
    for token in _PHRASE.sub(" ", text).split():
        if token == "NOT":
            negated = True
            continue
        if token in _OPERATORS or token.startswith("-") or negated or "*" in token or "?" in token:
            negated = False
            continue
        field, _, word = token.rpartition(":")
        field = FIELD_ALIASES.get(field, field)
        word = word.lstrip("+(").rstrip(")").split("^")[0].split("~")[0]
        if field == "exact":
            phrases.extend((w,) for w in analysed(word, stemmed=False))
        elif field in ("", *_STEMMED_FIELDS):
            words.update(analysed(word, stemmed=True))
    return words, [p for p in phrases if p]


def ranked_page(
    searcher: Any, query: Any, start: int, stop: int | None, stored: Callable[[Any], Quote]
) -> list[tuple[float, Quote]]:
    """Hits `start`..`stop` of `query` best first, in the order of `search/ranking.py`;
    `stored` reads only the page's quotes (the ties' keys come from `_TieKeys`)."""

    def fetch(n: int | None) -> list[tuple[float, Any]]:
        return list(searcher.search(query, _capped(searcher, n), count=False).hits)

    tied = _TieKeys(searcher)
    page = exact_top(fetch, start, stop, relevance_batches(tied.dates, tied.quote_ids))
    return [(score, stored(address)) for score, address in page]


def dated_page(
    searcher: Any,
    query: Any,
    start: int,
    stop: int | None,
    oldest_first: bool,
    stored: Callable[[Any], Quote],
) -> list[tuple[float, Quote]]:
    """Hits `start`..`stop` of `query` by date (newest first unless `oldest_first`), equal
    dates by quote id (`search/ranking.py`); scores are not computed (0.0)."""
    order = tantivy.Order.Asc if oldest_first else tantivy.Order.Desc

    def fetch(n: int | None) -> list[tuple[float, Any]]:
        limit = _capped(searcher, n)
        hits = searcher.search(query, limit, count=False, order_by_field="date", order=order)
        return [(float(-day if oldest_first else day), a) for day, a in hits.hits]

    page = exact_top(fetch, start, stop, (_TieKeys(searcher).quote_ids,))
    return [(0.0, stored(address)) for _, address in page]


def _capped(searcher: Any, n: int | None) -> int:
    """A fetch of `n` hits (None: all) as tantivy takes it: at most every document."""
    total = int(searcher.num_docs)
    return total if n is None else max(1, min(n, total))


# A stored quote's id straight from its JSON (`quote_to_json`: flat, written by
# `json.dumps`): outside a string `"id": "` can only be that key, since quotes inside
# strings are escaped.  Decoding a whole quote costs ten times more, and a tie at the
# page's edge may hold tens to thousands of hits.
_STORED_ID = re.compile(rb'"id": "([^"\\]*)"')


class _TieKeys:
    """The dates and ids of tied hits: dates from the `date` fast field in one read, ids
    from each hit's stored bytes without decoding them."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher

    def dates(self, addresses: list[Any]) -> list[int]:
        values = self.searcher.fast_field_values("date", addresses)  # ints
        if None in values:  # a segment without the column
            return [day or 0 for day in values]
        return list(values)

    def quote_ids(self, addresses: list[Any]) -> list[str]:
        return [self.quote_id(address) for address in addresses]

    def quote_id(self, address: Any) -> str:
        raw = bytes(self.searcher.doc(address).get_first("doc"))
        found = _STORED_ID.search(raw)
        return found.group(1).decode() if found else str(json.loads(raw)["id"])


class running:  # noqa: N801 - a context manager, used as a function is
    """A query tantivy parses but cannot run (`id:*` asks for a field's values, which
    only its fast fields keep) is that query's one-line error, not a crash."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, trace: Any) -> None:
        if not isinstance(exc, ValueError) or storage_error(exc, "") is not None:
            return  # no error, or the index's files (tantivy's I/O errors are ValueErrors)
        reason = str(exc).splitlines()[0][:200] if str(exc) else "not a query"
        raise QueryError(f"cannot run query {shown(self.text)}: {reason}") from None

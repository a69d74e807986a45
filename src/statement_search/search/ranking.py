"""One total order of hits for every engine, exact at the edge of the page.

- **relevance**: the score, highest first, then the date, newest first (undated
  last), then the quote id, ascending;
- **date** and **-date**: the date (oldest or newest first), then the quote id,
  ascending.

Scores equal to `SCORE_PLACES` decimal places are a tie (`score_key`), so float
noise (tantivy scores in 32 bits, Whoosh in 64) does not order two hits.

An engine finds its best `n` hits by the first key alone and keeps a pick of its
own among hits tied with the `n`-th.  `exact_top` asks for `LOOKAHEAD` hits past
the page; when the last of them ties with the page's last, it asks again for
`GROWTH` times as many, until the last hit fetched ranks below the page's last
or every hit is in hand.  Then every hit tied with the page's last is known, and
each tie touching the page is ordered by the rest of the key, asked part by part
(the date, then the id) only of hits still tied on the page: pages of one
request at growing offsets continue one another with no gap and no duplicate,
inside a tie too, and engines that score alike return the same ids in the same
order.  The cost grows with the tie at the edge: a tie of thousands (an undated
corpus listed by date) reads thousands of ids.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from itertools import groupby
from operator import eq
from typing import Any, TypeVar

from ..models import Quote

A = TypeVar("A")  # an engine's address of a hit (a document number, a doc address)

SCORE_PLACES = 5
# Hits fetched past the page at first: a tie at the edge shorter than this costs no
# second fetch.  Copies of one quote in other articles make ties of tens; a second fetch
# is a whole second scoring pass, where a larger first one costs only its heap (CHANGELOG,
# #21: the bench's 10x queries fetch twice 13 times in 204 with 50, once with 100).
LOOKAHEAD = 100
# How much larger each further fetch is while the tie at the edge goes on.
GROWTH = 4

# The rest of the order after the first key, as parts asked for in turn (cheapest first),
# each only for the hits still tied on the page: a part takes the tied hits' addresses
# and gives their keys in the same order; smaller keys first.
KeyParts = tuple[Callable[[list[A]], list[Any]], ...]


def score_key(rank: float) -> float:
    """`rank` (a score, or a date as a number) with float noise rounded away."""
    return round(rank, SCORE_PLACES)


def relevance_keys(date_of: Callable[[A], int], id_of: Callable[[A], str]) -> KeyParts[A]:
    """The order of equal scores: the date (`date_number`, 0 undated) newest first, then
    the quote id ascending; `date_of` should be the cheaper of the two."""
    return relevance_batches(
        lambda hits: [date_of(hit) for hit in hits], lambda hits: [id_of(hit) for hit in hits]
    )


def relevance_batches(
    dates_of: Callable[[list[A]], list[int]], ids_of: Callable[[list[A]], list[str]]
) -> KeyParts[A]:
    """`relevance_keys` from functions reading many hits' dates or ids at once."""
    return (lambda hits: [-day for day in dates_of(hits)], ids_of)


def date_keys(id_of: Callable[[A], str]) -> KeyParts[A]:
    """The order of equal dates: the quote id, ascending."""
    return (lambda hits: [id_of(hit) for hit in hits],)


def quote_date(quote: Quote) -> int:
    """A stored quote's date as `engines/documents.date_number` gives it (0 undated)."""
    day = quote.date
    return day.year * 10000 + day.month * 100 + day.day if day else 0


def exact_top(
    fetch: Callable[[int | None], Sequence[tuple[float, A]]],
    start: int,
    stop: int | None,
    keys: KeyParts[A],
) -> list[tuple[float, A]]:
    """Hits `start`..`stop` (None: to the end) in the total order, as (rank, address).

    `fetch(n)` gives the engine's best `n` hits (None: every hit) as (rank,
    address), where a larger rank comes first (a score; a date, negated for
    oldest first), equal ranks in any order; a short list means every hit is in.
    `keys` are the rest of the order (`relevance_keys`, `date_keys`), each asked
    only for hits still tied within a tie that touches the page.  More than one
    fetch happens only when the `LOOKAHEAD`-th hit past the page ties with its last.
    """
    if stop is not None and stop <= start:
        return []
    want = None if stop is None else stop + LOOKAHEAD
    while True:
        hits = list(fetch(want))
        ranks = [rank for rank, _ in hits]
        if ranks != sorted(ranks, reverse=True):  # not best first: sorted by `score_key`
            firsts = [score_key(rank) for rank in ranks]
            order = sorted(range(len(hits)), key=firsts.__getitem__, reverse=True)
            hits = [hits[i] for i in order]
        if want is None or stop is None or len(hits) < want:
            break  # every hit there is
        if score_key(hits[want - 1][0]) < score_key(hits[stop - 1][0]):
            break  # the hit past the window ranks below the page: the edge's tie is in
        want *= GROWTH
    end = len(hits) if stop is None else min(stop, len(hits))
    if end <= start:
        return []
    lows = [-key for key in _score_keys([rank for rank, _ in hits])]  # ascending
    # Only the hits from the start of the tie holding the page's first to the end of the
    # tie holding its last can reach the page; every run of equal keys among them
    # touches the page, and is ordered by the next part of the key, part by part.
    first = bisect_left(lows, lows[start], 0, start)
    reach = bisect_right(lows, lows[end - 1], end - 1)
    window, values = hits[first:reach], lows[first:reach]
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(values):
        j = bisect_right(values, values[i], i)  # the end of the run of equal values
        if j - i > 1:
            runs.append((i, j))
        i = j
    for part in keys:
        tied: list[tuple[int, int]] = []  # runs still tied after this part, on the page
        for i, j in runs:
            run = window[i:j]
            found = part([address for _, address in run])
            order = sorted(range(j - i), key=found.__getitem__)
            window[i:j] = [run[k] for k in order]
            found = [found[k] for k in order]
            if not any(map(eq, found, found[1:])):
                continue  # every key differs: nothing left tied in this run
            at = i
            for _, same in groupby(found):
                n = sum(1 for _ in same)
                if n > 1 and first + at < end and first + at + n > start:
                    tied.append((at, at + n))
                at += n
        runs = tied
        if not runs:
            break
    return window[start - first : end - first]


def _score_keys(ranks: list[float]) -> list[float]:
    """`score_key` of each rank; a run of equal ranks (copies of one quote score alike)
    is rounded once."""
    keys: list[float] = []
    previous, key = None, 0.0
    for rank in ranks:
        if rank != previous:
            previous, key = rank, round(rank, SCORE_PLACES)
        keys.append(key)
    return keys

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
twice as many, until the last hit fetched ranks below the page's last or every
hit is in hand.  Then
every hit tied with the page's last is known, and each tie touching the page is
ordered by the rest of the key: pages of one request at growing offsets continue
one another with no gap and no duplicate, inside a tie too, and engines that
score alike return the same ids in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from ..models import Quote

A = TypeVar("A")  # an engine's address of a hit (a document number, a doc address)

SCORE_PLACES = 5
# Hits fetched past the page at first: a tie at the edge shorter than this costs no
# second fetch (copies of one quote in other articles make ties of a few to tens).
LOOKAHEAD = 10

# The key that orders hits tied on the first key: smaller first.
Tiebreak = tuple[int, str]


def score_key(rank: float) -> float:
    """`rank` (a score, or a date as a number) with float noise rounded away."""
    return round(rank, SCORE_PLACES)


def relevance_tiebreak(date: int, quote_id: str) -> Tiebreak:
    """The order of equal scores: `date` (`date_number`, 0 undated) newest first, then id."""
    return -date, quote_id


def date_tiebreak(quote_id: str) -> Tiebreak:
    """The order of equal dates: the quote id, ascending."""
    return 0, quote_id


def quote_tiebreak(quote: Quote, by_date: bool = False) -> Tiebreak:
    """`relevance_tiebreak` (or `date_tiebreak`, `by_date`) of a stored quote."""
    if by_date:
        return date_tiebreak(quote.id)
    day = quote.date
    number = day.year * 10000 + day.month * 100 + day.day if day else 0  # `date_number`
    return relevance_tiebreak(number, quote.id)


def exact_top(
    fetch: Callable[[int | None], Sequence[tuple[float, A]]],
    start: int,
    stop: int | None,
    tiebreak: Callable[[A], Tiebreak],
) -> list[tuple[float, A]]:
    """Hits `start`..`stop` (None: to the end) in the total order, as (rank, address).

    `fetch(n)` gives the engine's best `n` hits (None: every hit) as (rank,
    address), where a larger rank comes first (a score; a date, negated for
    oldest first), equal ranks in any order; a short list means every hit is in.
    `tiebreak(address)` is the rest of the key (`relevance_tiebreak`,
    `date_tiebreak`), asked only for hits of a tie that touches the page.  More
    than one fetch happens only when the `LOOKAHEAD`-th hit past the page ties with
    its last.
    """
    if stop is not None and stop <= start:
        return []
    want = None if stop is None else stop + LOOKAHEAD
    while True:
        hits = sorted(fetch(want), key=lambda hit: -score_key(hit[0]))
        if want is None or stop is None or len(hits) < want:
            break  # every hit there is
        if score_key(hits[want - 1][0]) < score_key(hits[stop - 1][0]):
            break  # the hit past the window ranks below the page: the edge's tie is in
        want *= 2
    end = len(hits) if stop is None else min(stop, len(hits))
    keys = [score_key(rank) for rank, _ in hits]
    i = 0
    while i < end:
        j = i + 1
        while j < len(hits) and keys[j] == keys[i]:
            j += 1
        if j - i > 1 and j > start:
            hits[i:j] = sorted(hits[i:j], key=lambda hit: tiebreak(hit[1]))
        i = j
    return hits[start:end]

"""Search stage: Whoosh's posting lists skip by binary search and decode blocks in C.

Whoosh's `W3LeafMatcher.skip_to` skips whole blocks by their last id, then steps
through the block one posting at a time (`next`, `id` and `is_active`: three
Python calls a posting) until it reaches the target.  Every search moves its
leaves this way: an AND moves one side to the other's id, the title boost
moves the title's postings to each scored match, and a filtered search moves
the query to each allowed document.  On the 10x bench index a third of a
query's time was spent in those steps.  Each block it lands in has its ids
delta-decoded by a Python generator, and a block of unit weights has them
made one by one.

`install()` replaces `skip_to` with one that lands on the same posting (the
first id at or past the target, the same block, the same state) by `bisect`
over the block's ids, and the block decoding with `itertools.accumulate` and
array repetition (the same ids and weights); tests compare each with Whoosh's
own on real posting lists.  Whoosh's methods stay at `WHOOSH_METHODS`.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from itertools import accumulate
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import ReadTooFar

from .patches import Patch

WHOOSH_METHODS = {
    name: getattr(W3LeafMatcher, name) for name in ("skip_to", "_read_ids", "_read_weights")
}


def skip_to(self: Any, targetid: Any) -> None:
    """Move to the first posting whose id is `targetid` or greater (inactive past the end)."""
    if self._atend or self._i >= self._blocklength:
        raise ReadTooFar
    ids = self._ids
    if ids is None:
        self._read_ids()
        ids = self._ids
    if targetid <= ids[self._i]:
        return
    if targetid > self._maxid:  # whole blocks end before the target: skip them unread
        while targetid > self._maxid:
            self._next_block()
            if self._atend:
                return
        self._read_ids()
        ids = self._ids
    at = bisect_left(ids, targetid, self._i)
    if at < self._blocklength:
        self._i = at
        return
    # A block whose recorded last id is below its real last: Whoosh's own walk.
    while self.is_active() and self.id() < targetid:
        self.next()


def read_ids(self: Any) -> None:
    """The block's document ids (its stored deltas summed), or its terms for a vector."""
    if self._data is None:
        self._read_data()
    ids = self._data[0]
    self._ids = ids if self._byteids else tuple(accumulate(ids))


def read_weights(self: Any) -> None:
    """The block's weights: stored as None when all are 1, as one float when all are equal."""
    if self._data is None:
        self._read_data()
    weights = self._data[1]
    if weights is None:
        weights = 1.0
    if isinstance(weights, float):
        weights = array("f", [weights]) * self._blocklength
    self._weights = weights


PATCH = Patch(W3LeafMatcher, skip_to=skip_to, _read_ids=read_ids, _read_weights=read_weights)


def install() -> None:
    """Make every Whoosh posting list skip by binary search and decode blocks in C
    (idempotent)."""
    PATCH.install()

"""The one order of hits (search/ranking.py): score, then newest, then id; exact at the
page's edge however an engine picks among hits tied with its last."""

from __future__ import annotations

import datetime as dt
import random

from statement_search.models import Quote
from statement_search.search.ranking import (
    GROWTH,
    LOOKAHEAD,
    date_keys,
    exact_top,
    quote_date,
    relevance_keys,
    score_key,
)


class Engine:
    """A fake engine: (score, address) hits, its best `n` with a pick of its own (seeded)
    among hits tied with the `n`-th, as a block-max collector keeps whichever came first."""

    def __init__(self, scores: list[float], seed: int) -> None:
        self.hits = list(zip(scores, range(len(scores)), strict=True))
        self.rng = random.Random(seed)
        self.fetches: list[int | None] = []

    def fetch(self, n: int | None) -> list[tuple[float, int]]:
        self.fetches.append(n)
        shuffled = self.hits[:]
        self.rng.shuffle(shuffled)
        best = sorted(shuffled, key=lambda hit: -hit[0])  # stable: the shuffle picks ties
        return best if n is None else best[:n]


def _dates(count: int, seed: int) -> list[int]:
    rng = random.Random(seed)
    return [rng.choice([0, 20200101, 20210505, 20210505, 20240229]) for _ in range(count)]


def _expected(scores: list[float], dates: list[int]) -> list[int]:
    return sorted(range(len(scores)), key=lambda a: (-score_key(scores[a]), -dates[a], f"q{a:03d}"))


def test_pages_follow_one_order_whatever_the_engine_keeps_of_a_tie() -> None:
    for seed in range(30):
        rng = random.Random(seed)
        scores = [rng.choice([9.0, 7.5, 7.5, 6.25, 3.0]) for _ in range(rng.randint(1, 60))]
        dates = _dates(len(scores), seed)
        expected = _expected(scores, dates)

        keys = relevance_keys(dates.__getitem__, lambda a: f"q{a:03d}")

        for limit in (1, 3, 10):
            paged: list[int] = []
            for offset in range(0, len(scores) + limit, limit):
                engine = Engine(scores, seed * 100 + offset)
                page = exact_top(engine.fetch, offset, offset + limit, keys)
                paged += [a for _, a in page]
            assert paged == expected, (seed, limit)  # no gap, no duplicate, one order
        everything = exact_top(Engine(scores, seed).fetch, 0, None, keys)
        assert [a for _, a in everything] == expected


def test_float_noise_is_a_tie_and_a_real_difference_is_not() -> None:
    scores = [2.0000001, 2.0, 1.99999996, 1.9999]
    dates = [20200101, 20230101, 20210101, 20250101]
    keys = relevance_keys(dates.__getitem__, lambda a: f"q{a}")
    page = exact_top(Engine(scores, 1).fetch, 0, 4, keys)
    assert [a for _, a in page] == [1, 2, 0, 3]  # the first three tie: newest first


def test_more_is_fetched_only_for_a_tie_at_the_edge_and_only_ties_are_read() -> None:
    read: list[int] = []

    def quote_id(a: int) -> str:
        read.append(a)
        return f"q{a:03d}"

    plain = Engine([9.0, 8.0, 7.0, 6.0, 5.0] + [4.0] * 10 + [3.0] * 30, 0)
    assert [a for _, a in exact_top(plain.fetch, 0, 3, date_keys(quote_id))] == [0, 1, 2]
    assert plain.fetches == [3 + LOOKAHEAD] and read == []  # no tie on the page: none read

    tied = Engine([9.0] + [5.0] * (2 * LOOKAHEAD) + [1.0], 0)
    page = exact_top(tied.fetch, 0, 3, date_keys(quote_id))
    assert [a for _, a in page] == [0, 1, 2]  # the tie by id: q001, q002
    first = 3 + LOOKAHEAD
    assert tied.fetches == [first, GROWTH * first]  # more while a hit past it ties
    assert sorted(set(read)) == list(
        range(1, 2 * LOOKAHEAD + 1)
    )  # the whole tie at the edge, nothing else
    assert exact_top(tied.fetch, 5, 5, date_keys(quote_id)) == []


def test_later_key_parts_are_asked_only_for_hits_still_tied_on_the_page() -> None:
    """Equal scores on several dates: ids are read only for the date at the page's edge."""
    dates = [20240101] * 3 + [20230101] * 4 + [20220101] * 5
    read: list[int] = []

    def quote_id(a: int) -> str:
        read.append(a)
        return f"q{11 - a:03d}"  # ids run against the addresses

    keys = relevance_keys(dates.__getitem__, quote_id)
    page = exact_top(Engine([5.0] * 12, 3).fetch, 0, 5, keys)
    assert [a for _, a in page] == [2, 1, 0, 6, 5]
    assert sorted(read) == [0, 1, 2, 3, 4, 5, 6]  # not the 2022 hits, wholly past the page


def test_quote_keys_put_newest_first_undated_last_then_ids() -> None:
    def quote(qid: str, day: dt.date | None) -> Quote:
        return Quote(
            id=qid, article_id="a", position=0, text="t", start=0, end=1, speaker=None,
            speaker_as_written=None, attribution="unknown", kind="direct", context="t",
            date=day,
        )  # fmt: skip

    quotes = [
        quote("b", dt.date(2020, 1, 2)),
        quote("c", None),
        quote("a", dt.date(2020, 1, 2)),
        quote("d", dt.date(2021, 3, 1)),
    ]
    keys = relevance_keys(lambda i: quote_date(quotes[i]), lambda i: quotes[i].id)
    page = exact_top(lambda n: [(1.0, i) for i in range(4)], 0, 4, keys)
    assert [quotes[i].id for _, i in page] == ["d", "a", "b", "c"]
    page = exact_top(
        lambda n: [(1.0, i) for i in range(4)], 0, 4, date_keys(lambda i: quotes[i].id)
    )
    assert [quotes[i].id for _, i in page] == ["a", "b", "c", "d"]

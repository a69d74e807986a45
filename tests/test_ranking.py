"""The one order of hits (search/ranking.py): score, then newest, then id; exact at the
page's edge however an engine picks among hits tied with its last."""

from __future__ import annotations

import datetime as dt
import random

from statement_search.models import Quote
from statement_search.search.ranking import (
    LOOKAHEAD,
    date_tiebreak,
    exact_top,
    quote_tiebreak,
    relevance_tiebreak,
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

        def tiebreak(a: int, dates: list[int] = dates) -> tuple[int, str]:
            return relevance_tiebreak(dates[a], f"q{a:03d}")

        for limit in (1, 3, 10):
            paged: list[int] = []
            for offset in range(0, len(scores) + limit, limit):
                engine = Engine(scores, seed * 100 + offset)
                page = exact_top(engine.fetch, offset, offset + limit, tiebreak)
                paged += [a for _, a in page]
            assert paged == expected, (seed, limit)  # no gap, no duplicate, one order
        everything = exact_top(Engine(scores, seed).fetch, 0, None, tiebreak)
        assert [a for _, a in everything] == expected


def test_float_noise_is_a_tie_and_a_real_difference_is_not() -> None:
    scores = [2.0000001, 2.0, 1.99999996, 1.9999]
    dates = [20200101, 20230101, 20210101, 20250101]
    page = exact_top(Engine(scores, 1).fetch, 0, 4, lambda a: relevance_tiebreak(dates[a], f"q{a}"))
    assert [a for _, a in page] == [1, 2, 0, 3]  # the first three tie: newest first


def test_more_is_fetched_only_for_a_tie_at_the_edge_and_only_ties_are_read() -> None:
    read: list[int] = []

    def tiebreak(a: int) -> tuple[int, str]:
        read.append(a)
        return date_tiebreak(f"q{a:03d}")

    plain = Engine([9.0, 8.0, 7.0, 6.0, 5.0] + [4.0] * 10 + [3.0] * 30, 0)
    assert [a for _, a in exact_top(plain.fetch, 0, 3, tiebreak)] == [0, 1, 2]
    assert plain.fetches == [3 + LOOKAHEAD] and read == []  # no tie on the page: none read

    tied = Engine([9.0] + [5.0] * 40 + [1.0], 0)
    page = exact_top(tied.fetch, 0, 3, tiebreak)
    assert [a for _, a in page] == [0, 1, 2]  # the tie by id: q001, q002
    first = 3 + LOOKAHEAD
    assert tied.fetches == [first, 2 * first, 4 * first]  # doubled past the tie (40)
    assert sorted(set(read)) == list(range(1, 41))  # the whole tie at the edge, nothing else
    assert exact_top(tied.fetch, 5, 5, tiebreak) == []


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
    assert [q.id for q in sorted(quotes, key=quote_tiebreak)] == ["d", "a", "b", "c"]
    by_date = sorted(quotes, key=lambda q: quote_tiebreak(q, by_date=True))
    assert [q.id for q in by_date] == ["a", "b", "c", "d"]

"""Search-side timings on a synthetic index: filter cache build, filtered queries, facets.

Run: .venv/bin/python bench/bench_search.py [N_QUOTES]   (default 20000)
Quotes are random words from a small vocabulary — only sizes matter here.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from statement_search import Quote, QuoteIndex
from statement_search.engines.whoosh.schema import quote_to_document

WORDS = (
    "peace sanctions energy gas border talks army trade budget grain harvest election "
    "court media history school pension health road rail space science farmer factory"
).split()
SPEAKERS = [f"Person{i} Surname{i}" for i in range(200)] + [
    "Aleksandr Lukashenko",
    "Vladimir Putin",
]
TOPICS = [
    "sanctions",
    "energy",
    "peace and negotiations",
    "economy and trade",
    "health",
    "education",
]


def build(path: Path, n: int) -> QuoteIndex:
    rng = random.Random(6)
    ix = QuoteIndex.create(path)
    writer = ix.engine._ix.writer(limitmb=256)
    for i in range(n):
        text = " ".join(rng.choices(WORDS, k=rng.randint(8, 40)))
        quote = Quote(
            id=f"b{i // 20}-{i % 20}",
            article_id=f"b{i // 20}",
            position=i % 20,
            text=text,
            start=0,
            end=len(text),
            speaker=rng.choice(SPEAKERS),
            speaker_as_written=None,
            attribution="name",
            kind="direct",
            context=text,
            topics=tuple(rng.sample(TOPICS, 2)),
            title="Bench",
            date=dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3650)),
            source=rng.choice(["Reuters", "kremlin.ru", "president.gov.by"]),
        )
        writer.add_document(**quote_to_document(quote))
    writer.commit()
    return QuoteIndex.open(path)


def timed(label: str, fn, repeat: int = 5) -> None:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    print(f"{label:55s} best {min(times) * 1000:8.1f} ms  first {times[0] * 1000:8.1f} ms")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        ix = build(Path(tmp) / "ix", n)
        print(f"built {n} quotes in {time.perf_counter() - start:.1f} s")
        timed(
            "first filtered search (builds the filter cache)",
            lambda: ix.search("peace", speaker="Putin"),
            1,
        )
        timed("search peace", lambda: ix.search("peace"))
        timed("search peace --speaker Lukashenka", lambda: ix.search("peace", speaker="Lukashenka"))
        timed(
            "search peace --topic 'economy and trade' (parent)",
            lambda: ix.search("peace", topic="economy and trade"),
        )
        timed(
            "search peace --since 2020 --until 2021-06",
            lambda: ix.search("peace", since="2020", until="2021-06"),
        )
        timed(
            "search * --source Reuters --since 2024 (listing)",
            lambda: ix.search("*", source="Reuters", since="2024"),
        )
        timed("facets('peace')", lambda: ix.facets("peace"))
        timed("speakers() whole index", lambda: ix.speakers())
        timed("suggest('sanctons')", lambda: ix.suggest("sanctons"))
        timed("similar(b1-1)", lambda: ix.similar("b1-1"))


if __name__ == "__main__":
    main()

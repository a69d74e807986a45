"""A small hand-written quote collection for the search tests.

Quotes are written straight into a tmp index (not through the extractor) so
search, filter and facet tests have fixed speakers, topics, dates and sources
whatever state quote extraction is in.  All text is written for these tests.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from statement_search import Quote, QuoteIndex
from statement_search.engines.whoosh.schema import quote_to_document

D = dt.date
# (article, speaker, date, source, topics, text)
ROWS: list[tuple[str, str | None, dt.date | None, str | None, tuple[str, ...], str]] = [
    (
        "a1",
        "Aleksandr Lukashenko",
        D(2024, 4, 12),
        "president.gov.by",
        ("sanctions",),
        "The sanctions have hurt nobody but the people who imposed them.",
    ),
    (
        "a1",
        "Aleksandr Lukashenko",
        D(2024, 4, 12),
        "president.gov.by",
        ("peace and negotiations",),
        "We want peace on our borders, and we are ready to talk.",
    ),
    (
        "a1",
        "Vladimir Putin",
        D(2024, 4, 12),
        "president.gov.by",
        ("peace and negotiations",),
        "They refused to negotiate, so the talks never started.",
    ),
    (
        "a2",
        "Vladimir Putin",
        D(2023, 6, 1),
        "kremlin.ru",
        ("energy",),
        "Gas deliveries will continue as long as the contracts are honoured.",
    ),
    (
        "a2",
        "Vladimir Putin",
        D(2023, 6, 1),
        "kremlin.ru",
        ("sanctions", "energy"),
        "Sanctions on our energy exports are illegal and they will fail.",
    ),
    (
        "a3",
        "Volodymyr Zelenskyy",
        D(2025, 1, 20),
        "Reuters",
        ("peace and negotiations",),
        "A just peace is the only peace that will last.",
    ),
    (
        "a3",
        "Volodymyr Zelenskyy",
        D(2025, 1, 20),
        "Reuters",
        ("security and defence",),
        "Air defence saves lives every single night.",
    ),
    (
        "a4",
        "Viktor Orbán",
        D(2024, 11, 3),
        "Reuters",
        ("economy and trade",),
        "Trade with the East keeps our factories running.",
    ),
    ("a4", None, D(2024, 11, 3), "Reuters", (), "Nobody asked the farmers what they think."),
    (
        "a5",
        "Aleksandr Lukashenko",
        None,
        None,
        ("agriculture",),
        "The harvest this year was the best in a decade, thanks to our farmers.",
    ),
]
TITLES = {
    "a1": "Talks in Minsk",
    "a2": "Energy briefing",
    "a3": "Evening address",
    "a4": "Budapest forum",
    "a5": "Harvest festival",
}


def make_quotes() -> list[Quote]:
    quotes = []
    for n, (article, speaker, date, source, topics, text) in enumerate(ROWS):
        position = sum(1 for row in ROWS[:n] if row[0] == article)
        context = f"At the meeting, the speaker said: “{text}” Then the meeting went on."
        quotes.append(
            Quote(
                id=f"{article}-{position}",
                article_id=article,
                position=position,
                text=text,
                start=37,
                end=37 + len(text),
                speaker=speaker,
                speaker_as_written=speaker.split()[-1] if speaker else None,
                attribution="name" if speaker else "unknown",
                kind="direct",
                context=context,
                speaker_type="person" if speaker else None,
                confidence=0.95 if speaker else 0.0,
                topics=topics,
                title=TITLES[article],
                date=date,
                source=source,
                url=f"https://example.org/{article}",
                path=f"{article}.txt",
            )
        )
    return quotes


def build_index(path: Path, *more: list[Quote]) -> QuoteIndex:
    """A fresh index holding `make_quotes()` in two commits (two segments), then each of `more`."""
    ix = QuoteIndex.create(path)
    quotes = make_quotes()
    for part in (quotes[:5], quotes[5:], *more):
        writer = ix.engine._ix.writer()
        for quote in part:
            writer.add_document(**quote_to_document(quote))
        writer.commit(merge=False)
    ix.engine.refresh()
    return ix


def copies_and_a_question() -> list[Quote]:
    """a1-0 (sanctions) reprinted by another outlet (c1-0), re-cut (c2-0), and a reporter's
    question on the same words (q1-0): what `similar` skips and `search_page` collapses."""
    original = make_quotes()[0]
    copy = dataclasses.replace(original, id="c1-0", article_id="c1", source="copy.example")
    near_copy = dataclasses.replace(
        original,
        id="c2-0",
        article_id="c2",
        text=original.text.replace("The sanctions", "Sanctions"),
    )
    question = dataclasses.replace(
        original,
        id="q1-0",
        article_id="q1",
        kind="question",
        speaker=None,
        text="Will the sanctions imposed on your exports hurt the people?",
    )
    return [copy, near_copy, question]

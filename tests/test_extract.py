"""Extraction end to end: fixture articles (one per rule), the seed, invariants."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from statement_search.extraction.attribution import mask_runs
from statement_search.extraction.context import Masks
from statement_search.extraction.extract import _truncated, extract_quotes
from statement_search.extraction.quotes import Run, article_units, find_runs
from statement_search.models import Article
from statement_search.readers import read_article
from statement_search.readers.text import parse_text

from .conftest import SEED

QUOTES = Path(__file__).resolve().parent / "fixtures" / "quotes"
FIXTURES = sorted(p.stem for p in QUOTES.glob("*.txt"))


def _fixture(name: str) -> tuple[Article, dict]:
    path = QUOTES / f"{name}.txt"
    expected = json.loads((QUOTES / f"{name}.json").read_text(encoding="utf-8"))
    article = parse_text(path.read_text(encoding="utf-8"), str(path))
    article.url = expected.get("url")
    return article, expected


def _summary(article: Article) -> list[dict[str, object]]:
    return [
        {"text": q.text, "speaker": q.speaker, "attribution": q.attribution}
        for q in extract_quotes(article)
    ]


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_article(name: str) -> None:
    article, expected = _fixture(name)
    assert _summary(article) == expected["quotes"], expected["rule"]


@pytest.mark.parametrize("name", FIXTURES)
def test_offsets_point_at_the_quote(name: str) -> None:
    article, _ = _fixture(name)
    for quote in extract_quotes(article):
        if "\n\n" not in quote.text:
            assert article.text[quote.start : quote.end] == quote.text
        assert quote.article_id == article.id
        assert quote.title == article.title and quote.path == article.path
    ids = [quote.id for quote in extract_quotes(article)]
    assert len(set(ids)) == len(ids)


def test_seed_quotes_and_speakers() -> None:
    if not SEED.exists():
        pytest.skip("seed article not present")
    expected = json.loads((QUOTES / "seed_expected.json").read_text(encoding="utf-8"))
    quotes = extract_quotes(read_article(SEED))
    assert [[q.start, q.speaker] for q in quotes] == expected["quotes"]
    assert all(q.attribution != "unknown" for q in quotes)
    vocative = next(q for q in quotes if "Vladimir Vladimirovich" in q.text)
    assert vocative.speaker == "Aleksandr Lukashenko"


def test_pre_attributed_turns_keep_their_speaker() -> None:
    text = "Title\n\nFirst answer here.\n\nSecond answer here."
    article = parse_text(text, "turns.txt")
    article.turn_speakers = {1: "Jane Roe", 2: None}
    quotes = extract_quotes(article)
    assert [(q.text, q.speaker, q.attribution, q.kind) for q in quotes] == [
        ("First answer here.", "Jane Roe", "label", "transcript"),
        ("Second answer here.", None, "label", "transcript"),
    ]


def test_truncated_excerpt_drops_its_cut_last_quote() -> None:
    text = 'Title\n\n"A whole quote," Ann Lee said.\n\n"Since the'
    quotes = extract_quotes(parse_text(text, "cut.txt"))
    assert [q.text for q in quotes] == ["A whole quote"]


def test_sentence_comma_before_the_attribution_is_not_quoted() -> None:
    text = "Title\n\n“Talks go on,” said Ann Lee. “Why not?” she asked. “Wait…,” she said."
    article = parse_text(text, "comma.txt")
    quotes = extract_quotes(article)
    assert [q.text for q in quotes] == ["Talks go on", "Why not?", "Wait…"]
    assert all(article.text[q.start : q.end] == q.text for q in quotes)


_PIECES = st.sampled_from(
    [
        "“We will win,” Ann Lee said.",
        '"Straight marks," he added, "again."',
        "The so-called “summit” ended.",
        "«Guillemets here» and „low marks“ too.",
        "Q    Are you ready?",
        "THE PRESIDENT:  Yes.",
        "Unclosed “quote runs to the end",
        "Plain narration with no quote at all.",
        "Ann Lee: “Colon intro here.”",
        "“Nested ‘single’ and “double” marks,” she said.",
        '"',
        "“",
        "”",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_PIECES, min_size=1, max_size=4), min_size=1, max_size=6))
# A lone opening mark whose run closes inside the next paragraph, a question turn: the
# run is the turn's words, not a second quote overlapping it.
@example([["Q    Are you ready?"], ["Q    Are you ready?"], ['"'], ["«Guillemets here» too."]])
def test_invariants(paragraphs: list[list[str]]) -> None:
    text = "Title line\n\n" + "\n\n".join(" ".join(p) for p in paragraphs)
    article = parse_text(text, "gen.txt")
    first = extract_quotes(article)
    again = extract_quotes(parse_text(text, "gen.txt"))
    assert first == again  # deterministic
    last_end = -1
    for quote in first:
        assert quote.text.strip()
        assert quote.start >= last_end  # in order, no overlap
        last_end = quote.end
        if "\n\n" not in quote.text:
            assert article.text[quote.start : quote.end] == quote.text
        assert quote.attribution in {"name", "role", "pronoun", "continuation", "label", "unknown"}
        assert quote.kind in {"direct", "transcript", "mixed", "question"}


def test_speaker_as_written_carries_no_sentence_punctuation() -> None:
    article = parse_text(
        "Title\n\n“We will build the bridge,” said the Russian leader.\n", "mention.txt"
    )
    [quote] = extract_quotes(article)
    assert quote.speaker_as_written == "the Russian leader"


def test_masks_are_made_once_per_unit_and_kept_apart() -> None:
    article = parse_text("T\n\n“Yes,” Ann said.\n\nBob said “no way.”\n\nNothing here.", "m.txt")
    units = article_units(article)
    touching: dict[int, list[Run]] = {}
    for run in find_runs(units, article.text):
        touching.setdefault(run.unit, []).append(run)
    masks = Masks(touching)
    made = [masks.of(unit) for unit in units]
    assert made == [mask_runs(unit, touching.get(unit.index, [])) for unit in units]
    assert made[1:] == ["“xxxx” Ann said.", "Bob said “xx xxx.”", "Nothing here."]
    assert all(masks.of(unit) is made[unit.index] for unit in units)


@pytest.mark.parametrize(
    ("body", "cut"),
    [
        ("One line.\n\n", False),
        ("One line.  \n", False),
        ("Ends in a quote”\n", False),
        ("Ends in a list:", False),
        ("Cut off here", True),
        ("Cut off here \n\n", True),
    ],
)
def test_a_text_is_cut_short_when_it_ends_mid_sentence(body: str, cut: bool) -> None:
    article = parse_text("Title\n\n" + body, "t.txt")
    units = article_units(article)
    assert (_truncated(article, units) is not None) is cut


def test_an_outsized_line_gives_each_quote_a_window_of_it_as_context() -> None:
    from statement_search.extraction.extract import CONTEXT_WINDOW, MAX_CONTEXT

    unit = "Ann Lee said “we will build {} bridges this year” and left. "
    line = "".join(unit.format(i) for i in range(200))
    assert len(line) > MAX_CONTEXT
    article = parse_text(f"Title\n\n{line}\n\nShort paragraph: “we did it all ourselves”.", "w.txt")
    quotes = extract_quotes(article)
    long_ones = [q for q in quotes if "bridges" in q.text]
    assert len(long_ones) == 200
    for quote in long_ones:
        assert quote.text in quote.context
        assert len(quote.context) <= len(quote.text) + 2 * CONTEXT_WINDOW + 2
        assert not quote.context.startswith((" ", "ill ", "ll "))  # whole words
    assert quotes[-1].context == "Short paragraph: “we did it all ourselves”."


def test_text_before_is_the_prefix_without_trailing_space_in_a_window() -> None:
    from statement_search.extraction.quotes import text_before

    assert text_before("He said, \n “x", 11) == "He said,"
    assert text_before("   “x", 3) == ""
    assert text_before("a" * 1000 + "  ", 1002, window=5) == "aaaaa"


def test_a_capitals_label_loses_its_title() -> None:
    from statement_search.extraction.extract import extract_quotes
    from statement_search.readers.text import parse_text

    article = parse_text(
        "Budget hearing\n\nTREASURER KWAME OSEI: We will balance the budget this year.\n\n"
        "SEN. MARIA MCDONALD: The state has never been in better shape than now.\n",
        "t.txt",
    )
    assert [(q.speaker, q.attribution) for q in extract_quotes(article)] == [
        ("Kwame Osei", "label"),
        ("Maria McDonald", "label"),
    ]

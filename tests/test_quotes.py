"""Quote finding: marks, nesting, unclosed and multi-paragraph runs, scare quotes."""

from __future__ import annotations

import pytest

from statement_search.extraction.quotes import article_units, find_runs, keep_run
from statement_search.readers.text import parse_text


def _runs(body: str) -> list[tuple[str, bool]]:
    article = parse_text("Title\n\n" + body, "t.txt")
    units = article_units(article)
    return [(run.text, keep_run(run, units[run.unit])) for run in find_runs(units, article.text)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("“Curly pair here,” she said.", "Curly pair here,"),
        ('"Straight pair here," she said.', "Straight pair here,"),
        ("«Russian pair here», she said.", "Russian pair here"),
        ("„German pair here“, she said.", "German pair here"),
        ('“Mismatched pair here," she said.', "Mismatched pair here,"),
        ('He said: "Opening after a colon."', "Opening after a colon."),
        ("He said:“Glued to the colon.”", "Glued to the colon."),
    ],
)
def test_mark_styles(body: str, expected: str) -> None:
    assert _runs(body) == [(expected, True)]


def test_nested_marks_stay_inside_the_outer_run() -> None:
    body = '"He read “the full text” to me, and ‘all of it’," she said.'
    assert _runs(body) == [("He read “the full text” to me, and ‘all of it’,", True)]


def test_doubled_opening_mark_is_one_mark() -> None:
    assert _runs('She said "“this is one quote."') == [("this is one quote.", True)]


def test_unclosed_quote_ends_at_its_paragraph() -> None:
    body = "He began: “This never closes\n\nNarration follows here."
    assert _runs(body) == [("This never closes", True)]


def test_quote_over_several_paragraphs_is_one_run() -> None:
    body = "“First part.\n\n“Second part.\n\n“Third part.”\n\nAfter."
    article = parse_text("Title\n\n" + body, "t.txt")
    units = article_units(article)
    runs = find_runs(units, article.text)
    assert [r.text for r in runs] == ["First part.\n\nSecond part.\n\nThird part."]
    assert article.text[runs[0].start : runs[0].end].startswith("First part.")
    assert article.text[runs[0].start : runs[0].end].endswith("Third part.")


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ("The so-called “peace summit” ended.", False),
        ("Critics called it “naive.”", False),
        ("“Of course,” Putin confirmed.", True),
        ("He replied: “Never.”", True),
        ("She backed the “Clean Water Restoration Act” last week.", False),
        ("He called the plan “a very bad idea” and left.", True),
        # A show named where shows are named, with the sentence's full stop inside.
        ("Bo Diaz said it on Channel Nine's “Meet the Voters.”", False),
        ("Bo Diaz said it on “Morning Report Today,” then left.", False),
        ("Bo Diaz said on Monday: “We Will Win.”", True),
        # Markup left in the text: an attribute's value is no quote.
        ('One user wrote: <tweet tweet-date="March 11, 2016 at noon">Go home</tweet>.', False),
    ],
)
def test_scare_quotes_and_titles(body: str, kept: bool) -> None:
    assert [keep for _, keep in _runs(body)] == [kept]


def test_units_are_lines_with_article_offsets() -> None:
    article = parse_text("Title\nline one\n\n  line two", "t.txt")
    units = article_units(article)
    assert [u.text for u in units] == ["Title", "line one", "line two"]
    assert all(article.text[u.start : u.end] == u.text for u in units)

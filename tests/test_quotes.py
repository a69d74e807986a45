"""Quote finding: marks, nesting, unclosed and multi-paragraph runs, scare quotes."""

from __future__ import annotations

import pytest

from statement_search.extraction.extract import extract_quotes
from statement_search.extraction.quotes import article_units, find_runs, keep_run
from statement_search.extraction.transcripts import quoted_turns
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
        # A closing mark typed for the opening one, before the ellipsis of a cut.
        ("” … cut short before this,” she said.", "… cut short before this,"),
        ("He spoke. ” ... and cut here,” she said.", "... and cut here,"),
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


# A transcript an article prints as one quotation (invented people and words).
_QUOTED_TRANSCRIPT = (
    "On Sunday's broadcast, Governor Maria Okafor defended the budget.\n\n"
    "Partial transcript as follows:\n\n"
    '"DUNNE: Governor, the budget is late again. Why should voters trust it this time?\n\n'
    '"OKAFOR: Well, look, the budget is balanced for the first time in a decade.\n\n'
    '"It funds schools and roads, and it cuts no pensions at all.\n\n'
    '"(CROSSTALK.)\n\n'
    '"VIDEO: Schools first, schools always, schools everywhere.\n\n'
    '"DUNNE: Let me ask about the schools, because parents are worried about them.\n\n'
    '"OKAFOR: Every school gets more money next year than it got this year.\n\n'
    '"Follow Sam Reed on Twitter @samreed."\n\n'
    "Okafor later left for the capital, where lawmakers vote on Tuesday."
)


def test_a_transcript_printed_as_one_quotation_is_split_into_turns() -> None:
    article = parse_text("Budget talk\n\n" + _QUOTED_TRANSCRIPT, "t.txt")
    quotes = extract_quotes(article)
    assert [(q.speaker, q.speaker_as_written, q.attribution, q.kind) for q in quotes] == [
        ("Dunne", "DUNNE", "label", "transcript"),
        ("Maria Okafor", "OKAFOR", "label", "transcript"),
        (None, "VIDEO", "label", "transcript"),  # a clip: nobody's turn, nor the last one's
        ("Dunne", "DUNNE", "label", "transcript"),
        ("Maria Okafor", "OKAFOR", "label", "transcript"),
    ]
    texts = [q.text for q in quotes]
    assert texts[0].startswith("Governor, the budget") and texts[0].endswith("this time?")
    # A turn over two paragraphs is one quote, without the second paragraph's mark.
    assert texts[1] == (
        "Well, look, the budget is balanced for the first time in a decade.\n\n"
        "It funds schools and roads, and it cuts no pensions at all."
    )
    assert not any("CROSSTALK" in t or "Twitter" in t or "DUNNE" in t for t in texts)
    for quote in quotes:
        if "\n\n" not in quote.text:
            assert article.text[quote.start : quote.end] == quote.text
    two = quotes[1]
    assert article.text[two.start : two.end].startswith("Well, look")
    assert article.text[two.start : two.end].endswith("pensions at all.")


def test_a_quotation_without_two_labels_stays_one_quote() -> None:
    body = (
        '"DUNNE: We spoke for an hour about the budget and the schools.\n\n'
        '"Nobody else was in the room, and nobody took notes," Sam Reed said.\n\n'
        "“Our plan works. We will pass it,” Okafor said.\n\n"
        '"Tax Rises: None this year, and none the next year either.\n\n'
        '"Cuts: The roads budget only, as the report says."'
    )
    quotes = extract_quotes(parse_text("Budget talk\n\n" + body, "t.txt"))
    # One label, then section leads: quotations, each one quote.
    assert [(q.kind, q.text.count("\n\n")) for q in quotes] == [
        ("direct", 1),
        ("direct", 0),
        ("direct", 1),
    ]
    assert quotes[0].speaker == "Sam Reed"


def test_quoted_turns_need_the_quotation_to_open_with_a_label() -> None:
    article = parse_text("T\n\n" + _QUOTED_TRANSCRIPT.replace('"DUNNE: Governor', '"Governor'), "t")
    units = article_units(article)
    runs = [r for r in find_runs(units, article.text) if r.end_unit > r.unit]
    assert len(runs) == 1 and quoted_turns(runs[0], units) == []
    article = parse_text("T\n\n" + _QUOTED_TRANSCRIPT, "t.txt")
    units = article_units(article)
    runs = [r for r in find_runs(units, article.text) if r.end_unit > r.unit]
    assert [q.turn.label for q in quoted_turns(runs[0], units)] == [
        "DUNNE",
        "OKAFOR",
        "VIDEO",
        "DUNNE",
        "OKAFOR",
    ]


def test_the_report_after_an_embedded_transcript_is_nobody_s_turn() -> None:
    body = (
        "A panel led by Sam Reed discussed the budget on Saturday.\n\n"
        "Sam Reed: Seriously, what do you make of the budget the governor sent us?\n\n"
        "Ada Kell: I think it is late, and we have seen this happen before.\n\n"
        "Sam Reed: Well, late is bad. But is it balanced?\n\n"
        "Ada Kell: We will know next week, once the numbers come out.\n\n"
        "Those numbers, however, were published by the treasury on Friday, and the budget is "
        "balanced for the first time in a decade.\n\n"
        "The governor said the plan “funds every school in the state,” which the figures bear out."
    )
    quotes = extract_quotes(parse_text("Budget panel\n\n" + body, "t.txt"))
    assert [(q.speaker, q.kind) for q in quotes] == [
        ("Sam Reed", "transcript"),
        ("Ada Kell", "transcript"),
        ("Sam Reed", "transcript"),
        ("Ada Kell", "transcript"),
        (None, "mixed"),
    ]
    assert quotes[-1].text == "funds every school in the state"
    # A turn's own paragraphs go on while they speak as I, we or you.
    spoken = body.replace("Those numbers, however,", "We expect those numbers")
    quotes = extract_quotes(parse_text("Budget panel\n\n" + spoken, "t.txt"))
    assert [(q.speaker, q.kind) for q in quotes][-3:] == [
        ("Ada Kell", "transcript"),
        ("Ada Kell", "transcript"),
        (None, "mixed"),
    ]

"""Plain-text reader: title line, paragraphs as exact slices, dates and language sniffed."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statement_search.errors import InputError
from statement_search.readers import read_article
from statement_search.readers.sniff import (
    _english_words,
    _latin_letters,
    _looks_english,
    find_date,
    guess_language,
)
from statement_search.readers.text import parse_text

FIX = Path(__file__).parent / "fixtures" / "readers"


def _assert_slices(article) -> None:
    for para, offset in zip(article.paragraphs, article.paragraph_offsets, strict=True):
        assert article.text[offset:][: len(para)] == para


def test_text_keeps_whole_file_so_offsets_match() -> None:
    text = "Title here\n\nFirst para\nsame para.\n\n  Second para.  \n"
    article = parse_text(text, "a.txt")
    assert article.text == text
    assert article.title == "Title here"
    assert article.paragraphs == ["Title here", "First para\nsame para.", "Second para."]
    assert article.body == "First para\nsame para.\n\n  Second para.  "
    _assert_slices(article)


def test_date_stated_near_the_top_is_sniffed() -> None:
    article = read_article(FIX / "dated.txt")
    assert article.date == dt.date(2024, 4, 11)
    assert article.language == "en"


def test_date_far_down_the_story_is_not_the_article_date() -> None:
    text = "Title\n\n" + "Words and more words. " * 40 + "\n\nOn 11 April 2024 they met.\n"
    assert parse_text(text, "x.txt").date is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Minsk, 11 April 2024 — talks", dt.date(2024, 4, 11)),
        ("WASHINGTON, April 11, 2024 — talks", dt.date(2024, 4, 11)),
        ("Москва, 11 апреля 2024 года", dt.date(2024, 4, 11)),
        ("3 марта 2023", dt.date(2023, 3, 3)),
        ("Posted 2024-04-11T10:00", dt.date(2024, 4, 11)),
        ("11.04.2024 Minsk", dt.date(2024, 4, 11)),
        ("31 February 2024", None),
        ("May I say 12 things", None),
    ],
)
def test_find_date_forms(text: str, expected: dt.date | None) -> None:
    assert find_date(text) == expected


def test_language_heuristic() -> None:
    assert guess_language("Президент заявил, что мир возможен.") == "ru"
    assert guess_language("The president said that the talks were over.") == "en"
    assert guess_language("12345") is None


_SNIFF_WORDS = st.sampled_from(
    ["the", "The", "THAT", "ſaid", "İs", "ıs", "with", "and", "of", "to", "was", "x", "_", "ж"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_SNIFF_WORDS, st.sampled_from([" ", "", ",", "-", "\n", "é"]))))
def test_language_counts_are_the_plain_patterns(pieces: list[tuple[str, str]]) -> None:
    """The fast counts equal what the obvious patterns count."""
    text = "".join(word + sep for word, sep in pieces)
    words = re.findall(r"\b(?:the|and|of|to|that|is|was|said|with)\b", text, re.I)
    assert _english_words(text) == len(words)
    for total in (1, 3, 20, 200):
        assert _looks_english(text, total) == (len(words) / total > 0.05)
    assert _latin_letters(text) == len(re.findall(r"[A-Za-z]", text))


def test_control_characters_and_escapes_never_reach_the_text() -> None:
    article = read_article(FIX / "control_chars.txt")
    assert article.title == "Title red"
    assert "\x1b" not in article.text and "\x07" not in article.text
    assert "[31m" not in article.text
    assert "“hello there”" in article.text


@pytest.mark.parametrize("name", ["empty.txt", "blank.txt"])
def test_empty_files_are_refused_with_the_name(name: str) -> None:
    with pytest.raises(InputError, match=rf"{name}: empty file"):
        read_article(FIX / name)


def test_missing_file_and_folder_give_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_article(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_article(tmp_path)


def test_markdown_front_matter_gives_title_date_and_url() -> None:
    text = (
        '---\ntitle: "Remarks by President Marta Quell"\ndate: 2025-06-04\n'
        "url: https://example.org/remarks/\ntags: [harbour, opening]\n---\n\n"
        "The Harbour\n\nTHE PRESIDENT:  Thank you all.\n"
    )
    article = parse_text(text, "remarks.md")
    assert article.title == "Remarks by President Marta Quell"
    assert article.date == dt.date(2025, 6, 4)
    assert article.url == "https://example.org/remarks/"
    assert article.paragraphs == ["The Harbour", "THE PRESIDENT:  Thank you all."]
    assert "---" not in article.body and "title:" not in article.body
    _assert_slices(article)


def test_a_first_line_that_is_a_speaker_label_is_no_title() -> None:
    own_line = parse_text("MORROW:\n\nGood evening.\n\nASHBY:\n\nThank you.\n", "d.txt")
    assert own_line.title == "" and own_line.body_offset == 0
    going_on = parse_text("Ivan Petrak: Colleagues,\nthe harvest is in.\n", "k.txt")
    assert going_on.title == "" and going_on.body_offset == 0
    debate = parse_text(
        "GUTMAN: Good evening, I'm Savannah Gutman.\n\nPALMER: Thank you, Savannah.\n", "g.txt"
    )
    assert debate.title == "" and debate.body_offset == 0
    # A headline with a colon, followed by a blank line, is still the title.
    headline = parse_text("Lukashenko: No intention to resign\n\nHe said so.\n", "h.txt")
    assert headline.title == "Lukashenko: No intention to resign"


def test_markdown_heading_title_without_its_hashes() -> None:
    article = parse_text("# Remarks by Governor Ann Lee\n\nGOVERNOR LEE:  Hello.\n", "r.md")
    assert article.title == "Remarks by Governor Ann Lee"

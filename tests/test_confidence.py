"""Confidence: how the speaker was found → a share of right speakers."""

from __future__ import annotations

from statement_search.extraction.confidence import confidence
from statement_search.extraction.extract import extract_quotes
from statement_search.readers.text import parse_text


def test_no_speaker_no_confidence() -> None:
    assert confidence("after_verb", "name", None) == 0.0


def test_a_cue_naming_a_full_name_beats_a_pronoun_and_a_bare_surname() -> None:
    full = confidence("after_verb", "name", "Ann Lee")
    assert full >= 0.9
    assert confidence("after_name", "pronoun", "Ann Lee") < full
    assert confidence("after_verb", "name", "Lee") < full
    assert 0.0 < confidence("unheard-of", "name", "Ann Lee") < 1.0


def test_quotes_carry_confidence() -> None:
    article = parse_text(
        "Title\n\n“We will cut every tax we can,” said Ann Lee, the mayor.\n\n"
        "“And we will do it this year,” she added.",
        "t.txt",
    )
    first, second = extract_quotes(article)
    assert first.speaker == second.speaker == "Ann Lee"
    assert first.confidence >= 0.9 > second.confidence > 0.0

"""The word comparison under `verify`: spans, changes, diffs (no index)."""

from __future__ import annotations

from statement_search.search.wording import compare, content_words, render_diff, tokens

SOURCE = "If they come, we will talk. There can be no peace process without us, he said."


def test_verbatim_inside_a_longer_quote_ignores_case_and_end_marks() -> None:
    found = compare("“there can be no peace process.”", SOURCE)
    assert found is not None and found.level == "verbatim"
    assert SOURCE[found.start : found.end] == "There can be no peace process"


def test_the_passage_is_found_where_it_is_not_at_an_earlier_shared_word() -> None:
    source = "A peace conference without us is no peace conference. There can be no peace process"
    found = compare("There can never be a peace process", source)
    assert found is not None and found.level == "altered"
    assert source[found.start : found.end] == "There can be no peace process"
    assert render_diff(found.diff) == "There can {+never+} be [-no-] {+a+} peace process"


def test_a_changed_last_word_is_a_change_not_an_addition() -> None:
    found = compare("we will fight", "If they come, we will talk.")
    assert found is not None
    assert [str(c) for c in found.changes] == ["changed “talk” → “fight”"]


def test_words_moved_are_one_change() -> None:
    found = compare("without us there can be no peace process", SOURCE)
    assert found is not None and found.level == "altered"
    assert [c.kind for c in found.changes] == ["moved"]


def test_little_in_common_is_none() -> None:
    assert compare("the weather is fine", SOURCE) is None


def test_tokens_ignore_quote_marks_and_unify_apostrophes() -> None:
    assert [t.key for t in tokens("“Don’t,” she said")] == ["don't", ",", "she", "said"]
    assert content_words("We will never give up the peace talks, including today") == {
        "peace",
        "talks",
    }

"""Transcript turns: labels, questioners, stage directions, headlines."""

from __future__ import annotations

from statement_search.quotes import article_units
from statement_search.readers.text import parse_text
from statement_search.transcripts import find_turns, is_stage_direction


def _turns(body: str) -> list[tuple[str, str]]:
    article = parse_text("Title\n\n" + body, "t.txt")
    units = article_units(article)
    return [(t.label, article.text[t.start : t.end]) for t in find_turns(units, 1)]


def test_capital_labels_and_bare_q() -> None:
    body = "MR. EARNEST:  Hello all.\n\nQ    Thanks.\n\nTHE PRESIDENT: Ready."
    assert _turns(body) == [
        ("MR. EARNEST", "Hello all."),
        ("Q", "Thanks."),
        ("THE PRESIDENT", "Ready."),
    ]


def test_name_labels_timestamps_and_retranslated() -> None:
    body = (
        "Question: Why?\n\nSergey Lavrov: Because.\n\n"
        "Vladimir Putin (retranslated): Yes.\n\nAnn Lee: (00:07) Thanks."
    )
    assert _turns(body) == [
        ("Question", "Why?"),
        ("Sergey Lavrov", "Because."),
        ("Vladimir Putin", "Yes."),
        ("Ann Lee", "Thanks."),
    ]


def test_turn_continues_over_paragraphs_until_a_time_stamp() -> None:
    body = "Ann Lee: One.\n\nTwo.\n\n(Applause.)\n\nThree.\n\n1:09 P.M. EST\n\nFooter text."
    assert [text for _, text in _turns(body + "\n\nBob Stone: Four.\n\nAnn Lee: Five.")] == [
        "One.",
        "Two.",
        "Three.",
        "Four.",
        "Five.",
    ]


def test_headlines_and_one_off_colons_are_not_turns() -> None:
    body = "Lukashenko: No intention to resign\n\nPutin: Talks were useful\n\nSource: agencies."
    assert _turns(body) == []


def test_a_list_of_verdicts_is_not_a_conversation() -> None:
    body = "Ann Lee: Win in a walk.\n\nBob Stone: Now or never.\n\nCarl Diaz: 1,547."
    assert _turns(body) == []


def test_stage_directions() -> None:
    assert is_stage_direction("(Laughter.)")
    assert is_stage_direction("(Cross-talk.)")
    assert not is_stage_direction("(Laughter.) And then more words.")


def test_editorial_labels_tallies_and_capital_headlines_are_not_turns() -> None:
    body = (
        "PREVIOUSLY:\n\nOld text.\n\nAnn Lee: 1,204.\n\nAnn Lee: 988.\n\n"
        "WORLD: FLOODS CLOSE THREE PORTS Rain.\n\nCORRECTION:\n\nA fix."
    )
    assert _turns(body) == []


def test_labels_need_a_colon_but_a_bare_q_does_not() -> None:
    body = "MR. EARNEST   Hello all.\n\nQ    Thanks.\n\nMR. EARNEST: Hello again.\n\nQ\tAnd?"
    assert _turns(body) == [("Q", "Thanks."), ("MR. EARNEST", "Hello again."), ("Q", "And?")]

"""One mention scan per narration sentence, and the cheaper lower-case word finder:
the same answers as scanning on their own (#21)."""

from __future__ import annotations

import re

import pytest

from statement_search.extraction.attribution import Resolver, sentence_spans, subject_of
from statement_search.extraction.mentions import find_mentions
from statement_search.extraction.people import _LOWER_WORD, People

_TEXT = (
    "Ann Lee, a nurse from Ohio, met Senator Bob Reed on Monday. "
    "When Ann Lee arrived, Bob Reed said the plan was over. "
    "After the vote, Mr. Reed thanked Carla Diaz and the governor. "
    "Speaking in Salem, New Hampshire, Lee told reporters she would stay. "
    "Her father, Tom Lee, 61, worried about Ann."
)


def _people() -> People:
    people = People()
    people.learn(_TEXT)
    return people


def _spans(match: re.Match[str] | None) -> tuple[int, int, str | None] | None:
    return None if match is None else (match.start(), match.end(), match.lastgroup)


@pytest.mark.parametrize("lo, hi", sentence_spans(_TEXT))
def test_subject_of_with_listed_mentions_is_subject_of_scanning(lo: int, hi: int) -> None:
    people = _people()
    listed = list(find_mentions(_TEXT, lo, hi))
    assert _spans(subject_of(_TEXT, lo, hi, people, listed)) == _spans(
        subject_of(_TEXT, lo, hi, people)
    )


def test_a_subordinate_clause_is_skipped_even_with_listed_mentions() -> None:
    people = _people()
    lo, hi = sentence_spans(_TEXT)[1]  # "When Ann Lee arrived, Bob Reed said …"
    subject = subject_of(_TEXT, lo, hi, people, list(find_mentions(_TEXT, lo, hi)))
    assert subject is not None and subject.group(0) == "Bob Reed"


def test_note_sentence_notes_what_separate_scans_note() -> None:
    shared, separate = Resolver(_people()), Resolver(_people())
    lasts = []
    for lo, hi in sentence_spans(_TEXT):
        lasts.append(shared.note_sentence(_TEXT, lo, hi))
        subject = subject_of(_TEXT, lo, hi, separate.people)
        separate.note_mentions(_TEXT, lo, hi, subject)
    assert shared.mentioned == separate.mentioned
    assert "Carla Diaz" in shared.mentioned
    assert lasts[0] == "Ann Lee"


_OLD_LOWER_WORD = re.compile(r"(?<![\w'’\-])[a-z][a-z'’\-]*")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a",
        "the delegates' vote",
        "Will and will, hope-less x-ray’s o'clock",
        "abc1 _ab é-a café über naïve 9am",
        "-lead ’tis 'twas “quoted words” end.",
        "ÉTAT état Straße",
    ],
)
def test_lower_words_are_found_as_before(text: str) -> None:
    assert _LOWER_WORD.findall(text) == _OLD_LOWER_WORD.findall(text)

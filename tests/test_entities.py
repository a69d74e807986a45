"""A speaker is a person or an organisation: places, months, groups and headlines are not."""

from __future__ import annotations

import pytest

from statement_search.entities import not_a_speaker, speaker_type
from statement_search.extract import extract_quotes
from statement_search.readers.text import parse_text


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("Texas", "place"),
        ("New Hampshire", "place"),
        ("March", "month"),
        ("Black Democrats", "group"),
        ("Democratic", "group"),
        ("FULL TEXT", "headline"),
        ("Hillary Clinton Joked", "headline"),
        ("Builders And Innovators Summit", "headline"),
        ("Kwame Osei", None),
        ("April Ryan", None),
        ("Kremlin", None),
        ("White House", None),
        ("NATO", None),
    ],
)
def test_not_a_speaker(name: str, why: str | None) -> None:
    assert not_a_speaker(name) == why


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Vladimir Putin", "person"),
        ("Kremlin", "organisation"),
        ("White House", "organisation"),
        ("CNN", "organisation"),
        ("Clinton campaign", "organisation"),
        ("Washington Post", "organisation"),
        (None, None),
    ],
)
def test_speaker_type(name: str | None, kind: str | None) -> None:
    assert speaker_type(name) == kind


def _quotes(body: str) -> list[tuple[str | None, str | None]]:
    article = parse_text("Title\n\n" + body, "t.txt")
    return [(q.speaker, q.speaker_type) for q in extract_quotes(article)]


def test_organisations_speak_and_places_do_not() -> None:
    body = (
        "“We will respond to the sanctions in kind,” the Kremlin said on Monday.\n\n"
        "“The numbers do not add up for anyone,” CNN reported.\n\n"
        "“Come and see the best beaches in the world,” Texas said in an advert."
    )
    assert _quotes(body) == [
        ("Kremlin", "organisation"),
        ("CNN", "organisation"),
        (None, None),
    ]


def test_a_headline_is_not_a_longer_name() -> None:
    article = parse_text(
        "Ann Lee Slams Bob Stone Over Taxes\n\n"
        "Bob Stone spoke in Salem.\n\n“We will cut every tax we can,” Stone said.",
        "t.txt",
    )
    assert [q.speaker for q in extract_quotes(article)] == ["Bob Stone"]

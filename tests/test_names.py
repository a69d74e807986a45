"""Names: titles stripped, fullest form per article, aliases across outlets."""

from __future__ import annotations

from pathlib import Path

import pytest

from statement_search.errors import AliasError
from statement_search.extraction.names import (
    ArticleNames,
    canonical_speaker,
    load_aliases,
    speaker_aliases,
    strip_titles,
    surname,
)


@pytest.mark.parametrize(
    ("written", "bare"),
    [
        ("Russian President Vladimir Putin", "Vladimir Putin"),
        ("President of Russia Vladimir Putin", "Vladimir Putin"),
        ("Mr. Bates", "Bates"),
        ("House Speaker Mike Johnson", "Mike Johnson"),
        ("European Commission President Ursula von der Leyen", "Ursula von der Leyen"),
        ("Rep. Elise Stefanik", "Elise Stefanik"),
        ("Aleksandr Lukashenko", "Aleksandr Lukashenko"),
        # The place an office is of ends at its jurisdiction noun (#18).
        ("Governor of Vellia Region Anton Korsak", "Anton Korsak"),
        ("Governor of Vellia Oblast Korsak", "Korsak"),
        ("Chair of the Harbour Committee Ada Kell", "Ada Kell"),
        ("Region Anton Korsak", "Region Anton Korsak"),
    ],
)
def test_strip_titles(written: str, bare: str) -> None:
    assert strip_titles(written) == bare


def test_surname_skips_suffixes() -> None:
    assert surname("Joseph R. Biden Jr.") == "Biden"


def test_fullest_form_in_the_article() -> None:
    names = ArticleNames()
    names.add("Belarusian President Aleksandr Lukashenko")
    names.add("Joe Biden.")
    assert names.canonical("Lukashenko") == "Aleksandr Lukashenko"
    assert names.canonical("President Lukashenko") == "Aleksandr Lukashenko"
    assert names.canonical("Mr. Biden") == "Joe Biden"
    assert names.canonical("Obama") == "Obama"


def test_ambiguous_surname_stays_as_written() -> None:
    names = ArticleNames()
    names.add("Hillary Clinton")
    names.add("Bill Clinton")
    assert names.canonical("Clinton") == "Clinton"
    assert names.canonical("Hillary Clinton") == "Hillary Clinton"


@pytest.mark.parametrize(
    "written",
    ["Alexander Lukashenko", "Lukashenka", "Aliaksandr Lukashenka", "President Lukashenko"],
)
def test_canonical_speaker_across_transliterations(written: str) -> None:
    assert canonical_speaker(written) == "Aleksandr Lukashenko"


def test_speaker_aliases_lists_known_spellings() -> None:
    aliases = speaker_aliases("Zelensky")
    assert aliases[0] == "Volodymyr Zelenskyy"
    assert "Volodymyr Zelensky" in aliases


def test_unknown_name_is_itself() -> None:
    assert canonical_speaker("Mr. Jane Roe") == "Jane Roe"
    assert speaker_aliases("Jane Roe") == ["Jane Roe"]


def test_user_alias_file_extends_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "aliases.toml"
    extra.write_text('[people]\n"Jane Roe" = ["Janet Roe"]\n', encoding="utf-8")
    monkeypatch.setenv("STATEMENT_SEARCH_ALIASES", str(extra))
    assert canonical_speaker("Janet Roe") == "Jane Roe"
    assert canonical_speaker("Lukashenka") == "Aleksandr Lukashenko"


def test_bad_alias_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[people\n", encoding="utf-8")
    with pytest.raises(AliasError, match="bad.toml"):
        load_aliases(str(bad))
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('[people]\n"X" = "not a list"\n', encoding="utf-8")
    with pytest.raises(AliasError, match="must be a list"):
        load_aliases(str(wrong))
    with pytest.raises(AliasError, match="not found"):
        load_aliases(str(tmp_path / "missing.toml"))


def test_canonical_answer_changes_when_the_surname_gets_another_form() -> None:
    names = ArticleNames()
    names.add("Hillary Clinton")
    assert names.canonical("Clinton") == "Hillary Clinton"
    assert names.canonical("Mrs. Clinton") == "Hillary Clinton"
    names.add("Bill Clinton")  # a second Clinton: the remembered answer no longer holds
    assert names.canonical("Clinton") == "Clinton"
    assert names.canonical("Mrs. Clinton") == "Clinton"
    names.add("Joe Biden")  # another surname leaves Clinton's answer as it is
    assert names.canonical("Clinton") == "Clinton"
    names.add("Hillary Rodham Clinton")
    assert names.canonical("Hillary Clinton") == "Hillary Rodham Clinton"


def test_adding_a_name_twice_registers_it_once() -> None:
    names = ArticleNames()
    assert names.add("President Joe Biden") == "Joe Biden"
    assert names.add("President Joe Biden") == "Joe Biden"
    assert names.add("Mr. Biden") == "Biden"
    assert names.by_surname == {"biden": ["Joe Biden"]}
    assert names.canonical("Biden") == "Joe Biden"


def test_a_single_form_is_used_only_when_the_mention_fits_it() -> None:
    names = ArticleNames()
    names.add("Joe Biden")
    assert names.canonical("Biden") == "Joe Biden"
    assert names.canonical("Jill Biden") == "Jill Biden"  # same initial, another person
    assert names.canonical("Hunter Biden") == "Hunter Biden"


@pytest.mark.parametrize(
    ("written", "bare"),
    [
        ("Treasurer Kwame Osei", "Kwame Osei"),
        ("Comedian Sarah Silverman", "Sarah Silverman"),  # nameparser's occupations
        ("Texas-based Matt Mackowiak", "Matt Mackowiak"),
        ("State Department", "State Department"),  # a body keeps its words
        ("National Rifle Association", "National Rifle Association"),
        ("United States", "United States"),
    ],
)
def test_titles_and_descriptions_are_not_names(written: str, bare: str) -> None:
    assert strip_titles(written) == bare


def test_a_first_name_alone_is_the_one_full_name_it_starts() -> None:
    names = ArticleNames()
    names.add("Hillary Clinton")
    names.add("Bill Clinton")
    assert names.canonical("Hillary") == "Hillary Clinton"
    names.add("Hillary Duff")
    assert names.canonical("Hillary") == "Hillary"  # two of them: stays as written


def test_declined_russian_names_meet_their_nominative() -> None:
    from statement_search.extraction.morphology import available

    if not available("ru"):
        pytest.skip("pymorphy3 or its Russian dictionary missing")
    names = ArticleNames()
    names.add("Анной Соколовой")
    assert names.full == {"анна соколова": "Анна Соколова"}
    assert names.canonical("Соколовой") == "Анна Соколова"
    assert names.canonical("Путина") == "Путин"


@pytest.mark.parametrize(
    ("caps", "titled"),
    [
        ("KWAME OSEI", "Kwame Osei"),
        ("MITCH MCCONNELL", "Mitch McConnell"),
        ("BETO O'ROURKE", "Beto O'Rourke"),
        ("JEAN-CLAUDE JUNCKER", "Jean-Claude Juncker"),
        ("URSULA VON DER LEYEN", "Ursula von der Leyen"),
        ("EMMANUEL MACRON", "Emmanuel Macron"),
    ],
)
def test_title_case_of_a_label_in_capitals(caps: str, titled: str) -> None:
    from statement_search.extraction.names import title_case

    assert title_case(caps) == titled

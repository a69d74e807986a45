"""Declined Russian/Ukrainian names and role nouns → nominative (pymorphy3)."""

from __future__ import annotations

import pytest

from statement_search.extraction import morphology

pytestmark = pytest.mark.skipif(
    not morphology.available("ru"), reason="pymorphy3 or its Russian dictionary missing"
)


@pytest.mark.parametrize(
    ("written", "nominative"),
    [
        ("Анной Соколовой", "Анна Соколова"),
        ("Александра Лукашенко", "Александр Лукашенко"),
        ("Руритании Виктор Петров", "Виктор Петров"),  # a country before the name goes
        ("Игорем Беловым", "Игорь Белов"),
        ("Vladimir Putin", "Vladimir Putin"),  # other scripts stay as written
    ],
)
def test_nominative_name(written: str, nominative: str) -> None:
    assert morphology.nominative_name(written) == nominative


def test_surname_forms_hold_both_genders() -> None:
    forms = morphology.surname_forms("Соколовой")
    assert "Соколова" in forms
    assert morphology.surname_forms("Путина")[0] == "Путин"
    assert morphology.surname_forms("Smith") == ()


def test_first_name_gender() -> None:
    assert morphology.is_female("Ольга") is True
    assert morphology.is_female("Игорь") is False
    assert morphology.is_female("Olga") is None


def test_role_noun_declensions() -> None:
    forms = morphology.declensions("глава государства")
    assert {"главы государства", "главе государства", "главой государства"} <= set(forms)
    assert morphology.declensions("le président") == ["le président"]


@pytest.mark.skipif(not morphology.available("uk"), reason="no Ukrainian dictionary")
def test_ukrainian_name() -> None:
    assert morphology.nominative_name("Оксани Мельник") == "Оксана Мельник"

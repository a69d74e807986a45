import re

import pytest

from statement_search.extraction.lexicon import ROLE_NOUN, ROLE_NOUNS, alternation


def _plain(words: list[str]) -> str:
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + ")"


@pytest.mark.parametrize(
    "text",
    [
        "The Secretary of  State met the secretary, the president-elect and the President.",
        "Vice President Pence, a spokeswoman, the SPOKESMAN and the head of\ngovernment",
        "presidential premiers chairwoman's chair Chairman ſpokesman KING",
    ],
)
def test_alternation_matches_like_plain_alternation(text: str) -> None:
    for tail in (r"(?![\w\-])", r"(?:\s+of\s+\w+)?(?![\w\-])"):
        factored = re.compile(rf"\b{ROLE_NOUN}{tail}")
        plain = re.compile(rf"\b(?i:{_plain(ROLE_NOUNS)}){tail}")
        assert [m.span() for m in factored.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ]


def test_alternation_factors_prefixes() -> None:
    assert alternation(["premier", "president", "press"]) == "pre(?:mier|s(?:ident|s))"
    assert alternation(["head of state", "head"]) == r"head(?:\s+of\s+state)?"


def test_alternation_wants_longer_words_first() -> None:
    with pytest.raises(ValueError, match="must come before"):
        alternation(["president", "president-elect"])


@pytest.mark.parametrize(
    "words",
    [
        ["press", "pre"],
        ["pre", "pre"],
        ["head of state", "head", "he"],
        ["", "a"],
        ["ab", "b", "abc"],
        ["abc", "abd", "ab"],
    ],
)
def test_alternation_refuses_exactly_a_word_after_one_it_starts_with(words: list[str]) -> None:
    late = any(w.startswith(earlier) for i, w in enumerate(words) for earlier in words[:i])
    if late:
        with pytest.raises(ValueError, match="must come before"):
            alternation(words)
    else:
        assert re.fullmatch(alternation(words), words[0])


def test_cue_alternation_matches_like_plain_alternation() -> None:
    from statement_search.extraction.lexicon import _CUE_PHRASES, CUE, CUE_WORDS

    words = sorted(CUE_WORDS, key=len, reverse=True)
    plain = re.compile(r"\b(?:" + "|".join(_CUE_PHRASES + words) + r")\b")
    text = (
        "He said, she says: they told reporters, it was quoted as saying; acknowledged, "
        "acknowledges acknowledge. Added adds adding additional went on to say pointed "
        "out wrote on Twitter, replied repliedly saying, says-who"
    )
    assert [m.span() for m in re.finditer(r"\b" + CUE, text)] == [
        m.span() for m in plain.finditer(text)
    ]


def test_every_language_file_loads_with_cues_roles_and_pronouns() -> None:
    from statement_search.extraction.lexicon import (
        CUE_WORDS,
        FOREIGN_ROLES,
        LANGUAGES,
        PRONOUN_GENDERS,
    )

    codes = {lang.code for lang in LANGUAGES}
    assert {"ru", "uk", "fr", "de", "es"} <= codes
    for lang in LANGUAGES:
        assert lang.cue_verbs and lang.role_nouns and lang.pronouns, lang.code
        assert set(lang.cue_verbs) <= CUE_WORDS
    assert FOREIGN_ROLES["la ministre".split()[1]] == "minister"
    assert FOREIGN_ROLES["der kanzler".split()[1]] == "chancellor"
    assert PRONOUN_GENDERS["она"] == "female" and PRONOUN_GENDERS["il"] == "male"


def test_foreign_role_nouns_fit_the_alternation() -> None:
    pattern = re.compile(r"\b(?:" + alternation(ROLE_NOUNS) + r")\b", re.I)
    for noun in ("presidente", "Bundeskanzler", "глава государства", "ministre"):
        assert pattern.fullmatch(noun), noun


def test_declining_languages_list_every_case_of_their_role_nouns() -> None:
    """Russian and Ukrainian files list each role noun in every singular case, so
    "по словам главы государства" matches without loading pymorphy3 at import."""
    from statement_search.extraction.lexicon import LANGUAGES
    from statement_search.extraction.morphology import available, declensions

    if not (available("ru") and available("uk")):
        pytest.skip("pymorphy3 dictionaries missing")
    heads = {
        "ru": ["глава государства", "президент", "министр", "губернатор", "депутат", "мэр"],
        "uk": ["глава держави", "президент", "міністр", "депутат", "мер"],
    }
    for lang in LANGUAGES:
        for noun in heads.get(lang.code, []):
            missing = set(declensions(noun)) - set(lang.role_nouns)
            assert not missing, (lang.code, noun, missing)

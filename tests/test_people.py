"""People register: the fast forms of its patterns find what the plain ones find."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statement_search.extraction.lexicon import FOREIGN_DETERMINERS, PRONOUN_GENDERS
from statement_search.extraction.mentions import (
    _DET,
    _POSSESSOR,
    CAPWORD,
    MENTION_RE,
    NAME,
    NAME_FIND,
    PRONOUN,
    ROLE,
    ROLE_NOUN_RE,
    find_mentions,
    role_nouns,
)
from statement_search.extraction.people import _DESC_BEFORE, People, _last_words_start

_PIECES = st.sampled_from(
    "the The Russian president President Vladimir Putin he She they bathe a an its "
    "Mr. W. von der Leyen , . “ ” ( - \u00a0 said Trump's Belarus leader of state "
    "this That their theirs them hello Shea de den dean al ibn bin la Le da di "
    "du van Ludwig Beethoven İlham she ſhe О'Brien Trump’s O'Brien's Ann's's Bob'sx "
    "Sen.'s".split(" ")
)
_TEXTS = st.lists(st.tuples(_PIECES, st.sampled_from([" ", "  ", "", "\t"])), max_size=30).map(
    lambda pieces: "".join(word + sep for word, sep in pieces)
)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_mentions_are_those_of_the_plain_alternation(text: str) -> None:
    plain = re.compile(rf"(?P<role>{ROLE})|(?P<pron>{PRONOUN})|(?P<name>{NAME})")
    found = [(m.span(), m.lastgroup) for m in MENTION_RE.finditer(text)]
    assert found == [(m.span(), m.lastgroup) for m in plain.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_names_found_are_those_of_the_plain_pattern(text: str) -> None:
    plain = re.compile(NAME)
    assert [m.span() for m in NAME_FIND.finditer(text)] == [m.span() for m in plain.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_roles_are_those_of_the_backtracking_possessive(text: str) -> None:
    plain = re.compile(ROLE.replace(_POSSESSOR, CAPWORD + "['’]s"))
    assert [m.span() for m in re.finditer(ROLE, text)] == [m.span() for m in plain.finditer(text)]


_LOWER_STARTS = "the a an this that his her their its he she they".split() + (
    "von van der den de da di du la le bin al ibn".split()
)


@pytest.mark.parametrize("word", _LOWER_STARTS)
def test_every_lower_case_start_is_tried(word: str) -> None:
    """Each lower-case word a mention may start with, in each role it can play."""
    text = f"So {word} president met {word} Smith, {word} leader, {word}. {word} {word} Jones."
    plain = re.compile(rf"(?P<role>{ROLE})|(?P<pron>{PRONOUN})|(?P<name>{NAME})")
    found = [(m.span(), m.lastgroup) for m in MENTION_RE.finditer(text)]
    assert found == [(m.span(), m.lastgroup) for m in plain.finditer(text)]
    assert [m.span() for m in NAME_FIND.finditer(text)] == [
        m.span() for m in re.finditer(NAME, text)
    ]


@settings(max_examples=300, deadline=None)
@given(_TEXTS, st.integers(min_value=0, max_value=400))
def test_description_search_starts_late_enough(text: str, end: int) -> None:
    end = min(end, len(text))
    plain = _DESC_BEFORE.search(text, max(0, end - 80), end)
    fast = _DESC_BEFORE.search(text, _last_words_start(text, end), end)
    assert (fast and fast.span()) == (plain and plain.span())


def test_role_description_registers_the_person() -> None:
    people = People()
    people.learn("Belarusian President Aleksandr Lukashenko met the press.")
    assert people.resolve_role("the Belarusian leader", []) == "Aleksandr Lukashenko"


def test_a_role_starts_at_a_word() -> None:
    """A role's determiner starts a word: "bathe president" is not "the president"."""
    roles = [m.group() for m in MENTION_RE.finditer("Dogs bathe president Smith.") if m["role"]]
    assert roles == []
    roles = [m.group() for m in MENTION_RE.finditer("Dogs saw the president.") if m["role"]]
    assert roles == ["the president"]


def test_titles_give_gender_on_every_mention() -> None:
    people = People()
    people.learn("Ms. Robin Lee spoke. Mr. Robin Lee replied. Ms. Robin Lee left.")
    assert people.is_female("Robin Lee") is True  # the last title wins, as written
    people.learn("Robin Lee and Mr. Kim Park came.")
    assert people.is_female("Robin Lee") is True
    assert people.is_female("Kim Park") is False


def test_a_mention_registers_the_same_name_each_time() -> None:
    people = People()
    people.learn("Sen. Jane Roe met Roe. Sen. Jane Roe left; Jane Roe stayed.")
    assert people.canonical("Roe") == "Jane Roe"
    assert people.is_female("Jane Roe") is True


def test_role_answers_follow_what_the_article_has_said_so_far() -> None:
    people = People()
    people.learn("Russian President Vladimir Putin spoke.")
    assert people.resolve_role("the French president", []) is None
    assert people.resolve_role("the Russian president", []) == "Vladimir Putin"
    people.learn("French President Emmanuel Macron replied.")  # a new person
    assert people.resolve_role("the French president", []) == "Emmanuel Macron"
    people.learn("Andrew Bates, a spokesperson for the White House, said so.")
    assert people.resolve_role("the White House spokesperson", []) == "Andrew Bates"
    people.learn("Emmanuel Macron, the Russian-speaking host, nodded.")  # Macron described again
    assert people.resolve_role("the host", []) == "Emmanuel Macron"


def test_a_surname_is_a_person_once_the_article_names_them() -> None:
    people = People()
    assert not people.is_person("Pulvermann")
    people.learn("Klaus Pulvermann wrote in.")
    assert people.is_person("Pulvermann")


_ROLE_PIECES = st.sampled_from(
    "the President president PRESIDENT Prime prime Minister minister-president vice "
    "Vice-President SPOKESMAN ſpokesman Spokesman spokesmen Secretary of State İlham "
    "ılham KING king chairwoman's head Head-of government \u212aing - . , “ ”".split(" ")
)
_ROLE_TEXTS = st.lists(
    st.tuples(_ROLE_PIECES, st.sampled_from([" ", "  ", "", "\n"])), max_size=30
).map(lambda pieces: "".join(word + sep for word, sep in pieces))


@settings(max_examples=300, deadline=None)
@given(_ROLE_TEXTS)
def test_role_nouns_found_lower_cased_are_those_of_the_pattern(text: str) -> None:
    found = [m.span() for m in role_nouns(text)]
    assert found == [m.span() for m in ROLE_NOUN_RE.finditer(text)]


def test_lower_casing_keeps_what_the_role_pattern_sees() -> None:
    """Every character that lower-cases to one (but ı and ſ) is an ASCII letter after it
    exactly when an ignored case matches it to that letter, and stays a word character,
    or whitespace, or neither."""
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    kept = [c for c in chars if len(c.lower()) == 1 and c not in "\u0131\u017f"]
    text = "".join(kept)
    lowered = "".join(c.lower() for c in kept)
    ascii_after = {i for i, c in enumerate(lowered) if "a" <= c <= "z"}
    ignored = {m.start() for m in re.finditer("(?i:[a-z])", text)}
    assert ignored == ascii_after
    assert all(re.fullmatch(f"(?i:{lowered[i]})", text[i]) for i in ignored)
    for pattern in (r"\w", r"\s"):
        assert [m.start() for m in re.finditer(pattern, text)] == [
            m.start() for m in re.finditer(pattern, lowered)
        ]


def test_a_first_name_tells_she_from_he_beyond_the_short_lists() -> None:
    from statement_search.extraction.gender import gender_detector

    if gender_detector() is None:
        pytest.skip("gender-guesser is not installed")
    from statement_search.extraction.extract import extract_quotes
    from statement_search.readers.text import parse_text

    body = (
        "Rachel Berg opened the shop in 1990. Milton Berg joined her later.\n\n"
        "“We have never had a year this good,” she said."
    )
    article = parse_text("Title\n\n" + body, "t.txt")
    assert [q.speaker for q in extract_quotes(article)] == ["Rachel Berg"]


def test_a_title_of_address_after_a_comma_is_no_apposition() -> None:
    """ "Merci, Monsieur le Président": a vocative, not a person called Merci described as
    the president; "Ann Lee, the president of …" is still an apposition."""
    people = People()
    people.learn("Merci, Monsieur le Président, pour cet accueil chaleureux.")
    people.learn("Thank you, Mr President, for the welcome.")
    assert people.resolve_role("the président", []) is None
    assert people.resolve_role("the president", []) is None
    people.learn("Ann Lee, the president of the league, opened the season.")
    assert people.resolve_role("the president", []) == "Ann Lee"


_FOREIGN_PIECES = st.sampled_from(
    "он Он она вона він Він ён яна они ellos Ellas elle elles il Ils er Er él Él der Der die "
    "das eine einer seine sein son cette su Su la las les глава депутат Депутат губернатора "
    "президент Президент заявил Иван Петров Schmidt minister".split(" ")
)
_MIXED_TEXTS = st.lists(
    st.tuples(st.one_of(_PIECES, _FOREIGN_PIECES), st.sampled_from([" ", "  ", "\t"])),
    max_size=30,
).map(lambda pieces: "".join(word + sep for word, sep in pieces))


@settings(max_examples=300, deadline=None)
@given(_MIXED_TEXTS, st.integers(0, 40), st.integers(0, 400))
def test_find_mentions_is_the_full_pattern(text: str, lo: int, hi: int) -> None:
    """Skipping bare roles where none can start, and the prefix-factored word lists,
    find what the full pattern with one alternative per word finds (#8)."""
    words = sorted({*PRONOUN_GENDERS}, key=len, reverse=True)
    plain_pronoun = r"\b(?:" + "|".join(f"[{w[0]}{w[0].upper()}]{w[1:]}" for w in words) + r")\b"
    dets = ["the", "an", "a", "this", "that", "his", "her", "their", "its", *FOREIGN_DETERMINERS]
    plain_det = "|".join(f"[{d[0]}{d[0].upper()}]{d[1:]}" for d in dets)
    assert [m.span() for m in re.finditer(PRONOUN, text)] == [
        m.span() for m in re.finditer(plain_pronoun, text)
    ]
    found = [(m.span(), m.lastgroup) for m in find_mentions(text, lo, hi)]
    assert found == [(m.span(), m.lastgroup) for m in MENTION_RE.finditer(text, lo, hi)]
    plain_role = ROLE.replace(_DET, f"(?:{plain_det}|{_POSSESSOR})")
    assert plain_role != ROLE
    plain = re.compile(rf"(?P<role>{plain_role})|(?P<pron>{plain_pronoun})|(?P<name>{NAME})")
    assert [m.span() for m in MENTION_RE.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_a_first_name_alone_is_a_person_unless_the_article_writes_it_in_lower_case() -> None:
    people = People()
    people.learn("Her father, Brad, 39, worried. Chase the votes, they chase us.")
    assert people.is_person("Brad")
    assert not people.is_person("Chase")  # the article also writes "chase"
    assert not people.is_person("BRAD")  # capitals: a dateline or a heading


def test_an_office_completed_by_of_is_not_part_of_the_name() -> None:
    people = People()
    people.learn("That, party Chief of Staff Katie Walsh explained, is by design.")
    assert people.canonical("Walsh") == "Katie Walsh"


def test_the_former_role_is_who_was_described_as_it() -> None:
    people = People()
    people.learn("Former Secretary of State Ann Lee met Secretary of State Bob Reed on Monday.")
    assert people.resolve_role("the former secretary of state", []) == "Ann Lee"
    assert people.resolve_role("the secretary of state", []) == "Bob Reed"


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(
        st.lists(
            st.sampled_from(["will", "Will", "hope", " ", "-", "'", "’", "x1", "_", "é", "s", "."]),
            max_size=10,
        ).map("".join),
        max_size=4,
    ),
    st.sampled_from(["will", "hope", "will-s", "s", "hope's", "x1", "é", "Will", ""]),
)
def test_lower_case_words_are_those_the_plain_scan_finds(texts: list[str], word: str) -> None:
    """`writes_in_lower_case` looks a word up alone; it says what collecting every
    `_LOWER_WORD` match of the texts learnt would say, as texts are learnt one by one."""
    from statement_search.extraction.people import _LOWER_WORD

    people = People()
    seen: set[str] = set()
    for text in texts:
        assert people.writes_in_lower_case(word) == (word in seen)
        people.learn(text)
        seen.update(_LOWER_WORD.findall(text))
        assert people.writes_in_lower_case(word) == (word in seen)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(
        st.sampled_from(["Ann", "Mr.", "Reyes", "’s", "'s", "de", "Certainly", "New", "\t", " "]),
        max_size=4,
    ).map("".join)
)
def test_one_word_registers_no_full_name(text: str) -> None:
    """`_full_name` turns a single word away at once: the rules it skips would find
    fewer than two name words in it too."""
    from statement_search.extraction.names import name_tokens, strip_titles
    from statement_search.extraction.people import _full_name, after_office, clean_name

    if len(text.split()) < 2:
        assert _full_name(text) == ""
        for written in (text, text.removesuffix("'s").removesuffix("’s")):
            raw = after_office(clean_name(written))
            assert len(name_tokens(strip_titles(raw))) < 2

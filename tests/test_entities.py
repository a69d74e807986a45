"""A speaker is a person or an organisation: places, months, groups and headlines are not."""

from __future__ import annotations

import pytest

from statement_search.extraction.entities import find_bodies, not_a_speaker, speaker_type
from statement_search.extraction.extract import extract_quotes
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
        ("Harbour Tunnel Despite", "headline"),
        ("Zoning Board But Mayor", "headline"),
        ("Better Than Expected", "headline"),
        ("Anchor Spoke About Fear", "headline"),
        ("Super Tuesday", "day"),
        ("Ohio Friday", "day"),
        ("D-Harbour City", "phrase"),
        ("R-Texas", "phrase"),
        ("Jean-Luc Marais", None),
        ("Kwame Osei", None),
        ("April Ryan", None),
        ("Kremlin", None),
        ("White House", None),
        ("NATO", None),
        # Four Title-Case words with no first name, title, particle or body word.
        ("Toll Plan Stalls Harbour Talks", "headline"),
        ("Mayor Before Harbour Vote", "headline"),
        ("Luther Stan Pate IV", None),
        ("Harbour Institute Homeland Security Group", None),
        ("Julie A. Diaz Martinez", None),
        ("Mohammed bin Salman Al Saud", None),
        ("Aides", "group"),
        ("Rogers", None),
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
        ("Mothers Against Tolls", "organisation"),
        ("Nurses for Safer Wards", "organisation"),
        ("Bea Fortune", "person"),
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


# The test's own lists (not the extractor's): what a speaker must never be.
_KNOWN_PLACES = {
    *"""alabama alaska arizona arkansas california colorado connecticut delaware florida georgia
    hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts
    michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon
    pennsylvania tennessee texas utah vermont virginia wisconsin wyoming america europe asia
    africa russia china ukraine belarus britain england france germany italy spain israel iran
    iraq syria mexico canada japan india pakistan afghanistan philippines cuba brazil turkey
    egypt libya greece poland moscow london paris berlin beijing baghdad tehran chicago boston
    miami houston dallas philadelphia detroit atlanta seattle denver cleveland""".split(),
    "new hampshire",
    "new jersey",
    "new york",
    "new mexico",
    "north carolina",
    "south carolina",
    "north dakota",
    "south dakota",
    "west virginia",
    "rhode island",
    "united states",
    "north korea",
    "south korea",
    "saudi arabia",
    "los angeles",
    "san francisco",
    "las vegas",
    "new york city",
    "washington, d.c.",
    "york",
    "jersey",
    "hampshire",
}
_MONTHS = set(
    "january february march april may june july august september october november december".split()
)
_PARTIES = {
    "democrat",
    "democrats",
    "democratic",
    "republican",
    "republicans",
    "gop",
    "democratic party",
    "republican party",
    "black democrats",
    "tea party",
    "labour",
    "tories",
}
_HEADLINE_FUNCTION_WORDS = {"And", "Of", "The", "For", "To", "In", "On", "At", "With", "By"}


def _bad_speaker(speaker: str, title: str, body: str) -> bool:
    folded = speaker.casefold().strip()
    if folded in _KNOWN_PLACES or folded in _MONTHS or folded in _PARTIES:
        return True
    words = speaker.split()
    if len(words) >= 3 and speaker in title and speaker not in body:
        return True  # a run of the headline taken for a name: the body never writes it
    return len(words) >= 3 and any(w in _HEADLINE_FUNCTION_WORDS for w in words[1:])


def test_polnear_speakers_are_never_places_months_parties_or_headlines() -> None:
    """Over the PolNeAR dev articles and every third training article (about 1.5 s;
    all 924 take 3-6 s, too long for the suite: set STATEMENT_SEARCH_FULL_EVAL=1)."""
    import os
    from pathlib import Path

    from statement_search.extraction.topics import Taxonomy
    from statement_search.readers import read_article

    root = Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear-dev"
    paths = sorted(root.glob("dev/texts/*.txt"))
    train = sorted(root.glob("train/texts/*.txt"))
    paths += train if os.environ.get("STATEMENT_SEARCH_FULL_EVAL") else train[::3]
    if not paths:
        pytest.skip("../shared/eval/polnear-dev is not here")

    class NoTopics(Taxonomy):
        def tag(self, text: str, context: str = "", nearby: str = "") -> tuple[str, ...]:
            return ()

    bad = []
    for path in paths:
        article = read_article(path)
        for quote in extract_quotes(article, NoTopics()):
            if quote.speaker and _bad_speaker(quote.speaker, article.title, article.body):
                bad.append((path.name, quote.speaker))
    assert bad == []


def test_find_bodies_by_head_word() -> None:
    text = (
        "The Harbour Board of Elections met. The Board said the State Department and the "
        "St. Paul City Council agreed; the board of elections ruled."
    )
    assert find_bodies(text) == {
        "board": ["Harbour Board of Elections"],
        "department": ["State Department"],
        "council": ["St. Paul City Council"],
    }
    assert speaker_type("Harbour Board of Elections") == "organisation"
    assert speaker_type("Ann Lee") == "person"


def test_a_headline_run_before_a_colon_is_no_speaker() -> None:
    body = (
        "Toll Plan Stalls Harbour Talks: Ending “the long wait at the bridge” is one of the "
        "goals of the Harbour Authority, and the board has the tools to do it."
    )
    article = parse_text("Title\n\n" + body, "t.txt")
    assert [q.speaker for q in extract_quotes(article)] == [None]


def test_an_office_in_a_titles_run_names_the_holder_not_the_run() -> None:
    # "Remarks by President Lee Before Harbour Departure": THE PRESIDENT is Lee.
    text = (
        "Remarks by President Lee Before Harbour Departure\n\n"
        "THE PRESIDENT:  We are ready to go and the plan is set.\n\n"
        "Q    Will you sign it today, sir?\n\n"
        "THE PRESIDENT:  I will sign it when it reaches my desk.\n"
    )
    article = parse_text(text, "t.txt")
    speakers = {q.speaker for q in extract_quotes(article)}
    assert "Lee" in speakers and not any(s and "Before" in s for s in speakers)


def test_body_names_match_a_plain_scan() -> None:
    """`body_names` jumps to head words; it finds exactly what scanning every spot finds."""
    from statement_search.extraction.entities import _BODY_NAME, body_names

    long_word = "Q" + "x" * 300
    texts = [
        "The Harbour Board of Elections met. The Board said the State Department agreed.",
        "SubCommittee Councilman Boards: (Board of Trade) and A.B. Council on the Arts.",
        f"{long_word} Board said; {long_word} West Coast Port Commission for Safety ruled.",
        "New York City Planning Commission\n\nState  Ministry of Health Board",
        "Board",
        "no heads at all here",
        "One Two Three Four Five Six Court of Appeals, Seven Eight Court",
    ]
    for text in texts:
        assert [m.span() for m in body_names(text)] == [
            m.span() for m in _BODY_NAME.finditer(text)
        ], text

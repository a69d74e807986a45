"""HTML reader: main text without page chrome, metadata, transcript labels."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from statement_search.errors import InputError
from statement_search.readers import read_article
from statement_search.readers.boilerplate import (
    is_boilerplate_attr,
    is_boilerplate_line,
    looks_like_speaker,
    strip_site_suffix,
)
from statement_search.readers.sites import profile_for

FIX = Path(__file__).parent / "fixtures" / "readers"


@pytest.fixture(scope="module")
def news():
    return read_article(FIX / "news_page.html")


def test_news_page_keeps_the_story_only(news) -> None:
    assert news.paragraphs[0].startswith("The foreign minister on Thursday")
    assert "“We have no interest in another winter of shortages,” she said" in news.text
    assert len(news.paragraphs) == 3
    for noise in ("cookies", "Share", "Jane Writer", "Nobody wants", "I will not resign",
                  "script quote", "All rights reserved", "Politics"):  # fmt: skip
        assert noise not in news.text


def test_news_page_metadata(news) -> None:
    assert news.title == "Minister backs grain deal"
    assert news.date == dt.date(2024, 4, 11)
    assert news.url == "https://www.daily-example.org/world/minister-backs-grain-deal"
    assert news.source == "daily-example.org"
    assert news.language == "en"
    assert news.body_offset == 0
    for para, off in zip(news.paragraphs, news.paragraph_offsets, strict=True):
        assert news.text[off:][: len(para)] == para


def test_transcript_labels_stay_visible_as_name_colon() -> None:
    article = read_article(FIX / "transcript_page.html")
    assert "Vladimir Putin: Good afternoon, colleagues. Let us begin." in article.paragraphs
    assert "Question: Thank you. What about the talks?" in article.paragraphs
    # a label alone in its paragraph joins the paragraph it introduces
    assert "Dmitry Peskov: They will continue next week, as agreed." in article.paragraphs
    assert "MINSK, 11 April (News) – A bold dateline is not a speaker." in article.paragraphs
    assert not any("Publication date" in p for p in article.paragraphs)
    assert article.source == "en.kremlin.ru"


def test_page_without_text_is_refused() -> None:
    with pytest.raises(InputError, match="no_text.html: no article text found"):
        read_article(FIX / "no_text.html")


def test_entities_cannot_smuggle_control_characters() -> None:
    article = read_article(FIX / "entities.html")
    assert article.text == "Entities & escapes: red and a line separator."


def test_br_runs_split_paragraphs_and_inline_markup_stays(tmp_path: Path) -> None:
    page = tmp_path / "old.htm"
    page.write_text(
        "<html><body><td>First paragraph with <a href='#'>a link</a> and <em>emphasis</em>, "
        "long enough to count as prose.<br><br>Second one<br>with a single break, "
        "also long enough to be prose.</td></body></html>",
        encoding="latin-1",
    )
    article = read_article(page)
    assert article.paragraphs == [
        "First paragraph with a link and emphasis, long enough to count as prose.",
        "Second one\nwith a single break, also long enough to be prose.",
    ]


def test_legacy_charset_declared_in_the_page(tmp_path: Path) -> None:
    page = tmp_path / "ru.html"
    html = '<html><head><meta charset="windows-1251"></head><body><p>Президент заявил: «Мир».</p>'
    page.write_bytes(html.encode("cp1251"))
    assert read_article(page).text == "Президент заявил: «Мир»."


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        ("share-bar", True),
        ("related-news", True),
        ("cookie-consent", True),
        ("shareholders", False),
        ("story-body", False),
        ("post-content", False),
        ("entry-content sharedaddy", False),
    ],
)
def test_boilerplate_class_words(attrs: str, expected: bool) -> None:
    assert is_boilerplate_attr(attrs) is expected


def test_title_site_suffix_and_speaker_labels() -> None:
    assert strip_site_suffix("Talks in Minsk | Daily Example", "Daily Example") == "Talks in Minsk"
    assert strip_site_suffix("A long headline about the talks - DE", None) == (
        "A long headline about the talks"
    )
    assert looks_like_speaker("THE PRESIDENT", "THE PRESIDENT Thank you all.")
    assert not looks_like_speaker("In 2024", "In 2024 the talks began.")
    assert not looks_like_speaker("Minsk", "Minsk, the capital, hosted.")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Wen Yu contributed reporting from Lagos. Editing by Ida Marsh.", True),
        ("Reporting by Ida Marsh; writing by Wen Yu", True),
        ("Additional reporting by Ida Marsh in Quito.", True),
        ("Police said reporting by the press was unfair.", False),
        ("“We contributed reporting,” she said.", False),
    ],
)
def test_credit_lines_are_boilerplate(line: str, expected: bool) -> None:
    # A story's closing credits name reporters, not speakers.
    assert is_boilerplate_line(line) is expected


def test_site_profiles_match_subdomains() -> None:
    assert profile_for("en.kremlin.ru") is not None
    assert profile_for("notkremlin.ru") is None
    assert profile_for(None) is None


def _bench_render():
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "bench" / "quotes_on_pages.py"
    spec = importlib.util.spec_from_file_location("quotes_on_pages", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.render, sorted(module.TEMPLATES.glob("*.html"))


def test_bench_templates_give_back_the_article_and_none_of_the_noise(tmp_path: Path) -> None:
    render, templates = _bench_render()
    article = (
        "Minister backs the deal\n\n"
        "The minister said on Monday that “the corridor must stay open for everyone”.\n\n"
        "“We have no interest in another winter of shortages,” she told reporters,\n"
        "adding that the talks would resume next week in Geneva.\n"
    )
    assert len(templates) >= 4
    for template in templates:
        page = tmp_path / f"{template.stem}.html"
        page.write_text(render(template.read_text(encoding="utf-8"), article, "deal"))
        got = read_article(page)
        assert got.title == "Minister backs the deal", template.name
        assert got.paragraphs == [
            "The minister said on Monday that “the corridor must stay open for everyone”.",
            "“We have no interest in another winter of shortages,” she told reporters,\n"
            "adding that the talks would resume next week in Geneva.",
        ], template.name


def test_pre_keeps_its_lines_and_blank_lines_split_paragraphs(tmp_path: Path) -> None:
    page = tmp_path / "stenogram.html"
    page.write_text(
        "<html><head><title>Stenogram</title></head><body><pre>SITTING TWO\n"
        "     Hall of the council.   3 April 2025.\n\n"
        "     CHAIR. Good morning, colleagues.\n\n"
        "     KELL A. I propose an item\n     on the bridges.</pre></body></html>",
        encoding="utf-8",
    )
    article = read_article(page)
    assert article.paragraphs == [
        "SITTING TWO\nHall of the council. 3 April 2025.",
        "CHAIR. Good morning, colleagues.",
        "KELL A. I propose an item\non the bridges.",
    ]


def test_subtree_ends_give_each_tag_its_last_descendant() -> None:
    """Chrome stripping skips what an ancestor took with it by these positions instead
    of asking bs4's `decomposed` (a search of the tag's subtree: quadratic when nested)."""
    from bs4 import BeautifulSoup, Tag

    from statement_search.readers.html_tree import subtree_ends

    soup = BeautifulSoup("<div><p><b>x</b><i>y</i></p><p>z</p></div><span>w</span>", "html.parser")
    tags = [t for t in soup.find_all(True) if isinstance(t, Tag)]
    assert [t.name for t in tags] == ["div", "p", "b", "i", "p", "span"]
    assert subtree_ends(tags) == [4, 3, 2, 3, 4, 5]


def test_a_hidden_block_takes_its_nested_boilerplate_with_it() -> None:
    from statement_search.readers.html import parse_html

    body = "He said “these are the real words of the article, and there are many”. " * 5
    nested = "<div hidden>" + "<div class='sidebar'>menu " * 50 + "</div>" * 50 + "</div>"
    article = parse_html(f"<html><body>{nested}<p>{body}</p></body></html>", "h.html")
    assert "real words" in article.text and "menu" not in article.text


def _unclosed_page(paragraphs: int) -> str:
    body = "".join(f"<p>Sentence {i} of the article, with its words." for i in range(paragraphs))
    return f"<html><body><article>{body}</article></body></html>"


def test_unclosed_paragraphs_are_read_flat_in_linear_time() -> None:
    """html.parser nests each unclosed <p> in the one before; such a page is parsed
    again with each paragraph closed (it cost the square of its paragraphs)."""
    import time

    from statement_search.readers.html import parse_html

    def cost(paragraphs: int) -> float:
        started = time.thread_time()
        article = parse_html(_unclosed_page(paragraphs), "unclosed.html")
        elapsed = time.thread_time() - started
        assert len(article.paragraphs) == paragraphs
        assert article.paragraphs[5] == "Sentence 5 of the article, with its words."
        return elapsed / paragraphs

    # Best of three: CPU time (this thread's) of a shared machine only ever comes out
    # too high.
    assert min(cost(800) for _ in range(3)) < 3 * min(cost(100) for _ in range(3))


def test_a_few_unclosed_paragraphs_are_read_as_before() -> None:
    from statement_search.readers.html_tree import MAX_P_NESTING, p_nesting, parse_soup

    soup = parse_soup(_unclosed_page(MAX_P_NESTING))
    assert p_nesting(soup) == MAX_P_NESTING  # left as html.parser nests them
    assert p_nesting(parse_soup(_unclosed_page(MAX_P_NESTING + 1))) == 1


def test_a_deeply_nested_page_costs_its_size_not_its_depth_squared() -> None:
    """Blocks are found inside the article by one walk of it and each string's block
    by remembered ancestors, not a walk to the top each (4x the cost per tag at 8x
    the depth before)."""
    import time

    from statement_search.readers.html import parse_html

    def cost(depth: int) -> float:
        text = "He said “these are the real words of the article”. " * 20
        page = "<html><body>" + "<div class='x'>word " * depth + f"<p>{text}</p>"
        started = time.thread_time()
        article = parse_html(page + "</div>" * depth + "</body></html>", "deep.html")
        assert "real words" in article.text
        return (time.thread_time() - started) / depth

    # Best of three: CPU time (this thread's) of a shared machine only ever comes out
    # too high.
    assert min(cost(1600) for _ in range(3)) < 3 * min(cost(200) for _ in range(3))


def test_string_contexts_match_a_walk_to_the_top() -> None:
    from bs4 import BeautifulSoup, NavigableString

    from statement_search.readers.html import BLOCK_TAGS
    from statement_search.readers.html_tree import StringContexts

    soup = BeautifulSoup(
        "<div><a href='#'><p><b>bold <i>it</i></b> plain <a>link</a></p></a>"
        "<strong>lead</strong> tail</div>",
        "html.parser",
    )
    contexts = StringContexts(soup.div, BLOCK_TAGS)  # type: ignore[arg-type]
    found = {
        str(s): (c[0].name, c[1], c[2])
        for s in soup.div.descendants  # type: ignore[union-attr]
        if isinstance(s, NavigableString)
        for c in [contexts.of(s)]
    }
    assert found == {
        "bold ": ("p", True, True),
        "it": ("p", True, True),
        " plain ": ("p", True, False),
        "link": ("p", True, False),
        "lead": ("div", False, True),
        " tail": ("div", False, False),
    }

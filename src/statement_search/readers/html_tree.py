"""Readers, HTML's tree: the page parsed into a tree fit to walk, and facts about it
found in one walk each, so no step of `html.py` costs the square of a page's size.
"""

from __future__ import annotations

import re
import weakref

from bs4 import BeautifulSoup, Tag

# A paragraph start closes an open paragraph (HTML5), but html.parser nests each
# unclosed <p> inside the one before: a page of them became one chain as deep as
# the page is long, and every walk up or down it quadratic.  Such a page is parsed
# again with an end tag before each start tag (an unmatched one is ignored);
# pages with a few unclosed paragraphs are read as they always were.
_P_START = re.compile(r"<p(?=[\s>/])", re.I)
MAX_P_NESTING = 20


def p_nesting(soup: BeautifulSoup) -> int:
    """How many <p> deep the deepest chain of paragraphs nested in paragraphs is."""
    depth: dict[int, int] = {}
    deepest = 0
    for tag in soup.find_all("p"):
        level = depth.get(id(tag.parent), 0) + 1
        depth[id(tag)] = level
        deepest = max(deepest, level)
    return deepest


def parse_soup(text: str) -> BeautifulSoup:
    """The page's tree (html.parser), its unclosed paragraphs closed when they nest deep."""
    soup = BeautifulSoup(text, "html.parser")
    if p_nesting(soup) > MAX_P_NESTING:
        soup = BeautifulSoup(_P_START.sub("</p><p", text), "html.parser")
    return soup


_last_metas: tuple[weakref.ref[BeautifulSoup], list[Tag]] | None = None


def page_metas(soup: BeautifulSoup) -> list[Tag]:
    """The page's <meta> tags, found in one walk per page: a `find` per name and
    attribute walked a page of many tags some thirty times (#20)."""
    global _last_metas
    if _last_metas is not None and _last_metas[0]() is soup:
        return _last_metas[1]
    metas = [tag for tag in soup.find_all("meta") if isinstance(tag, Tag)]
    _last_metas = (weakref.ref(soup), metas)
    return metas


def first_meta(metas: list[Tag], attr: str, name: str) -> Tag | None:
    return next((tag for tag in metas if tag.get(attr) == name), None)


def subtree_ends(tags: list[Tag]) -> list[int]:
    """For tags in document order, the index of each one's last descendant: a tag's
    descendants follow it.  (Bs4's `decomposed` searches a live tag's whole subtree
    for an attribute it lacks: asked of every tag, quadratic in a deep page.)"""
    index = {id(tag): i for i, tag in enumerate(tags)}
    ends = list(range(len(tags)))
    for i in range(len(tags) - 1, -1, -1):
        parent = index.get(id(tags[i].parent))
        if parent is not None and ends[i] > ends[parent]:
            ends[parent] = ends[i]
    return ends

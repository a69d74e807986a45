"""Readers, HTML's tree: the page parsed into a tree fit to walk, and facts about it
found in one walk each, so no step of `html.py` costs the square of a page's size.
"""

from __future__ import annotations

import re
import weakref
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag

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


def within(parts: list[Tag]) -> set[int]:
    """Ids of `parts` and every tag inside them (one walk, instead of a walk up to
    the root for each block asking whether it is inside)."""
    inside = {id(part) for part in parts}
    for part in parts:
        inside.update(id(tag) for tag in part.descendants if isinstance(tag, Tag))
    return inside


class StringContexts:
    """Each string's nearest block ancestor below `stop` (else `stop`), and whether a
    link or bold tag holds it; a link above the block counts too (a link wrapping a
    whole teaser).  Remembered per tag, so a page nested thousands deep costs its
    size, not a walk to the top per string."""

    def __init__(self, stop: Tag, block_tags: set[str] | frozenset[str]) -> None:
        self.stop = stop
        self.block_tags = block_tags
        self._context: dict[int, tuple[Tag | None, bool, bool]] = {}
        self._linked: dict[int, bool] = {}

    def of(self, string: NavigableString) -> tuple[Tag, bool, bool]:
        block, link, bold = self._from(string.parent)
        return (block or self.stop), link, bold

    def _up(self, tag: Tag) -> Tag | None:
        return None if tag is self.stop else tag.parent

    def _path(self, tag: Tag | None, memo: dict[int, Any]) -> list[Tag]:
        """`tag` and its ancestors up to the first one remembered (or the top)."""
        path: list[Tag] = []
        while tag is not None and id(tag) not in memo:
            path.append(tag)
            tag = self._up(tag)
        return path

    def _link_above(self, tag: Tag | None) -> bool:
        """Whether `tag` or an ancestor up to `stop` is a link."""
        memo = self._linked
        for node in reversed(self._path(tag, memo)):
            above = self._up(node)
            memo[id(node)] = node.name == "a" or (above is not None and memo[id(above)])
        return tag is not None and memo[id(tag)]

    def _from(self, tag: Tag | None) -> tuple[Tag | None, bool, bool]:
        memo = self._context
        for node in reversed(self._path(tag, memo)):
            above = self._up(node)
            block, link, bold = memo[id(above)] if above is not None else (None, False, False)
            if node.name == "a":
                memo[id(node)] = (block, True, bold)
            elif node.name in ("b", "strong"):
                memo[id(node)] = (block, link, True)
            elif node.name in self.block_tags:
                memo[id(node)] = (node, self._link_above(above), False)
            else:
                memo[id(node)] = (block, link, bold)
        return memo[id(tag)] if tag is not None else (None, False, False)

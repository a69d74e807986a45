"""HTML reader: a saved web page → Article (main text and metadata).

The only module that imports BeautifulSoup.  Pages carry navigation, cookie
banners, share bars and "related news" lists whose own quotations must not be
indexed as this article's, so the body is found by scoring blocks
(readability-style: text length and commas, minus link density and
boilerplate class names), after a site profile had its chance.  Metadata
comes from `<meta>`, JSON-LD, `<time>`, `<link rel=canonical>`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from urllib.parse import urlparse

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from ..errors import InputError
from ..models import Article, article_id_for
from . import boilerplate as bp
from .encoding import normalise_text
from .html_tree import StringContexts, first_meta, page_metas, parse_soup, subtree_ends, within
from .sites import profile_for
from .sniff import find_date, guess_language, parse_date
from .text import join_paragraphs, line_paragraphs

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
# Never article text: code, media, controls, and page chrome by its tag.
JUNK_TAGS = [
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "button", "input", "select", "textarea", "option", "label", "nav", "aside", "footer",
    "menu", "dialog", "head", "link", "meta", "video", "audio", "picture", "map", "figcaption",
]  # fmt: skip
_PHOTO_ALT = re.compile(r"^Photo of \S")  # TheyWorkForYou's speaker headers
PARAGRAPH_TAGS = {"p", "pre", "td", "blockquote"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass
class Block:
    """One paragraph of visible text with how much of it is link text."""

    text: str
    link_chars: int
    tag: str
    label: str = ""  # bold words opening the block: a transcript speaker label?
    element: Tag | None = None  # the block element the text sits in


_BR = "\ue000"  # stands for a <br> until the block's text is assembled


def _clean_space(text: str) -> str:
    """Collapse whitespace as a browser does (ASCII only: no-break spaces are
    kept, transcripts align "Q" labels with them); <br> marks become newlines.
    Entities may have produced control characters: those are dropped."""
    text = normalise_text(text)
    text = re.sub(r"[ \t\n\f]+", " ", text)
    text = re.sub(f" ?{_BR} ?", "\n", text)
    return text.strip()


# --- metadata ---------------------------------------------------------------


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    metas = page_metas(soup)
    for name in names:
        tag = (
            first_meta(metas, "property", name)
            or first_meta(metas, "name", name)
            or first_meta(metas, "itemprop", name)
        )
        if isinstance(tag, Tag):
            content = tag.get("content")
            if isinstance(content, str) and content.strip():
                return content.strip()
    return None


def _json_ld(soup: BeautifulSoup) -> list[dict[str, object]]:
    """Every JSON-LD object on the page (graphs and lists flattened)."""
    found: list[dict[str, object]] = []
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except (ValueError, RecursionError):  # malformed, or a number of thousands of digits
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])
    return found


def _ld_value(objects: list[dict[str, object]], key: str) -> str | None:
    for obj in objects:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _page_url(soup: BeautifulSoup) -> str | None:
    link = soup.find("link", rel="canonical")
    if isinstance(link, Tag) and isinstance(link.get("href"), str):
        href = str(link["href"]).strip()
        if href.startswith("http"):
            return href
    url = _meta(soup, "og:url", "twitter:url")
    return url if url and url.startswith("http") else None


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.") or None


def _title(soup: BeautifulSoup, ld: list[dict[str, object]]) -> str:
    og = _meta(soup, "og:title", "twitter:title")
    h1 = soup.find("h1")
    h1_text = _clean_space(h1.get_text(" ")) if isinstance(h1, Tag) else ""
    page = _clean_space(soup.title.get_text()) if soup.title else ""
    site = _meta(soup, "og:site_name")
    for candidate in (og, _ld_value(ld, "headline"), h1_text, page):
        if candidate:
            return bp.strip_site_suffix(_clean_space(candidate), site)
    return ""


def _date(soup: BeautifulSoup, ld: list[dict[str, object]]) -> dt.date | None:
    value = _meta(
        soup, "article:published_time", "og:published_time", "datePublished", "pubdate",
        "publishdate", "date", "dc.date", "DC.date.issued", "sailthru.date", "parsely-pub-date",
    ) or _ld_value(ld, "datePublished") or _ld_value(ld, "dateCreated")  # fmt: skip
    if value and (date := parse_date(value)):
        return date
    time = soup.find("time")
    if isinstance(time, Tag):
        stamp = time.get("datetime")
        if isinstance(stamp, str) and (date := parse_date(stamp)):
            return date
        if date := find_date(time.get_text(" ")):
            return date
    return None


def _language(soup: BeautifulSoup) -> str | None:
    html = soup.find("html")
    lang = html.get("lang") if isinstance(html, Tag) else None
    if not isinstance(lang, str) or not lang.strip():
        lang = _meta(soup, "og:locale", "content-language", "language")
    if isinstance(lang, str) and re.match(r"^[A-Za-z]{2,3}\b", lang.strip()):
        return re.split(r"[-_]", lang.strip())[0].lower()
    return None


# --- cleaning -----------------------------------------------------------------


def _attr_text(tag: Tag) -> str:
    classes: object = tag.get("class") or []
    names = " ".join(classes) if isinstance(classes, list) else str(classes)
    return f"{names} {tag.get('id') or ''} {tag.get('role') or ''}"


def _is_hidden(tag: Tag) -> bool:
    style = str(tag.get("style") or "").replace(" ", "").lower()
    return (
        tag.has_attr("hidden")
        or str(tag.get("aria-hidden") or "").lower() == "true"
        or "display:none" in style
        or "visibility:hidden" in style
    )


def _text_len(tag: Tag) -> int:
    return len(re.sub(r"\s+", "", tag.get_text()))


def _strip_page_chrome(root: Tag) -> None:
    """Remove what is never the article: code, media, hidden and boilerplate blocks."""
    for comment in root.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in root.find_all(JUNK_TAGS):
        tag.decompose()
    for img in root.find_all("img", alt=_PHOTO_ALT):  # a speaker's photo in a linked header
        link = img.find_parent("a")
        img.replace_with(f"{img['alt']} ")  # reads as "Photo of X X Party, Seat"
        if link is not None:
            link.unwrap()
    total = max(1, _text_len(root))
    tags = [tag for tag in root.find_all(True) if isinstance(tag, Tag)]
    ends = subtree_ends(tags)
    i = 0
    while i < len(tags):
        tag = tags[i]
        drop = tag.name not in ("html", "body", "main", "article") and (
            _is_hidden(tag)
            or tag.name == "header"
            and _text_len(tag) < 0.3 * total
            or bp.is_boilerplate_attr(_attr_text(tag))
            and _text_len(tag) < 0.5 * total
        )
        if drop:
            tag.decompose()
            i = ends[i]  # its descendants went with it
        i += 1


# --- scoring ------------------------------------------------------------------


def _link_density(tag: Tag) -> float:
    text = _text_len(tag)
    if not text:
        return 1.0
    links = sum(_text_len(a) for a in tag.find_all("a"))
    return min(1.0, links / text)


def _has_own_text(tag: Tag) -> bool:
    return any(
        isinstance(c, NavigableString) and len(c.strip()) > 25 for c in tag.children
    ) and not any(isinstance(c, Tag) and c.name in PARAGRAPH_TAGS for c in tag.children)


def _best_candidate(root: Tag) -> Tag:
    """The element holding the most paragraph-like text (readability scoring)."""
    scores: dict[int, float] = {}
    tags: dict[int, Tag] = {}
    for tag in root.find_all(True):
        if tag.name not in PARAGRAPH_TAGS and not (tag.name == "div" and _has_own_text(tag)):
            continue
        text = _clean_space(tag.get_text(" "))
        if len(text) < 25:
            continue
        score = 1 + bp.comma_count(text) + min(len(text) // 100, 3)
        # Text held directly (paragraphs split by <br>): the element itself is
        # the container, as readability turns such a div into paragraphs.
        parent: Tag | None = tag if tag.name != "p" and _has_own_text(tag) else tag.parent
        for level in range(3):
            if parent is None or not isinstance(parent, Tag):
                break
            key = id(parent)
            if key not in scores:
                tags[key] = parent
                scores[key] = bp.base_score(parent.name, _attr_text(parent))
            scores[key] += score / (1 if level == 0 else level * 2)
            parent = parent.parent if parent is not root else None
    if not scores:
        return root
    best = max(scores, key=lambda k: scores[k] * (1 - _link_density(tags[k])))
    return tags[best]


def _with_siblings(top: Tag, root: Tag) -> list[Tag]:
    """The top element plus siblings that look like more of the same article."""
    parent = top.parent
    if parent is None or top is root:
        return [top]
    keep: list[Tag] = []
    top_classes = top.get("class")
    for sibling in parent.children:
        if not isinstance(sibling, Tag):
            continue
        if sibling is top:
            keep.append(sibling)
            continue
        text = _clean_space(sibling.get_text(" "))
        density = _link_density(sibling)
        same_kind = top_classes and sibling.get("class") == top_classes and density < 0.3
        if sibling.name == "p" and (
            (len(text) > 80 and density < 0.25)
            or (0 < len(text) <= 80 and density == 0 and text.endswith((".", "!", "?", "»", "”")))
        ):
            keep.append(sibling)
        elif same_kind and len(text) > 80:
            keep.append(sibling)
    return keep


# --- text blocks --------------------------------------------------------------


def _blocks(node: Tag) -> list[Block]:
    """Visible text of `node` as paragraphs: block elements and `<br><br>` split,
    inline markup (links, emphasis) stays inside the paragraph's text."""
    blocks: list[Block] = []
    parts: list[str] = []
    link_chars = 0
    label_parts: list[str] = []
    label_open = True  # still inside the bold run that opens the block?
    current_key: int | None = None
    current_tag = ""
    current_el: Tag | None = None
    pending_br = 0
    contexts = StringContexts(node, BLOCK_TAGS)

    def flush() -> None:
        nonlocal parts, link_chars, label_parts, label_open, pending_br
        if current_tag == "pre":  # keeps its lines; a blank line ends a paragraph
            chunks = line_paragraphs(normalise_text("".join(parts)).replace(_BR, "\n"))
            blocks.extend(Block(chunk, 0, current_tag, "", current_el) for chunk in chunks)
        elif text := _clean_space("".join(parts)):
            label = _clean_space("".join(label_parts)) if not label_open or label_parts else ""
            blocks.append(Block(text, link_chars, current_tag, label, current_el))
        parts, link_chars, label_parts, label_open, pending_br = [], 0, [], True, 0

    for el in node.descendants:
        if isinstance(el, Tag):
            if el.name == "br":
                pending_br += 1
                if pending_br >= 2:
                    flush()
                else:
                    parts.append(_BR)
            elif el.name in BLOCK_TAGS:
                flush()
                current_key = None
            continue
        if not isinstance(el, NavigableString) or type(el) is not NavigableString:
            continue  # comments, CDATA, doctype
        text = str(el)
        if not text.strip():
            if text:
                parts.append(" ")
            continue
        block, in_link, in_bold = contexts.of(el)
        key = id(block)
        if current_key is not None and key != current_key:
            flush()
        if current_key != key:
            current_tag = block.name
            current_el = block
        current_key = key
        pending_br = 0
        parts.append(text)
        if in_link:
            link_chars += len(text.strip())
        if label_open:
            if in_bold:
                label_parts.append(text)
            else:
                label_open = False
    flush()
    return blocks


def _keep_blocks(blocks: list[Block], title: str) -> list[str]:
    """Drop link lists, share lines and other boilerplate; join label-only blocks."""
    paragraphs: list[str] = []
    pending_label = ""
    for i, block in enumerate(blocks):
        text = block.text
        letters = len(re.sub(r"\W", "", text))
        if block.link_chars and block.link_chars >= 0.5 * max(1, len(text.replace(" ", ""))):
            continue
        if not paragraphs and not pending_label:
            # Above the first paragraph: the title (not repeated in the body)
            # and a date line under it are page furniture.
            first, _, rest = text.partition("\n")
            if bp.same_text(first, title):
                text = rest.strip()
            if not text or _is_date_line(text):
                continue
        if bp.is_boilerplate_line(text) or letters == 0:
            continue
        if block.tag in HEADING_TAGS and i == len(blocks) - 1:
            continue  # a trailing heading introduces a list we dropped
        if bp.is_label_only(text):
            pending_label = text
            continue
        if pending_label:
            text = f"{pending_label} {text}"
            pending_label = ""
        elif block.label and bp.looks_like_speaker(block.label, text):
            rest = text[len(block.label) :].lstrip()
            text = f"{block.label}: {rest}" if rest else text
        paragraphs.append(text)
    return paragraphs


def _is_date_line(text: str) -> bool:
    """A short line that is only a date (with perhaps a time or weekday)."""
    return len(text) <= 40 and find_date(text) is not None and len(text.split()) <= 6


def _ld_body(ld: list[dict[str, object]]) -> list[str]:
    body = _ld_value(ld, "articleBody")
    if not body:
        return []
    return [p.strip() for p in re.split(r"\n\s*\n|\n", body) if p.strip()]


def main_paragraphs(soup: BeautifulSoup, domain: str | None, title: str) -> list[str]:
    """The article's paragraphs: a site profile's body, else the best-scored block."""
    root = soup.body or soup
    profile = profile_for(domain)
    if profile:
        for selector in profile.body:
            found = root.select_one(selector)
            if found is not None:
                for selector_drop in profile.drop:
                    for tag in found.select(selector_drop):
                        tag.decompose()
                _strip_page_chrome(found)
                profiled = _keep_blocks(_blocks(found), title)
                if profiled:
                    return profiled
                break
    _strip_page_chrome(root)
    top = _best_candidate(root)
    parts = _with_siblings(top, root)
    blocks = _blocks(root)
    inside = within(parts)
    # A debate page may box each speech: a speaker's own line ("Photo of X X Party, Seat")
    # and the words under it are kept wherever they sit.
    head = [not b.link_chars and bp.is_speaker_header(b.text) for b in blocks] + [False]
    kept = [b for i, b in enumerate(blocks) if id(b.element) in inside or _stray_prose(b)
            or head[i] or head[i - 1] and not b.link_chars]  # fmt: skip
    return _keep_blocks(kept, title)


# Outside the best-scored container, a block is kept when it reads like prose:
# long enough to be a paragraph and hardly linked (a teaser is mostly link).
_STRAY_MIN_CHARS = 80
_STRAY_MAX_LINK_DENSITY = 0.2


def _stray_prose(block: Block) -> bool:
    """Article text the container scoring missed (bodies split over several divs)."""
    return len(block.text) >= _STRAY_MIN_CHARS and block.link_chars < _STRAY_MAX_LINK_DENSITY * len(
        block.text
    )


def parse_html(text: str, path: str) -> Article:
    """Build an Article from a decoded HTML page."""
    try:
        soup = parse_soup(text)
    except (RecursionError, AssertionError) as exc:  # pathological markup
        raise InputError(f"{path}: cannot parse HTML ({type(exc).__name__})") from None
    ld = _json_ld(soup)
    url = _page_url(soup)
    domain = _domain(url)
    title = _title(soup, ld)
    date = _date(soup, ld)
    language = _language(soup)
    try:
        paragraphs = main_paragraphs(soup, domain, title)
    except RecursionError:
        raise InputError(f"{path}: HTML nested too deeply to read") from None
    if sum(len(p) for p in paragraphs) < 200 and (ld_paragraphs := _ld_body(ld)):
        paragraphs = ld_paragraphs
    if not paragraphs and (summary := _meta(soup, "og:description", "description")):
        paragraphs = [_clean_space(summary)]  # script-built pages: the summary is all there is
    if not paragraphs:
        raise InputError(f"{path}: no article text found in the page")
    body, offsets = join_paragraphs(paragraphs)
    if date is None:
        date = find_date(body[:300])
    return Article(
        id=article_id_for(path, body),
        path=path,
        title=title,
        text=body,
        paragraphs=paragraphs,
        paragraph_offsets=offsets,
        date=date,
        url=url,
        source=domain,
        language=language or guess_language(body),
    )

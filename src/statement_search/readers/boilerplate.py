"""Readers: what page boilerplate looks like, as plain string rules (no bs4).

Used by the HTML reader to score blocks and to drop chrome: class/id names of
navigation, share bars, cookie banners and teaser lists; one-line "Share",
"Read more" and copyright lines; and to tell a speaker label from a bold lead.
"""

from __future__ import annotations

import re
import unicodedata

from ..extraction.transcript_labels import label_of

# Class/id words of page chrome.  Matched as whole dash/underscore separated
# words, so "share-bar" hits but "shareholders" does not.
_CHROME = (
    "nav navbar navigation menu breadcrumb breadcrumbs header masthead footer sidebar aside "
    "widget widgets share sharing social sns addthis sharethis cookie cookies consent gdpr "
    "banner advert advertisement ads ad adv advertising sponsor sponsored promo related "
    "recommended recommendations recommend popular mostread most-read trending newsletter "
    "subscribe subscription signup comments comment disqus tags tag taglist byline author "
    "authors pagination pager toolbar modal popup overlay skip hidden sr-only visually-hidden "
    "teaser teasers more-news read-more readmore see-also also-read login search outbrain "
    "taboola rss print copyright disclaimer cta follow "
    # A headline's furniture: the teaser under it, the label over it, photo credits.
    "dek standfirst kicker eyebrow caption credit credits contributor contributors"
).split()
_CHROME_RE = re.compile(
    r"(?:^|[\s_-])(?:"
    + "|".join(re.escape(w) for w in sorted(_CHROME, key=len, reverse=True))
    + r")(?:$|[\s_-])",
    re.I,
)
_CONTENT_RE = re.compile(
    r"(?:^|[\s_-])(?:article|articlebody|body|content|entry|main|post|story|text|blog|"
    r"news-text|news_text|page-content)(?:$|[\s_-])",
    re.I,
)
# A body wrapper can carry chrome words ("article-share" no, "post-content" yes):
# a positive word keeps it unless it is clearly a widget.
_HARD_CHROME_RE = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|social|cookie|cookies|consent|gdpr|newsletter|related|"
    r"recommended|popular|most-read|mostread|trending|comments|breadcrumbs?|nav|navbar|menu|"
    r"footer|sidebar|advert|advertisement|outbrain|taboola|byline|tags)(?:$|[\s_-])",
    re.I,
)


def is_boilerplate_attr(attrs: str) -> bool:
    """True for class/id/role text of page chrome."""
    if not attrs.strip():
        return False
    if _HARD_CHROME_RE.search(attrs):
        return not _CONTENT_RE.search(attrs) or bool(
            re.search(r"(share|social|related|comments|cookie)", attrs, re.I)
        )
    return bool(_CHROME_RE.search(attrs)) and not _CONTENT_RE.search(attrs)


def base_score(tag: str, attrs: str) -> float:
    """Readability's starting score for a container: its tag and its class words."""
    score = {"div": 5.0, "article": 10.0, "main": 5.0, "section": 3.0, "pre": 3.0, "td": 3.0,
             "blockquote": 3.0, "form": -3.0, "ol": -3.0, "ul": -3.0, "li": -3.0,
             "dl": -3.0, "dd": -3.0, "dt": -3.0, "th": -5.0}.get(tag, 0.0)  # fmt: skip
    if tag.startswith("h") and tag[1:].isdigit():
        score -= 5
    if _CONTENT_RE.search(attrs):
        score += 25
    if _CHROME_RE.search(attrs):
        score -= 25
    return score


def comma_count(text: str) -> int:
    return sum(text.count(c) for c in ",，、،")


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\W+", " ", text).strip()


def same_text(a: str, b: str) -> bool:
    return bool(a and b) and _norm(a) == _norm(b)


def strip_site_suffix(title: str, site: str | None) -> str:
    """ "Talks with X | President of Belarus" → "Talks with X"."""
    parts = re.split(r"\s+[|–—·»:-]+\s+|\s+::\s+", title)
    if len(parts) < 2:
        return title
    if site:
        kept = [p for p in parts if not same_text(p, site)]
        if kept and len(kept) < len(parts):
            return " – ".join(kept) if len(kept) > 1 else kept[0]
    # The article's own words are the longest part; site names are short.
    longest = max(parts, key=len)
    return longest if len(longest) >= 0.5 * len(title) else title


_BOILER_LINE = re.compile(
    r"^(share( this( article| story| page)?)?|tweet|print|e-?mail|email this|facebook|twitter|"
    r"whatsapp|telegram|vk|linkedin|copy link|read more|read also|see also|"
    r"related( news| articles)?|"
    r"most read|advertisement|реклама|читайте также|поделиться|подписывайтесь.*|"
    r"(©|copyright|\(c\)).*|all rights reserved.*|tags?:.*|теги:.*|photo:.*|фото:.*|"
    r"source:.*|accept( all)?( cookies)?|cookie settings|we use cookies.*|"
    r"this (website|site) uses cookies.*|skip to (main )?content|back to top|"
    # Credits closing a story: "Ann Lee contributed reporting. Editing by Bo Diaz."
    r"(additional )?(reporting|writing|editing|research)( and \w+)? by [^“”\"«»]*|"
    r"[^“”\"«»]{1,80} contributed (reporting|to this (report|story|article))[^“”\"«»]*)$",
    re.I,
)


def is_boilerplate_line(text: str) -> bool:
    """A one-line share/cookie/copyright/"read more" fragment, not article prose."""
    line = text.strip().rstrip(":.!").strip()
    return len(line) < 160 and bool(_BOILER_LINE.match(line))


_LABEL_ONLY = re.compile(r"^[A-ZА-ЯЁ][\w.'’ -]{1,60}:$")


def is_label_only(text: str) -> bool:
    """A paragraph that is just a speaker label ("Vladimir Putin:", "Q:")."""
    return bool(_LABEL_ONLY.match(text.strip())) and len(text.split()) <= 6


def is_speaker_header(text: str) -> bool:
    """A debate page's speaker header, photo caption included ("Photo of X X Party, Seat")."""
    if not text.startswith("Photo of "):
        return False
    label = label_of(text)
    return label is not None and not text[label.speech :].strip()


def looks_like_speaker(label: str, text: str) -> bool:
    """A bold run opening a paragraph that names a speaker ("Vladimir Putin" or
    "THE PRESIDENT"), not a bold lead sentence or a dateline."""
    label = label.strip()
    if not label or label.endswith(":") or not text.startswith(label):
        return False  # "Name:" labels are already visible as written
    rest = text[len(label) :].lstrip()
    if not rest or rest[0] in ":,.;–—-(":
        return False
    words = label.split()
    if not 1 <= len(words) <= 5 or any(ch.isdigit() for ch in label):
        return False
    return all(w[0].isupper() or w in ("of", "de", "von", "van", "the") for w in words) and (
        rest[0].isupper() or rest[0] in '«“"„'
    )

"""Readers: site profiles — where the article body sits on known site families.

Keyed on the domain (from the page's canonical URL) and on the layout's CSS
classes, never on one page.  A profile only narrows the search: if its
selector finds nothing the generic main-text rules run as for any site.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SiteProfile:
    """CSS selectors for one family of sites."""

    domains: tuple[str, ...]
    body: tuple[str, ...]  # first selector that matches holds the article body
    drop: tuple[str, ...] = ()  # removed inside the body before reading it


PROFILES: tuple[SiteProfile, ...] = (
    # Kremlin and its mirrors (kremlin.ru, en.kremlin.ru): transcripts in .entry-content.
    SiteProfile(
        domains=("kremlin.ru",),
        body=(".read__internal_content", ".entry-content", "article"),
        drop=(".read__bottommeta", ".read__tags", ".read__lead + .read__place"),
    ),
    # Belarusian presidential site and state outlets share a CMS style: .article/.text blocks.
    SiteProfile(
        domains=("president.gov.by",),
        body=(".article__body", ".text", "article"),
        drop=(".share", ".tags", ".news-list"),
    ),
    SiteProfile(
        domains=("belta.by", "news.by", "soyuz.by", "sb.by"),
        body=(".js-mediator-article", ".news_text", ".article__body", ".text", "article"),
        drop=(".share", ".tags", ".read-also", ".related"),
    ),
    # White House (WordPress block theme) and archived Obama-era pages.
    SiteProfile(
        domains=("whitehouse.gov", "obamawhitehouse.archives.gov", "trumpwhitehouse.archives.gov"),
        body=(".body-content", ".entry-content", ".field-name-field-forall-body", "article"),
        drop=(".wp-block-whitehouse-topper", ".share-links"),
    ),
    # Russian foreign ministry and its missions.
    SiteProfile(
        domains=("mid.ru", "russiaeu.ru"),
        body=(".text.article-content", ".article-content", ".field-body", "article"),
        drop=(".share", ".tags"),
    ),
    # WordPress blogs and many outlets built on it.
    SiteProfile(
        domains=("wordpress.com",),
        body=(".entry-content", ".post-content", "article"),
        drop=(".sharedaddy", ".jp-relatedposts", ".wpcnt"),
    ),
)


def profile_for(domain: str | None) -> SiteProfile | None:
    """The profile whose domain is `domain` or a parent of it ("en.kremlin.ru")."""
    if not domain:
        return None
    domain = domain.lower()
    for profile in PROFILES:
        for known in profile.domains:
            if domain == known or domain.endswith("." + known):
                return profile
    return None

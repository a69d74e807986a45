"""Extraction stage: Article → [Quote] (quote finding, speakers, topics).

This module only orchestrates; `quotes` finds the quoted runs and transcript
turns, `speakers` names who said them, `topics` tags them.
"""

from __future__ import annotations

import re

from .models import Article, Quote
from .topics import Taxonomy, default_taxonomy

_QUOTE_RUN = re.compile(r"[“\"]([^”\"\n]{3,})[”\"]")


def extract_quotes(article: Article, taxonomy: Taxonomy | None = None) -> list[Quote]:
    """Every direct quotation and transcript turn paragraph of `article`."""
    taxonomy = taxonomy or default_taxonomy()
    quotes: list[Quote] = []
    previous = ""  # a short reply is about what the paragraph before it said
    for para, offset in zip(article.paragraphs, article.paragraph_offsets, strict=True):
        for match in _QUOTE_RUN.finditer(para):
            position = len(quotes)
            text = match.group(1)
            quotes.append(
                Quote(
                    id=f"{article.id}-{position}",
                    article_id=article.id,
                    position=position,
                    text=text,
                    start=offset + match.start(1),
                    end=offset + match.end(1),
                    speaker=None,
                    speaker_as_written=None,
                    attribution="unknown",
                    kind="direct",
                    context=para,
                    topics=taxonomy.tag(text, para, nearby=previous),
                    title=article.title,
                    date=article.date,
                    source=article.source,
                    url=article.url,
                    path=article.path,
                )
            )
        previous = para
    return quotes

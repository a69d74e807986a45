"""statement-search: full-text search over what politicians said.

Public API (everything else is private by habit):

    from statement_search import QuoteIndex, extract_quotes, read_article
"""

from __future__ import annotations

from .errors import StatementSearchError
from .extract import extract_quotes
from .models import Article, Highlight, Hit, Quote
from .readers import read_article, read_articles

__all__ = [
    "Article",
    "Highlight",
    "Hit",
    "Quote",
    "StatementSearchError",
    "extract_quotes",
    "read_article",
    "read_articles",
]

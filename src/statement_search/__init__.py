"""statement-search: full-text search over what politicians said.

Public API (everything else is private by habit):

    from statement_search import QuoteIndex, extract_quotes, read_article

    ix = QuoteIndex.build("index", ["corpus"])
    for hit in ix.search("peace", speaker="Lukashenko"):
        print(hit.quote.speaker, hit.quote.text)

Names are imported lazily so `statement-search --help` and the CLI's light
commands do not pay for Whoosh or BeautifulSoup.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engines import Filters, SearchRequest
    from .errors import StatementSearchError
    from .extract import extract_quotes
    from .facets import FacetCount
    from .index import IndexStats, QuoteIndex
    from .models import Article, Highlight, Hit, Hits, Quote
    from .names import canonical_speaker, speaker_aliases
    from .readers import read_article, read_articles
    from .sync_report import SyncReport
    from .topics import Taxonomy, load_taxonomy
    from .verify import Utterance, Verification, Version

_EXPORTS = {
    "Article": "models",
    "FacetCount": "facets",
    "Filters": "engines",
    "SearchRequest": "engines",
    "IndexStats": "index",
    "SyncReport": "sync_report",
    "Taxonomy": "topics",
    "canonical_speaker": "names",
    "load_taxonomy": "topics",
    "speaker_aliases": "names",
    "Highlight": "models",
    "Hit": "models",
    "Hits": "models",
    "Quote": "models",
    "QuoteIndex": "index",
    "StatementSearchError": "errors",
    "extract_quotes": "extract",
    "read_article": "readers",
    "read_articles": "readers",
    "Utterance": "verify",
    "Verification": "verify",
    "Version": "verify",
}

__all__ = [
    "Article",
    "FacetCount",
    "Filters",
    "Highlight",
    "Hit",
    "Hits",
    "IndexStats",
    "Quote",
    "QuoteIndex",
    "SearchRequest",
    "StatementSearchError",
    "SyncReport",
    "Taxonomy",
    "Utterance",
    "Verification",
    "Version",
    "canonical_speaker",
    "extract_quotes",
    "load_taxonomy",
    "read_article",
    "read_articles",
    "speaker_aliases",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'statement_search' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__

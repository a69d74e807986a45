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
    from .engines.base import IndexStats
    from .engines.index import QuoteIndex
    from .engines.whoosh.verify import Utterance, Verification, Version
    from .errors import StatementSearchError
    from .extraction.extract import extract_quotes
    from .extraction.names import canonical_speaker, speaker_aliases
    from .extraction.topics import Taxonomy, load_taxonomy
    from .ingest.sync_report import SyncReport
    from .models import Article, Highlight, Hit, Hits, Quote
    from .readers import read_article, read_articles
    from .search.facets import FacetCount

_EXPORTS = {
    "Article": "models",
    "FacetCount": "search.facets",
    "Filters": "engines",
    "SearchRequest": "engines",
    "IndexStats": "engines.base",
    "SyncReport": "ingest.sync_report",
    "Taxonomy": "extraction.topics",
    "canonical_speaker": "extraction.names",
    "load_taxonomy": "extraction.topics",
    "speaker_aliases": "extraction.names",
    "Highlight": "models",
    "Hit": "models",
    "Hits": "models",
    "Quote": "models",
    "QuoteIndex": "engines.index",
    "StatementSearchError": "errors",
    "extract_quotes": "extraction",
    "read_article": "readers",
    "read_articles": "readers",
    "Utterance": "engines.whoosh.verify",
    "Verification": "engines.whoosh.verify",
    "Version": "engines.whoosh.verify",
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

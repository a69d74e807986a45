"""Quote engines behind one boundary (`base.py`), and the choice of engine for an index.

`index.QuoteIndex` composes one engine with the manifest and the writer lock:
`whoosh/engine.WhooshEngine` (the default) or `tantivy/engine.TantivyEngine`
(`pip install 'statement-search[tantivy]'`); `opensearch.py` exports to a cluster.
An index records its engine in `statement-search.json`; `QuoteIndex.open` reads it
and opens that engine.
"""

from __future__ import annotations

from .base import EngineStats, Filters, QuoteEngine, SearchRequest
from .whoosh.version import TESTED_WHOOSH, whoosh_fast_path_supported

ENGINES = ("whoosh", "tantivy")

__all__ = [
    "ENGINES",
    "TESTED_WHOOSH",
    "EngineStats",
    "Filters",
    "QuoteEngine",
    "SearchRequest",
    "tantivy_available",
    "whoosh_fast_path_supported",
]


def tantivy_available() -> bool:
    """Whether the optional tantivy package can be imported, at a version the engine
    works with (0.27 or later: fast-field reads by document), with orjson (the `tantivy`
    extra's other package)."""
    try:
        import orjson  # noqa: F401
        import tantivy
    except ImportError:
        return False
    return hasattr(tantivy.Searcher, "fast_field_values")

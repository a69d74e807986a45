"""`TantivyQuoteIndex`: kept for imports; an index with the tantivy engine is a `QuoteIndex`
(engines/index.py) composing a `TantivyEngine` (`QuoteIndex.create(path, engine="tantivy")`)."""

from __future__ import annotations

from ..index import QuoteIndex as TantivyQuoteIndex
from ..index import engine_of

__all__ = ["TantivyQuoteIndex", "engine_of"]

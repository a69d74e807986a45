"""What `syncing.Syncer` writes into, over a `TantivyEngine`: the index folder (for the
files it must never read as articles and the workers' scratch space), no segments
to plan merges for (tantivy merges its own), and a writer taking Whoosh-shaped
prepared documents back to quotes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..whoosh.schema import document_to_quote

if TYPE_CHECKING:
    from ..base import QuoteEngine as TantivyEngine


class _Folder:
    def __init__(self, folder: str) -> None:
        self.folder = folder


class SyncTarget:
    """What `Syncer` needs of an index (its folder, segments, a writer), over the engine."""

    def __init__(self, path: Path, engine: TantivyEngine) -> None:
        self.storage = _Folder(str(path))
        self.engine = engine

    def _segments(self) -> list[Any]:
        return []  # tantivy merges its own segments: no tier merges to plan

    def quote_writer(self) -> EngineWriter:
        return EngineWriter(self.engine)


class EngineWriter:
    """The Whoosh-writer calls `Syncer` makes, mapped onto the engine."""

    def __init__(self, engine: TantivyEngine) -> None:
        self.engine = engine

    def delete_by_term(self, field: str, value: str) -> None:
        assert field == "article_id"
        self.engine.delete_article(value)

    def add_document(self, **doc: Any) -> None:
        """A prepared document (schema.py's fields) back to its quote, stored whole."""
        self.engine.add_quotes([document_to_quote(doc)], doc.get("content_hash", ""))

    def commit(self, **_options: Any) -> None:
        self.engine.commit()

    def cancel(self) -> None:
        self.engine.rollback()

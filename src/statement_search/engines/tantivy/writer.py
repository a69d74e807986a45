"""What `ingest/syncing.Syncer` writes into over a `TantivyEngine` (its `SyncTarget`): the
index folder (for the files it must never read as articles and the workers' scratch
space), the stored documents the workers make (`documents.quote_documents`), a batch
writer taking them back to quotes for the engine, and no housekeeping between commits
(tantivy merges its own segments; a failed commit's files go in `rollback`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...models import Quote
from ..documents import document_to_quote, quote_documents

if TYPE_CHECKING:
    from ..base import QuoteEngine as TantivyEngine


class SyncTarget:
    """A `TantivyEngine` as `Syncer` writes into it (ingest/syncing.py's `SyncTarget`)."""

    def __init__(self, path: Path, engine: TantivyEngine) -> None:
        self.folder = str(path)
        self.engine = engine

    def documents(self) -> Callable[[list[Quote], str], list[Any]]:
        return quote_documents

    def open_writer(self, options: dict[str, Any], helpers: Any) -> EngineWriter:
        return EngineWriter(self.engine)

    def remove_uncommitted(self) -> None:
        """Nothing: the engine's `rollback` garbage-collects a failed commit's files."""

    def after_commit(
        self, quotes: int, open_writer: Callable[[], Any], collect: Callable[[], None]
    ) -> None:
        """Nothing: tantivy merges its own segments as it commits."""


class EngineWriter:
    """One batch, mapped onto the engine's `add_quotes`/`delete_article`/`commit`."""

    def __init__(self, engine: TantivyEngine) -> None:
        self.engine = engine

    def delete_article(self, article_id: str) -> None:
        self.engine.delete_article(article_id)

    def add_documents(self, documents: list[Any], content_hash: str) -> None:
        """An article's prepared documents back to its quotes, stored whole."""
        self.engine.add_quotes([document_to_quote(doc) for doc in documents], content_hash)

    def commit(self, quotes: int) -> None:
        self.engine.commit()

    def cancel(self) -> None:
        self.engine.rollback()


if TYPE_CHECKING:  # mypy checks both against ingest's protocols
    from ...ingest.syncing import BatchWriter
    from ...ingest.syncing import SyncTarget as Target

    _TARGET: type[Target] = SyncTarget
    _WRITER: type[BatchWriter] = EngineWriter

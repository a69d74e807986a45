"""What `ingest/syncing.Syncer` writes into over a `TantivyEngine` (its `SyncTarget`): the
index folder (for the files it must never read as articles and the workers' scratch
space), the documents the workers make (`prepared_documents`: each quote's tantivy
fields as plain values, its stored JSON among them), a batch writer handing them to the
engine's writer, and no housekeeping between commits (tantivy merges its own segments; a
failed commit's files go in `rollback`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ...models import Quote
from ..documents import stored_quote
from .schema import document_fields, stored_json


class EngineWriting(Protocol):
    """The writing side of `engine.TantivyEngine` a batch writer uses (named here, not
    imported: the engine imports this module)."""

    def add_documents(self, documents: Iterable[dict[str, Any]]) -> None: ...

    def delete_article(self, article_id: str) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class SyncTarget:
    """A `TantivyEngine` as `Syncer` writes into it (ingest/syncing.py's `SyncTarget`)."""

    def __init__(self, path: Path, engine: EngineWriting) -> None:
        self.folder = str(path)
        self.engine = engine

    def documents(self) -> Callable[[list[Quote], str], list[Any]]:
        return prepared_documents

    def open_writer(self, options: dict[str, Any], helpers: Any) -> EngineWriter:
        return EngineWriter(self.engine)

    def remove_uncommitted(self) -> None:
        """Nothing: the engine's `rollback` garbage-collects a failed commit's files."""

    def after_commit(
        self, quotes: int, open_writer: Callable[[], Any], collect: Callable[[], None]
    ) -> None:
        """Nothing: tantivy merges its own segments as it commits."""


def prepared_documents(quotes: list[Quote], content_hash: str) -> list[dict[str, Any]]:
    """An article's quotes as the fields of their tantivy documents (`document_fields`),
    made in a preparing worker so the writing process only hands them to tantivy.  A
    quote is stored as its stored document gives it back (`documents.stored_quote`: a
    confidence in whole percent, empty values as their defaults), as every synced quote is."""
    made = []
    for quote in quotes:
        kept = stored_quote(quote)
        made.append(document_fields(kept, stored_json(kept, content_hash)))
    return made


class EngineWriter:
    """One batch, mapped onto the engine's `add_documents`/`delete_article`/`commit`."""

    def __init__(self, engine: EngineWriting) -> None:
        self.engine = engine

    def delete_article(self, article_id: str) -> None:
        self.engine.delete_article(article_id)

    def add_documents(self, documents: list[Any], content_hash: str) -> None:
        """An article's prepared documents (`prepared_documents`), filed as they are."""
        self.engine.add_documents(documents)

    def commit(self, quotes: int) -> None:
        self.engine.commit()

    def cancel(self) -> None:
        self.engine.rollback()


if TYPE_CHECKING:  # mypy checks both against ingest's protocols
    from ...ingest.syncing import BatchWriter
    from ...ingest.syncing import SyncTarget as Target

    _TARGET: type[Target] = SyncTarget
    _WRITER: type[BatchWriter] = EngineWriter

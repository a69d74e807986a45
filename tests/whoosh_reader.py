"""A small Whoosh index of `body` (TEXT) and `tag` (KEYWORD) documents, read with one of the
fast path's `Patch`es applied: what the tests of a patched reader compare with Whoosh's own."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import fields
from whoosh import index as whoosh_index

from statement_search.engines.whoosh.patches import Patch


@contextmanager
def patched_reader(
    folder: Path, documents: Iterable[dict[str, str]], patch: Patch
) -> Iterator[Any]:
    """The reader of an index of `documents` in `folder`, `patch` applied while it is open
    (then as it was: a fallback run)."""
    ix = whoosh_index.create_in(
        str(folder), fields.Schema(body=fields.TEXT(), tag=fields.KEYWORD())
    )
    writer = ix.writer()
    for document in documents:
        writer.add_document(**document)
    writer.commit()
    with patch.applied(), ix.searcher() as searcher:
        yield searcher.reader()

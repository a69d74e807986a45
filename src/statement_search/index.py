"""Index stage: [Quote] → a Whoosh index on disk, and the `QuoteIndex` handle.

`QuoteIndex` is the library's front door: it builds, updates and searches an
index directory.  Searching is delegated to `search.py`; Whoosh objects never
leave these modules.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index

from .errors import IndexNotFoundError, InputError, SchemaVersionError
from .models import Article, content_hash
from .schema import SCHEMA_VERSION, build_schema, quote_to_document
from .search import SearchMixin

if TYPE_CHECKING:
    from whoosh.index import Index
    from whoosh.searching import Searcher

    from .topics import Taxonomy

META_FILE = "statement-search.json"


@dataclass
class BuildReport:
    """What an indexing run did."""

    articles: int = 0
    quotes: int = 0
    skipped: list[str] = field(default_factory=list)
    ignored: int = 0


class QuoteIndex(SearchMixin):
    """An index of quote documents in a directory.

    Example:
        ix = QuoteIndex.build("index", ["corpus"])
        for hit in ix.search("peace", speaker="Lukashenko"):
            print(hit.quote.speaker, hit.quote.text)
    """

    def __init__(self, path: Path, whoosh: Index) -> None:
        self.path = path
        self._ix = whoosh
        self._searcher: Searcher | None = None

    # -- opening and creating -------------------------------------------------

    @classmethod
    def exists(cls, path: str | Path) -> bool:
        path = Path(path)
        return (path / META_FILE).is_file() and whoosh_index.exists_in(str(path))

    @classmethod
    def open(cls, path: str | Path) -> QuoteIndex:
        """Open an existing index; a missing or incompatible one is a clear error."""
        path = Path(path)
        if not cls.exists(path):
            raise IndexNotFoundError(
                f"no index at {path} — run `statement-search index corpus/` to build one"
            )
        meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
        version = meta.get("schema_version")
        if version != SCHEMA_VERSION:
            raise SchemaVersionError(
                f"index at {path} has schema version {version}, this program needs "
                f"{SCHEMA_VERSION} — rebuild it with `statement-search index --rebuild`"
            )
        return cls(path, whoosh_index.open_dir(str(path)))

    @classmethod
    def create(cls, path: str | Path) -> QuoteIndex:
        """Create an empty index, replacing whatever index was there."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        ix = whoosh_index.create_in(str(path), build_schema())
        meta = {"schema_version": SCHEMA_VERSION}
        tmp = path / (META_FILE + ".tmp")
        tmp.write_text(json.dumps(meta), encoding="utf-8")
        os.replace(tmp, path / META_FILE)
        return cls(path, ix)

    @classmethod
    def build(
        cls,
        path: str | Path,
        sources: Iterable[str | Path],
        taxonomy: Taxonomy | None = None,
        on_error: Callable[[InputError], None] | None = None,
    ) -> QuoteIndex:
        """Create a fresh index from files and folders."""
        ix = cls.create(path)
        ix.add(sources, taxonomy=taxonomy, on_error=on_error)
        return ix

    # -- writing ----------------------------------------------------------------

    def add(
        self,
        sources: Iterable[str | Path],
        taxonomy: Taxonomy | None = None,
        on_error: Callable[[InputError], None] | None = None,
    ) -> BuildReport:
        """Read, extract and index every article in the given files/folders."""
        from .extract import extract_quotes
        from .readers import SUPPORTED_SUFFIXES, read_articles

        report = BuildReport()
        writer = self._ix.writer()
        try:
            for file in _expand(sources, SUPPORTED_SUFFIXES, report):
                if isinstance(file, InputError):
                    report.skipped.append(str(file))
                    if on_error:
                        on_error(file)
                    continue
                try:
                    items = list(read_articles(file))
                except InputError as exc:
                    report.skipped.append(str(exc))
                    if on_error:
                        on_error(exc)
                    continue
                for item in items:
                    if isinstance(item, InputError):
                        report.skipped.append(str(item))
                        if on_error:
                            on_error(item)
                        continue
                    report.articles += 1
                    report.quotes += self._write_article(writer, item, extract_quotes, taxonomy)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        self._reset_searcher()
        return report

    def _write_article(
        self, writer: Any, article: Article, extract: Any, taxonomy: Taxonomy | None
    ) -> int:
        writer.delete_by_term("article_id", article.id)
        quotes = extract(article, taxonomy)
        digest = content_hash(article.text)
        for quote in quotes:
            writer.add_document(**quote_to_document(quote, digest))
        return len(quotes)

    # -- reading ---------------------------------------------------------------

    def searcher(self) -> Searcher:
        """One searcher reused across queries, refreshed when the index changes."""
        if self._searcher is None:
            self._searcher = self._ix.searcher()
        else:
            self._searcher = self._searcher.refresh()
        return self._searcher

    def _reset_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def close(self) -> None:
        self._reset_searcher()

    def __enter__(self) -> QuoteIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def count(self) -> int:
        return int(self.searcher().doc_count())


def _expand(
    sources: Iterable[str | Path], suffixes: set[str], report: BuildReport
) -> Iterable[Path | InputError]:
    """Files named directly, and supported files found recursively in folders."""
    for source in sources:
        path = Path(source)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file():
                    if child.suffix.lower() in suffixes:
                        yield child
                    else:
                        report.ignored += 1
        elif path.exists():
            yield path
        else:
            yield InputError(f"{source}: no such file or folder")

"""Writing an index, for either engine: `sync`, `add` and `remove` are one `Syncer` run
(syncing.py) under the writer lock (locking.py), over the manifest and the
engine's writer target, cancelled on any error; the report ends with the index's totals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .locking import WriterLock
from .manifest import Manifest
from .storage_errors import storage_errors
from .sync_report import Progress, SyncReport
from .syncing import Syncer, SyncTarget

if TYPE_CHECKING:
    from ..errors import InputError
    from ..extraction.topics import Taxonomy


class WritingMixin:
    """`sync`, `add` and `remove` for an index class; the host gives `path`,
    `_sync_target`, `_articles_and_last_update`, `count` and may override `_written`."""

    path: Path
    # Stems the taxonomy's Latin-script words for this engine's topic tags (None: the
    # taxonomy's own, `topics.porter_stem`).
    topic_stemmer: Callable[[str], str] | None = None

    def _sync_target(self, has_manifest: bool) -> SyncTarget:
        """What `Syncer` writes into (starting the index afresh without a manifest)."""
        raise NotImplementedError

    def _articles_and_last_update(self) -> tuple[int, str | None]:
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    def _written(self) -> None:
        """After every write, even a failed one (a searcher to reopen)."""

    def sync(
        self,
        sources: Iterable[str | Path],
        taxonomy: Taxonomy | None = None,
        on_error: Callable[[InputError], None] | None = None,
        progress: Callable[[Progress], None] | None = None,
        lock_timeout: float | None = None,
        remove_missing: bool = True,
        **options: Any,
    ) -> SyncReport:
        """Bring the index in step with files/folders: add new, re-index changed, drop deleted.

        Only sources inside the given paths are compared, so syncing one folder
        never touches articles indexed from another.  `options` tune batching
        (`batch_articles`, `batch_quotes`, `writer_options`) and `prune=True`
        lets a run remove most of the index.
        """
        if self.topic_stemmer is not None:
            from ..extraction.topics import default_taxonomy

            taxonomy = (taxonomy or default_taxonomy()).stemmed_by(self.topic_stemmer)
        return self._write(
            lock_timeout,
            lambda syncer: syncer.run(sources, remove_missing),
            taxonomy=taxonomy,
            on_error=on_error,
            progress=progress,
            **options,
        )

    def add(self, sources: Iterable[str | Path], **kwargs: Any) -> SyncReport:
        """Add or update the given files/folders, never removing anything (options as `sync`)."""
        return self.sync(sources, remove_missing=False, **kwargs)

    def remove(self, paths: Iterable[str | Path], lock_timeout: float | None = None) -> SyncReport:
        """Take the articles of these files (or of every file under these folders) out of
        the index, without reading them; `removed` counts the files."""
        return self._write(lock_timeout, lambda syncer: syncer.remove(paths))

    def _write(
        self, lock_timeout: float | None, run: Callable[[Syncer], SyncReport], **options: Any
    ) -> SyncReport:
        try:
            with storage_errors(self.path), WriterLock(self.path, lock_timeout) as lock:
                target = self._sync_target(Manifest.exists_in(self.path))
                manifest = Manifest(self.path)
                syncer = Syncer(target, manifest, **options)
                try:
                    report = run(syncer)
                except BaseException:
                    syncer.cancel()
                    raise
                finally:
                    manifest.close()
        finally:
            self._written()
        if lock.recovered is not None:
            report.recovered_lock = lock.recovered.describe()
        report.articles, _ = self._articles_and_last_update()
        report.quotes = self.count()
        return report

"""Every error the library raises; the CLI turns them into one-line messages."""

from __future__ import annotations

import os


class StatementSearchError(Exception):
    """Base class: anything a user can fix (bad file, bad query, missing index)."""


class InputError(StatementSearchError):
    """A file could not be read as an article (missing, binary, malformed)."""


class FileBudgetError(InputError):
    """A file took longer than its time budget to read and extract, and was skipped."""


class QueryError(StatementSearchError):
    """A query or filter the search layer cannot parse."""


class QueryTimeoutError(QueryError):
    """A query ran past its time budget (`time_limit`, `--time-limit`)."""


class IndexNotFoundError(StatementSearchError):
    """No index exists at the given location."""


class IndexExistsError(StatementSearchError):
    """An index (or a folder of other files) is where a new index was to be created."""


class IndexStorageError(StatementSearchError):
    """The index's files cannot be written or read: disk full, read-only, no permission, damaged."""


class IndexLockedError(StatementSearchError):
    """Another writer holds the index lock past the timeout."""


class SchemaVersionError(StatementSearchError):
    """The index was written by an incompatible version and must be rebuilt."""


class TaxonomyError(StatementSearchError):
    """A topic taxonomy file is malformed."""


class AliasError(StatementSearchError):
    """A speaker alias file is missing or malformed."""


def refuse_nul(path: str | os.PathLike[str], error: type[StatementSearchError]) -> None:
    """`error` naming `path` (its NUL shown as `\\0`) when the path holds a NUL byte,
    which no file name can hold: the OS calls would raise a bare `ValueError`."""
    text = os.fspath(path)
    if "\0" in text:
        shown = text.replace("\0", "\\0")
        raise error(f"{shown}: a path cannot hold a NUL byte")

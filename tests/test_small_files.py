"""small_files.py: settings files a user names are read only when small and regular (#20)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from statement_search.errors import AliasError, TaxonomyError
from statement_search.extraction.names import load_aliases
from statement_search.small_files import read_small_file


def test_special_files_and_folders_are_refused_before_opening(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # opening it would wait for a writer
    for path, says in ((fifo, "not a regular file"), (Path("/dev/zero"), "not a regular file"),
                       (tmp_path, "is a directory")):  # fmt: skip
        with pytest.raises(TaxonomyError, match=says):
            read_small_file(path, 100, TaxonomyError)


def test_a_file_over_the_cap_is_refused_and_one_at_it_read(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_bytes(b"x" * 100)
    assert read_small_file(path, 100, TaxonomyError) == b"x" * 100
    with pytest.raises(TaxonomyError, match="not a settings file"):
        read_small_file(path, 99, TaxonomyError)
    with pytest.raises(FileNotFoundError):
        read_small_file(tmp_path / "absent", 100, TaxonomyError)


def test_an_alias_file_that_never_ends_is_an_alias_error(tmp_path: Path) -> None:
    """`STATEMENT_SEARCH_ALIASES=/dev/zero` took 5 GB in 6 s on a speaker filter."""
    fifo = tmp_path / "aliases.toml"
    os.mkfifo(fifo)
    for path in ("/dev/zero", str(fifo)):
        with pytest.raises(AliasError, match="not a regular file"):
            load_aliases(path)

"""Reader entry points: special files refused before opening, the size cap never read past."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from statement_search.errors import InputError
from statement_search.readers import read_article, read_text_file


@pytest.mark.parametrize("suffix", [".txt", ".jsonl", ""])
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path, suffix: str) -> None:
    fifo = tmp_path / f"pipe{suffix}"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_article(fifo)  # opening it would wait for a writer forever


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_device_is_refused() -> None:
    with pytest.raises(InputError, match="/dev/zero: not a regular file"):
        read_text_file("/dev/zero")


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_article(tmp_path)

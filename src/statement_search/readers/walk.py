"""Readers, step zero: the paths a user names → the files to read.

Used by the indexer and the `read` command.  Folders are walked recursively in
a stable (sorted) order; symlinked folders are followed once, so a link back
to an ancestor cannot loop; files with suffixes no reader handles are skipped
and counted, so a summary can say "12 other files ignored".
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, refuse_nul
from .suffixes import SUPPORTED_SUFFIXES


@dataclass
class SourceFiles:
    """The outcome of walking: readable files, how many were ignored, and errors."""

    files: list[Path] = field(default_factory=list)
    ignored: int = 0
    errors: list[InputError] = field(default_factory=list)


# A ParlaMint corpus's own files beside its sittings: the root file that includes them,
# its registers of people and parties, its taxonomies.  They hold no speeches.
_CORPUS_FILE = re.compile(
    r"(?i)^(?:.*(?:listperson|listorg|taxonomy).*|parlamint-[a-z]{2}(?:-[a-z]{2})?(?:\.ana)?)\.xml$"
)


def _utf8_name(path: Path) -> bool:
    """Whether the path's name decoded without surrogate escapes (valid UTF-8)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def iter_source_files(
    paths: Iterable[str | Path], suffixes: Iterable[str] | None = None
) -> SourceFiles:
    """Expand files and folders into the files a reader supports.

    - A file named explicitly is always kept (the reader will sniff or refuse
      it), even with an unknown suffix: the user asked for it.
    - In folders, files with other suffixes are ignored and counted, hidden
      files and folders (".git", ".venv") are skipped without counting.
    - Each real folder is visited once (loop-safe); a path that does not
      exist becomes an `InputError` in `errors`.
    - A file reached twice (two arguments, or a link) is listed once.

    Example:
        found = iter_source_files(["corpus/"])
        for path in found.files: ...
        print(f"{found.ignored} other files ignored")
    """
    if suffixes is None:
        suffixes = SUPPORTED_SUFFIXES
    wanted = {s.lower() for s in suffixes}
    result = SourceFiles()
    seen_files: set[str] = set()
    seen_dirs: set[str] = set()

    def add(path: Path) -> None:
        if not _utf8_name(path):
            # The index and its manifest store names as UTF-8 text: such a name
            # cannot be stored, so the file is this run's one error, not its end.
            shown = os.fsencode(path).decode("utf-8", "backslashreplace")
            result.errors.append(InputError(f"{shown}: file name is not UTF-8 (rename it)"))
            return
        key = os.path.realpath(path)
        if key not in seen_files:
            seen_files.add(key)
            result.files.append(path)

    def walk(folder: Path) -> None:
        real = os.path.realpath(folder)
        if real in seen_dirs:
            return
        seen_dirs.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            result.errors.append(InputError(f"{folder}: cannot list folder ({exc.strerror})"))
            return
        for entry in entries:
            if _is_hidden(entry.name):
                continue
            child = folder / entry.name
            try:
                is_dir = entry.is_dir()  # follows symlinks
                is_file = entry.is_file()
            except OSError:
                is_dir = is_file = False
            if is_dir:
                walk(child)
            elif is_file and child.suffix.lower() in wanted and not _CORPUS_FILE.match(entry.name):
                add(child)
            else:
                result.ignored += 1  # other suffixes, broken links, sockets

    for raw in paths:
        path = Path(raw)
        try:
            refuse_nul(path, InputError)
        except InputError as exc:
            result.errors.append(exc)
            continue
        if path.is_dir():
            walk(path)
        elif path.is_file():
            add(path)
        elif path.exists():  # reading a FIFO waits for a writer, a device may never end
            result.errors.append(
                InputError(f"{raw}: not a regular file (a device, FIFO or socket)")
            )
        else:
            result.errors.append(InputError(f"{raw}: no such file or folder"))
    return result

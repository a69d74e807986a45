"""`swap_in`: a Whoosh index built in another folder becomes the live one in one step for
its readers, as a Whoosh commit does.

Its segment files move in beside the live ones (their names are random, so none
clashes), then its table of contents is written as the live index's generation
`next_generation(live)`: a reader opens the newest table, so it sees either the
old segments or the new ones, never an empty or half-built index.  `tidy` then
removes the older tables and the segments only they named (a reader still holding
them keeps its open files).  Whether the swap took place is whether that
generation's table exists (`has_generation`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files

INDEX_NAME = "MAIN"  # Whoosh's default index name, the one `create_in` and `open_dir` use
_TABLE = re.compile(rf"_{INDEX_NAME}_(\d+)\.toc")
_LOCK = f"{INDEX_NAME}_WRITELOCK"


def _generations(folder: Path) -> list[int]:
    return [int(m.group(1)) for f in folder.iterdir() if (m := _TABLE.fullmatch(f.name))]


def _segment_files(folder: Path) -> set[str]:
    return {f.name for f in folder.glob(f"{INDEX_NAME}_*") if f.name != _LOCK and f.is_file()}


def next_generation(live: Path) -> int:
    """The generation `swap_in` gives the staged index's table of contents in `live`."""
    return max(_generations(live), default=-1) + 1


def has_generation(live: Path, generation: int) -> bool:
    """`live` has the table of contents of `generation` (written in one rename)."""
    return (live / f"_{INDEX_NAME}_{generation}.toc").is_file()


def swap_in(staged: Path, live: Path, generation: int) -> None:
    """Make the Whoosh index in `staged` the one in `live` as table `generation` (see the
    module docstring); the caller holds `live`'s writer lock.  `staged` keeps nothing
    worth reading after."""
    toc = TOC.read(FileStorage(str(staged)), INDEX_NAME)
    for name in _segment_files(staged):
        os.replace(staged / name, live / name)
    TOC(toc.schema, toc.segments, generation).write(FileStorage(str(live)), INDEX_NAME)


def tidy(live: Path, generation: int) -> None:
    """Remove the tables older than `generation` and the segment files its table does not
    name (those a swap or a killed writer left)."""
    storage = FileStorage(str(live))
    toc = TOC.read(storage, INDEX_NAME, generation)
    clean_files(storage, INDEX_NAME, generation, toc.segments)

"""`swap_in`: a Whoosh index built in another folder becomes the live one in one step for
its readers, as a Whoosh commit does.

Its segment files move in beside the live ones (their names are random, so none
clashes), then its table of contents is written as the live index's next generation:
a reader opens the newest table, so it sees either the old segments or the new
ones, never an empty or half-built index.  Then the older tables and the segments
only they named are removed (a reader still holding them keeps its open files).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

INDEX_NAME = "MAIN"  # Whoosh's default index name, the one `create_in` and `open_dir` use
_TABLE = re.compile(rf"_{INDEX_NAME}_(\d+)\.toc")
_LOCK = f"{INDEX_NAME}_WRITELOCK"


def _generations(folder: Path) -> list[int]:
    return [int(m.group(1)) for f in folder.iterdir() if (m := _TABLE.fullmatch(f.name))]


def _segment_files(folder: Path) -> set[str]:
    return {f.name for f in folder.glob(f"{INDEX_NAME}_*") if f.name != _LOCK and f.is_file()}


def swap_in(staged: Path, live: Path) -> None:
    """Make the Whoosh index in `staged` the one in `live` (see the module docstring);
    the caller holds `live`'s writer lock.  `staged` keeps nothing worth reading after."""
    toc = TOC.read(FileStorage(str(staged)), INDEX_NAME)
    generation = max(_generations(live), default=-1) + 1
    old = _segment_files(live)
    moved = _segment_files(staged)
    for name in moved:
        os.replace(staged / name, live / name)
    TOC(toc.schema, toc.segments, generation).write(FileStorage(str(live)), INDEX_NAME)
    for name in old - moved:
        (live / name).unlink(missing_ok=True)
    for older in _generations(live):
        if older < generation:
            (live / f"_{INDEX_NAME}_{older}.toc").unlink(missing_ok=True)

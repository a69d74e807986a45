"""The index marker, `statement-search.json` in an index folder: its schema version and
engine (no engine means whoosh), and where each engine keeps its files."""

from __future__ import annotations

import json
from pathlib import Path

META_FILE = "statement-search.json"
ENGINES = ("whoosh", "tantivy")
TANTIVY_FOLDER = "tantivy"  # the tantivy engine's files; Whoosh's are in the folder itself


def engine_of(path: Path) -> str | None:
    """The engine an index directory records (`whoosh` when it records none), or None."""
    try:
        meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return str(meta.get("engine") or "whoosh") if isinstance(meta, dict) else None

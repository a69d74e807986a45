"""Topic stage: a quote's words → 0–3 topic names from an editable taxonomy."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Taxonomy:
    """Topics with weighted cue terms."""

    topics: dict[str, dict[str, float]] = field(default_factory=dict)

    def tag(self, text: str, context: str = "") -> tuple[str, ...]:
        return ()


def default_taxonomy() -> Taxonomy:
    return Taxonomy()


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    return Taxonomy()

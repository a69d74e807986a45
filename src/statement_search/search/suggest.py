"""Did-you-mean, engine-neutral: the `Suggestion` value, the words of a query worth
correcting, and speaker names spelt like an unknown one.

Each engine corrects words towards its own vocabulary (the verbatim `exact`
words); the speaker names come from the speakers the index holds.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .filters import fold

# Below this many hits a search is worth a did-you-mean check.
FEW_HITS = 3

# A plain word of the query language: not an operator, a field name, or part
# of a wildcard / fuzzy / boosted term (the user already chose those).
WORD = re.compile(r"(?<![\w:*?~^])([^\W\d_]{3,})(?![\w:*?~^])")
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})


@dataclass(frozen=True)
class Suggestion:
    """A corrected query (None if the words were fine) and likely speakers."""

    query: str | None = None
    speakers: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        parts = [self.query] if self.query else []
        parts += [f'--speaker "{name}"' for name in self.speakers]
        return " ".join(parts)


def closest_names(names: dict[str, str], name: str, limit: int = 3) -> tuple[str, ...]:
    """Of `names` (folded → display), those whose name or last name is spelt like `name`."""
    wanted = fold(name)
    candidates: dict[str, str] = {}
    for key, display in names.items():
        candidates.setdefault(key, display)
        parts = key.split()
        if parts:
            candidates.setdefault(parts[-1], display)
    close = difflib.get_close_matches(wanted, list(candidates), n=limit * 2, cutoff=0.75)
    found: list[str] = []
    for match in close:
        if candidates[match] not in found:
            found.append(candidates[match])
    return tuple(found[:limit])

"""Extraction stage: an Article becomes Quotes, with speakers, people, names and topics.

`extract_quotes` is imported on first use: the speaker rules compile a few hundred
regular expressions (about half a second), which a search that only needs the
taxonomy (`topics`) or a name's canonical form should not pay for at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .extract import extract_quotes

__all__ = ["extract_quotes"]


def __getattr__(name: str) -> Any:
    if name == "extract_quotes":
        from .extract import extract_quotes

        return extract_quotes
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

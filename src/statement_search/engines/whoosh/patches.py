"""A Whoosh class's methods replaced by ours (the fast path's method swaps), one way.

Input: a class and the functions that replace some of its methods; output: `install`
(idempotent: it sets the same functions again) and `applied`, a context that puts
back what the class held before (a test of one swap in a fallback run leaves
Whoosh's own methods).  `WHOOSH_METHODS`-style originals are read before any swap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class Patch:
    """`methods` (name → function) to set on `cls`."""

    def __init__(self, cls: type, **methods: Callable[..., Any]) -> None:
        self.cls, self.methods = cls, methods

    def install(self) -> None:
        for name, method in self.methods.items():
            setattr(self.cls, name, method)

    @contextmanager
    def applied(self) -> Iterator[None]:
        """Installed within the context; afterwards the class as it was before."""
        before = {name: self.cls.__dict__[name] for name in self.methods}
        self.install()
        try:
            yield
        finally:
            for name, method in before.items():
                setattr(self.cls, name, method)

"""A rebuild killed at any point of its swap leaves the old index or the new one, engine
files and manifest alike: `open` settles the swap (engines/rebuild.py's journal)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from statement_search import QuoteIndex
from statement_search.engines import rebuild, tantivy_available

from .conftest import SEED
from .test_rebuild import _new_corpus

_OPS = ("replace", "rename", "remove", "unlink", "rmdir")


class _Killed(BaseException):
    """Stands for SIGKILL: raised before a file operation, and by every one after it."""


class _Killer:
    """Kills the rebuild before the `at`-th file operation of its swap: that operation and
    every later one (the `finally` blocks' too) raise `_Killed`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, at: int) -> None:
        self.at, self.done, self.swapping, self.dead = at, 0, False, False
        for name in _OPS:
            monkeypatch.setattr(os, name, self._wrap(getattr(os, name)))
        monkeypatch.setattr(rebuild, "_exchange", self._wrap(rebuild._exchange))
        swap = rebuild._swap

        def swapping(*args: Any) -> None:
            self.swapping = True
            swap(*args)

        monkeypatch.setattr(rebuild, "_swap", swapping)

    def _wrap(self, op: Callable[..., Any]) -> Callable[..., Any]:
        def killable(*args: Any, **kwargs: Any) -> Any:
            if self.swapping:
                self.done += 1
                if self.dead or self.done == self.at:
                    self.dead = True
                    raise _Killed
            return op(*args, **kwargs)

        return killable


def _state(path: Path) -> tuple[list[str], list[str]]:
    """What a reader finds: every quote's id, and the ids "harbour" finds."""
    with QuoteIndex.open(path) as ix:
        return sorted(q.id for q in ix.quotes()), [h.quote.id for h in ix.search("harbour")]


_ENGINES = [
    "whoosh",
    pytest.param(
        "tantivy",
        marks=pytest.mark.skipif(not tantivy_available(), reason="tantivy is not installed"),
    ),
    pytest.param(
        "tantivy-two-renames",
        marks=pytest.mark.skipif(not tantivy_available(), reason="tantivy is not installed"),
    ),
]


@pytest.mark.parametrize("variant", _ENGINES)
def test_a_rebuild_killed_at_any_step_of_its_swap_leaves_the_old_or_the_new_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variant: str
) -> None:
    """A kill between the engine's swap and the manifest's left new engine files with the
    old manifest: the next sync re-extracted or lost articles."""
    engine = variant.split("-")[0]
    if variant.endswith("two-renames"):
        monkeypatch.setattr(rebuild.ctypes, "CDLL", lambda *args, **kwargs: object())
    old_index = tmp_path / "old"
    QuoteIndex.build(old_index, [SEED], engine=engine).close()
    corpus = _new_corpus(tmp_path / "corpus")
    new_index = tmp_path / "new"
    QuoteIndex.build(new_index, [corpus], engine=engine).close()
    old, new = _state(old_index), _state(new_index)
    assert old != new and new[1]
    outcomes = []
    for at in range(1, 100):
        index = tmp_path / f"ix{at}"
        shutil.copytree(old_index, index)
        with monkeypatch.context() as patched:
            killer = _Killer(patched, at)
            try:
                QuoteIndex.build(index, [corpus], overwrite=True, engine=engine).close()
            except _Killed:
                pass
        state = _state(index)  # opening settles the swap
        assert state in (old, new), at
        assert not (index / rebuild.SWAP_FILE).exists()
        # The manifest belongs to the engine's files: a sync finds nothing to do.
        sources = [SEED] if state == old else [corpus]
        with QuoteIndex.open(index) as ix:
            report = ix.sync(sources)
        assert (report.added, report.updated, report.removed) == (0, 0, 0), at
        assert report.unchanged == len(state[0]) if state == new else report.unchanged == 1
        assert _state(index) == state
        outcomes.append(state == new)
        if not killer.dead:
            break
    assert outcomes[0] is False and outcomes[-1] is True and len(outcomes) > 4

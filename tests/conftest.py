"""Shared fixtures: no test touches the real ./index or the user's environment."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED = CORPUS / "000_80492bd9885cfb65.txt"
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATEMENT_SEARCH_INDEX", str(tmp_path / "default-index"))
    monkeypatch.setenv("STATEMENT_SEARCH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("STATEMENT_SEARCH_TAXONOMY", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="module")
def hand_index(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An index of the hand-written quotes in `search_corpus.py`, as a path for the CLI."""
    from .search_corpus import build_index

    path = tmp_path_factory.mktemp("hand") / "index"
    build_index(path).close()
    return str(path)

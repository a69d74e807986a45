"""Shared fixtures: no test touches the real ./index or the user's environment."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED = CORPUS / "000_80492bd9885cfb65.txt"
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


_FOLDERS = itertools.count()


@pytest.fixture(scope="session")
def _env_folders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("env")


@pytest.fixture(autouse=True)
def _isolated_env(
    request: pytest.FixtureRequest, _env_folders: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The default index and home lie in a new empty folder of the test's own: its
    # `tmp_path` if it has one, else a numbered folder made here (making a `tmp_path` for
    # each of the 1,300 tests cost 6 s of a run).
    if "tmp_path" in request.fixturenames:
        folder: Path = request.getfixturevalue("tmp_path")
    else:
        folder = _env_folders / str(next(_FOLDERS))
        folder.mkdir()
    monkeypatch.setenv("STATEMENT_SEARCH_INDEX", str(folder / "default-index"))
    monkeypatch.setenv("STATEMENT_SEARCH_HOME", str(folder / "home"))
    monkeypatch.delenv("STATEMENT_SEARCH_TAXONOMY", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


def _fast_path() -> bool:
    from statement_search.engines.whoosh.fast_path import fast_path_enabled

    return fast_path_enabled()


# A test that checks a fast-path internal through the index (which writer ran, how a commit
# merged) has nothing to check while the fallback runs (.ci/run's second run forces it).
fast_path_only = pytest.mark.skipif(
    not _fast_path(),
    reason="checks the Whoosh fast path through the index; the fallback is on "
    "(STATEMENT_SEARCH_WHOOSH_FALLBACK, or an untested whoosh-reloaded)",
)


@pytest.fixture
def fast_path_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Whoosh fast path on for one test that calls fast-path code directly, whatever
    the environment forces (as if a tested whoosh-reloaded were installed)."""
    from statement_search.engines.whoosh import fast_path

    low, _ = fast_path.TESTED_WHOOSH
    monkeypatch.delenv(fast_path.FALLBACK_ENV, raising=False)
    monkeypatch.setattr(fast_path, "installed_whoosh", lambda: ".".join(map(str, low)))


@pytest.fixture(scope="module")
def hand_index(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An index of the hand-written quotes in `search_corpus.py`, as a path for the CLI."""
    from .search_corpus import build_index

    path = tmp_path_factory.mktemp("hand") / "index"
    build_index(path).close()
    return str(path)

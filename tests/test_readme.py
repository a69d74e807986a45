"""The README's commands are the ones CI and users actually run."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, flags=re.S)
    test_block = next(b for b in blocks if "pytest" in b)
    test_command = test_block.split("&&")[-1].strip()
    assert test_command in ci.splitlines()
    # then the same command once more with the Whoosh fast path's fallback forced (#21)
    after = ci.splitlines()[ci.splitlines().index(test_command) + 1 :]
    assert f"STATEMENT_SEARCH_WHOOSH_FALLBACK=1 {test_command}" in after


def test_readme_python_example_names_exist() -> None:
    import statement_search

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    imported = re.search(r"from statement_search import (.+)", readme)
    assert imported
    for name in imported.group(1).split(","):
        assert hasattr(statement_search, name.strip())


def test_readme_python_example_prints_what_the_readme_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)\n```", readme, flags=re.S)
    shown = re.search(r"```python\n.*?\n```\n\n```\n(.*?)\n```", readme, flags=re.S)
    assert code and shown
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    exec(compile(code.group(1), "README.md", "exec"), {})
    assert capsys.readouterr().out.strip() == shown.group(1).strip()

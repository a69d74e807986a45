"""The Whoosh fast path's tested versions: the run-time check and the pin in pyproject agree."""

from __future__ import annotations

import tomllib
from importlib import metadata

import pytest

from statement_search.engines import TESTED_WHOOSH, whoosh_fast_path_supported

from .conftest import ROOT


@pytest.mark.parametrize(
    ("version", "supported"),
    [
        ("2.7.5", True),
        ("2.7.9.post1", True),
        ("2.7.4", False),
        ("2.8.0", False),
        ("2.8rc1", False),
        ("3.0", False),
        ("not a version", False),
    ],
)
def test_versions_in_the_tested_range_only(version: str, supported: bool) -> None:
    assert whoosh_fast_path_supported(version) is supported


def test_the_installed_whoosh_is_checked() -> None:
    installed = metadata.version("whoosh-reloaded")
    assert whoosh_fast_path_supported() is whoosh_fast_path_supported(installed)


def test_the_pin_is_the_tested_range() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (pin,) = [d for d in project["project"]["dependencies"] if d.startswith("whoosh-reloaded")]
    low, high = (".".join(map(str, bound)) for bound in TESTED_WHOOSH)
    assert pin.replace(" ", "") == f"whoosh-reloaded>={low},<{high}"

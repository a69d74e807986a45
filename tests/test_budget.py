"""budget.py: a file over its time budget, or failing in any way, is skipped by name."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from statement_search.errors import FileBudgetError, InputError, StatementSearchError
from statement_search.ingest import budget
from statement_search.ingest.budget import file_budget, guarded, seconds_per_mb
from statement_search.ingest.preparing import prepare_file


def _spin() -> None:
    while True:
        pass


def test_budget_scales_with_size_and_has_a_floor() -> None:
    assert file_budget(0, 4.0) == budget.MIN_SECONDS
    assert file_budget(10 * 1048576, 4.0) == 40.0
    assert file_budget(10 * 1048576, 0) is None


def test_rate_from_argument_environment_or_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(budget.ENV_VAR, raising=False)
    assert seconds_per_mb() == budget.DEFAULT_SECONDS_PER_MB
    monkeypatch.setenv(budget.ENV_VAR, "2.5")
    assert seconds_per_mb() == 2.5 and seconds_per_mb(7) == 7
    monkeypatch.setenv(budget.ENV_VAR, "fast")
    with pytest.raises(StatementSearchError, match="not a number"):
        seconds_per_mb()
    with pytest.raises(StatementSearchError, match="nan"):
        seconds_per_mb(float("nan"))


def test_endless_work_is_interrupted_on_the_main_thread() -> None:
    with pytest.raises(FileBudgetError, match="f.txt: over its time budget"):
        guarded("f.txt", _spin, 0.05)


def test_off_the_main_thread_work_over_budget_is_refused_after() -> None:
    errors: list[BaseException] = []

    def work() -> int:
        total = 0
        for i in range(3_000_000):
            total += i
        return total

    def run() -> None:
        try:
            guarded("t.txt", work, 0.001)
        except BaseException as exc:  # noqa: BLE001 - the test inspects it
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert len(errors) == 1 and isinstance(errors[0], FileBudgetError)


def test_unexpected_errors_name_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STATEMENT_SEARCH_DEBUG", raising=False)

    def fails() -> None:
        raise ValueError("boom")

    with pytest.raises(InputError, match=r"x.json: could not be read \(ValueError: boom\)"):
        guarded("x.json", fails, None)
    with pytest.raises(InputError, match="x.html: too large or too deeply nested"):
        guarded("x.html", lambda: (_ for _ in ()).throw(RecursionError()), None)
    monkeypatch.setenv("STATEMENT_SEARCH_DEBUG", "1")
    with pytest.raises(ValueError):
        guarded("x.json", fails, None)


def test_prepare_file_skips_a_file_over_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "marks.txt"
    path.write_text("Title\n\n" + "Ann Lee said “we will build the bridge this year”. " * 4_000)
    monkeypatch.setattr(budget, "MIN_SECONDS", 0.01)
    prepared = prepare_file(path, None, seconds_per_mb=0.001)
    assert isinstance(prepared.error, FileBudgetError)
    assert str(path) in str(prepared.error)
    monkeypatch.setattr(budget, "MIN_SECONDS", 10.0)
    assert prepare_file(path, None).error is None


def test_the_budget_holds_in_a_forked_worker_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statement_search.ingest import preparing

    slow = tmp_path / "slow.txt"
    slow.write_text("Title\n\n" + "Ann Lee said “we will build the bridge this year”. " * 4_000)
    monkeypatch.setattr(budget, "MIN_SECONDS", 0.01)  # the fork inherits it
    with preparing.Preparer(None, workers=1, seconds_per_mb=0.001) as preparer:
        ((file, pending),) = list(preparer.ahead([slow], lambda f: True))  # forks the worker
        assert pending is not None

        def not_inline(*args: object) -> None:
            raise AssertionError("prepared inline, not in the worker")

        monkeypatch.setattr(preparing, "prepare_file", not_inline)  # the worker has its own
        prepared = preparer.result(file, pending)
    assert isinstance(prepared.error, FileBudgetError)
    assert "slow.txt: over its time budget" in str(prepared.error)

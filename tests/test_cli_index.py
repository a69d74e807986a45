"""`index`, `add`, `stats`, `optimize` through click's CliRunner."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from statement_search.cli import main
from statement_search.cli.progress import ProgressBar, render
from statement_search.engines.index import META_FILE
from statement_search.ingest.sync_report import Progress

from .conftest import CORPUS

SYNC_KEYS = {"added", "updated", "removed", "unchanged", "skipped", "articles", "quotes", "seconds"}
STATS_KEYS = {
    "articles",
    "quotes",
    "speakers",
    "topics",
    "index_bytes",
    "last_updated",
    "schema_version",
}


def _article(n: int) -> str:
    said = f'"Line {n} of the budget is final," Lena Moss said.'
    return f"Budget {n}\n\nThe treasurer spoke.\n\n{said}\n"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "budget"
    path.mkdir()
    for n in range(3):
        (path / f"b{n}.txt").write_text(_article(n), encoding="utf-8")
    return path


def _run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def _last_json(output: str) -> dict[str, object]:
    return json.loads(output.strip().splitlines()[-1])


def test_index_json_summary_is_the_last_line(folder: Path, tmp_path: Path) -> None:
    ix = str(tmp_path / "ix")
    result = _run("index", str(folder), "--index", ix, "--format", "json")
    assert result.exit_code == 0
    data = _last_json(result.stdout)
    assert SYNC_KEYS <= set(data)
    assert (data["added"], data["articles"], data["quotes"]) == (3, 3, 3)
    (folder / "b0.txt").unlink()
    data = _last_json(_run("index", str(folder), "--index", ix, "--format", "json").stdout)
    assert (data["removed"], data["unchanged"], data["articles"]) == (1, 2, 2)


def test_text_summary_and_silent_progress_when_piped(folder: Path, tmp_path: Path) -> None:
    result = _run("index", str(folder), "--index", str(tmp_path / "ix"))
    assert result.stdout.startswith("indexed 3 articles, 3 quotes in ")
    assert "3 added" in result.stdout and result.stdout.count("\n") == 1
    assert result.stderr == ""  # no progress bar off a terminal


def test_some_skipped_exits_1_nothing_readable_exits_2(folder: Path, tmp_path: Path) -> None:
    (folder / "empty.txt").write_text("")
    result = _run("index", str(folder), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 1 and "empty.txt" in result.stderr
    result = _run("add", str(tmp_path / "nope.txt"), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 2 and "nope.txt" in result.stderr


def test_add_keeps_what_it_was_not_given(folder: Path, tmp_path: Path) -> None:
    ix = str(tmp_path / "ix")
    _run("index", str(folder), "--index", ix)
    extra = tmp_path / "extra.txt"
    extra.write_text(_article(9), encoding="utf-8")
    data = _last_json(_run("add", str(extra), "--index", ix, "--format", "json").stdout)
    assert (data["added"], data["removed"], data["articles"]) == (1, 0, 4)


def test_rebuild_starts_from_scratch(folder: Path, tmp_path: Path) -> None:
    ix = str(tmp_path / "ix")
    _run("index", str(folder), "--index", ix)
    data = _last_json(
        _run("index", str(CORPUS), "--rebuild", "--index", ix, "--format", "json").stdout
    )
    assert (data["added"], data["articles"]) == (1, 1)


def test_stats_json(folder: Path, tmp_path: Path) -> None:
    ix = str(tmp_path / "ix")
    _run("index", str(folder), "--index", ix)
    result = _run("stats", "--index", ix, "--format", "json")
    data = _last_json(result.stdout)
    assert set(data) == STATS_KEYS
    assert (data["articles"], data["quotes"]) == (3, 3)
    assert "articles: 3" in _run("stats", "--index", ix).stdout


def test_optimize_reports_segments(folder: Path, tmp_path: Path) -> None:
    ix = str(tmp_path / "ix")
    for file in sorted(folder.iterdir()):
        _run("add", str(file), "--index", ix)
    result = _run("optimize", "--index", ix)
    assert result.exit_code == 0 and "merged into 1" in result.stdout
    assert _last_json(_run("stats", "--index", ix, "--format", "json").stdout)["quotes"] == 3


def test_other_schema_version_is_one_line_saying_rebuild(folder: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    _run("index", str(folder), "--index", str(ix))
    (ix / META_FILE).write_text(json.dumps({"schema_version": 0}))
    for args in (["stats"], ["search", "budget"], ["index", str(folder)], ["optimize"]):
        result = _run(*args, "--index", str(ix))
        assert result.exit_code == 2, args
        assert "--rebuild" in result.stderr and result.stderr.count("\n") == 1
        assert "Traceback" not in result.output
    assert _run("index", str(folder), "--rebuild", "--index", str(ix)).exit_code == 0
    assert _run("stats", "--index", str(ix)).exit_code == 0


def test_stats_without_index_says_how_to_build(tmp_path: Path) -> None:
    result = _run("stats", "--index", str(tmp_path / "none"))
    assert result.exit_code == 2 and "statement-search index" in result.stderr


def test_progress_bar_draws_only_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    piped, tty = io.StringIO(), Tty()
    for stream in (piped, tty):
        bar = ProgressBar(stream)
        bar(Progress(files_done=5, files_total=5, quotes=12, elapsed=1.0))
        bar.close()
    assert piped.getvalue() == ""
    assert "5/5 files" in tty.getvalue() and "12 quotes" in tty.getvalue()


def test_progress_render_has_rate_and_eta() -> None:
    line = render(Progress(files_done=50, files_total=150, quotes=1234, elapsed=10.0))
    assert "50/150 files" in line and "1,234 quotes" in line
    assert "5/s" in line and "ETA 0:20" in line


def test_a_second_first_run_opens_the_index_the_first_one_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statement_search import QuoteIndex
    from statement_search.cli import index_cmd

    count = QuoteIndex.build(tmp_path / "ix", [CORPUS]).count()
    # The second run looked before the first took the lock and saw no index yet.
    real = QuoteIndex.exists.__func__  # type: ignore[attr-defined]
    calls: list[str] = []

    def exists_late(cls: type[QuoteIndex], path: str | Path) -> bool:
        calls.append(str(path))
        return len(calls) > 1 and bool(real(cls, path))

    monkeypatch.setattr(QuoteIndex, "exists", classmethod(exists_late))
    second = index_cmd._open_or_create(str(tmp_path / "ix"), False, None)
    assert len(calls) >= 2 and second.count() == count


def test_remove_command(tmp_path: Path) -> None:
    runner = CliRunner()
    index = str(tmp_path / "ix")
    assert runner.invoke(main, ["index", str(CORPUS), "--index", index]).exit_code in (0, 1)
    result = runner.invoke(main, ["remove", str(CORPUS), "--index", index, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["removed"] >= 1 and (data["articles"], data["quotes"]) == (0, 0)
    result = runner.invoke(main, ["remove", str(CORPUS), "--index", index])
    assert result.exit_code == 1 and "nothing indexed under" in result.stderr
    result = runner.invoke(main, ["speakers", "--index", index])
    assert result.exit_code == 1 and "no speakers found" in result.stderr


def test_bad_files_are_skipped_by_name_and_the_rest_indexed(tmp_path: Path) -> None:
    """Each of these once ended the whole run with "internal error" and exit 2."""
    import os

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Good\n\nAnn Lee said “we will build the bridge this year”.\n")
    (corpus / "surrogate.json").write_text(
        '{"text": "Bob Stone said \\"it is \\ud800 done now\\"."}'
    )
    (corpus / "bignum.json").write_text('{"text": "x", "date": ' + "9" * 5000 + "}")
    (corpus / "list.json").write_text(
        '[{"text": "Cy Dee said \\"one two three four\\"."}, {"title": "no text"}]'
    )
    with open(os.path.join(os.fsencode(corpus), b"bad\xffname.txt"), "wb") as handle:
        handle.write(b"Bad\n\nx")
    result = CliRunner().invoke(
        main, ["index", str(corpus), "--index", str(tmp_path / "ix"), "--format", "json"]
    )
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    skipped = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert len(skipped) == 3
    assert any("bignum.json: unreadable JSON value" in line for line in skipped)
    assert any("list.json[1]:" in line for line in skipped)
    assert any("bad\\xffname.txt: file name is not UTF-8" in line for line in skipped)
    summary = json.loads(result.stdout)
    assert summary["articles"] == 3 and summary["skipped"] == 3

"""The Whoosh fast path's switch: chosen only on a tested whoosh-reloaded without the forced
fallback; the fallback never imports a fast-path module; either side reads what the other wrote."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import statement_search
from statement_search import QuoteIndex
from statement_search.engines.whoosh import fast_path
from statement_search.engines.whoosh.fast_path import FALLBACK_ENV, PRIVATE_NAMES

from .conftest import CORPUS, FIXTURES

WHOOSH_DIR = Path(fast_path.__file__).parent
PACKAGE = Path(statement_search.__file__).parent
# Modules only the fast path imports: those naming private Whoosh names, and their helpers
# (`pool_runs` is, without Whoosh: the fallback removes the run files a killed writer left).
FAST_MODULES = set(PRIVATE_NAMES) | {"posting_pool", "field_lengths"}


@pytest.fixture
def tested(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path on: no forced fallback, and a tested version installed."""
    monkeypatch.delenv(FALLBACK_ENV, raising=False)
    monkeypatch.setattr(fast_path, "installed_whoosh", lambda: "2.7.5")


def test_an_untested_version_falls_back_and_says_so_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(FALLBACK_ENV, raising=False)
    monkeypatch.setattr(fast_path, "_warned", [])
    monkeypatch.setattr(fast_path, "installed_whoosh", lambda: "2.8.1")
    assert fast_path.fast_path_enabled() is False
    assert fast_path.fast_path_enabled() is False
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and "whoosh-reloaded 2.8.1" in lines[0]


@pytest.mark.usefixtures("tested")
def test_a_tested_version_runs_the_fast_path_unless_the_fallback_is_forced(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert fast_path.fast_path_enabled() is True
    monkeypatch.setenv(FALLBACK_ENV, "1")
    assert fast_path.fast_path_enabled() is False
    monkeypatch.setenv(FALLBACK_ENV, "0")
    assert fast_path.fast_path_enabled() is True
    assert capsys.readouterr().err == ""  # a forced fallback is not news


def test_each_switch_point_takes_whooshs_own_side_under_the_fallback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from whoosh import query as wq
    from whoosh.writing import MERGE_SMALL, SegmentWriter

    from statement_search.engines.whoosh.optional_boost import LazyAndMaybe
    from statement_search.engines.whoosh.segment_merge import keep_segments, merge_tiers
    from statement_search.engines.whoosh.segment_writer import QuoteSegmentWriter

    ix = QuoteIndex.create(tmp_path / "ix")
    required, optional = wq.Term("text", "peac"), wq.Term("title", "peac")
    sides: dict[bool, list[Any]] = {}
    for forced in (False, True):
        monkeypatch.setattr(fast_path, "installed_whoosh", lambda: "2.7.5")
        if forced:
            monkeypatch.setenv(FALLBACK_ENV, "1")
        else:
            monkeypatch.delenv(FALLBACK_ENV, raising=False)
        writer = fast_path.open_writer(ix.engine.sync_target().ix)
        sides[forced] = [
            type(writer),
            fast_path.merge_policy(),
            fast_path.merge_policy(separate=True),
            type(fast_path.title_boost(required, optional)),
            fast_path.analyze_ahead(),
            fast_path.merge_helpers(10**9),
            fast_path.tiers_to_merge(ix.engine.sync_target().ix),
        ]
        writer.cancel()
    assert sides[False] == [
        QuoteSegmentWriter, merge_tiers, keep_segments, LazyAndMaybe, True, True, False
    ]  # fmt: skip
    assert sides[True] == [
        SegmentWriter, MERGE_SMALL, MERGE_SMALL, wq.AndMaybe, False, False, False
    ]  # fmt: skip


def _small_corpus(folder: Path, part: int) -> Path:
    """The repo's seed article and the quote fixtures (written for the tests), in two parts."""
    folder.mkdir(parents=True, exist_ok=True)
    files = sorted(CORPUS.glob("*.txt")) + sorted((FIXTURES / "quotes").glob("*.txt"))
    for file in files[part::2]:
        shutil.copy(file, folder / file.name)
    return folder


def _queries(ix: QuoteIndex) -> list[tuple[str, dict[str, Any]]]:
    """Queries made from the index's own quotes: words, OR, a phrase, a prefix, a NOT,
    filtered by speaker and by date, sorted by date."""
    quotes = [q for q in ix.quotes() if len(re.findall(r"[A-Za-z]{5,}", q.text)) >= 3][:6]
    assert quotes, "the corpus gives quotes to ask about"
    asked: list[tuple[str, dict[str, Any]]] = []
    for quote in quotes:
        first, second, third = re.findall(r"[A-Za-z]{5,}", quote.text)[:3]
        pair = re.search(r"\b([A-Za-z]{3,}) ([A-Za-z]{3,})\b", quote.text)
        asked += [
            (first, {}),
            (f"{first} {second}", {}),
            (f"{first} OR {third}", {}),
            (f"{first[:4].lower()}*", {}),
            (f"{second} NOT {third}", {}),
            (f'"{pair.group(0)}"' if pair else first, {}),
            (f"{first} OR {second}", {"speaker": quote.speaker} if quote.speaker else {}),
            (f"{first} OR {second}", {"since": quote.date} if quote.date else {}),
            (second, {"sort": "-date"}),
        ]
    return asked


def _answers(path: Path, queries: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    with QuoteIndex.open(path) as ix:
        found: list[Any] = []
        for text, options in queries:
            hits = ix.search(text, limit=1000, **options)
            rows = sorted((h.quote.id, h.quote.speaker, h.score, h.highlights) for h in hits)
            found.append((text, options, rows, ix.total(text), ix.speakers(text)))
        return found


def _field_totals(path: Path) -> dict[str, int]:
    with QuoteIndex.open(path) as ix:
        reader = ix.engine.searcher().reader()
        return {name: reader.field_length(name) for name in ("text", "exact", "around", "title")}


def _same(left: list[Any], right: list[Any], relative: float = 0.0) -> None:
    """The same hits, speakers, highlights, totals and facets; scores within 1e-6 (or
    within `relative` of each other)."""
    assert len(left) == len(right)
    for (text, options, rows, total, speakers), other in zip(left, right, strict=True):
        assert other[:2] == (text, options)
        assert [r[:2] for r in rows] == [r[:2] for r in other[2]], text
        assert [r[3] for r in rows] == [r[3] for r in other[2]], text  # the highlights
        for (_, _, score, _), (_, _, theirs, _) in zip(rows, other[2], strict=True):
            assert score == pytest.approx(theirs, abs=1e-6, rel=relative), text
        assert (total, speakers) == other[3:], text


def _side(monkeypatch: pytest.MonkeyPatch, fallback: bool) -> None:
    if fallback:
        monkeypatch.setenv(FALLBACK_ENV, "1")
    else:
        monkeypatch.delenv(FALLBACK_ENV, raising=False)
        monkeypatch.setattr(fast_path, "installed_whoosh", lambda: "2.7.5")


def test_either_side_searches_what_either_wrote_with_the_same_answers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """One index read by both sides: the same answers (scores within 1e-6).  Two indexes of
    the same quotes, written by different sides: the same answers too, and the same scores
    while their field-length totals agree; once Whoosh's writer has merged segments its totals
    are sums of one-byte length approximations (`segment_writer.py`), so BM25 scores may
    differ, by less than the totals do (1.6% and 0.5% here), never the hits."""
    first, second = _small_corpus(tmp_path / "c1", 0), _small_corpus(tmp_path / "c2", 1)
    built: dict[bool, Path] = {}
    for fallback in (False, True):
        _side(monkeypatch, fallback)
        built[fallback] = tmp_path / f"ix-{fallback}"
        with QuoteIndex.create(built[fallback]) as ix:
            ix.sync([first], batch_articles=3, workers=0)
    _side(monkeypatch, False)
    with QuoteIndex.open(built[False]) as ix:
        queries = _queries(ix)

    def every_way() -> None:
        answers: dict[tuple[bool, bool], list[Any]] = {}
        for fallback in (False, True):
            _side(monkeypatch, fallback)
            for written, path in built.items():
                answers[written, fallback] = _answers(path, queries)
        assert any(rows for _, _, rows, _, _ in answers[False, False])
        for written in built:  # one index, read by each side
            _same(answers[written, False], answers[written, True])
        # A BM25 score moves by less than its field's average length does.
        ours, whooshs = _field_totals(built[False]), _field_totals(built[True])
        drift = max(abs(ours[f] - whooshs[f]) / max(ours[f], whooshs[f], 1) for f in ours)
        _same(answers[False, False], answers[True, False], relative=drift)

    every_way()
    assert _field_totals(built[False]) == _field_totals(built[True])
    # Each index grows by the other side's writer, merges included: one format on disk.
    for fallback, path in built.items():
        _side(monkeypatch, not fallback)
        with QuoteIndex.open(path) as ix:
            ix.sync([first, second], batch_articles=3, workers=0)
    every_way()
    for fallback, path in built.items():
        _side(monkeypatch, not fallback)
        with QuoteIndex.open(path) as ix:
            ix.optimize()
    every_way()


def test_the_fallback_imports_no_fast_path_module(tmp_path: Path) -> None:
    """A whole run (build, search, page totals, facets, optimize) under the forced fallback
    never imports a module that names a private Whoosh name, nor patches Whoosh's files."""
    corpus = _small_corpus(tmp_path / "corpus", 0)
    script = f"""
import sys
from whoosh.filedb.structfile import BufferFile
from statement_search import QuoteIndex
ix = QuoteIndex.build({str(tmp_path / "ix")!r}, [{str(corpus)!r}])
word = max(next(iter(ix.quotes())).text.split(), key=len).strip(".,;:!?\\"'")
assert ix.search(word), word
ix.search_page(word, speaker="nobody")
ix.facets(word)
ix.optimize()
prefix = "statement_search.engines.whoosh."
print(sorted(m[len(prefix):] for m in sys.modules if m.startswith(prefix)))
print(BufferFile.__init__.__module__)
"""
    env = {**os.environ, FALLBACK_ENV: "1"}
    run = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    modules, patched = run.stdout.splitlines()[-2:]
    assert FAST_MODULES.isdisjoint(ast.literal_eval(modules))
    assert patched == "whoosh.filedb.structfile"


@cache
def _whoosh_private_names() -> frozenset[str]:
    """Private names Whoosh's sources define (read once a run)."""
    import whoosh

    found: set[str] = set()
    for path in Path(whoosh.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8", errors="replace")
        found |= set(re.findall(r"def (_[a-z]\w*)", text))
        found |= set(re.findall(r"\.(_[a-z]\w*)\s*=[^=]", text))
        found |= set(re.findall(r"^\s*(_[a-z]\w*)\s*=[^=]", text, flags=re.M))
        found |= set(re.findall(r"\"(_[a-z]+)\"", text))  # column names ("_stored")
    return frozenset(found)


def test_the_private_names_list_is_true_of_the_code_and_the_installed_whoosh() -> None:
    whoosh_names = _whoosh_private_names()
    for module, names in PRIVATE_NAMES.items():
        source = (WHOOSH_DIR / f"{module}.py").read_text(encoding="utf-8")
        for name in names:
            assert re.search(rf"\b{name}\b", source), f"{module} no longer uses {name}"
            assert name in whoosh_names, f"whoosh no longer has {name} ({module})"


# Our own methods whose names happen to be ones Whoosh also uses.
_OURS = {"_filter_cache"}


def test_no_private_whoosh_name_is_read_outside_the_listed_modules() -> None:
    """`x._name` (x not self) for a name Whoosh defines: only in the fast path's modules,
    and listed there; nowhere outside engines/whoosh/."""
    whoosh_names = _whoosh_private_names() - _OURS
    unlisted: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.stem if path.parent == WHOOSH_DIR else str(path.relative_to(PACKAGE))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Attribute) and node.attr in whoosh_names):
                continue
            if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                continue
            if node.attr not in PRIVATE_NAMES.get(module, ()):
                unlisted.setdefault(module, set()).add(node.attr)
    assert unlisted == {}

"""The tantivy index's own life cycle: a create cut short by a kill (#20).

Skips when tantivy is not installed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from statement_search import QuoteIndex
from statement_search.cli import main, run
from statement_search.engines import tantivy_available
from statement_search.errors import IndexExistsError, IndexStorageError
from statement_search.search.request import SearchRequest

from .conftest import ROOT
from .search_corpus import make_quotes

pytestmark = pytest.mark.skipif(not tantivy_available(), reason="tantivy is not installed")


class _Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no handler catches it."""


def test_a_create_killed_half_way_is_created_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statement_search.engines import index as engines_index

    def killed(_path: Path) -> None:
        raise _Killed

    # Killed after the engine's folder is made, before its manifest.
    with monkeypatch.context() as patch:
        patch.setattr(engines_index, "Manifest", killed)
        with pytest.raises(_Killed):
            QuoteIndex.create(tmp_path / "ix", engine="tantivy")

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        'Budget talks\n\n"We will not raise taxes this year," Mayor Ann Lee said.\n',
        encoding="utf-8",
    )
    args = ["index", str(corpus), "--index", str(tmp_path / "ix"), "--engine", "tantivy"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output  # not refused as someone else's files
    with QuoteIndex.open(tmp_path / "ix") as ix:
        assert [q.speaker for q in ix.quotes()] == ["Ann Lee"]


def test_a_rollback_removes_the_files_of_a_failed_commit(tmp_path: Path) -> None:
    """A commit the disk filled part-way leaves segment files tantivy made but no commit
    names; the rollback that follows the error removes them (#20)."""
    from statement_search.engines.tantivy.engine import TantivyEngine

    folder = tmp_path / "tantivy"
    engine = TantivyEngine.create(folder)
    quotes = make_quotes()
    engine.add_quotes(quotes[:5])
    engine.commit()
    committed = (folder / "meta.json").read_bytes()
    before = sorted(p.name for p in folder.iterdir())
    engine.add_quotes(quotes[5:])
    engine.commit()
    # The same files on disk as after a commit that wrote its segment and then failed:
    # tantivy's file list has the new segment, meta.json does not.
    (folder / "meta.json").write_bytes(committed)
    assert sorted(p.name for p in folder.iterdir()) != before

    engine = TantivyEngine.open(folder)
    engine.add_quotes(quotes[5:6])
    engine.rollback()
    assert sorted(p.name for p in folder.iterdir()) == before
    assert engine.stats().quotes == 5


def test_a_commit_of_another_process_is_seen_at_once(tmp_path: Path) -> None:
    """Two first `index` runs at once: the one that finds the other's index opened it
    before its commit, and reported 0 quotes; counts and searches see the last commit."""
    from statement_search.engines.tantivy.engine import TantivyEngine

    folder = tmp_path / "tantivy"
    TantivyEngine.create(folder)
    reader, writer = TantivyEngine.open(folder), TantivyEngine.open(folder)
    assert reader.stats().quotes == 0
    writer.add_quotes(make_quotes())
    writer.commit()
    assert reader.stats().quotes == len(make_quotes())


@pytest.mark.parametrize("marker", ["garbage", '{"engine": "elastic"}', "[]"])
def test_an_index_whose_marker_is_damaged_is_never_wiped(
    tmp_path: Path, marker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tantivy index with an unreadable marker was taken for no index: `index` and the
    default index's first `search` made a new one over it, deleting every quote (#20)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text('Talks\n\n"We will talk," Ann Lee said.\n', encoding="utf-8")
    index = tmp_path / "index"  # the default one, which a first `search` would build
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STATEMENT_SEARCH_INDEX")
    assert CliRunner().invoke(main, ["index", str(corpus), "--index", str(index), "--engine",
                                     "tantivy"]).exit_code == 0  # fmt: skip
    (index / "statement-search.json").write_text(marker, encoding="utf-8")
    files = sorted(p.name for p in (index / "tantivy").iterdir())

    assert QuoteIndex.exists(index)
    with pytest.raises(IndexStorageError, match="statement-search.json is damaged"):
        QuoteIndex.open(index)
    with pytest.raises(IndexExistsError, match="--rebuild"):
        QuoteIndex.create(index, engine="tantivy")
    for args in (["index", str(corpus), "--index", str(index)], ["search", "talk"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2 and "is damaged" in result.output
    assert sorted(p.name for p in (index / "tantivy").iterdir()) == files
    QuoteIndex.create(index, overwrite=True, engine="tantivy")  # --rebuild still can


def _damaged(tmp_path: Path, suffix: str, damage: Callable[[bytes], bytes]) -> Path:
    index = tmp_path / "ix"
    result = CliRunner().invoke(
        main, ["index", str(ROOT / "corpus"), "--index", str(index), "--engine", "tantivy"]
    )
    assert result.exit_code == 0, result.output
    for f in (index / "tantivy").glob(f"*.{suffix}"):
        f.write_bytes(damage(f.read_bytes()))
    return index


def _flip(data: bytes) -> bytes:
    out = bytearray(data)
    for i in range(16, len(out) - 16, 7):
        out[i] ^= 0x5A
    return bytes(out)


@pytest.mark.parametrize(
    ("suffix", "damage"), [("store", lambda b: b[:100]), ("term", _flip), ("idx", _flip)]
)
def test_a_damaged_tantivy_index_is_named_in_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    suffix: str,
    damage: Callable[[bytes], bytes],
) -> None:
    """Damaged files gave "internal error: ValueError: Data corrupted …", and tantivy's
    panics (a BaseException) a traceback (#20)."""
    index = _damaged(tmp_path, suffix, damage)
    monkeypatch.delenv("STATEMENT_SEARCH_DEBUG", raising=False)
    for query in ("peace", "peace OR war OR sanc*"):
        monkeypatch.setattr(
            sys, "argv", ["statement-search", "search", query, "--index", str(index)]
        )
        with pytest.raises(SystemExit) as exit_:
            run()
        err = capsys.readouterr().err.strip().splitlines()
        assert exit_.value.code in (0, 1, 2)
        if exit_.value.code == 2:
            assert "the index is damaged" in err[-1] and "internal error" not in err[-1]
            if "PanicException" not in err[-1]:  # tantivy named the file it could not read
                [part] = (index / "tantivy").glob(f"*.{suffix}")
                assert err[-1].startswith(f"statement-search: error: {part}: "), err[-1]
        assert "Traceback" not in "\n".join(err)


def test_a_rebuild_keeps_the_engine_unless_told(tmp_path: Path) -> None:
    """`index --rebuild` made a tantivy index a Whoosh one, silently (#20)."""
    from statement_search.engines.tantivy.index import engine_of

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text('Talks\n\n"We will talk," Ann Lee said.\n', encoding="utf-8")
    index = tmp_path / "ix"
    base = ["index", str(corpus), "--index", str(index)]
    steps = [
        (["--engine", "tantivy"], "tantivy"),
        (["--rebuild"], "tantivy"),
        (["--rebuild", "--engine", "whoosh"], "whoosh"),
        (["--rebuild"], "whoosh"),
    ]
    for extra, engine in steps:
        result = CliRunner().invoke(main, [*base, *extra])
        assert result.exit_code == 0, result.output
        assert engine_of(index) == engine


def test_a_reader_goes_on_while_another_process_rebuilds(tmp_path: Path) -> None:
    """A rebuild removes the engine's folder before making it again: a reader in between
    keeps its last searcher instead of failing on the missing meta.json (#20)."""
    import shutil

    from statement_search.engines.tantivy.engine import TantivyEngine

    folder = tmp_path / "tantivy"
    engine = TantivyEngine.create(folder)
    engine.add_quotes(make_quotes())
    engine.commit()
    shutil.rmtree(folder)
    assert engine.stats().quotes == len(make_quotes())


_WHOOSH_FREE = """
import sys
from pathlib import Path

from statement_search import QuoteIndex

where = Path(sys.argv[1])
if sys.argv[2] == "sync":
    ix = QuoteIndex.create(where / "ix", engine="tantivy")
    report = ix.sync([where / "corpus"], workers=0)
    assert report.quotes == 1, report
else:
    ix = QuoteIndex.open(where / "ix")
    assert [hit.quote.speaker for hit in ix.search("grain")] == ["Maria Lopez"]
    ix.search("x")
loaded = [
    name
    for name in sys.modules
    if name.split(".")[0] == "whoosh" or name.startswith("statement_search.engines.whoosh.")
]
print(sorted(loaded))
"""


@pytest.mark.parametrize("run_", ["sync", "search"])
def test_a_tantivy_index_is_written_and_searched_without_whoosh(tmp_path: Path, run_: str) -> None:
    """Neither Whoosh nor the Whoosh engine's modules are imported by a tantivy run (the
    version check, `engines/whoosh/version.py`, is the package's one module it may load)."""
    import subprocess

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "grain.txt").write_text(
        "Grain deal\n\n"
        '"We will keep the grain corridor open," said Maria Lopez, the trade minister.\n',
        encoding="utf-8",
    )
    runs = ["sync", "search"] if run_ == "search" else ["sync"]
    for step in runs:
        done = subprocess.run(
            [sys.executable, "-c", _WHOOSH_FREE, str(tmp_path), step],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "['statement_search.engines.whoosh.version']", step


def test_a_tantivy_too_old_for_the_engine_is_a_one_line_install_hint(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """tantivy before 0.27 has no fast-field read by document: an index of that engine
    says which version to install instead of failing mid-search."""
    import types

    from statement_search.engines import index as index_module
    from statement_search.errors import InputError

    old = types.ModuleType("tantivy")
    old.Searcher = type("Searcher", (), {})  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tantivy", old)
    for name in [m for m in sys.modules if m.startswith("statement_search.engines.tantivy")]:
        monkeypatch.delitem(sys.modules, name)
    assert not tantivy_available()
    with pytest.raises(InputError, match=r"tantivy 0\.27 or later.*pip install -U"):
        index_module.engine_class("tantivy")


def test_prepared_documents_file_what_a_sync_stores(tmp_path: Path) -> None:
    """The workers' documents (`prepared_documents`, pickled as they cross to the writing
    process) give the index `add_quotes` makes of the quotes as their stored document
    gives them back: the same stored bytes, the same hits and scores."""
    import dataclasses
    import pickle

    import tantivy

    from statement_search.engines.documents import document_to_quote, quote_to_document
    from statement_search.engines.tantivy.engine import TantivyEngine
    from statement_search.engines.tantivy.writer import EngineWriter, prepared_documents

    quotes = make_quotes()
    quotes[0] = dataclasses.replace(quotes[0], confidence=0.934, source="", topics=())
    quotes[1] = dataclasses.replace(quotes[1], speaker="", speaker_type=None, title="")
    kept = [document_to_quote(quote_to_document(q, "h")) for q in quotes]
    assert kept[0].confidence == 0.93 and kept[0].source is None and kept[1].speaker is None

    direct = TantivyEngine.create(tmp_path / "direct")
    direct.add_quotes(kept, "h")
    direct.commit()
    prepared = TantivyEngine.create(tmp_path / "prepared")
    made = pickle.loads(pickle.dumps(prepared_documents(quotes, "h")))
    assert all(isinstance(fields, dict) for fields in made)
    EngineWriter(prepared).add_documents(made, "h")
    prepared.commit()

    def stored(engine: TantivyEngine) -> list[bytes]:
        searcher = engine.searcher()
        found = searcher.search(tantivy.Query.all_query(), limit=100).hits
        return sorted(bytes(searcher.doc(address)["doc"][0]) for _, address in found)

    assert stored(prepared) == stored(direct)
    assert len(stored(direct)) == len(quotes)
    assert sorted(prepared.quotes(), key=lambda q: q.id) == sorted(kept, key=lambda q: q.id)
    for words in ("sanctions", "peace talks", '"energy"'):
        request = SearchRequest.make(words, time_limit=None)
        hits = [(h.quote.id, h.score) for h in prepared.search(request)]
        assert hits and hits == [(h.quote.id, h.score) for h in direct.search(request)]

"""`statement-search index` and `search` through click's CliRunner."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from statement_search.cli import main

from .conftest import CORPUS


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_first_search_builds_the_default_index_and_says_so(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STATEMENT_SEARCH_INDEX", raising=False)
    result = runner.invoke(main, ["search", "peace"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "index").is_dir()
    assert "building it from" in result.stderr
    assert "Aleksandr Lukashenko" in result.stdout
    assert "**peace**" in result.stdout  # visible markers when not on a terminal


def test_no_color_prints_no_markers(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(main, ["index", str(CORPUS), "--index", str(tmp_path / "ix")])
    result = runner.invoke(
        main, ["search", "peace", "--index", str(tmp_path / "ix")], env={"NO_COLOR": "1"}
    )
    assert result.exit_code == 0
    assert "**" not in result.stdout and "\x1b[" not in result.stdout


def test_json_output_has_the_hit_contract(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(main, ["index", str(CORPUS), "--index", str(tmp_path / "ix")])
    result = runner.invoke(
        main, ["search", "peace process", "--index", str(tmp_path / "ix"), "--format", "json"]
    )
    assert result.exit_code == 0
    envelope = json.loads(result.stdout)
    hits = envelope["hits"]
    assert hits and envelope["offset"] == 0 and envelope["limit"] == 10
    assert envelope["total"] >= len(hits)
    for hit in hits:
        assert {"id", "quote", "speaker", "topics", "title", "date", "score", "highlights"} <= set(
            hit
        )
        assert hit["speaker"]
        for fragment in hit["highlights"]:
            for start, end in fragment["matches"]:
                assert fragment["text"][start:end]


def test_no_hits_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(main, ["index", str(CORPUS), "--index", str(tmp_path / "ix")])
    result = runner.invoke(main, ["search", "xylophone", "--index", str(tmp_path / "ix")])
    assert result.exit_code == 1


def test_bad_query_is_one_line_and_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(main, ["index", str(CORPUS), "--index", str(tmp_path / "ix")])
    result = runner.invoke(main, ["search", "  ", "--index", str(tmp_path / "ix")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


def test_index_command_summarises(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["index", str(CORPUS), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0
    assert "indexed 1 articles" in result.stdout


def test_index_missing_path_names_it(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["index", str(tmp_path / "gone.txt"), "--index", str(tmp_path / "ix")]
    )
    assert result.exit_code == 2
    assert "gone.txt" in result.stderr


# -- filters, formats, facets, did-you-mean on a hand-written index -------------


@pytest.fixture(scope="module")
def hand_index(tmp_path_factory: pytest.TempPathFactory) -> str:
    from .search_corpus import build_index

    path = tmp_path_factory.mktemp("cli") / "index"
    build_index(path).close()
    return str(path)


def run(hand_index: str, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, [*args, "--index", hand_index], env=env)


def test_filters_and_paging_options(hand_index: str) -> None:
    result = run(
        hand_index, "search", "*", "--speaker", "Lukashenka", "--since", "2024", "--format", "jsonl"
    )
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a1-0", "a1-1"]
    result = run(
        hand_index,
        "search",
        "--topic",
        "economy and trade",
        "--sort",
        "date",
        "--limit",
        "1",
        "--offset",
        "1",
        "--format",
        "json",
    )
    assert [hit["id"] for hit in json.loads(result.stdout)["hits"]] == ["a1-0"]


def test_multiword_query_without_quotes(hand_index: str) -> None:
    result = run(hand_index, "search", "refused", "negotiate", "--format", "json")
    assert [hit["id"] for hit in json.loads(result.stdout)["hits"]] == ["a1-2"]


def test_json_hit_carries_every_quote_field_with_iso_dates(hand_index: str) -> None:
    result = run(hand_index, "search", "harvest OR gas", "--format", "json")
    hits = {hit["id"]: hit for hit in json.loads(result.stdout)["hits"]}
    assert set(hits["a2-0"]) == {
        "id",
        "quote",
        "article_id",
        "position",
        "start",
        "end",
        "speaker",
        "speaker_as_written",
        "attribution",
        "kind",
        "context",
        "speaker_type",
        "confidence",
        "topics",
        "title",
        "date",
        "source",
        "url",
        "path",
        "line",
        "score",
        "highlights",
        "also_in",
    }
    assert hits["a2-0"]["date"] == "2023-06-01" and hits["a5-0"]["date"] is None
    assert hits["a2-0"]["highlights"] == [{"text": hits["a2-0"]["quote"], "matches": [[0, 3]]}]


def test_csv_has_a_header_and_a_row_per_hit(hand_index: str) -> None:
    import csv
    import io

    result = run(hand_index, "search", "sanctions", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["id"] for row in rows] == ["a2-1", "a1-0"]
    assert rows[0]["topics"] == "sanctions; energy"
    assert json.loads(rows[0]["highlights"])[0]["matches"] == [[0, 9]]


def test_did_you_mean_in_text_and_json(hand_index: str) -> None:
    result = run(hand_index, "search", "sanctons")
    assert result.exit_code == 1
    assert "did you mean: sanctions" in result.stderr
    result = run(hand_index, "search", "sanctons", "--format", "json")
    assert json.loads(result.stdout) == {"total": 0, "offset": 0, "limit": 10, "hits": []}
    assert json.loads(result.stderr.splitlines()[-1]) == {"suggestion": "sanctions", "speakers": []}


def test_facets_in_text_and_as_a_json_envelope(hand_index: str) -> None:
    result = run(hand_index, "search", "peace", "--facets")
    assert "speakers: Aleksandr Lukashenko (1), Volodymyr Zelenskyy (1)" in result.stdout
    assert "years: 2025 (1), 2024 (1)" in result.stdout
    result = run(hand_index, "search", "peace", "--facets", "--format", "json")
    envelope = json.loads(result.stdout)
    assert [h["id"] for h in envelope["hits"]] == ["a3-0", "a1-1"]
    assert envelope["facets"]["topics"] == [{"topic": "peace and negotiations", "count": 2}]
    assert envelope["suggestion"] is None
    assert run(hand_index, "search", "peace", "--facets", "--format", "csv").exit_code == 2


def test_markers_when_piped_bold_never_with_no_color(hand_index: str) -> None:
    assert "**sanctions**" in run(hand_index, "search", "sanctions").stdout.lower()
    plain = run(hand_index, "search", "sanctions", env={"NO_COLOR": "1"}).stdout
    assert "**" not in plain and "\x1b" not in plain


@pytest.mark.parametrize(
    "args",
    [
        ("search", "peace", "--since", "April"),
        ("search", "peace", "--since", "2025", "--until", "2024"),
        ("search", "peace", "--topic", "knitting"),
        ("search", "peace", "--sort", "loudest"),
        ("search", "peace", "--limit", "0"),
        ("search",),
        ("show", "no-such-id"),
        ("similar", "no-such-id"),
    ],
)
def test_bad_options_exit_2_with_one_line(hand_index: str, args: tuple[str, ...]) -> None:
    result = run(hand_index, *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert (
        len([line for line in result.stderr.splitlines() if line.strip()]) <= 3
    )  # click usage lines at most


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    import dataclasses

    from statement_search import QuoteIndex
    from statement_search.engines.whoosh.schema import quote_to_document

    from .search_corpus import make_quotes

    ix = QuoteIndex.create(tmp_path / "ix")
    evil = dataclasses.replace(
        make_quotes()[0], speaker="Evil\x1b[31m Person", text="peace \x1b]0;pwned\x07 now"
    )
    writer = ix.engine._ix.writer()
    writer.add_document(**quote_to_document(evil))
    writer.commit()
    result = CliRunner().invoke(main, ["search", "peace", "--index", str(tmp_path / "ix")])
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_time_limit_and_narrowing_notices(runner: CliRunner, tmp_path: Path) -> None:
    index = str(tmp_path / "ix")
    assert runner.invoke(main, ["index", str(CORPUS), "--index", index]).exit_code in (0, 1)
    result = runner.invoke(main, ["search", "peace~3", "--index", index])
    assert "note: peac~3: edit distance narrowed to 1" in result.stderr
    for bad in ("nan", "inf", "-1"):
        result = runner.invoke(main, ["search", "peace", "--index", index, "--time-limit", bad])
        assert result.exit_code == 2 and "finite number of seconds" in result.output
        result = runner.invoke(main, ["index", "--index", index, "--lock-timeout", bad])
        assert result.exit_code == 2 and "finite number of seconds" in result.output
    result = runner.invoke(main, ["search", "x" * 3000, "--index", index])
    assert result.exit_code == 2 and "at most 2,000" in result.stderr


def test_a_named_index_is_never_built_from_the_demo_corpus(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["search", "peace", "--index", str(tmp_path / "typo")])
    assert result.exit_code == 2 and "no index at" in result.stderr
    assert not (tmp_path / "typo").exists()
    result = runner.invoke(main, ["index", "--index", str(tmp_path / "mine")])
    assert result.exit_code == 2 and "no ./corpus here" in result.stderr
    result = runner.invoke(main, ["index", "missing/", "--index", str(tmp_path / "mine")])
    assert result.exit_code == 2 and not (tmp_path / "mine").exists()
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "MAIN_notes.seg").write_text("keep me", encoding="utf-8")
    result = runner.invoke(main, ["index", str(CORPUS), "--index", str(tmp_path / "theirs")])
    assert result.exit_code == 2 and "holds other files" in result.stderr
    assert (tmp_path / "theirs" / "MAIN_notes.seg").read_text(encoding="utf-8") == "keep me"


def _unsure_index(tmp_path: Path) -> str:
    """The hand index plus two quotes by a governor: one by role at 0.6, one by label."""
    import dataclasses

    from .search_corpus import build_index, make_quotes

    base = make_quotes()[0]
    unsure = dataclasses.replace(
        base,
        id="g1-0",
        article_id="g1",
        text="Taxes on harvest equipment will be cut next spring.",
        speaker="Ana Delgado",
        speaker_as_written="the governor",
        attribution="role",
        confidence=0.6,
    )
    labelled = dataclasses.replace(
        unsure,
        id="g1-1",
        position=1,
        text="Harvest equipment is the backbone of our farms.",
        attribution="label",
        confidence=0.95,
    )
    path = tmp_path / "index"
    build_index(path, [unsure, labelled]).close()
    return str(path)


def test_min_confidence_attribution_and_unsure_mark(tmp_path: Path) -> None:
    index = _unsure_index(tmp_path)

    def ids(*args: str) -> list[str]:
        result = run(index, "search", "harvest", *args, "--format", "jsonl")
        assert result.exit_code in (0, 1), result.output
        return sorted(json.loads(line)["id"] for line in result.stdout.splitlines())

    assert ids() == ["a5-0", "g1-0", "g1-1"]
    assert ids("--min-confidence", "0.9") == ["a5-0", "g1-1"]
    assert ids("--attribution", "role") == ["g1-0"]
    assert ids("--attribution", "label,role") == ["g1-0", "g1-1"]
    text = run(index, "search", "harvest", "--speaker", "Ana Delgado", env={"NO_COLOR": "1"})
    assert "Ana Delgado (?)" in text.stdout and text.stdout.count("Ana Delgado") == 2


@pytest.mark.parametrize("name", ["Governor Delgado", "Gov. Delgado", "Delgado", "ana delgado"])
def test_speaker_filter_takes_title_and_surname(tmp_path: Path, name: str) -> None:
    index = _unsure_index(tmp_path)
    result = run(index, "search", "*", "--speaker", name, "--format", "jsonl")
    assert sorted(json.loads(line)["id"] for line in result.stdout.splitlines()) == [
        "g1-0",
        "g1-1",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--min-confidence", "2"), "--min-confidence"),
        (("--attribution", "guess"), "unknown attribution 'guess'"),
    ],
)
def test_bad_confidence_and_attribution_exit_2(
    hand_index: str, args: tuple[str, ...], message: str
) -> None:
    result = run(hand_index, "search", "peace", *args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
def test_a_search_in_a_new_process_loads_no_extraction_rules(
    engine: str, runner: CliRunner, tmp_path: Path
) -> None:
    """The speaker rules' few hundred regexes are half a second of a cold start; a search
    (topics shown, a topic filter) needs the taxonomy, not them."""
    if engine == "tantivy":
        pytest.importorskip("tantivy")
    index = tmp_path / "ix"
    built = runner.invoke(main, ["index", str(CORPUS), "--index", str(index), "--engine", engine])
    assert built.exit_code == 0, built.output
    topic = "peace and negotiations"
    probe = (
        "import sys\n"
        "from statement_search.cli import main\n"
        "try:\n"
        f"    main(['search', 'peace', '--topic', {topic!r}, '--index', {str(index)!r}])\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        "loaded = [m for m in sys.modules if m.startswith('statement_search.extraction.')]\n"
        "print(' '.join(sorted(loaded)))\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = run.stdout.splitlines()[-1].split()
    assert "statement_search.extraction.topics" in loaded  # the search did run
    assert not {"extract", "speakers", "attribution", "lexicon", "names"} & {
        name.rsplit(".", 1)[1] for name in loaded
    }

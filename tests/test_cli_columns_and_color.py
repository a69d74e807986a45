"""`--fields`, CSV for `extract` and `show`, `sources`, and `--color`/FORCE_COLOR."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from statement_search.cli import main

from .conftest import SEED


def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), env=env)


def test_fields_choose_json_and_csv_columns(hand_index: str) -> None:
    result = run(
        "search",
        "sanctions",
        "--fields",
        "id,speaker,date",
        "--format",
        "csv",
        "--index",
        hand_index,
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows == [
        {"id": "a2-1", "speaker": "Vladimir Putin", "date": "2023-06-01"},
        {"id": "a1-0", "speaker": "Aleksandr Lukashenko", "date": "2024-04-12"},
    ]
    data = json.loads(
        run(
            "similar", "a2-1", "--fields", "quote,id", "--format", "json", "--index", hand_index
        ).stdout
    )
    assert list(data[0]) == ["quote", "id"]


def test_an_unknown_field_is_a_one_line_error(hand_index: str) -> None:
    result = run("search", "sanctions", "--fields", "id,colour", "--index", hand_index)
    assert result.exit_code == 2
    assert "--fields: unknown colour; known: id," in result.output


def test_extract_writes_csv_with_chosen_fields() -> None:
    result = run("extract", str(SEED), "--format", "csv", "--fields", "speaker,line,topics")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and set(rows[0]) == {"speaker", "line", "topics"}
    assert rows[0]["speaker"] == "Vladimir Putin" and int(rows[0]["line"]) > 1
    assert not rows[0]["topics"].startswith("(")  # joined with "; ", not a tuple


def test_show_writes_the_quote_and_its_neighbours_as_csv(hand_index: str) -> None:
    result = run("show", "a1-1", "--format", "csv", "--around", "1", "--index", hand_index)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["shown"], r["id"]) for r in rows] == [
        ("quote", "a1-1"),
        ("neighbour", "a1-0"),
        ("neighbour", "a1-2"),
    ]


def test_sources_counts_quotes_per_source(hand_index: str) -> None:
    result = run("sources", "--index", hand_index)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "     4  Reuters",
        "     3  president.gov.by",
        "     2  kremlin.ru",
    ]
    data = json.loads(run("sources", "sanctions", "--format", "json", "--index", hand_index).stdout)
    assert data == [
        {"source": "kremlin.ru", "count": 1},
        {"source": "president.gov.by", "count": 1},
    ]


def test_color_always_never_and_force_color(hand_index: str) -> None:
    bold = "\x1b[1m"
    assert bold in run("--color", "always", "search", "sanctions", "--index", hand_index).stdout
    never = run("--color", "never", "search", "sanctions", "--index", hand_index).stdout
    assert bold not in never and "**" not in never
    forced = run("search", "sanctions", "--index", hand_index, env={"FORCE_COLOR": "1"}).stdout
    assert bold in forced
    both = {"FORCE_COLOR": "1", "NO_COLOR": "1"}
    assert bold not in run("search", "sanctions", "--index", hand_index, env=both).stdout

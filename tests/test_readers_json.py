"""JSON / JSONL reader: objects, lists, turns, bad lines reported and skipped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from statement_search.errors import InputError
from statement_search.readers import read_article, read_articles

FIX = Path(__file__).parent / "fixtures" / "readers"


def test_list_of_articles() -> None:
    first, second = list(read_articles(FIX / "list.json"))
    assert not isinstance(first, InputError) and not isinstance(second, InputError)
    assert first.title == "One" and first.date == dt.date(2024, 4, 11)
    assert first.url == "https://example.org/a"
    assert first.paragraphs == ["First para.", "Second para."]
    assert first.text == "First para.\n\nSecond para."
    assert second.paragraphs == ["Alpha.", "Beta."]
    for article in (first, second):
        for para, off in zip(article.paragraphs, article.paragraph_offsets, strict=True):
            assert article.text[off:][: len(para)] == para


def test_turns_keep_their_speakers_by_paragraph() -> None:
    article = read_article(FIX / "turns.json")
    assert article.paragraphs == ["Good afternoon.", "Thank you.", "A second question."]
    assert article.turn_speakers == {0: "Press Secretary", 1: "Q", 2: "Q"}


def test_malformed_json_names_file_and_line() -> None:
    with pytest.raises(InputError, match=r"malformed.json:3: malformed JSON"):
        read_article(FIX / "malformed.json")


def test_bad_jsonl_lines_are_reported_and_the_rest_read() -> None:
    items = list(read_articles(FIX / "bad_line.jsonl"))
    titles = [i.title for i in items if not isinstance(i, InputError)]
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert titles == ["Good one", "Good two"]
    assert errors[0].startswith(f"{FIX / 'bad_line.jsonl'}:2: malformed JSON")
    assert errors[1].endswith(":4: article has no 'text', 'paragraphs' or 'turns'")


def test_escaped_control_characters_are_removed() -> None:
    article = read_article(FIX / "escape.jsonl")
    assert article.title == "T"
    assert "\x1b" not in article.text and "\x07" not in article.text


def test_bad_date_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text('{"text": "x", "date": "someday"}')
    with pytest.raises(InputError, match="is not a date"):
        read_article(path)


def test_deeply_nested_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputError, match="deep.json"):
        read_article(path)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_lone_surrogate_becomes_a_replacement_character(tmp_path: Path) -> None:
    path = _write(tmp_path, "s.json", '{"title": "T\\ud800", "text": "He said \\"hi \\udfff\\"."}')
    article = read_article(path)
    assert article.title == "T\ufffd" and "hi \ufffd" in article.text
    article.text.encode("utf-8")  # storable and printable


def test_a_huge_number_is_that_file_s_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "n.json", '{"text": "x", "date": ' + "9" * 5000 + "}")
    with pytest.raises(InputError, match=r"n.json: unreadable JSON value"):
        read_article(path)
    lines = _write(tmp_path, "n.jsonl", '{"text": "x", "n": ' + "9" * 5000 + '}\n{"text": "y"}\n')
    first, second = list(read_articles(lines))
    assert isinstance(first, InputError) and "n.jsonl:1" in str(first)
    assert not isinstance(second, InputError) and second.text == "y"


def test_one_bad_record_of_a_list_is_skipped_alone(tmp_path: Path) -> None:
    path = _write(tmp_path, "l.json", '[{"text": "one"}, {"title": "no text"}, 7, {"text": "two"}]')
    items = list(read_articles(path))
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "InputError", "Article"]
    assert "l.json[1]" in str(items[1]) and "l.json[2]" in str(items[2])


def test_values_that_are_not_strings_are_never_text(tmp_path: Path) -> None:
    record = (
        '{"title": null, "paragraphs": ["Real words.", null, {"a": 1}, 3], "source": {"a": 1},'
        ' "url": 5, "language": ["en"]}'
    )
    article = read_article(_write(tmp_path, "v.json", record))
    assert article.paragraphs == ["Real words."]
    assert article.title == "" and article.source is None and article.url is None
    with pytest.raises(InputError, match=r"d.json: date \{'a': 1\}|d.json: date dict"):
        read_article(_write(tmp_path, "d.json", '{"text": "x", "date": {"a": 1}}'))
    assert "None" not in article.text and "{" not in article.text


def test_turn_speakers_are_cleaned_when_stored(tmp_path: Path) -> None:
    record = (
        '{"turns": [{"speaker": "Ann\\u001b[31m Lee\\u202e\\u0007", "text": "Yes."},'
        ' {"speaker": {"a": 1}, "text": "No."}]}'
    )
    article = read_article(_write(tmp_path, "t.json", record))
    assert article.turn_speakers == {0: "Ann Lee", 1: None}

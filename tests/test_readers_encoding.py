"""Encodings: BOMs, legacy Cyrillic/Western encodings detected, binary and huge files refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from statement_search.errors import InputError
from statement_search.readers import MAX_FILE_BYTES, read_article, read_articles
from statement_search.readers.encoding import decode_bytes

FIX = Path(__file__).parent / "fixtures" / "readers"


@pytest.mark.parametrize("name", ["cp1251.txt", "koi8r.txt"])
def test_legacy_cyrillic_is_detected_not_mangled(name: str) -> None:
    article = read_article(FIX / name)
    assert article.title == "Переговоры о мире"
    assert "Президент заявил" in article.text
    assert article.language == "ru"


def test_cp1251_keeps_guillemets_and_dashes() -> None:
    text = read_article(FIX / "cp1251.txt").text
    assert "«Мы готовы к переговорам»" in text
    assert " — " in text


def test_latin1_is_detected() -> None:
    article = read_article(FIX / "latin1.txt")
    assert article.title == "Élection à Genève"
    assert "« Nous sommes prêts à négocier »" in article.text


@pytest.mark.parametrize("name", ["utf16_bom.txt", "utf8_bom.txt"])
def test_bom_files(name: str) -> None:
    article = read_article(FIX / name)
    assert article.title == "Talks in Minsk"
    assert "\ufeff" not in article.text and "\r" not in article.text
    assert "“we will talk”" in article.text


def test_nfc_normalisation() -> None:
    assert decode_bytes("e\u0301te\u0301".encode(), "x") == "été"


def test_binary_file_is_refused() -> None:
    with pytest.raises(InputError, match="binary.txt: binary file"):
        read_article(FIX / "binary.txt")


def test_undecodable_bytes_are_refused_not_guessed() -> None:
    with pytest.raises(InputError, match="x.txt"):
        decode_bytes(bytes(range(128, 256)) * 3 + b"\x01\x02\x03" * 20, "x.txt")


def test_file_over_the_cap_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse-ish: written in chunks, never held whole
        chunk = b"Words in a paragraph that go on.\n\n" * 32768
        while handle.tell() <= MAX_FILE_BYTES:
            handle.write(chunk)
    with pytest.raises(InputError, match=r"big.txt: \d+\.\d MB is over the 5 MB limit"):
        read_article(big)


def test_huge_jsonl_is_streamed_and_a_huge_line_skipped(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("wb") as handle:
        handle.write(b'{"title": "First", "text": "Short."}\n')
        handle.write(b'{"title": "Huge", "text": "' + b"x" * (MAX_FILE_BYTES + 10) + b'"}\n')
        handle.write(b'{"title": "Last", "text": "Also short."}\n')
    items = list(read_articles(path))
    assert [getattr(i, "title", None) for i in items] == ["First", None, "Last"]
    assert "big.jsonl:2: line over the 5 MB" in str(items[1])

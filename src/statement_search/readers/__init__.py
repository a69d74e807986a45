"""Readers: files → Article.  One function per format, chosen by suffix.

`read_article(path)` reads the first article of a file; `read_articles(path)`
yields every article (JSON/JSONL files may hold several) and, for JSONL, an
`InputError` per bad line so callers can report it and go on.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..models import Article
from .jsonl import parse_json, parse_jsonl
from .text import parse_text

TEXT_SUFFIXES = {".txt", ".text", ".md"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES


def decode_bytes(data: bytes, path: str) -> str:
    """Decode file bytes as UTF-8 (BOM tolerated), newlines normalised, NFC."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path}: binary file, not an article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 (byte {exc.start})") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def read_text_file(path: str | Path) -> str:
    """The decoded text of a file, or an InputError naming it."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror})") from None
    return decode_bytes(data, name)


def read_articles(path: str | Path) -> Iterator[Article | InputError]:
    """Every article in a file; bad JSONL lines come out as InputError items."""
    name = str(path)
    suffix = Path(path).suffix.lower()
    text = read_text_file(path)
    if not text.strip():
        raise InputError(f"{name}: empty file")
    if suffix in JSONL_SUFFIXES:
        yield from parse_jsonl(text, name)
    elif suffix in JSON_SUFFIXES:
        yield from parse_json(text, name)
    else:
        yield parse_text(text, name)


def read_article(path: str | Path) -> Article:
    """The first (usually only) article of a file."""
    for item in read_articles(path):
        if isinstance(item, InputError):
            raise item
        return item
    raise InputError(f"{path}: no article found")

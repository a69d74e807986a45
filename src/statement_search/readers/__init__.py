"""Readers: files → Article.  One function per format, chosen by suffix and sniffing.

`read_article(path)` reads the first article of a file; `read_articles(path)`
yields every article (JSON/JSONL files may hold several) and, for JSONL, an
`InputError` per bad line so callers can report it and go on.  Folders are
expanded by `iter_source_files` (walk.py).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError, refuse_nul
from ..models import Article
from .encoding import MAX_FILE_BYTES, decode_bytes
from .jsonl import iter_capped_lines, parse_json, parse_jsonl_lines
from .suffixes import (
    HTML_SUFFIXES,
    JSON_SUFFIXES,
    JSONL_SUFFIXES,
    SUPPORTED_SUFFIXES,
    TEXT_SUFFIXES,
    XML_SUFFIXES,
)
from .text import parse_text
from .walk import SourceFiles, iter_source_files
from .xml import parse_xml, xml_dialect

__all__ = [
    "MAX_FILE_BYTES",
    "SUPPORTED_SUFFIXES",
    "SourceFiles",
    "decode_bytes",
    "iter_source_files",
    "read_article",
    "read_articles",
    "read_text_file",
]


def _over_cap(name: str, size: int) -> InputError:
    return InputError(
        f"{name}: {size / 1048576:.1f} MB is over the {MAX_FILE_BYTES // 1048576} MB"
        " limit for one article (split it, or export it as JSONL)"
    )


def _open_regular(path: str | Path) -> BinaryIO:
    """The file opened for reading; folders, devices, FIFOs and sockets refused
    before opening (opening a FIFO waits for a writer; /dev/zero never ends)."""
    name = str(path)
    refuse_nul(path, InputError)
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{name}: is a directory")
        if not stat.S_ISREG(mode):
            raise InputError(f"{name}: not a regular file (a device, FIFO or socket)")
        return open(path, "rb")  # noqa: SIM115 - the caller closes it
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror})") from None


def _read_bytes(path: str | Path) -> bytes:
    """File bytes, refusing folders, special and missing files and files over the size cap
    (read at most one byte past the cap: a size the file system reports may be wrong)."""
    name = str(path)
    with _open_regular(path) as handle:
        try:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise _over_cap(name, size)
            data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise InputError(f"{name}: cannot read ({exc.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise _over_cap(name, len(data))
    return data


def read_text_file(path: str | Path) -> str:
    """The decoded text of a file, or an InputError naming it."""
    return decode_bytes(_read_bytes(path), str(path))


def _sniff_kind(data: bytes) -> str:
    """For files whose suffix says nothing: xml, html, json or text by their first bytes."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml") and xml_dialect(data):
        return "xml"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in data[:4096].lower():
        return "html"
    if head.startswith((b"{", b"[")):
        return "json"
    return "text"


def _iter_jsonl(path: str | Path) -> Iterator[Article | InputError]:
    """JSONL is streamed line by line, so big exports stay in bounded memory."""
    name = str(path)
    with _open_regular(path) as handle:
        yield from parse_jsonl_lines(iter_capped_lines(handle), name)


def read_articles(path: str | Path) -> Iterator[Article | InputError]:
    """Every article in a file; bad JSONL lines come out as InputError items."""
    name = str(path)
    suffix = Path(path).suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _iter_jsonl(path)
        return
    data = _read_bytes(path)
    if not data.strip():
        raise InputError(f"{name}: empty file")
    if suffix in HTML_SUFFIXES:
        kind = "html"
    elif suffix in JSON_SUFFIXES:
        kind = "json"
    elif suffix in TEXT_SUFFIXES:
        kind = "text"
    elif suffix in XML_SUFFIXES:
        kind = "html" if b"<html" in data[:4096].lower() else "xml"
    else:
        kind = _sniff_kind(data)
    text = decode_bytes(data, name, html=kind == "html")
    if not text.strip():
        raise InputError(f"{name}: empty file")
    if kind == "html":
        from .html import parse_html  # bs4 is imported only when a page is read

        yield parse_html(text, name)
    elif kind == "xml":
        yield parse_xml(text, name)
    elif kind == "json":
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

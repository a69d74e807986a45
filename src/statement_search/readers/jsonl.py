"""JSON / JSONL reader: one article per object, list item or line.

JSONL is read line by line from the open file (bounded memory for big
exports); each line is capped at the one-article size limit.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from ..errors import InputError
from ..models import Article, article_id_for
from .encoding import BIDI_CONTROLS, MAX_FILE_BYTES, normalise_text
from .sniff import guess_language, parse_date
from .text import join_paragraphs


def _parse_date(value: Any, where: str) -> dt.date | None:
    if value is None or value == "":
        return None
    is_number = isinstance(value, int) and not isinstance(value, bool)
    date = parse_date(str(value)) if isinstance(value, str) or is_number else None
    if date is None:
        shown = repr(value) if isinstance(value, str) or is_number else type(value).__name__
        shown = shown if len(shown) < 40 else shown[:36] + "…"
        raise InputError(f"{where}: date {shown} is not a date (use YYYY-MM-DD)")
    return date


def _clean(value: Any) -> str:
    """A string field with control characters (e.g. escaped ESC) removed; a value
    that is not a string (null, a number, an object) is no text at all."""
    return normalise_text(value).strip() if isinstance(value, str) else ""


def _optional(value: Any) -> str | None:
    return _clean(value) or None


def _speaker(value: Any) -> str | None:
    """A turn's speaker as stored and shown: cleaned like text, bidi controls dropped."""
    return BIDI_CONTROLS.sub("", _clean(value)).strip() or None


def article_from_record(record: Any, path: str, where: str) -> Article:
    """Build an Article from one decoded JSON object."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    title = _clean(record.get("title") or "")
    paragraphs_in: list[str]
    turn_speakers: dict[int, str | None] = {}
    if isinstance(record.get("text"), str):
        paragraphs_in = [p.strip() for p in _clean(record["text"]).split("\n\n")]
    elif isinstance(record.get("paragraphs"), list):
        paragraphs_in = [_clean(p) for p in record["paragraphs"]]  # non-strings dropped
    elif isinstance(record.get("turns"), list):
        paragraphs_in = []
        for turn in record["turns"]:
            if not isinstance(turn, dict) or not isinstance(turn.get("text"), str):
                raise InputError(f"{where}: each turn needs a 'text' string")
            speaker = _speaker(turn.get("speaker"))
            for para in _clean(turn["text"]).split("\n\n"):
                if para.strip():
                    turn_speakers[len(paragraphs_in)] = speaker
                    paragraphs_in.append(para.strip())
    else:
        raise InputError(f"{where}: article has no 'text', 'paragraphs' or 'turns'")
    paragraphs = [p for p in paragraphs_in if p]
    if len(paragraphs) != len(paragraphs_in):
        # Keep turn indices aligned with the paragraphs actually kept.
        kept = {i: n for n, i in enumerate(i for i, p in enumerate(paragraphs_in) if p)}
        turn_speakers = {kept[i]: s for i, s in turn_speakers.items() if i in kept}
    text, offsets = join_paragraphs(paragraphs)
    return Article(
        id=article_id_for(where, text),
        path=path,
        title=title,
        text=text,
        paragraphs=paragraphs,
        paragraph_offsets=offsets,
        date=_parse_date(record.get("date"), where),
        url=_optional(record.get("url")),
        source=_optional(record.get("source")),
        language=_optional(record.get("language")) or guess_language(text),
        turn_speakers=turn_speakers,
    )


def parse_json(text: str, path: str) -> Iterator[Article | InputError]:
    """Articles of a .json file: one object or a list of objects (a bad one in a
    list comes out as its InputError and the rest are read)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: malformed JSON: {exc.msg}") from None
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply") from None
    except ValueError as exc:  # a number of thousands of digits
        raise InputError(f"{path}: unreadable JSON value ({_first_words(exc)})") from None
    if not isinstance(data, list):
        yield article_from_record(data, path, path)
        return
    for i, record in enumerate(data):
        where = path if len(data) == 1 else f"{path}[{i}]"
        try:
            yield article_from_record(record, path, where)
        except InputError as exc:  # one bad record: skipped like a bad JSONL line
            yield exc


def _first_words(exc: Exception) -> str:
    return str(exc).split(":", 1)[0]


def parse_jsonl(text: str, path: str) -> Iterator[Article | InputError]:
    """Articles of decoded JSONL text; a bad line yields its error and reading goes on."""
    yield from parse_jsonl_lines((line.encode() for line in text.splitlines()), path)


def iter_capped_lines(handle: BinaryIO) -> Iterator[bytes]:
    """Lines of a binary file, each cut at the size cap (the rest is skipped unread
    into memory), so one huge line cannot exhaust memory."""
    while True:
        line = handle.readline(MAX_FILE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_FILE_BYTES and not line.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
        yield line


def parse_jsonl_lines(lines: Iterable[bytes], path: str) -> Iterator[Article | InputError]:
    """Articles of JSONL byte lines (an open file streams); bad lines become errors."""
    seen_any = False
    for lineno, raw in enumerate(lines, start=1):
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        seen_any = True
        where = f"{path}:{lineno}"
        if len(raw) > MAX_FILE_BYTES:
            yield InputError(f"{where}: line over the {MAX_FILE_BYTES // 1048576} MB article limit")
            continue
        try:
            line = raw.decode("utf-8")  # JSON is UTF-8 (RFC 8259)
        except UnicodeDecodeError as exc:
            yield InputError(f"{where}: not UTF-8 (byte {exc.start}); JSON must be UTF-8")
            continue
        if "\x00" in line:
            yield InputError(f"{where}: binary data, not JSON")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(f"{where}: malformed JSON: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:
            yield InputError(f"{where}: JSON nested too deeply")
            continue
        except ValueError as exc:  # a number of thousands of digits
            yield InputError(f"{where}: unreadable JSON value ({_first_words(exc)})")
            continue
        try:
            yield article_from_record(record, path, where)
        except InputError as exc:
            yield exc
    if not seen_any:
        yield InputError(f"{path}: empty file")

"""JSON / JSONL reader: one article per object, list item or line."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from ..errors import InputError
from ..models import Article, article_id_for


def _parse_date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(f"{where}: date {value!r} is not an ISO date (YYYY-MM-DD)") from None


def article_from_record(record: Any, path: str, where: str) -> Article:
    """Build an Article from one decoded JSON object."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    title = str(record.get("title") or "").strip()
    paragraphs_in: list[str]
    turn_speakers: dict[int, str | None] = {}
    if isinstance(record.get("text"), str):
        paragraphs_in = [p.strip() for p in record["text"].replace("\r\n", "\n").split("\n\n")]
    elif isinstance(record.get("paragraphs"), list):
        paragraphs_in = [str(p).strip() for p in record["paragraphs"]]
    elif isinstance(record.get("turns"), list):
        paragraphs_in = []
        for turn in record["turns"]:
            if not isinstance(turn, dict) or not isinstance(turn.get("text"), str):
                raise InputError(f"{where}: each turn needs a 'text' string")
            speaker = turn.get("speaker")
            for para in turn["text"].replace("\r\n", "\n").split("\n\n"):
                if para.strip():
                    turn_speakers[len(paragraphs_in)] = str(speaker) if speaker else None
                    paragraphs_in.append(para.strip())
    else:
        raise InputError(f"{where}: article has no 'text', 'paragraphs' or 'turns'")
    paragraphs = [p for p in paragraphs_in if p]
    if len(paragraphs) != len(paragraphs_in):
        # Keep turn indices aligned with the paragraphs actually kept.
        kept = [i for i, p in enumerate(paragraphs_in) if p]
        turn_speakers = {kept.index(i): s for i, s in turn_speakers.items() if i in kept}
    offsets: list[int] = []
    pos = 0
    for para in paragraphs:
        offsets.append(pos)
        pos += len(para) + 2
    text = "\n\n".join(paragraphs)
    return Article(
        id=article_id_for(where, text),
        path=path,
        title=title,
        text=text,
        paragraphs=paragraphs,
        paragraph_offsets=offsets,
        date=_parse_date(record.get("date"), where),
        url=record.get("url") or None,
        source=record.get("source") or None,
        language=record.get("language") or None,
        turn_speakers=turn_speakers,
    )


def parse_json(text: str, path: str) -> Iterator[Article]:
    """Articles of a .json file: one object or a list of objects."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: malformed JSON: {exc.msg}") from None
    records = data if isinstance(data, list) else [data]
    for i, record in enumerate(records):
        where = path if len(records) == 1 else f"{path}[{i}]"
        yield article_from_record(record, path, where)


def parse_jsonl(text: str, path: str) -> Iterator[Article | InputError]:
    """Articles of a .jsonl file; a bad line yields its error and reading goes on."""
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(f"{where}: malformed JSON: {exc.msg}")
            continue
        try:
            yield article_from_record(record, path, where)
        except InputError as exc:
            yield exc

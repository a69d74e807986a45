"""The OpenSearch export: the mapping and every bulk line checked against the `_bulk` formats
docs/scale-out.md documents (action line, then a document conforming to the mapping)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from statement_search.cli import main
from statement_search.engines.opensearch import export_opensearch, opensearch_mapping
from statement_search.errors import InputError
from statement_search.models import Quote

from .search_corpus import build_index, make_quotes

TYPES = {"text", "keyword", "integer", "float", "boolean", "date"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_mapping(mapping: dict[str, Any]) -> dict[str, Any]:
    """A valid index-creation body: known field types, every analyser it names defined."""
    assert set(mapping) == {"settings", "mappings"}
    analysis = mapping["settings"]["analysis"]
    filters = set(analysis["filter"])
    for analyzer in analysis["analyzer"].values():
        assert analyzer["type"] == "custom" and analyzer["tokenizer"] == "standard"
        assert all(f in filters or f == "lowercase" for f in analyzer["filter"])
    assert mapping["mappings"]["dynamic"] == "strict"
    properties: dict[str, Any] = mapping["mappings"]["properties"]
    for spec in properties.values():
        assert spec["type"] in TYPES
        for sub in [spec, *spec.get("fields", {}).values()]:
            assert sub.get("analyzer", "quote_stemmed") in analysis["analyzer"]
    return properties


def conforms(value: Any, spec: dict[str, Any]) -> bool:
    """A JSON value as the mapping's field type accepts it (a list of them for arrays)."""
    if value is None:
        return True
    if isinstance(value, list):
        return all(conforms(v, spec) for v in value)
    kind = spec["type"]
    if kind in ("text", "keyword"):
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    return kind == "date" and isinstance(value, str) and bool(DATE.match(value))


def read_bulk(out: Path, properties: dict[str, Any], index: str) -> list[dict[str, Any]]:
    """Every document of the bulk files, each line checked on the way."""
    docs = []
    for path in sorted(out.glob("bulk-*.ndjson")):
        raw = path.read_text(encoding="utf-8")
        assert raw.endswith("\n")  # _bulk needs the final newline
        lines = raw.splitlines()
        assert lines and len(lines) % 2 == 0
        for action_line, doc_line in zip(lines[::2], lines[1::2], strict=True):
            action = json.loads(action_line)
            assert len(action) == 1 and next(iter(action)) in ("index", "create")
            meta = next(iter(action.values()))
            assert set(meta) == {"_index", "_id"} and meta["_index"] == index
            doc = json.loads(doc_line)
            assert isinstance(doc, dict) and set(doc) <= set(properties)
            for key, value in doc.items():
                assert conforms(value, properties[key]), (key, value)
            assert meta["_id"] == doc["id"]
            docs.append(doc)
    return docs


def test_mapping_covers_every_quote_field_with_the_search_analysers() -> None:
    properties = check_mapping(opensearch_mapping())
    assert {f.name for f in dataclasses.fields(Quote)} <= set(properties)
    assert properties["text"]["analyzer"] == "quote_stemmed"
    assert properties["text"]["fields"]["verbatim"]["analyzer"] == "quote_verbatim"
    for keyword in ("speaker", "topics", "source", "speaker_keys", "id"):
        assert properties[keyword]["type"] == "keyword"
    assert properties["date"]["type"] == "date"
    assert properties["position"]["type"] == "integer"


def test_every_bulk_line_conforms_and_every_quote_is_exported(tmp_path: Path) -> None:
    ix = build_index(tmp_path / "index")
    report = export_opensearch(ix.quotes(), tmp_path / "out", index_name="news", docs_per_file=4)
    assert report.quotes == 10 and len(report.files) == 1 + 3  # mapping + 4 + 4 + 2
    properties = check_mapping(json.loads((tmp_path / "out" / "mapping.json").read_text()))
    docs = read_bulk(tmp_path / "out", properties, "news")
    by_id = {doc["id"]: doc for doc in docs}
    quotes = {q.id: q for q in make_quotes()}
    assert set(by_id) == set(quotes)
    putin = by_id["a2-1"]
    assert putin["date"] == "2023-06-01" and putin["topics"] == ["sanctions", "energy"]
    assert putin["speaker"] == "Vladimir Putin" and "putin" in putin["speaker_keys"]
    assert by_id["a5-0"]["date"] is None and by_id["a4-1"]["speaker_keys"] == []
    # A smaller export into the same folder leaves no stale bulk file behind.
    export_opensearch(list(quotes.values())[:3], tmp_path / "out", docs_per_file=4)
    assert len(read_bulk(tmp_path / "out", properties, "quotes")) == 3


def test_a_field_added_to_quote_is_mapped_by_its_type(monkeypatch: pytest.MonkeyPatch) -> None:
    from statement_search.engines import opensearch as export

    @dataclasses.dataclass
    class Wider(Quote):
        confidence: float | None = None
        reviewed: bool = False
        published: dt.date | None = None

    monkeypatch.setattr(export, "Quote", Wider)
    properties = check_mapping(export.opensearch_mapping())
    assert properties["confidence"] == {"type": "float"}
    assert properties["reviewed"] == {"type": "boolean"}
    assert properties["published"]["type"] == "date"
    doc = export.opensearch_document(Wider(**dataclasses.asdict(make_quotes()[0]), reviewed=True))
    assert conforms(doc["reviewed"], properties["reviewed"])


def test_export_command_writes_the_files_and_fails_cleanly(tmp_path: Path) -> None:
    build_index(tmp_path / "index").close()
    runner = CliRunner()
    out = tmp_path / "cluster"
    result = runner.invoke(main, ["export", str(out), "--index", str(tmp_path / "index")])
    assert result.exit_code == 0, result.output
    assert "exported 10 quotes" in result.output
    assert (out / "mapping.json").is_file() and (out / "bulk-00001.ndjson").is_file()
    missing = runner.invoke(main, ["export", str(out), "--index", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "no index at" in missing.output
    assert "Traceback" not in missing.output


def test_an_export_the_disk_fills_leaves_the_earlier_one_whole(tmp_path: Path) -> None:
    quotes = make_quotes()
    out = tmp_path / "out"
    export_opensearch(quotes, out, docs_per_file=4)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def then_full(limit: int) -> Iterator[Quote]:
        yield from quotes[:limit]
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(InputError, match="out: cannot write the export"):
        export_opensearch(then_full(6), out, docs_per_file=2)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    with pytest.raises(InputError):
        export_opensearch(then_full(1), tmp_path / "new", docs_per_file=2)
    assert not (tmp_path / "new").exists()


def test_quote_to_json_is_asdict_with_json_values() -> None:
    from statement_search.models import json_to_quote, quote_to_json

    for quote in make_quotes():
        expected = dataclasses.asdict(quote)
        for key, value in expected.items():
            if isinstance(value, dt.date):
                expected[key] = value.isoformat()
            elif isinstance(value, tuple):
                expected[key] = list(value)
        assert quote_to_json(quote) == expected
        assert list(quote_to_json(quote)) == list(expected)  # same key order
        assert json_to_quote({**quote_to_json(quote), "content_hash": "x"}) == quote
        made = json_to_quote(quote_to_json(quote))  # every field: set without `__init__`
        assert vars(made) == vars(quote) and repr(made) == repr(quote)
    older = quote_to_json(make_quotes()[0])  # a field missing, one `Quote` does not know
    del older["line"], older["topics"]
    older["later"] = 1
    assert json_to_quote(older) == dataclasses.replace(make_quotes()[0], line=0, topics=())

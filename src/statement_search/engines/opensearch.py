"""Scale-out export: an index's quotes → an OpenSearch/Elasticsearch mapping and `_bulk` files.

A corpus that outgrows one machine moves to a cluster without re-extracting:
`mapping.json` is the body of `PUT /<index>` (analysers for stemmed and verbatim
text, keyword speaker/topics/source, a date field) and each `bulk-NNNNN.ndjson`
the body of one `POST /_bulk` (an action line and a document line per quote).
Fields are read off the `Quote` dataclass, so fields other stages add are
exported and mapped by their type.  See docs/scale-out.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..models import Quote, quote_to_json
from ..search.filters import fold

MAPPING_FILE = "mapping.json"
BULK_PREFIX = "bulk-"
# Documents per bulk file: a quote document is 1-3 kB, so a file stays far under
# the cluster's default 100 MB request limit.
DOCS_PER_FILE = 5_000

STEMMED = {"type": "text", "analyzer": "quote_stemmed"}
VERBATIM = {"type": "text", "analyzer": "quote_verbatim"}
# How the fields the search features use are indexed; other fields follow their type.
FIELDS: dict[str, dict[str, Any]] = {
    "text": {**STEMMED, "fields": {"verbatim": VERBATIM}},
    "context": STEMMED,
    "title": {**STEMMED, "fields": {"verbatim": VERBATIM}},
    "speaker": {"type": "keyword", "fields": {"text": VERBATIM}},
    "speaker_keys": {"type": "keyword"},
    "date": {"type": "date", "format": "strict_date"},
    "url": {"type": "keyword", "index": False},
}
ANALYSIS = {
    "filter": {
        "quote_english_stop": {"type": "stop", "stopwords": "_english_"},
        "quote_english_stem": {"type": "stemmer", "language": "english"},
    },
    "analyzer": {
        "quote_stemmed": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["lowercase", "quote_english_stop", "quote_english_stem"],
        },
        "quote_verbatim": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]},
    },
}


@dataclass
class ExportReport:
    """What an export wrote: quotes, and the files (mapping first)."""

    quotes: int
    files: list[Path]


def _field_type(hint: Any) -> dict[str, Any]:
    """The mapping of a `Quote` field by its type: numbers, booleans, dates, else keyword."""
    options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    kinds = {typing.get_origin(o) or o for o in options if o is not type(None)}
    if kinds <= {bool}:
        return {"type": "boolean"}
    if kinds <= {int}:
        return {"type": "integer"}
    if kinds <= {float, int}:
        return {"type": "float"}
    if kinds <= {dt.date}:
        return {"type": "date", "format": "strict_date"}
    return {"type": "keyword"}


def opensearch_mapping(shards: int = 1, replicas: int = 1) -> dict[str, Any]:
    """The `PUT /<index>` body: settings with the analysers, and strict field mappings."""
    hints = typing.get_type_hints(Quote)
    properties = {
        f.name: FIELDS.get(f.name) or _field_type(hints[f.name]) for f in dataclasses.fields(Quote)
    }
    properties["speaker_keys"] = FIELDS["speaker_keys"]
    return {
        "settings": {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            "analysis": ANALYSIS,
        },
        "mappings": {"dynamic": "strict", "properties": properties},
    }


def opensearch_document(quote: Quote) -> dict[str, Any]:
    """One quote as a bulk document: its fields as JSON, plus `speaker_keys` (the folded
    name, its aliases and last name) so a cluster filters speakers as `--speaker` does."""
    from ..extraction.names import speaker_aliases, surname

    doc = quote_to_json(quote)
    keys: list[str] = []
    if quote.speaker:
        for form in (quote.speaker, *speaker_aliases(quote.speaker), surname(quote.speaker)):
            if fold(form) and fold(form) not in keys:
                keys.append(fold(form))
    doc["speaker_keys"] = keys
    return doc


def export_opensearch(
    quotes: Iterable[Quote],
    out_dir: str | Path,
    index_name: str = "quotes",
    docs_per_file: int = DOCS_PER_FILE,
) -> ExportReport:
    """Write `mapping.json` and `bulk-00001.ndjson`... for `quotes` into `out_dir`.

    Every bulk line is one JSON object; each file ends with a newline, as `_bulk`
    requires.  `out_dir` is created; bulk files left there by an earlier export are
    replaced, so a smaller export leaves no stale file behind.  Files are written
    under temporary names and renamed at the end, so an export that fails (a full
    disk) leaves no partial file and the earlier export as it was.
    """
    out = Path(out_dir)
    created = not out.exists()
    written: list[Path] = []

    def new_file(name: str) -> Path:
        written.append(out / (name + ".tmp"))
        return written[-1]

    try:
        out.mkdir(parents=True, exist_ok=True)
        new_file(MAPPING_FILE).write_text(
            json.dumps(opensearch_mapping(), indent=2) + "\n", encoding="utf-8"
        )
        count = 0
        remaining = iter(quotes)
        while chunk := list(islice(remaining, docs_per_file)):
            with new_file(f"{BULK_PREFIX}{len(written):05d}.ndjson").open(
                "w", encoding="utf-8"
            ) as handle:
                for quote in chunk:
                    action = {"index": {"_index": index_name, "_id": quote.id}}
                    handle.write(json.dumps(action, ensure_ascii=False) + "\n")
                    handle.write(json.dumps(opensearch_document(quote), ensure_ascii=False) + "\n")
            count += len(chunk)
        files = [tmp.with_suffix("") for tmp in written]
        for stale in out.glob(f"{BULK_PREFIX}*.ndjson"):
            if stale not in files:
                stale.unlink()
        for tmp, final in zip(written, files, strict=True):
            tmp.replace(final)
    except OSError as exc:
        for tmp in written:
            tmp.unlink(missing_ok=True)
        if created:
            shutil.rmtree(out, ignore_errors=True)
        raise InputError(f"{out}: cannot write the export ({exc.strerror})") from None
    return ExportReport(quotes=count, files=files)

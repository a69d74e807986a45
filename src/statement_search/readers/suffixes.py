"""The file suffixes each reader takes; a folder walk keeps only these."""

from __future__ import annotations

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
XML_SUFFIXES = {".xml"}  # ParlaMint TEI and ParlParse; other XML is refused
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | XML_SUFFIXES

"""Extraction stage: an Article becomes Quotes, with speakers, people, names and topics."""

from __future__ import annotations

from .extract import extract_quotes

__all__ = ["extract_quotes"]

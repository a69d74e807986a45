"""Tantivy engine (`pip install 'statement-search[tantivy]'`): schema, query translation, index."""

"""Ingest stage: files become quote documents (worker pool, budgets), written under lock."""

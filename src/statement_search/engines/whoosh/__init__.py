"""Whoosh engine (the default): every module that imports whoosh lives here."""

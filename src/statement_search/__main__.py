"""`python -m statement_search` runs the command line."""

from .cli import run

run()

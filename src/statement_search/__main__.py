"""`python -m statement_search` runs the command line."""

from .cli import main

main(prog_name="statement-search")

"""Citations: one line, CSL-JSON and BibTeX name speaker, title, source, date, URL and line."""

from __future__ import annotations

import dataclasses
import json

from click.testing import CliRunner

from statement_search.cli import main
from statement_search.search.citations import citation_bibtex, citation_csl, citation_text

from .search_corpus import make_quotes

QUOTE = dataclasses.replace(make_quotes()[0], line=7, source="R&D_news", title="Talks {in} Minsk")


def test_text_citation_names_everything_a_reader_needs() -> None:
    assert citation_text(QUOTE) == (
        "Aleksandr Lukashenko, quoted in “Talks {in} Minsk”, R&D_news, 2024-04-12, "
        "https://example.org/a1 (a1.txt, line 7); quote id a1-0"
    )


def test_csl_json_item() -> None:
    item = citation_csl(QUOTE)
    assert item["id"] == "a1-0" and item["type"] == "article-newspaper"
    assert item["issued"] == {"date-parts": [[2024, 4, 12]]}
    assert item["URL"] == "https://example.org/a1" and item["container-title"] == "R&D_news"
    assert item["note"].startswith("Aleksandr Lukashenko: “The sanctions have hurt nobody")


def test_bibtex_escapes_special_characters() -> None:
    entry = citation_bibtex(QUOTE)
    assert entry.startswith("@misc{a1-0,\n  title = {Talks \\{in\\} Minsk},\n")
    assert "  organization = {R\\&D\\_news}," in entry
    assert "  howpublished = {\\url{https://example.org/a1}}," in entry
    assert entry.endswith("(a1.txt, line 7)}\n}")


def test_show_prints_a_citation_and_cites_on_request(hand_index: str) -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["show", "a2-1", "--index", hand_index])
    assert text.exit_code == 0
    assert text.output.splitlines()[-1].startswith(
        "cite: Vladimir Putin, quoted in “Energy briefing”"
    )
    csl = runner.invoke(main, ["show", "a2-1", "--cite", "csl-json", "--index", hand_index])
    assert json.loads(csl.output)[0]["container-title"] == "kremlin.ru"
    bib = runner.invoke(main, ["show", "a2-1", "--cite", "bibtex", "--index", hand_index])
    assert bib.output.startswith("@misc{a2-1,") and "year = {2023}" in bib.output

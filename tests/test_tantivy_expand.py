"""The tantivy engine's `word~` and `word*` expansions, bounded as bounds.py bounds Whoosh's."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("tantivy")

from statement_search.engines.tantivy.engine import TantivyEngine  # noqa: E402
from statement_search.engines.tantivy.expand import Expander  # noqa: E402
from statement_search.search.bounds import Budget  # noqa: E402

from .search_corpus import make_quotes  # noqa: E402


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> object:
    engine = TantivyEngine.create(Path(tmp_path_factory.mktemp("t")) / "tantivy")
    engine.add_quotes(make_quotes())
    engine.commit()
    return engine.searcher()


def test_a_query_gets_no_more_terms_than_its_budget(searcher: object) -> None:
    budget = Budget(seconds=None, terms_left=3)
    expander = Expander(searcher, budget)
    first = expander.prefixed("s")  # sanction, said, saves, single, so, started, ...
    assert len(first) == 3 and budget.terms_left == 0
    assert len(expander.prefixed("t")) == 1  # at least one term a word
    assert budget.notices == [
        "s*: matches more than 3 index words; searched the 3 most common",
        "t*: matches more than 1 index words; searched the 1 most common",
    ]


def test_fuzzy_words_keep_their_first_letter_and_a_length_allowed_distance(
    searcher: object,
) -> None:
    budget = Budget(seconds=None)
    expander = Expander(searcher, budget)
    assert expander.fuzzy("sanctons", "") == ["sanction"]
    # Four letters allow one edit: "peac" (peace) is two away, the word stays as written.
    assert expander.fuzzy("pace", "2") == ["pace"]
    assert expander.fuzzy("pace", "") == ["pace"] and expander.fuzzy("peas", "") == ["peac"]
    assert budget.notices == ["pace~2: edit distance narrowed to 1"]
    assert expander.fuzzy("the", "1") == []  # a stop word matches nothing
    assert expander.matched("negotiat* sanctons~") == {"negoti", "sanction"}

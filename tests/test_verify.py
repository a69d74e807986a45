"""A verification test set: quotes altered in known ways → the right verdict and diff.

The articles are written for this test: one statement reported by three
outlets on different dates (one of them naming another speaker), and an
unrelated article.  Each case alters the statement in one known way.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from statement_search import QuoteIndex
from statement_search.errors import QueryError

STATEMENT = "The harbour will reopen in March. We have repaired both cranes and trained new crews."
ARTICLES = {
    "first.json": {
        "title": "Port minister on the harbour",
        "date": "2024-03-02",
        "url": "https://coastnews.example/port-minister",
        "source": "coastnews.example",
        "text": f'Port minister Ilse Marrow spoke on Friday.\n\n"{STATEMENT}" Marrow said.',
    },
    "second.json": {
        "title": "Harbour to reopen",
        "date": "2024-03-05",
        "url": "https://dailytide.example/harbour",
        "source": "dailytide.example",
        "text": f'Ilse Marrow, the port minister, gave a date.\n\n"{STATEMENT}" Marrow said.',
    },
    "third.json": {
        "title": "Cranes repaired",
        "date": "2024-03-09",
        "url": "https://gullpost.example/cranes",
        "source": "gullpost.example",
        "text": f'Mayor Tomas Vell answered questions.\n\n"{STATEMENT}" Vell said.',
    },
    "ferries.json": {
        "title": "New ferries",
        "date": "2024-04-01",
        "source": "coastnews.example",
        "text": 'Ilse Marrow visited the yard.\n\n"The fleet gets two new ferries this summer," '
        "Marrow said.\n\nShe spoke about money next.\n\n"
        '"Fares will stay the same until the autumn," Marrow added.',
    },
    "other.json": {
        "title": "Fishing quotas",
        "date": "2024-02-01",
        "source": "coastnews.example",
        "text": 'Minister Ilse Marrow spoke.\n\n"Quotas stay as they are this year," Marrow said.',
    },
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> QuoteIndex:
    folder = tmp_path_factory.mktemp("articles")
    for name, record in ARTICLES.items():
        (folder / name).write_text(json.dumps(record), encoding="utf-8")
    return QuoteIndex.build(tmp_path_factory.mktemp("ix") / "index", [folder])


def test_the_original_is_verbatim_with_the_earliest_source_first(index: QuoteIndex) -> None:
    result = index.verify(STATEMENT)
    assert result.verdict == "verbatim" and result.changes == []
    [utterance] = [u for u in result.utterances if u.level == "verbatim"]
    sources = [v.quote.source for v in utterance.versions]
    assert sources == ["coastnews.example", "dailytide.example", "gullpost.example"]
    assert str(utterance.earliest.quote.date) == "2024-03-02"
    assert utterance.earliest.quote.url == "https://coastnews.example/port-minister"
    assert all(part.op == "equal" for part in utterance.earliest.diff)


def test_each_sentence_alone_is_verbatim(index: QuoteIndex) -> None:
    for sentence in ("The harbour will reopen in March.", "we have repaired both cranes"):
        assert index.verify(sentence).verdict == "verbatim"


def test_a_dropped_word_is_altered_and_named(index: QuoteIndex) -> None:
    result = index.verify("The harbour will reopen in March. We have repaired cranes.")
    assert result.verdict == "altered"
    assert [str(c) for c in result.changes] == ["dropped “both”"]
    diff = [(p.op, p.text) for p in result.utterances[0].earliest.diff]
    assert ("source", "both") in diff


def test_a_changed_word_is_altered_and_shows_both_words(index: QuoteIndex) -> None:
    result = index.verify("The harbour will reopen in May. We have repaired both cranes.")
    assert result.verdict == "altered"
    assert [str(c) for c in result.changes] == ["changed “March” → “May”"]


def test_two_sentences_joined_is_altered(index: QuoteIndex) -> None:
    # The clause between them dropped and the two sentences run together.
    result = index.verify("The harbour will reopen in March and trained new crews.")
    assert result.verdict == "altered"
    kinds = {c.kind for c in result.changes}
    assert "dropped" in kinds or "changed" in kinds
    assert any("repaired both cranes" in c.source for c in result.changes)


def test_two_quotes_run_together_are_altered_as_joined(index: QuoteIndex) -> None:
    result = index.verify(
        "The fleet gets two new ferries this summer. Fares will stay the same until the autumn."
    )
    assert result.verdict == "altered"
    assert [c.kind for c in result.changes] == ["joined"]
    assert str(result.changes[0]) == (
        "joined two quotes: “…gets two new ferries this summer” + “Fares will stay the same until…”"
    )
    assert result.utterances[0].earliest.quote.title == "New ferries"


def test_punctuation_alone_is_an_alteration(index: QuoteIndex) -> None:
    result = index.verify("The harbour will reopen in March; we have repaired both cranes")
    assert result.verdict == "altered"
    assert [c.kind for c in result.changes] == ["punctuation"]


def test_speaker_check_yes_someone_else_unknown(index: QuoteIndex) -> None:
    assert index.verify(STATEMENT, speaker="Marrow").said_by == "yes"
    swapped = index.verify(STATEMENT, speaker="Oskar Brandt")
    assert swapped.said_by == "someone else"
    assert swapped.said_by_others == ["Ilse Marrow", "Tomas Vell"]
    assert index.verify("Nothing of the sort was ever said", speaker="Marrow").said_by == "unknown"


def test_sources_disagreeing_on_the_speaker_are_flagged(index: QuoteIndex) -> None:
    [utterance] = [u for u in index.verify(STATEMENT).utterances if u.level == "verbatim"]
    assert utterance.disputed and utterance.speakers == ["Ilse Marrow", "Tomas Vell"]


def test_unrelated_text_is_not_found(index: QuoteIndex) -> None:
    result = index.verify("Taxes on bread will fall next winter")
    assert result.verdict == "not found" and not result.found


def test_a_paraphrase_is_listed_but_not_a_match(index: QuoteIndex) -> None:
    result = index.verify("This year the quotas will stay as they are")
    assert result.verdict == "not found"
    assert [u.level for u in result.utterances][:1] == ["paraphrase"]


def test_empty_text_is_a_query_error(index: QuoteIndex) -> None:
    with pytest.raises(QueryError):
        index.verify(" ... ")


def test_reporters_questions_are_left_out_unless_asked(tmp_path: Path) -> None:
    import dataclasses

    from .search_corpus import build_index, make_quotes

    asked = "Will the talks in Minsk start again before the summer?"
    question = dataclasses.replace(
        make_quotes()[0], id="q1-0", article_id="q1", text=asked, kind="question", speaker=None
    )
    ix = build_index(tmp_path / "index", [question])
    assert ix.verify(asked).verdict == "not found"
    found = ix.verify(asked, include_questions=True)
    assert found.verdict == "verbatim" and found.utterances[0].earliest.quote.id == "q1-0"


def test_a_surname_and_the_full_name_are_one_speaker_not_a_disagreement() -> None:
    from statement_search.engines.whoosh.verify import _people

    assert sorted(_people(["Cruz", "Ted Cruz", "Cruz"])) == ["Ted Cruz"]
    assert len(_people(["Alexander Lukashenka", "Aleksandr Lukashenko"])) == 1  # aliases
    assert sorted(_people(["Ilse Marrow", "Tomas Vell", "Vell"])) == ["Ilse Marrow", "Tomas Vell"]


def test_speaker_check_is_someone_else_when_only_other_forms_of_one_person_said_it(
    tmp_path: Path,
) -> None:
    import dataclasses

    from .search_corpus import build_index, make_quotes

    said = "The tunnel under the river will open to trains next spring."
    base = make_quotes()[0]
    copies = [
        dataclasses.replace(base, id=f"t{n}-0", article_id=f"t{n}", text=said, speaker=who)
        for n, who in enumerate(["Cruz", "Ted Cruz"])
    ]
    ix = build_index(tmp_path / "index", copies)
    result = ix.verify(said, speaker="Vladimir Putin")
    assert result.said_by == "someone else" and result.said_by_others == ["Ted Cruz"]
    assert ix.verify(said, speaker="Cruz").said_by == "yes"

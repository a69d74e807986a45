"""Topics: taxonomy files, tagging rules, and the seed article's coverage."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statement_search.errors import TaxonomyError
from statement_search.extraction.topics import (
    MAX_TAXONOMY_BYTES,
    MAX_TOPICS,
    Taxonomy,
    configured_taxonomy,
    default_taxonomy,
    load_taxonomy,
    parse_taxonomy,
    stems,
)

from .conftest import FIXTURES, SEED

EXTRA = FIXTURES / "topics" / "extra.toml"

REQUIRED = [
    "war and conflict",
    "peace and negotiations",
    "security and defence",
    "economy and trade",
    "sanctions",
    "energy",
    "borders and migration",
    "diplomacy and international relations",
    "space and science",
    "transport and logistics",
    "social policy",
    "health",
    "education",
    "pensions",
    "elections and governance",
    "law and justice",
    "media and information",
    "history and memory",
    "agriculture",
    "technology",
]


def test_default_taxonomy_covers_the_issue_list_and_is_parsed_once() -> None:
    tax = default_taxonomy()
    assert set(REQUIRED) <= set(tax.names())
    assert tax.names() == sorted(tax.names())
    assert default_taxonomy() is tax
    assert all("," not in name for name in tax.names())  # the index stores topics comma-joined


def test_term_weights_and_topic_weight_are_parsed() -> None:
    tax = parse_taxonomy(
        '[topics.t]\nweight = 0.5\nterms = ["peace talks:2.5", "truce"]\n', "x.toml"
    )
    topic = tax.topics["t"]
    assert dict(topic.terms) == {"peace talks": 2.5, "truce": 1.0}
    assert topic.weight == 0.5
    assert topic.parent is None


def test_parents_children_and_descendants() -> None:
    tax = default_taxonomy()
    assert tax.children("social policy") == {"health", "education", "pensions"}
    assert tax.topics["sanctions"].parent == "economy and trade"
    assert tax.descendants("social policy") == {"social policy", "health", "education", "pensions"}
    assert tax.descendants("agriculture") == {"agriculture"}
    assert "peace and negotiations" in tax.descendants("diplomacy and international relations")
    assert tax.resolve("Space And Science") == "space and science"
    assert tax.resolve("no such topic") is None


def test_user_file_extends_and_replaces_default() -> None:
    tax = load_taxonomy(EXTRA)
    assert "Chess" in tax.names()  # shown as given
    assert set(default_taxonomy().names()) <= set(tax.names())
    assert dict(tax.topics["energy"].terms) == {"windmill": 1.0}  # replaced, not merged
    assert tax.descendants("energy") == {"energy", "Nuclear power"}
    assert tax.tag("The grandmaster played an opening gambit.") == ("Chess",)
    assert tax.tag("A new reactor will burn uranium.") == ("Nuclear power",)
    assert default_taxonomy().descendants("energy") == {"energy"}  # default untouched
    assert "Chess" not in default_taxonomy().names()


def test_none_means_default() -> None:
    assert load_taxonomy(None) is default_taxonomy()


BAD_FILES = {
    "not TOML": ("[topics.x\nterms = 1", "not valid TOML"),
    "no topics table": ('title = "mine"\n', "no [topics.NAME] tables"),
    "topic not a table": ("[topics]\nx = 3\n", "must be a table"),
    "terms not a list": ('[topics.x]\nterms = "peace"\n', "`terms` must be a list"),
    "term not a string": ("[topics.x]\nterms = [3]\n", "non-empty string"),
    "empty terms": ("[topics.x]\nterms = []\n", "`terms` is empty"),
    "bad term weight": ('[topics.x]\nterms = ["peace:lots"]\n', "not a number"),
    "negative term weight": ('[topics.x]\nterms = ["peace:-1"]\n', "positive weight"),
    "weight not a number": ('[topics.x]\nweight = "high"\nterms = ["a"]\n', "`weight`"),
    "parent not a string": ('[topics.x]\nparent = 1\nterms = ["a"]\n', "`parent`"),
    "unknown parent": ('[topics.x]\nparent = "nowhere"\nterms = ["a"]\n', "unknown parent"),
    "parent cycle": (
        '[topics.x]\nparent = "y"\nterms = ["a"]\n[topics.y]\nparent = "x"\nterms = ["b"]\n',
        "its own ancestor",
    ),
    "unknown key": ('[topics.x]\nterm = ["a"]\n', "unknown key 'term'"),
    "comma in name": ('[topics."war, peace"]\nterms = ["a"]\n', "no comma"),
    "term without words": ('[topics.x]\nterms = ["--"]\n', "has no words"),
}


@pytest.mark.parametrize("problem", sorted(BAD_FILES))
def test_bad_file_gives_one_line_error_naming_file(problem: str, tmp_path: Path) -> None:
    content, expected = BAD_FILES[problem]
    path = tmp_path / "mine.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TaxonomyError) as info:
        load_taxonomy(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert expected in message
    assert "\n" not in message


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="not found"):
        load_taxonomy(tmp_path / "absent.toml")
    with pytest.raises(TaxonomyError, match="directory"):
        load_taxonomy(tmp_path)


def test_special_and_huge_files_are_refused_without_reading_them(tmp_path: Path) -> None:
    """`--taxonomy /dev/zero` took 4 GB in 8 s and a FIFO waited forever (#20)."""
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    for special in (fifo, Path("/dev/zero")):
        with pytest.raises(TaxonomyError, match="not a regular file"):
            load_taxonomy(special)
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"# " + b"x" * MAX_TAXONOMY_BYTES)
    with pytest.raises(TaxonomyError, match="not a settings file"):
        load_taxonomy(huge)


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(b'[topics.x]\nterms = ["caf\xe9"]\n')
    with pytest.raises(TaxonomyError, match="UTF-8"):
        load_taxonomy(path)


def test_stems_match_inflections_and_phrases() -> None:
    assert stems("Negotiations, sanctions") == stems("negotiation sanction")
    tax = default_taxonomy()
    assert tax.tag("They refused to negotiate.") == ("peace and negotiations",)
    assert tax.tag("Farmers expect a record grain harvest.") == ("agriculture",)
    assert tax.tag("The migrants waited at the checkpoints.") == ("borders and migration",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The court ruled the indictment was lawful and the prosecutor agreed.", "law and justice"),
        ("Pensioners will see their pensions rise next year.", "pensions"),
        ("Our first cosmonaut flew to the ISS.", "space and science"),
        ("We will build new factories and produce our own microchips.", "technology"),
        ("Voters go to the polls in the presidential election.", "elections and governance"),
        ("Propaganda and fake news flood social media.", "media and information"),
        ("We remember the Great Patriotic War and honour our veterans.", "history and memory"),
        ("Gas prices and the pipeline dominate the talks.", "energy"),
    ],
)
def test_fixture_sentences_get_their_topic_first(text: str, expected: str) -> None:
    assert default_taxonomy().tag(text)[0] == expected


def test_russian_cues() -> None:
    tax = default_taxonomy()
    assert set(tax.tag("Мы обсудили санкции и торговлю.")) == {"sanctions", "economy and trade"}
    assert "borders and migration" in tax.tag("Мигранты стоят у границы.")


def test_no_topic_for_small_talk() -> None:
    assert default_taxonomy().tag("Thank you, that was lovely.") == ()
    assert default_taxonomy().tag("") == ()


def test_paragraph_counts_less_than_the_quote() -> None:
    tax = default_taxonomy()
    context = "Asked about the wall, he spoke of something else. “We are happy,” he said."
    assert tax.tag("We are happy", context) == ()  # one ordinary cue in the paragraph
    strong = "Border, migrants, checkpoints and refugees. “We are happy,” he said."
    assert tax.tag("We are happy", strong) == ("borders and migration",)
    scores = tax.scores("We talked about sanctions", "We talked about sanctions. Border.")
    assert scores["sanctions"] > scores["borders and migration"]


def test_nearby_text_only_helps_quotes_without_a_topic() -> None:
    tax = default_taxonomy()
    before = "We appreciate your support with the ports and the cargo shipping."
    assert tax.tag("In the north, too", "“In the north, too,” he noted.") == ()
    assert tax.tag("In the north, too", "", nearby=before) == ("transport and logistics",)
    own = "Sanctions will not break us."
    assert tax.tag(own, "", nearby=before) == tax.tag(own)


def test_at_most_three_topics_in_a_deterministic_order() -> None:
    tax = default_taxonomy()
    text = (
        "Sanctions hit trade, the border is closed to migrants, the election is near, "
        "the court is busy, farmers lost the harvest and the satellite launch failed."
    )
    first = tax.tag(text)
    assert 1 <= len(first) <= MAX_TOPICS == 3
    assert all(tax.tag(text) == first for _ in range(3))
    scores = tax.scores(text)
    ranked = [scores[name] for name in first]
    assert ranked == sorted(ranked, reverse=True)
    # ties are broken by name, whatever the order topics were declared in
    reverse = Taxonomy(dict(reversed(list(tax.topics.items()))))
    assert reverse.tag(text) == first


def test_seed_quotes_mostly_carry_a_topic() -> None:
    if not SEED.exists():
        pytest.skip("seed article not present")
    from statement_search.extraction.extract import extract_quotes
    from statement_search.readers import read_articles

    quotes = [q for art in read_articles(str(SEED)) for q in extract_quotes(art)]
    assert len(quotes) >= 20
    tagged = [q for q in quotes if q.topics]
    assert len(tagged) / len(quotes) >= 0.9, json.dumps([q.text for q in quotes if not q.topics])
    assert all(len(q.topics) <= 3 for q in quotes)
    names = set(default_taxonomy().names())
    assert all(set(q.topics) <= names for q in quotes)


_PHRASES = parse_taxonomy(
    """
[topics.peace]
terms = ["peace", "peace talks:2", "talks", "peace talks now:3"]
[topics.war]
terms = ["war", "talks war", "now"]
""",
    "phrases",
)


def _counts_word_by_word(taxonomy: Taxonomy, text: str) -> dict:
    """Cue counts by walking every word: the longest phrase at a spot wins and is skipped."""
    words, cues, counts = stems(text), taxonomy._cues, {}
    i = 0
    while i < len(words):
        step = longest = 0
        for seq, topic, weight in cues.get(words[i], ()):
            if longest and len(seq) < longest:
                break
            if tuple(words[i : i + len(seq)]) == seq:
                longest = step = len(seq)
                counts[(topic, seq, weight)] = counts.get((topic, seq, weight), 0) + 1
        i += step or 1
    return counts


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["peace", "talks", "war", "now", "and", "Peace"]), max_size=12))
def test_counting_visits_only_cue_words_with_the_same_counts(words: list[str]) -> None:
    text = " ".join(words)
    assert _PHRASES._count(text) == _counts_word_by_word(_PHRASES, text)


def test_counts_are_remembered_per_text_and_start_over(monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    from statement_search.extraction import topics

    monkeypatch.setattr(topics, "COUNTS_MEMO_SIZE", 2)
    taxonomy = parse_taxonomy(EXTRA.read_text("utf-8"), "extra", base=default_taxonomy())
    texts = ["peace talks now", "war and peace", "peace talks now", "sanctions on oil", "war"]
    for text in texts * 2:
        assert taxonomy._counts(text) == _counts_word_by_word(taxonomy, text)
        assert taxonomy._counts(text) is taxonomy._counts(text)
        assert len(taxonomy._counted) <= 2
    assert "_counted" not in pickle.loads(pickle.dumps(taxonomy)).__dict__


def test_topics_and_the_index_analysis_share_one_stem_cache() -> None:
    """Both stem the quote's and paragraph's words: each new word is stemmed once (the
    Whoosh engine tags topics with Whoosh's Porter, the stemmer its analysis uses)."""
    from whoosh.lang.porter import stem

    from statement_search.engines.whoosh.indexers import fast_indexer
    from statement_search.engines.whoosh.schema import build_schema
    from statement_search.extraction.topics import cached_stemmer, stems

    shared = cached_stemmer(stem)
    indexer = fast_indexer(build_schema()["text"])
    assert indexer._stem is shared  # type: ignore[union-attr]
    stems("Unprecedentedly", stem)
    before = shared.cache_info()  # type: ignore[attr-defined]
    assert indexer("unprecedentedly") == list(build_schema()["text"].index("unprecedentedly"))
    after = shared.cache_info()  # type: ignore[attr-defined]
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)


def test_the_stemmer_is_a_parameter_and_the_default_needs_no_whoosh() -> None:
    """Topic stems come from PyStemmer's Porter unless a stemmer is given; a taxonomy
    stemmed by another function uses it for its cues and its texts, and still pickles."""
    import pickle
    import subprocess
    import sys

    from whoosh.lang.porter import stem as whoosh_stem

    from statement_search.extraction.topics import porter_stem, stems

    code = (
        "import sys; from statement_search.extraction.topics import default_taxonomy, stems;"
        "stems('negotiations'); default_taxonomy().tag('We are ready for peace talks.');"
        "print('whoosh' in sys.modules)"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert loaded.stdout.strip() == "False", loaded.stderr
    assert stems("Negotiations") == [porter_stem("negotiations")]
    assert stems("negotiations", lambda word: word[:3]) == ["neg"]
    taxonomy = parse_taxonomy('[topics.t]\nterms = ["associated"]\n', "t.toml")
    chopped = taxonomy.stemmed_by(_first_three)
    assert chopped is taxonomy.stemmed_by(_first_three)  # made once
    assert chopped.tag("as we assume") == ("t",)  # "ass" == "ass"
    assert taxonomy.tag("as we assume") == ()
    assert pickle.loads(pickle.dumps(chopped)).stemmer is _first_three
    whoosh_tagged = taxonomy.stemmed_by(whoosh_stem)
    assert whoosh_tagged.stemmer is whoosh_stem and taxonomy.stemmer is None


def _first_three(word: str) -> str:
    return word[:3]


def test_extract_quotes_takes_the_stemmer_and_the_whoosh_index_passes_its_own(
    tmp_path: Path,
) -> None:
    from whoosh.lang.porter import stem as whoosh_stem

    from statement_search import QuoteIndex, extract_quotes, read_article
    from statement_search.engines import tantivy_available
    from statement_search.ingest.writing import WritingMixin

    path = tmp_path / "a.txt"
    path.write_text('Quotes\n\n"That is what we assume," the minister said.\n')
    article = read_article(path)
    taxonomy = parse_taxonomy('[topics.t]\nterms = ["associated"]\n', "t.toml")
    assert [q.topics for q in extract_quotes(article, taxonomy)] == [()]
    assert [q.topics for q in extract_quotes(article, taxonomy, _first_three)] == [("t",)]
    with QuoteIndex.create(tmp_path / "ix") as ix:
        assert ix.topic_stemmer is whoosh_stem  # the Whoosh engine's, handed to the index
    assert WritingMixin.topic_stemmer is None
    if tantivy_available():  # the tantivy engine tags with the default
        with QuoteIndex.create(tmp_path / "tx", engine="tantivy") as tx:
            assert tx.topic_stemmer is None


_PIECES = [
    "peace",
    " talks",
    "Ceasefire",
    "’s",
    "'",
    "don't",
    " ",
    ", ",
    "ΟΔΟΣ",
    "İzmir",
    "war",
    "-",
]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_PIECES), max_size=12), st.integers(0, 80), st.integers(0, 80))
def test_a_quotes_words_taken_from_its_paragraph_are_its_own(
    pieces: list[str], lo: int, length: int
) -> None:
    """`_split` reuses the paragraph's stems only where they are those of the quote and
    of the paragraph without it, as `stems` of each text gives them."""
    context = "".join(pieces)
    text = context[lo : lo + length]
    split = default_taxonomy()._split(text, context) if text else None
    if split is not None:
        assert split == (stems(text), stems(context.replace(text, " ", 1)))


def test_a_quote_inside_its_paragraph_reuses_the_paragraphs_stems() -> None:
    taxonomy = default_taxonomy()
    context = "Lee spoke. “Peace talks resume,” she said of the ceasefire."
    quote = "Peace talks resume,"
    assert taxonomy._split(quote, context) == (
        stems(quote),
        stems(context.replace(quote, " ", 1)),
    )
    assert taxonomy._split("eace talks", context) is None  # "Peace" crosses its edge
    assert taxonomy._split("Ann", context) is None  # not in the paragraph
    assert taxonomy._split("ΟΔΟΣ", "Η ΟΔΟΣ.") is None  # Σ lowers by its place


def test_the_taxonomy_file_is_read_once_and_again_when_it_changes(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Searches take the taxonomy `STATEMENT_SEARCH_TAXONOMY` names without reading the
    file per query, yet see an edit made while a process (the shell) is open."""

    assert configured_taxonomy() is default_taxonomy()
    toml = tmp_path / "mine.toml"
    toml.write_text('[topics."harbour fees"]\nterms = ["harbour:2"]\n', encoding="utf-8")
    monkeypatch.setenv("STATEMENT_SEARCH_TAXONOMY", str(toml))
    first = configured_taxonomy()
    assert "harbour fees" in first.names() and configured_taxonomy() is first
    toml.write_text('[topics."lighthouse rules"]\nterms = ["lighthouse:2"]\n', encoding="utf-8")
    changed = configured_taxonomy()
    assert "lighthouse rules" in changed.names() and "harbour fees" not in changed.names()
    toml.unlink()
    with pytest.raises(TaxonomyError, match="not found"):
        configured_taxonomy()

"""Hit text tokenised for highlights (engines/tantivy/spans.py) as tantivy's analysers do."""

from __future__ import annotations

import sys

import pytest

tantivy = pytest.importorskip("tantivy")

from statement_search.engines.tantivy.query import analyzers  # noqa: E402
from statement_search.engines.tantivy.spans import (  # noqa: E402
    _agreed,
    _agreed_char,
    highlight,
    tokens,
)


def _tantivy_tokens(text: str, stemmed: bool) -> list[tuple[int, int, str]]:
    analyzer = analyzers()[0 if stemmed else 1]
    return [
        (t.char_offset_from, t.char_offset_to, t.text) for t in analyzer.pre_tokenize(text).tokens
    ]


TEXTS = [
    "The U.S. envoy said: a ceasefire isn't peace, and 3.5% of x_y voters can't wait.",
    "Café’s “négociations” — l’Europe a dit: ça ira. Dying, lying, skies; early only.",
    "Ünïcode  Straße ΣΊΣΥΦΟΣ όσος İstanbul ǅemal 東京 ١٢٣ ٣.٤ e.g. i.e.. a.b.c x.y_z",
    "Combining: cafe\u0301 n\u0303o, marks and ²³ ½ Ⅻ ⓐ ‿ zero\u200dwidth soft\xadhyphen",
    "x" * 300 + " long " + "ab" * 130 + " end.",
    "",
    "a I 1 22 _ __ ... . .a a. the and of peaceful peacefully",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("stemmed", [True, False])
def test_tokens_as_tantivy_gives_them(text: str, stemmed: bool) -> None:
    assert tokens(text, stemmed) == _tantivy_tokens(text, stemmed)


@pytest.mark.parametrize("text", TEXTS)
def test_stem_spans_are_the_marked_tokens(text: str) -> None:
    from statement_search.engines.tantivy.spans import _stem_spans

    terms = [term for _, _, term in _tantivy_tokens(text, stemmed=True)]
    for words in ({"peac", "said"}, set(terms[::3]), set(terms), set()):
        want = [(s, e) for s, e, term in _tantivy_tokens(text, stemmed=True) if term in words]
        assert _stem_spans(text, words) == want


def test_characters_python_splits_itself_are_split_as_tantivy_does() -> None:
    # Every character the fast path accepts (`_agreed` of one non-ASCII character is
    # `_agreed_char`, asked here without its memo: a million code points would churn it).
    accepts = _agreed_char.__wrapped__
    agreed = [
        c
        for c in map(chr, range(0x80, sys.maxunicode + 1))
        if not "\ud800" <= c <= "\udfff" and accepts(c)
    ]
    assert "é" in agreed and "’" in agreed and "\u0301" not in agreed and "²" not in agreed
    assert all(_agreed(c) for c in ("é", "’", "ǅ", "١", "\u3000", "\U00020000"))
    # Each in a run of 16 neighbours, the run between words, beside dots, alone and
    # doubled.  A character one regex counts as a word character and the other does not
    # lies inside a token of the one and outside every token of the other (the verbatim
    # analyser drops only tokens over 255 bytes; a doubled run is at most 128), so it
    # splits its run differently: still every character is checked, while each distinct
    # word costs `tokens` one analyser call (one run: 16 characters' worth).
    for i in range(0, len(agreed), 512):
        chunk = agreed[i : i + 512]
        runs = ["".join(chunk[j : j + 16]) for j in range(0, len(chunk), 16)]
        text = " ".join(f"a{r}b {r} x.{r}.y {r}{r}" for r in runs)
        for stemmed in (True, False):
            assert tokens(text, stemmed) == _tantivy_tokens(text, stemmed), chunk[0]


def test_other_characters_go_to_tantivy() -> None:
    for text in ("cafe\u0301", "x²", "zero\u200dwidth", "soft\xadhyphen", "Ⓐb"):
        assert not _agreed(text)
        for stemmed in (True, False):
            assert tokens(text, stemmed) == _tantivy_tokens(text, stemmed)


def test_highlight_marks_stems_and_phrases() -> None:
    text = "Peace talks: the peaceful talk of peace, said the envoy."
    (fragment,) = highlight(text, {"peac", "talk"}, [("the", "envoy")])
    marked = [fragment.text[s:e] for s, e in fragment.matches]
    assert marked == ["Peace", "talks", "peaceful", "talk", "peace", "the envoy"]


def test_lazy_hit_is_the_hit_it_stands_for() -> None:
    import dataclasses
    import pickle

    from statement_search.engines.tantivy.spans import LazyHit
    from statement_search.models import Hit

    from .search_corpus import make_quotes

    quote = dataclasses.replace(make_quotes()[0], text="Peace talks began, said the envoy.")
    marks = ({"peac", "talk"}, [("the", "envoy")])
    eager = Hit(quote, 1.5, highlight(quote.text, *marks))
    lazy = LazyHit(quote, 1.5, marks=marks)
    assert lazy._marks is not None  # nothing worked out yet
    assert lazy == eager and eager == lazy and lazy.highlights == eager.highlights
    assert pickle.loads(pickle.dumps(LazyHit(quote, 1.5, marks=marks))) == eager
    assert dataclasses.asdict(LazyHit(quote, 1.5, marks=marks)) == dataclasses.asdict(eager)
    copied = dataclasses.replace(LazyHit(quote, 1.5, marks=marks), also=[quote])
    assert copied == Hit(quote, 1.5, eager.highlights, [quote])
    lazy.highlights = []
    assert lazy.highlights == [] and lazy != eager

"""A hit's text as the tantivy engine's analysers see it: (start, end, term) per token.

Input: a stored quote's text and which analyser (`query.analyzers`: stemmed or
verbatim); output: its tokens' character spans and terms, exactly as the
analyser's `pre_tokenize` gives them (tokens a filter drops are left out), so
highlights mark what the index matched.

The analysers tokenise with a regex (`query._WORD_PATTERN`,
`query._TWO_LETTERS_OR_MORE`) and then lowercase, drop long words and stop words,
and stem.  Where Python's `re` splits a text as tantivy's regex does, the text is
split here and each distinct word analysed once (`_term`, a bounded memo of a pure
function), which costs a fraction of handing the whole text to tantivy and turning
every token into a Python object.  Python's `\\w` and tantivy's (Rust's Unicode
`\\w`) agree on ASCII, on letters, decimal digits, spaces and punctuation other than
connectors; a text holding any other character (combining marks, symbols, other
numbers, format characters) goes to tantivy's own `pre_tokenize`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from ...models import Highlight, Hit, Quote
from ...search.highlight import fragments
from .query import _TWO_LETTERS_OR_MORE, _WORD_PATTERN, analyzers

_STEMMED_WORD, _WORD = re.compile(_TWO_LETTERS_OR_MORE), re.compile(_WORD_PATTERN)
# General categories whose characters both regex engines class the same way: letters
# and decimal digits are word characters in both, these spaces and punctuation in neither.
_AGREED = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Zs"})
_WORDS_CACHED = 1 << 16


Marks = tuple[set[str], list[tuple[str, ...]]]  # (stemmed words, verbatim phrases)


class LazyHit(Hit):
    """A `Hit` whose highlights are worked out from its quote's text (`highlight`) when
    first read: a caller using only quotes and scores (an API script, a page read past
    its end to collapse copies) does not tokenise them.  Equal to a `Hit` holding the
    same values; built as a `Hit` is (`dataclasses.replace`) it holds what it is given."""

    def __init__(
        self,
        quote: Quote,
        score: float,
        highlights: list[Highlight] | None = None,
        also: list[Quote] | None = None,
        *,
        marks: Marks | None = None,
    ) -> None:
        # `Hit.__init__`'s assignments, without its call and the `highlights` setter.
        self.quote, self.score, self.also = quote, score, [] if also is None else also
        self._highlights = highlights or []
        self._marks = marks if highlights is None else None

    @property  # type: ignore[override]
    def highlights(self) -> list[Highlight]:
        if self._marks is not None:
            self._highlights = highlight(self.quote.text, *self._marks)
            self._marks = None
        return self._highlights

    @highlights.setter
    def highlights(self, value: list[Highlight]) -> None:
        self._highlights, self._marks = value, None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Hit):
            return NotImplemented
        mine = (self.quote, self.score, self.highlights, self.also)
        return mine == (other.quote, other.score, other.highlights, other.also)

    __hash__ = None  # type: ignore[assignment]


def highlight(text: str, words: set[str], phrases: list[tuple[str, ...]]) -> list[Highlight]:
    """Fragments of `text` with the spans of matched stems and verbatim phrases."""
    spans = _stem_spans(text, words) if words else []
    if phrases:
        said = tokens(text, stemmed=False)
        terms = [term for _, _, term in said]
        for phrase in phrases:
            n = len(phrase)
            for i in range(len(terms) - n + 1):
                if tuple(terms[i : i + n]) == phrase:
                    spans.append((said[i][0], said[i + n - 1][1]))
    return fragments(text, spans)


def tokens(text: str, stemmed: bool) -> list[tuple[int, int, str]]:
    """`text`'s tokens under the stemmed (`stemmed`) or else the verbatim analyser:
    (start, end, term), character offsets, in text order, dropped tokens left out."""
    if not (text.isascii() or _agreed(text)):
        return [
            (t.char_offset_from, t.char_offset_to, t.text)
            for t in analyzers()[0 if stemmed else 1].pre_tokenize(text).tokens
        ]
    term = _term_stemmed if stemmed else _term_verbatim
    found = []
    for start, word in _placed(text, (_STEMMED_WORD if stemmed else _WORD).findall(text)):
        said = term(word)
        if said:
            found.append((start, start + len(word), said))
    return found


def _stem_spans(text: str, words: set[str]) -> list[tuple[int, int]]:
    """The spans of `text`'s tokens whose stemmed term is one of `words`."""
    if not (text.isascii() or _agreed(text)):
        return [(start, end) for start, end, term in tokens(text, True) if term in words]
    said = _STEMMED_WORD.findall(text)
    marked = {word for word in set(said) if _term_stemmed(word) in words}
    if not marked:
        return []
    spans = []
    find, at = text.find, 0
    for word in said:  # `_placed`, inline: this runs for every word of every hit shown
        at = find(word, at)
        if word in marked:
            spans.append((at, at + len(word)))
        at += len(word)
    return spans


def _placed(text: str, said: list[str]) -> Iterator[tuple[int, str]]:
    """Each of `text`'s regex matches `said` (in order) with its start.  The first place
    a match's words occur after the one before it is where it starts: the regex would
    have matched at any earlier place its words occur (it looks only forward)."""
    find, at = text.find, 0
    for word in said:
        at = find(word, at)
        yield at, word
        at += len(word)


def _agreed(text: str) -> bool:
    """Every character of `text` is one Python's `re` and tantivy's regex class alike."""
    return all(_agreed_char(c) for c in set(text) if not c.isascii())


@lru_cache(maxsize=4096)
def _agreed_char(char: str) -> bool:
    return unicodedata.category(char) in _AGREED


@lru_cache(maxsize=_WORDS_CACHED)
def _term_stemmed(word: str) -> str:
    """One token's term under the stemmed analyser ("" when a filter drops it)."""
    found = analyzers()[0].analyze(word)
    return str(found[0]) if found else ""


@lru_cache(maxsize=_WORDS_CACHED)
def _term_verbatim(word: str) -> str:
    """One token's term under the verbatim analyser ("" when a filter drops it)."""
    found = analyzers()[1].analyze(word)
    return str(found[0]) if found else ""

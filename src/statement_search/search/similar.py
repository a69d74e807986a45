"""Similar quotes, engine-neutral: a quote's best content words (tf × idf, from the
engine's analysis and statistics) and the rule that skips copies of one utterance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from ..models import Hit
from .wording import content_words, same_words, words

KEY_TERMS = 10
# Hits fetched per hit asked for: copies skipped still leave a full page.
FETCH_PER_HIT = 3


def weighed_terms(
    text: str,
    stems: Callable[[str], list[str]],
    doc_frequency: Callable[[str], int],
    idf: Callable[[str], float],
) -> list[tuple[str, float]]:
    """The best `KEY_TERMS` of a quote's content words, stemmed by `stems`, weighted
    tf × `idf`: engine-neutral (each engine gives its analysis and statistics).

    A term no other quote holds finds nothing and is left out.
    """
    wanted = content_words(text)
    counts: Counter[str] = Counter()
    for word in words(text):
        if word in wanted:
            counts.update(stems(word))
    weighted = [
        (term, count * idf(term)) for term, count in counts.items() if doc_frequency(term) >= 2
    ]
    weighted.sort(key=lambda pair: (-pair[1], pair[0]))
    return weighted[:KEY_TERMS]


def is_copy(text: str, asked: str, kept: list[Hit]) -> bool:
    """Whether a found quote is the asked quote or a hit already kept, in another outlet's
    copy: one utterance is listed once."""
    return same_words(text, asked) or any(same_words(text, h.quote.text) for h in kept)

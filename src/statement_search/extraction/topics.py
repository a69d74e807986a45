"""Topic stage: a quote's words → 0–3 topic names from an editable taxonomy.

The taxonomy is TOML (the default ships as `data/taxonomy.toml`)::

    [topics."peace and negotiations"]
    parent = "diplomacy and international relations"   # optional
    weight = 1.0                                         # optional, scales every term
    terms = ["peace", "ceasefire:2", "peace talks:2"]    # "term" or "term:weight"

Terms and phrases are matched on stems (Porter for Latin script, Snowball
Russian for Cyrillic, both PyStemmer's; `Taxonomy.stemmer` may replace Porter), so
"negotiate" also finds "negotiations"; a phrase
matches consecutive stems.  A user file extends the default; a topic with the
same name replaces the default one.

Example:
    >>> default_taxonomy().tag("We are ready for peace talks.")
    ('peace and negotiations',)
"""

from __future__ import annotations

import bisect
import math
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources
from itertools import compress
from pathlib import Path
from typing import Any

from ..errors import TaxonomyError
from ..small_files import read_small_file

# A taxonomy is a few kB of TOML; the shipped one is 13 kB.
MAX_TAXONOMY_BYTES = 1_048_576

# Scoring, chosen by reading the tags of every quote the extractor finds in
# ../shared/eval/domain-dev/texts and polnear-dev/dev/texts:
# - a cue in the quote counts fully, one in the rest of its paragraph at 0.35;
#   repeats of one cue add little (1 + ln n), so one word said five times is not a topic;
# - a topic needs MIN_SCORE (an ordinary cue in the quote, a strong one or three
#   ordinary ones in the paragraph) and RELATIVE_CUTOFF of the best topic's score,
#   so a passing mention does not ride along with the main subject;
# - a quote that reaches no topic this way ("Of course," "We will work together")
#   takes the single best topic of its own words plus the neighbouring text
#   (`nearby`, e.g. the previous paragraph) at NEARBY_WEIGHT: a reply is about
#   what it replies to.
QUOTE_WEIGHT = 1.0
CONTEXT_WEIGHT = 0.35
# Readers sometimes hand over a whole article as one "paragraph": cap what the
# context can add to one topic, so the quote's own words still decide.
CONTEXT_CAP = 1.0
NEARBY_WEIGHT = 0.5
MIN_SCORE = 0.65
RELATIVE_CUTOFF = 0.45
MAX_TOPICS = 3

# Texts whose cue counts a taxonomy remembers before it starts over.
COUNTS_MEMO_SIZE = 4096
# Paragraphs whose words and stems it remembers (a paragraph's quotes come together).
WORDS_MEMO_SIZE = 16

# Possessive: nothing after a word can make it give characters back, so the engine
# keeps no backtracking state (same words as the greedy `[^\W_]+(?:['’][^\W_]+)*`).
_WORD = re.compile(r"[^\W_]++(?:['’][^\W_]++)*+")
_CYRILLIC = re.compile(r"[а-яё]")


# Words whose stems a stemming function's cache keeps (`cached_stemmer`).
STEM_CACHE_SIZE = 50_000


# A stemming function for one lower-cased Latin-script word.
Stemmer = Callable[[str], str]


def porter_stem(word: str) -> str:
    """Porter's original algorithm (PyStemmer's `porter`): the default Latin-script stemmer.

    The Whoosh engine may pass Whoosh's own Porter (`whoosh.lang.porter.stem`) instead;
    the two differ on about 1% of words.
    """
    return _snowball("porter").stemWord(word)  # type: ignore[no-any-return]


@cache
def _snowball(language: str) -> Any:
    import Stemmer

    return Stemmer.Stemmer(language)


@cache
def word_stemmer(latin: Stemmer) -> Stemmer:
    """One lower-cased word → its stem: `latin` for Latin script (possessive `'s` off),
    Snowball Russian for Cyrillic; cached because political text repeats itself."""
    cached = cached_stemmer(latin)
    russian = _snowball("russian").stemWord

    @lru_cache(maxsize=50_000)
    def stem(word: str) -> str:
        if _CYRILLIC.search(word):
            return russian(word)  # type: ignore[no-any-return]
        return cached(word.replace("’", "'").removesuffix("'s"))

    return stem


@cache
def cached_stemmer(stemfn: Callable[[str], str]) -> Callable[[str], str]:
    """`stemfn` with a cache, one per function: topics and the index's analysis
    (engines/whoosh/indexers.py) stem mostly the same words with Porter's stemmer, a slow one."""
    return lru_cache(maxsize=STEM_CACHE_SIZE)(stemfn)


def stems(text: str, stemmer: Stemmer | None = None) -> list[str]:
    """The stems of `text`'s words, in order (the unit terms and quotes are compared in);
    `stemmer` stems Latin-script words (default `porter_stem`)."""
    return list(map(word_stemmer(stemmer or porter_stem), _WORD.findall(text.lower())))


# (topic, cue stems, weight) → how often the cue fires in a text
_Counts = dict[tuple[str, tuple[str, ...], float], int]


@dataclass(frozen=True)
class Topic:
    """One topic: its cue terms (as written) with weights, and where it sits."""

    name: str
    terms: Mapping[str, float]
    weight: float = 1.0
    parent: str | None = None


@dataclass
class Taxonomy:
    """Topics with weighted cue terms; `tag` picks the 0–3 that fit a quote."""

    topics: dict[str, Topic] = field(default_factory=dict)
    # Stems Latin-script words (module-level, so a taxonomy pickles); None: `porter_stem`.
    stemmer: Stemmer | None = None

    def stemmed_by(self, stemmer: Stemmer | None) -> Taxonomy:
        """This taxonomy with `stemmer` for its cue terms and texts (itself when the same)."""
        if stemmer is self.stemmer:
            return self
        made = self._variants.get(stemmer)
        if made is None:
            made = self._variants[stemmer] = Taxonomy(self.topics, stemmer)
        return made

    @cached_property
    def _variants(self) -> dict[Stemmer | None, Taxonomy]:
        """`stemmed_by`'s taxonomies, kept so their cue stems are worked out once."""
        return {}

    def names(self) -> list[str]:
        """Every topic name, sorted."""
        return sorted(self.topics)

    def resolve(self, name: str) -> str | None:
        """The topic's name as the taxonomy spells it, matched without regard to case."""
        if name in self.topics:
            return name
        folded = name.strip().casefold()
        return next((n for n in self.topics if n.casefold() == folded), None)

    def children(self, name: str) -> set[str]:
        """Topics whose parent is `name` (direct children only)."""
        return {t.name for t in self.topics.values() if t.parent == name}

    def descendants(self, name: str) -> set[str]:
        """`name` and every topic below it — what a search for `name` should include."""
        found = {name}
        frontier = [name]
        while frontier:
            for child in self.children(frontier.pop()):
                if child not in found:
                    found.add(child)
                    frontier.append(child)
        return found

    @cached_property
    def _cues(self) -> dict[str, list[tuple[tuple[str, ...], str, float]]]:
        """First stem → (stem sequence, topic, weight), longest phrases first."""
        best: dict[tuple[tuple[str, ...], str], float] = {}
        for topic in self.topics.values():
            for term, weight in topic.terms.items():
                # "threat" and "threats" share a stem: count it once, at its highest weight.
                key = (tuple(stems(term, self.stemmer)), topic.name)
                if key[0]:
                    best[key] = max(best.get(key, 0.0), weight * topic.weight)
        cues: dict[str, list[tuple[tuple[str, ...], str, float]]] = {}
        for (seq, name), weight in best.items():
            cues.setdefault(seq[0], []).append((seq, name, weight))
        for entries in cues.values():
            entries.sort(key=lambda e: (-len(e[0]), e[1]))
        return cues

    @cached_property
    def _counted(self) -> dict[str, _Counts]:
        """`_counts` of texts seen lately: a paragraph's quotes share the text before them
        (`nearby`), and generated corpora repeat whole paragraphs."""
        return {}

    @cached_property
    def _worded(self) -> dict[str, tuple[list[int], list[int], list[str]] | None]:
        """`_paragraph_words` of paragraphs seen lately."""
        return {}

    def __getstate__(self) -> dict[str, Any]:
        skip = ("_counted", "_variants", "_worded")
        return {k: v for k, v in self.__dict__.items() if k not in skip}

    def _paragraph_words(self, context: str) -> tuple[list[int], list[int], list[str]] | None:
        """Where each word of `context` starts and ends, and its stem; None when lower-casing
        is not one character for one (then a slice's words are not its own)."""
        worded = self._worded
        if context in worded:
            return worded[context]
        if len(worded) >= WORDS_MEMO_SIZE:
            worded.clear()
        lowered = context.lower()
        found: tuple[list[int], list[int], list[str]] | None = None
        if len(lowered) == len(context) and "Σ" not in context:  # Σ lowers by its place
            # `map` over the matches' own methods: no Python frame per word.
            found_words = list(_WORD.finditer(lowered))
            stem = word_stemmer(self.stemmer or porter_stem)
            words = list(map(stem, map(re.Match.group, found_words)))
            found = (
                list(map(re.Match.start, found_words)),
                list(map(re.Match.end, found_words)),
                words,
            )
        worded[context] = found
        return found

    def _split(self, text: str, context: str) -> tuple[list[str], list[str]] | None:
        """`stems(text)` and `stems(context.replace(text, " ", 1))` from the paragraph's
        stems, worked out once: None when `text` is not in it or a word crosses its edges."""
        at = context.find(text)
        found = self._paragraph_words(context) if at >= 0 else None
        if found is None:
            return None
        starts, ends, words = found
        end = at + len(text)
        before = bisect.bisect_right(ends, at)  # the words that end by the quote's start
        after = bisect.bisect_left(starts, end)  # the first word from the quote's end on
        if (before < len(starts) and starts[before] < at) or (after and ends[after - 1] > end):
            return None
        return words[before:after], words[:before] + words[after:]

    def _counts(self, text: str, words: list[str] | None = None) -> _Counts:
        """How often each (topic, cue, weight) fires in `text` (remembered per text);
        `words`, when given, are `stems(text)`."""
        counted = self._counted
        counts = counted.get(text)
        if counts is None:
            if len(counted) >= COUNTS_MEMO_SIZE:
                counted.clear()
            counts = counted[text] = self._count(text, words)
        return counts

    def _count(self, text: str, words: list[str] | None = None) -> _Counts:
        """How often each (topic, cue, weight) fires; the longest phrase at a spot wins."""
        if words is None:
            words = stems(text, self.stemmer)
        cues = self._cues
        counts: _Counts = {}
        free = 0  # the first word not inside a phrase found already
        # The spots of cue words, told in C: no Python frame per word.
        for i in compress(range(len(words)), map(cues.__contains__, words)):
            if i < free:
                continue
            longest = 0
            for seq, topic, weight in cues[words[i]]:
                if longest and len(seq) < longest:
                    break
                if tuple(words[i : i + len(seq)]) == seq:
                    longest = len(seq)
                    key = (topic, seq, weight)
                    counts[key] = counts.get(key, 0) + 1
            free = i + (longest or 1)
        return counts

    def scores(self, text: str, context: str = "", nearby: str = "") -> dict[str, float]:
        """Score of every topic with a cue in the quote, its paragraph or nearby text."""
        parts = self._parts(text, context)
        if nearby:
            parts.append((self._part_scores(nearby, NEARBY_WEIGHT), CONTEXT_CAP))
        return _total(parts)

    def _parts(self, text: str, context: str) -> list[tuple[dict[str, float], float]]:
        """Each topic's score from the quote and from the rest of its paragraph, with caps."""
        rest = context.replace(text, " ", 1) if text else context
        split = self._split(text, context) if text and context else None
        said, other = split or (None, None)
        parts = ((text, QUOTE_WEIGHT, math.inf, said), (rest, CONTEXT_WEIGHT, CONTEXT_CAP, other))
        return [
            (self._part_scores(part, factor, words), cap)
            for part, factor, cap, words in parts
            if part
        ]

    def _part_scores(
        self, part: str, factor: float, words: list[str] | None = None
    ) -> dict[str, float]:
        added: dict[str, float] = {}
        for (topic, _, weight), n in self._counts(part, words).items():
            added[topic] = added.get(topic, 0.0) + factor * weight * (1 + math.log(n))
        return added

    def tag(self, text: str, context: str = "", nearby: str = "") -> tuple[str, ...]:
        """Up to three topics for a quote, best first (ties by name): deterministic.

        `context` is the quote's paragraph; `nearby` optional text around it
        (the previous paragraph), used only when the quote and paragraph name
        no topic, as short replies do.
        """
        parts = self._parts(text, context)
        chosen = _pick(_total(parts), MAX_TOPICS)
        if not chosen and nearby:
            # The quote's and paragraph's scores are kept, only `nearby` is new.
            parts.append((self._part_scores(nearby, NEARBY_WEIGHT), CONTEXT_CAP))
            chosen = _pick(_total(parts), 1)
        return chosen


def _total(parts: list[tuple[dict[str, float], float]]) -> dict[str, float]:
    """The parts' scores summed per topic, each part's capped, in the parts' order."""
    total: dict[str, float] = {}
    for added, cap in parts:
        for topic, score in added.items():
            total[topic] = total.get(topic, 0.0) + min(score, cap)
    return total


def _pick(scores: dict[str, float], limit: int) -> tuple[str, ...]:
    """The best `limit` topics that clear both thresholds, best first, ties by name."""
    ranked = sorted(scores.items(), key=lambda s: (-s[1], s[0]))
    if not ranked or ranked[0][1] < MIN_SCORE:
        return ()
    floor = max(MIN_SCORE, ranked[0][1] * RELATIVE_CUTOFF)
    return tuple(name for name, score in ranked[:limit] if score >= floor)


def _parse_term(raw: object, where: str) -> tuple[str, float]:
    """'peace talks:2' → ('peace talks', 2.0); a bare term weighs 1."""
    if not isinstance(raw, str) or not raw.strip():
        raise TaxonomyError(f"{where}: every term must be a non-empty string, got {raw!r}")
    term, sep, weight = raw.rpartition(":")
    if not sep:
        return raw.strip(), 1.0
    try:
        value = float(weight)
    except ValueError:
        raise TaxonomyError(f"{where}: term {raw!r} has a weight that is not a number") from None
    if not term.strip() or not math.isfinite(value) or value <= 0:
        raise TaxonomyError(f"{where}: term {raw!r} needs a text and a positive weight")
    return term.strip(), value


def _parse_topic(name: str, table: object, source: str) -> Topic:
    where = f"{source}: topic {name!r}"
    if not name.strip() or "," in name:
        raise TaxonomyError(f"{where}: a topic name must be non-empty and contain no comma")
    if not isinstance(table, dict):
        raise TaxonomyError(f"{where} must be a table with `terms`")
    unknown = set(table) - {"terms", "weight", "parent"}
    if unknown:
        raise TaxonomyError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    raw_terms = table.get("terms")
    if not isinstance(raw_terms, list):
        raise TaxonomyError(f"{where}: `terms` must be a list of strings")
    if not raw_terms:
        raise TaxonomyError(f"{where}: `terms` is empty")
    terms: dict[str, float] = {}
    for raw in raw_terms:
        term, weight = _parse_term(raw, where)
        if not stems(term):
            raise TaxonomyError(f"{where}: term {raw!r} has no words")
        terms[term] = weight
    weight = table.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
        raise TaxonomyError(f"{where}: `weight` must be a positive number")
    parent = table.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise TaxonomyError(f"{where}: `parent` must be a topic name")
    return Topic(name=name, terms=terms, weight=float(weight), parent=parent)


def parse_taxonomy(text: str, source: str, base: Taxonomy | None = None) -> Taxonomy:
    """Topics from TOML `text` on top of `base`; `source` names the file in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"{source}: not valid TOML ({exc})") from None
    tables = data.get("topics")
    if not isinstance(tables, dict) or not tables:
        raise TaxonomyError(f"{source}: no [topics.NAME] tables")
    topics = dict(base.topics) if base else {}
    for name, table in tables.items():
        topics[name] = _parse_topic(name, table, source)
    _check_parents(topics.values(), source)
    return Taxonomy(topics, base.stemmer if base else None)


def _check_parents(topics: Iterable[Topic], source: str) -> None:
    """Every parent exists and no topic is its own ancestor."""
    by_name = {t.name: t for t in topics}
    for topic in by_name.values():
        seen = {topic.name}
        parent = topic.parent
        while parent is not None:
            if parent not in by_name:
                raise TaxonomyError(f"{source}: topic {topic.name!r} has unknown parent {parent!r}")
            if parent in seen:
                raise TaxonomyError(f"{source}: topic {topic.name!r} is its own ancestor")
            seen.add(parent)
            parent = by_name[parent].parent


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    """The shipped taxonomy, parsed once per process."""
    text = resources.files("statement_search").joinpath("data/taxonomy.toml").read_text("utf-8")
    return parse_taxonomy(text, "default taxonomy")


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """The default taxonomy, extended (or topics replaced) by the TOML file at `path`."""
    if path is None:
        return default_taxonomy()
    source = str(path)
    try:
        data = read_small_file(path, MAX_TAXONOMY_BYTES, TaxonomyError)
    except FileNotFoundError:
        raise TaxonomyError(f"{source}: taxonomy file not found") from None
    except OSError as exc:
        raise TaxonomyError(f"{source}: cannot read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise TaxonomyError(f"{source}: not a UTF-8 text file") from None
    return parse_taxonomy(text, source, base=default_taxonomy())


def configured_taxonomy() -> Taxonomy:
    """The taxonomy `STATEMENT_SEARCH_TAXONOMY` names (else the default): parsed once, and
    again when that file changes (a shell stays open while its user edits the file)."""
    path = os.environ.get("STATEMENT_SEARCH_TAXONOMY") or None
    try:
        stat = os.stat(path) if path else None
    except (OSError, ValueError):  # not kept: load_taxonomy says why, as one line
        return load_taxonomy(path)
    return _taxonomy_at(path, stat and (stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=4)
def _taxonomy_at(path: str | None, version: tuple[int, int] | None) -> Taxonomy:
    return load_taxonomy(path)

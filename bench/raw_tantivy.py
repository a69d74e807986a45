"""Raw tantivy: the same quotes in a tantivy index, queried without statement-search (#21).

The index is built straight from `Quote`s with the engine's own schema
(`engines/tantivy_schema.build_schema`) and analysers, so it holds what the
tantivy engine holds.  Setup (schema, analysers, the documents' stored JSON)
uses statement-search's code; the timed path (`RawTantivy.run`) does not:
tantivy's query parser over the stemmed fields with the engine's boosts (or
`exact:"…"` for a phrase), the title's optional boost as the engine adds it
(`title_boost=False` leaves it out, so the ranking differs from the engine's),
filters as tantivy term and range queries scoring nothing (a speaker or topic
filter's terms made before timing, `keys`: the engine's own, or else one folded
key, which finds fewer quotes than the engine), one searcher kept for
the run, the top 10 fetched and their stored JSON decoded, and for highlighted
queries the hit text tokenised with tantivy's analyser to find the query's stems.
It is the floor the engine is held to: what tantivy costs from Python to rank as
the engine ranks, before our layer adds its query language, speaker aliases,
topic taxonomy, tie order and highlight fragments."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import tantivy
from fts import FtsQuery

from statement_search.engines.tantivy.query import FIELD_BOOSTS, TITLE_BOOST, analyzers
from statement_search.engines.tantivy.schema import (
    STEMMED,
    VERBATIM,
    build_schema,
    quote_document,
)
from statement_search.models import Quote, quote_to_json
from statement_search.search.filters import fold

_HEAP = 256_000_000


class RawTantivy:
    """A tantivy index at `path` with one searcher, for timing tantivy alone."""

    def __init__(self, path: Path, create: bool = False, title_boost: bool = True) -> None:
        if create:
            path.mkdir(parents=True, exist_ok=True)
            self.index = tantivy.Index(build_schema(), path=str(path), reuse=False)
        else:
            self.index = tantivy.Index.open(str(path))
        self.stemmed, verbatim = analyzers()
        self.index.register_tokenizer(STEMMED, self.stemmed)
        self.index.register_tokenizer(VERBATIM, verbatim)
        self.schema = self.index.schema
        self.title_boost = title_boost
        self._writer: Any = None
        self.searcher: Any = None
        self.add_seconds = 0.0

    def add(self, quote: Quote) -> None:
        """One quote, stored and indexed as the tantivy engine files it (its time summed)."""
        started = time.perf_counter()
        if self._writer is None:
            self._writer = self.index.writer(heap_size=_HEAP, num_threads=1)
        stored = json.dumps(quote_to_json(quote), ensure_ascii=False).encode()
        self._writer.add_document(quote_document(quote, stored))
        self.add_seconds += time.perf_counter() - started

    def commit(self) -> None:
        started = time.perf_counter()
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None
        self.index.reload()
        self.searcher = self.index.searcher()
        self.add_seconds += time.perf_counter() - started

    @staticmethod
    def keys(q: FtsQuery, engine: Any = None) -> tuple[list[str], list[str]]:
        """The query's speaker and topic terms, made before timing: with the tantivy
        `engine` of an index of the same quotes, the terms its filters ask for (a name's
        aliases and namesakes, a topic's children); without, the one folded key each."""
        if engine is None:
            return (
                [fold(q.speaker)] if q.speaker else [],
                [fold(q.topic)] if q.topic else [],
            )
        from statement_search.extraction.topics import configured_taxonomy

        with engine._pin():  # the engine's own lookups, as its filters make them
            return (
                engine._speaker_terms(q.speaker) if q.speaker else [],
                engine._topic_terms(q.topic, configured_taxonomy()) if q.topic else [],
            )

    def run(self, q: FtsQuery, keys: tuple[list[str], list[str]]) -> list[str]:
        """The top-10 ids for `q`: parse, filter, search, fetch and decode (and highlight)."""
        if q.phrase:
            query = self.index.parse_query('exact:"' + " ".join(q.words) + '"')
        else:
            query = self.index.parse_query(
                " ".join(q.words), list(FIELD_BOOSTS), FIELD_BOOSTS, conjunction_by_default=True
            )
            if self.title_boost:  # the title's optional boost, as the engine asks it
                stems = sorted({str(t) for w in q.words for t in self.stemmed.analyze(w)})
                title = tantivy.Query.boolean_query(
                    [
                        (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "title", t))
                        for t in stems
                    ]
                )
                query = tantivy.Query.boolean_query(
                    [
                        (tantivy.Occur.Must, query),
                        (tantivy.Occur.Should, tantivy.Query.boost_query(title, TITLE_BOOST)),
                    ]
                )
        filters = []
        speakers, topics = keys
        if q.speaker:
            filters.append(self._any("speaker_key", speakers))
        if q.topic:
            filters.append(self._any("topics", topics))
        if q.since and q.until:
            lo = q.since.year * 10000 + q.since.month * 100 + q.since.day
            hi = q.until.year * 10000 + q.until.month * 100 + q.until.day
            filters.append(
                tantivy.Query.range_query(self.schema, "date", tantivy.FieldType.Integer, lo, hi)
            )
        if filters:
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, query)]
                + [(tantivy.Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in filters]
            )
        searcher = self.searcher
        docs = [
            json.loads(bytes(searcher.doc(address).get_first("doc")).decode())
            for _, address in searcher.search(query, 10).hits
        ]
        if q.highlight:
            marked = {t for w in q.words for t in self.stemmed.analyze(w)}
            for doc in docs:
                doc["spans"] = [
                    (t.char_offset_from, t.char_offset_to)
                    for t in self.stemmed.pre_tokenize(doc["text"]).tokens
                    if t.text in marked
                ]
        return [doc["id"] for doc in docs]

    def _any(self, field: str, terms: list[str]) -> Any:
        """Documents holding any of `terms` in keyword `field` (none: no document)."""
        queries = [tantivy.Query.term_query(self.schema, field, t) for t in terms]
        if len(queries) == 1:
            return queries[0]
        if not queries:
            return tantivy.Query.empty_query()
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, t) for t in queries])

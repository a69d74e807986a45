"""Every answer the tantivy layer gives for the bench query set, as one JSON file (#21).

Two versions of the code give the same answers when their files are equal:
    .venv/bin/python bench/layer_answers.py DIR /tmp/mine.json
    PYTHONPATH=/work/main/src .venv/bin/python bench/layer_answers.py DIR /tmp/main.json
    cmp /tmp/mine.json /tmp/main.json

DIR is an index `bench_engines.py` built; the query set is the one `tantivy_layer.py`
keeps beside it (run that first), asked as the bench asks it, then again as the
query language's other forms (`word*`, `word~`, a phrase with a word, NOT, sorted by
date, a second page).  Each hit: id, score (repr), speaker, the quote's every field
and its highlight fragments with their spans; plus the notices.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pickle
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_engines import whoosh_text  # noqa: E402

from statement_search import QuoteIndex  # noqa: E402


def _variants(q: Any) -> list[tuple[str, dict[str, Any]]]:
    """The bench query as asked, and as the query language's other forms."""
    text = whoosh_text(q)
    filters = {"speaker": q.speaker, "topic": q.topic, "since": q.since, "until": q.until}
    word = q.words[0]
    asked = [
        (text, filters),
        (f"{word[:4]}*", filters),
        (f"{word}~", {}),
        (f'"{word}" {q.words[-1]}', {}),
        (f"{word} NOT {q.words[-1]}", {}),
    ]
    return asked


def _answer(ix: Any, text: str, filters: dict[str, Any], **paging: Any) -> dict[str, Any]:
    hits = ix.search(text, **filters, **paging)
    return {
        "query": text,
        "notices": list(hits.notices),
        "hits": [
            {
                "id": h.quote.id,
                "score": repr(h.score),
                "speaker": h.quote.speaker,
                "quote": {k: str(v) for k, v in dataclasses.asdict(h.quote).items()},
                "highlights": [[f.text, [list(s) for s in f.matches]] for f in h.highlights],
            }
            for h in hits
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    ix = QuoteIndex.open(args.index)
    saved = args.index.parent / f"{args.index.name}-layer-queries.pkl"
    queries = pickle.loads(saved.read_bytes())
    answers = []
    for batch in queries.values():
        for q in batch:
            for text, filters in _variants(q):
                answers.append(_answer(ix, text, filters, limit=10))
            text = whoosh_text(q)
            answers.append(_answer(ix, text, {}, limit=10, offset=10))
            answers.append(_answer(ix, text, {}, limit=5, sort="date"))
    args.out.write_text(json.dumps(answers, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"{len(answers)} answers, {sum(len(a['hits']) for a in answers)} hits → {args.out}")


if __name__ == "__main__":
    main()

"""Extraction speed: articles per second through `extract_quotes`, one core, in-process.

Reads PolNeAR-sized articles from ../shared/eval/polnear-dev/train/texts at run
time (nothing is copied).  Topic tagging is switched off so only the
extraction stage (quotes, transcripts, speakers) is timed.

    .venv/bin/python bench/bench_extract.py [TEXTS_DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from statement_search.extraction.extract import extract_quotes
from statement_search.extraction.topics import Taxonomy
from statement_search.readers import read_article

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT.parent / "shared" / "eval" / "polnear-dev" / "train" / "texts"


class _NoTopics(Taxonomy):
    def tag(self, text: str, context: str = "", nearby: str = "") -> tuple[str, ...]:
        return ()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("texts", nargs="?", type=Path, default=TEXTS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    articles = [read_article(p) for p in sorted(args.texts.glob("*.txt"))]
    if not articles:
        raise SystemExit(f"no .txt articles in {args.texts}")
    chars = sum(len(a.text) for a in articles)
    no_topics = _NoTopics()
    best = float("inf")
    quotes = 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        quotes = sum(len(extract_quotes(a, no_topics)) for a in articles)
        best = min(best, time.perf_counter() - started)
    print(
        f"{len(articles)} articles ({chars / len(articles):.0f} chars avg), {quotes} quotes: "
        f"{best:.2f} s, {len(articles) / best:.0f} articles/s (best of {args.repeat})"
    )


if __name__ == "__main__":
    main()

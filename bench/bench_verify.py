"""`verify` timings: p50/p95 over quotations taken from the index and altered in known ways.

Run: .venv/bin/python bench/bench_verify.py --texts ../shared/eval/polnear-dev/train/texts
     [--scale 0.3] [--queries 200]

The corpus is `generate.py`'s (scale 1 = about 28,000 quotes from 840 articles; from 2x on,
articles come back recombined as other outlets' copies); the index is built in a temporary
folder and removed.  Each query is a passage of 6–20 words of a random indexed quote, as
printed (verbatim), with a word dropped, with a word changed, or its words shuffled
(mostly `not found`).  Goal (#22): p95 under 50 ms at 10x.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402
from measure import machine_line, percentile  # noqa: E402

from statement_search import QuoteIndex  # noqa: E402

_WORD = re.compile(r"\w+(?:['’]\w+)*")


def _passage(rng: random.Random, text: str, variant: str) -> str | None:
    """6–20 consecutive words of `text` as printed, altered as `variant` says."""
    spans = [m.span() for m in _WORD.finditer(text)]
    if len(spans) < 6:
        return None
    length = rng.randint(6, min(20, len(spans)))
    first = rng.randrange(0, len(spans) - length + 1)
    chosen = spans[first : first + length]
    start, end = chosen[0][0], chosen[-1][1]
    if variant == "dropped":  # an inner word and the space after it
        lo, hi = chosen[rng.randrange(1, length - 1)]
        return text[start:lo] + text[hi:end].lstrip()
    if variant == "changed":
        lo, hi = chosen[rng.randrange(length)]
        word = rng.choice(["never", "always", "tomorrow", "war"])
        return text[start:lo] + word + text[hi:end]
    if variant == "other":  # the same words in another order
        words = [text[lo:hi] for lo, hi in chosen]
        rng.shuffle(words)
        return " ".join(words)
    return text[start:end]


def queries(ix: QuoteIndex, count: int, seed: int) -> list[tuple[str, str]]:
    """(variant, text) pairs: verbatim, dropped, changed, other."""
    rng = random.Random(seed)
    searcher = ix.engine.searcher()
    total = searcher.doc_count_all()
    made: list[tuple[str, str]] = []
    variants = ("verbatim", "dropped", "changed", "other")
    while len(made) < count:
        variant = variants[len(made) % len(variants)]
        fields = searcher.stored_fields(rng.randrange(total))
        text = _passage(rng, fields.get("text") or "", variant) if fields else None
        if text:
            made.append((variant, text))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=Path, required=True, help="folder of source articles")
    parser.add_argument("--scale", type=float, default=0.3)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-verify-") as tmp:
        corpus = Path(tmp) / "corpus"
        info = generate(args.texts, args.scale, corpus)
        started = time.perf_counter()
        ix = QuoteIndex.build(Path(tmp) / "index", [corpus])
        built = time.perf_counter() - started
        asked = queries(ix, args.queries, seed=22)
        ix.verify(asked[0][1])  # warm: searcher, analysers, filter caches
        times: dict[str, list[float]] = {}
        verdicts: Counter[tuple[str, str]] = Counter()
        for variant, text in asked:
            began = time.perf_counter()
            result = ix.verify(text)
            times.setdefault(variant, []).append((time.perf_counter() - began) * 1000)
            verdicts[(variant, result.verdict)] += 1
        quotes = ix.engine.searcher().doc_count()
        ix.close()
    print(machine_line())
    print(
        f"scale {args.scale}: {info.articles} articles, {quotes} quotes, built in {built:.1f} s; "
        f"{len(asked)} queries"
    )
    every = [t for values in times.values() for t in values]
    for name, values in [*times.items(), ("all", every)]:
        print(
            f"  {name:9} p50 {percentile(values, 50):6.1f} ms  p95 {percentile(values, 95):6.1f} ms"
            f"  max {max(values):6.1f} ms"
        )
    print("  verdicts:", ", ".join(f"{v}→{r}: {n}" for (v, r), n in sorted(verdicts.items())))


if __name__ == "__main__":
    main()

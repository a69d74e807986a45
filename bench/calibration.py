"""Is `confidence` calibrated? Confidence bucket → share of right speakers, per gold set.

A quote counts when it matches a gold quote (the scorer's matching) whose gold
speaker is not null and it has a speaker of its own; it is right by the
scorer's `speaker_right` (last names agree, first initials do not clash).
Quotes without a speaker have confidence 0 and are left out.  `--by-rule`
prints the share per attribution rule instead (how `confidence.py`'s table
is fitted, on the training set only).

    .venv/bin/python bench/calibration.py                      # the four dev sets
    .venv/bin/python bench/calibration.py --by-rule --sets polnear-dev/train
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

from statement_search.extraction import extract as extract_module
from statement_search.extraction.extract import extract_quotes
from statement_search.extraction.topics import Taxonomy
from statement_search.readers import read_article

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
DEV_SETS = ["domain-dev", "polnear-dev/dev", "transcripts-dev", "multilingual-dev"]
BUCKETS = [(0.9, 1.01), (0.8, 0.9), (0.7, 0.8), (0.5, 0.7), (0.0, 0.5)]


class _NoTopics(Taxonomy):
    def tag(self, text: str, context: str = "", nearby: str = "") -> tuple[str, ...]:
        return ()


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_quotes", EVAL / "score_quotes.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no scorer at {EVAL / 'score_quotes.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _predictions(gold_dir: Path, rules: dict[str, str]) -> list[dict[str, Any]]:
    """Every quote of the set's texts, with the rule that named its speaker in `rules`."""
    made: list[tuple[str, str, str | None]] = []
    original = extract_module.confidence

    def noting(rule: str, how: str, speaker: str | None) -> float:
        made.append((rule, how, speaker))
        return original(rule, how, speaker)

    extract_module.confidence = noting  # type: ignore[assignment]
    preds = []
    try:
        for path in sorted((gold_dir / "texts").iterdir()):
            if not path.is_file():
                continue
            made.clear()
            quotes = extract_quotes(read_article(path), _NoTopics())
            for quote, (rule, how, speaker) in zip(quotes, made, strict=True):
                single = "full" if speaker and len(speaker.split()) > 1 else "single"
                rules[quote.id] = f"{rule or '-'}/{how}/{single}"
                preds.append(
                    {
                        "file": path.name,
                        "quote": quote.text,
                        "start": quote.start,
                        "end": quote.end,
                        "speaker": quote.speaker,
                        "confidence": quote.confidence,
                        "id": quote.id,
                    }
                )
    finally:
        extract_module.confidence = original  # type: ignore[assignment]
    return preds


def judged(gold_dir: Path, rules: dict[str, str]) -> list[tuple[dict[str, Any], bool]]:
    """(prediction, right speaker) for each prediction with a speaker matched to a gold
    quote with a speaker."""
    sq = _scorer()
    _, _, gold = sq.load_gold(str(gold_dir))
    preds = _predictions(gold_dir, rules)
    by_file: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for pred in preds:
        by_file[pred["file"]].append(pred)
    out = []
    for name, golds in gold.items():
        mine = by_file.get(name, [])
        for record in golds + mine:
            record["_tok"] = collections.Counter(sq.tokens(record["quote"]))
        pairs = sq.greedy_match(
            golds,
            mine,
            lambda g, p: (lambda s: s if s >= 0.5 else None)(sq.overlap(g, p, True)),
        )
        for i, j, _ in pairs:
            g, p = golds[i], mine[j]
            if g.get("speaker") and p["speaker"]:
                out.append((p, bool(sq.speaker_right(g["speaker"], p["speaker"]))))
    return out


def _table(rows: list[tuple[dict[str, Any], bool]]) -> list[str]:
    lines = [f"  {'confidence':<12}{'quotes':>8}{'right':>8}{'share':>8}"]
    for lo, hi in BUCKETS:
        inside = [right for p, right in rows if lo <= p["confidence"] < hi]
        share = f"{sum(inside) / len(inside):.3f}" if inside else "-"
        label = f"{lo:.1f}–{min(hi, 1.0):.1f}"
        lines.append(f"  {label:<12}{len(inside):>8}{sum(inside):>8}{share:>8}")
    return lines


def main() -> None:
    warnings.filterwarnings("ignore")  # bs4's notes on XML-looking pages, not results
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", nargs="*", default=DEV_SETS, help="gold sets under shared/eval")
    parser.add_argument("--by-rule", action="store_true", help="share per attribution rule")
    args = parser.parse_args()
    everything: list[tuple[dict[str, Any], bool]] = []
    rules: dict[str, str] = {}
    for name in args.sets:
        gold_dir = EVAL / name
        if not (gold_dir / "gold.jsonl").is_file():
            raise SystemExit(f"no gold set at {gold_dir}")
        rows = judged(gold_dir, rules)
        everything += rows
        if not args.by_rule:
            print(f"{name}:")
            print("\n".join(_table(rows)))
    if args.by_rule:
        groups: dict[str, list[bool]] = collections.defaultdict(list)
        for pred, right in everything:
            groups[rules[pred["id"]]].append(right)
        print(f"  {'rule/how/name':<36}{'quotes':>8}{'share':>8}")
        for key, rights in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            print(f"  {key:<36}{len(rights):>8}{sum(rights) / len(rights):>8.3f}")
        return
    print("all sets:")
    print("\n".join(_table(everything)))


if __name__ == "__main__":
    main()

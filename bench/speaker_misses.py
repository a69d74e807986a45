"""Where attributed F1 is lost: a gold set's misses by class, with the rule that named each speaker.

Classes (the scorer's matching and `speaker_right`):
  quote_missed      a gold quote no prediction matches (recall)
  quote_extra       a prediction no gold quote matches (precision)
  wrong_speaker     matched, gold speaker set, predicted another (`family`: same surname)
  null_speaker      matched, gold speaker set, predicted none
  name_for_null     matched, gold speaker null, predicted one (free for attributed F1)
Each of the middle two is split by the gold `speaker_kind` and by the rule.  `--show N`
prints N examples of a class with the text around them, read at run time from the gold
set (nothing of the articles is kept here).

    .venv/bin/python bench/speaker_misses.py --set polnear-dev/train
    .venv/bin/python bench/speaker_misses.py --set polnear-dev/train --show 20 --cls wrong_speaker
"""

from __future__ import annotations

import argparse
import collections
import random
import warnings
from pathlib import Path
from typing import Any

from calibration import EVAL, _predictions, _scorer

CLASSES = ("quote_missed", "quote_extra", "wrong_speaker", "null_speaker", "name_for_null")


def classify(gold_dir: Path) -> list[tuple[str, str, dict[str, Any] | None, dict[str, Any] | None]]:
    """(class, detail, gold record, prediction) for every miss of the set."""
    sq = _scorer()
    _, files, gold = sq.load_gold(str(gold_dir))
    rules: dict[str, str] = {}
    preds = _predictions(gold_dir, rules)
    by_file: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for pred in preds:
        pred["rule"] = rules[pred["id"]]
        by_file[pred["file"]].append(pred)
    out: list[tuple[str, str, dict[str, Any] | None, dict[str, Any] | None]] = []
    for name in sorted(files):
        golds, mine = gold.get(name, []), by_file.get(name, [])
        for record in golds + mine:
            record["_tok"] = collections.Counter(sq.tokens(record["quote"]))
        pairs = sq.greedy_match(
            golds, mine, lambda g, p: (lambda s: s if s >= 0.5 else None)(sq.overlap(g, p, True))
        )
        seen_g = {i for i, _, _ in pairs}
        seen_p = {j for _, j, _ in pairs}
        out += [
            ("quote_missed", g.get("speaker_kind") or "none", g, None)
            for i, g in enumerate(golds)
            if i not in seen_g
        ]
        out += [("quote_extra", p["rule"], None, p) for j, p in enumerate(mine) if j not in seen_p]
        for i, j, _ in pairs:
            g, p = golds[i], mine[j]
            kind = g.get("speaker_kind") or "none"
            if g.get("speaker") is None:
                if p["speaker"]:
                    out.append(("name_for_null", kind, g, p))
            elif not p["speaker"]:
                out.append(("null_speaker", kind, g, p))
            elif not sq.speaker_right(g["speaker"], p["speaker"]):
                family = set(sq.last_name_tokens(g["speaker"])) == set(
                    sq.last_name_tokens(p["speaker"])
                )
                out.append(("wrong_speaker", kind + ("/family" if family else ""), g, p))
    return out


def _around(gold_dir: Path, record: dict[str, Any], width: int = 220) -> str:
    text = (gold_dir / "texts" / record["file"]).read_text(encoding="utf-8")
    lo, hi = record.get("start") or 0, record.get("end") or 0
    return " ".join(text[max(0, lo - width) : hi + width].split())


def main() -> None:
    warnings.filterwarnings("ignore")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", default="polnear-dev/train")
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--cls", default="wrong_speaker", choices=CLASSES)
    parser.add_argument("--detail", default="", help="only examples whose detail starts so")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    gold_dir = EVAL / args.set
    misses = classify(gold_dir)
    counts = collections.Counter(cls for cls, _, _, _ in misses)
    details = collections.Counter((cls, detail) for cls, detail, _, _ in misses)
    by_rule = collections.Counter(
        (cls, p["rule"])
        for cls, _, _, p in misses
        if p and cls in ("wrong_speaker", "null_speaker")
    )
    for cls in CLASSES:
        print(f"{cls:<16}{counts[cls]:>6}")
        for (c, detail), n in details.most_common():
            if c == cls and cls != "quote_extra":
                print(f"    {detail:<30}{n:>6}")
        for (c, rule), n in by_rule.most_common(12):
            if c == cls:
                print(f"    rule {rule:<25}{n:>6}")
    if args.show:
        chosen = [m for m in misses if m[0] == args.cls and m[1].startswith(args.detail)]
        random.Random(args.seed).shuffle(chosen)
        for _, detail, g, p in chosen[: args.show]:
            record = g or p
            assert record is not None
            print("-" * 80)
            print(
                f"{record['file']} [{detail}] gold={g and g.get('speaker')!r} "
                f"source={g and g.get('source')!r} pred={p and p['speaker']!r} "
                f"rule={p and p['rule']}"
            )
            print("   quote:", " ".join(record["quote"].split())[:200])
            print("   text: ", _around(gold_dir, record))


if __name__ == "__main__":
    main()

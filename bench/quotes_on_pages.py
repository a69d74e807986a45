#!/usr/bin/env python3
"""Do quotes survive the trip through a web page?  (issue #4)

Wraps every gold article (`GOLD/texts/*.txt`) in each page template of
`bench/html_templates/` (navigation, cookie banner, share bars, bylines,
"related"/"most read" lists with quotations of their own, comments, scripts),
reads the page back with `statement_search.readers`, extracts quotes with
`statement_search.extraction.extract.extract_quotes`, and scores the predictions with
`../shared/eval/score_quotes.py --no-spans` next to the plain-text run.  The
gap (HTML minus plain text) is what this measures: the absolute numbers move
as the extractor improves.

    .venv/bin/python bench/quotes_on_pages.py [--gold DIR ...] [--out DIR]

Templates use {{TITLE}}, {{TITLE_JSON}}, {{DATE}}, {{DATE_TEXT}}, {{SLUG}} and
{{BODY}}; a template starting with `<!-- paragraphs: br -->` gets the
paragraphs joined by <br><br> instead of wrapped in <p>.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
TEMPLATES = Path(__file__).resolve().parent / "html_templates"
DEFAULT_GOLD = [SHARED / "domain-dev", SHARED / "polnear-dev" / "dev"]
METRICS = ("quote_f1", "attributed_f1")

sys.path.insert(0, str(ROOT / "src"))

from statement_search.errors import InputError  # noqa: E402
from statement_search.extraction.extract import extract_quotes  # noqa: E402
from statement_search.readers import read_article  # noqa: E402
from statement_search.readers.text import parse_text, split_paragraphs  # noqa: E402


def render(template: str, article_text: str, name: str) -> str:
    """The page for one plain-text article: title line → <h1>, paragraphs → <p>."""
    first_break = article_text.find("\n")
    first_line = article_text[:first_break].strip() if first_break >= 0 else ""
    # A transcript opening with a speaker's label ("GARCIA:") has no headline line:
    # the text reader's own rule decides, so the page holds what the text holds.
    opens_with_turn = not parse_text(article_text, name).title
    if (
        first_line
        and not opens_with_turn
        and len(first_line) <= 150
        and not first_line.endswith((".", '"', "”"))
    ):
        title, paragraphs = first_line, split_paragraphs(article_text, first_break)[0]
    else:  # no headline line: the article starts with its first paragraph
        title, paragraphs = (
            name.replace("-", " ").replace("_", " "),
            split_paragraphs(article_text)[0],
        )
    # A line break inside a paragraph is a <br> on a page.
    escaped = [html.escape(p).replace("\n", "<br>\n") for p in paragraphs]
    if template.startswith("<!-- paragraphs: br -->"):
        body = "<BR><BR>\n".join(escaped)
    else:
        body = "\n".join(f"<p>{p}</p>" for p in escaped)
    fields = {
        "TITLE": html.escape(title),
        "TITLE_JSON": html.escape(json.dumps(title)[1:-1]),
        "DATE": "2016-10-01",
        "DATE_TEXT": "1 October 2016",
        "SLUG": re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"),
        "BODY": body,
    }
    for key, value in fields.items():
        template = template.replace("{{" + key + "}}", value)
    return template


def predictions(paths: list[Path], gold_names: list[str], out: Path) -> tuple[int, int]:
    """Extract quotes from each path (named like its gold file); write JSONL; count errors."""
    errors = written = 0
    with out.open("w", encoding="utf-8") as handle:
        for path, name in zip(paths, gold_names, strict=True):
            try:
                article = read_article(path)
            except InputError as exc:
                print(f"  read failed: {exc}", file=sys.stderr)
                errors += 1
                continue
            for quote in extract_quotes(article):
                record = {"file": name, "quote": quote.text, "speaker": quote.speaker}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
    return written, errors


def score(gold: Path, pred: Path) -> dict[str, float]:
    cmd = [sys.executable, str(SHARED / "score_quotes.py"), "--gold", str(gold)]
    cmd += ["--pred", str(pred), "--no-spans", "--json"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, nargs="*", default=DEFAULT_GOLD)
    ap.add_argument("--out", type=Path, default=None, help="keep pages and predictions here")
    args = ap.parse_args()
    templates = sorted(TEMPLATES.glob("*.html"))
    out = args.out or Path(tempfile.mkdtemp(prefix="quotes-on-pages-"))
    out.mkdir(parents=True, exist_ok=True)
    worst_gap = 0.0
    for gold in args.gold:
        if not (gold / "gold.jsonl").exists():
            print(f"skipped {gold}: no gold.jsonl", file=sys.stderr)
            continue
        texts = sorted((gold / "texts").glob("*.txt"))
        names = [t.name for t in texts]
        plain_pred = out / f"{gold.name}-plain.jsonl"
        predictions(texts, names, plain_pred)
        base = score(gold, plain_pred)
        print(f"{gold.name}: plain text  " + "  ".join(f"{m}={base[m]:.3f}" for m in METRICS))
        for template_path in templates:
            template = template_path.read_text(encoding="utf-8")
            page_dir = out / f"{gold.name}-{template_path.stem}"
            page_dir.mkdir(parents=True, exist_ok=True)
            pages = []
            for text_path in texts:
                page = page_dir / (text_path.stem + ".html")
                raw = text_path.read_text(encoding="utf-8")
                page.write_text(render(template, raw, text_path.stem), encoding="utf-8")
                pages.append(page)
            pred = out / f"{gold.name}-{template_path.stem}.jsonl"
            _, errors = predictions(pages, names, pred)
            result = score(gold, pred)
            gaps = {m: result[m] - base[m] for m in METRICS}
            worst_gap = min(worst_gap, *gaps.values())
            print(
                f"{gold.name}: {template_path.stem:<14}"
                + "  ".join(f"{m}={result[m]:.3f} ({gaps[m]:+.3f})" for m in METRICS)
                + (f"  read errors={errors}" if errors else "")
            )
    print(f"worst gap {worst_gap:+.3f} (goal: within 0.01); pages and predictions in {out}")
    return 0 if worst_gap >= -0.01 else 1


if __name__ == "__main__":
    sys.exit(main())

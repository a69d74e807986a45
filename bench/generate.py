"""Benchmark corpus generator: texts the user points at → 1x/10x/100x JSONL corpora.

The source articles are read with the project's own reader, their paragraphs
recombined into new articles (a base article keeps about half of its
paragraphs; the rest come from other articles), and each article gets a date
over several years and a source.  The first copy of each source article is
kept verbatim.  A share of the words that occur once in the sources get a
per-copy variant, so the vocabulary keeps growing with the corpus as real text
does (Heaps' law) instead of stopping at the sources' vocabulary.

Scale is measured in quotes: an Nx corpus holds about N × `quotes_per_x`
quotes (28,000 by default, so 10x ≈ 280k), estimated from what the current
extractor finds in each source paragraph.  Nothing is written into the repo:
output goes to a git-ignored folder (`bench/out/` by default).

Example:
    .venv/bin/python bench/generate.py --texts ../shared/eval/polnear-dev/train/texts --scale 10
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import random
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

GENERATOR_VERSION = 1
DEFAULT_QUOTES_PER_X = 28_000
FIRST_DAY = dt.date(2012, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)
SHARD_ARTICLES = 200
KEEP_BASE = 0.5  # share of a generated article's paragraphs taken from its base article
MUTATE_HAPAX = 0.35  # chance a once-seen word gets a copy-specific variant
_WORD = re.compile(r"[A-Za-z]{4,}")
_SUFFIXES = ["ov", "ski", "ero", "ani", "ist", "ette", "ock", "urn", "ael", "ido", "ema", "ath"]


@dataclass
class SourceArticle:
    """One article the corpus is recombined from."""

    name: str
    outlet: str
    title: str
    paragraphs: list[str]
    quotes: list[int]  # quotes the extractor finds in each paragraph


@dataclass
class CorpusInfo:
    """What a generated corpus holds (also written as `corpus-Nx.json` beside it)."""

    scale: float
    quotes_per_x: int
    seed: int
    generator_version: int
    texts: str
    articles: int = 0
    estimated_quotes: int = 0
    files: int = 0
    source_articles: int = 0
    source_quotes: int = 0


def load_sources(texts: Path) -> list[SourceArticle]:
    """Read every article under `texts` and count the quotes in each paragraph."""
    from statement_search.extraction.extract import extract_quotes
    from statement_search.readers import read_article

    sources: list[SourceArticle] = []
    for path in sorted(p for p in texts.rglob("*") if p.is_file()):
        try:
            article = read_article(path)
        except Exception:  # unreadable files are not part of the corpus
            continue
        paragraphs = list(article.paragraphs)
        offsets = list(article.paragraph_offsets)
        counts = [0] * len(paragraphs)
        for quote in extract_quotes(article):
            i = bisect.bisect_right(offsets, quote.start) - 1
            if 0 <= i < len(counts):
                counts[i] += 1
        if paragraphs and paragraphs[0].strip() == article.title.strip():
            paragraphs, counts = paragraphs[1:], counts[1:]
        if not paragraphs:
            continue
        outlet = path.name.split("_", 1)[0] if "_" in path.name else "source"
        sources.append(SourceArticle(path.name, outlet, article.title, paragraphs, counts))
    return sources


def _hapaxes(sources: list[SourceArticle]) -> set[str]:
    counts: Counter[str] = Counter()
    for src in sources:
        for para in src.paragraphs:
            counts.update(w.lower() for w in _WORD.findall(para))
    return {w for w, n in counts.items() if n == 1}


def _mutator(hapaxes: set[str], rng: random.Random, copy: int):  # type: ignore[no-untyped-def]
    """A re.sub callback giving some once-seen words a variant specific to `copy`."""
    suffix = _SUFFIXES[copy % len(_SUFFIXES)] + (
        _SUFFIXES[(copy // len(_SUFFIXES)) % len(_SUFFIXES)] if copy >= len(_SUFFIXES) else ""
    )

    def mutate(match: re.Match[str]) -> str:
        word = match.group(0)
        if word.lower() in hapaxes and rng.random() < MUTATE_HAPAX:
            return word + suffix
        return word

    return mutate


def _random_date(rng: random.Random) -> dt.date:
    # More recent years carry more material, as on real sites.
    span = (LAST_DAY - FIRST_DAY).days
    return FIRST_DAY + dt.timedelta(days=int(span * rng.random() ** 0.7))


def iter_articles(
    sources: list[SourceArticle], target_quotes: int, seed: int
) -> Iterator[tuple[dict[str, str], int]]:
    """Generated article records with their estimated quote counts, up to the target."""
    rng = random.Random(seed)
    hapaxes = _hapaxes(sources)
    all_paras = [(i, j) for i, src in enumerate(sources) for j in range(len(src.paragraphs))]
    total = 0
    copy = 0
    while total < target_quotes:
        order = list(range(len(sources)))
        rng.shuffle(order)
        for base_index in order:
            if total >= target_quotes:
                return
            base = sources[base_index]
            if copy == 0:
                paras, quotes = list(base.paragraphs), sum(base.quotes)
            else:
                mutate = _mutator(hapaxes, rng, copy)
                paras, quotes = [], 0
                for j in range(len(base.paragraphs)):
                    if rng.random() < KEEP_BASE:
                        src, k = base, j
                    else:
                        si, k = all_paras[rng.randrange(len(all_paras))]
                        src = sources[si]
                    paras.append(_WORD.sub(mutate, src.paragraphs[k]))
                    quotes += src.quotes[k]
            date = _random_date(rng)
            record = {
                "title": base.title if copy == 0 else f"{base.title} ({copy})",
                "date": date.isoformat(),
                "source": base.outlet,
                "url": f"https://{base.outlet}.example/{date:%Y/%m}/{base_index}-{copy}",
                "text": "\n\n".join(paras),
            }
            total += quotes
            yield record, quotes
        copy += 1


def generate(
    texts: Path,
    scale: float,
    out_dir: Path,
    quotes_per_x: int = DEFAULT_QUOTES_PER_X,
    seed: int = 8,
    sources: list[SourceArticle] | None = None,
) -> CorpusInfo:
    """Write the Nx corpus as JSONL shards into `out_dir` (reused when up to date)."""
    info = CorpusInfo(scale, quotes_per_x, seed, GENERATOR_VERSION, str(texts.resolve()))
    meta_path = out_dir.with_suffix(".json")  # beside the folder, so it is not indexed
    if meta_path.is_file():
        old = json.loads(meta_path.read_text(encoding="utf-8"))
        same = all(old.get(k) == v for k, v in asdict(info).items() if k in _KEY_FIELDS)
        if same:
            return CorpusInfo(**old)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    sources = sources if sources is not None else load_sources(texts)
    info.source_articles = len(sources)
    info.source_quotes = sum(sum(s.quotes) for s in sources)
    shard: list[str] = []
    for record, quotes in iter_articles(sources, int(scale * quotes_per_x), seed):
        info.articles += 1
        info.estimated_quotes += quotes
        shard.append(json.dumps(record, ensure_ascii=False))
        if len(shard) == SHARD_ARTICLES:
            info.files += 1
            _write_shard(out_dir, info.files, shard)
            shard = []
    if shard:
        info.files += 1
        _write_shard(out_dir, info.files, shard)
    meta_path.write_text(json.dumps(asdict(info), indent=1), encoding="utf-8")
    return info


_KEY_FIELDS = {"scale", "quotes_per_x", "seed", "generator_version", "texts"}


def _write_shard(out_dir: Path, number: int, lines: list[str]) -> None:
    (out_dir / f"part-{number:05d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def extra_articles(sources: list[SourceArticle], count: int, seed: int) -> list[dict[str, str]]:
    """`count` fresh articles (not in any corpus) for incremental-add measurements."""
    records = []
    for record, _ in iter_articles(sources, 10**12, seed + 1000):
        if len(records) == count:
            break
        if "(" not in record["title"]:  # skip the verbatim first copies
            continue
        record["title"] += " (added)"
        records.append(record)
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=Path, required=True, help="folder of source articles")
    parser.add_argument("--scale", type=float, default=1.0, help="N in Nx (default 1)")
    parser.add_argument("--quotes-per-x", type=int, default=DEFAULT_QUOTES_PER_X)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    out_dir = args.out / f"corpus-{args.scale:g}x"
    info = generate(args.texts, args.scale, out_dir, args.quotes_per_x, args.seed)
    print(
        f"{out_dir}: {info.articles} articles, ~{info.estimated_quotes} quotes "
        f"in {info.files} files (from {info.source_articles} articles, "
        f"{info.source_quotes} quotes)"
    )


if __name__ == "__main__":
    main()

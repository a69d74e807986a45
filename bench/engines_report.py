"""bench_engines.py's results (`bench/out/engines-<N>x.json`) → markdown (#21).

A dated section of `bench/RESULTS.md` (between the `engines` markers, put before the
first session section the first time) with one table per scale and the tantivy floors
at 10x, and a summary table in `bench/README.md` (between the same markers).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

START, END = "<!-- engines:start -->", "<!-- engines:end -->"
COLUMNS = ("whoosh", "tantivy", "raw", "fts5")
HEADS = ("Whoosh", "tantivy", "raw tantivy", "FTS5")
KINDS = ("plain", "phrase", "highlight", "speaker", "topic", "date")
RAW_RATIO = 1.5  # tantivy p95 ≤ 1.5 × raw tantivy at 10x
BUILD_FLOOR = 6000  # quotes/s, end to end, at 10x


def load(out: Path) -> list[dict[str, Any]]:
    found = [json.loads(p.read_text()) for p in out.glob("engines-*x.json")]
    found = [r for r in found if "queries" in r]
    return sorted(found, key=lambda r: float(r["scale"].rstrip("x")))


def _n(value: float) -> str:
    return f"{value:,.0f}"


def _ms(pair: list[float]) -> str:
    return f"{pair[0]:.2f} / {pair[1]:.2f}"


def scale_table(r: dict[str, Any]) -> list[str]:
    b, q = r["build"], r["queries"]
    quotes = b["whoosh"]["quotes"]
    lines = [
        f"### {r['scale']}: {r['articles']:,} articles, {quotes:,} quotes ({r['date']})",
        "",
        f"Code: {r['code']}. Builds: "
        + "; ".join(
            f"{e} at {b[e].get('code', r['code']).split()[0]}" for e in ("whoosh", "tantivy")
        )
        + ".",
        "",
        "| | " + " | ".join(HEADS) + " | tantivy ÷ raw |",
        "|---|" + "---:|" * (len(HEADS) + 1),
    ]

    def row(label: str, cells: list[str], ratio: str = "") -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {ratio} |")

    row(
        "build s (read + extract + index; raw and FTS5: load only)",
        [f"{b[e]['seconds']:.1f}" for e in COLUMNS],
        f"{b['tantivy']['seconds'] / b['raw']['seconds']:.1f}",
    )
    row("quotes/s", [_n(b[e]["quotes"] / b[e]["seconds"]) for e in COLUMNS])
    row(
        "CPU ms per quote (process tree)",
        [f"{b[e]['cpu_ms_per_quote']:.3f}" for e in ENGINES_BUILT] + ["", ""],
    )
    row(
        "peak RSS MB, tree / largest process",
        [f"{_n(b[e]['tree_rss_mb'])} / {_n(b[e]['maxrss_mb'])}" for e in ENGINES_BUILT] + ["", ""],
    )
    for kind in KINDS:
        if kind in q:
            t = q[kind]
            row(
                f"{kind} p50 / p95 ms ({t['whoosh'][2]} queries)",
                [_ms(t[e]) for e in COLUMNS],
                f"{t['tantivy'][0] / t['raw'][0]:.2f} / {t['tantivy'][1] / t['raw'][1]:.2f}",
            )
    for kind in KINDS:
        if kind in r.get("cpu", {}):
            t = r["cpu"][kind]
            row(
                f"{kind}, CPU ms of the querying thread",
                [_ms(t[e]) for e in COLUMNS],
                f"{t['tantivy'][0] / t['raw'][0]:.2f} / {t['tantivy'][1] / t['raw'][1]:.2f}",
            )
    c = r["cold"]
    row(
        "cold start to first result s",
        [f"{c['whoosh']:.2f}", f"{c['tantivy']:.2f}", "", f"{c['fts5']:.2f}"],
    )
    a = r["adds"]
    row(
        f"one-article add p50 / p95 s ({a['whoosh'][2]} adds)",
        [f"{a[e][0]:.3f} / {a[e][1]:.3f}" for e in ENGINES_BUILT] + ["", ""],
    )
    s, ans = r["same_quotes"], r["answers"]
    lines += [
        "",
        f"Same quotes: Whoosh {s['whoosh']:,}, tantivy {s['tantivy']:,}, "
        f"{s['unmatched']} tantivy quotes whose (id, speaker, text) Whoosh lacks — "
        + ("**the same quote ids, speakers and texts**." if s["same"] else "**they differ**.")
        + f" Top 10s over {sum(v['whoosh'][2] for v in q.values())} queries: overlap@10 "
        f"**{ans['overlap_at_10']:.3f}** over the {ans['queries_with_hits']} with hits"
        + (
            f" ({ans['overlap_at_10_copies_as_one']:.3f} counting copies of one quote text as "
            "one: equal scores are ordered differently)"
            if "overlap_at_10_copies_as_one" in ans
            else ""
        )
        + ", "
        f"{ans['identical_top10']} identical lists; {ans['shared_hits_same_speaker']} of "
        f"{ans['shared_hits']} shared hits with the same speaker.",
        "",
    ]
    return lines


ENGINES_BUILT = ("whoosh", "tantivy")


def floors(r: dict[str, Any]) -> list[str]:
    b, q = r["build"], r["queries"]
    lines = [
        f"### Tantivy floors at {r['scale']}",
        "",
        "| floor | measured | met |",
        "|---|---|---|",
    ]
    cpu = r.get("cpu", {})
    for kind in KINDS:
        if kind in q:
            mine, raw = q[kind]["tantivy"][1], q[kind]["raw"][1]
            ok = mine <= RAW_RATIO * raw
            measured = f"wall {mine:.2f} ms against {raw:.2f} ({mine / raw:.2f}×)"
            if kind in cpu:
                c_mine, c_raw = cpu[kind]["tantivy"][1], cpu[kind]["raw"][1]
                ok_cpu = c_mine <= RAW_RATIO * c_raw
                measured += f"; CPU {c_mine:.2f} against {c_raw:.2f} ({c_mine / c_raw:.2f}×)"
                ok = ok and ok_cpu
                if "raw-plain" in cpu[kind]:  # one filter term, no title boost
                    c_plain = cpu[kind]["raw-plain"][1]
                    measured += f"; CPU against raw-plain {c_plain:.2f} ({c_mine / c_plain:.2f}×)"
            lines.append(
                f"| {kind} p95 ≤ {RAW_RATIO} × raw tantivy | {measured} | "
                f"{'yes' if ok else '**no**'} |"
            )
    rate = b["tantivy"]["quotes_per_s"]
    lines.append(
        f"| build ≥ {BUILD_FLOOR:,} quotes/s | {rate:,.0f} quotes/s "
        f"({b['tantivy']['cpu_ms_per_quote']:.3f} CPU ms a quote: "
        f"{2000 / b['tantivy']['cpu_ms_per_quote']:,.0f} quotes/s if both cores were ours) | "
        + ("yes" if rate >= BUILD_FLOOR else "**no**")
        + " |"
    )
    ans = r["answers"]
    lines.append(
        f"| overlap@10 ≥ 0.9 | {ans['overlap_at_10']:.3f} | "
        + ("yes" if ans["overlap_at_10"] >= 0.9 else "**no**")
        + " |"
    )
    return lines + [""]


def section(results: list[dict[str, Any]]) -> str:
    first = results[0]
    lines = [
        START,
        f"## Engines side by side (#21), {first['date'][:10]}",
        "",
        f"**Machine:** {first['machine']} — wall times swing with any other work on the "
        "machine; the CPU rows and CPU per quote do not.",
        "",
        "Reproduce: `.venv/bin/python bench/bench_engines.py --scales 1,10,100` (a scale's "
        "results are kept in `bench/out/engines-<N>x.json`; `--report-only` renders them). "
        "Queries: warm, engines taking turns query by query; raw tantivy is tantivy's own "
        "parser, searcher and fetch of the top 10 on an index of the same quotes and schema "
        "(raw_tantivy.py) asking the engine's tantivy query: its title boost and the terms its "
        "speaker and topic filters ask for; raw-plain asks one folded term a filter and no "
        "title boost, which finds and ranks otherwise.",
        "",
    ]
    for r in results:
        lines += scale_table(r)
    ten = [r for r in results if r["scale"] == "10x"]
    lines += floors(ten[0] if ten else results[-1])
    lines.append(END)
    return "\n".join(lines)


def summary(results: list[dict[str, Any]]) -> str:
    lines = [
        START,
        "`bench_engines.py` (p50 / p95 ms; builds end to end with 2 workers; see RESULTS.md "
        "for the machine, cold starts, adds and memory):",
        "",
        "| scale | engine | quotes/s | " + " | ".join(KINDS) + " |",
        "|---|---|---:|" + "---|" * len(KINDS),
    ]
    for r in results:
        for e, head in zip(COLUMNS, HEADS, strict=True):
            b = r["build"][e]
            lines.append(
                f"| {r['scale']} | {head} | {_n(b['quotes'] / b['seconds'])} | "
                + " | ".join(_ms(r["queries"][k][e]) for k in KINDS if k in r["queries"])
                + " |"
            )
    lines.append(END)
    return "\n".join(lines)


def _splice(text: str, block: str, before: str) -> str:
    if START in text:
        return re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    at = text.find(before)
    return text[:at] + block + "\n\n" + text[at:] if at >= 0 else text + "\n" + block + "\n"


def write(out: Path, results_md: Path, readme: Path) -> None:
    results = load(out)
    if not results:
        print("engines_report: no results yet")
        return
    results_md.write_text(_splice(results_md.read_text(), section(results), "## Session 8"))
    readme.write_text(_splice(readme.read_text(), summary(results), "| file | job |"))
    print(section(results))

"""Hostile inputs: seconds per MB of reading + extraction on the worst patterns (#20).

Each pattern is generated at run time (nothing is stored), written to a
temporary file, and read and extracted in-process at two sizes (CPU seconds, so a busy
machine does not inflate them); the table
gives seconds per MB at each size.  Linear work keeps the two columns close;
a step that rescans a paragraph per quote makes the larger size's seconds per
MB grow with the size.

    .venv/bin/python bench/bench_hostile.py [--kb 32,128] [--only marks,html_tags]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from statement_search.errors import InputError
from statement_search.extraction.extract import extract_quotes
from statement_search.readers import read_articles


def _repeat(unit: str, size: int) -> str:
    return unit * (size // len(unit) + 1)


def marks(size: int) -> tuple[str, str]:
    """One paragraph of alternating quotation-mark styles."""
    return ".txt", "Title\n\n" + _repeat('“a” "b" «c» ‘d’ ', size)


def html_tags(size: int) -> tuple[str, str]:
    """A page of many small tags."""
    body = _repeat("<p><b>x</b> <i>y</i> <span>z</span></p>\n", size)
    return ".html", f"<html><head><title>T</title></head><body>{body}</body></html>"


def html_unclosed(size: int) -> tuple[str, str]:
    """A page of paragraphs never closed: html.parser nests each in the one before."""
    body = _repeat("<p>He said “we will win this war”, Ann Lee said. ", size)
    return ".html", f"<html><body>{body}</body></html>"


def html_nested(size: int) -> tuple[str, str]:
    """Divs nested as deep as the page is long."""
    depth = size // 40
    text = "He said “these are the real words of the article”. " * 20
    return ".html", (
        "<html><body>" + "<div class='x'>word " * depth + f"<p>{text}</p>" + "</div>" * depth
    )


def dense_names(size: int) -> tuple[str, str]:
    """One paragraph where every sentence introduces a new person and quotes them."""
    units = []
    for i in range(size // 100 + 1):
        first = "".join(chr(97 + (i * 7 + k * 3) % 26) for k in range(6)).title()
        last = "".join(chr(97 + (i * 5 + k * 11) % 26) for k in range(7)).title()
        units.append(f"{first} {last}, the minister, said “we will win {i}”. He added: “No.” ")
    return ".txt", "Title\n\n" + "".join(units)


def name_lines(size: int) -> tuple[str, str]:
    """A transcript of many `Name:` lines."""
    lines = [f"Speaker Number{i % 97}: We said yes.\n" for i in range(size // 30 + 1)]
    return ".txt", "Title\n\n" + "".join(lines)


def name_labels(size: int) -> tuple[str, str]:
    """Many bare `Name:` lines in one paragraph."""
    return ".txt", "Title\n\n" + _repeat("Name: x\n", size)


def name_paragraphs(size: int) -> tuple[str, str]:
    """A transcript of many `Name:` paragraphs."""
    lines = [f"Anna Smith{i % 97}: We said yes.\n\n" for i in range(size // 30 + 1)]
    return ".txt", "Title\n\n" + "".join(lines)


def long_token(size: int) -> tuple[str, str]:
    """A paragraph holding one enormous word inside quotation marks."""
    return ".txt", "Title\n\nHe said “" + "a" * size + "” today.\n"


def huge_paragraph(size: int) -> tuple[str, str]:
    """One paragraph of many attributed quotes, no paragraph break."""
    unit = "Vladimir Putin said “we will not negotiate” and the minister added: “Never.” "
    return ".txt", "Title\n\n" + _repeat(unit, size)


def unclosed_marks(size: int) -> tuple[str, str]:
    """Opening marks that never close."""
    return ".txt", "Title\n\n" + _repeat('“a «b ‘c "d ', size)


PATTERNS: dict[str, Callable[[int], tuple[str, str]]] = {
    "marks": marks,
    "html_tags": html_tags,
    "html_unclosed": html_unclosed,
    "html_nested": html_nested,
    "dense_names": dense_names,
    "name_lines": name_lines,
    "name_labels": name_labels,
    "name_paragraphs": name_paragraphs,
    "long_token": long_token,
    "huge_paragraph": huge_paragraph,
    "unclosed_marks": unclosed_marks,
}


def time_file(path: Path) -> float:
    started = time.process_time()
    for item in read_articles(path):
        if not isinstance(item, InputError):
            extract_quotes(item)
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kb", default="32,128", help="sizes in KB, comma-separated")
    parser.add_argument("--only", default="", help="patterns to run, comma-separated")
    args = parser.parse_args()
    sizes = [int(kb) * 1024 for kb in args.kb.split(",")]
    names = [n for n in args.only.split(",") if n] or list(PATTERNS)
    print("| pattern | " + " | ".join(f"s/MB at {s // 1024} KB" for s in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            cells = []
            for size in sizes:
                suffix, text = PATTERNS[name](size)
                path = Path(tmp) / f"{name}{suffix}"
                data = text.encode("utf-8")
                path.write_bytes(data)
                seconds = time_file(path)
                cells.append(f"{seconds / (len(data) / 1048576):.2f}")
            print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()

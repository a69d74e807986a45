"""Readers, step one: file bytes → str.

Decoding is where silent damage happens (mojibake that later looks like
words), so a file is decoded by its BOM, else as strict UTF-8, else by a real
detector (charset-normalizer); when nothing fits it is refused, not guessed.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import InputError

# An article is a few hundred KB at most; a page saved with inline images or a
# log dump can be tens of MB.  Files above this cap are refused with the reason
# instead of costing unbounded time and memory (JSONL is streamed instead).
MAX_FILE_BYTES = 5 * 1024 * 1024

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Terminal escape sequences (CSI, OSC) and control characters other than
# tab/newline: never part of an article, and dangerous when echoed to a
# terminal.  Removed whole at decode time, so no "[31m" residue is indexed.
_ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Lone surrogates come only from JSON escapes ("\\ud800"): no encoder takes them.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Bidi embeddings, overrides and isolates: they reorder how a name is shown.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:]+)""", re.I)


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many other C0 controls: an image, archive or executable."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(head) // 100)


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first few KB, if Python knows it."""
    match = _HTML_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def _detect(data: bytes, path: str) -> str:
    """Decode non-UTF-8 bytes with charset-normalizer, refusing poor guesses."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise InputError(f"{path}: unknown text encoding (not UTF-8, no legacy encoding fits)")
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise InputError(
            f"{path}: unknown text encoding (detector guessed {best.encoding})"
        ) from None


def normalise_text(text: str) -> str:
    """Newlines to \\n, escape sequences and control characters dropped, lone
    surrogates replaced (U+FFFD), NFC."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Unicode line/paragraph separators break line-based tools (JSONL readers):
    # one-for-one so offsets keep their meaning.
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)  # one-for-one, as above
    return unicodedata.normalize("NFC", text)


def decode_bytes(data: bytes, path: str, *, html: bool = False) -> str:
    """Decode file bytes: BOM, then strict UTF-8, then a declared or detected charset."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return normalise_text(data[len(bom) :].decode(encoding))
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{path}: bad {encoding} after its BOM (byte {exc.start})"
                ) from None
    if _looks_binary(data):
        raise InputError(f"{path}: binary file, not an article")
    try:
        return normalise_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data) if html else None
    if declared and declared not in ("utf-8", "utf_8"):
        try:
            return normalise_text(data.decode(declared))
        except UnicodeDecodeError:
            pass  # the page lies about its charset: fall back to detection
    return normalise_text(_detect(data, path))

"""Parliamentary XML readers: ParlaMint TEI and TheyWorkForYou/ParlParse → Article.

Both formats say who speaks each paragraph, so their turns arrive already
attributed (`Article.turn_speakers`, as JSON `turns` do).  ParlaMint: `<u
who="#Id">` utterances of `<seg>` paragraphs, names from `<listPerson>` (in
a component file without one, from the corpus's `*listPerson*.xml` beside it,
else from the id: ParlaMint ids are surname then forename, "AldenPeter"),
`<note>`, `<kinesic>`, `<vocal>`, `<incident>` and `<gap>` skipped, date from
the header.  ParlParse: `<speech speakername=…>`
with `<p>` paragraphs, date from the speech ids.

Untrusted XML is parsed by the standard library's expat with every DOCTYPE
refused: no entity can be declared, so none can expand or reach outside.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from ..extraction.names import strip_titles
from ..models import Article, article_id_for
from .encoding import normalise_text
from .sniff import guess_language, parse_date
from .text import join_paragraphs

_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Transcribers' notes and events inside or between utterances: nobody says them.
_NOT_SPOKEN = frozenset({"note", "kinesic", "vocal", "incident", "gap", "desc"})
_DOCTYPE = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.I)
_CAMEL = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ][^A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ]*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MAX_LIST_PERSON = 64 * 1048576  # a parliament's whole register of speakers


def xml_dialect(head: bytes | str) -> str | None:
    """ "tei" or "parlparse" from a file's first bytes, None for other XML."""
    sample = head[:4096].lower() if isinstance(head, str) else head[:4096].decode("latin-1").lower()
    if "<tei" in sample or "tei-c.org/ns" in sample:
        return "tei"
    if "<publicwhip" in sample:
        return "parlparse"
    return None


def parse_xml(text: str, path: str) -> Article:
    """Build an Article from a ParlaMint TEI or ParlParse XML file."""
    dialect = xml_dialect(text)
    if dialect is None:
        raise InputError(f"{path}: XML that is neither ParlaMint TEI nor ParlParse (publicwhip)")
    root = _parse(text, path)
    try:
        if dialect == "tei":
            title, date, turns = _tei(root, path)
        else:
            title, date, turns = _parlparse(root)
    except RecursionError:
        raise InputError(f"{path}: XML nested too deeply to read") from None
    paragraphs: list[str] = []
    turn_speakers: dict[int, str | None] = {}
    for speaker, paragraph in turns:
        turn_speakers[len(paragraphs)] = speaker
        paragraphs.append(paragraph)
    if not paragraphs:
        raise InputError(f"{path}: no speeches found in the {dialect.upper()} file")
    body, offsets = join_paragraphs(paragraphs)
    return Article(
        id=article_id_for(path, body),
        path=path,
        title=title,
        text=body,
        paragraphs=paragraphs,
        paragraph_offsets=offsets,
        date=date,
        language=_language(root) or guess_language(body),
        turn_speakers=turn_speakers,
    )


def _parse(text: str, path: str) -> ET.Element:
    if _DOCTYPE.search(text):
        raise InputError(f"{path}: XML with a DOCTYPE or entity declarations is not read")
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 0
        raise InputError(f"{path}:{line}: malformed XML: {exc}") from None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _spoken(element: ET.Element) -> str:
    """The words of an element without its notes and events (their tails are kept).

    Annotated files (`.ana.xml`) hold one `<w>`/`<pc>` token an element, spaced
    unless marked `join="right"`."""
    parts = [element.text or ""]
    for child in element:
        tag = _local(child.tag)
        if tag not in _NOT_SPOKEN:
            parts.append(_spoken(child))
        tail = child.tail or ""
        if _joins_right(child):
            tail = tail.strip()
        elif tag in ("w", "pc"):
            tail = " " + tail
        parts.append(tail)
    return "".join(parts)


def _joins_right(element: ET.Element) -> bool:
    """Whether an element ends in a token glued to what follows (`<name>…<w join="right">`)."""
    while True:
        if element.get("join") == "right":
            return True
        if not len(element) or (element[-1].tail or "").strip():
            return False
        element = element[-1]


def _clean(text: str) -> str:
    return " ".join(normalise_text(text).split())


def _language(root: ET.Element) -> str | None:
    lang = root.get(_XML_LANG) or root.get("lang")
    return lang.split("-")[0].lower() if lang else None


# --- ParlaMint TEI ---------------------------------------------------------------


def _tei(root: ET.Element, path: str) -> tuple[str, dt.date | None, list[tuple[str | None, str]]]:
    header = next((e for e in root.iter() if _local(e.tag) == "teiHeader"), None)
    people = _list_person(root) or _sibling_list_person(str(Path(path).resolve().parent))
    turns: list[tuple[str | None, str]] = []
    for u in (e for e in root.iter() if _local(e.tag) == "u"):
        who = (u.get("who") or "").strip().lstrip("#")
        speaker = people.get(who) or _name_from_id(who)
        segs = [child for child in u if _local(child.tag) == "seg"]
        for seg in segs or [u]:
            paragraph = _clean(_spoken(seg))
            if paragraph:
                turns.append((speaker, paragraph))
    return _tei_title(header), _tei_date(header), turns


def _list_person(root: ET.Element) -> dict[str, str]:
    people: dict[str, str] = {}
    for person in (e for e in root.iter() if _local(e.tag) == "person"):
        ident = person.get(_XML_ID) or person.get("id")
        pers_name = next((e for e in person if _local(e.tag) == "persName"), None)
        if not ident or pers_name is None:
            continue
        forenames = [_clean(_spoken(e)) for e in pers_name if _local(e.tag) == "forename"]
        surnames = [_clean(_spoken(e)) for e in pers_name if _local(e.tag) == "surname"]
        name = " ".join(forenames + surnames) or _clean(_spoken(pers_name))
        if name:
            people[ident] = name
    return people


@lru_cache(maxsize=8)
def _sibling_list_person(folder: str) -> dict[str, str]:
    """Names from the corpus's own `*listPerson*.xml` beside a component file (ParlaMint
    ships one per parliament); empty when there is none or it cannot be read."""
    for candidate in sorted(Path(folder).glob("*listPerson*.xml"))[:1]:
        try:
            if candidate.stat().st_size > _MAX_LIST_PERSON:
                return {}
            return _list_person(_parse(candidate.read_text(encoding="utf-8"), str(candidate)))
        except (OSError, UnicodeDecodeError, InputError, RecursionError):
            return {}
    return {}


def _name_from_id(ident: str) -> str | None:
    """ "AldenPeter" → "Peter Alden" (ParlaMint ids: surname, then forenames)."""
    parts = _CAMEL.findall(ident)
    if len(parts) < 2:
        return ident or None
    return " ".join([*parts[1:], parts[0]])


def _tei_title(header: ET.Element | None) -> str:
    if header is None:
        return ""
    titles = [e for e in header.iter() if _local(e.tag) == "title"]
    main = [t for t in titles if t.get("type") == "main"] or titles
    english = [t for t in main if (t.get(_XML_LANG) or "en").startswith("en")] or main
    return _clean(_spoken(english[0])) if english else ""


def _tei_date(header: ET.Element | None) -> dt.date | None:
    """The sitting's date: the setting's, else the source's, else any (the first date of a
    header is usually the corpus's publication)."""
    if header is None:
        return None
    for section in ("setting", "sourceDesc", "teiHeader"):
        for holder in (e for e in header.iter() if _local(e.tag) == section):
            for element in holder.iter():
                when = element.get("when") if _local(element.tag) == "date" else None
                if when and (date := parse_date(when)):
                    return date
    return None


# --- TheyWorkForYou / ParlParse --------------------------------------------------


def _parlparse(root: ET.Element) -> tuple[str, dt.date | None, list[tuple[str | None, str]]]:
    headings: list[str] = []
    date: dt.date | None = None
    turns: list[tuple[str | None, str]] = []
    for element in root:
        tag = _local(element.tag)
        if tag in ("major-heading", "minor-heading") and len(headings) < 2:
            heading = _clean(_spoken(element))
            if heading:
                headings.append(heading)
        if tag != "speech":
            continue
        if date is None and (found := _ISO_DATE.search(element.get("id") or "")):
            date = parse_date(found.group(0))
        written = _clean(element.get("speakername") or "")
        if not written:
            continue  # "nospeaker": "Question put and agreed to." — procedure, not speech
        bare = strip_titles(written)  # "Mr Tom Frayne" → "Tom Frayne"; "The Speaker" stays
        speaker = bare if len(bare.split()) >= 2 else written
        for paragraph in _speech_paragraphs(element):
            turns.append((speaker, paragraph))
    return " — ".join(headings), date, turns


def _speech_paragraphs(speech: ET.Element) -> Iterator[str]:
    paragraphs = [child for child in speech if _local(child.tag) == "p"]
    for element in paragraphs or [speech]:
        text = _clean(_spoken(element))
        if text:
            yield text

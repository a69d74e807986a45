"""What a description names (extraction stage): a span of words → the speaker in it.

Input: the words around a cue ("Republican strategist Fred Davis", "her adviser,
Jake Sullivan,", "a senior official"); output: `(kind, words)` with kind name,
role or pron, or None.  `speakers.py` applies the cue rules that find the spans.
"""

from __future__ import annotations

import re

from .attribution import INDEFINITE, PREPOSITIONS
from .entities import BODY_HEADS, not_a_speaker
from .lexicon import CUE_RE, FOREIGN_PREPOSITIONS
from .mentions import NAME, NAME_FIND, PRONOUN, ROLE
from .morphology import is_cyrillic
from .names import TITLE_WORDS
from .people import People, clean_name

_PAREN = re.compile(r"\s*\([^()]{0,60}\)")
_CLAUSE_END = re.compile(
    r"(?<![A-Z])(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|Lt|vs))(?<!\b(?:Mrs|Sen|Rep|Gov|Gen|Col|Sgt|Ave))"
    r"(?<!\b(?:Corp|Capt|Supt))(?<!\b(?:Rev|Del))\.\s+(?=[A-Z])"
)
_PRONOUN_RE = re.compile(PRONOUN)
_ROLE_RE = re.compile(ROLE)
_NAME_RE = re.compile(NAME)
# "the commission", "the editorial board": a body named by its head word.
BODY = r"(?:[Tt]he)\s+(?:[a-z][\w-]*\s+){0,2}(?:" + "|".join(sorted(BODY_HEADS)) + r")\b"
_BODY = re.compile(BODY + r"\.?")
_DESC_PREPOSITIONS = frozenset(
    {"of", "for", "from", "at", "in", "with", "by", "to", "on"} | FOREIGN_PREPOSITIONS
)
_DESC_PREPOSITIONS_OR_THE = _DESC_PREPOSITIONS | {"the"}


def pick_speaker(span: str) -> tuple[str, str] | None:
    """(kind, words) of the speaker a description names: 'Republican strategist
    Fred Davis' → Fred Davis; 'the Russian leader' → role; 'her adviser, Jake
    Sullivan' → Jake Sullivan; 'a user from Hanover ... Pulvermann' → Pulvermann.
    The first comma segment that names someone wins (appositions follow names)."""
    cut = _CLAUSE_END.search(span)
    if cut:
        span = span[: cut.start()]
    span = _PAREN.sub("", span).strip(" ,—–-")
    segments = [seg.strip() for seg in span.split(",") if seg.strip()]
    last = segments[-1].rstrip(".") if len(segments) > 1 else ""
    if last and segments[0].split()[0].casefold() in PREPOSITIONS and _NAME_RE.fullmatch(last):
        return "name", last  # "by the United States, NATO and others, Clinton said"
    for i, head in enumerate(segments[:4]):
        if len(head.split()) > 20:
            return None
        words = head.split()
        if (
            i + 1 < len(segments)
            and words[0].casefold() in _LEAD_PHRASE
            and (words[0].casefold() in PREPOSITIONS or any(w.islower() for w in words[1:]))
        ):
            continue  # "Of Carson, Levine, who …, said", "just as Bo did, Lee added"
        if _PRONOUN_RE.fullmatch(head.rstrip(".")):  # "заявила она."
            return "pron", head.rstrip(".")
        role = _ROLE_RE.match(head)
        if role and role.end() >= len(head) - 1:
            nxt = segments[i + 1].rstrip(".") if i + 1 < len(segments) else ""
            if nxt and _NAME_RE.fullmatch(nxt) and clean_name(nxt):
                return "name", nxt
            return "role", head
        name = _name_in(head)
        if (
            name
            and role
            and role.start() == 0
            and " " not in name
            and (name.isupper() or is_cyrillic(name))
        ):
            return "role", head  # "глава МИД", "представитель Кремля": a body in the genitive
        if name:
            return "name", name
        if role:
            nxt = segments[i + 1].rstrip(".") if i + 1 < len(segments) else ""
            if nxt and _NAME_RE.fullmatch(nxt) and len(clean_name(nxt).split()) >= 2:
                return "name", nxt  # "el líder de la oposición, Alberto Núñez Feijóo"
            return "role", head
        if _BODY.fullmatch(head):
            return "body", head  # "the board said": the body the article names so
    return None


_LEAD_PHRASE = PREPOSITIONS | {"just", "as", "unlike", "even", "much"}


_PASSIVE = (
    r"\s*\b(?:was|were|is|are|been|being)\s+(?:[a-z]+ly\s+)?(?P<verb>[a-z]+)\s+by\s+"
    r"(?P<span>[^“”\"«»\n;!?:]{1,160})"
)
_PASSIVE_BY = re.compile(_PASSIVE)
PASSIVE_LEAD = re.compile(_PASSIVE + "$")
INVERTED_LEAD = re.compile(
    r"(?:^|[.!?]\s+)(?:Said|Says|Added|Adds|Asked|Asks|Wrote|Writes|Recalled|Explained)\s+"
    r"(?P<span>[^“”\"«»\n;!?:]{1,160}?)[,:]\s*$"
)


def passive_agent(text: str, pos: int) -> tuple[str, str] | None:
    """The named agent of a passive cue verb at `pos` ("was asked by host Bill Maher")."""
    agent = _PASSIVE_BY.match(text, pos)
    if not agent or not CUE_RE.fullmatch(agent.group("verb")):
        return None
    picked = pick_speaker(agent.group("span"))
    return picked if picked and picked[0] != "pron" else None


def a_speaker(picked: tuple[str, str] | None, people: People) -> tuple[str, str] | None:
    """`picked`, unless it names a place, a month, a group or a phrase ("Clinton, at a
    town hall in Columbus, Ohio, said": not Ohio) and is no one the article names in
    full (Steve Israel's "Israel"): then another rule looks further."""
    if picked and picked[0] == "name" and not_a_speaker(people.canonical(clean_name(picked[1]))):
        return None
    return picked


# "said Sen. Ann Lee who represents Atlantic City", "said Ann Lee when asked about
# Bo Diaz": a clause after the speaker's name names others, not the speaker.
_CLAUSE_AFTER_NAME = re.compile(
    r"\s(?:who|whom|whose|which|when|while|where|because|after|before|during|as|"
    r"adding|noting|referring|asked|speaking|responding|answering)\b"
)


def _name_in(head: str) -> str | None:
    """The person a segment names: the name nearest its end, not after 'of'/'the'."""
    clause = _CLAUSE_AFTER_NAME.search(head)
    found = _name_before_clause(head[: clause.start()]) if clause else None
    found = found or _name_before_clause(head)
    if found and INDEFINITE.match(head):
        at = head.find(found)
        if at >= 0 and _LOWER_WORD.match(head, at + len(found)):
            return None  # "a Republican National Committee member": unnamed, not the body
    return found


def _name_before_clause(head: str) -> str | None:
    first, sep, _ = head.partition(" and ")
    if sep:
        lead = [m for m in NAME_FIND.finditer(first) if len(clean_name(m.group(0)).split()) >= 2]
        if lead and lead[-1].end() == len(first.rstrip()):
            head = first  # "X and Y wrote": the first named
    best: str | None = None
    office = False  # the last match was an office alone: "Secretary" of "Secretary of State"
    for match in NAME_FIND.finditer(head):  # `NAME`'s matches, found faster
        name = clean_name(match.group(0))
        if not name or (name.isupper() and len(name.split()) >= 3):
            continue
        after_office, office = (
            office,
            (name.casefold() in TITLE_WORDS and head[match.end() :].split()[0:1] == ["of"]),
        )
        if office:
            continue
        before = head[: match.start()].split()
        if before and before[-1][-1] in '«„“"':
            continue  # a title in quotes (a newspaper, a party), not a person
        if before == ["the"] and match.end() >= len(head.rstrip(" .")):
            return name  # "the Times wrote"
        if before and before[-1].casefold() in _DESC_PREPOSITIONS_OR_THE and not after_office:
            continue
        best = name
        if match.end() < len(head) and head[match.end() :].split()[0:1] == ["of"]:
            break
    return best


_LOWER_WORD = re.compile(r"\s+[a-z]")

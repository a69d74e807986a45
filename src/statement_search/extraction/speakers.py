"""Speaker attribution (extraction stage): quoted runs → who said them.

Input: the article's `ArticleContext` (units, masked text, the resolver
over its `People`); output: one
`Attribution` per run.  Rules, in order: a cue right after the quote
(“…,” X said / said X / was told by X), a cue or colon before it in its
sentence (X said: “…”; Said X, “…”; X …, saying “…”), an earlier quote of
the same unit (split quotes), the cue after the next quote of the sentence,
a signature closing the unit (“…” ― X), an earlier sentence of the unit
naming a speaker, then continuation from the previous unit.
Mentions inside quotes are masked, so vocatives are never speakers; pronouns
go to the most recent compatible speaker or sentence subject.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from .attribution import (
    INDEFINITE,
    Attribution,
    Resolver,
    by_rule,
    sentence_spans,
    subject_of,
)
from .descriptions import BODY, INVERTED_LEAD, PASSIVE_LEAD, a_speaker, passive_agent, pick_speaker
from .lexicon import (
    ACCORDING_PRONOUNS,
    ACCORDING_TO,
    AFTER_QUOTE,
    AUXILIARIES,
    CUE,
    CUE_RE,
    SAID_THIS,
    alternation,
)
from .mentions import NAME, PRONOUN, ROLE
from .people import clean_name
from .quotes import Unit

if TYPE_CHECKING:
    from .context import ArticleContext

_SPEAKER = rf"(?P<who>{ROLE}|{NAME}|{PRONOUN}|{BODY})"
_ADV = (
    r"(?:(?:also|then|later|again|further|once|still|just|only|even|recently|previously|"
    r"earlier|has|have|had|was|were|is|would|will|did|does|had\s+earlier|in\s+turn,?|"
    r"[a-z]+ly|" + "|".join(map(re.escape, AUXILIARIES)) + r")\s+)*"
)
# Appositions between a speaker and the verb: ", a spokesperson for X,", ", 81,",
# ", in turn," — never a clause with its own verb.
_ADV_LEAD = (
    r"(?:(?:also|then|later|again|further|once|still|just|only|even|recently|previously|"
    r"earlier|has|have|had|in\s+turn,?|himself|herself|themselves|[a-z]+ly)\s+)*"
)
_APPOS = (
    r"(?:,\s(?:the|a|an|who|whose|former|then|now|in\s+turn|for\s+(?:his|her|its|their)\s+part"
    r"|[A-Z0-9])[^,“”\"]{0,90}"
    # more descriptions of the same person: ", a pollster who works with X, a super PAC,"
    r"(?:,\s(?:the|a|an|who|whose|which)\s[^,“”\"]{0,90}){0,2},)?"
)
_PREPOSITION_LISTS = [[p] for p in "with to for by of from at on about against in".split()]
_LEAD = r"^[\s,;—–\-]*"
# “…,” <who> said — `who` is everything up to the first cue verb.
_AFTER_NAME = re.compile(_LEAD + r"(?P<span>[^“”\"\n;!?]{1,160}?)\s+" + _ADV + CUE)
# “…,” said <who>[, apposition].
_AFTER_VERB = re.compile(_LEAD + _ADV + CUE + r"\s+(?P<span>[^“”\"\n;!?]{1,200})")
# “…” that X can win, said <who>: the cue comes later in the sentence.
_AFTER_LATE = re.compile(
    r"^[^“”\"\n.;!?]{1,120}?,\s+" + _ADV + CUE + r"\s+(?P<span>[^“”\"\n;!?]{1,200})"
)
# “…” is held accountable, Warren said. — a cue closing the sentence after its subject.
_AFTER_LATE_NAME = re.compile(
    r"^[^“”\"\n.;!?]{1,120}?,\s+(?P<span>[^“”\"\n,;:!?]{1,60}?)\s+" + _ADV + CUE + r"\s*(?:[.!?]|$)"
)
_CLAUSE_STARTS = frozenset(
    "that and but or which who because if when as to in on for with about than while "
    "so since after before until unless where whether".split()
)
# “…” ― Name (testimonials, epigraphs).
_AFTER_DASH = re.compile(r"^\s*[―—–-]{1,2}\s*(?P<span>[^“”\"\n;!?]{1,120})")
# Prefix-factored: each phrase is followed by whitespace, so at most one matches a spot.
_ACCORDING_TO = "(?:" + alternation(ACCORDING_TO) + ")"
_AFTER_ACCORDING = re.compile(_LEAD + _ACCORDING_TO + r"\s+(?P<span>[^“”\"«»\n;!?]{1,200})", re.I)
# „…“, so Finanzminister Christian Lindner: a word that introduces the speaker alone.
_AFTER_MARKER = re.compile(
    _LEAD
    + "(?:"
    + ("|".join(map(re.escape, AFTER_QUOTE)) or "(?!)")
    + r")\s+(?P<span>(?=[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐЎ]|(?:der|die|das|le|la|el)\s)[^“”\"\n;!?]{1,120})"
)
# « … », a-t-il ajouté / « … », dit-elle: French puts the pronoun after the verb.
_AFTER_INVERTED = re.compile(_LEAD + r"(?:a|avait)-t-(?P<span>il|elle)\s+" + CUE)
_AFTER_INVERTED_VERB = re.compile(_LEAD + CUE + r"(?:-t)?-(?P<span>il|elle)\b")
# «…». Об этом заявил пресс-секретарь Дмитрий Песков.
_AFTER_SAID_THIS = re.compile(
    r"^[\s.]*(?i:"
    + ("|".join(re.escape(w).replace(r"\ ", r"\s+") for w in SAID_THIS) or "(?!)")
    + r")\s+"
    + _ADV
    + CUE
    + r"\s+(?P<span>[^“”\"\n;!?]{1,200})"
)
_TRAILING = (
    _AFTER_VERB,
    _AFTER_SAID_THIS,
    _AFTER_MARKER,
    _AFTER_INVERTED,
    _AFTER_INVERTED_VERB,
    _AFTER_ACCORDING,
    _AFTER_NAME,
    _AFTER_DASH,
    _AFTER_LATE,
    _AFTER_LATE_NAME,
)
_TRAILING_RULES = {
    _AFTER_VERB: "after_verb",
    _AFTER_MARKER: "after_verb",
    _AFTER_SAID_THIS: "after_verb",
    _AFTER_INVERTED: "after_name",
    _AFTER_INVERTED_VERB: "after_name",
    _AFTER_ACCORDING: "according",
    _AFTER_NAME: "after_name",
    _AFTER_DASH: "after_dash",
    _AFTER_LATE: "after_late",
    _AFTER_LATE_NAME: "after_late",
}
_SIGNED = re.compile(r"[”\"»]\s*[―—–]\s*(?P<span>[^\s“”\"«»―—–][^“”\"«»\n;!?,]{0,60}?)\.?\s*$")
_NICKNAME = re.compile(r"(?<=[a-z]) [“\"][A-Z][\w.\-]{0,15}[”\"](?= [A-Z])")
_SAID_YES = re.compile(r"\s+(?:yes|no)\b")
_REPORTING = frozenset("that whether if because how what why".split())
_NEW_PRONOUN = re.compile(r"^\s*(?:He|She|They)\b")
# A sentence's own verb before the cue word, in a span with no apposition to hold it.
_NEW_CLAUSE = re.compile(r"^\s*(?:[^\s,]+\s+){1,4}?(?:is|are|was|were)\s")
# What a cue verb reports when it starts a new sentence's indirect speech.
_REPORTED = re.compile(r"\s+(?:that|the|a|an|he|she|they|it|we|i|his|her|their)\s", re.I)
_SPEAKER_RE = re.compile(_SPEAKER)
# "Trump’s claim that …", "Clinton's response was: …": the possessor spoke.
_POSSESSIVE_SPEECH = re.compile(
    r"(?P<who>" + NAME + r")['’]s\s+(?:[a-z\-]+\s+){0,2}(?:claim|statement|response|words|comment|"
    r"remarks?|message|tweet|promise|vow|pledge|dictum|motto|slogan|argument|assertion|warning|"
    r"answer|reply|suggestion|description|prediction|missive|letter|speech|catch\s?phrase|quip|"
    r"question|retort|line|refrain|mantra|boast|insistence|contention|view|verdict)s?\b"
)
_ACCORDING = re.compile(r"(?i:\b" + _ACCORDING_TO + r")\s+" + _SPEAKER)
_ACCORDING_PRONOUN = (
    re.compile(
        r"(?i:\b(?:" + alternation(sorted(ACCORDING_PRONOUNS, key=len, reverse=True)) + r"))\b"
    )
    if ACCORDING_PRONOUNS
    else None
)
_ACCORDING_SPAN = re.compile(
    r"(?:^|[\s,;(])(?i:" + _ACCORDING_TO + r")\s+(?P<span>[^“”\"«»\n;!?:]{1,200}?)[\s,:—–-]*$"
)
_BEFORE_VERB = re.compile(
    r"(?P<span>" + _SPEAKER + r"(?:\s*\([^()]{0,60}\))?" + _APPOS + r")\s+" + _ADV_LEAD + r"$"
)

# "X, who said", "X which reported": a relative clause whose cue is the antecedent's.
_RELATIVE = re.compile(
    r"(?P<span>" + _SPEAKER + r")(?:\s*\([^()]{0,60}\))?,?\s+(?:who|which)\s+" + _ADV_LEAD + r"$"
)

# A quote's lead is read at most this far back, and only this many earlier
# sentences of its unit are searched for a cue: real sentences are far shorter,
# and the bounds keep a unit of thousands of quotes linear in its length.
MAX_LEAD = 600
MAX_EARLIER = 8


def _word_start(text: str, pos: int) -> int:
    """`pos` moved forward to the start of the next word (a window never starts mid-word)."""
    match = _WORD_START.search(text, pos)
    return match.start() if match else pos


_WORD_START = re.compile(r"(?<!\w)\w|(?<=\s)\S")


def _kind(match: re.Match[str]) -> str:
    text = match.group("who")
    if re.fullmatch(PRONOUN, text):
        return "pron"
    if re.fullmatch(ROLE, text):
        return "role"
    return "body" if re.fullmatch(BODY, text) else "name"


def _mention_kind(match: re.Match[str]) -> str:
    return _MENTION_KINDS[match.lastgroup or "name"]


_MENTION_KINDS = {"role": "role", "name": "name", "pron": "pron"}


class UnitAttributor:
    """Attribution for the runs that start in one unit, read from the article's context
    (its resolver and the unit's masked text)."""

    def __init__(self, context: ArticleContext, unit: Unit) -> None:
        self.resolver: Resolver = context.resolver
        self.unit = unit
        self.masked = context.masks.of(unit)
        self._sentences: list[tuple[int, int]] | None = None
        self._ends: list[int] | None = None

    @property
    def sentences(self) -> list[tuple[int, int]]:
        """The masked text's sentence spans, found on first use (a plain attribute,
        not `cached_property`, which takes a lock on every read in Python 3.11)."""
        if self._sentences is None:
            self._sentences = sentence_spans(self.masked)
        return self._sentences

    def sentence_of(self, pos: int) -> tuple[int, int]:
        """The sentence holding `pos`, its start at most `MAX_LEAD` characters back."""
        sentences = self.sentences
        if self._ends is None:
            self._ends = [hi for _, hi in sentences]
        k = bisect.bisect_right(self._ends, pos)
        lo, hi = sentences[k] if k < len(sentences) else sentences[-1]
        if pos - lo > MAX_LEAD:
            lo = _word_start(self.masked, pos - MAX_LEAD)
        return lo, hi

    def trailing(
        self, after: str, new_sentence: bool = False, late_only: bool = False
    ) -> Attribution | None:
        """The speaker a cue after the quote names; `late_only` for a quote inside
        a clause, where only a cue closing the sentence (", said X") counts."""
        if new_sentence and _NEW_PRONOUN.match(after):
            return None  # “… end.” He says …: a new sentence, not an attribution
        after = _NICKNAME.sub("", after)  # Del. Marcia “Cia” Price: one name
        patterns = (_AFTER_LATE, _AFTER_LATE_NAME) if late_only else _TRAILING
        blocked: Attribution | None = None
        for pattern in patterns:
            match = pattern.match(after)
            if match:
                first = match.group("span").split(maxsplit=1)[:1]
                span = match.group("span")
                if first and (pattern, first[0]) in ((_AFTER_NAME, "as"), (_AFTER_VERB, "by")):
                    # “…,” as Cruz said; “…” was written by Ann Lee: they name the speaker
                    span = span[3:]
                elif (
                    pattern in (_AFTER_NAME, _AFTER_LATE_NAME)
                    and first[:1]
                    and (first[0].casefold() in _CLAUSE_STARTS)
                ):
                    continue  # “…” that Sanders can win, said X: a clause, not a speaker
                elif _SAID_YES.match(after, match.end()):
                    continue  # “…,” Lee said yes: an answer of hers, not this quote's cue
                elif pattern is _AFTER_VERB and first and first[0].casefold() in _REPORTING:
                    continue  # “…,” adding that Bo Diaz …: what was added, not who
                elif (
                    pattern is _AFTER_NAME
                    and new_sentence
                    and (_NEW_CLAUSE.search(span) or _REPORTED.match(after, match.end()))
                ):
                    # “… end.” The state is one of 45 states …; “… end.” Bo Diaz said the
                    # firm had …: a new sentence about something else, or its own report.
                    continue
                picked = pick_speaker(span)
                if picked and not a_speaker(picked, self.resolver.people):
                    # "…,” Texas said: no one spoke, unless another rule finds someone
                    # in this sentence; never the speaker before.
                    blocked = blocked or Attribution(None, picked[1], "unknown", "blocked")
                    continue
                if pattern in (_AFTER_NAME, _AFTER_LATE_NAME) and picked:
                    agent = passive_agent(after, match.start("span") + len(span.rstrip()))
                    if agent and new_sentence:
                        continue  # “… end.” Lee was asked by Bo Diaz: about what comes next
                    picked = agent or picked  # “…,” Lee was told by Bo Diaz
                if picked:
                    return by_rule(self.resolver.mention(*picked), _TRAILING_RULES[pattern])
                if pattern is _AFTER_VERB and INDEFINITE.match(span):
                    # “…,” said a party member who backs Trump: an unnamed source.
                    return Attribution(None, span.split(",")[0].strip(), "unknown", "blocked")
        return blocked

    def leading(self, lo: int, pos: int) -> Attribution | None:
        before = self.masked[lo:pos]
        if not before.strip():
            return None
        told = _ACCORDING_PRONOUN.search(before) if _ACCORDING_PRONOUN else None
        if told:  # "По его словам, «…»": according to him
            pronoun = ACCORDING_PRONOUNS[" ".join(told.group(0).casefold().split())]
            return by_rule(self.resolver.mention("pron", pronoun), "lead_according")
        described = _ACCORDING_SPAN.search(before)
        picked = pick_speaker(described.group("span")) if described else None
        if picked:
            # "Selon le porte-parole du gouvernement, Olivier Véran, « … »"
            return by_rule(self.resolver.mention(*picked), "lead_according")
        according = _ACCORDING.search(before)
        if according:
            found = self.resolver.mention(_kind(according), according.group("who"))
            return by_rule(found, "lead_according")
        inverted = INVERTED_LEAD.search(before)  # 'Said Comey, “…”'
        picked = (
            a_speaker(pick_speaker(inverted.group("span")), self.resolver.people)
            if inverted
            else None
        )
        if picked:
            return by_rule(self.resolver.mention(*picked), "lead_cue")
        cues = list(CUE_RE.finditer(before))
        people = self.resolver.people
        subject = subject_of(self.masked, lo, pos, self.resolver.people)
        passive = PASSIVE_LEAD.search(before) if " by " in before else None
        picked = passive_agent(before, passive.start()) if passive else None
        if picked:  # "Lee was asked by Bo Diaz, “…”"
            return by_rule(self.resolver.mention(*picked), "lead_cue")
        for k in range(len(cues) - 1, -1, -1):
            cue = cues[k]
            if (
                subject is not None
                # "Bo said, adding, “…”": the cue right before names the speaker
                and (k == 0 or before[cues[k - 1].end() : cue.start()].strip(" ,"))
                and cue.group(0).endswith("ing")
                and before[: cue.start()].rstrip().endswith(",")
                and subject.start() < lo + cues[0].start()
            ):
                # "Sanders answered Clinton, saying, “…”": the participle is the subject's.
                found = self.resolver.mention(_mention_kind(subject), subject.group(0))
                if found.speaker:
                    return by_rule(found, "lead_cue")
            near = _BEFORE_VERB.search(before, 0, cue.start())
            relative = None if near else _RELATIVE.search(before, 0, cue.start())
            picked = a_speaker(pick_speaker(relative.group("span")), people) if relative else None
            named = self.resolver.mention(*picked) if picked and picked[0] == "name" else None
            if named and named.speaker:
                # "Mike Lee, who declared, “…”", "the Harbour Police Department which
                # reported “…”": the named antecedent speaks (a role's clause may not be
                # about the speaker: "a pollster who advised Clinton").
                return by_rule(named, "lead_cue")
            picked = pick_speaker(near.group("span")) if near else None
            if (
                near
                and picked
                and [w.casefold() for w in before[: near.start()].split()[-1:]]
                in _PREPOSITION_LISTS
                # "footage of Hillary Clinton asking, “…”": the participle is hers
                and not (
                    cue.group(0).endswith("ing")
                    and before[: near.start()].split()[-1] in ("of", "with")
                    and "," not in near.group("span")
                )
            ):
                # "partner at Lenox, Lawrence Cummings, called": the apposition speaks
                rest = near.group("span").partition(",")[2]
                picked = pick_speaker(rest) if rest.strip(" ,") else None
            picked = a_speaker(picked, self.resolver.people)
            if picked:
                if picked[0] == "pron" and subject is not None and subject.lastgroup != "pron":
                    if subject.start() < lo + near.start():  # type: ignore[union-attr]
                        # "Trump … said he thought …": he is the sentence's subject.
                        found = self.resolver.mention(_mention_kind(subject), subject.group(0))
                        return by_rule(found, "lead_cue")
                return by_rule(self.resolver.mention(*picked), "lead_cue")
        possessive = None
        if "'s" in before or "’s" in before:  # what the pattern needs; most leads lack it
            for possessive in _POSSESSIVE_SPEECH.finditer(before):  # noqa: B007 - the last one
                continue
        if (
            possessive
            and clean_name(possessive.group("who") + " x")
            # "Lee denounced Trump's remarks as “…”": the subject, not the possessor
            and (
                subject is None
                or subject.start() > lo + possessive.start()
                or ";" in self.masked[subject.end() : lo + possessive.start()]
            )
        ):
            return by_rule(self.resolver.mention("name", possessive.group("who")), "possessive")
        if subject and not cues and not before[subject.end() - lo :].strip(" ,"):
            # 'Abbas “has put aside efforts …”': the quote is what the subject did,
            # its predicate, not the subject's words.
            return None
        if subject:
            # With a cue or colon the subject said it; without one, a quote
            # inside the subject's sentence is still most often their words.
            found = self.resolver.mention(_mention_kind(subject), subject.group(0))
            return by_rule(found, "lead_cue" if cues else "subject")
        return None

    def earlier_sentence(self, pos: int) -> Attribution | None:
        """A speaker named by a cue in an earlier sentence of the unit."""
        sentences = self.sentences
        if self._ends is None:
            self._ends = [hi for _, hi in sentences]
        k = bisect.bisect_right(self._ends, pos)
        for lo, hi in reversed(sentences[max(0, k - MAX_EARLIER) : k]):
            if hi - lo > MAX_LEAD:
                lo = _word_start(self.masked, hi - MAX_LEAD)
            text = self.masked[lo:hi]
            if "x" * 3 in text and not CUE_RE.search(text):
                continue
            if CUE_RE.search(text) or text.rstrip().endswith(":"):
                end = lo + len(text.rstrip(" .!?…:"))
                found = self.leading(lo, end)
                if found is not None and found.speaker:
                    return by_rule(found, "earlier")
        return None

    def signature(self) -> Attribution | None:
        """The name signing the unit ("“…” ― Ann Lee."): who said its quotes."""
        signed = _SIGNED.search(self.masked)
        picked = pick_speaker(signed.group("span")) if signed else None
        picked = a_speaker(picked, self.resolver.people)
        if picked and picked[0] == "name":
            return by_rule(self.resolver.mention(*picked), "after_dash")
        return None

    def narration_subject(self) -> str | None:
        """Who the unit's narration is about at its end, for what follows.

        Each sentence's subject is noted in order, so "Ann Lee, a nurse, …. At
        29, she still …" leaves Ann Lee, not someone named earlier, as "she"."""
        last: str | None = None
        for lo, hi in self.sentences:
            last = self.resolver.note_sentence(self.masked, lo, hi) or last
        return last

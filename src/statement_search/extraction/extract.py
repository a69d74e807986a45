"""Extraction stage: Article → [Quote] (quote finding, speakers, topics).

This module orchestrates, one way: `context.ArticleContext.build` makes the
article's state once (units, the `people` register, the resolver, the
`transcripts` turns, the `quotes` runs and their masks); `turn_speakers.credit`
and the run loop here (`speakers.UnitAttributor` per unit) read it and return
who said what; `topics` tags the quotes.  No extraction module imports this one.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..models import Article, Attribution, Quote, QuoteKind, article_identity, quote_id_for
from .attribution import UNKNOWN, subject_of
from .attribution import Attribution as Found
from .confidence import confidence
from .context import ArticleContext
from .entities import not_a_speaker, speaker_type
from .mentions import NAME
from .quotes import Run, Unit, text_before
from .speakers import MAX_LEAD, UnitAttributor
from .topics import Stemmer, Taxonomy
from .transcripts import QuotedTurn
from .turn_speakers import credit

_FINISHED = frozenset('.!?…"”’»)]:;*')  # a text ending in one of these is not cut short
_NEWLINE = re.compile("\n")
# A paragraph line longer than this gives its quotes a window of it as context.
MAX_CONTEXT = 6000
CONTEXT_WINDOW = 300


@dataclass
class _Found:
    start: int
    end: int
    text: str
    unit: Unit
    speaker: str | None
    as_written: str | None
    how: Attribution
    kind: QuoteKind
    rule: str = ""


def _truncated(article: Article, units: list[Unit]) -> int | None:
    """Index of the last unit when the text stops mid-sentence (an excerpt cut short)."""
    if units and article.text.rstrip()[-1:] not in _FINISHED:
        return units[-1].index
    return None


def extract_quotes(
    article: Article, taxonomy: Taxonomy | None = None, stemmer: Stemmer | None = None
) -> list[Quote]:
    """Every direct quotation and transcript turn paragraph of `article`, in text order.

    Topics are tagged with `taxonomy` (default: the shipped one); `stemmer`, when given,
    stems its Latin-script words instead of the taxonomy's own (`topics.porter_stem`).
    """
    context = ArticleContext.build(article, taxonomy, stemmer)
    units = context.units
    found = _attribute(context, credit(context))
    cut = _truncated(article, units)
    quotes: list[Quote] = []
    identity = article_identity(article.url, article.title, article.date, article.path)
    said: dict[str, int] = {}  # a quote's id so far → how often those words came before
    line_starts = [m.end() for m in _NEWLINE.finditer(article.text)]
    for item in sorted(found, key=lambda f: f.start):
        if cut is not None and item.unit.index == cut and item.text.rstrip()[-1:] not in '”"':
            if item.kind in ("transcript", "question") or item.end >= units[cut].end - 1:
                continue
        if item.speaker and item.how != "label" and not_a_speaker(item.speaker):
            item.speaker, item.how = None, "unknown"  # a place, party or headline: no one
        position = len(quotes)
        first_id = quote_id_for(identity, item.text)
        occurrence = said.get(first_id, 0)
        said[first_id] = occurrence + 1
        paragraph = _context(item)
        quotes.append(
            Quote(
                id=first_id if not occurrence else quote_id_for(identity, item.text, occurrence),
                article_id=article.id,
                position=position,
                text=item.text,
                start=item.start,
                end=item.end,
                speaker=item.speaker,
                speaker_as_written=_tidy_mention(item.as_written),
                attribution=item.how,
                kind=item.kind,
                context=paragraph,
                speaker_type=speaker_type(item.speaker),
                confidence=confidence(item.rule, item.how, item.speaker),
                # A short reply is about what the unit before it said.
                topics=context.taxonomy.tag(
                    item.text, paragraph, nearby=context.previous_text(item.unit)
                ),
                title=article.title,
                date=article.date,
                source=article.source,
                url=article.url,
                path=article.path,
                line=bisect.bisect_right(line_starts, item.start) + 1,
            )
        )
    return quotes


def _context(item: _Found) -> str:
    """The quote's paragraph line, or in an outsized one (thousands of quotes in a
    single line) the `CONTEXT_WINDOW` characters either side of the quote: every
    quote carrying, tagging and indexing the whole line made that line quadratic."""
    text = item.unit.text
    if len(text) <= MAX_CONTEXT:
        return text
    lo = max(0, item.start - item.unit.start - CONTEXT_WINDOW)
    hi = min(len(text), item.end - item.unit.start + CONTEXT_WINDOW)
    if lo:  # whole words at both ends
        lo = text.find(" ", lo, lo + 100) + 1 or lo
    if hi < len(text):
        space = text.rfind(" ", hi - 100, hi)
        hi = space if space > lo else hi
    return text[lo:hi].strip()


def _attribute(context: ArticleContext, turn_speakers: dict[int, str | None]) -> list[_Found]:
    """Each turn, labelled paragraph and quoted run of the body with its speaker, in
    text order; `turn_speakers` is `turn_speakers.credit(context)`.  The resolver
    notes every speaker as the units go by (who acted last)."""
    article, units = context.article, context.units
    people, resolver = context.people, context.resolver
    turns, labelled, by_unit = context.turns, context.labelled, context.runs
    found: list[_Found] = []
    previous: str | None = None  # who the previous unit was about or quoted
    previous_as_written: str | None = None
    # Narration after the last unit with something to attribute changes only the
    # resolver's memory, which nothing reads after this loop: it is not read.
    final = max((*labelled, *context.in_quoted, *turns, *by_unit), default=-1)
    for unit in units[context.first_body : final + 1]:
        if unit.index in labelled:
            speaker = article.turn_speakers.get(unit.paragraph)
            item = _Found(
                unit.start,
                unit.end,
                unit.text,
                unit,
                speaker,
                speaker,
                "label",
                "transcript",
                "given",
            )
            found.append(item)
            resolver.note(speaker)
            continue
        if unit.index in context.in_quoted:
            for said in context.quoted.get(unit.index, []):
                speaker = turn_speakers.get(said.turn.unit)
                found.append(_quoted_found(said, units[said.turn.unit], speaker))
                resolver.note(found[-1].speaker)
            previous = previous_as_written = None  # the report resumes after it
            continue
        turn = turns.get(unit.index)
        if turn is not None:
            text = article.text[turn.start : turn.end]
            speaker = turn_speakers[unit.index]
            turn_kind: QuoteKind = "question" if turn.is_question else "transcript"
            found.append(
                _Found(
                    turn.start,
                    turn.end,
                    text,
                    unit,
                    speaker,
                    turn.label,
                    "label",
                    turn_kind,
                    "label",
                )
            )
            resolver.note(speaker)
            continue
        attributor = UnitAttributor(context, unit)
        masked = attributor.masked
        mine = by_unit.get(unit.index, [])
        last: Found | None = None
        noted = 0  # sentences before this one have had their subjects noted
        # A unit that opens with a quote mark and is signed “…” ― Ann Lee is her
        # testimonial: every run in it is hers, a quote nested in it too.
        signed = attributor.signature() if mine and unit.text[:1] in '“"«„' else None
        for k, run in enumerate(mine):
            open_rel = run.open_mark - unit.start
            # Sentences before this quote name who acts: remember their subjects.
            sentences = attributor.sentences
            while noted < len(sentences) and sentences[noted][1] <= open_rel:
                resolver.note_sentence(masked, *sentences[noted], pronoun=False)
                noted += 1
            lo, _ = attributor.sentence_of(open_rel)
            lead_text = masked[lo:open_rel].rstrip()
            inside = bool(lead_text) and lead_text[-1] not in ":,"
            # A quote inside a sentence that does not end in a comma is a clause
            # of that sentence: only a cue closing the sentence (", said X") names
            # its speaker, not the words right after it.
            clause = inside and run.text.rstrip()[-1:] not in ",?!—–-…"
            following = mine[k + 1] if k + 1 < len(mine) else None
            att = signed or _trailing(run, context, following, late_only=clause)
            if att is not None and att.how == "pronoun" and lead_text:
                # “…,” she said — after “X scolded him: …”: the sentence's subject.
                subject = subject_of(masked, lo, open_rel, people)
                if (
                    subject is not None
                    and subject.lastgroup != "pron"
                    # 'Fox “has put aside …,” he said': the quote is Fox's predicate
                    and masked[subject.end() : open_rel].strip(" ,")
                ):
                    kind = "role" if subject.lastgroup == "role" else "name"
                    found_subject = resolver.mention(kind, subject.group(0))
                    if found_subject.speaker:
                        att = Found(found_subject.speaker, att.as_written, "pronoun", att.rule)
            if att is None or att.speaker is None and att.how == "unknown" and att.as_written:
                lead = attributor.leading(lo, open_rel)
                att = lead or att
            if att is None and last is not None and last.speaker:
                att = Found(last.speaker, last.as_written, "continuation", "split")
            if att is None and following is not None:
                att = _shared_cue(run, following, mine[k + 2 : k + 3], context)
            if att is None:
                att = attributor.signature() or attributor.earlier_sentence(open_rel)
            if att is None and previous and not text_before(masked, open_rel, 1):
                att = Found(previous, previous_as_written, "continuation", "continuation")
            att = att or UNKNOWN
            resolver.note(att.speaker)
            last = att
            found.append(_run_found(run, unit, att, masked))
        if mine and last is not None and last.speaker:
            previous = last.speaker
            previous_as_written = last.as_written
        else:
            previous = attributor.narration_subject()
            previous_as_written = previous
            resolver.note(previous)
    return found


def _quoted_found(said: QuotedTurn, unit: Unit, speaker: str | None) -> _Found:
    """A turn of a quoted transcript, its label's person (`turn_speakers.credit`) the speaker."""
    turn = said.turn
    kind: QuoteKind = "question" if turn.is_question else "transcript"
    return _Found(
        turn.start, turn.end, said.text, unit, speaker, turn.label, "label", kind, "label"
    )  # fmt: skip


def _trailing(
    run: Run,
    context: ArticleContext,
    following: Run | None,
    late_only: bool = False,
) -> Found | None:
    """The cue after a quote, read up to the next quote of the unit (at most
    `MAX_LEAD` characters: the trailing patterns are bounded well within it)."""
    if run.close_mark is None:
        return None
    end_unit = context.units[run.end_unit]
    attributor = UnitAttributor(context, end_unit)
    masked = attributor.masked
    lo = run.close_mark - end_unit.start + 1
    hi = min(len(masked), lo + MAX_LEAD)
    if following is not None and following.unit == end_unit.index:
        hi = min(hi, following.open_mark - end_unit.start)
    after = masked[lo:hi]
    ends = run.text.rstrip()[-1:]
    if (
        following is not None
        and following.unit == end_unit.index
        and (
            ends == "."
            or ends in "?!"
            and after.rstrip()[-1:] in ",:"
            and following.text[:1].isupper()
        )
        and after.strip()[:1].isupper()
        and not _STOP.search(after)
    ):
        return None  # “… end.” Lee fired back, calling Bo “…”: a lead of the next quote
    if not after.strip() and end_unit.index + 1 < len(context.units):
        line = context.units[end_unit.index + 1].text  # “…”¶— Ann Lee, in a tweet: its own line
        named = _DASH_LINE.match(line)
        if named and _NAME_RE.fullmatch(named.group("name")):
            return UnitAttributor(context, context.units[end_unit.index + 1]).trailing(line)
    new_sentence = ends == "."
    if late_only and run.text.rstrip()[-1:] in ".!?…":
        return None  # the quote ends its sentence: what follows is a new one
    return attributor.trailing(after, new_sentence, late_only)


_STOP = re.compile(r"[.!?;]")
_DASH_LINE = re.compile(r"\s*[―—–-]{1,2}\s*(?P<name>[^\s,.;:!?][^,.;:!?\n]{0,60})[,.]?")
_NAME_RE = re.compile(NAME)


def _shared_cue(
    run: Run,
    following: Run,
    after_that: list[Run],
    context: ArticleContext,
) -> Found | None:
    """The cue after the next quote of the same sentence: 'are “A” and “B,” Lee said'."""
    unit = context.units[run.end_unit]
    if run.close_mark is None or following.unit != unit.index or run.text.rstrip()[-1:] in ".!?":
        return None
    between = context.masks.of(unit)[
        run.close_mark - unit.start + 1 : following.open_mark - unit.start
    ]
    if len(between) > 60 or _STOP.search(between):
        return None
    found = _trailing(following, context, after_that[0] if after_that else None)
    if found is None or not found.speaker:
        return None
    return Found(found.speaker, found.as_written, found.how, "split")


def _without_comma(text: str, end: int) -> tuple[str, int]:
    """Drop the sentence comma before an attribution (“…process,” said X):
    it belongs to the sentence around the quote, not to the words quoted."""
    trimmed = text.rstrip()
    if trimmed.endswith(","):
        trimmed = trimmed[:-1].rstrip()
        if trimmed:
            return trimmed, end - (len(text) - len(trimmed))
    return text, end


def _run_found(run: Run, unit: Unit, att: Found, masked: str) -> _Found:
    open_rel = run.open_mark - unit.start
    before = text_before(masked, open_rel, 1)
    mid_sentence = bool(before) and before[-1] not in ".!?:" and run.text[:1].islower()
    how: Attribution = att.how  # type: ignore[assignment]
    text, end = _without_comma(run.text, run.end)
    return _Found(
        run.start,
        end,
        text,
        unit,
        att.speaker,
        att.as_written,
        how,
        "mixed" if mid_sentence else "direct",
        att.rule,
    )


def _tidy_mention(mention: str | None) -> str | None:
    """The words that named the speaker, without the sentence's closing punctuation."""
    if mention is None:
        return None
    mention = mention.strip()
    if re.search(r"(?:^|[\s.])[^\W\d_]\.$", mention):
        return mention  # "МЕЛЬНИК І.В.": the full stop is the initial's
    return mention.rstrip(".,;:!?").strip() or None

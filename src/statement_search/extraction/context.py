"""One article's extraction state (extraction stage), built once and passed one way.

`ArticleContext.build` makes everything the stages share for one article: its units
(hard-wrapped lines joined), where the body starts, its language's lexicon, the
official site it comes from, the people register (filled from the whole text before
any quote is attributed), the resolver over it, the transcript turns (also those
printed inside one quotation), the quoted runs kept for attribution and each unit's
quoted text masked.  The stages
(`turn_speakers.credit`, `speakers.UnitAttributor`, the run loop of `extract.py`,
`Taxonomy.tag`) read it and return their results; none imports `extract.py`.

After `build` the register does not change: attribution only reads it (and fills its
memo caches).  What attribution learns as it goes is who spoke or acted last, kept
by `resolver` and written only through `Resolver.note`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from ..models import Article
from .attribution import Resolver, mask_runs
from .entities import find_bodies
from .lexicon import LANGUAGES, Language
from .people import OFFICIAL_SITES, People
from .quotes import Run, Unit, article_units, find_runs, keep_run
from .topics import Stemmer, Taxonomy, default_taxonomy
from .transcripts import QuotedTurn, Turn, find_turns, join_wrapped, quoted_turns

_LEXICONS = {language.code: language for language in LANGUAGES}


def site_of(article: Article) -> tuple[str, str | None] | None:
    """The official site this article comes from, by its URL or source."""
    for value in (article.url, article.source):
        if not value:
            continue
        host = urlparse(value).hostname if "//" in value else value
        host = (host or "").casefold().removeprefix("www.")
        for domain, head in OFFICIAL_SITES.items():
            if host == domain or host.endswith("." + domain):
                return head
    return None


def first_body_unit(article: Article, units: list[Unit]) -> int:
    """Index of the first unit of the body: the title line's quotes are headlines."""
    first_body = next((u.index for u in units if u.start >= article.body_offset), len(units))
    if first_body and len(units[0].text.split()) > 30:
        first_body = 0  # a first line that long is the body's first paragraph
    return first_body


class Masks:
    """Each unit's text with its quotes blanked (`mask_runs`), made once per unit:
    a quote's own unit and the unit its attribution follows in are mostly one."""

    def __init__(self, touching: dict[int, list[Run]]) -> None:
        self.touching = touching
        self.made: dict[int, str] = {}

    def of(self, unit: Unit) -> str:
        runs = self.touching.get(unit.index)
        if not runs:
            return unit.text  # nothing quoted: the text as it is
        masked = self.made.get(unit.index)
        if masked is None:
            masked = self.made[unit.index] = mask_runs(unit, runs)
        return masked


@dataclass
class ArticleContext:
    """What every extraction stage of one article reads (see the module docstring)."""

    article: Article
    units: list[Unit]
    first_body: int  # units before it are the title's (headlines, never attributed)
    taxonomy: Taxonomy  # already stemmed by the stemmer `extract_quotes` was given
    lexicon: Language | None  # the article's language file; None for English or unknown
    site: tuple[str, str | None] | None  # (nationality, head of state) of an official site
    people: People
    resolver: Resolver
    turns: dict[int, Turn]  # unit index → the transcript turn found there (the last one)
    found_turns: list[Turn]  # every turn, in text order
    labelled: frozenset[int]  # units whose speaker the reader gave (`Article.turn_speakers`)
    runs: dict[int, list[Run]]  # unit index → the quoted runs starting there, to attribute
    quoted: dict[int, list[QuotedTurn]]  # unit index → a transcript printed as a quotation
    in_quoted: frozenset[int]  # the units such quoted transcripts cover
    masks: Masks

    @classmethod
    def build(
        cls, article: Article, taxonomy: Taxonomy | None = None, stemmer: Stemmer | None = None
    ) -> ArticleContext:
        """The context of `article`: the register learnt from its body (and headline,
        confirmed by the body; the title too when it has transcript turns), the turns,
        the runs to attribute and their masks."""
        taxonomy = taxonomy or default_taxonomy()
        if stemmer is not None:
            taxonomy = taxonomy.stemmed_by(stemmer)
        units = join_wrapped(article_units(article), article.text)
        first_body = first_body_unit(article, units)
        site = site_of(article)
        people = People(site=site)
        body = article.text[article.body_offset :] if first_body else None
        for unit in units[first_body:]:
            people.learn(unit.text)
        for unit in units[:first_body]:
            people.learn(unit.text, confirmed_by=body)
        found_turns = find_turns(units, first_body)
        if found_turns and article.title:
            people.learn(article.title)  # "Remarks by President …": who THE PRESIDENT is
        turns = {t.unit: t for t in found_turns}
        labelled = frozenset(u.index for u in units if u.paragraph in article.turn_speakers)
        # A run reaching into a turn or a labelled paragraph is that turn's words: the
        # turn is the quote (quotes never overlap).
        kept = [
            r
            for r in find_runs(units, article.text)
            if r.unit >= first_body
            and not any(i in turns or i in labelled for i in range(r.unit, r.end_unit + 1))
        ]
        # A transcript printed as one quotation: its turns, and the units it covers.
        quoted: dict[int, list[QuotedTurn]] = {}
        in_quoted: set[int] = set()
        for run in kept:
            if split := quoted_turns(run, units):
                quoted[run.unit] = split
                in_quoted.update(range(run.unit, run.end_unit + 1))
        kept = [r for r in kept if r.unit not in quoted and keep_run(r, units[r.unit])]
        runs: dict[int, list[Run]] = {}
        touching: dict[int, list[Run]] = {}
        for run in kept:
            runs.setdefault(run.unit, []).append(run)
            for index in range(run.unit, run.end_unit + 1):
                touching.setdefault(index, []).append(run)
        return cls(
            article=article,
            units=units,
            first_body=first_body,
            taxonomy=taxonomy,
            lexicon=_LEXICONS.get(article.language or ""),
            site=site,
            people=people,
            resolver=Resolver(people, find_bodies(body or article.text)),
            turns=turns,
            found_turns=found_turns,
            labelled=labelled,
            runs=runs,
            quoted=quoted,
            in_quoted=frozenset(in_quoted),
            masks=Masks(touching),
        )

    def masked(self, unit: Unit) -> str:
        """`unit`'s text with its quotes blanked."""
        return self.masks.of(unit)

    def previous_text(self, unit: Unit) -> str:
        """The text of the unit before `unit` ("" for the first)."""
        return self.units[unit.index - 1].text if unit.index else ""

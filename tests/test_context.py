"""One context per article, passed one way: built once, the register filled before any
speaker is credited, every stage reading the same object."""

from __future__ import annotations

from typing import Any

import pytest

from statement_search.extraction import extract as extract_module
from statement_search.extraction import speakers, turn_speakers
from statement_search.extraction.context import ArticleContext
from statement_search.extraction.extract import extract_quotes
from statement_search.extraction.people import People
from statement_search.models import Article
from statement_search.readers.text import parse_text

NEWS = (
    "Bridge talks resume\n\n"
    "Harbour Minister Ann Lee met Mayor Bo Diaz on Monday.\n\n"
    "“We will build the bridge,” Lee said. “It is overdue.”\n\n"
    "The mayor disagreed. “Not this year,” he said.\n"
)
TRANSCRIPT = (
    "Remarks by President Karen Quill on the harbour\n\n"
    "THE PRESIDENT: Thank you all for coming today to the harbour.\n\n"
    "Q: Madam President, when will the bridge open to traffic?\n\n"
    "THE PRESIDENT: Next spring, if the council agrees with the plan.\n\n"
    "Q: And the cost of the whole project?\n\n"
    "THE PRESIDENT: Less than the last one, I promise you.\n"
)


def _recording(monkeypatch: pytest.MonkeyPatch) -> tuple[list[ArticleContext], list[Any]]:
    """Every context built, and (event, context or None) in the order things happen."""
    built: list[ArticleContext] = []
    events: list[Any] = []
    build = ArticleContext.build.__func__  # type: ignore[attr-defined]

    def counted_build(cls: type[ArticleContext], *args: Any, **kwargs: Any) -> ArticleContext:
        made = build(cls, *args, **kwargs)
        built.append(made)
        events.append(("built", made))
        return made

    learn = People.learn

    def recorded_learn(self: People, *args: Any, **kwargs: Any) -> None:
        events.append(("learn", self))
        learn(self, *args, **kwargs)

    init = speakers.UnitAttributor.__init__

    def recorded_init(self: speakers.UnitAttributor, ctx: ArticleContext, unit: Any) -> None:
        events.append(("attribute", ctx))
        init(self, ctx, unit)

    credit = turn_speakers.credit

    def recorded_credit(ctx: ArticleContext) -> dict[int, str | None]:
        events.append(("credit", ctx))
        return credit(ctx)

    monkeypatch.setattr(ArticleContext, "build", classmethod(counted_build))
    monkeypatch.setattr(People, "learn", recorded_learn)
    monkeypatch.setattr(speakers.UnitAttributor, "__init__", recorded_init)
    monkeypatch.setattr(extract_module, "credit", recorded_credit)
    return built, events


def test_the_context_is_built_once_per_article_and_every_stage_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built, events = _recording(monkeypatch)
    news = extract_quotes(parse_text(NEWS, "news.txt"))
    transcript = extract_quotes(parse_text(TRANSCRIPT, "remarks.txt"))
    assert [q.speaker for q in news] == ["Ann Lee", "Ann Lee", "Bo Diaz"]
    assert [q.speaker for q in transcript if q.kind == "transcript"] == ["Karen Quill"] * 3
    assert len(built) == 2
    first, second = built
    assert first.article.path == "news.txt" and second.article.path == "remarks.txt"
    # Every stage of an article gets that article's one context, never another.
    split = events.index(("built", second))
    staged = [(i, ctx) for i, (event, ctx) in enumerate(events) if event in ("attribute", "credit")]
    assert all(ctx is (first if i < split else second) for i, ctx in staged)
    assert ("credit", first) in events and ("credit", second) in events
    assert ("attribute", first) in events


def test_the_register_is_filled_before_any_speaker_is_credited(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built, events = _recording(monkeypatch)
    for text, name in ((NEWS, "news.txt"), (TRANSCRIPT, "remarks.txt")):
        extract_quotes(parse_text(text, name))
        ctx = built[-1]
        learnt = [
            i for i, (event, who) in enumerate(events) if event == "learn" and who is ctx.people
        ]
        crediting = [i for i, (event, who) in enumerate(events) if event != "learn" and who is ctx]
        assert learnt and crediting
        assert max(learnt) < min(crediting)
    # The title of a transcript names who THE PRESIDENT is: learnt while building.
    assert "Karen Quill" in built[-1].people.people


def test_attribution_leaves_the_register_as_built(monkeypatch: pytest.MonkeyPatch) -> None:
    built, _ = _recording(monkeypatch)
    snapshots: list[Any] = []

    def register(ctx: ArticleContext) -> Any:
        people = ctx.people
        return (
            dict(people.names.full),
            {k: list(v) for k, v in people.names.by_surname.items()},
            {n: (p.order, sorted(p.words), p.female) for n, p in people.people.items()},
        )

    credit = extract_module.credit

    def snapshot_then_credit(ctx: ArticleContext) -> dict[int, str | None]:
        snapshots.append(register(ctx))
        return credit(ctx)

    monkeypatch.setattr(extract_module, "credit", snapshot_then_credit)
    for text, name in ((NEWS, "news.txt"), (TRANSCRIPT, "remarks.txt")):
        extract_quotes(parse_text(text, name))
        assert register(built[-1]) == snapshots[-1]


def _article(text: str, language: str | None, url: str | None = None) -> Article:
    article = parse_text(text, "a.txt")
    article.language = language
    article.url = url
    return article


def test_the_context_holds_the_language_file_and_the_official_site() -> None:
    ru = ArticleContext.build(_article("Заголовок\n\n«Да», — сказал он.\n", "ru"))
    assert ru.lexicon is not None and ru.lexicon.code == "ru"
    english = ArticleContext.build(_article(NEWS, "en", "https://www.kremlin.ru/events/1"))
    assert english.lexicon is None  # English words are lexicon.py's own
    assert english.site == ("russian", "Vladimir Putin")
    assert english.people.site == english.site
    assert english.resolver.people is english.people


def test_the_context_keeps_runs_out_of_titles_turns_and_labelled_paragraphs() -> None:
    news = ArticleContext.build(parse_text('"Headline quote" here\n\n' + NEWS, "n.txt"))
    assert news.first_body > 0
    assert all(index >= news.first_body for index in news.runs)
    assert sorted(news.runs) == [u.index for u in news.units if "“" in u.text]
    transcript = ArticleContext.build(parse_text(TRANSCRIPT, "t.txt"))
    assert transcript.turns and not set(transcript.turns) & set(transcript.runs)
    assert transcript.masked(transcript.units[1]) == transcript.units[1].text

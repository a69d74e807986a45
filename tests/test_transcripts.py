"""Transcript turns: labels, questioners, stage directions, headlines."""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

import pytest

from statement_search.extraction.extract import extract_quotes
from statement_search.extraction.quotes import article_units
from statement_search.extraction.transcript_labels import (
    label_of,
    presiding_officer,
    reporter_of,
    self_introductions,
)
from statement_search.extraction.transcripts import (
    find_turns,
    is_not_speech,
    is_stage_direction,
    join_wrapped,
    wrap_width,
)
from statement_search.readers import read_article
from statement_search.readers.text import parse_text


def _turns(body: str) -> list[tuple[str, str]]:
    article = parse_text("Title\n\n" + body, "t.txt")
    units = article_units(article)
    return [(t.label, article.text[t.start : t.end]) for t in find_turns(units, 1)]


def test_capital_labels_and_bare_q() -> None:
    body = "MR. EARNEST:  Hello all.\n\nQ    Thanks.\n\nTHE PRESIDENT: Ready."
    assert _turns(body) == [
        ("MR. EARNEST", "Hello all."),
        ("Q", "Thanks."),
        ("THE PRESIDENT", "Ready."),
    ]


def test_name_labels_timestamps_and_retranslated() -> None:
    body = (
        "Question: Why?\n\nSergey Lavrov: Because.\n\n"
        "Vladimir Putin (retranslated): Yes.\n\nAnn Lee: (00:07) Thanks."
    )
    assert _turns(body) == [
        ("Question", "Why?"),
        ("Sergey Lavrov", "Because."),
        ("Vladimir Putin", "Yes."),
        ("Ann Lee", "Thanks."),
    ]


def test_turn_continues_over_paragraphs_until_a_time_stamp() -> None:
    body = "Ann Lee: One.\n\nTwo.\n\n(Applause.)\n\nThree.\n\n1:09 P.M. EST\n\nFooter text."
    assert [text for _, text in _turns(body + "\n\nBob Stone: Four.\n\nAnn Lee: Five.")] == [
        "One.",
        "Two.",
        "Three.",
        "Four.",
        "Five.",
    ]


def test_headlines_and_one_off_colons_are_not_turns() -> None:
    body = "Lukashenko: No intention to resign\n\nPutin: Talks were useful\n\nSource: agencies."
    assert _turns(body) == []


def test_a_list_of_verdicts_is_not_a_conversation() -> None:
    body = "Ann Lee: Win in a walk.\n\nBob Stone: Now or never.\n\nCarl Diaz: 1,547."
    assert _turns(body) == []


def test_stage_directions() -> None:
    assert is_stage_direction("(Laughter.)")
    assert is_stage_direction("(Cross-talk.)")
    assert not is_stage_direction("(Laughter.) And then more words.")


def test_editorial_labels_tallies_and_capital_headlines_are_not_turns() -> None:
    body = (
        "PREVIOUSLY:\n\nOld text.\n\nAnn Lee: 1,204.\n\nAnn Lee: 988.\n\n"
        "WORLD: FLOODS CLOSE THREE PORTS Rain.\n\nCORRECTION:\n\nA fix."
    )
    assert _turns(body) == []


def test_labels_need_a_colon_but_a_bare_q_does_not() -> None:
    body = "MR. EARNEST   Hello all.\n\nQ    Thanks.\n\nMR. EARNEST: Hello again.\n\nQ\tAnd?"
    assert _turns(body) == [("Q", "Thanks."), ("MR. EARNEST", "Hello again."), ("Q", "And?")]


# --- layouts as published (#18): one fixture per layout, about invented people ---

_LAYOUTS = Path(__file__).parent / "fixtures" / "transcripts"
_EXPECTED = json.loads((_LAYOUTS / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(_EXPECTED))
def test_published_layouts_give_every_turn_its_speaker(name: str) -> None:
    article = read_article(_LAYOUTS / name)
    quotes = extract_quotes(article)
    got = [[q.speaker, q.kind, " ".join(q.text.split()[:6])] for q in quotes]
    assert got == _EXPECTED[name]
    for quote in quotes:
        assert quote.attribution == "label" and quote.speaker_as_written
        assert article.text[quote.start : quote.end] == quote.text


def test_layout_fixtures_all_have_expectations() -> None:
    assert sorted(p.name for p in _LAYOUTS.iterdir() if p.suffix != ".json") == sorted(_EXPECTED)


@pytest.mark.parametrize(
    ("line", "label", "name", "kind"),
    [
        ("THE PRESIDENT:  Thanks.", "THE PRESIDENT", "THE PRESIDENT", "name"),
        ("MS. QUILL: Good afternoon.", "MS. QUILL", "MS. QUILL", "name"),
        ("PRIME MINISTER TAN: Yes.", "PRIME MINISTER TAN", "PRIME MINISTER TAN", "name"),
        ("Q: Why?", "Q", "Q", "question"),
        ("Question: Why?", "Question", "Question", "question"),
        ("Reply: Because.", "Reply", "Reply", "unnamed"),
        ("Speaker 2: (01:12)", "Speaker 2", "Speaker 2", "unnamed"),
        ("Ann Lee: (00:07) Hello.", "Ann Lee", "Ann Lee", "name"),
        ("**Ann Lee**: Hello.", "Ann Lee", "Ann Lee", "name"),
        (
            "Mr Tom Frayne (Saltmarsh) (LD): Will he?",
            "Mr Tom Frayne (Saltmarsh) (LD)",
            "Mr Tom Frayne",
            "name",
        ),
        (
            "The Secretary of State for Harbours and Canals (Mr Ed Lyle): No.",
            "The Secretary of State for Harbours and Canals (Mr Ed Lyle)",
            "Mr Ed Lyle",
            "name",
        ),
        ("Photo of Ada Kell Ada Kell Labour, Eastwick", None, "Ada Kell", "name"),
        ("ГОЛОВА. Доброго ранку.", "ГОЛОВА", "ГОЛОВА", "chair"),
        ("Председательствующий. Коллеги.", "Председательствующий", "Председательствующий", "chair"),
        ("Жиров В. В., депутат. Спасибо.", "Жиров В. В., депутат", "Жиров В. В.", "name"),
        ("В.Путин: Добрый день.", "В.Путин", "В.Путин", "name"),
        ("Вопрос: Когда?", "Вопрос", "Вопрос", "question"),
        ("JAKE TARRANT, KTV ANCHOR: Hello.", "JAKE TARRANT, KTV ANCHOR", "JAKE TARRANT", "name"),
        ("SEN. MARIA ROSS (D-NV): Thanks.", "SEN. MARIA ROSS (D-NV)", "SEN. MARIA ROSS", "name"),
        ("The Prime Minister: I will.", "The Prime Minister", "The Prime Minister", "name"),
        (
            "Madam Deputy Speaker (Dame Rosa Venn): Order.",
            "Madam Deputy Speaker (Dame Rosa Venn)",
            "Dame Rosa Venn",
            "name",
        ),
        ("Hon. Members: Hear, hear!", "Hon. Members", "Hon. Members", "unnamed"),
        ("UNIDENTIFIED MALE: Look out.", "UNIDENTIFIED MALE", "UNIDENTIFIED MALE", "unnamed"),
        ("КОВАЛЬ Т.І., депутатка. Дякую.", "КОВАЛЬ Т.І., депутатка", "КОВАЛЬ Т.І.", "name"),
        ("КОВАЛЬ Т.І. Дякую.", "КОВАЛЬ Т.І.", "КОВАЛЬ Т.І.", "name"),
        ("M. le président. La séance est ouverte.", "M. le président", "le président", "chair"),
        ("Mme Ada Kell. Merci.", "Mme Ada Kell", "Ada Kell", "name"),
        (
            "M. Tom Frayne, ministre des ports. Oui.",
            "M. Tom Frayne, ministre des ports",
            "Tom Frayne",
            "name",
        ),
        ("Mme la ministre. Merci.", "Mme la ministre", "la ministre", "unnamed"),
        ("Ada Kell  0:03", "Ada Kell", "Ada Kell", "name"),
        ("Speaker 2\t1:02:03", "Speaker 2", "Speaker 2", "unnamed"),
        ("Zusatzfrage: Wann?", "Zusatzfrage", "Zusatzfrage", "question"),
        ("TRASK (voice-over): The strike goes on.", "TRASK", "TRASK", "name"),
        ("Ada Kell (via telephone): Yes.", "Ada Kell", "Ada Kell", "name"),
        (
            "1. Tom Frayne (Saltmarsh) (LD): What?",
            "Tom Frayne (Saltmarsh) (LD)",
            "Tom Frayne",
            "name",
        ),
    ],
)
def test_label_grammar(line: str, label: str | None, name: str, kind: str) -> None:
    found = label_of(line)
    assert found is not None
    assert (found.label, found.name, found.kind) == (label or line, name, kind)


@pytest.mark.parametrize(
    "line",
    [
        "Source: agencies.",
        "The talks: what we know.",
        "МОСКВА, 5 мая. Переговоры продолжились.",
        "США. Новости.",
        "Ann Lee: win in a walk.",
        "Photo of Ada Kell by Tom Frayne",
        "WASHINGTON (Reuters): The talks began.",
        "US, EU: Talks begin.",
        "M. Frayne a dit non.",
        "Ada Kell 0:03 ago",
        "Q. Lee said no.",
        "TRASK (Saltmarsh): Hello.",
    ],
)
def test_not_labels(line: str) -> None:
    assert label_of(line) is None


def test_headline_like_openings_are_weak_labels() -> None:
    weak = label_of("Lukashenko: No intention to resign")
    assert weak is not None and weak.weak
    strong = label_of("Lukashenko: We have no intention to resign.")
    assert strong is not None and not strong.weak


def test_two_turns_are_a_transcript_but_two_verdicts_are_not() -> None:
    exchange = (
        "Ivan Petrak: How are the exercises going, and when does the second stage begin?\n\n"
        "Sergei Sholtz: They are going to plan, and the second stage begins on Monday."
    )
    assert [label for label, _ in _turns(exchange)] == ["Ivan Petrak", "Sergei Sholtz"]
    assert _turns("Ann Lee: Win in a walk.\n\nBob Stone: Now or never.") == []


def test_section_leads_are_not_speakers() -> None:
    body = (
        "Slow Thaw for Ferry Crews: The dispute is the sort of thing the board was set up for.\n\n"
        "Toll Plan Stalls Harbour Talks: Ending delays is one of the first aims of them all."
    )
    assert _turns(body) == []


def test_not_speech_lines_neither_quote_nor_split_a_turn() -> None:
    body = (
        "Ann Lee: One.\n\n19 July 2011 : Column 772\n\nTwo.\n\nShare this specific contribution"
        "\n\nTopical Questions\n\n(Interruption)\n\nThree.\n\nBob Stone: Four.\n\nAnn Lee: Five."
    )
    assert _turns(body) == [
        ("Ann Lee", "One."),
        ("Ann Lee", "Two."),
        ("Ann Lee", "Three."),
        ("Bob Stone", "Four."),
        ("Ann Lee", "Five."),
    ]
    assert is_not_speech("Alert me about debates like this")
    assert is_not_speech("Several hon. Members rose—")
    assert is_not_speech("## Questions and answers") and is_not_speech("---")
    assert is_not_speech("<…>") and is_not_speech("* * *")
    assert not is_not_speech("Thank you.")


def test_hard_wrapped_lines_are_joined_and_offsets_stay_exact() -> None:
    para = " ".join(f"Word{i} goes on here" for i in range(40))
    wrapped = "\n".join(textwrap.wrap("ANN LEE:  " + para + ".", 60))
    text = f"Title\n\n{wrapped}\n\nBOB STONE:  Short.\nNext line of Bob that is short.\n"
    article = parse_text(text, "w.txt")
    units = article_units(article)
    assert wrap_width(units) is not None
    joined = join_wrapped(units, article.text)
    for unit in joined:
        assert article.text[unit.start : unit.end] == unit.text
    turns = find_turns(joined, 1)
    assert [t.label for t in turns] == ["ANN LEE", "BOB STONE", "BOB STONE"]
    assert article.text[turns[0].start : turns[0].end].endswith("Word39 goes on here.")


def test_unwrapped_lines_stay_apart_but_a_lower_case_line_continues() -> None:
    text = "Title\n\nAnn Lee: Colleagues,\nthe harvest is in.\nIt was a good year for all of us."
    article = parse_text(text, "u.txt")
    joined = join_wrapped(article_units(article), article.text)
    assert [u.text for u in joined[1:]] == [
        "Ann Lee: Colleagues,\nthe harvest is in.",
        "It was a good year for all of us.",
    ]


def test_detection_is_linear_in_the_file_size() -> None:
    def seconds(lines: int) -> float:
        body = "".join(
            f"{('Ann Lee', 'Bob Stone')[i % 2]}: We talk about item {i} today.\n"
            for i in range(lines)
        )
        units = article_units(parse_text("Title\n\n" + body, "big.txt"))
        began = time.thread_time()  # CPU seconds of this thread: other work does not count
        assert len(find_turns(join_wrapped(units, "Title\n\n" + body), 1)) == lines
        return time.thread_time() - began

    small, large = seconds(5_000), seconds(20_000)
    assert large < 10 * small + 0.2  # 4x the lines: linear, not 16x


def test_reporter_naming_themself_and_self_introductions() -> None:
    assert reporter_of("Darlene Okoro, Harbor Times.  Prime Minister, will it?") == "Darlene Okoro"
    assert reporter_of("Mr President, will the programme be extended?") is None
    assert reporter_of("Thank you, Mr President. Two questions.") is None
    assert self_introductions("Good evening, I'm Lena Morrow, and welcome.") == ["Lena Morrow"]
    assert presiding_officer("Председательствует председатель думы Петров В.С.") == "Петров В.С."
    chair = "Председательствует Председатель Государственной Думы В. В. Володин.\nКоллеги"
    assert presiding_officer(chair) == "В. В. Володин"
    assert presiding_officer("Председательствует Петров В.С. Присутствуют все.") == "Петров В.С."
    # The French opening passes the cheap word check too.
    assert presiding_officer("Séance du 3 mars\nPrésidence de M. Paul Girardin") == "Paul Girardin"


@pytest.mark.parametrize(
    "opening", ["Головує", "Головуючий", "Веде засідання", "веде засідання", "Засідання веде"]
)
def test_every_opening_of_a_sitting_names_its_chair(opening: str) -> None:
    """Each opening the chair pattern knows passes the cheap word check before it (#8)."""
    assert presiding_officer(f"Стенограма\n{opening} Голова Верховної Ради ПАРУБІЙ А.В.") == (
        "Парубій А.В."
    )


def test_answers_labelled_a_and_questions_whose_q_lost_its_space() -> None:
    body = "QWhat did you find?\n\nA: Nobody was home.\n\nQHow did it go?\n\nA: Badly, at first."
    assert _turns(body) == [
        ("Q", "What did you find?"),
        ("A", "Nobody was home."),
        ("Q", "How did it go?"),
        ("A", "Badly, at first."),
    ]
    assert _turns("QAnon is a conspiracy theory.\n\nIt spread online.") == []


def test_a_cue_verb_and_its_speaker_are_prose_not_a_label() -> None:
    assert label_of("Stated Stone: “So I think it is a very real problem.”") is None
    body = (
        "Jeb Bush: Borrowers would pay through payroll deduction, as Mr. Bush proposed in May.\n\n"
        "Marco Rubio: As for anyone who wants to save, Mr. Rubio would open the plan to all."
    )
    assert _turns(body) == []  # sections about people, not their words


def test_reporters_are_named_only_when_they_name_themselves() -> None:
    said = "Thank you, Mr. President.  Darlene Superwell, Capital Wire.  Will they stay?"
    assert reporter_of(said) == "Darlene Superwell"
    assert reporter_of("Yes. North Korea, Iran. Are they talking?") is None


def test_short_speech_without_a_full_stop_is_not_a_heading() -> None:
    body = "ANN LEE: Welcome.\n\nThank you all\n\nTopical Questions\n\nBOB STONE: Thank you."
    assert _turns(body) == [
        ("ANN LEE", "Welcome."),
        ("ANN LEE", "Thank you all"),
        ("BOB STONE", "Thank you."),
    ]


def test_a_time_between_contributions_is_not_speech() -> None:
    body = "ANN LEE: We will vote today.\n\n12.31 pm\n\nBOB STONE: And we will win."
    assert [text for _, text in _turns(body)] == ["We will vote today.", "And we will win."]


def test_a_time_under_a_speaker_header_does_not_end_the_turn() -> None:
    body = (
        "Photo of Ada Kell Ada Kell Labour, Eastwick\n\n2:31 pm\n\nThe harbour opens in July.\n\n"
        "Hansard source (Citation: HC Deb, 4 June 2025, c312)\n\n"
        "Photo of Tom Frayne Tom Frayne Liberal Democrat, Saltmarsh\n\nAnd the cost?"
    )
    assert _turns(body) == [
        ("Photo of Ada Kell Ada Kell Labour, Eastwick", "The harbour opens in July."),
        ("Photo of Tom Frayne Tom Frayne Liberal Democrat, Saltmarsh", "And the cost?"),
    ]


def test_the_report_resuming_after_an_exchange_is_not_the_last_speaker() -> None:
    body = (
        "IVAN PETRAK: How are the exercises going?\n\n"
        "SERGEI SHOLTZ: They are going to plan, Mr President.\n\n"
        "Sholtz said later that the second stage would begin on Monday.\n\n"
        "The meeting ended at noon."
    )
    assert [label for label, _ in _turns(body)] == ["IVAN PETRAK", "SERGEI SHOLTZ"]


def test_title_case_openings_and_form_fields_are_no_turns() -> None:
    headline = label_of("Ann Lee: Trump Is Trying To Campaign As A Racial Healer.")
    assert headline is not None and headline.weak
    german = label_of(
        "Ann Lee: Vielen Dank, Frau Bundeskanzlerin, für die Einladung und die Gespräche."
    )
    assert german is not None and not german.weak  # nouns capitalised, short words not
    assert label_of("Name: Ada Kell Age: 27") is None


def test_a_long_run_of_capitals_is_read_at_once() -> None:
    began = time.thread_time()  # CPU seconds of this thread: a busy machine does not count
    runs = (
        "A" * 190 + "x: Hello.",
        "AA " * 60 + "x: Hi.",
        "A. " * 60 + "x: Hi.",
        "A. " * 60 + "(x): Hi.",
    )
    for text in runs:
        assert label_of(text) is None
    assert time.thread_time() - began < 0.5  # every split of the run tried: minutes


def test_a_q_with_one_space_among_capital_labels() -> None:
    body = "THE PRESIDENT: Thank you.\n\nQ Mr. President, will it pass?\n\nTHE PRESIDENT: It will."
    assert _turns(body) == [
        ("THE PRESIDENT", "Thank you."),
        ("Q", "Mr. President, will it pass?"),
        ("THE PRESIDENT", "It will."),
    ]


def test_dotted_q_and_a_are_turns_only_as_a_pair() -> None:
    interview = "Q. Why now?\n\nA. Because the talks are over.\n\nQ. And then?\n\nA. We vote."
    assert _turns(interview) == [
        ("Q", "Why now?"),
        ("A", "Because the talks are over."),
        ("Q", "And then?"),
        ("A", "We vote."),
    ]
    assert _turns("Q. Lee said no.\n\nQ. Lee said so again, and nobody believed him.") == []


def test_a_long_interjection_in_brackets_is_not_speech() -> None:
    assert is_not_speech("(Beifall bei der SPD – Zuruf von der AfD: Das stimmt doch nicht!)")


def test_label_lines_do_not_hide_a_fixed_wrap_width() -> None:
    line = "Words of a speech that a plain-text export wrapped at a fixed width of"
    body = "\n\n".join(f"Ada Kell (SPD):\n{line}\n{line}\nend." for _ in range(3))
    units = article_units(parse_text("Title\n\n" + body, "t.txt"))
    assert wrap_width(units) == len(line)


def test_names_alone_on_their_lines_head_speeches_when_two_people_alternate() -> None:
    body = "Ada Kell\n\nWhy now?\n\nTom Frayne\n\nBecause.\n\nAda Kell\n\nAnd?\n\nTom Frayne\n\nSo."
    assert _turns(body) == [
        ("Ada Kell", "Why now?"),
        ("Tom Frayne", "Because."),
        ("Ada Kell", "And?"),
        ("Tom Frayne", "So."),
    ]
    # One name heading twice is a byline or a caption, not a conversation.
    assert _turns("Ada Kell\n\nThe port.\n\nAda Kell\n\nThe strike.\n\nTom Frayne\n\nEnd.") == []


def test_a_stenogram_label_keeps_its_initials_full_stop() -> None:
    quotes = extract_quotes(read_article(_LAYOUTS / "rada-uk.txt"))
    assert quotes[-1].speaker_as_written == "МЕЛЬНИК І.В."


def test_square_bracket_cues_and_running_page_headers_are_not_speech() -> None:
    assert is_not_speech("[BEGIN TAPE]")
    header = "Deutscher Bundestag – 19. Wahlperiode – 42. Sitzung. Berlin, Mittwoch, den 4. März"
    assert is_not_speech(header + "\n4215")
    assert not is_not_speech("Die Sitzung ist eröffnet.")


def test_a_header_block_and_a_running_header_do_not_hide_a_wrap_width() -> None:
    line = "Words of a speech that a plain-text export wrapped at a fixed width of"
    speech = f"Ada Kell (SPD):\n{line}\n{line}\nend."
    body = "Bericht\n42. Sitzung\nBerlin\n\n" + "\n\n".join([speech] * 3)
    units = article_units(parse_text("Title\n\n" + body + "\n\n" + line + " and more", "t.txt"))
    assert wrap_width(units) == len(line)


def test_captions_over_news_and_a_schedule_of_times_are_no_turns() -> None:
    captions = (
        "Tom Eller\n\nThe strike ended on Tuesday after a new offer.\n\n"
        "Ada Kell\n\nAda Kell, the union leader, said the deal was fair.\n\n"
        "Tom Eller\n\nShips will be unloaded again from Wednesday.\n\n"
        "Ada Kell\n\nThe port authority welcomed the end of the strike."
    )
    assert _turns(captions) == []
    game = "The home side needs a win to stay in the race for the title."
    schedule = "\n\n".join(
        f"{team}  {time}\n{game}"
        for team, time in [("Real Vellia", "3:00"), ("Saltmarsh Rovers", "5:30")] * 2
    )
    assert _turns(schedule) == []
    assert [label for label, _ in _turns(schedule.replace("3:00", "0:03"))] == []  # 5:30 > 0:03
    recording = f"Ada Kell  0:03\n{game}\n\nTom Frayne  0:15\nWhy should it?"
    assert [label for label, _ in _turns(recording)] == ["Ada Kell", "Tom Frayne"]


def test_a_reported_quote_after_a_turn_is_the_article_not_the_turn() -> None:
    text = "Title\n\nQ    Are you ready?\n\n“We will win,” Ann Lee said.\n\nQ    Are you?"
    quotes = extract_quotes(parse_text(text, "t.txt"))
    assert [(q.kind, q.speaker, q.text) for q in quotes] == [
        ("question", None, "Are you ready?"),
        ("direct", "Ann Lee", "We will win"),
        ("question", None, "Are you?"),
    ]


def test_elapsed_reads_what_the_full_pattern_matches() -> None:
    """`elapsed` turns lines away by their last character; it agrees with the pattern."""
    from statement_search.extraction.transcript_labels import _NAME_TIME, elapsed

    lines = [
        "Ann Lee  1:02",
        "Ann Lee  1:02\n",
        "Ann Lee  1:02\n\n",
        "Speaker 2\t12:01:09",
        "Ann Lee  1:0٢",
        "Ann Lee 1:02",
        "Ann Lee  1:02 ",
        "Ann Lee  said 1:02 things",
        "x" * 199 + "1",
        "",
    ]
    for line in lines:
        expected = None
        if _NAME_TIME.match(line[:200]):
            parts = [int(p) for p in line.rsplit(None, 1)[-1].split(":")]
            expected = sum(p * 60**i for i, p in enumerate(reversed(parts)))
        assert elapsed(line) == expected, line
    assert elapsed("Ann Lee  1:02\n") == 62

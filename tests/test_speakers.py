"""Speaker rules one at a time: picking the person, roles, pronouns, vocatives."""

from __future__ import annotations

import re

import pytest

from statement_search.extraction.attribution import _blanked
from statement_search.extraction.extract import extract_quotes
from statement_search.extraction.people import People
from statement_search.extraction.speakers import pick_speaker
from statement_search.readers.text import parse_text


def _speakers(body: str) -> list[tuple[str | None, str]]:
    article = parse_text("Title\n\n" + body, "t.txt")
    return [(q.speaker, q.attribution) for q in extract_quotes(article)]


@pytest.mark.parametrize(
    ("span", "picked"),
    [
        ("Republican strategist Fred Davis", ("name", "Fred Davis")),
        ("the Russian leader", ("role", "the Russian leader")),
        ("her adviser, Jake Sullivan,", ("name", "Jake Sullivan")),
        ("Jon Alterman, a Middle East analyst with the Center", ("name", "Jon Alterman")),
        (
            "Senate Minority Leader Harry M. Reid (D-Nev.)",
            ("name", "Senate Minority Leader Harry M. Reid"),
        ),
        ("a user from Hanover going by the handle Pulvermann", ("name", "Pulvermann")),
        ("Anna Dale and Bob Stone", ("name", "Anna Dale")),
        ("he", ("pron", "he")),
        ("the Times", ("name", "Times")),
        # A clause after the name names others: the speaker is before it.
        ("Sen. Ann Lee who represents Port Hollis as its mayor", ("name", "Sen. Ann Lee")),
        ("county resident Bo Diaz when asked about Lindsey Marr", ("name", "Bo Diaz")),
        # An unnamed member of a body is not the body.
        ("a senior Harbour Authority member who backs the plan", None),
    ],
)
def test_pick_speaker(span: str, picked: tuple[str, str] | None) -> None:
    assert pick_speaker(span) == picked


def test_role_resolution_against_introductions() -> None:
    people = People()
    people.learn("Russian President Vladimir Putin met Belarusian President Aleksandr Lukashenko.")
    people.learn("Andrew Bates, a spokesperson for the White House, spoke.")
    assert people.resolve_role("the Kremlin chief", []) == "Vladimir Putin"
    assert people.resolve_role("the Belarusian head of state", []) == "Aleksandr Lukashenko"
    assert people.resolve_role("the spokesperson", []) == "Andrew Bates"
    # Two presidents and no qualifier: the first one the body introduced.
    assert people.resolve_role("the President", []) == "Vladimir Putin"


def test_official_site_president() -> None:
    people = People(site=("belarusian", "Aleksandr Lukashenko"))
    assert people.resolve_role("the head of state", []) == "Aleksandr Lukashenko"


def test_unresolvable_role_is_unknown() -> None:
    body = "“Talks will resume,” a spokesman said."
    assert _speakers(body) == [(None, "unknown")]


def test_cue_inside_clause_takes_the_sentence_subject() -> None:
    body = "Rep. Elise Stefanik echoed those statements, saying Mr. Biden “must resign now.”"
    assert _speakers(body) == [("Elise Stefanik", "name")]


def test_pronoun_after_a_new_sentence_is_not_a_cue() -> None:
    body = "Ann Lee lobbies for a higher wage: “It is overdue.” He says Bob Stone disagrees."
    assert _speakers(body) == [("Ann Lee", "name")]


def test_possessive_speech_noun() -> None:
    body = "Critics seized on Ann Lee’s claim that there were “many more jobs than ever” in May."
    assert _speakers(body) == [("Ann Lee", "name")]


def test_dash_attribution() -> None:
    assert _speakers("“We need a change.” ― Maria Ortiz") == [("Maria Ortiz", "name")]


def test_vocative_is_never_the_speaker() -> None:
    body = "“Mr Shoigu, thank you for the report,” Vladimir Putin said."
    assert _speakers(body) == [("Vladimir Putin", "name")]


@pytest.mark.parametrize(
    "text",
    ["plain words, said.", "tabs\tand\nlines  twice", "curly ’quotes’ and é", "nbsp\u00a0here", ""],
)
def test_blanking_keeps_whitespace_only(text: str) -> None:
    assert _blanked(text) == re.sub(r"\S", "x", text)


def test_blanking_agrees_with_the_pattern_on_every_ascii_character() -> None:
    text = "".join(map(chr, range(128)))
    assert _blanked(text) == re.sub(r"\S", "x", text)


def test_according_to_and_possessive_leads() -> None:
    body = "The minister spoke. According to Ann Lee, the plan was “dead on arrival and buried.”"
    assert _speakers(body) == [("Ann Lee", "name")]
    body = "Officials met. Trump’s response was “we will win and win big.”"
    assert _speakers(body) == [("Trump", "name")]
    body = "Officials met. Trump's response was “we will win and win big.”"
    assert _speakers(body) == [("Trump", "name")]


# Other languages: invented articles, one per language, each with a name cue, a role
# noun that stands for the person introduced, and a pronoun or an "according to".
_RU = (
    "Министр финансов Руритании Игорь Белов встретился с мэром столицы Ольгой Сизовой.\n\n"
    "«Бюджет будет принят до лета», — заявил Белов журналистам.\n\n"
    "По словам министра, «налоги расти не будут».\n\n"
    "Мэр поблагодарила коллег. «Город к зиме готов», — сказала Сизова.\n\n"
    "Она добавила: «Мосты откроют в мае»."
)
_UK = (
    "Міністр освіти Руританії Оксана Мельник відвідала школу.\n\n"
    "«Ми відремонтуємо всі класи», — сказала Оксана Мельник.\n\n"
    "За словами міністра, «нові підручники вже надруковані»."
)
_FR = (
    "La ministre de la Santé, Anne Roux, a présenté mardi son plan.\n\n"
    "« Nous ouvrirons dix centres », a déclaré Anne Roux.\n\n"
    "« Le budget est prévu », a ajouté la ministre.\n\n"
    "Selon elle, « personne ne sera oublié »."
)
_DE = (
    "Bundeskanzlerin Petra Lang hat am Montag ein Gesetz vorgestellt.\n\n"
    "„Wir senken die Steuern“, sagte Lang in Bonn.\n\n"
    "„Das ist erst der Anfang“, betonte die Kanzlerin."
)
_ES = (
    "El ministro de Economía, Jorge Vidal, presentó el lunes su plan.\n\n"
    "«Bajaremos los impuestos», dijo Vidal en el Senado.\n\n"
    "«No habrá recortes», afirmó el ministro."
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            _RU,
            [
                ("Игорь Белов", "name"),
                ("Игорь Белов", "role"),
                ("Ольга Сизова", "name"),
                ("Ольга Сизова", "pronoun"),
            ],
        ),
        (_UK, [("Оксана Мельник", "name"), ("Оксана Мельник", "role")]),
        (_FR, [("Anne Roux", "name"), ("Anne Roux", "role"), ("Anne Roux", "pronoun")]),
        (_DE, [("Petra Lang", "name"), ("Petra Lang", "role")]),
        (_ES, [("Jorge Vidal", "name"), ("Jorge Vidal", "role")]),
    ],
    ids=["ru", "uk", "fr", "de", "es"],
)
def test_other_languages(body: str, expected: list[tuple[str, str]]) -> None:
    from statement_search.extraction.morphology import available

    if not available("ru") and body in (_RU, _UK):
        pytest.skip("pymorphy3 dictionaries missing: declined names stay as written")
    assert _speakers(body) == expected


def test_unknown_role_in_other_language_stays_unknown_without_anyone_before() -> None:
    assert _speakers("«Мы против этого бюджета», — заявил депутат.") == [(None, "unknown")]


def test_cue_closing_the_sentence_after_its_subject() -> None:
    body = (
        "A clerk who “takes a few dollars from the till” is punished, Warren said. Bosses aren’t."
    )
    assert _speakers(body) == [("Warren", "name")]


def test_outlets_and_places_are_never_he_or_she() -> None:
    body = (
        "Ann Lee runs the shelter. Right Wing Watch wrote about it.\n\n"
        "“We will not back down on this,” she said."
    )
    assert _speakers(body) == [("Ann Lee", "pronoun")]


def test_the_subject_of_a_quoted_predicate_is_not_its_speaker() -> None:
    body = (
        "Mayor Tom Reed spoke at the harbour on Monday. Harbour chief Lena Fox "
        "“has put aside every plan for the new pier,” he said in his speech."
    )
    assert _speakers(body) == [("Tom Reed", "pronoun")]
    body = 'Ann Lee said in her speech. Governor Bob Stone "has put aside efforts for peace."'
    assert _speakers(body)[0][0] != "Bob Stone"


def test_an_unnamed_source_stays_unnamed() -> None:
    body = (
        "“We will not move the bill this week,” said a spokesperson for the majority leader, "
        "who asked not to be named.\n\n"
        "The majority leader’s spokesperson, Dan Ortiz, declined to comment further."
    )
    article = parse_text("Title\n\n" + body, "t.txt")
    [quote] = extract_quotes(article)
    assert quote.speaker is None and quote.attribution == "unknown"
    assert quote.speaker_as_written == "a spokesperson for the majority leader"


def test_a_contracted_pronoun_is_the_subject() -> None:
    body = (
        "Ann Lee spoke in Salem on Friday.\n\n"
        "She’s claiming that the budget is “a big, big problem for this state.”"
    )
    assert _speakers(body) == [("Ann Lee", "pronoun")]


def test_footage_of_someone_saying() -> None:
    body = "The new ad uses footage of Ann Lee asking, “Why am I not far ahead in the polls?”"
    assert _speakers(body) == [("Ann Lee", "name")]


# News-agency forms: compound participles, "so", French inversion, an "according to"
# with its apposition, a country in the genitive after a title.
_MORE = {
    "de": (
        "„Wir legen den Haushalt pünktlich vor“, sagte Bundeskanzlerin Petra Lang der Zeitung.\n\n"
        "„Das ist ein gutes Ergebnis für alle“, so Finanzminister Karl Brandt."
    ),
    "fr": (
        "Selon le porte-parole du gouvernement, Luc Martin, « la réforme sera votée cet été ».\n\n"
        "« Le dialogue reste ouvert », a-t-il ajouté."
    ),
    "es": (
        "«El acuerdo es bueno para el país», ha dicho el presidente del Gobierno, Jorge Vidal.\n\n"
        "Según la líder de la oposición, Marta Gil, «el Gobierno ha cedido demasiado»."
    ),
    "uk": "«Ми не віддамо жодного метра землі», — заявив Президент Руританії Андрій Бойко.",
    "ru": (
        "Министр финансов Игорь Белов выступил в Думе.\n\n"
        "По его словам, «дефицит бюджета сократится вдвое».\n\n"
        "«Налоги останутся прежними». Об этом заявил глава ведомства Игорь Белов.\n\n"
        "Как сообщил Белов, «новых займов не будет»."
    ),
}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("de", [("Petra Lang", "name"), ("Karl Brandt", "name")]),
        ("fr", [("Luc Martin", "name"), ("Luc Martin", "pronoun")]),
        ("es", [("Jorge Vidal", "name"), ("Marta Gil", "name")]),
        ("uk", [("Андрій Бойко", "name")]),
        ("ru", [("Игорь Белов", "pronoun"), ("Игорь Белов", "name"), ("Игорь Белов", "name")]),
    ],
)
def test_news_agency_forms(lang: str, expected: list[tuple[str, str]]) -> None:
    from statement_search.extraction.morphology import available

    if lang in ("uk", "ru") and not available(lang):
        pytest.skip("no Ukrainian dictionary")
    assert _speakers(_MORE[lang]) == expected


@pytest.mark.parametrize(
    "body",
    [
        "Dan Cole, a pollster who works with Better Towns, a civic group, said the race was "
        "“closer than anyone expected this spring.”",
        "Of the mayor, Dan Cole, who has given money to both sides, said: “He is a decent man "
        "with a bad plan.”",
    ],
)
def test_chained_appositions_after_the_speaker(body: str) -> None:
    assert _speakers(body) == [("Dan Cole", "name")]


def test_she_with_no_woman_nearby_is_the_articles_only_woman() -> None:
    body = (
        "The bill signed by Ann Lee on Monday drew fire.\n\n"
        "Critics led by Bob Stone and Tom Reed said the state could not pay for it.\n\n"
        "“We can and we will pay for every part of it,” she said."
    )
    assert _speakers(body)[-1] == ("Ann Lee", "pronoun")


def test_a_place_before_the_cue_leaves_the_speaker_to_the_subject() -> None:
    body = (
        "Ann Lee, during a town hall meeting in Columbus, Ohio, said she was "
        "“going to put every plant back to work.”"
    )
    assert _speakers(body) == [("Ann Lee", "name")]
    body = "Steve Israel runs the committee.\n\n“We will win the House back,” said Israel."
    assert _speakers(body) == [("Steve Israel", "name")]


_BRENNER = 'Thomas Brenner said: "We will see."\n\n'


@pytest.mark.parametrize(
    ("body", "last"),
    [
        # A sentence may open with "And": its subject is still the subject.
        (
            "Mary Quell spoke to voters in Dayton on Monday.\n\n" + _BRENNER + "And she made a "
            'point of saying the park "was a place of joy for everyone in the town," adding '
            "that it would stay open.",
            ("Mary Quell", "pronoun"),
        ),
        # "Republican Dorothy Vance" is a woman: "he" is the man who spoke before her.
        (
            _BRENNER + 'Republican Dorothy Vance said: "We are ready."\n\n"We will win it," he '
            "added.",
            ("Thomas Brenner", "pronoun"),
        ),
        # "Former House" of "Former House speaker Newt Gorman" is no person.
        (
            "Campaign chairman Paul Baird spoke first. Former House speaker Newt Gorman noted "
            "that both men had survived worse.\n\nOf the fuss over the speech, he said, \"It's "
            'a little much."',
            ("Newt Gorman", "pronoun"),
        ),
        # A role subject is the person its apposition names.
        (
            _BRENNER + "Ruritania's foreign minister, Oskar Valdt, plays down concerns. The plan "
            'is good news, he says.\n\n"We should get on board," he said.',
            ("Oskar Valdt", "pronoun"),
        ),
        # A title in quotes is no one: the sentence's subject is the person after it.
        (
            'Mara Quell spoke first.\n\nAt an event billed as "Hard Hats Day," Thomas Brenner '
            'unveiled a plan.\n\n"We will fix the roads," he told the hall.',
            ("Thomas Brenner", "pronoun"),
        ),
        # A new sentence after the quote with its own verb is not an attribution ...
        (
            'Before the vote, Police Chief Cal Wills lobbied against it, saying, "The fewer '
            'guns, the better."  The Lake State is one of 45 states that allow it.',
            ("Cal Wills", "name"),
        ),
        # ... nor one reporting something else: the quote keeps the cue before it.
        (
            'The director, Mike Rubin, wrote in an email: "We want to use this soon." Bo '
            "Adler, the owner, said the campaign has yet to follow up.",
            ("Mike Rubin", "name"),
        ),
        ('"We will win this." Bo Diaz told the Associated Press.', ("Bo Diaz", "name")),
        # An office before "of" is not the speaker's name.
        ('"The talks were useful," said Secretary of State Jane Holt.', ("Jane Holt", "name")),
    ],
)
def test_who_a_pronoun_or_a_cue_stands_for(body: str, last: tuple[str | None, str]) -> None:
    assert _speakers(body)[-1] == last


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # A participle after a comma is the sentence subject's ...
        (
            "Tom Reyes spoke in Ames. At the forum, Reyes answered Dana Holt, saying, "
            "“I take no fees from lenders.”",
            ("Tom Reyes", "name"),
        ),
        # ... unless a cue before it names the speaker.
        (
            "Ana Ruiz and Tom Reyes will meet next week, Lou Park said, adding, "
            "“They need to sit down and talk.”",
            ("Lou Park", "name"),
        ),
        # "with X yelling": the absolute clause's participle is X's.
        (
            "Marchers pushed a heckler out, with Tom Reyes reportedly yelling: “Get him out!”",
            ("Tom Reyes", "name"),
        ),
        # ... also after a cue that is not the speaker's: "posted a comment …, saying".
        (
            "Ann Lee immediately posted a Twitter comment of her own, saying, “We are so glad!”",
            ("Ann Lee", "name"),
        ),
        # A passive cue: the agent spoke, before the quote or after it.
        (
            "Tom Reyes was asked by host Dana Holt, who backs him, “Is the plan dead?”",
            ("Dana Holt", "name"),
        ),
        ("“It was a shame,” Tom Reyes was told by Dana Holt.", ("Dana Holt", "name")),
        (
            "“Harbour Lights Forever” was written by Dana Holt after the 1999 storm, which was "
            "covered by the Harbour Herald.",
            ("Dana Holt", "name"),
        ),
        # An inverted cue opening the sentence.
        ("Lou Park ran the agency. Said Park, “The error is painful to us.”", ("Lou Park", "name")),
        # An unnamed source after the verb stays unnamed, never a body it belongs to.
        (
            "“I would want answers,” said a prominent Harbour Council member who backs "
            "Lou Park, asking not to be named.",
            (None, "unknown"),
        ),
        # A comparison before the speaker's name is not the speaker.
        (
            "Dana Holt spoke. Reyes “has a right to contest every vote,” just as Holt did in "
            "2008, Lou Park added.",
            ("Lou Park", "name"),
        ),
        # The possessor of the remarks a subject denounces did not say them.
        (
            "Marc Dubois met Tom Reyes. Dubois denounced Reyes’s remarks as “hurtful and "
            "humiliating” on Monday.",
            ("Marc Dubois", "name"),
        ),
    ],
)
def test_who_a_cue_names(body: str, expected: tuple[str | None, str]) -> None:
    assert _speakers(body)[-1] == expected


def test_an_attribution_line_under_a_quote_paragraph() -> None:
    body = "The bill stalled.\n\n“We will look into it. I do not know the status.”\n\n- Ann Lee."
    assert _speakers(body) == [("Ann Lee", "name")]


def test_a_cue_sentence_before_the_next_quote_is_its_lead() -> None:
    body = (
        "Early in his campaign, Bo Diaz attacked Ann Lee, calling her, among other things, "
        "“a failed candidate.” Lee fired back in March, attacking Diaz for “the greed, the "
        "showing off, the theatrics” of his campaign."
    )
    assert _speakers(body) == [("Bo Diaz", "name"), ("Ann Lee", "name")]


def test_two_quotes_of_one_sentence_share_the_cue_after_them() -> None:
    body = (
        "Taxes are “the ultimate public burden” and “stunt our growth,” Ann Lee, the former "
        "mayor, told the crowd."
    )
    assert _speakers(body) == [("Ann Lee", "name"), ("Ann Lee", "name")]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # A list after "by" before the speaker's name: the name next to the cue.
        (
            "“If there had not been that rescue” by the county, Harbour Watch and other "
            "groups, Ann Lee said, “we would be worse off.”",
            ["Ann Lee", "Ann Lee"],
        ),
        # "adding that X …" reports what was added: X is not the quote's speaker.
        (
            "Tom Reyes said there is “only one strong candidate in this race,” adding that "
            "it is why Dana Holt “attacks us and ignores the others.”",
            ["Tom Reyes", "Tom Reyes"],
        ),
        # "said yes" answers something else: it is no cue of the quote before it.
        (
            "“You winning?” she said, but Bo was drifting off again, and as Tom Reyes went on "
            "about “how the system is rigged,” and “wounded families” and “our own struggling "
            "towns,” Dana Holt said yes, yes, over and over.",
            ["Dana Holt", "Tom Reyes", "Tom Reyes"],
        ),
        # Verbs that characterise: "dismissed X as “…”".
        (
            "In July, Tom Reyes cynically dismissed the port authority as being in the "
            "“suburbs of Harbour City.”",
            ["Tom Reyes"],
        ),
        # A question's cue that ends in a comma before the next quote leads that quote.
        (
            "Ann Lee writes to Bo Diaz: “Why now? Was that on my way home?” Diaz then "
            "writes back, “You look fine.”",
            ["Ann Lee", "Bo Diaz"],
        ),
    ],
)
def test_every_quote_of_a_paragraph(body: str, expected: list[str]) -> None:
    assert [speaker for speaker, _ in _speakers(body)] == expected


def test_a_signed_paragraph_is_its_signers() -> None:
    body = (
        "“Bo Diaz is a dictator and always was one.” ― Tom Reyes\n"
        "“We are hard working people from a rich culture.” And that is all he has, "
        "“the root of it all.” ― Ann Lee."
    )
    assert [s for s, _ in _speakers(body)] == ["Tom Reyes", "Ann Lee", "Ann Lee"]


def test_a_nickname_in_quotes_stays_inside_the_name() -> None:
    body = (
        "Tom Reyes spoke. “This is a big year for our mayor, Tom Reyes!” Reyes’s niece, "
        "state Del. Marcia “Cia” Lopez (D-Harbour City), shouted to the crowd."
    )
    assert _speakers(body) == [("Marcia Lopez", "name")]


@pytest.mark.parametrize(
    "opening",
    [
        "Lee campaign manager Rob Mork released a memo on Monday.",
        "Then Lee spokesman Don Stuart wrote to the board.",
        "Lee campaign Chairman John Podell answered the mayor.",
        "Lee police officer John Podell held up the gun.",
    ],
)
def test_a_name_that_modifies_a_role_is_not_the_subject(opening: str) -> None:
    # The holder of the role ("Rob Mork"), not the name before it, is "he".
    body = f"Tom Lee runs for mayor.\n\n{opening}\n\n“We will win the vote,” he said."
    speaker = _speakers(body)[-1][0]
    assert speaker is not None and speaker.split()[-1] in {"Mork", "Stuart", "Podell"}


def test_a_name_before_a_verb_and_a_description_is_the_subject() -> None:
    # "quotes former … adviser" holds a verb: Tom Lee is the subject, not its object.
    body = (
        "Tom Lee wrote a book about Bob Kahn.\n\n"
        "Lee quotes former Carter adviser Bob Kahn at length in its first chapter.\n\n"
        "“I would love the unions to be worse off,” he said."
    )
    assert _speakers(body)[-1][0] == "Tom Lee"


def test_a_cue_closing_a_sentence_makes_its_speaker_he() -> None:
    # The subject ("Tom Reed") acted, but the speaker who closes the sentence is "he".
    body = (
        "Tom Reed raised $2 million for the race, Dan Ostrow said on Monday.\n\n"
        "“It is a flight to quality,” he said."
    )
    assert _speakers(body)[-1] == ("Dan Ostrow", "pronoun")


def test_the_holder_of_an_office_of_somewhere_is_the_subject() -> None:
    body = (
        "Ann Lee met Tom Reed on Monday.\n\n"
        "Secretary of State Dan Ostrow said in a statement that the vote was a step forward.\n\n"
        "“It is far from perfect,” he said."
    )
    assert _speakers(body)[-1] == ("Dan Ostrow", "pronoun")


@pytest.mark.parametrize(
    "opening",
    [
        "On The Bob Dwyer Morning Show on Tuesday, Lee criticized the officer.",
        "Like Bob Reed, the former mayor, Lee wants the pier rebuilt.",
    ],
)
def test_a_name_after_an_opening_preposition_is_not_the_subject(opening: str) -> None:
    body = f"Tom Lee and Bob Reed spoke.\n\n{opening}\n\n“It is just unbearable,” he said."
    assert _speakers(body)[-1] == ("Tom Lee", "pronoun")


def test_a_surname_the_article_never_completes_can_be_the_subject() -> None:
    body = (
        "Tom Reed spoke to the delegates on Monday.\n\n"
        "Ostrow openly admitted that his pick was a calculated one. "
        "“We will win this state by a wide margin,” he said.\n\n"
        "Delegates said they were not surprised."
    )
    assert _speakers(body) == [("Ostrow", "pronoun")]
    people = People()
    people.learn("Tom Reed spoke to the delegates. Delegates said so. Ostrow said no.")
    assert people.may_be_surname("Ostrow")
    assert not people.may_be_surname("Delegates")  # the article writes it in lower case


def test_she_with_no_woman_acting_is_the_last_woman_mentioned() -> None:
    # Neither woman is a subject or a speaker and there are two: the last one named.
    body = (
        "Tom Reed said he had seen Ann Lee in Dayton.\n\n"
        "Bob Stone then praised Mary Dale for her plan.\n\n"
        "“We will pay for every part of it,” she said."
    )
    assert _speakers(body)[-1] == ("Mary Dale", "pronoun")


def test_the_holder_of_an_office_with_of_is_the_subject() -> None:
    body = (
        "Tom Reed spoke to the board.\n\n"
        "That, party Chief of Staff Katie Walsh explained, is by design. "
        "“We have the advantage on the ground,” she said."
    )
    assert _speakers(body)[-1] == ("Katie Walsh", "pronoun")


def test_a_place_after_in_is_not_the_subject() -> None:
    body = (
        "Ann Reed spoke first.\n\n"
        "At a June event in St. Clairsville, Ohio, Brenda Lowe also railed against the plan. "
        "“They should speak English in public,” she said."
    )
    assert _speakers(body)[-1] == ("Brenda Lowe", "pronoun")


def test_a_body_named_by_its_head_word_is_the_body_the_article_names() -> None:
    body = (
        "The Harbour Board of Elections ruled on Monday. Ann Lee had objected.\n\n"
        "“The candidate is eligible,” the board said.\n\n"
        "The nonpartisan Commission on Port Debates met. The commission says on its "
        "website that “there were issues with the sound.”"
    )
    assert _speakers(body) == [
        ("Harbour Board of Elections", "role"),
        ("Commission on Port Debates", "role"),
    ]


def test_a_body_the_article_does_not_name_stays_unnamed() -> None:
    # No board is named, or two are: the board speaks, not the person near it.
    body = (
        "Ann Lee objected to the plan.\n\n"
        "“The candidate is eligible,” the editorial board writes.\n\n"
        "The Harbour Board and the Dale County Board met. “We agree,” the board said."
    )
    assert _speakers(body) == [(None, "unknown"), (None, "unknown")]


def test_a_relative_clause_cue_is_its_named_antecedents() -> None:
    body = (
        "Tom Reed won an endorsement on Thursday from Ann Lee, who declared in the spin "
        "room, “This is the moment.”\n\n"
        "They turned to the Harbour City Police Department which reported “2,521 incidents” "
        "in the city.\n\n"
        "So says Bo Diaz, a pollster who advised Tom Reed. “Nobody has found the way.”"
    )
    speakers = _speakers(body)
    assert speakers[0] == ("Ann Lee", "name")
    assert speakers[1] == ("Harbour City Police Department", "name")
    assert speakers[2][0] != "Tom Reed"  # a role's clause names whom it advised, not the speaker


def test_a_cue_closing_a_quoted_sentence_with_an_apposition_names_who_acted_last() -> None:
    # “…” said Gary Orfield, a professor …: Orfield spoke last, so "He" is Orfield, not
    # the subject the quote was about.
    body = (
        "Tom Reed spoke on Monday.\n\n"
        "As governor, Reed was “very assertive and interventionist,” said Gary Orfield, a law "
        "professor at the state university. He added that the office “doubled down the bets” "
        "by using its powers."
    )
    assert _speakers(body) == [("Gary Orfield", "name"), ("Gary Orfield", "pronoun")]


def test_an_outlets_columnist_is_the_subject_not_the_outlet() -> None:
    body = (
        "Harbour Times columnist Ann Lee, in an attempt to draw attention to the plan, wrote, "
        "“Nobody has asked the people who live here.”"
    )
    assert _speakers(body) == [("Ann Lee", "name")]


def test_a_body_after_the_is_a_sentence_subject() -> None:
    body = (
        "Following a late meeting, the Harbour Security Council issued a statement calling the "
        "test “a clear violation and in flagrant disregard” of five earlier resolutions."
    )
    assert _speakers(body)[0][0] == "Harbour Security Council"


@pytest.mark.parametrize("verb", ["surmised", "bemoaned", "reckoned", "ventured"])
def test_more_speech_verbs_close_a_quote(verb: str) -> None:
    assert _speakers(f"“The vote is lost,” Ann Lee {verb}.") == [("Ann Lee", "name")]


@pytest.mark.parametrize("work", ["book", "memoir", "film", "column", "report"])
def test_a_works_title_in_apposition_is_no_subject(work: str) -> None:
    # "In her book, Harbour Lights, Reyes noted …": the title is a work, Reyes acts;
    # "In a new report, Reyes argued …" has no title: Reyes is the subject either way.
    from statement_search.extraction.attribution import subject_of

    people = People()
    titled = f"In her 2003 {work}, Harbour Lights, Reyes noted the risk."
    plain = f"In a new {work}, Reyes argued the risk was real."
    people.learn("Critics questioned Ann Reyes’s record. " + titled + " " + plain)
    for sentence in (titled, plain):
        found = subject_of(sentence, 0, len(sentence), people)
        assert found is not None and found.group(0) == "Reyes"


def test_a_possessor_introduces_a_full_name() -> None:
    # "Ann Reyes’s record" is the only full name: "Reyes" is her, and "she" is too.
    body = (
        "Critics questioned Ann Reyes’s record on Monday.\n\n"
        "“We fixed the roads and the schools,” Reyes said. Later she said the plan was "
        "“a mistake we all paid for” in the end."
    )
    assert _speakers(body) == [("Ann Reyes", "name"), ("Ann Reyes", "pronoun")]


def test_she_is_the_woman_the_sentence_before_named_when_no_one_acted_in_it() -> None:
    body = (
        "The cuts would favour the rich, said Lily Baxter, an analyst at the institute.\n\n"
        "It became a major issue in the race, with Ann Reyes — who wants higher taxes on "
        "the rich — attacking the plan.\n\n"
        "“The plan would be the same failed idea all over again,” she said in the debate."
    )
    assert _speakers(body)[-1] == ("Ann Reyes", "pronoun")


def test_she_stays_with_the_speaker_when_the_sentence_before_has_a_subject() -> None:
    body = (
        "The cuts would favour the rich, said Lily Baxter, an analyst at the institute.\n\n"
        "Baxter compared the plan with one Ann Reyes proposed in 2012.\n\n"
        "“The plan would be the same failed idea all over again,” she said."
    )
    assert _speakers(body)[-1] == ("Lily Baxter", "pronoun")


def test_a_signed_testimonial_gives_its_nested_quote_to_the_signer() -> None:
    # The nested quote's "he" is not the last signer whose gender fits: Maria signs it.
    body = (
        "“I would rather live anywhere else than here.” ― Tom Reyes\n\n"
        "“He is not a leader.” ― Paz Oli\n\n"
        "“He is not a leader. To quote my father ‘Some men have only money.” And that is "
        "all he has “the root of his trouble’.” ― Maria Marrow."
    )
    assert [s for s, _ in _speakers(body)][2:] == ["Maria Marrow", "Maria Marrow"]


def test_a_surname_spelt_once_with_a_letter_dropped_is_the_person_introduced() -> None:
    body = (
        "The rally drew Tyra McClennan and Bo Anders, who came to hear the governor.\n\n"
        "McClenan said the governor has been slow on the issue. “It is only when a video "
        "comes out that she speaks,” she said."
    )
    assert _speakers(body) == [("Tyra McClennan", "pronoun")]


def test_a_surname_one_letter_longer_or_with_another_letter_stays_as_written() -> None:
    body = (
        "The rally drew Tyra McClennan and Bo Anders, who came to hear the governor.\n\n"
        "“It is only when a video comes out that she speaks,” McClannan said.\n\n"
        "“We have waited long enough for the plan,” Anderss said."
    )
    assert _speakers(body) == [("McClannan", "name"), ("Anderss", "name")]


def test_a_possessor_ending_in_s_apostrophe_is_no_subject() -> None:
    # "Given Reyes' record, …": neither "Given" nor the possessor is the speaker.
    body = (
        "Ann Reyes launched a new group on Monday.\n\n"
        "Given Reyes' long record, her word will carry “a great deal of weight” with voters "
        "this year."
    )
    assert _speakers(body) == [(None, "unknown")]


def test_a_role_nouns_plural_opening_a_sentence_is_no_surname() -> None:
    people = People()
    people.learn("Aides say the governor plans to back the bill. McClennan said so too.")
    assert not people.may_be_surname("Aides")
    assert people.may_be_surname("McClennan")


@pytest.mark.parametrize("group", ["fans", "supporters", "aides", "protesters"])
def test_a_name_modifying_a_plural_group_is_no_speaker(group: str) -> None:
    body = (
        "A private school in Merrow displayed a photo of the candidate.\n\n"
        f"Castlemoor High School {group} also chanted, “Build a wall,” during the game."
    )
    assert _speakers(body) == [(None, "unknown")]


def test_a_name_modifying_a_noun_is_not_the_woman_the_sentence_before_named() -> None:
    # "the Reyes campaign" modifies "campaign": "she" is Jane Marlow, named as herself.
    body = (
        "Ann Reyes and Bo Marlow spoke to The Harbour Post on Monday.\n\n"
        "In the Post interview, Jane Marlow made it clear that her husband's voters won't "
        "simply fall in line with the Reyes campaign.\n\n"
        "“If they have any hope of getting our voters, it cannot be this,” she said."
    )
    assert _speakers(body)[-1] == ("Jane Marlow", "pronoun")


def test_a_leading_new_place_stays_with_a_body_and_goes_before_a_person() -> None:
    from statement_search.extraction.people import clean_name

    assert clean_name("New York Times") == "New York Times"
    assert clean_name("New Hampshire Public Radio") == "New Hampshire Public Radio"
    assert clean_name("New Hampshire Reyes") == "Reyes"
    assert clean_name("New Jersey") == "New Jersey"
    assert clean_name("Then Ann Reyes") == "Ann Reyes"

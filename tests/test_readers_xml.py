"""Parliamentary XML readers: ParlaMint TEI and ParlParse, turns attributed, DOCTYPEs refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from statement_search.errors import InputError
from statement_search.readers import read_article

FIX = Path(__file__).parent / "fixtures" / "transcripts"


def _turns(article) -> list[tuple[str | None, str]]:
    return [(article.turn_speakers.get(i), p) for i, p in enumerate(article.paragraphs)]


def test_parlamint_tei_utterances_with_names_from_list_person() -> None:
    article = read_article(FIX / "parlamint.xml")
    assert article.title == "Saltmarsh Assembly, sitting of 2025-06-04"
    assert article.date == dt.date(2025, 6, 4)
    assert article.language == "en"
    assert _turns(article) == [
        ("Tom Frayne", "What progress has been made on dredging the harbour?"),
        # The <kinesic> event inside the segment and the <note> between turns are not speech.
        ("Ada Kell", "The contract was signed last week. Work begins in July."),
        ("Ada Kell", "The harbour will be open again by Christmas."),
        # Not in <listPerson>: ParlaMint ids are surname then forename.
        ("Otto Brandt", "And who pays for it?"),
    ]
    for para, offset in zip(article.paragraphs, article.paragraph_offsets, strict=True):
        assert article.text[offset : offset + len(para)] == para


def test_parlparse_speeches_without_procedure() -> None:
    article = read_article(FIX / "parlparse.xml")
    assert article.title == "Oral Answers to Questions — Harbour Dredging"
    assert article.date == dt.date(2025, 6, 4)
    assert _turns(article) == [
        ("Tom Frayne", "What progress has been made on dredging the harbour at Saltmarsh?"),
        ("Ada Kell", "The dredging contract was signed last week."),
        ("Ada Kell", "Work begins in July, and the harbour reopens by Christmas."),
    ]


def test_xml_is_sniffed_without_a_suffix(tmp_path: Path) -> None:
    path = tmp_path / "sitting"
    path.write_bytes((FIX / "parlamint.xml").read_bytes())
    assert read_article(path).turn_speakers[0] == "Tom Frayne"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY a "aaaa">]><TEI>&a;</TEI>',
            "DOCTYPE",
        ),
        ('<?xml version="1.0"?><TEI><text><u who="#A"><seg>Hi</seg></TEI>', "malformed XML"),
        ('<?xml version="1.0"?><rss><channel/></rss>', "neither ParlaMint TEI nor ParlParse"),
        ('<?xml version="1.0"?><publicwhip></publicwhip>', "no speeches"),
    ],
)
def test_bad_xml_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        read_article(path)
    assert str(path) in str(info.value)


def test_parlamint_annotated_tokens_and_the_sitting_date() -> None:
    article = read_article(Path(__file__).parent / "fixtures" / "readers" / "parlamint.ana.xml")
    # The header's first date is the corpus's publication; the setting's is the sitting's.
    assert article.date == dt.date(2025, 6, 4)
    assert article.paragraphs[0] == "The harbour opens, Mr Frayne."
    assert _turns(article)[1] == ("Tom Frayne", "Thank you very much for that answer.")


def test_parlamint_component_takes_names_from_the_list_person_file_beside_it(
    tmp_path: Path,
) -> None:
    (tmp_path / "ParlaMint-XX-listPerson.xml").write_text(
        '<?xml version="1.0"?><listPerson xmlns="http://www.tei-c.org/ns/1.0">'
        '<person xml:id="VennRosa"><persName><forename>Rosa Maria</forename>'
        "<surname>Venn</surname></persName></person></listPerson>",
        encoding="utf-8",
    )
    component = tmp_path / "ParlaMint-XX_2025-06-04.xml"
    component.write_text(
        '<?xml version="1.0"?><TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'
        '<u who="#VennRosa"><seg>Order, order.</seg></u>'
        '<u who="#FrayneTom"><seg>Thank you, Madam Deputy Speaker.</seg></u>'
        "</body></text></TEI>",
        encoding="utf-8",
    )
    assert _turns(read_article(component)) == [
        ("Rosa Maria Venn", "Order, order."),
        ("Tom Frayne", "Thank you, Madam Deputy Speaker."),
    ]

"""modern.gov responses read: the web service XML (as real sites send it) and the public pages."""

from __future__ import annotations

from datetime import date

import pytest

from etl import modgov
from etl.modgov import ParseError
from tests.fake_modgov import FIXTURES

BASE = "https://democracy.example.gov.uk"


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_text(encoding="utf-8").replace("{base}", BASE).encode()


def test_get_committees_gives_ids_and_titles_and_leaves_out_deleted_ones() -> None:
    committees = modgov.parse_committees(_fixture("GetCommittees.xml"))
    assert [(c.id, c.title) for c in committees] == [
        ("101", "Children, Education and Families Select Committee"),
        ("102", "Corporate Parenting Board"),
        ("103", "Plans Sub-Committee No. 1"),
        ("105", "Health and Wellbeing Board"),
    ]


def test_get_meetings_reads_uk_dates() -> None:
    meetings = modgov.parse_meetings(_fixture("GetMeetings-101.xml"), "101")
    assert [(m.id, m.day) for m in meetings] == [
        ("1003", date(2015, 3, 10)), ("1001", date(2019, 2, 5)), ("1002", date(2019, 6, 18))]


def test_get_meetings_skips_a_meeting_whose_date_cannot_be_read() -> None:
    broken = _fixture("GetMeetings-101.xml").replace(b"05/02/2019", b"not a date")
    assert [m.id for m in modgov.parse_meetings(broken, "101")] == ["1003", "1002"]


def test_get_meeting_gives_minutes_html_and_unrestricted_attachments() -> None:
    items = modgov.parse_meeting(_fixture("GetMeeting-1001.xml"), BASE)
    report = items[1]
    assert (report.id, report.number, report.title) == ("12", "5", "Children's Social Care Performance Report")
    assert report.minutes_html.startswith("<p>The Director presented")
    assert "The vacancy rate was 12%." in report.minutes_html
    assert [a.title for a in report.attachments] == [
        "Performance Scorecard Q3 2018-19", "Photographs of the Youth Parliament"]


def test_double_escaped_titles_and_relative_urls_come_back_as_written() -> None:
    fees = modgov.parse_meeting(_fixture("GetMeeting-1001.xml"), BASE)[2]
    assert fees.title == "Fees & Charges"
    assert fees.minutes_html == ""
    assert [(a.title, a.url) for a in fees.attachments] == [
        ("Budget Monitoring 2018/19 & Fees", f"{BASE}/mgConvert2PDF.aspx?ID=504")]


MALFORMED = [
    pytest.param(b"<meeting><agendaitems><agendaitem></meeting>", "malformed XML", id="unclosed tags"),
    pytest.param(b"", "malformed XML", id="empty body"),
    pytest.param(b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]><meeting>&a;</meeting>', "DTD",
                 id="entity declaration (billion laughs)"),
    pytest.param(b"<!DOCTYPE html><html><body>Service unavailable</body></html>", "HTML page",
                 id="an HTML error page"),
]


@pytest.mark.parametrize(("raw", "reason"), MALFORMED)
def test_a_response_that_is_not_service_xml_raises_parse_error_saying_why(raw: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        modgov.parse_meeting(raw, BASE)


def test_committees_page_lists_committee_links() -> None:
    committees = modgov.parse_committees_page(_fixture("mgListCommittees.html"))
    assert [c.id for c in committees] == ["101", "102", "103", "105"]
    assert committees[1].title == "Corporate Parenting Board"


def test_meetings_page_reads_meeting_ids_and_dates_from_link_text() -> None:
    meetings = modgov.parse_meetings_page(_fixture("ieListMeetings-101.html"), "101")
    assert [(m.id, m.committee_id, m.day) for m in meetings] == [
        ("1002", "101", date(2019, 6, 18)), ("1001", "101", date(2019, 2, 5)), ("1003", "101", date(2015, 3, 10))]


def test_documents_page_lists_agenda_items_with_numbers() -> None:
    items = modgov.parse_documents_page(_fixture("ieListDocuments-1001.html"), BASE)
    assert [(i.id, i.number, i.title) for i in items] == [
        ("11", "1", "Apologies for absence"),
        ("12", "5", "Children's Social Care Performance Report"),
        ("13", "6", "Fees & Charges"),
    ]


def test_documents_page_without_an_agenda_table_is_refused() -> None:
    with pytest.raises(ParseError, match="no agenda items"):
        modgov.parse_documents_page(b"<html><body><p>Sorry, an error occurred.</p></body></html>", BASE)


def test_item_page_gives_the_minutes_and_attachment_titles_without_size_notes() -> None:
    minutes, attachments = modgov.parse_item_page(_fixture("mgAi-12.html"), BASE)
    assert "There were 389 children looked after" in minutes
    assert "Supporting documents" not in minutes
    assert [(a.title, a.url) for a in attachments] == [
        ("Performance Scorecard Q3 2018-19", f"{BASE}/documents/s501/Performance%20Scorecard%20Q3.pdf"),
        ("Photographs of the Youth Parliament", f"{BASE}/documents/s503/Photos.pdf"),
    ]


def test_item_page_without_minutes_gives_empty_minutes() -> None:
    minutes, attachments = modgov.parse_item_page(_fixture("mgAi-13.html"), BASE)
    assert minutes == ""
    assert attachments[0].url == f"{BASE}/mgConvert2PDF.aspx?ID=504"


def test_a_page_that_is_not_an_agenda_item_is_refused() -> None:
    with pytest.raises(ParseError, match="no content area"):
        modgov.parse_item_page(b"<html><body>Just a moment...</body></html>", BASE)

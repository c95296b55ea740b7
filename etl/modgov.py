"""Read what a modern.gov site says: its web service XML, and the public pages when the service is off."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit
from xml.etree import ElementTree as ET

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node


class ParseError(Exception):
    """A response that is not the XML or HTML a modern.gov site sends; the message says why."""


@dataclass
class Committee:
    """One committee as the site lists it."""

    id: str
    title: str


@dataclass
class MeetingRef:
    """A meeting in a committee's list, before its agenda is read."""

    id: str
    committee_id: str
    day: date


@dataclass
class Attachment:
    """A document linked from an agenda item."""

    title: str
    url: str


@dataclass
class Item:
    """One agenda item: its minutes (HTML, possibly empty) and its attachments."""

    id: str
    number: str
    title: str
    minutes_html: str
    attachments: list[Attachment] = field(default_factory=list)


# --- URLs -------------------------------------------------------------------------------------------------

UK_DATE = "%d/%m/%Y"


def service_url(base: str, operation: str, **params: str) -> str:
    """A web service call as a plain GET.

    >>> service_url("https://democracy.example.gov.uk/", "GetMeeting", lMeetingId="12")
    'https://democracy.example.gov.uk/mgWebService.asmx/GetMeeting?lMeetingId=12'
    """
    query = f"?{urlencode(params)}" if params else ""
    return f"{base.rstrip('/')}/mgWebService.asmx/{operation}{query}"


def page_url(base: str, page: str, **params: str) -> str:
    """A public page of the site.

    >>> page_url("http://127.0.0.1:8000", "ieListDocuments.aspx", CId="5", MId="9")
    'http://127.0.0.1:8000/ieListDocuments.aspx?CId=5&MId=9'
    """
    query = f"?{urlencode(params)}" if params else ""
    return f"{base.rstrip('/')}/{page}{query}"


def item_url(base: str, item_id: str) -> str:
    """The public page of one agenda item: the link back a figure carries."""
    return page_url(base, "mgAi.aspx", ID=item_id)


# --- Dates ------------------------------------------------------------------------------------------------

_ORDINAL = re.compile(r"(\d)(st|nd|rd|th)\b")


def parse_day(text: str) -> date:
    """A meeting date as modern.gov writes it, in the service or on its pages.

    >>> parse_day("05/02/2019"), parse_day("2019-02-05T00:00:00"), parse_day("Tuesday, 5th February, 2019 7.00 pm")
    (datetime.date(2019, 2, 5), datetime.date(2019, 2, 5), datetime.date(2019, 2, 5))
    >>> parse_day("5 Feb 2019 7.00 pm")
    datetime.date(2019, 2, 5)
    """
    text = text.strip()
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}.*", text):
        return datetime.strptime(text[:10].strip(), UK_DATE).date()
    if re.match(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text[:10])
    words = re.search(r"(\d{1,2})(?:st|nd|rd|th)?,?\s+([A-Za-z]+),?\s+(\d{4})", _ORDINAL.sub(r"\1", text))
    if words:
        day, month, year = words.groups()
        for fmt, name in (("%d %B %Y", month), ("%d %b %Y", month[:3])):
            try:
                return datetime.strptime(f"{day} {name} {year}", fmt).date()
            except ValueError:
                continue
    raise ValueError(f"not a meeting date: {text[:40]!r}")


# --- Web service XML --------------------------------------------------------------------------------------


def parse_xml(raw: bytes) -> ET.Element:
    """The root element of a service response; refuses DTDs and entities (billion laughs, external files)."""
    head = raw[:4096].lower()
    if head.lstrip().startswith((b"<!doctype html", b"<html")):
        raise ParseError("an HTML page came back where XML was expected (is the web service switched off?)")
    if b"<!doctype" in head or b"<!entity" in raw.lower():
        raise ParseError("XML with a DTD or entity declarations is refused")
    try:
        return ET.fromstring(raw)
    except ET.ParseError as exc:
        raise ParseError(f"malformed XML: {exc}") from exc


def _text(node: ET.Element, tag: str) -> str:
    """A child's text, unescaped once more (modern.gov escapes HTML entities twice in titles)."""
    return html.unescape((node.findtext(tag) or "").strip())


def parse_committees(raw: bytes) -> list[Committee]:
    """Committees from GetCommittees, leaving out deleted ones."""
    root = parse_xml(raw)
    out = []
    for node in root.iter("committee"):
        cid, title = _text(node, "committeeid"), _text(node, "committeetitle")
        if cid and title and _text(node, "committeedeleted") != "True":
            out.append(Committee(cid, title))
    return out


def parse_meetings(raw: bytes, committee_id: str) -> list[MeetingRef]:
    """Meetings from GetMeetings; a meeting whose date cannot be read is left out."""
    root = parse_xml(raw)
    out = []
    for node in root.iter("meeting"):
        mid = _text(node, "meetingid")
        try:
            day = parse_day(_text(node, "meetingdate"))
        except ValueError:
            continue
        if mid:
            out.append(MeetingRef(mid, _text(node, "committeeid") or committee_id, day))
    return out


def parse_meeting(raw: bytes, base: str) -> list[Item]:
    """Agenda items from GetMeeting, with their minutes HTML and unrestricted attachments."""
    root = parse_xml(raw)
    items = []
    for node in root.iter("agendaitem"):
        attachments = []
        for doc in node.iter("linkeddoc"):
            url = _text(doc, "url")
            if url and _text(doc, "isrestricted") != "True":
                attachments.append(Attachment(_text(doc, "title"), urljoin(base.rstrip("/") + "/", url)))
        items.append(Item(
            id=_text(node, "agendaitemid"),
            number=_text(node, "agendaitemnumber") or _text(node, "minutesitemnumber"),
            title=_text(node, "agendaitemtitle"),
            minutes_html=(node.findtext("minutesnonemptyhtmlbody") or "").strip(),
            attachments=attachments,
        ))
    return items


# --- Public pages -----------------------------------------------------------------------------------------


def _query_id(href: str, *names: str) -> str | None:
    query = {k.lower(): v for k, v in parse_qs(urlsplit(href).query).items()}
    for name in names:
        if query.get(name.lower()):
            return query[name.lower()][0]
    return None


def _page(raw: bytes) -> HTMLParser:
    return HTMLParser(raw.decode("utf-8", "replace"))


def _links(tree: HTMLParser | Node) -> Iterator[tuple[Node, str, str]]:
    """Each link in a page or part of one: the element, its href and the page it points to ("mgai.aspx")."""
    for a in tree.css("a[href]"):
        href = a.attributes.get("href") or ""
        yield a, href, urlsplit(href).path.rsplit("/", 1)[-1].lower()


def parse_committees_page(raw: bytes) -> list[Committee]:
    """Committees from mgListCommittees.aspx (links to mgCommitteeDetails.aspx?ID= or ieListMeetings.aspx?CId=)."""
    tree = _page(raw)
    seen: dict[str, Committee] = {}
    for a, href, page in _links(tree):
        cid = _query_id(href, "ID") if page == "mgcommitteedetails.aspx" else (
            _query_id(href, "CId", "CommitteeId") if page == "ielistmeetings.aspx" else None)
        title = a.text(strip=True)
        if cid and title and cid not in seen:
            seen[cid] = Committee(cid, title)
    return list(seen.values())


def parse_meetings_page(raw: bytes, committee_id: str) -> list[MeetingRef]:
    """Meetings from ieListMeetings.aspx: links to ieListDocuments.aspx whose text is the date."""
    tree = _page(raw)
    out: dict[str, MeetingRef] = {}
    for a, href, _ in _links(tree):
        if "ielistdocuments.aspx" not in href.lower():
            continue
        mid = _query_id(href, "MId", "MeetingId")
        try:
            day = parse_day(a.text(strip=True))
        except ValueError:
            continue
        if mid and mid not in out:
            out[mid] = MeetingRef(mid, _query_id(href, "CId") or committee_id, day)
    return list(out.values())


def parse_documents_page(raw: bytes, base: str) -> list[Item]:
    """Agenda items on ieListDocuments.aspx: id, number and title (minutes come from each mgAi.aspx page)."""
    tree = _page(raw)
    items: dict[str, Item] = {}
    for a, href, page in _links(tree):
        if page != "mgai.aspx":
            continue
        aid = _query_id(href, "ID")
        if not aid or aid in items:
            continue
        row = a.parent
        while row is not None and row.tag != "tr":
            row = row.parent
        number = row.css_first(".mgItemNumberCell") if row is not None else None
        items[aid] = Item(aid, number.text(strip=True).rstrip(".") if number else "", a.text(strip=True), "")
    if not items and not tree.css_first(".mgItemTable, #mgItemTable"):
        raise ParseError("no agenda items found on the meeting page")
    return list(items.values())


_DOC_LINK = re.compile(r"(documents/s\d+/|mgConvert2PDF\.aspx|\.pdf(\?|$))", re.IGNORECASE)
_SIZE_NOTE = re.compile(r"\s+PDF\s+[\d.,]+\s*[KM]B$", re.IGNORECASE)


def parse_item_page(raw: bytes, base: str) -> tuple[str, list[Attachment]]:
    """The minutes HTML and attachments on an mgAi.aspx page; raise ParseError when it has no content area."""
    tree = _page(raw)
    content = tree.css_first(".mgContent, #modgov")
    if content is None:
        raise ParseError("not a modern.gov agenda item page (no content area)")
    minutes = ""
    for heading in content.css("h2, h3, h4, p"):
        if heading.text(strip=True).rstrip(":").lower() == "minutes":
            node = heading.next
            while node is not None and node.tag == "-text":
                node = node.next
            if node is not None:
                minutes = node.html or ""
            break
    attachments = []
    for a, href, _ in _links(content):
        if _DOC_LINK.search(href):
            title = _SIZE_NOTE.sub("", a.text(strip=True))
            attachments.append(Attachment(title, urljoin(base.rstrip("/") + "/", href)))
    return minutes, attachments

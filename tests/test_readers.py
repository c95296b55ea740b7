"""Readers: every supported file becomes one normalised text, or a ReadError with a one-line reason."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from etl import readers
from etl.model import ReadError
from etl.readers import MAX_BYTES, MAX_HTML_DEPTH, SUFFIXES, Read, decode, normalise, read_bytes, read_file

DEV = Path(__file__).parent / "corpora" / "dev"
PLYMOUTH = DEV / "plymouth-2021-03-education-childrens-social-care-osp.pdf"
HACKNEY = DEV / "hackney-2022-07-children-young-people-scrutiny-commission.html"

MODERN_GOV = """<html><head><title>Agenda item - 5. Budget</title><script>var x = "12 per 10,000";</script>
<style>p { color: red }</style></head><body>
<nav><a href="/">Home</a></nav>
<div id="mgBreadCrumbs" class="mgBreadCrumbs"><a href="/">Home</a> &gt; Committee meetings</div>
<div id="modgov"><p class="mgSubTitleTxt">Meeting: 11/07/2022 - Cabinet (Item 5)</p>
<div class="mgContent"><p>The Director&rsquo;s report set out &pound;21.7m &amp; more.</p>
<table><thead><tr><th>Placement type</th><th>Children</th><th>Cost</th></tr></thead>
<tbody><tr><td>Residential children&rsquo;s homes (external)</td><td>38</td><td>&pound;5,950</td></tr>
<tr><td>In-house
  fostering</td><td>142</td><td>&pound;480</td></tr></tbody></table></div>
<div class="mgLinks"><h4>Supporting documents:</h4><ul><li><a href="/r.pdf">Report PDF 412 KB</a></li></ul></div>
</div></body></html>"""


def _pdf(raw_text: str = "The Committee noted 42 children.", password: str | None = None, padding: int = 0) -> bytes:
    """A one-page PDF made with pypdf: a blank page with a text stream (padded with spaces) drawn on it."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 72 720 Td ({raw_text}) Tj ET".encode("latin-1") + b" " * padding)
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_public_names_stay_importable():
    assert SUFFIXES[".pdf"] == "pdf" and MAX_BYTES > 0 and Read("x").title is None


@pytest.mark.parametrize(("raw", "expected"), [
    ("Caf\u00e9 \u00a340.8m \u2013 \u201cgood\u201d".encode("cp1252"), "Café £40.8m – “good”"),
    ("na\u00efve \u00a35".encode("latin-1"), "naïve £5"),
    (b"\xef\xbb\xbfChildren\xe2\x80\x99s services", "Children’s services"),
    ("UTF-8 \u00a3 then cp1252 ".encode() + "\u00a3".encode("cp1252"), "UTF-8 £ then cp1252 £"),
    (b"a stray \xef\xbf\xbd is kept", "a stray \ufffd is kept"),
    ("utf-16 text".encode("utf-16"), "utf-16 text"),
], ids=["cp1252", "latin-1", "utf-8 with BOM", "mixed utf-8 and cp1252", "U+FFFD", "utf-16"])
def test_text_is_decoded_without_loss(raw, expected):
    assert decode(raw) == expected


def test_binary_text_file_is_refused():
    with pytest.raises(ReadError, match="binary"):
        read_bytes(b"PK\x03\x04\x00\x00 zip", "text")


def test_blank_file_is_refused():
    with pytest.raises(ReadError, match="no text"):
        read_bytes(b"  \n\t\n", "text")


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("empty.txt", b"", "empty"),
    ("big.txt", b"x" * 200, "too large"),
    ("minutes.docx", b"x", "unsupported"),
], ids=["empty", "over-size", "unsupported-suffix"])
def test_unreadable_file_is_refused_with_its_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadError, match=reason):
        read_file(path, max_bytes=100)


def test_normalise_keeps_lines_and_collapses_spaces():
    assert normalise(" a\u00a0\u00a0b \r\n\r\n\r\n\tc \x07d ") == "a b\n\nc d"


def test_html_keeps_minutes_and_drops_navigation_scripts_and_links():
    text = read_bytes(MODERN_GOV.encode(), "html").text
    assert "Meeting: 11/07/2022 - Cabinet (Item 5)" in text
    assert "The Director’s report set out £21.7m & more." in text
    for dropped in ("Home", "var x", "color: red", "Supporting documents", "412 KB", "12 per 10,000"):
        assert dropped not in text


def test_html_table_rows_are_lines_of_cells_with_the_header_kept():
    read = read_bytes(MODERN_GOV.encode(), "html")
    lines = read.text.splitlines()
    assert "Placement type Children Cost" in lines
    assert "Residential children’s homes (external) 38 £5,950" in lines
    assert "In-house fostering 142 £480" in lines
    assert read.tables[0].header == ["Placement type", "Children", "Cost"]
    assert read.tables[0].rows[1] == ["In-house fostering", "142", "£480"]


def test_html_title_is_read():
    assert read_bytes(MODERN_GOV.encode(), "html").title == "Agenda item - 5. Budget"


def test_modern_gov_dev_page_quotes_its_table_row():
    assert "Residential children’s homes (external) 38 £5,950" in read_file(HACKNEY).text.splitlines()


def test_pdf_table_rows_come_out_as_one_line():
    lines = read_file(PLYMOUTH).text.splitlines()
    assert "Children looked after 486" in lines
    assert "Referrals (April to December 2020) 3,120" in lines
    assert "Measure Value" in lines


def test_pdf_wrapped_prose_lines_are_joined():
    text = read_file(PLYMOUTH).text
    assert "that Plymouth's rate remained higher than its statistical neighbours at 89." in text


def _paged_pdf() -> bytes:
    """Two pages, each with a running header and a page-number footer, and a sentence broken by the page break."""
    from fpdf import FPDF

    pdf = FPDF()
    for number, body in ((1, "Officers said the aim was to have between 80 and"), (2, "85 by 2028. Members agreed.")):
        pdf.add_page()
        pdf.set_font("helvetica", size=11)
        pdf.cell(0, 8, "Anytown Borough Council", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 8, body, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-20)
        pdf.cell(0, 8, f"Page {number} of 2")
    return bytes(pdf.output())


def test_pdf_page_footers_and_repeated_headers_go_and_a_broken_sentence_joins():
    text = read_bytes(_paged_pdf(), "pdf").text
    assert "between 80 and 85 by 2028." in text
    assert text.count("Anytown Borough Council") == 1 and "Page" not in text


def test_simple_pdf_is_read():
    assert read_bytes(_pdf(), "pdf").text == "The Committee noted 42 children."


def test_truncated_pdf_is_refused_with_one_line():
    with pytest.raises(ReadError, match="PDF") as info:
        read_bytes(PLYMOUTH.read_bytes()[:600], "pdf")
    assert "\n" not in str(info.value)


def test_encrypted_pdf_is_refused():
    raw = _pdf(password="secret")
    assert PdfReader(io.BytesIO(raw)).is_encrypted
    with pytest.raises(ReadError, match="encrypted"):
        read_bytes(raw, "pdf")


@pytest.mark.parametrize("raw", [b"%PDF-1.4\n" + bytes(range(256)) * 20, b"<html>not a pdf</html>", b"%PDF-"],
                         ids=["garbage after header", "not a pdf", "header only"])
def test_garbage_pdf_is_refused(raw):
    with pytest.raises(ReadError):
        read_bytes(raw, "pdf")


def test_pdf_that_inflates_past_the_limit_is_refused_as_a_bomb(monkeypatch):
    monkeypatch.setattr(readers, "MAX_PDF_INFLATE", 100_000)
    assert read_bytes(_pdf(padding=90_000), "pdf").text == "The Committee noted 42 children."
    with pytest.raises(ReadError, match=r"PDF content inflates beyond 0.1 MB \(a decompression bomb\?\); not read"):
        read_bytes(_pdf(padding=110_000), "pdf")


def _real_style_page(items: int) -> str:
    """A long modern.gov-style page as sloppy HTML writes it: <p>, <li>, <td> and <font> never closed."""
    return ("<!DOCTYPE html><html><head><title>Minutes</title><script>var s = '<div><div>';</script></head><body>"
            "<div id='modgov'><div class='mgContent'>"
            + "".join(f"<p><font face=Arial>Item {i}: the vacancy rate was {i % 40}%." for i in range(items))
            + "<ul>" + "".join(f"<li><p>Action {i} <b>agreed</b>" for i in range(items)) + "</ul>"
            + "<table><tr><th>Measure<th>Value" + "".join(f"<tr><td><p>Children in care<td>{i}" for i in range(items))
            + "</table><svg>" + "<path d='M0 0'/>" * items + "</svg></div></div></body></html>")


def test_long_page_with_thousands_of_unclosed_tags_still_reads():
    text = read_bytes(_real_style_page(3_000).encode(), "html").text
    assert "Item 2999: the vacancy rate was 39%." in text
    assert "Action 2999 agreed" in text and "Children in care 2999" in text.splitlines()


def test_html_nested_to_the_limit_still_reads():
    html = "<html><body>" + "<div>" * MAX_HTML_DEPTH + "The vacancy rate was 12%." + "</div>" * MAX_HTML_DEPTH
    assert read_bytes(html.encode(), "html").text == "The vacancy rate was 12%."


@pytest.mark.parametrize("nest", ["<div>", "<span>", "<ul><li>", "<li><dd>", "<p><div>", "<table><tr><td>", "<b/>"])
def test_html_nested_past_the_limit_is_refused_before_parsing(nest):
    html = "<html><body>" + nest * (MAX_HTML_DEPTH + 1) + "The vacancy rate was 12%."
    with pytest.raises(ReadError, match=f"HTML nested more than {MAX_HTML_DEPTH:,} levels deep; not read"):
        read_bytes(html.encode(), "html")

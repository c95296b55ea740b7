"""The scrutiny briefing: sections, footnotes, question rules (each fires on Northshire, none on its twin), the PDF
as a PDF reader sees it, the command and the Briefing page."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from etl import brief
from etl.brief.compose import SECTIONS
from etl.brief.pack import Bullets, Charts, Cite, Heading, Inline, Note, Pack, Para, Table
from etl.brief.questions import rules
from tests import brief_fixture
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return brief_fixture.build(tmp_path_factory.mktemp("brief") / "kpi.duckdb")


@pytest.fixture(scope="module")
def bare_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same minutes without any official statistics loaded."""
    return brief_fixture.build(tmp_path_factory.mktemp("bare") / "kpi.duckdb", with_official=False)


@pytest.fixture(scope="module")
def north(fixture_db: Path) -> Pack:
    return brief.build(fixture_db, "Northshire", brief_fixture.AS_OF, ["Southshire"])


@pytest.fixture(scope="module")
def south(fixture_db: Path) -> Pack:
    return brief.build(fixture_db, "Southshire", brief_fixture.AS_OF, ["Northshire"])


@pytest.fixture(scope="module")
def north_bytes(north: Pack) -> bytes:
    return brief.render_pdf(north)


@pytest.fixture(scope="module")
def north_pdf(north_bytes: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(north_bytes))


def _section(pack: Pack, title: str) -> list:
    start = next(i for i, b in enumerate(pack.blocks) if isinstance(b, Heading) and b.text == title)
    end = next((i for i, b in enumerate(pack.blocks[start + 1:], start + 1) if isinstance(b, Heading)), None)
    return pack.blocks[start + 1:end]


def _inlines(blocks: list) -> list[Inline]:
    out: list[Inline] = []
    for b in blocks:
        if isinstance(b, Para):
            out.append(b.parts)
        elif isinstance(b, Bullets):
            out += b.items
        elif isinstance(b, Table):
            out += [cell for row in b.rows for cell in row]
        elif isinstance(b, Charts):
            out += [c.caption for c in b.charts]
    return out


def _text(parts: Inline) -> str:
    return "".join(p if isinstance(p, str) else p.marker() for p in parts)


DATES = re.compile(r"(\d{1,2} )?(January|February|March|April|May|June|July|August|September|October|November|"
                   r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}|\b(19|20)\d\d\b")


def test_pack_has_every_section_in_order(north: Pack) -> None:
    assert north.sections() == SECTIONS


def test_every_number_is_followed_by_its_footnote_mark(north: Pack) -> None:
    checked = 0
    for parts in _inlines(north.blocks):
        for i, part in enumerate(parts):
            if isinstance(part, str) and re.search(r"\d", DATES.sub("", part)):
                assert i + 1 < len(parts) and isinstance(parts[i + 1], Cite), f"no footnote after {part!r}"
                checked += 1
    assert checked > 40


def test_every_footnote_is_cited_and_every_mark_has_a_footnote(north: Pack) -> None:
    cited = {p.n for parts in _inlines(north.blocks) for p in parts if isinstance(p, Cite)}
    assert cited == {n.n for n in north.notes} == set(range(1, len(north.notes) + 1))


def test_footnote_gives_committee_meeting_date_and_quote(north: Pack) -> None:
    note = next(n for n in north.notes if "agency rate was 21%" in n.text)
    assert note.text.startswith("Children's Scrutiny Committee (Northshire), 13 September 2023: “Officers said")
    assert note.text.endswith("northshire-2023-09-13.txt. Not yet reviewed.")


def test_unreviewed_figures_are_marked_in_text_and_footnote(north: Pack) -> None:
    official = {n.n for n in north.notes if "data/reference/" in n.text}
    marks = [p for parts in _inlines(north.blocks) for p in parts if isinstance(p, Cite) and p.n not in official]
    assert official and marks and all(m.unreviewed and m.marker().endswith("†]") for m in marks)
    from_minutes = [n for n in north.notes if n.n not in official]
    assert from_minutes and all(n.unreviewed and n.text.endswith("Not yet reviewed.") for n in from_minutes)
    assert all(not n.unreviewed for n in north.notes if n.n in official)
    assert any("reviewed by a person yet" in _text(i) for i in _inlines(_section(north, "Figures to check")))


def test_headline_gives_latest_figure_date_and_direction(north: Pack) -> None:
    table = next(b for b in _section(north, "Where the council stands") if isinstance(b, Table))
    rows = {_text(r[0]): [_text(c) for c in r[1:]] for r in table.rows}
    assert rows["Agency staff %"][:2] == ["21%[3†]", "13 September 2023"]
    assert rows["Agency staff %"][2].startswith("↓ down from 22%")
    assert rows["Agency staff %"][2].endswith("(14 June 2023, better)")
    assert rows["Vacancy rate %"][2].endswith("worse)")
    assert rows["Overspend"][1] == "June 2023"


def test_since_last_meeting_sets_each_figure_against_the_one_before(north: Pack) -> None:
    items = [_text(i) for i in _inlines(_section(north, "Since the last meeting"))]
    assert items[0] == "At the Children's Scrutiny Committee meeting of 13 September 2023:"
    assert any(i.startswith("Vacancy rate %: 15%") and "12.5%" in i and "June 2023 meeting" in i for i in items)
    assert any(i.startswith("Average caseload: 22 cases") and "first time reported" in i for i in items)


def test_trend_charts_are_pngs_with_alt_text_for_the_measures_that_moved_most(north: Pack) -> None:
    charts = next(b for b in _section(north, "Trends") if isinstance(b, Charts)).charts
    assert [c.alt.split(" in Northshire")[0] for c in charts] == [
        "Line chart of Overspend", "Line chart of Agency staff %", "Line chart of Vacancy rate %"]
    assert all(c.png.startswith(b"\x89PNG") for c in charts)
    assert "15 March 2023: 20%" in charts[1].alt and "target of 15%" in charts[1].alt


def test_targets_say_whether_the_latest_figure_meets_them(north: Pack, south: Pack) -> None:
    def verdicts(pack: Pack) -> dict[str, str]:
        table = next(b for b in _section(pack, "Targets set in committee") if isinstance(b, Table))
        return {_text(r[0]): _text(r[-1]) for r in table.rows}

    assert verdicts(north) == {"Agency staff %": "Does not meet", "Permanent staff %": "No figure since"}
    assert verdicts(south) == {"Agency staff %": "Meets", "Permanent staff %": "Meets"}


def test_comparison_puts_comparators_and_england_beside_the_council(north: Pack) -> None:
    table = next(b for b in _section(north, "Beside other councils and England") if isinstance(b, Table))
    assert table.header == ["Measure", "Northshire", "Southshire", "England"]
    rows = {_text(r[0]): [_text(c) for c in r[1:]] for r in table.rows}
    assert rows["Permanent staff %"][0] == "–" and rows["Permanent staff %"][1].startswith("86%")
    assert rows["Agency staff %"][2].startswith("17.9%[") and rows["Agency staff %"][2].endswith("Sep 2023")
    england = next(n for n in north.notes if "Agency rate at 30 September 2023" in n.text)
    assert england.text.startswith("DfE Children's social work workforce") and "england_workforce.csv, line 8" in \
        england.text


def test_without_official_statistics_the_pack_says_so_and_asks_nothing_of_them(bare_db: Path) -> None:
    pack = brief.build(bare_db, "Northshire", brief_fixture.AS_OF, ["Southshire"])
    table = next(b for b in _section(pack, "Beside other councils and England") if isinstance(b, Table))
    assert table.header == ["Measure", "Northshire", "Southshire"]
    said = [_text(p) for p in _inlines(_section(pack, "Beside other councils and England") +
                                       _section(pack, "Figures to check"))]
    assert "No official statistics loaded, so England is not shown." in said
    assert any(s.startswith("No official statistics loaded, so no figure was checked") for s in said)
    assert not {"official_disagrees", "worse_than_england"} & set(pack.questions)


def test_figures_that_disagree_with_official_statistics_are_listed(north: Pack, south: Pack) -> None:
    def disagreeing(pack: Pack) -> list[str]:
        return [_text(i) for i in _inlines(_section(pack, "Figures to check")) if "official statistics for" in
                _text(i)]

    assert [d.split(" (said")[0] for d in disagreeing(north)] == [
        "Agency staff %: minutes say 20%[15†]", "Agency staff %: minutes say 22%[4†]",
        "Agency staff %: minutes say 21%[3†]"]
    assert disagreeing(north)[0].endswith("official statistics for September 2023 say 14%[32]")
    assert disagreeing(south) == []


def test_stale_figures_are_listed_to_check(north: Pack, south: Pack) -> None:
    def stale(pack: Pack) -> list[str]:
        return [_text(i) for i in _inlines(_section(pack, "Figures to check")) if "(stale)" in _text(i)]

    assert [s.split(":")[0] for s in stale(north)] == ["Turnover %"]
    assert stale(south) == []


RULES = [r["id"] for r in rules()]


@pytest.mark.parametrize("rule", RULES)
def test_question_rule_fires_on_northshire(north: Pack, rule: str) -> None:
    assert rule in north.questions


@pytest.mark.parametrize("rule", RULES)
def test_question_rule_does_not_fire_on_its_twin(south: Pack, rule: str) -> None:
    assert rule not in south.questions


def test_questions_cite_the_figures_they_rest_on(north: Pack) -> None:
    items = next(b for b in _section(north, "Questions to ask") if isinstance(b, Bullets)).items
    assert len(items) == len(north.questions) and all(any(isinstance(p, Cite) for p in i) for i in items)
    texts = [_text(i) for i in items]
    assert texts[0].startswith("Agency staff % was 22%[4†] and 21%[3†] at the last two meetings")
    assert "target of 15%" in texts[0] and "set in 15 March 2023" in texts[0]
    assert "£1m" in texts[1] and "£1.5m" in texts[1] and "£2.1m" in texts[1]
    assert texts[5].startswith("Officers reported 21%[3†] for agency staff %; the Department for Education "
                               "published 14%[")
    assert texts[6].startswith("Average caseload is 22 cases[8†] here against 16 cases[")


def test_twin_gets_a_plain_no_questions_line(south: Pack) -> None:
    assert [_text(p) for p in _inlines(_section(south, "Questions to ask"))] == [
        "None of the question rules fired on these figures."]


def test_pdf_is_real_text_with_headings_footnotes_and_two_to_four_pages(north_pdf: PdfReader, north: Pack) -> None:
    text = "\n".join(page.extract_text() for page in north_pdf.pages)
    assert 2 <= len(north_pdf.pages) <= 4
    for heading in [north.title, *SECTIONS]:
        assert heading in text
    assert "[3†]" in text and "Officers said the agency rate was 21%." in text
    assert "Agency staff % was 22% [4†] and 21% [3†]" in " ".join(text.split())


def test_pdf_is_tagged_titled_in_english_with_an_outline_and_alt_text(north_pdf: PdfReader, north_bytes: bytes,
                                                                      north: Pack) -> None:
    root = north_pdf.trailer["/Root"]
    assert north_pdf.metadata.title == north.title and root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root
    outline = north_pdf.outline
    assert outline[0].title == north.title and [o.title for o in outline[1]] == SECTIONS
    assert north_bytes.count(b"/Alt ") == 3 and b"/FontFile2" in north_bytes and b"DejaVu" in north_bytes


def test_html_escapes_minutes_text_and_links_footnotes() -> None:
    pack = Pack("Briefing", "sub", [Heading("Sources")], [Note(1, "<script>alert(1)</script> said 5%", True)])
    pack.blocks.insert(0, Para(["<b>5%</b>", Cite(1, True)]))
    page = brief.render_html(pack)
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;5%&lt;/b&gt;" in page
    assert '<a href="#note-1"' in page and '<li id="note-1" class=unreviewed>' in page
    assert page.startswith('<!DOCTYPE html>\n<html lang="en-GB">')


def test_bundled_minutes_give_a_pack_for_bromley_beside_wiltshire_and_bradford(seeded_db: Path) -> None:
    pack = brief.build(seeded_db, "Bromley", date(2024, 1, 1), ["Wiltshire", "Bradford"])
    assert pack.sections() == SECTIONS and pack.subtitle.endswith("beside Wiltshire and Bradford")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(brief.render_pdf(pack))).pages)
    assert "Children's services scrutiny briefing: Bromley" in text and "Questions to ask" in text
    assert "<h2>Sources</h2>" in brief.render_html(pack)


def test_unknown_council_is_named_with_the_councils_that_have_minutes(fixture_db: Path) -> None:
    with pytest.raises(ValueError, match="for Nowhere; councils with minutes: Northshire, Southshire"):
        brief.build(fixture_db, "Northshire", brief_fixture.AS_OF, ["Nowhere"])


def test_brief_command_writes_pdf_and_html(fixture_db: Path, tmp_path: Path) -> None:
    for name in ("pack.pdf", "pack.html"):
        done = subprocess.run([sys.executable, "-m", "etl", "brief", "--council", "Northshire", "--as-of",
                               "2023-10-01", "--compare", "Southshire", "--out", str(tmp_path / name), "--db",
                               str(fixture_db)], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "8 sections" in done.stdout and "7 questions" in done.stdout
    assert (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF")
    assert "Northshire" in (tmp_path / "pack.html").read_text(encoding="utf-8")


def test_brief_command_refuses_an_unknown_suffix(fixture_db: Path, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "etl", "brief", "--council", "Northshire", "--out",
                           str(tmp_path / "pack.docx"), "--db", str(fixture_db)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1 and "pack.docx: the briefing is written as .pdf or .html" in done.stderr


def test_briefing_page_previews_and_offers_both_downloads(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("KPI_DB", str(fixture_db))
    at = AppTest.from_file(str(ROOT / "app_pages" / "briefing.py"), default_timeout=120).run()
    assert not at.exception
    assert at.selectbox[0].options == ["Northshire", "Southshire"]
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download PDF", "Download HTML"]
    assert "scrutiny briefing: Northshire</h1>" in at.get("html")[0].proto.body


def test_briefing_page_explains_an_empty_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("KPI_DB", str(tmp_path / "none.duckdb"))
    at = AppTest.from_file(str(ROOT / "app_pages" / "briefing.py")).run()
    assert not at.exception and "No minutes loaded yet" in at.info[0].value

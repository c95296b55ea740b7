"""Fetching from a (fake, 127.0.0.1) modern.gov site: discovery, windows, attachments, resume, faults, and the ETL."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest

from etl import warehouse
from etl.cli import main
from etl.fetch import FetchSummary, choose_committees, fetch_site, fetched_sites, resolve_site
from etl.manifest import find_manifest
from etl.modgov import Committee
from etl.polite import Client
from tests.fake_modgov import FakeModgov

START, END = date(2019, 1, 1), date(2019, 12, 31)
GET_MEETING = "/mgWebService.asmx/GetMeeting?lMeetingId="


pytestmark = pytest.mark.usefixtures("loopback_only")  # nothing but 127.0.0.1 is ever contacted


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "raw"


def _fetch(site: FakeModgov, out: Path, **kwargs) -> FetchSummary:
    client = kwargs.pop("client", None) or Client(delay=0, timeout=2, retries=1, backoff=0)
    return fetch_site(site.base, out, start=kwargs.pop("start", START), end=kwargs.pop("end", END),
                      council="Bromley", client=client, **kwargs)


def _manifest(out: Path) -> list[dict[str, str]]:
    with open(out / "manifest.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# --- Which committees and meetings ----------------------------------------------------------------------

COMMITTEES = [Committee("101", "Children, Education and Families Select Committee"),
              Committee("102", "Corporate Parenting Board"), Committee("103", "Plans Sub-Committee No. 1"),
              Committee("105", "Health and Wellbeing Board"), Committee("106", "Young People's Forum")]


@pytest.mark.parametrize(("wanted", "ids"), [
    pytest.param([], ["101", "102", "106"], id="none given: names mentioning children, families, young people..."),
    pytest.param(["102"], ["102"], id="an id"),
    pytest.param(["health and wellbeing"], ["105"], id="part of a name, any case"),
    pytest.param(["103", "Corporate"], ["102", "103"], id="several"),
    pytest.param(["Scrutiny of Everything"], [], id="nothing matches"),
])
def test_committees_are_chosen_by_name_or_id(wanted: list[str], ids: list[str]) -> None:
    assert [c.id for c in choose_committees(COMMITTEES, wanted)] == ids


def test_a_site_is_named_by_url_or_by_council_in_sites_csv() -> None:
    assert resolve_site("Bromley") == ("Bromley", "https://cds.bromley.gov.uk")
    assert resolve_site("http://127.0.0.1:8123/") == ("127", "http://127.0.0.1:8123")
    with pytest.raises(ValueError, match="neither"):
        resolve_site("Nowhereshire")


def test_committees_found_by_name_and_meetings_outside_the_window_left_alone(site: FakeModgov, out: Path) -> None:
    summary = _fetch(site, out)
    assert summary.committees == ["Children, Education and Families Select Committee", "Corporate Parenting Board"]
    assert summary.meetings == 3
    assert site.requests_to(GET_MEETING + "1003") == 0  # 2015: outside the window the site ignored
    assert site.requests_to("lCommitteeId=103") == 0
    assert "sFromDate=01%2F01%2F2019" in next(t for t, _ in site.log if "GetMeetings" in t)


def test_minutes_and_report_pdfs_are_saved_with_a_manifest_row_each(site: FakeModgov, out: Path) -> None:
    summary = _fetch(site, out)
    assert (summary.fetched, summary.skipped, summary.failed) == (7, 0, 0)
    rows = {r["file"]: r for r in _manifest(out)}
    item = rows["bromley/bromley-2019-02-05-m1001-item-12.html"]
    assert item == {"file": "bromley/bromley-2019-02-05-m1001-item-12.html", "council": "Bromley",
                    "committee": "Children, Education and Families Select Committee",
                    "meeting_date": "2019-02-05", "url": f"{site.base}/mgAi.aspx?ID=12"}
    text = (out / item["file"]).read_text(encoding="utf-8")
    assert "<title>Children, Education and Families Select Committee, 5 February 2019: 5. Children&#x27;s" in text
    assert "The vacancy rate was 12%." in text
    pdfs = sorted(f for f in rows if f.endswith(".pdf"))
    assert pdfs == ["bromley/bromley-2019-02-05-m1001-budget-monitoring-2018-19-fees.pdf",
                    "bromley/bromley-2019-02-05-m1001-performance-scorecard-q3-2018-19.pdf",
                    "bromley/bromley-2019-03-12-m2001-placement-sufficiency-strategy-2019-2022.pdf"]
    assert all((out / f).read_bytes().startswith(b"%PDF") for f in pdfs)
    assert site.requests_to("s502") == 0  # restricted
    assert site.requests_to("s503") == 0  # photographs: not a performance/workforce/budget/sufficiency report


def test_one_request_at_a_time_with_the_user_agent(site: FakeModgov, out: Path) -> None:
    _fetch(site, out)
    assert site.max_in_flight == 1
    assert {ua for _, ua in site.log} == {Client().user_agent}


def test_a_second_fetch_skips_everything_and_downloads_no_pdf_again(site: FakeModgov, out: Path) -> None:
    _fetch(site, out)
    first = len(site.log)
    summary = _fetch(site, out)
    assert (summary.fetched, summary.skipped, summary.failed) == (0, 7, 0)
    again = [t for t, _ in site.log[first:]]
    assert not [t for t in again if "documents/" in t or "mgConvert2PDF" in t]
    assert len(_manifest(out)) == 7


def test_a_deleted_file_is_fetched_again(site: FakeModgov, out: Path) -> None:
    _fetch(site, out)
    (out / "bromley/bromley-2019-03-12-m2001-placement-sufficiency-strategy-2019-2022.pdf").unlink()
    summary = _fetch(site, out)
    assert (summary.fetched, summary.skipped) == (1, 6)


def test_the_same_bytes_under_a_new_url_are_not_saved_twice(site: FakeModgov, out: Path) -> None:
    _fetch(site, out, committees=["102"])
    meeting = (Path(__file__).with_name("fixtures") / "modgov" / "GetMeeting-2001.xml").read_text(encoding="utf-8")
    site.bodies[GET_MEETING + "2001"] = meeting.replace("{base}", site.base).replace(
        "<agendaitemid>31<", "<agendaitemid>32<").encode()
    summary = _fetch(site, out, committees=["102"])
    assert summary.fetched == 0
    assert summary.skipped == 2


# --- Faults are reported per item and the run goes on ---------------------------------------------------


def test_500s_on_a_meeting_are_retried_then_reported_and_the_others_still_fetched(site: FakeModgov,
                                                                                 out: Path) -> None:
    site.failures[GET_MEETING + "1002"] = 99
    summary = _fetch(site, out)
    assert site.requests_to(GET_MEETING + "1002") == 2
    assert summary.failed == 1
    what, reason = summary.errors[0]
    assert "18 June 2019" in what or "2019-06-18" in what
    assert "HTTP 500" in reason and "gave up after 2 tries" in reason
    assert summary.fetched == 6


def test_a_500_that_clears_on_retry_loses_nothing(site: FakeModgov, out: Path) -> None:
    site.failures[GET_MEETING + "1002"] = 1
    summary = _fetch(site, out)
    assert (summary.fetched, summary.failed) == (7, 0)


def test_a_meeting_that_times_out_is_retried_then_reported(site: FakeModgov, out: Path) -> None:
    site.stalls[GET_MEETING + "2001"] = 1.0
    summary = _fetch(site, out, client=Client(delay=0, timeout=0.2, retries=1, backoff=0))
    assert site.requests_to(GET_MEETING + "2001") == 2
    assert [reason for _, reason in summary.errors] == ["timed out after 0.2 s (gave up after 2 tries)"]
    assert summary.fetched == 5


def test_malformed_xml_for_one_meeting_is_reported_and_the_run_goes_on(site: FakeModgov, out: Path) -> None:
    site.bodies[GET_MEETING + "1001"] = b"<?xml version='1.0'?><meeting><agendaitems><agendaitem>"
    summary = _fetch(site, out)
    assert len(summary.errors) == 1 and summary.errors[0][1].startswith("malformed XML")
    assert summary.fetched == 3


def test_a_huge_pdf_is_cut_at_the_limit_and_reported(site: FakeModgov, out: Path) -> None:
    site.endless.add("/documents/s601/")
    summary = _fetch(site, out, client=Client(delay=0, timeout=2, retries=1, max_bytes=300_000))
    assert summary.errors == [(f"{site.base}/documents/s601/Sufficiency%20Strategy.pdf",
                               "too large: cut at the 0.3 MB limit")]
    assert not list(out.rglob("*sufficiency-strategy*"))
    assert summary.fetched == 6


def test_an_unreachable_site_is_one_clear_failure(out: Path) -> None:
    with FakeModgov() as gone:
        base = gone.base
    summary = fetch_site(base, out, council="Bromley", client=Client(delay=0, timeout=0.5, retries=0))
    assert summary.failed == 1 and "web service: cannot connect" in summary.errors[0][1]
    assert summary.lines()[0].startswith(f"Bromley ({base}, public pages): 0 committees")


def test_no_matching_committee_names_the_ones_the_site_has(site: FakeModgov, out: Path) -> None:
    summary = _fetch(site, out, committees=["Licensing"])
    assert "the site lists: Children, Education and Families Select Committee; Corporate" in summary.errors[0][1]


# --- Public pages when the web service is off -----------------------------------------------------------


def test_with_the_service_off_the_public_pages_give_the_same_minutes(site: FakeModgov, out: Path) -> None:
    site.service_on = False
    summary = _fetch(site, out, committees=["101"])
    assert summary.mode == "public pages"
    assert (summary.fetched, summary.failed) == (5, 0)
    rows = {r["url"]: r for r in _manifest(out)}
    assert rows[f"{site.base}/mgAi.aspx?ID=21"]["meeting_date"] == "2019-06-18"
    assert "The vacancy rate was 9%." in (out / rows[f"{site.base}/mgAi.aspx?ID=21"]["file"]).read_text()


def test_with_the_service_off_a_second_fetch_does_not_reload_item_pages(site: FakeModgov, out: Path) -> None:
    site.service_on = False
    _fetch(site, out, committees=["101"])
    first = len(site.log)
    summary = _fetch(site, out, committees=["101"])
    assert not [t for t, _ in site.log[first:] if "mgAi.aspx?ID=12" in t]
    assert summary.fetched == 0


def test_a_broken_item_page_is_reported_and_the_other_items_saved(site: FakeModgov, out: Path) -> None:
    site.service_on = False
    site.bodies["/mgAi.aspx?ID=11"] = b"<html><body><h1>Just a moment...</h1></body></html>"
    summary = _fetch(site, out, committees=["101"])
    assert summary.errors == [(f"{site.base}/mgAi.aspx?ID=11", "not a modern.gov agenda item page (no content area)")]
    assert summary.fetched == 4


# --- The fetch log and the command ----------------------------------------------------------------------


def test_the_fetch_log_gives_each_site_its_last_fetch(site: FakeModgov, out: Path) -> None:
    _fetch(site, out)
    _fetch(site, out)
    [row] = fetched_sites(out)
    assert (row["site"], row["council"], row["mode"]) == (site.base, "Bromley", "web service")
    assert (row["meetings"], row["fetched"], row["skipped"], row["failed"]) == ("3", "0", "7", "0")
    assert row["finished_at"] >= row["started_at"]
    assert fetched_sites(out / "nowhere") == []


def test_cli_fetch_prints_the_summary(site: FakeModgov, out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["fetch", "--site", site.base, "--council", "Bromley", "--committee", "Corporate Parenting",
                 "--from", "2019-01-01", "--to", "2019-12-31", "--out", str(out), "--delay", "0"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "fetched 2, skipped 0, failed 0" in printed
    assert "committee: Corporate Parenting Board" in printed


def test_cli_fetch_refuses_a_bad_date(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["fetch", "--site", "http://127.0.0.1:9", "--from", "5/2/2019"])
    assert "not a date like 2019-02-05" in capsys.readouterr().err


# --- End to end: fetch, run the ETL, find the documents and figures with their URLs --------------------


@pytest.fixture
def fetched_db(site: FakeModgov, out: Path, db_file: Path) -> Path:
    """The fake site fetched into out, then loaded by the ETL into db_file."""
    _fetch(site, out)
    summary = warehouse.run([out], db_file, find_manifest([out]))
    assert (summary.loaded, summary.failed) == (7, 0)
    return db_file


def _query(db: Path, sql: str, params: list) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def test_fetched_minutes_load_with_their_council_date_and_url(site: FakeModgov, out: Path, fetched_db: Path) -> None:
    assert find_manifest([out]) == out / "manifest.csv"
    docs = _query(fetched_db, "SELECT file_name, council, committee, meeting_date, url FROM documents "
                  "ORDER BY file_name", [])
    assert len(docs) == 7
    assert ("bromley-2019-02-05-m1001-item-12.html", "Bromley", "Children, Education and Families Select Committee",
            "2019-02-05", f"{site.base}/mgAi.aspx?ID=12") in docs
    assert ("bromley-2019-03-12-m2001-placement-sufficiency-strategy-2019-2022.pdf", "Bromley",
            "Corporate Parenting Board", "2019-03-12", f"{site.base}/documents/s601/Sufficiency%20Strategy.pdf") in docs


def test_fetched_figures_reach_the_kpi_view_with_their_urls(site: FakeModgov, fetched_db: Path) -> None:
    """Needs the extraction engine (etl/figures.py on main): 12% vacancy rate, 389 looked after, 45 agency."""
    rows = _query(fetched_db, "SELECT DISTINCT url FROM kpi WHERE url LIKE ? ORDER BY url", [f"{site.base}/%"])
    assert (f"{site.base}/mgAi.aspx?ID=12",) in rows
    assert (f"{site.base}/mgAi.aspx?ID=21",) in rows


# --- The data files the fetcher reads -------------------------------------------------------------------


def test_sites_csv_names_known_councils_with_https_base_urls() -> None:
    from etl.fetch import load_sites
    from tests.conftest import ROOT

    with open(ROOT / "data" / "reference" / "councils.csv", newline="", encoding="utf-8") as f:
        councils = {row["name"] for row in csv.DictReader(f)}
    sites = load_sites()
    assert sites and all(set(row) == {"council", "base_url"} for row in sites)
    assert [r["council"] for r in sites if r["council"] not in councils] == []
    bad = [r["base_url"] for r in sites if not r["base_url"].startswith("https://") or r["base_url"].endswith("/")]
    assert bad == []
    assert len({r["council"] for r in sites}) == len(sites)


def test_fetch_rules_are_unique_lower_case_words() -> None:
    from etl.fetch import RULES

    for key in ("committee_words", "attachment_words"):
        words = RULES[key]
        assert words and len(words) == len(set(words)) and all(w == w.lower().strip() for w in words)

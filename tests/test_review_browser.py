"""A reviewer in a real browser: sign in, accept with the A key, reject with Enter, correct, add a missed figure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from etl import reviews, users
from tests import review_fixture as rf
from tests.conftest import ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.mark.browser
def test_reviewer_accepts_rejects_corrects_and_adds_in_the_browser(tmp_path: Path) -> None:
    db = rf.build(tmp_path / "kpi.duckdb")
    users.add_user("rita", "reviewer", "rita-password", tmp_path / "users.toml")
    ARTIFACTS.mkdir(exist_ok=True)
    with rf.serve(db, tmp_path / "users.toml") as url, rf.browser_page() as page:
        try:
            _walk_through(page, url)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "review_failure.png"), full_page=True)
            raise
    log = reviews.history(reviews.reviews_path(db))
    assert log.action.tolist() == ["accept", "reject", "correct", "add"]
    assert set(log.reviewer) == {"rita"}
    assert log.new_value.tolist()[2:] == [69.0, 17.0]


def _idle(page) -> None:
    """Wait until the app has finished its run, so elements of the figure before are gone."""
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for(timeout=30_000)


def _outcome(page, message: str) -> None:
    """Wait for a decision's outcome message; on a timeout, fail with the messages the page shows instead."""
    try:
        page.get_by_text(message).wait_for(timeout=60_000)
    except PlaywrightTimeout:
        shown = page.locator("[data-testid=stAlert]").all_inner_texts()
        raise AssertionError(f"no {message!r} after 60 s; the page shows {shown}") from None


def _walk_through(page, url: str) -> None:
    """Accept, reject, correct and add, one after another, with screenshots."""
    rf.open_review(page, url)
    page.get_by_text("Agency staff %: 18%").wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "review_1_signed_out.png"), full_page=True)
    assert page.get_by_role("button", name="Accept").count() == 0

    rf.sign_in(page, "rita", "rita-password")
    page.get_by_role("button", name=re.compile("^Accept")).wait_for()
    page.screenshot(path=str(ARTIFACTS / "review_2_queue.png"), full_page=True)
    page.locator("body").press("a")  # the Accept shortcut
    _outcome(page, "Accepted Agency staff % 18% (Bromley).")

    page.get_by_text("Overspend: £552k").wait_for()
    _idle(page)
    page.get_by_label("Reason to reject").fill("a forecast, not the outturn")
    page.get_by_label("Reason to reject").press("Enter")
    _outcome(page, "Rejected Overspend £552k (Bromley).")

    page.get_by_text("Children looked after: 690").wait_for()
    _idle(page)
    page.get_by_text("Correct this figure").click()
    page.get_by_label("Value", exact=True).fill("69")
    expect(page.get_by_label("Value", exact=True)).to_have_value("69")
    page.get_by_label("Note (optional)").first.fill("690 is the county total")
    page.screenshot(path=str(ARTIFACTS / "review_3_correct.png"), full_page=True)
    page.get_by_role("button", name="Save correction").click()
    _outcome(page, "Corrected Children looked after 690 (Bromley).")

    page.get_by_role("tab", name="Add a missed figure").click()
    page.get_by_label(re.compile("^The exact words")).fill(rf.MISSED)
    page.get_by_label(re.compile("^The exact words")).press("Enter")
    page.get_by_text(re.compile(r"^Characters \d+–\d+ of")).wait_for()
    _idle(page)
    form = page.locator("[data-testid=stForm]").filter(has_text="Add figure")
    form.locator("[data-testid=stSelectbox]").first.click()
    page.get_by_role("option", name="Average caseload (cases)").click()
    form.get_by_label("Value", exact=True).fill("17")
    page.screenshot(path=str(ARTIFACTS / "review_4_add.png"), full_page=True)
    form.get_by_role("button", name="Add figure").click()
    _outcome(page, "Added the figure.")

    page.get_by_role("tab", name="Decisions").click()
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "review_5_decisions.png"), full_page=True)

"""A small warehouse for the review tests: one council's minutes with figures of known confidence."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
from dashboard_fixture import with_sentence

from dashboard.queries import apply_reviews
from etl import reviews, warehouse
from etl.model import Document, Meeting

ROOT = Path(__file__).resolve().parent.parent

# (sentence, metric, unit, value, low, high, as_of, confidence, flags)
SENTENCES = [
    ("Permanent staff now make up 80-85% of the workforce.", "permanent_staff_pct", "pct", 82.5, 80.0, 85.0,
     "2019-02", 0.9, []),
    ("The agency rate stood at 18% in March 2023.", "agency_staff_pct", "pct", 18.0, None, None, "2023-03", 0.3,
     ["ambiguous_unit"]),
    ("There were 690 children looked after.", "children_looked_after", "count", 690.0, None, None, None, 0.6, []),
    ("The service overspent by about £552k <b>this</b> year.", "overspend_gbp", "gbp", 552_000.0, None, None,
     "2019", 0.5, []),
]
MISSED = "Average caseloads were 17 per social worker."


def document(sentences: list[tuple] = SENTENCES, preamble: str = "", source: str = "fixture/bromley.txt") -> Document:
    """Bromley minutes holding the sentences (and one the extractor missed), each figure on its own sentence."""
    text = f"Bromley Council\nChildren's Select Committee\nMinutes, February 2019\n{preamble}\n"
    figures = []
    for sentence, metric, unit, value, low, high, as_of, confidence, flags in sentences:
        text, figure = with_sentence(text, sentence, metric=metric, value=value, unit=unit, low=low, high=high,
                                     as_of=as_of, confidence=confidence, flags=list(flags))
        figures.append(figure)
    text += MISSED + "\n"
    return Document(source=source, sha256=hashlib.sha256(text.encode()).hexdigest(), text=text,
                    meeting=Meeting(council="Bromley", committee="Children's Select Committee",
                                    meeting_date="2019-02", title="Children's Select Committee, February 2019"),
                    figures=figures)


def build(db: Path, doc: Document | None = None) -> Path:
    """Publish a warehouse holding doc (default: the fixture document), replacing what its source held."""
    with warehouse.building(db) as con:
        warehouse.save_document(con, doc or document(), "fixture", "fixture-run")
    return db


def reviewed(db: Path, only_reviewed: bool = False) -> pd.DataFrame:
    """Every figure the app would show, decisions applied, with review_state (kpi_reviewed, or kpi when limited)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        apply_reviews(con, reviews.decisions_frame(reviews.reviews_path(db)), only_reviewed)
        view = "kpi" if only_reviewed else "kpi_reviewed"
        return con.execute(f"SELECT * FROM {view} ORDER BY \"start\"").df()
    finally:
        con.close()


def figure(db: Path, metric: str) -> dict:
    """The one figure of a metric as the app shows it."""
    df = reviewed(db)
    return df[df.metric == metric].iloc[0].to_dict()


def many(n: int) -> Document:
    """Minutes with n figures of falling confidence, for timing a reviewer through a long queue."""
    sentences = [(f"Item {i}: the agency rate in team {i} was {10 + i % 30}% last month.", "agency_staff_pct", "pct",
                  float(10 + i % 30), None, None, "2023-03", round(0.01 + i / (n + 1), 3), []) for i in range(n)]
    return document(sentences, source="fixture/many.txt")


@contextmanager
def serve(db: Path, users_file: Path) -> Iterator[str]:
    """A real `streamlit run app.py` on a free local port reading db; yields its address, stops it after."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        env={**os.environ, "KPI_DB": str(db), "KPI_USERS": str(users_file), "KPI_REVIEWS": ""}, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("streamlit server did not become healthy in 60 s") from None
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


@contextmanager
def browser_page(width: int = 1400, height: int = 1000) -> Iterator[object]:
    """A page in Debian's headless chromium (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            yield browser.new_page(viewport={"width": width, "height": height})
        finally:
            browser.close()


def open_review(page, url: str) -> None:
    """Open the app at its front page and go to Review through the navigation, as a person would."""
    page.goto(url)
    page.locator("[data-testid=stSidebarNav]").get_by_text("Review").click()
    page.get_by_text("Review figures").wait_for(timeout=30_000)


def sign_in(page, name: str, password: str) -> None:
    """Sign in with the form on the Review page (Enter submits)."""
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password", exact=True).press("Enter")
    page.get_by_text(f"Signed in as {name}").wait_for(timeout=30_000)

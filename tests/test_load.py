"""20 dashboard sessions at once keep getting answers while the ETL publishes again and again (127.0.0.1 only)."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from etl import warehouse
from tests.browser import CHROMIUM_ARGS, streamlit_server

SESSIONS = 20


@pytest.mark.browser
def test_twenty_sessions_render_while_runs_publish(synth_corpus: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "minutes"
    shutil.copytree(synth_corpus, corpus)
    db = tmp_path / "kpi.duckdb"
    warehouse.run([corpus], db, corpus / "manifest.csv", workers=2)
    stop, publishes, failures = threading.Event(), [0], []
    changing = sorted(corpus.rglob("*.txt"))[:5]

    def publish() -> None:
        while not stop.is_set():
            for path in changing:  # a real change each time, so every run extracts and publishes a new file
                path.write_text(path.read_text(encoding="utf-8") + " ", encoding="utf-8")
            try:
                warehouse.run([corpus], db, corpus / "manifest.csv")
                publishes[0] += 1
            except Exception as exc:  # reported by the assertion below
                failures.append(exc)

    from playwright.sync_api import sync_playwright

    with streamlit_server(db) as url, sync_playwright() as p:
        publisher = threading.Thread(target=publish)
        publisher.start()
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            started = time.monotonic()
            pages = [browser.new_page(viewport={"width": 1100, "height": 700}) for _ in range(SESSIONS)]
            for page in pages:
                page.goto(f"{url}/trends", wait_until="commit", timeout=120_000)  # the 300 s bound below is the test
            rendered = 0
            for page in pages:
                page.wait_for_function(  # the page's answer: its title and the sentence summing up the chart
                    "() => document.querySelector('[data-testid=\"stMain\"] h1') !== null && "
                    "/\\d+ figures?\\./.test(document.querySelector('[data-testid=\"stMain\"]').innerText)",
                    timeout=240_000)
                assert page.locator('[data-testid="stException"]').count() == 0
                rendered += 1
            elapsed = time.monotonic() - started
            Path("tests/artifacts").mkdir(parents=True, exist_ok=True)
            pages[-1].screenshot(path="tests/artifacts/load-last-session.png")
        finally:
            stop.set()
            publisher.join(120)
            browser.close()
    assert rendered == SESSIONS and elapsed < 300
    assert publishes[0] >= 1 and not failures

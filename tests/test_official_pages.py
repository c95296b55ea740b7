"""Official statistics in the app: the England reference line on Trends and the figure-check flags."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.test_official import build_fixture_db

ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Official statistics plus Bromley and Kingston fixture minutes; tests must not write to it."""
    return build_fixture_db(tmp_path_factory.mktemp("pages") / "kpi.duckdb")


@pytest.fixture(scope="module")
def trends(fixture_db: Path) -> Iterator[AppTest]:
    """The Trends page showing Bromley's and Kingston's agency rate."""
    old = os.environ.get("KPI_DB")
    os.environ["KPI_DB"] = str(fixture_db)
    at = AppTest.from_file(str(ROOT / "app_pages" / "trends.py"), default_timeout=60).run()
    at.selectbox[0].set_value("agency_staff_pct").run()
    yield at
    if old is None:
        os.environ.pop("KPI_DB")
    else:
        os.environ["KPI_DB"] = old


def _chart_data(at: AppTest) -> list[pd.DataFrame]:
    chart = at.get("vega_lite_chart")[0].proto
    return [pa.ipc.open_stream(io.BytesIO(d.data.data)).read_all().to_pandas() for d in chart.datasets]


def test_trends_draws_england_reference_line_labelled_with_source_and_date(trends: AppTest) -> None:
    assert not trends.exception
    england = next(d for d in _chart_data(trends) if "area" in d and set(d.area) == {"England"})
    assert england.set_index("year").value[2025] == 13.0
    labels = {t for d in _chart_data(trends) if "label" in d for t in d.label}
    assert "England (DfE, 30 September 2025)" in labels
    assert "Kingston upon Thames (DfE)" in labels
    caption = " ".join(c.value for c in trends.caption)
    assert "DfE Children's social work workforce, 2025 edition" in caption
    assert "as at 30 September 2025" in caption
    assert "DfE publishes Kingston upon Thames together with Richmond upon Thames." in caption


def test_trends_flags_discrepancies_and_newer_figures(trends: AppTest) -> None:
    checks = trends.dataframe[1].value.set_index(["council", "shown", "period"])
    assert checks.loc[("Bromley", "15.8%", "30 September 2024"), "flag"] == "⚠️"
    assert checks.loc[("Bromley", "15.7%", "September 2024"), "flag"] == ""
    assert checks.loc[("Bromley", "11%", "October 2025"), "check"] == "Newer than any official figure"
    assert checks.loc[("Bromley", "11%", "October 2025"), "flag"] == "🆕"
    assert checks.official_url.str.startswith("https://explore-education-statistics").sum() >= 9
    assert "2 figure(s) newer than any official release; 4 differ" in " ".join(c.value for c in trends.caption)


def test_trends_without_official_toggle_draws_minutes_only(trends: AppTest) -> None:
    trends.toggle[0].set_value(False).run()
    try:
        assert not any("area" in d for d in _chart_data(trends))
        assert len(trends.dataframe) == 1
    finally:
        trends.toggle[0].set_value(True).run()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.browser
def test_trends_screenshot_shows_england_line(fixture_db: Path) -> None:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        env={**os.environ, "KPI_DB": str(fixture_db)}, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_healthy(port)
        ARTIFACTS.mkdir(exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.goto(f"http://127.0.0.1:{port}/trends")
            page.get_by_text("Measure").wait_for(timeout=30_000)
            page.locator("[data-testid=stSelectbox]").first.click()
            page.get_by_role("option", name="Agency staff %").click()
            page.get_by_text("England (DfE, 30 September 2025)").wait_for(timeout=30_000)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(ARTIFACTS / "trends_official.png"), full_page=True)
            assert page.get_by_text("Minutes against official statistics").is_visible()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


def _wait_healthy(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError("streamlit server did not become healthy in 60 s")


def test_ranking_chart_marks_councils_whose_minutes_are_newer(trends: AppTest) -> None:
    from dashboard import charts, queries

    df = queries.official_ranking("agency_staff_pct")
    spec = charts.ranking_chart(df, 13.0, "Agency staff %", ["Bromley"]).to_dict()
    rows = [r for data in spec["datasets"].values() for r in data if "status" in r]
    status = {r["council"]: r["status"] for r in rows}
    assert status["Bromley"] == "Minutes say something newer"
    assert status["Kingston upon Thames"] == "Official figure only"
    assert len(rows) == 150

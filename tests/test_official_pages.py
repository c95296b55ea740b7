"""Official statistics in the app: the England reference line on Trends and the figure-check flags."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from tests.browser import chromium_page, streamlit_server, wait_until_idle
from tests.conftest import ROOT, open_page
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


@pytest.mark.browser
def test_trends_and_compare_screenshots_show_england_and_ranking(fixture_db: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_server(fixture_db) as url, chromium_page(1400, 1100) as page:
        page.goto(f"{url}/trends?metric=agency_staff_pct&council=Bromley&council=Kingston+upon+Thames")
        wait_until_idle(page)
        page.get_by_text("England (DfE, 30 September 2025)").wait_for(timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "trends_official.png"), full_page=True)
        assert page.get_by_text("Minutes against official statistics").is_visible()
        page.set_viewport_size({"width": 1400, "height": 4200})  # the ranking is tall; Streamlit scrolls inside
        page.goto(f"{url}/compare?council=Bromley&council=Kingston+upon+Thames&official_metric=agency_staff_pct")
        wait_until_idle(page)
        top = page.get_by_text("Every council on the official statistics").bounding_box()["y"]
        page.screenshot(path=str(ARTIFACTS / "compare_official.png"),
                        clip={"x": 0, "y": top - 20, "width": 1400, "height": 1300})
        assert page.get_by_text("1 council with newer figures in their minutes", exact=False).is_visible()


def test_ranking_chart_marks_councils_whose_minutes_are_newer(trends: AppTest) -> None:
    from dashboard import charts, queries

    df = queries.official_ranking("agency_staff_pct")
    spec = charts.ranking_chart(df, 13.0, "Agency staff %", ["Bromley"]).to_dict()
    rows = [r for data in spec["datasets"].values() for r in data if "status" in r]
    status = {r["council"]: r["status"] for r in rows}
    assert status["Bromley"] == "Minutes say something newer"
    assert status["Kingston upon Thames"] == "Official figure only"
    assert len(rows) == 150


_open = partial(open_page, timeout=60)


def _html(at: AppTest) -> str:
    return "\n".join(e.proto.body for e in at.get("html"))


def test_evidence_flags_each_quote_with_official_value_and_source_link(fixture_db: Path, monkeypatch) -> None:
    at = _open("evidence", fixture_db, monkeypatch, council="Bromley", metric="agency_staff_pct")
    body = _html(at)
    assert "⚠️ <strong>Differs from official by more than 3 percentage points</strong>" in body
    assert "🆕 <strong>Newer than any official figure</strong> · the latest official figure is for " \
           "30 September 2025" in body
    assert "DfE: 12.7% at 30 September 2024 · England 16.2%" in body
    assert 'href="https://explore-education-statistics.service.gov.uk/find-statistics/children-s-social-work-' \
           'workforce"' in body
    table = at.dataframe[0].value
    assert table.official.str.startswith("⚠️ Differs from official").sum() == 3
    assert table.official.isna().sum() == 0


def test_overview_counts_figures_newer_than_official_and_badges_tiles(fixture_db: Path, monkeypatch) -> None:
    at = _open("overview", fixture_db, monkeypatch, council="Bromley")
    assert "3 figures in the minutes newer than the latest official statistics" in at.info[0].value
    assert ":blue-badge[:material/fiber_new: Newer than official]" in [m.value for m in at.markdown]


def test_compare_ranks_every_council_on_the_official_measure_and_marks_newer(fixture_db: Path, monkeypatch) -> None:
    at = _open("compare", fixture_db, monkeypatch, council="Bromley")
    at.selectbox(key="official_metric").set_value("agency_staff_pct").run()
    assert not at.exception
    ranking = next(c for c in at.get("vega_lite_chart") if '"status"' in c.proto.spec)
    assert "Minutes say something newer" in ranking.proto.spec
    newer = at.dataframe[-1].value
    assert newer.council.tolist() == ["Bromley"]
    assert newer.minutes.iloc[0] == "11% (2026)"
    assert "1 council with newer figures in their minutes" in " ".join(c.value for c in at.caption)

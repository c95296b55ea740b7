"""The Sources page's modern.gov section, headless: add a (fake, 127.0.0.1) site, fetch it, load it, list it."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from etl.fetch import SITES
from tests.fake_modgov import FakeModgov

pytestmark = pytest.mark.usefixtures("loopback_only")  # nothing but 127.0.0.1 is ever contacted


def _panel(raw: str, db: str, sites: str) -> None:
    from pathlib import Path

    from dashboard import fetch_panel
    from etl.polite import Client

    fetch_panel.render(Path(raw), Path(db), Path(sites), Client(delay=0, timeout=2, retries=0))


@pytest.fixture
def app(tmp_path: Path) -> AppTest:
    sites = tmp_path / "sites.csv"
    shutil.copyfile(SITES, sites)
    at = AppTest.from_function(_panel, args=(str(tmp_path / "raw"), str(tmp_path / "kpi.duckdb"), str(sites)),
                               default_timeout=30)
    return at.run()


def test_with_nothing_fetched_the_section_says_how_to_start(app: AppTest) -> None:
    assert not app.exception
    assert "No council fetched yet" in app.caption[0].value


def test_adding_a_site_fetches_loads_and_lists_it(app: AppTest, site: FakeModgov, tmp_path: Path) -> None:
    app.text_input[0].input("Bromley")
    app.text_input[1].input(site.base + "/")
    app.date_input[0].set_value(date(2019, 1, 1))
    app.button[0].click().run()
    assert not app.exception
    assert app.status[0].proto.label == "Bromley: 7 new files, 0 already had, 0 failed"
    with open(tmp_path / "sites.csv", newline="", encoding="utf-8") as f:
        assert {"council": "Bromley", "base_url": site.base} in list(csv.DictReader(f))
    con = duckdb.connect(str(tmp_path / "kpi.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM documents WHERE url LIKE ?", [site.base + "%"]).fetchone() == (7,)
    finally:
        con.close()
    table = app.run().dataframe[0].value
    assert table.iloc[0][["Council", "modern.gov site", "New files", "Failed"]].tolist() == [
        "Bromley", site.base, 7, 0]


def test_a_bad_address_is_refused_with_a_message(app: AppTest, tmp_path: Path) -> None:
    app.text_input[0].input("Bromley")
    app.text_input[1].input("democracy.bromley")
    app.button[0].click().run()
    assert "is not a web address" in app.error[0].value
    assert not (tmp_path / "raw").exists()

"""Every page headless (AppTest) on hand-made warehouses: widgets, address parameters, empty and one-figure cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl import warehouse
from tests import dashboard_fixture
from tests.conftest import open_page

EMPTY_HINT = "No figures are loaded yet"


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three warehouses: the fixture councils (with a load error), a single figure, and no figures at all."""
    base = tmp_path_factory.mktemp("pages")
    empty = base / "empty.duckdb"
    with warehouse.building(empty):
        pass
    return {
        "full": dashboard_fixture.build(base / "full.duckdb", errors=[("broken.pdf", "the PDF is truncated")]),
        "single": dashboard_fixture.build(base / "single.duckdb", dashboard_fixture.SINGLE),
        "empty": empty,
    }


def _text(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "subheader", "caption", "info", "warning", "success", "error")
             for e in getattr(at, kind)]
    parts += [e.proto.body for e in at.get("html")]
    return "\n".join(str(p) for p in parts)


def _charts(at: AppTest) -> list:
    return at.get("vega_lite_chart")


# Overview

def test_overview_shows_latest_figure_change_target_and_stale_mark(dbs, monkeypatch) -> None:
    at = open_page("overview", dbs["full"], monkeypatch)
    assert at.selectbox(key="council").value == "Bromley"
    tiles = {m.label: m for m in at.metric}
    assert tiles["Permanent staff %"].value == "80–85%"
    assert tiles["Permanent staff %"].delta == "+40.5 points"
    assert tiles["Budget"].value == "£38.2m"
    assert tiles["Overspend"].value == "about £552k"
    text = _text(at)
    assert "Close to target (90%)" in text
    assert "1 stale" in text
    assert "No figures yet for Placements, Quality" in text


def test_overview_council_from_address(dbs, monkeypatch) -> None:
    at = open_page("overview", dbs["full"], monkeypatch, council="Bristol")
    assert at.selectbox(key="council").value == "Bristol"
    assert {m.label: m.value for m in at.metric}["Agency staff %"] == "18%"


def test_overview_changing_council_redraws_tiles(dbs, monkeypatch) -> None:
    at = open_page("overview", dbs["full"], monkeypatch)
    at.selectbox(key="council").set_value("Wiltshire").run()
    assert {m.label: m.value for m in at.metric} == {"Vacancy rate %": "5%", "Permanent staff %": "about 85%"}


def test_overview_unknown_council_in_address_is_refused_with_a_message(dbs, monkeypatch) -> None:
    at = open_page("overview", dbs["full"], monkeypatch, council="x'); DROP TABLE figures;--")
    assert "does not hold" in at.warning[0].value
    assert "DROP TABLE figures" in at.warning[0].value
    assert at.selectbox(key="council").value == "Bromley"


def test_overview_single_figure(dbs, monkeypatch) -> None:
    at = open_page("overview", dbs["single"], monkeypatch)
    assert [(m.label, m.value, m.delta) for m in at.metric] == [("Permanent staff %", "80–85%", "")]
    assert "1 measure reported" in _text(at)


def test_overview_empty_database_explains_how_to_load(dbs, monkeypatch) -> None:
    at = open_page("overview", dbs["empty"], monkeypatch)
    assert EMPTY_HINT in at.info[0].value
    assert not at.metric


def test_overview_missing_database_file_explains_how_to_load(tmp_path, monkeypatch) -> None:
    at = open_page("overview", tmp_path / "nowhere.duckdb", monkeypatch)
    assert EMPTY_HINT in at.info[0].value


# Trends

def test_trends_default_measure_charts_every_council_with_summary(dbs, monkeypatch) -> None:
    at = open_page("trends", dbs["full"], monkeypatch)
    assert at.selectbox(key="metric_choice").value == "permanent_staff_pct"
    assert len(_charts(at)) == 1
    text = _text(at)
    assert "Bromley: 42% (2017) to 80–85% (February 2019), 2 figures; target 90%" in text
    assert "Wiltshire: about 85% (January 2023), the only figure" in text


def test_trends_measure_and_councils_from_address(dbs, monkeypatch) -> None:
    at = open_page("trends", dbs["full"], monkeypatch, metric="agency_staff_pct", council=["Bristol"])
    assert at.multiselect(key="council").value == ["Bristol"]
    assert "Agency staff %. Bristol: 18% (March 2023), the only figure." in _text(at)


def test_trends_removing_a_council_removes_it_from_the_summary(dbs, monkeypatch) -> None:
    at = open_page("trends", dbs["full"], monkeypatch)
    at.multiselect(key="council").set_value(["Wiltshire"]).run()
    text = _text(at)
    assert "Wiltshire: about 85%" in text
    assert "Bromley:" not in text


def test_trends_period_narrows_the_years(dbs, monkeypatch) -> None:
    at = open_page("trends", dbs["full"], monkeypatch, period=["2019", "2023"])
    assert at.slider(key="period").value == (2019, 2023)
    assert "Bromley: 80–85% (February 2019), the only figure; target 90%" in _text(at)


def test_trends_figure_in_address_shows_its_evidence(dbs, monkeypatch) -> None:
    key = _figure_key(dbs["full"], "Permanent staff now make up")
    at = open_page("trends", dbs["full"], monkeypatch, figure=key)
    text = _text(at)
    assert "Evidence for the selected point" in text
    assert "<mark" in text and 'id="quoted"' in text


def test_trends_bad_measure_in_address_is_refused(dbs, monkeypatch) -> None:
    at = open_page("trends", dbs["full"], monkeypatch, metric="<script>alert(1)</script>")
    assert "measure" in at.warning[0].value and "<script>" not in at.warning[0].value


def test_trends_single_figure(dbs, monkeypatch) -> None:
    at = open_page("trends", dbs["single"], monkeypatch)
    assert len(_charts(at)) == 1
    assert "Bromley: 80–85% (February 2019), the only figure" in _text(at)


def test_trends_empty_database(dbs, monkeypatch) -> None:
    at = open_page("trends", dbs["empty"], monkeypatch)
    assert EMPTY_HINT in at.info[0].value and not _charts(at)


# Compare

def test_compare_bar_chart_and_latest_value_table(dbs, monkeypatch) -> None:
    at = open_page("compare", dbs["full"], monkeypatch)
    assert len(_charts(at)) == 1
    assert "highest Wiltshire about 85% (January 2023), lowest Bristol about 70% (March 2023)" in _text(at)
    grid = at.dataframe[1].value
    assert list(grid.columns) == ["Bromley", "Bristol", "Wiltshire"]
    assert grid.loc["Workforce: Permanent staff %", "Bromley"] == "80–85% (February 2019)"
    assert grid.loc["Budget: Budget", "Bromley"] == "£38.2m (2017)"


def test_compare_region_filter_keeps_only_matching_councils(dbs, monkeypatch) -> None:
    at = open_page("compare", dbs["full"], monkeypatch, region="London")
    assert at.multiselect(key="council").value == ["Bromley"]
    assert list(at.dataframe[1].value.columns) == ["Bromley"]


def test_compare_type_filter_from_widget(dbs, monkeypatch) -> None:
    at = open_page("compare", dbs["full"], monkeypatch)
    at.multiselect(key="type_choice").set_value(["unitary"]).run()
    assert set(at.multiselect(key="council").value) == {"Bristol", "Wiltshire"}


def test_compare_measure_from_address(dbs, monkeypatch) -> None:
    at = open_page("compare", dbs["full"], monkeypatch, metric="vacancy_rate_pct")
    assert "Vacancy rate %: only Wiltshire reports it, 5% (January 2023)." in _text(at)
    assert "No figure for this measure from Bristol, Bromley." in _text(at)


def test_compare_single_figure_and_empty(dbs, monkeypatch) -> None:
    at = open_page("compare", dbs["single"], monkeypatch)
    assert "only Bromley reports it, 80–85% (February 2019)" in _text(at)
    at = open_page("compare", dbs["empty"], monkeypatch)
    assert EMPTY_HINT in at.info[0].value


# Evidence

def test_evidence_lists_every_figure_with_its_number_marked_and_markup_escaped(dbs, monkeypatch) -> None:
    at = open_page("evidence", dbs["full"], monkeypatch)
    text = _text(at)
    assert "11 figures match" in text
    assert 'padding:0 2px;border-radius:2px">18</mark>% in March 2023' in text
    assert "&lt;script&gt;" in text and "<script>" not in text
    assert at.get("download_button")


def test_evidence_filters_by_kind_from_widget(dbs, monkeypatch) -> None:
    at = open_page("evidence", dbs["full"], monkeypatch)
    at.multiselect(key="kind_choice").set_value(["target"]).run()
    text = _text(at)
    assert "1 figure match" in text
    assert "The target is for" in text


def test_evidence_filters_by_council_family_and_year_from_address(dbs, monkeypatch) -> None:
    at = open_page("evidence", dbs["full"], monkeypatch, council="Bromley", family="budget", period=["2017", "2018"])
    assert "1 figure match" in _text(at)
    assert "£38.2m" in _text(at)


def test_evidence_open_source_document_marks_the_quoted_span(dbs, monkeypatch) -> None:
    at = open_page("evidence", dbs["full"], monkeypatch, council="Wiltshire")
    at.button[0].click().run()
    text = _text(at)
    assert 'id="quoted"' in text
    assert "Close the source document" in [b.label for b in at.button]


def test_evidence_followed_link_to_unknown_figure_warns(dbs, monkeypatch) -> None:
    at = open_page("evidence", dbs["full"], monkeypatch, figure="nope")
    assert "does not hold" in at.warning[0].value


def test_evidence_no_match_and_empty(dbs, monkeypatch) -> None:
    at = open_page("evidence", dbs["full"], monkeypatch, council="Wiltshire", family="budget")
    assert "No figure matches" in at.info[0].value
    at = open_page("evidence", dbs["empty"], monkeypatch)
    assert EMPTY_HINT in at.info[0].value


def test_evidence_single_figure(dbs, monkeypatch) -> None:
    at = open_page("evidence", dbs["single"], monkeypatch)
    assert "1 figure match" in _text(at)


# Sources

def test_sources_lists_documents_and_load_errors_with_reasons(dbs, monkeypatch) -> None:
    at = open_page("sources", dbs["full"], monkeypatch)
    docs, errors = at.dataframe[0].value, at.dataframe[1].value
    assert len(docs) == 4 and set(docs.council) == {"Bromley", "Bristol", "Wiltshire"}
    assert docs.figures.sum() == 11
    assert errors.reason.tolist() == ["the PDF is truncated"]
    assert "4 documents loaded, giving 11 figures" in _text(at)
    assert at.get("file_uploader")


def test_sources_at_scale_shows_the_newest_documents_and_a_council_filter(dbs, monkeypatch) -> None:
    from dashboard import queries

    monkeypatch.setattr(queries, "DOCUMENTS_SHOWN", 2)
    at = open_page("sources", dbs["full"], monkeypatch)
    assert len(at.dataframe[0].value) == 2
    assert "Showing the newest 2 of 4" in _text(at)
    at.selectbox[0].select("Wiltshire").run()
    assert set(at.dataframe[0].value.council) == {"Wiltshire"}
    assert "Showing the newest" not in _text(at)


def test_sources_empty_database_still_offers_upload(dbs, monkeypatch) -> None:
    at = open_page("sources", dbs["empty"], monkeypatch)
    assert "No minutes are loaded yet" in at.info[0].value
    assert "every file given to the loader was read" in _text(at)
    assert at.get("file_uploader")


def _figure_key(db: Path, quote_start: str) -> str:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT figure_key FROM kpi WHERE starts_with(quote, ?)", [quote_start]).fetchone()[0]
    finally:
        con.close()

"""Dashboard queries on a hand-made warehouse: latest/previous/target per council, evidence filters, a newly
published file seen without a restart, and uploads checked before they reach the ETL."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import charts, queries, uploads
from tests import dashboard_fixture


@pytest.fixture
def fixture_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = dashboard_fixture.build(tmp_path / "kpi.duckdb", errors=[("broken.pdf", "the PDF is truncated")])
    monkeypatch.setenv("KPI_DB", str(db))
    yield db
    queries.close()


def test_overview_row_has_latest_previous_and_target(fixture_db: Path) -> None:
    df = queries.council_overview("Bromley").set_index("metric")
    row = df.loc["permanent_staff_pct"]
    assert (row.value, row.low, row.high, row.as_of) == (82.5, 80.0, 85.0, "2019-02")
    assert (row.prev_value, row.prev_as_of, row.target_value) == (42.0, "2017", 90.0)
    assert str(row.newest_minutes)[:10] == "2019-02-01"
    assert set(df.index) == {"permanent_staff_pct", "caseload_per_worker", "budget_gbp", "overspend_gbp"}


def test_latest_values_one_row_per_council_and_metric(fixture_db: Path) -> None:
    df = queries.latest_values(["Bristol", "Wiltshire"])
    assert not df.duplicated(["council", "metric"]).any()
    assert df.set_index(["council", "metric"]).value[("Wiltshire", "permanent_staff_pct")] == 85.0
    assert "Bromley" not in set(df.council)


@pytest.mark.parametrize(("filters", "expected"), [
    (([], [], [], [], None), 11),
    ((["Bromley"], [], [], [], None), 6),
    (([], ["permanent_staff_pct"], [], [], None), 5),
    (([], [], ["budget"], [], None), 2),
    (([], [], [], ["target"], None), 1),
    (([], [], [], [], (2023, 2023)), 5),
    ((["Bromley"], [], [], [], (2017, 2017)), 2),
], ids=["all", "council", "metric", "family", "kind", "year", "council+year"])
def test_evidence_filters_count_and_list_the_same_rows(fixture_db: Path, filters: tuple, expected: int) -> None:
    assert queries.evidence_count(*filters) == expected
    assert len(queries.evidence(*filters)) == expected


def test_evidence_is_newest_first_and_limited(fixture_db: Path) -> None:
    df = queries.evidence([], [], [], [], None, limit=3)
    assert len(df) == 3
    assert df.period_day.is_monotonic_decreasing


def test_evidence_filter_values_are_bound_not_spliced(fixture_db: Path) -> None:
    assert queries.evidence_count(["x') OR 1=1 --"], [], [], [], None) == 0


def test_evidence_csv_has_plain_headers_and_every_row(fixture_db: Path) -> None:
    text = charts.evidence_csv(queries.evidence([], [], [], [], None))
    header, *rows = text.strip().splitlines()
    assert header.startswith("council,measure,family,figure,value")
    assert len(rows) == 11


def test_document_text_and_quote_offsets_agree(fixture_db: Path) -> None:
    row = queries.evidence(["Wiltshire"], ["vacancy_rate_pct"], [], [], None).iloc[0]
    text = queries.document(row.document_id).text.iloc[0]
    assert text[row.start:row.end] == row.quote


def test_newly_published_file_is_seen_without_restart(fixture_db: Path) -> None:
    assert set(queries.gazetteer().council) == {"Bromley", "Bristol", "Wiltshire"}
    leeds = ("Leeds", "Scrutiny Board (Children and Families)", "2024-06", [
        ("Leeds has 1,020 social workers.", "social_workers", "count", 1020.0, None, None, "2024-06", "actual", None)])
    dashboard_fixture.build(fixture_db, [*dashboard_fixture.MEETINGS, leeds])
    assert "Leeds" in set(queries.gazetteer().council)
    assert queries.council_overview("Leeds").value.tolist() == [1020.0]


def test_documents_and_load_errors(fixture_db: Path) -> None:
    docs = queries.documents()
    assert docs.figures.sum() == 11 and len(docs) == 4
    assert queries.load_errors().reason.tolist() == ["the PDF is truncated"]


def test_documents_of_one_council_newest_first_and_limited(fixture_db: Path) -> None:
    assert set(queries.documents("Bromley").council) == {"Bromley"}
    newest = queries.documents(limit=2)
    assert len(newest) == 2 and newest.meeting_day.tolist() == sorted(newest.meeting_day, reverse=True)
    totals = queries.document_totals()
    assert (totals.documents[0], totals.figures[0]) == (4, 11)
    assert list(totals.councils[0]) == ["Bristol", "Bromley", "Wiltshire"]


def test_missing_database_gives_empty_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPI_DB", str(tmp_path / "none.duckdb"))
    assert not queries.has_figures()
    assert queries.year_span() is None
    assert queries.evidence_count([], [], [], [], None) == 0


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "the file is empty"),
    (b"x" * (2 * 1024 * 1024 + 1), "over the 2 MB limit"),
], ids=["empty", "too big"])
def test_upload_refuses_empty_and_oversized_files(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(uploads.UploadError, match=reason):
        uploads.save("minutes.txt", data, tmp_path, max_mb=2)
    assert not list(tmp_path.iterdir())


def test_upload_keeps_a_different_file_with_the_same_name_beside_it(tmp_path: Path) -> None:
    first = uploads.save("../Minutes.TXT", b"one", tmp_path)
    second = uploads.save("Minutes.txt", b"two", tmp_path)
    again = uploads.save("Minutes.txt", b"one", tmp_path)
    assert first == again == tmp_path / "Minutes.txt"
    assert second != first and second.parent == tmp_path and second.read_bytes() == b"two"


def test_upload_runs_the_etl_into_the_app_database(fixture_db: Path, tmp_path: Path) -> None:
    path = uploads.save("junk.pdf", b"%PDF-1.4 truncated", tmp_path / "uploads")
    summary = uploads.load([path])
    assert summary.failed == 1
    assert "junk.pdf" in set(queries.load_errors().file_name)

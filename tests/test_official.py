"""Official DfE statistics: the real reference files load, bad rows are named, minutes figures are checked."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from etl import official, warehouse
from etl.cli import main
from etl.model import Document, Figure, Meeting
from tests.conftest import BUNDLED, ROOT
from tests.conftest import rows as _rows

REFERENCE = ROOT / "data" / "reference"


def _document(council: str, figures: list[tuple], meeting_date: str = "2025-11-20") -> Document:
    """A hand-made set of minutes: each (metric, value, unit, as_of, extra) becomes a figure with its own quote."""
    text, figs = "", []
    for metric, value, unit, as_of, extra in figures:
        quote = f"The {metric} figure was {value} ({as_of}). "
        figs.append(Figure(metric=metric, value=value, unit=unit, quote=quote.strip(), start=len(text),
                           end=len(text) + len(quote.strip()), as_of=as_of, **extra))
        text += quote
    return Document(source=f"fixture/{council}.txt", sha256=f"sha-{council}", text=text,
                    meeting=Meeting(council=council, committee="Scrutiny", meeting_date=meeting_date), figures=figs)


# (metric, value, unit, as_of, extra): Bromley's official 2024 agency rate is 12.7%, its 2025 looked-after count 343.
BROMLEY = [
    ("agency_staff_pct", 15.7, "pct", "2024-09", {}),            # +3.0 points: within tolerance
    ("agency_staff_pct", 15.8, "pct", "2024-09-30", {}),         # +3.1 points: discrepancy
    ("agency_staff_pct", 9.7, "pct", "2024", {}),                # −3.0 points
    ("agency_staff_pct", 9.6, "pct", "2024-03", {}),             # −3.1 points (March 2024 is census year 2024)
    ("children_looked_after", 377.3, "count", "2025-03-31", {}),  # +10%
    ("children_looked_after", 378.0, "count", "2025-03", {}),    # +10.2%
    ("children_looked_after", 308.7, "count", "2025", {}),       # −10%
    ("children_looked_after", 308.0, "count", "2024-04", {}),    # −10.2% (year to 31 March 2025)
    ("agency_staff_pct", 20.0, "pct", "2024-09", {"low": 11.0, "high": 29.0}),        # range holds 12.7
    ("agency_staff_pct", 16.0, "pct", "2024-09", {"qualifier": "at_most"}),          # "under 16%": 12.7 fits
    ("agency_staff_pct", 9.0, "pct", "2024-09", {"qualifier": "at_least"}),          # "over 9%": 12.7 fits
    ("agency_staff_pct", 8.0, "pct", "2024-09", {"qualifier": "at_most"}),           # "under 8%": 4.7 points out
    ("agency_staff_pct", 30.0, "pct", "2024-09", {"scope": "Looked After teams"}),   # part of the service
    ("agency_staff_pct", 11.0, "pct", "2025-10", {}),            # after the 30 September 2025 census
    ("agency_staff_pct", 11.0, "pct", "2026", {}),
    ("children_looked_after", 330.0, "count", "2025-04", {}),    # after the 31 March 2025 release
    ("agency_staff_pct", 5.0, "pct", "2027-03", {"kind": "target"}),
    ("budget_gbp", 4e7, "gbp", "2025", {}),                      # no official series
]
# Kingston's workforce is published with Richmond's ("314 / 318"): 2025 agency rate 14.9%, agency FTE 24.
KINGSTON = [
    ("agency_staff_pct", 19.0, "pct", "2025-09", {}),
    ("agency_staff", 12.0, "count", "2025-09", {}),
]


@pytest.fixture(scope="session")
def official_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real reference files and two hand-made sets of minutes in one database; tests must not write to it."""
    return build_fixture_db(tmp_path_factory.mktemp("official") / "kpi.duckdb")


def build_fixture_db(db: Path) -> Path:
    """Load the real reference files and the Bromley and Kingston fixture minutes into db."""
    official.run(REFERENCE, db)
    with warehouse.building(db) as con:
        warehouse.save_document(con, _document("Bromley", BROMLEY), "test", None)
        warehouse.save_document(con, _document("Kingston upon Thames", KINGSTON), "test", None)
    return db


def _england(db: Path, metric: str, year: int) -> float:
    return _rows(db, "SELECT value FROM official WHERE level = 'national' AND metric = ? AND year = ?",
                 metric, year)[0][0]


@pytest.mark.parametrize(("metric", "year", "expected"), [
    ("agency_staff_pct", 2025, 13.0), ("vacancy_rate_pct", 2025, 14.2), ("turnover_rate_pct", 2025, 11.8),
    ("caseload_per_worker", 2025, 15.2), ("sickness_absence_pct", 2025, 3.5), ("social_workers", 2025, 36186.3),
    ("agency_staff_pct", 2023, 17.9), ("children_looked_after", 2025, 81770), ("children_looked_after_rate", 2025, 67),
    ("children_looked_after", 2010, 64400),
])
def test_england_series_holds_published_values(official_db: Path, metric: str, year: int, expected: float) -> None:
    assert _england(official_db, metric, year) == expected


def test_england_series_has_every_year_with_census_days(official_db: Path) -> None:
    rows = _rows(official_db, "SELECT metric, min(year), max(year), count(*), strftime(any_value(period), '%d %B') "
                              "FROM official WHERE level = 'national' GROUP BY 1 ORDER BY 1")
    got = {r[0]: r[1:] for r in rows}
    assert got["agency_staff_pct"] == (2017, 2025, 9, "30 September")
    assert got["children_looked_after"] == (2010, 2025, 15, "31 March")  # 2016 not found, left blank in the file
    assert got["children_looked_after_rate"] == (2015, 2025, 9, "31 March")


def test_england_file_agrees_with_national_rows_of_the_la_files() -> None:
    with open(REFERENCE / "la_workforce.csv", newline="", encoding="utf-8") as f:
        national = {int(r["time_period"]): float(r["agency_rate_fte"]) for r in csv.DictReader(f)
                    if r["geographic_level"] == "National"}
    with open(REFERENCE / "england_workforce.csv", newline="", encoding="utf-8") as f:
        england = {int(r["year"]): float(r["agency_rate_pct"]) for r in csv.DictReader(f)}
    assert national == england


def test_real_reference_files_load_without_problems(tmp_path: Path) -> None:
    summary = official.run(REFERENCE, tmp_path / "kpi.duckdb")
    assert summary.problems == []
    assert summary.loaded == {"england_workforce.csv": 54, "england_looked_after.csv": 24,
                              "la_workforce.csv": 10884, "la_looked_after.csv": 2111}


def test_combined_row_is_attributed_to_both_councils_and_marked(official_db: Path) -> None:
    rows = _rows(official_db, "SELECT area, dfe_la_code, combined, value FROM official "
                              "WHERE metric = 'agency_staff_pct' AND year = 2025 AND combined IS NOT NULL ORDER BY 1")
    assert rows == [
        ("Kingston upon Thames", "314", "Kingston upon Thames / Richmond upon Thames", 14.9),
        ("North Northamptonshire", "940", "North Northamptonshire / West Northamptonshire", 19.5),
        ("Richmond upon Thames", "318", "Kingston upon Thames / Richmond upon Thames", 14.9),
        ("West Northamptonshire", "941", "North Northamptonshire / West Northamptonshire", 19.5),
    ]


def test_shared_dfe_code_goes_to_the_council_that_existed_on_census_day(official_db: Path) -> None:
    rows = _rows(official_db, "SELECT year, area FROM official WHERE dfe_la_code = '825' "
                              "AND metric = 'children_looked_after' ORDER BY year")
    assert rows[:3] == [(2019, "Buckinghamshire County"), (2020, "Buckinghamshire County"), (2021, "Buckinghamshire")]


def _corrupt(tmp_path: Path) -> Path:
    """A copy of the reference folder with three bad lines in la_workforce.csv."""
    ref = tmp_path / "reference"
    shutil.copytree(REFERENCE, ref)
    path = ref / "la_workforce.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert ",Bromley," in lines[150]  # line 151
    lines.append(lines[150].replace(",305,E09000006,", ",999,E09000006,"))  # unknown DfE code
    lines[150] = lines[150].replace(",13.1,12.8,", ",abc,12.8,")       # agency_rate_fte not a number
    lines[313] = lines[313].replace(",18.8,62.6,", ",188,62.6,")       # vacancy_rate_fte 188%
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ref


def test_malformed_rows_are_reported_with_file_and_line_and_the_rest_loads(tmp_path: Path) -> None:
    db = tmp_path / "kpi.duckdb"
    summary = official.run(_corrupt(tmp_path), db)
    assert [str(p) for p in summary.problems] == [
        "la_workforce.csv line 151: agency_rate_fte 'abc' is not a number",
        "la_workforce.csv line 314: vacancy_rate_fte '188' is outside 0–100 (pct)",
        "la_workforce.csv line 1465: old_la_code '999' is not the DfE code of any council in councils.csv",
    ]
    assert summary.loaded["la_workforce.csv"] == 10884 - 2
    bromley_2025 = dict(_rows(db, "SELECT metric, value FROM official WHERE area = 'Bromley' AND year = 2025"))
    assert "agency_staff_pct" not in bromley_2025
    assert bromley_2025["vacancy_rate_pct"] == 11.1
    assert _rows(db, "SELECT file_name, line, \"column\" FROM official_errors ORDER BY line") == [
        ("la_workforce.csv", 151, "agency_rate_fte"), ("la_workforce.csv", 314, "vacancy_rate_fte"),
        ("la_workforce.csv", 1465, "old_la_code")]
    assert _rows(db, "SELECT file_name FROM load_errors") == [("la_workforce.csv",)]


def test_file_missing_a_column_is_reported_and_its_earlier_values_kept(tmp_path: Path) -> None:
    db = tmp_path / "kpi.duckdb"
    official.run(REFERENCE, db)
    ref = tmp_path / "reference"
    shutil.copytree(REFERENCE, ref)
    text = (ref / "england_workforce.csv").read_text(encoding="utf-8")
    (ref / "england_workforce.csv").write_text(text.replace("agency_rate_pct", "agency_pct", 1), encoding="utf-8")
    summary = official.run(ref, db)
    assert [str(p) for p in summary.problems] == [
        "england_workforce.csv: missing columns: agency_rate_pct; nothing loaded from it, earlier values kept"]
    assert _england(db, "agency_staff_pct", 2025) == 13.0


def test_clean_reload_clears_the_problems(tmp_path: Path) -> None:
    db = tmp_path / "kpi.duckdb"
    official.run(_corrupt(tmp_path), db)
    official.run(REFERENCE, db)
    assert _rows(db, "SELECT count(*) FROM official_errors") == [(0,)]
    assert _rows(db, "SELECT count(*) FROM load_errors") == [(0,)]


def _checks(db: Path, council: str) -> list[tuple]:
    return _rows(db, "SELECT metric, value, as_of, official_value, comparable, discrepancy, newer_than_official "
                     "FROM figure_checks WHERE council = ? ORDER BY metric, as_of, value", council)


def _check(db: Path, council: str, metric: str, value: float, as_of: str) -> tuple:
    rows = [r[3:] for r in _checks(db, council) if r[:3] == (metric, value, as_of)]
    assert len(rows) == 1
    return rows[0]


# (metric, value, as_of) -> (official value, comparable, discrepancy, newer than official)
CHECKS = [
    (("agency_staff_pct", 15.7, "2024-09"), (12.7, True, False, False)),
    (("agency_staff_pct", 15.8, "2024-09-30"), (12.7, True, True, False)),
    (("agency_staff_pct", 9.7, "2024"), (12.7, True, False, False)),
    (("agency_staff_pct", 9.6, "2024-03"), (12.7, True, True, False)),
    (("children_looked_after", 377.3, "2025-03-31"), (343.0, True, False, False)),
    (("children_looked_after", 378.0, "2025-03"), (343.0, True, True, False)),
    (("children_looked_after", 308.7, "2025"), (343.0, True, False, False)),
    (("children_looked_after", 308.0, "2024-04"), (343.0, True, True, False)),
    (("agency_staff_pct", 20.0, "2024-09"), (12.7, True, False, False)),
    (("agency_staff_pct", 16.0, "2024-09"), (12.7, True, False, False)),
    (("agency_staff_pct", 9.0, "2024-09"), (12.7, True, False, False)),
    (("agency_staff_pct", 8.0, "2024-09"), (12.7, True, True, False)),
    (("agency_staff_pct", 30.0, "2024-09"), (12.7, False, False, False)),
    (("agency_staff_pct", 11.0, "2025-10"), (None, False, False, True)),
    (("agency_staff_pct", 11.0, "2026"), (None, False, False, True)),
    (("children_looked_after", 330.0, "2025-04"), (None, False, False, True)),
]


@pytest.mark.parametrize(("figure", "expected"), CHECKS, ids=lambda c: "-".join(map(str, c)))
def test_discrepancy_and_newer_rules_at_and_around_tolerance(official_db: Path, figure: tuple,
                                                             expected: tuple) -> None:
    assert _check(official_db, "Bromley", *figure) == expected


def test_targets_and_metrics_without_official_series_are_not_checked(official_db: Path) -> None:
    metrics = {r[0] for r in _checks(official_db, "Bromley")}
    assert "budget_gbp" not in metrics
    assert (5.0, "2027-03") not in {(r[1], r[2]) for r in _checks(official_db, "Bromley")}


def test_combined_official_figure_checks_rates_but_not_counts(official_db: Path) -> None:
    assert _check(official_db, "Kingston upon Thames", "agency_staff_pct", 19.0, "2025-09") == (14.9, True, True, False)
    assert _check(official_db, "Kingston upon Thames", "agency_staff", 12.0, "2025-09") == (24.0, False, False, False)
    assert _rows(official_db, "SELECT \"check\" FROM figure_checks WHERE metric = 'agency_staff'") == [
        ("Not compared: DfE counts Kingston upon Thames / Richmond upon Thames together",)]


def test_official_cli_loads_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "kpi.duckdb"
    assert main(["official", "--dir", str(_corrupt(tmp_path)), "--db", str(db), "--strict"]) == 1
    out = capsys.readouterr().out
    assert "la_workforce.csv line 151: agency_rate_fte 'abc' is not a number" in out
    assert "3 problems" in out


def test_minutes_run_keeps_the_official_tables(minutes_dir: Path, db_file: Path) -> None:
    official.run(REFERENCE, db_file)
    warehouse.run([minutes_dir], db_file, BUNDLED / "manifest.csv")
    assert _rows(db_file, "SELECT count(*) FROM official WHERE level = 'national'") == [(78,)]


@pytest.fixture
def app_db(official_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the dashboard's queries at the official fixture database."""
    monkeypatch.setenv("KPI_DB", str(official_db))
    return official_db


def test_england_series_query_gives_values_source_and_definition(app_db: Path) -> None:
    from dashboard import queries

    df = queries.england_series("agency_staff_pct")
    assert df.value.tolist()[-1] == 13.0
    assert df.source.iloc[-1] == "DfE Children's social work workforce, 2025 edition"
    assert "agency FTE / (agency FTE + FTE in post)" in df.definition.iloc[-1]


def test_ranking_marks_councils_whose_minutes_are_newer(app_db: Path) -> None:
    from dashboard import queries

    df = queries.official_ranking("agency_staff_pct")
    assert len(df) == 150 and set(df.year) == {2025}
    assert df.value.is_monotonic_decreasing
    marked = df[df.minutes_newer]
    assert marked.council.tolist() == ["Bromley"]
    assert (marked.minutes_as_of.iloc[0], marked.minutes_value.iloc[0]) == ("2026", 11.0)


def test_newer_than_official_count_counts_figures_after_the_latest_release(app_db: Path) -> None:
    from dashboard import queries

    assert queries.newer_than_official_count("Bromley") == 3
    assert queries.newer_than_official_count("Kingston upon Thames") == 0
    assert queries.newer_than_official_count() == 3


def test_official_rule_files_name_known_metrics_measures_and_units() -> None:
    import tomllib

    with open(ROOT / "etl" / "kpi_catalogue.csv", newline="", encoding="utf-8") as f:
        catalogue = {r["metric"]: r["unit"] for r in csv.DictReader(f)}
    with open(official.MEASURES, newline="", encoding="utf-8") as f:
        measures = {r["measure"]: r for r in csv.DictReader(f)}
    with open(official.TOLERANCES, newline="", encoding="utf-8") as f:
        tolerances = {r["unit"]: r for r in csv.DictReader(f)}
    files = tomllib.loads(official.FILES.read_text(encoding="utf-8"))["files"]
    assert all(m["metric"] in catalogue for m in measures.values())
    assert len({m["metric"] for m in measures.values()}) == len(measures)  # one official series per metric
    assert {catalogue[m["metric"]] for m in measures.values()} <= set(tolerances)
    assert {t["rule"] for t in tolerances.values()} == {"points", "relative"}
    assert {m for spec in files.values() for m in spec["columns"].values()} == set(measures)
    assert all((REFERENCE / name).is_file() for name in files)

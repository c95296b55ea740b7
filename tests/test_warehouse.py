"""The warehouse: idempotent runs, one bad file never aborts, atomic publish a reader can survive."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import duckdb
import pytest

from etl import warehouse
from tests.conftest import BUNDLED
from tests.conftest import rows as _rows


def _figures_by_file(db: Path) -> dict[str, int]:
    return dict(_rows(db, "SELECT d.file_name, count(f.metric) FROM documents d "
                          "LEFT JOIN figures f ON f.document_id = d.id GROUP BY 1"))


BROMLEY = [  # (metric, value, low, high, as_of, kind) as the minutes state them
    ("permanent_staff_pct", 42.0, None, None, "2017", "actual"),
    ("permanent_staff_pct", 82.5, 80.0, 85.0, "2019-02", "actual"),
    ("permanent_staff_pct", 90.0, None, None, None, "target"),
    ("caseload_per_worker", 13.5, 12.0, 15.0, "2019-02", "actual"),
]


@pytest.mark.parametrize("expected", BROMLEY, ids=lambda e: f"{e[0]}={e[1]}")
def test_seed_run_loads_bromley_headline_figures(seeded_db: Path, expected: tuple) -> None:
    rows = _rows(seeded_db, "SELECT metric, value, low, high, as_of, kind FROM kpi WHERE council = 'Bromley'")
    assert expected in rows


def test_seed_run_loads_wiltshire_vacancy_rate_with_its_sentence(seeded_db: Path) -> None:
    rows = _rows(seeded_db, "SELECT k.value, k.unit, k.quote, k.start, k.end, d.text FROM kpi k JOIN documents d "
                            "ON d.id = k.document_id WHERE k.council = 'Wiltshire' AND k.metric = 'vacancy_rate_pct'")
    assert len(rows) == 1
    value, unit, quote, start, end, text = rows[0]
    assert (value, unit) == (5.0, "pct")
    assert "five percent vacancy rate" in quote
    assert text[start:end] == quote


def test_seed_run_records_documents_with_manifest_metadata(seeded_db: Path) -> None:
    rows = _rows(seeded_db, "SELECT file_name, council, committee, meeting_date FROM documents ORDER BY 1")
    assert len(rows) == 5
    assert ("bromley-2019-interim-director-childrens-social-care.txt", "Bromley",
            "Children, Education and Families Select Committee", "2019-02") in rows


def test_second_run_adds_nothing(minutes_dir: Path, db_file: Path) -> None:
    first = warehouse.run([minutes_dir], db_file, minutes_dir / "manifest.csv")
    before = _figures_by_file(db_file)
    second = warehouse.run([minutes_dir], db_file, minutes_dir / "manifest.csv")
    assert (first.loaded, second.loaded, second.unchanged, second.figures_added) == (5, 0, 5, 0)
    assert _figures_by_file(db_file) == before


def test_run_with_nothing_changed_leaves_the_published_file_untouched(minutes_dir: Path, db_file: Path) -> None:
    warehouse.run([minutes_dir], db_file, minutes_dir / "manifest.csv")
    published = db_file.stat()
    warehouse.run([minutes_dir], db_file, minutes_dir / "manifest.csv")
    assert (db_file.stat().st_ino, db_file.stat().st_mtime_ns) == (published.st_ino, published.st_mtime_ns)


def test_changed_file_replaces_only_its_own_figures(minutes_dir: Path, db_file: Path) -> None:
    warehouse.run([minutes_dir], db_file)
    before = _figures_by_file(db_file)
    bromley = minutes_dir / "bromley-2019-interim-director-childrens-social-care.txt"
    bromley.write_text("Agenda item\n\nMinutes:\n\nThe vacancy rate for social workers was 12%.\n", encoding="utf-8")
    summary = warehouse.run([minutes_dir], db_file)
    after = _figures_by_file(db_file)
    assert (summary.loaded, summary.unchanged) == (1, 4)
    assert {k: v for k, v in after.items() if k != bromley.name} == \
           {k: v for k, v in before.items() if k != bromley.name}
    assert _rows(db_file, "SELECT count(*) FROM documents WHERE file_name = ?", bromley.name) == [(1,)]
    assert _rows(db_file, "SELECT value FROM figures f JOIN documents d ON d.id = f.document_id "
                          "WHERE d.file_name = ? AND metric = 'vacancy_rate_pct'", bromley.name) == [(12.0,)]


def _truncated_pdf() -> bytes:
    from pypdf import PdfWriter

    buf = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.write(buf)
    return buf.getvalue()[:120]


BAD_FILES = {
    "empty.txt": (b"", "empty file"),
    "binary.txt": (b"\x00\x01\x02\xff" * 100, "binary"),
    "truncated.pdf": (_truncated_pdf(), "PDF"),
    "blank.html": (b"<html><body><script>var x=1;</script></body></html>", "no text"),
    "huge.txt": (b"The vacancy rate was 12%. " * 60_000, "too large"),
    "notes.docx": (b"PK\x03\x04 not minutes", "unsupported file type"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_recorded_and_earlier_data_kept(minutes_dir: Path, db_file: Path, tmp_path: Path,
                                                    name: str) -> None:
    warehouse.run([minutes_dir], db_file)
    before = _figures_by_file(db_file)
    raw, reason = BAD_FILES[name]
    bad = tmp_path / name
    bad.write_bytes(raw)
    summary = warehouse.run([minutes_dir, bad], db_file, max_bytes=1_000_000)
    assert summary.failed == 1
    assert summary.errors[0][0] == name and reason in summary.errors[0][1]
    errors = _rows(db_file, "SELECT file_name, reason FROM load_errors")
    assert len(errors) == 1 and errors[0][0] == name and reason in errors[0][1]
    assert _figures_by_file(db_file) == before


def test_load_error_clears_once_the_file_loads(minutes_dir: Path, db_file: Path) -> None:
    bad = minutes_dir / "later.txt"
    bad.write_bytes(b"")
    warehouse.run([minutes_dir], db_file)
    bad.write_text("The vacancy rate was 12%.", encoding="utf-8")
    warehouse.run([minutes_dir], db_file)
    assert _rows(db_file, "SELECT count(*) FROM load_errors") == [(0,)]


def test_reader_keeps_old_database_while_a_run_publishes(minutes_dir: Path, db_file: Path, tmp_path: Path) -> None:
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(BUNDLED / "wiltshire-2023-roadmap-to-excellence.txt", first)
    warehouse.run([first], db_file)
    reader = duckdb.connect(str(db_file), read_only=True)
    try:
        warehouse.run([minutes_dir], db_file)  # publishes while the reader is open
        assert reader.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    finally:
        reader.close()
    assert _rows(db_file, "SELECT count(*) FROM documents") == [(5,)]


def test_run_leaves_no_temporary_files(minutes_dir: Path, db_file: Path) -> None:
    warehouse.run([minutes_dir], db_file)
    leftovers = [p.name for p in db_file.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_period_day_of_financial_year_start_is_mid_year() -> None:
    assert str(warehouse.period_day("2017")) == "2017-07-01"


def test_figure_keys_are_unique_even_when_one_sentence_gives_several(seeded_db: Path) -> None:
    (total, distinct), = _rows(seeded_db, "SELECT count(*), count(DISTINCT figure_key) FROM figures")
    assert total == distinct > 20


def test_figure_key_ignores_the_value_so_a_reread_span_is_the_same_figure() -> None:
    from etl.model import Figure

    first = Figure("vacancy_rate_pct", 12.0, "pct", "was 12%", 10, 17)
    reread = Figure("vacancy_rate_pct", 21.0, "pct", "was 12%", 10, 17, as_of="2019")
    assert warehouse.figure_key("doc", first) == warehouse.figure_key("doc", reread)
    assert warehouse.figure_key("doc", first) != warehouse.figure_key("doc", first, ordinal=1)


def test_build_connection_caps_duckdbs_cache_so_memory_stays_flat(db_file: Path) -> None:
    query = "SELECT current_setting('memory_limit')"
    with warehouse.building(db_file) as con:
        limit = con.execute(query).fetchone()[0]
    default = duckdb.connect().execute(query).fetchone()[0]  # 80% of the machine's memory
    assert limit == duckdb.connect(config={"memory_limit": warehouse.BUILD_MEMORY}).execute(query).fetchone()[0]
    assert limit != default


def test_build_left_by_a_killed_run_is_cleared_spill_folder_included(minutes_dir: Path, db_file: Path) -> None:
    spill = db_file.parent / f".{db_file.name}.999999.building.tmp"
    spill.mkdir()
    (spill / "duckdb_temp_block-1.block").write_bytes(b"x")
    (db_file.parent / f".{db_file.name}.999999.building").write_bytes(b"half a database")
    warehouse.run([minutes_dir], db_file)
    assert [p.name for p in db_file.parent.iterdir() if p.name.startswith(".")] == []

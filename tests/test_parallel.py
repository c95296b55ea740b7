"""Parallel and distributed extraction give the same database as one worker; slow or dying files are contained."""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb
import pytest

from etl import warehouse
from etl.engines import dask_engine
from etl.parallel import extract_many, extract_one
from etl.parquet_export import export_parquet

DOCUMENT_COLUMNS = "id, source, file_name, url, title, council, committee, meeting_date, meeting_day, text"
FIGURE_COLUMNS = ('figure_key, document_id, role, metric, value, low, high, unit, as_of, kind, qualifier, scope, '
                  'quote, "start", "end", flags, confidence')


def _content(db: Path) -> tuple[list, list, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        docs = con.execute(f"SELECT {DOCUMENT_COLUMNS} FROM documents ORDER BY id").fetchall()
        figs = con.execute(f"SELECT {FIGURE_COLUMNS} FROM figures ORDER BY ALL").fetchall()
        errors = con.execute("SELECT count(*) FROM load_errors").fetchone()[0]
        return docs, figs, errors
    finally:
        con.close()


@pytest.fixture(scope="module")
def one_worker_db(synth_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("one") / "kpi.duckdb"
    warehouse.run([synth_corpus], db, synth_corpus / "manifest.csv", workers=1)
    return db


def test_two_workers_load_the_same_documents_and_figures_as_one(synth_corpus: Path, one_worker_db: Path,
                                                                  db_file: Path) -> None:
    summary = warehouse.run([synth_corpus], db_file, synth_corpus / "manifest.csv", workers=2)
    assert (summary.loaded, summary.failed) == (120, 0)
    assert _content(db_file) == _content(one_worker_db)


def test_dask_cluster_loads_the_same_documents_and_figures_as_one_worker(synth_corpus: Path, one_worker_db: Path,
                                                                         db_file: Path) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None, protocol="tcp",
                      host="127.0.0.1") as cluster:
        engine = dask_engine(cluster.scheduler_address)
        summary = warehouse.run([synth_corpus], db_file, synth_corpus / "manifest.csv", engine=engine)
    assert (summary.loaded, summary.failed) == (120, 0)
    assert _content(db_file) == _content(one_worker_db)


def test_parquet_export_is_read_back_by_duckdb_with_hive_partitions(one_worker_db: Path, tmp_path: Path) -> None:
    counts = export_parquet(one_worker_db, tmp_path / "pq")
    assert counts["documents"] == 120
    assert (tmp_path / "pq" / "documents" / "council=Barnet").is_dir()
    con = duckdb.connect()
    try:
        docs = con.execute("SELECT council, year, count(*) FROM read_parquet(?, hive_partitioning = true) "
                           "GROUP BY ALL ORDER BY ALL", [str(tmp_path / "pq" / "documents" / "**" / "*.parquet")]
                           ).fetchall()
    finally:
        con.close()
    assert sum(n for _, _, n in docs) == 120
    expected = duckdb.connect(str(one_worker_db), read_only=True)
    try:
        assert docs == expected.execute("SELECT council, year(meeting_day), count(*) "
                                        "FROM documents GROUP BY ALL ORDER BY ALL").fetchall()
    finally:
        expected.close()


def _slow_or_dying(path: Path, overrides: dict | None, max_bytes: int):
    """An extraction that hangs on files named slow*, kills its own process on die*, else works."""
    if path.name.startswith("slow"):
        time.sleep(60)
    if path.name.startswith("die"):
        os._exit(3)
    return extract_one(path, overrides, max_bytes)


def test_file_over_the_time_limit_is_reported_and_the_others_still_load(tmp_path: Path) -> None:
    for name in ("a.txt", "slow.txt", "b.txt", "die.txt", "c.txt"):
        (tmp_path / name).write_text("The vacancy rate was 12%.", encoding="utf-8")
    started = time.monotonic()
    tasks = [(p, None) for p in sorted(tmp_path.iterdir())]
    results = {p.name: r for p, r in extract_many(tasks, workers=2, max_bytes=1 << 20, file_timeout=2,
                                                   extract=_slow_or_dying)}
    assert time.monotonic() - started < 30
    assert results["slow.txt"] == "timed out after 2 s; skipped"
    assert "stopped (exit code 3)" in results["die.txt"]
    assert all(not isinstance(results[n], str) for n in ("a.txt", "b.txt", "c.txt"))

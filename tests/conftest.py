"""Shared fixtures: corpora paths, temporary databases, and case tables from tests/cases/*.csv."""

from __future__ import annotations

import csv
import shutil
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "corpora" / "seeds"
DEV = ROOT / "tests" / "corpora" / "dev"
BUNDLED = ROOT / "data" / "minutes"


def rows(db: Path, sql: str, *params) -> list[tuple]:
    """Rows of one query against a database file, read-only, connection closed after."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def open_page(page: str, db: Path, monkeypatch: pytest.MonkeyPatch, timeout: float = 30,
              **params: str | list[str]):
    """One page run headless (AppTest) on a database, with address parameters; fails on any exception shown.

    Pages other than the Overview run as their own script (links between pages need st.navigation).
    """
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("KPI_DB", str(db))
    script = ROOT / ("app.py" if page == "overview" else f"app_pages/{page}.py")
    at = AppTest.from_file(str(script), default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.fixture
def minutes_dir(tmp_path: Path) -> Path:
    """A writable copy of the bundled seed minutes with their manifest."""
    target = tmp_path / "minutes"
    shutil.copytree(BUNDLED, target)
    return target


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """Where a test's own database goes (not created yet)."""
    return tmp_path / "kpi.duckdb"


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built once from the bundled seed minutes; tests must not write to it."""
    from etl import warehouse

    db = tmp_path_factory.mktemp("seeded") / "kpi.duckdb"
    warehouse.run([BUNDLED], db, BUNDLED / "manifest.csv")
    return db


@pytest.fixture(scope="session")
def synth_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic corpus of 120 minutes files with manifest.csv and gold.json; tests must not write to it."""
    from etl.synth import write_corpus

    out = tmp_path_factory.mktemp("synth") / "minutes"
    write_corpus(out, 120, seed=7, pdf_share=0.05)
    return out


CASES = Path(__file__).parent / "cases"


def case_params(name: str, status_column: str | None = None) -> list:
    """One pytest.param per CSV row, id '<group>: <text>', strict xfail where status says so."""
    with open(CASES / name, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    params = []
    for row in rows:
        marks = []
        if status_column and row.get(status_column) == "xfail":
            marks.append(pytest.mark.xfail(strict=True, reason="known failure: needs context outside the clause"))
        params.append(pytest.param(row, id=f"{row['group']}: {row['text'][:70]}", marks=marks))
    return params


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to connect anywhere but 127.0.0.1."""
    real = socket.create_connection

    def guarded(address, *args, **kwargs):
        assert address[0] in ("127.0.0.1", "localhost"), f"tried to contact {address[0]}"
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)


@pytest.fixture
def site():
    """A fake modern.gov site on 127.0.0.1 (tests/fake_modgov.py) for one test."""
    from tests.fake_modgov import FakeModgov

    with FakeModgov() as fake:
        yield fake

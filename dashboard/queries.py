"""Every query the dashboard runs: bound parameters, read-only connections, cached per database version."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
_LOCK = threading.Lock()


def db_path() -> Path:
    """The database the app reads: $KPI_DB, else data/kpi.duckdb."""
    return Path(os.environ.get("KPI_DB") or ROOT / "data" / "kpi.duckdb")


def db_version() -> str | None:
    """Changes whenever the ETL publishes a new file (os.replace gives it a new inode and mtime)."""
    try:
        st_ = db_path().stat()
    except OSError:
        return None
    return f"{db_path()}:{st_.st_ino}:{st_.st_mtime_ns}:{st_.st_size}"


@st.cache_data(max_entries=256, show_spinner=False)
def _cached(sql: str, params: tuple, version: str) -> pd.DataFrame:
    # One connection at a time, closed at once: DuckDB hands a new connection the instance of an
    # earlier one still open on the same path, which would keep showing the replaced file.
    with _LOCK:
        con = duckdb.connect(version.rsplit(":", 3)[0], read_only=True)
        try:
            return con.execute(sql, list(params)).df()
        finally:
            con.close()


def _df(sql: str, *params) -> pd.DataFrame:
    version = db_version()
    if version is None:
        return pd.DataFrame()
    try:
        return _cached(sql, params, version)
    except duckdb.CatalogException:  # a file with no tables yet
        return pd.DataFrame()


def has_figures() -> bool:
    """True when the database exists and holds at least one figure."""
    df = _df("SELECT count(*) AS n FROM kpi")
    return not df.empty and int(df.n[0]) > 0


def metrics() -> pd.DataFrame:
    """Catalogue metrics that have at least one figure, with how many."""
    return _df("""
        SELECT metric, label, family, unit, count(*) AS figures
        FROM kpi GROUP BY ALL ORDER BY family, label
    """)


def councils(metric: str | None = None) -> pd.DataFrame:
    """Councils with figures (for one metric when given), with region and type."""
    return _df("""
        SELECT council, any_value(region) AS region, any_value(la_type) AS la_type, count(*) AS figures
        FROM kpi WHERE council IS NOT NULL AND (? IS NULL OR metric = ?)
        GROUP BY council ORDER BY council
    """, metric, metric)


def trend(metric: str, councils: list[str]) -> pd.DataFrame:
    """Every figure of one metric for the chosen councils, oldest first, with its quote and meeting."""
    return _df("""
        SELECT figure_key, council, metric, label, unit, value, low, high, as_of, period_day, kind,
               qualifier, scope, quote, meeting_date, committee, title, file_name, url, flags, confidence
        FROM kpi
        WHERE metric = ? AND list_contains(?, council)
        ORDER BY period_day NULLS LAST, council
    """, metric, councils)

"""Reviewers' decisions laid over the published warehouse, on one read-only connection (no Streamlit here)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import duckdb
import pandas as pd

from etl import reviews as review_store

REVIEWED_SQL = Path(__file__).with_name("reviewed.sql")
ROLLUPS_SQL = Path(__file__).resolve().parent.parent / "etl" / "rollups.sql"
_ROLLUPS = ("kpi_counts", "document_figures", "kpi_latest", "kpi_evidence", "kpi_trend")
REVIEWED_STATES = ("accepted", "corrected", "added")


def apply_reviews(con: duckdb.DuckDBPyConnection, decisions: pd.DataFrame, only_reviewed: bool = False) -> None:
    """Shadow the published kpi view, on this connection only, with one that applies reviewers' decisions.

    With no decision to apply the published summaries (etl/rollups.sql) are read as they are; otherwise
    they are shadowed by views of the same shape over the reviewed figures.
    """
    con.register("review_decisions", decisions)
    con.execute(f"SET VARIABLE reviewed_only = {'true' if only_reviewed else 'false'}")
    # A file published before kpi_extracted existed is shown as extracted.
    with contextlib.suppress(duckdb.CatalogException):
        con.execute(REVIEWED_SQL.read_text(encoding="utf-8"))
    if decisions.empty and not only_reviewed:
        for name in _ROLLUPS:
            con.execute(f"DROP VIEW IF EXISTS temp.main.{name}")
    else:
        con.execute(ROLLUPS_SQL.read_text(encoding="utf-8").replace("CREATE OR REPLACE TABLE",
                                                                     "CREATE OR REPLACE TEMP VIEW"))


def apply_stored_reviews(con: duckdb.DuckDBPyConnection, db: Path) -> None:
    """Apply the decisions recorded beside this database file (see etl.reviews.reviews_path)."""
    apply_reviews(con, review_store.decisions_frame(review_store.reviews_path(db)))

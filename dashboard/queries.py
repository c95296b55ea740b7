"""Every query the dashboard runs: bound parameters, read-only connections, cached per database version."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from etl import reviews as review_store

ROOT = Path(__file__).resolve().parent.parent
_LOCK = threading.Lock()
REVIEWED_SQL = Path(__file__).with_name("reviewed.sql")
REVIEWED_STATES = ("accepted", "corrected", "added")


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


def reviews_path() -> Path:
    """The reviewers' decisions file: $KPI_REVIEWS, else reviews.sqlite beside the database."""
    return review_store.reviews_path(db_path())


def reviewed_only() -> bool:
    """True when the sidebar toggle limits every page to figures a reviewer has accepted, corrected or added."""
    return bool(st.session_state.get("reviewed_only", False))


@st.cache_data(max_entries=8, show_spinner=False)
def _decisions(reviews_version: str) -> pd.DataFrame:
    return review_store.decisions_frame(Path(reviews_version.rsplit(":", 2)[0]))


def apply_reviews(con: duckdb.DuckDBPyConnection, decisions: pd.DataFrame, only_reviewed: bool = False) -> None:
    """Shadow the published kpi view, on this connection only, with one that applies reviewers' decisions."""
    con.register("review_decisions", decisions)
    con.execute(f"SET VARIABLE reviewed_only = {'true' if only_reviewed else 'false'}")
    # A file published before kpi_extracted existed is shown as extracted.
    with contextlib.suppress(duckdb.CatalogException):
        con.execute(REVIEWED_SQL.read_text(encoding="utf-8"))


@st.cache_data(max_entries=256, show_spinner=False)
def _cached(sql: str, params: tuple, version: str, reviews: str, only_reviewed: bool) -> pd.DataFrame:
    # One connection at a time, closed at once: DuckDB hands a new connection the instance of an
    # earlier one still open on the same path, which would keep showing the replaced file.
    decisions = _decisions(reviews)
    with _LOCK:
        con = duckdb.connect(version.rsplit(":", 3)[0], read_only=True)
        try:
            apply_reviews(con, decisions, only_reviewed)
            return con.execute(sql, list(params)).df()
        finally:
            con.close()


def _df(sql: str, *params) -> pd.DataFrame:
    version = db_version()
    if version is None:
        return pd.DataFrame()
    try:
        return _cached(sql, params, version, review_store.version(reviews_path()), reviewed_only())
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


# Official statistics (DfE) beside what the minutes say; tables from `python -m etl official`.

def official_metrics() -> pd.DataFrame:
    """Catalogue metrics with an official series: label, unit, definition and latest census day."""
    return _df("""
        SELECT m.metric, m.label, m.unit, om.label AS official_label, om.definition, l.latest_year, l.latest_period
        FROM official_measures AS om JOIN metrics AS m USING (metric) JOIN official_latest AS l USING (metric)
        ORDER BY m.family, m.label
    """)


def england_series(metric: str) -> pd.DataFrame:
    """England's official values of one metric, oldest first, with source and definition."""
    return _df("""
        SELECT o.area, o.year, o.period, o.value, o.unit, o.source, o.source_url, o.note, om.definition
        FROM official AS o JOIN official_measures AS om USING (measure)
        WHERE o.level = 'national' AND o.metric = ?
        ORDER BY o.period
    """, metric)


def official_series(metric: str, councils: list[str]) -> pd.DataFrame:
    """The chosen councils' own official values of one metric; `combined` names a two-council DfE row."""
    return _df("""
        SELECT o.area, o.year, o.period, o.value, o.unit, o.source, o.source_url, o.combined, o.note, om.definition
        FROM official AS o JOIN official_measures AS om USING (measure)
        WHERE o.level = 'council' AND o.metric = ? AND list_contains(?, o.area)
        ORDER BY o.area, o.period
    """, metric, councils)


def official_ranking(metric: str, year: int | None = None) -> pd.DataFrame:
    """Every council's official value for one metric and census year (default the latest), highest first.

    `minutes_newer` marks councils whose minutes give a figure newer than the latest official release;
    the newest such figure is in `minutes_value`, `minutes_as_of` and `minutes_quote`.
    """
    return _df("""
        WITH y AS (SELECT coalesce(?::INTEGER, latest_year) AS year FROM official_latest WHERE metric = ?),
        newer AS (
            SELECT council, arg_max(value, said_of) AS minutes_value, max(said_of) AS minutes_as_of,
                   arg_max(quote, said_of) AS minutes_quote, arg_max(file_name, said_of) AS minutes_file
            FROM figure_checks WHERE metric = ? AND newer_than_official GROUP BY council
        )
        SELECT o.area AS council, c.region, o.value, o.unit, o.year, o.period, o.combined, o.source, o.source_url,
               n.council IS NOT NULL AS minutes_newer, n.minutes_value, n.minutes_as_of, n.minutes_quote,
               n.minutes_file
        FROM official AS o JOIN y USING (year)
        LEFT JOIN councils AS c ON c.name = o.area
        LEFT JOIN newer AS n ON n.council = o.area
        WHERE o.level = 'council' AND o.metric = ?
        ORDER BY o.value DESC, o.area
    """, year, metric, metric, metric)


def figure_checks(councils: list[str] | None = None, metric: str | None = None) -> pd.DataFrame:
    """Minutes figures of metrics with an official series, each beside its official counterpart and flags."""
    return _df("""
        SELECT * FROM figure_checks
        WHERE (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], council)) AND (? IS NULL OR metric = ?)
        ORDER BY council, label, said_of NULLS LAST
    """, councils, councils, metric, metric)


def newer_than_official_count(council: str | None = None) -> int:
    """How many minutes figures describe a time after the latest official release of their metric."""
    df = _df("SELECT count(*) AS n FROM figure_checks WHERE newer_than_official AND (? IS NULL OR council = ?)",
             council, council)
    return 0 if df.empty else int(df.n[0])


# Review: the queue of figures no reviewer has decided on (dashboard/reviewed.sql applies decisions).

def review_queue(limit: int = 500) -> pd.DataFrame:
    """Figures awaiting review, least sure first: changed since review, then lowest confidence, most flags."""
    return _df("""
        SELECT figure_key, document_id, source, file_name, council, committee, meeting_date, metric, label, unit,
               value, low, high, as_of, kind, qualifier, scope, quote, "start", "end", flags, confidence,
               review_state, review_id, review_key, review_action, reviewer, reviewed_at, review_reason
        FROM kpi_reviewed
        WHERE review_state IN ('unreviewed', 'changed_since_review')
        ORDER BY review_state = 'changed_since_review' DESC, confidence NULLS FIRST, len(flags) DESC,
                 council, meeting_date, "start", figure_key
        LIMIT ?
    """, limit)


def review_counts() -> dict[str, int]:
    """How many figures are in each review state (rejected ones included)."""
    df = _df("""
        SELECT review_state, count(*) AS n FROM kpi_reviewed GROUP BY ALL
        UNION ALL
        SELECT 'rejected', count(*) FROM kpi_extracted AS k JOIN review_anchor AS a
            ON a.doc_now = k.document_id AND a.start_now = k."start" AND a.metric = k.metric
        WHERE a.action = 'reject' AND k.value IS NOT DISTINCT FROM a.old_value
    """)
    return {} if df.empty else dict(zip(df.review_state, df.n.astype(int), strict=True))


def review_document(doc_id: str) -> pd.DataFrame:
    """One document's text (every figure's offsets refer to it) and meeting details."""
    return _df("SELECT id, source, file_name, council, committee, meeting_date, text FROM documents WHERE id = ?",
               doc_id)


def review_documents() -> pd.DataFrame:
    """Every loaded document, newest meeting first, for choosing where to add a missed figure."""
    return _df("""
        SELECT id, file_name, council, committee, meeting_date FROM documents
        ORDER BY meeting_day DESC NULLS LAST, file_name
    """)


def catalogue() -> pd.DataFrame:
    """Every catalogue metric with its label and unit, for correcting or adding a figure."""
    return _df("SELECT metric, label, unit, family FROM metrics ORDER BY family, label")

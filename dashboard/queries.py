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


def trend_in(metric: str, councils: list[str], first_year: int, last_year: int) -> pd.DataFrame:
    """Figures of one metric for the chosen councils within a span of years; undated targets always kept."""
    return _df("""
        SELECT figure_key, council, metric, label, unit, value, low, high, as_of, period_day, kind,
               qualifier, scope, quote, meeting_date, committee, title, file_name, url, flags, confidence
        FROM kpi
        WHERE metric = ? AND list_contains(?::VARCHAR[], council)
          AND (period_day IS NULL OR year(period_day) BETWEEN ? AND ?)
        ORDER BY period_day NULLS LAST, council
    """, metric, councils, first_year, last_year)


def council_overview(council: str) -> pd.DataFrame:
    """Per metric for one council: the latest figure, the one before it and the newest target, with quotes."""
    return _df("""
        WITH mine AS (SELECT * FROM kpi WHERE council = ?),
        latest AS (
            SELECT * FROM mine WHERE kind = 'actual'
            QUALIFY row_number() OVER (PARTITION BY metric ORDER BY period_day DESC NULLS LAST,
                                       meeting_day DESC NULLS LAST, confidence DESC, figure_key) = 1
        ),
        previous AS (
            SELECT m.metric, m.value, m.low, m.high, m.as_of, m.period_day
            FROM mine AS m JOIN latest AS l ON l.metric = m.metric
            WHERE m.kind = 'actual' AND m.period_day < l.period_day
            QUALIFY row_number() OVER (PARTITION BY m.metric ORDER BY m.period_day DESC,
                                       m.meeting_day DESC NULLS LAST, m.figure_key) = 1
        ),
        target AS (
            SELECT metric, value, low, high, as_of, quote FROM mine WHERE kind = 'target'
            QUALIFY row_number() OVER (PARTITION BY metric ORDER BY meeting_day DESC NULLS LAST,
                                       period_day DESC NULLS LAST, figure_key) = 1
        )
        SELECT l.figure_key, l.metric, l.label, l.family, l.unit, l.value, l.low, l.high, l.as_of,
               l.period_day, l.qualifier, l.quote, l.meeting_date, l.committee,
               p.value AS prev_value, p.low AS prev_low, p.high AS prev_high, p.as_of AS prev_as_of,
               t.value AS target_value, t.low AS target_low, t.high AS target_high, t.as_of AS target_as_of,
               t.quote AS target_quote,
               (SELECT max(meeting_day) FROM documents WHERE council = ?) AS newest_minutes
        FROM latest AS l
        LEFT JOIN previous AS p USING (metric)
        LEFT JOIN target AS t USING (metric)
        ORDER BY l.family, l.label
    """, council, council)


def gazetteer() -> pd.DataFrame:
    """Councils that have figures, with their region and type from the gazetteer."""
    return _df("""
        SELECT n.council, coalesce(c.region, 'Unknown region') AS region,
               coalesce(c.la_type, 'unknown') AS la_type, n.figures
        FROM (SELECT council, count(*) AS figures FROM kpi WHERE council IS NOT NULL GROUP BY council) AS n
        LEFT JOIN councils AS c ON c.name = n.council
        ORDER BY n.council
    """)


def latest_values(councils: list[str]) -> pd.DataFrame:
    """The latest figure of every metric for each chosen council, with its date and source."""
    return _df("""
        SELECT council, metric, label, family, unit, value, low, high, qualifier, as_of, period_day,
               quote, meeting_date, committee, file_name, figure_key
        FROM kpi
        WHERE kind = 'actual' AND list_contains(?::VARCHAR[], council)
        QUALIFY row_number() OVER (PARTITION BY council, metric ORDER BY period_day DESC NULLS LAST,
                                   meeting_day DESC NULLS LAST, confidence DESC, figure_key) = 1
        ORDER BY family, label, council
    """, councils)


_EVIDENCE_WHERE = """
    (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], council))
    AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], metric))
    AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], family))
    AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], kind))
    AND (? OR year(period_day) BETWEEN ? AND ?)
"""


def _evidence_params(councils: list[str], metrics: list[str], families: list[str], kinds: list[str],
                     years: tuple[int, int] | None) -> tuple:
    first, last = years or (0, 0)
    return (councils, councils, metrics, metrics, families, families, kinds, kinds, years is None, first, last)


def evidence(councils: list[str], metrics: list[str], families: list[str], kinds: list[str],
             years: tuple[int, int] | None, limit: int = 1000) -> pd.DataFrame:
    """Figures matching the filters (empty list = any), newest first, at most limit rows."""
    return _df(f"""
        SELECT figure_key, document_id, council, metric, label, family, unit, value, low, high, qualifier,
               kind, as_of, period_day, quote, "start", "end", meeting_date, committee, title, file_name, url,
               confidence
        FROM kpi WHERE {_EVIDENCE_WHERE}
        ORDER BY period_day DESC NULLS LAST, council, label, figure_key
        LIMIT ?
    """, *_evidence_params(councils, metrics, families, kinds, years), limit)


def evidence_count(councils: list[str], metrics: list[str], families: list[str], kinds: list[str],
                   years: tuple[int, int] | None) -> int:
    """How many figures match the evidence filters."""
    df = _df(f"SELECT count(*) AS n FROM kpi WHERE {_EVIDENCE_WHERE}",
             *_evidence_params(councils, metrics, families, kinds, years))
    return 0 if df.empty else int(df.n[0])


def figure(key: str) -> pd.DataFrame:
    """One figure by its key, with its document's details (empty when unknown)."""
    return _df("""
        SELECT figure_key, document_id, council, metric, label, family, unit, value, low, high, qualifier,
               kind, as_of, period_day, quote, "start", "end", meeting_date, committee, title, file_name, url
        FROM kpi WHERE figure_key = ?
    """, key)


def document(doc_id: str) -> pd.DataFrame:
    """One document's normalised text and meeting details (empty when unknown)."""
    return _df("""
        SELECT id, council, committee, meeting_date, title, file_name, url, text
        FROM documents WHERE id = ?
    """, doc_id)


def year_span() -> tuple[int, int] | None:
    """The first and last year any figure describes, or None when there are none."""
    df = _df("SELECT min(year(period_day)) AS first, max(year(period_day)) AS last FROM kpi")
    if df.empty or pd.isna(df["first"][0]):
        return None
    return int(df["first"][0]), int(df["last"][0])


def documents() -> pd.DataFrame:
    """Every loaded document with its meeting details and how many of its own figures were found."""
    return _df("""
        SELECT d.id, d.council, d.committee, d.meeting_date, d.meeting_day, d.title, d.file_name, d.loaded_at,
               count(f.figure_key) AS figures
        FROM documents AS d LEFT JOIN figures AS f ON f.document_id = d.id AND f.role = 'council'
        GROUP BY ALL ORDER BY d.meeting_day DESC NULLS LAST, d.file_name
    """)


def load_errors() -> pd.DataFrame:
    """Files that could not be loaded, with the reason, newest first."""
    return _df("SELECT file_name, reason, failed_at, source FROM load_errors ORDER BY failed_at DESC, file_name")


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

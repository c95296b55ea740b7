"""Every query the dashboard runs: bound parameters, read-only connections, cached per database version."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from dashboard.review_overlay import apply_reviews
from etl import reviews as review_store

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


def reviews_path() -> Path:
    """The reviewers' decisions file: $KPI_REVIEWS, else reviews.sqlite beside the database."""
    return review_store.reviews_path(db_path())


def reviewed_only() -> bool:
    """True when the sidebar toggle limits every page to figures a reviewer has accepted, corrected or added."""
    return bool(st.session_state.get("reviewed_only", False))


@st.cache_data(max_entries=8, show_spinner=False)
def _decisions(reviews_version: str) -> pd.DataFrame:
    return review_store.decisions_frame(Path(reviews_version.rsplit(":", 2)[0]))


_OPEN: dict[str, duckdb.DuckDBPyConnection] = {}  # at most one: the connection to the current version
_APPLIED: dict[str, tuple[str, bool]] = {}  # the review state each open connection shows


def _connection(version: str, reviews: str, only_reviewed: bool) -> duckdb.DuckDBPyConnection:
    """The read-only connection to this version of the file, opened once (opening costs 20–60 ms).

    When the ETL publishes a new file the version changes: the old connection is closed first, because
    DuckDB hands a new connection the instance of any earlier one still open on the same path, which
    would keep showing the replaced file. Reviewers' decisions are laid over it again whenever they change.
    Call with _LOCK held.
    """
    con = _OPEN.get(version)
    if con is None:
        close()
        con = _OPEN[version] = duckdb.connect(version.rsplit(":", 3)[0], read_only=True)
    if _APPLIED.get(version) != (reviews, only_reviewed):
        apply_reviews(con, _decisions(reviews), only_reviewed)
        _APPLIED[version] = (reviews, only_reviewed)
    return con


def close() -> None:
    """Close the app's open connection (the next query opens the current file again)."""
    _APPLIED.clear()
    while _OPEN:
        _OPEN.popitem()[1].close()


@st.cache_data(max_entries=256, show_spinner=False)
def _cached(sql: str, params: tuple, version: str, reviews: str, only_reviewed: bool) -> pd.DataFrame:
    with _LOCK:
        try:
            return _connection(version, reviews, only_reviewed).execute(sql, list(params)).df()
        except duckdb.Error:
            close()
            raise


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
    df = _df("SELECT EXISTS (SELECT 1 FROM kpi) AS any")
    return not df.empty and bool(df["any"][0])


def metrics(all_figures: bool = False) -> pd.DataFrame:
    """Catalogue metrics with at least one figure from a known council (or from any document), with how many."""
    return _df("""
        SELECT metric, m.label, m.family, m.unit, sum(c.figures)::BIGINT AS figures
        FROM kpi_counts AS c JOIN metrics AS m USING (metric)
        WHERE ? OR c.council IS NOT NULL
        GROUP BY ALL ORDER BY m.family, m.label
    """, all_figures)


def councils(metric: str | None = None) -> pd.DataFrame:
    """Councils with figures (for one metric when given), with region and type."""
    return _df("""
        SELECT council, any_value(g.region) AS region, any_value(g.la_type) AS la_type,
               sum(c.figures)::BIGINT AS figures
        FROM kpi_counts AS c LEFT JOIN councils AS g ON g.name = c.council
        WHERE council IS NOT NULL AND (? IS NULL OR metric = ?)
        GROUP BY council ORDER BY council
    """, metric, metric)


def trend_in(metric: str, councils: list[str], first_year: int, last_year: int) -> pd.DataFrame:
    """Figures of one metric for the chosen councils within a span of years; undated targets always kept."""
    return _df("""
        SELECT figure_key, council, metric, label, unit, value, low, high, as_of, period_day, kind,
               qualifier, scope, quote, meeting_date, committee, title, file_name, url, flags, confidence,
               review_state
        FROM kpi_trend
        WHERE metric = ? AND list_contains(?::VARCHAR[], council) AND (year IS NULL OR year BETWEEN ? AND ?)
        ORDER BY period_day NULLS LAST, council
    """, metric, councils, first_year, last_year)


def council_overview(council: str) -> pd.DataFrame:
    """Per metric for one council: the latest figure, the one before it and the newest target, with quotes."""
    return _df("SELECT * FROM kpi_latest WHERE council = ? ORDER BY family, label", council)


def gazetteer() -> pd.DataFrame:
    """Councils that have figures, with their region and type from the gazetteer."""
    return _df("""
        SELECT n.council, coalesce(c.region, 'Unknown region') AS region,
               coalesce(c.la_type, 'unknown') AS la_type, n.figures
        FROM (SELECT council, sum(figures)::BIGINT AS figures FROM kpi_counts WHERE council IS NOT NULL
              GROUP BY council) AS n
        LEFT JOIN councils AS c ON c.name = n.council
        ORDER BY n.council
    """)


def latest_values(councils: list[str]) -> pd.DataFrame:
    """The latest figure of every metric for each chosen council, with its date and source."""
    return _df("""
        SELECT council, metric, label, family, unit, value, low, high, qualifier, as_of, period_day,
               quote, meeting_date, committee, file_name, figure_key
        FROM kpi_latest WHERE list_contains(?::VARCHAR[], council)
        ORDER BY family, label, council
    """, councils)


_EVIDENCE_WHERE = """
    (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], council))
    AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], metric))
    AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], family))
    AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], kind))
    AND (? OR year BETWEEN ? AND ?)
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
               confidence, review_state
        FROM kpi_evidence WHERE {_EVIDENCE_WHERE}
        ORDER BY rank
        LIMIT ?
    """, *_evidence_params(councils, metrics, families, kinds, years), limit)


def evidence_count(councils: list[str], metrics: list[str], families: list[str], kinds: list[str],
                   years: tuple[int, int] | None) -> int:
    """How many figures match the evidence filters."""
    df = _df(f"SELECT count(*) AS n FROM kpi_evidence WHERE {_EVIDENCE_WHERE}",
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


def year_span(all_figures: bool = False) -> tuple[int, int] | None:
    """The first and last year a known council's (or any) figure describes, or None when there are none."""
    df = _df("SELECT min(year(first_day)) AS first, max(year(last_day)) AS last FROM kpi_counts "
             "WHERE ? OR council IS NOT NULL", all_figures)
    if df.empty or pd.isna(df["first"][0]):
        return None
    return int(df["first"][0]), int(df["last"][0])


DOCUMENTS_SHOWN = 1000  # the Sources page lists at most this many documents at once


def documents(council: str | None = None, limit: int = DOCUMENTS_SHOWN) -> pd.DataFrame:
    """Loaded documents (all councils, or one), newest meeting first, with how many of their own figures were found."""
    return _df("""
        SELECT d.id, d.council, d.committee, d.meeting_date, d.meeting_day, d.title, d.file_name, d.loaded_at,
               coalesce(n.figures, 0)::BIGINT AS figures
        FROM documents AS d LEFT JOIN document_figures AS n ON n.document_id = d.id
        WHERE ?::VARCHAR IS NULL OR d.council = ?
        ORDER BY d.meeting_day DESC NULLS LAST, d.file_name
        LIMIT ?
    """, council, council, limit)


def document_totals() -> pd.DataFrame:
    """One row: documents loaded, the figures they gave, how many gave none, and the councils they name."""
    return _df("""
        SELECT count(*)::BIGINT AS documents, coalesce(sum(n.figures), 0)::BIGINT AS figures,
               count(*) FILTER (WHERE coalesce(n.figures, 0) = 0)::BIGINT AS without_figures,
               list_sort(list_distinct(list(d.council))) AS councils
        FROM documents AS d LEFT JOIN document_figures AS n ON n.document_id = d.id
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


def figure_checks_for(keys: list[str]) -> pd.DataFrame:
    """The official check of each of these figures that has an official series (others are absent)."""
    return _df("SELECT * FROM figure_checks WHERE list_contains(?, figure_key)", keys)


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

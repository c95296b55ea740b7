"""Every query the scrutiny briefing runs: a read-only connection per call, closed at once, no Streamlit.

Tables that other parts of the ETL add later (official statistics, reviews) are optional: when one is
missing the query returns None and the briefing says so instead of failing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.review_overlay import REVIEWED_STATES, apply_stored_reviews


def _connect(db: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection with reviewers' decisions applied, as the dashboard shows the figures."""
    if not Path(db).exists():
        raise FileNotFoundError(f"{db}: no database; build it with `python -m etl run`")
    con = duckdb.connect(str(db), read_only=True)
    apply_stored_reviews(con, Path(db))
    return con


def _has(con: duckdb.DuckDBPyConnection, name: str, column: str | None = None) -> bool:
    """True when a table or view (and, when given, its column) exists."""
    sql = "SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND (? IS NULL OR column_name = ?)"
    return con.execute(sql, [name, column, column]).fetchone()[0] > 0


def councils(db: Path) -> list[str]:
    """Councils with at least one set of minutes loaded."""
    con = _connect(db)
    try:
        if not _has(con, "documents"):
            return []
        return [r[0] for r in con.execute(
            "SELECT DISTINCT council FROM documents WHERE council IS NOT NULL ORDER BY council").fetchall()]
    finally:
        con.close()


def figures(db: Path, councils: list[str], as_of: date) -> pd.DataFrame:
    """Council-wide figures (no scope) said at meetings up to as_of, with meeting, quote and review state."""
    con = _connect(db)
    try:
        reviewed = _review_sql(con)
        return con.execute(f"""
            SELECT k.figure_key, k.council, k.committee, k.title, k.meeting_date, k.meeting_day, k.file_name,
                   k.metric, k.label, k.family, k.unit, k.value, k.low, k.high, k.as_of, k.period_day, k.kind,
                   k.qualifier, k.quote, {reviewed} AS reviewed
            FROM kpi AS k
            WHERE list_contains(?, k.council) AND k.scope IS NULL AND (k.meeting_day IS NULL OR k.meeting_day <= ?)
            ORDER BY k.council, k.metric, k.meeting_day NULLS FIRST, k.period_day NULLS FIRST, k."start"
        """, [councils, as_of]).df()
    finally:
        con.close()


def _review_sql(con: duckdb.DuckDBPyConnection) -> str:
    """The SQL expression for 'a person has reviewed this figure', FALSE when reviews are not recorded."""
    if _has(con, "kpi", "review_state"):
        states = ", ".join(f"'{s}'" for s in REVIEWED_STATES)
        return f"coalesce(k.review_state IN ({states}), FALSE)"
    return "FALSE"


def meetings(db: Path, council: str, as_of: date) -> pd.DataFrame:
    """The council's meetings in the database up to as_of, oldest first, whether or not they gave figures."""
    con = _connect(db)
    try:
        return con.execute("""
            SELECT DISTINCT meeting_date, meeting_day, committee
            FROM documents WHERE council = ? AND meeting_day IS NOT NULL AND meeting_day <= ?
            ORDER BY meeting_day
        """, [council, as_of]).df()
    finally:
        con.close()


def official(db: Path, councils: list[str], as_of: date) -> pd.DataFrame | None:
    """Official statistics for England and the chosen councils up to as_of; None when none are loaded."""
    con = _connect(db)
    try:
        if not _has(con, "official"):
            return None
        df = con.execute("""
            SELECT o.area, o.level, o.metric, o.year, o.period, o.value, o.unit, o.source, o.source_url,
                   o.source_file, o.source_line, coalesce(om.label, o.measure) AS measure_label
            FROM official AS o LEFT JOIN official_measures AS om ON om.measure = o.measure
            WHERE (o.level = 'national' OR list_contains(?, o.area)) AND o.period <= ?
            ORDER BY o.metric, o.area, o.period
        """, [councils, as_of]).df()
        return df if not df.empty else None
    finally:
        con.close()


def checks(db: Path, council: str, as_of: date) -> pd.DataFrame | None:
    """The council's figures that disagree with official statistics; None when no checks are available."""
    con = _connect(db)
    try:
        if not _has(con, "figure_checks") or not _has(con, "official"):
            return None
        if con.execute("SELECT count(*) FROM official").fetchone()[0] == 0:
            return None
        return con.execute("""
            SELECT c.figure_key, c.metric, c.council AS area, o.value, o.unit, o.period, o.source, o.source_url,
                   o.source_file, o.source_line, coalesce(om.label, o.measure) AS measure_label, c.difference,
                   c.tolerance, c.tolerance_rule
            FROM figure_checks AS c
            JOIN documents AS d ON d.id = c.document_id
            JOIN official AS o ON o.level = 'council' AND o.area = c.council AND o.metric = c.metric
                               AND o.period = c.official_period
            LEFT JOIN official_measures AS om ON om.measure = o.measure
            WHERE c.council = ? AND c.discrepancy AND (d.meeting_day IS NULL OR d.meeting_day <= ?)
            ORDER BY c.metric, c.said_of
        """, [council, as_of]).df()
    finally:
        con.close()

"""Reviewers' decisions on figures: accept, correct, reject, add; append-only rows in their own SQLite file.

The ETL republishes the DuckDB file; decisions live apart (data/reviews.sqlite) so a publish never loses one.
Every write is one `BEGIN IMMEDIATE` transaction that checks the decision it replaces is still the latest,
so two reviewers deciding on one figure at once end with one decision recorded and the other told.
"""

from __future__ import annotations

import csv
import math
import os
import re
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl.warehouse import CATALOGUE, figure_key, period_day

SCHEMA = Path(__file__).with_name("reviews.sql")
ACTIONS = ("accept", "correct", "reject", "add")
KINDS = ("actual", "target")
QUALIFIERS = ("approx", "at_least", "at_most")
FIELDS = ("value", "low", "high", "as_of", "kind", "qualifier", "scope")
COLUMNS = ["id", "figure_key", "supersedes", "action", "document_id", "source", "start", "end", "quote", "metric",
           *(f"old_{f}" for f in FIELDS), "new_metric", *(f"new_{f}" for f in FIELDS),
           "reviewer", "decided_at", "reason"]
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class ReviewError(ValueError):
    """A decision that cannot be recorded as given; the message says why (and which rows, for an import)."""


class ReviewConflict(ReviewError):
    """Someone else decided on the figure after it was shown; nothing was recorded."""


def reviews_path(db_path: Path) -> Path:
    """The decisions file: $KPI_REVIEWS, else reviews.sqlite beside the warehouse."""
    return Path(os.environ.get("KPI_REVIEWS") or Path(db_path).with_name("reviews.sqlite"))


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        con.execute("PRAGMA busy_timeout = 10000")
        _use_wal(con)
        con.executescript(SCHEMA.read_text(encoding="utf-8"))
        yield con
    finally:
        con.close()


def _use_wal(con: sqlite3.Connection, tries: int = 50) -> None:
    """Switch the file to write-ahead logging; the switch needs the file to itself, so wait while others
    hold it (SQLite reports 'locked' at once here rather than waiting for the busy timeout)."""
    for _ in range(tries):
        try:
            if con.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return
            con.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError:
            time.sleep(0.05)
    con.execute("PRAGMA journal_mode = WAL")


@contextmanager
def _transaction(path: Path) -> Iterator[sqlite3.Connection]:
    with _connect(path) as con:
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def catalogue() -> dict[str, str]:
    """Catalogue metric id → unit."""
    with open(CATALOGUE, newline="", encoding="utf-8") as f:
        return {row["metric"]: row["unit"] for row in csv.DictReader(f)}


def _clean(v: object) -> object:
    """None for blanks and NaN, plain Python numbers for numpy ones."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        return v
    return v.item() if hasattr(v, "item") else v


def check_values(values: Mapping[str, object], metrics: dict[str, str] | None = None) -> tuple[dict, list[str]]:
    """A figure's metric, value, range, as_of, kind, qualifier and scope, cleaned, with what is wrong with them.

    >>> check_values({"metric": "agency_staff_pct", "value": "18", "kind": "actual"})[1]
    []
    >>> check_values({"metric": "nope", "value": "x", "low": "5", "high": "3", "kind": "plan", "as_of": "May"})[1]
    ["metric 'nope' is not in the catalogue", "value 'x' is not a number", 'low 5 is above high 3', "kind 'plan' is not actual or target", "as_of 'May' is not YYYY, YYYY-MM or YYYY-MM-DD"]
    """  # noqa: E501
    metrics = metrics if metrics is not None else catalogue()
    out: dict[str, object] = {"metric": _clean(values.get("metric"))}
    problems = []
    if out["metric"] not in metrics:
        problems.append(f"metric {out['metric']!r} is not in the catalogue")
    for name in ("value", "low", "high"):
        raw = _clean(values.get(name))
        try:
            out[name] = None if raw is None else float(str(raw).replace(",", ""))
            if out[name] is not None and not math.isfinite(out[name]):
                raise ValueError
        except ValueError:
            out[name] = None
            problems.append(f"{name} {raw!r} is not a number")
        else:
            if name == "value" and raw is None:
                problems.append("value is missing")
    low, high = out["low"], out["high"]
    if (low is None) != (high is None) and not any(p.startswith(("low", "high")) for p in problems):
        problems.append("a range needs both low and high")
    elif low is not None and high is not None and low > high:
        problems.append(f"low {low:g} is above high {high:g}")
    for name in ("as_of", "kind", "qualifier", "scope"):
        v = _clean(values.get(name))
        out[name] = None if v is None else str(v).strip()
    out["kind"] = out["kind"] or "actual"
    if out["kind"] not in KINDS:
        problems.append(f"kind {out['kind']!r} is not actual or target")
    if out["qualifier"] is not None and out["qualifier"] not in QUALIFIERS:
        problems.append(f"qualifier {out['qualifier']!r} is not one of {', '.join(QUALIFIERS)} (or blank)")
    if out["as_of"] is not None and not (_ISO.match(out["as_of"]) and period_day(out["as_of"])):
        problems.append(f"as_of {out['as_of']!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return out, problems


def _latest(con: sqlite3.Connection, key: str) -> tuple | None:
    return con.execute("SELECT id, action, reviewer, decided_at FROM reviews WHERE figure_key = ? "
                       "ORDER BY id DESC LIMIT 1", [key]).fetchone()


def _insert(con: sqlite3.Connection, row: dict, expected: int | None) -> int:
    """Append one decision if the latest decision on its figure is still `expected`; raise ReviewConflict if not."""
    latest = _latest(con, row["figure_key"])
    if (latest[0] if latest else None) != expected:
        if latest is None:
            raise ReviewConflict("The decision this one was to replace is not in the decisions file; look again.")
        _, action, who, when = latest
        raise ReviewConflict(f"{who} already decided on this figure ({action}, {when[:16].replace('T', ' ')} UTC) "
                             "after you opened it; their decision stands. Look again and decide if needed.")
    row = {**row, "supersedes": expected or 0}
    cols = [c for c in COLUMNS if c in row and row[c] is not None]
    try:
        cur = con.execute(f"INSERT INTO reviews ({_quoted(cols)}) "
                          f"VALUES ({', '.join('?' * len(cols))})", [row[c] for c in cols])
    except sqlite3.IntegrityError as exc:
        raise ReviewConflict("Another reviewer decided on this figure at the same moment; their decision stands.") \
            from exc
    return int(cur.lastrowid)


def _quoted(cols: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in cols)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def decide(path: Path, figure: Mapping[str, object], action: str, reviewer: str,
           new: Mapping[str, object] | None = None, reason: str | None = None) -> int:
    """Record accept, correct or reject on a figure as shown (a kpi row, whose `review_id` is its latest decision)."""
    if action not in ("accept", "correct", "reject"):
        raise ReviewError(f"{action!r}: the action must be accept, correct or reject")
    reason = (reason or "").strip() or None
    if action == "reject" and not reason:
        raise ReviewError("Say why the figure is rejected.")
    row = _span(figure) | {f"old_{f}": _old(figure, f) for f in FIELDS}
    row |= {"action": action, "reviewer": reviewer, "decided_at": _now(), "reason": reason}
    if action == "correct":
        values, problems = check_values(new or {})
        if problems:
            raise ReviewError("; ".join(problems))
        if all(values[f] == row[f"old_{f}"] for f in FIELDS) and values["metric"] == row["metric"]:
            raise ReviewError("Nothing was changed; use Accept when the figure is right.")
        row |= {"new_metric": values["metric"], **{f"new_{f}": values[f] for f in FIELDS}}
    with _transaction(path) as con:
        return _insert(con, row, _expected(figure))


def _expected(figure: Mapping[str, object]) -> int | None:
    """The decision this one replaces: the figure's latest, unless that was made on the text before it changed."""
    if _clean(figure.get("review_key", figure["figure_key"])) != figure["figure_key"]:
        return None
    return _clean(figure.get("review_id"))


def _span(figure: Mapping[str, object]) -> dict:
    return {k: _clean(figure[k]) for k in ("figure_key", "document_id", "source", "start", "end", "quote", "metric")}


def _old(figure: Mapping[str, object], field: str) -> object:
    v = _clean(figure.get(f"extracted_{field}", figure.get(field)))
    return float(v) if field in ("value", "low", "high") and v is not None else v


def add_figure(path: Path, document: Mapping[str, object], start: int, end: int, new: Mapping[str, object],
               reviewer: str, reason: str | None = None) -> int:
    """Record a figure the extractor missed, at document text[start:end]."""
    text = str(document["text"])
    if not (0 <= start < end <= len(text)) or not text[start:end].strip():
        raise ReviewError(f"characters {start}–{end} are not a span of this document ({len(text)} characters)")
    values, problems = check_values(new)
    if problems:
        raise ReviewError("; ".join(problems))
    doc_id = str(document["id"])
    key = figure_key(doc_id, _Span(start, end, values["metric"]))
    row = {"figure_key": key, "action": "add", "document_id": doc_id, "source": str(document["source"]),
           "start": start, "end": end, "quote": text[start:end], "metric": values["metric"],
           "new_metric": values["metric"], **{f"new_{f}": values[f] for f in FIELDS},
           "reviewer": reviewer, "decided_at": _now(), "reason": (reason or "").strip() or None}
    with _transaction(path) as con:
        latest = _latest(con, key)
        return _insert(con, row, latest[0] if latest else None)


class _Span:
    """Just enough of a Figure for figure_key."""

    def __init__(self, start: int, end: int, metric: str) -> None:
        self.start, self.end, self.metric = start, end, metric


def history(path: Path) -> pd.DataFrame:
    """Every decision ever recorded, oldest first, in export column order."""
    if not Path(path).exists():
        return pd.DataFrame(columns=COLUMNS)
    with _connect(path) as con:
        return pd.read_sql_query(f"SELECT {_quoted(COLUMNS)} FROM reviews ORDER BY id", con)


def latest_decisions(path: Path) -> pd.DataFrame:
    """The decision in force on each figure: the newest row per figure key."""
    df = history(path)
    return df.drop_duplicates("figure_key", keep="last").reset_index(drop=True)


def decisions_frame(path: Path) -> pd.DataFrame:
    """The decision in force on each figure, typed for DuckDB (dashboard/reviewed.sql reads it as review_decisions)."""
    df = latest_decisions(path).rename(columns={"id": "review_id"})
    numbers = ["old_value", "old_low", "old_high", "new_value", "new_low", "new_high"]
    df[numbers] = df[numbers].astype("float64")
    df[["review_id", "start", "end"]] = df[["review_id", "start", "end"]].astype("int64")
    text = [c for c in df.columns if c not in [*numbers, "review_id", "start", "end", "supersedes"]]
    df[text] = df[text].astype(object).where(df[text].notna(), None)
    df["new_as_of_day"] = pd.to_datetime(pd.Series([period_day(a) for a in df.new_as_of], dtype=object))
    return df


def version(path: Path) -> str:
    """Changes with every recorded decision (rows are only ever added)."""
    if not Path(path).exists():
        return f"{path}:0"
    with _connect(path) as con:
        n, top = con.execute("SELECT count(*), coalesce(max(id), 0) FROM reviews").fetchone()
    return f"{path}:{n}:{top}"


def export_csv(path: Path, out: Path) -> int:
    """Write every decision to a CSV file (one row per decision, oldest first); return how many."""
    df = history(path)
    df.to_csv(out, index=False, float_format="%.17g")
    return len(df)


def import_csv(path: Path, csv_path: Path, db_path: Path, reviewer: str | None = None) -> int:
    """Check every row of a decisions CSV against the warehouse, then record them all in one transaction.

    A row is a decision on an extracted figure (figure_key, action, new_* for correct, reason for reject)
    or an added figure (action add, document_id, start, end, new_*). Rows exported earlier (their id already
    recorded, unchanged) are skipped. Any bad row raises ReviewError naming each bad line; nothing is written.
    Returns how many decisions were recorded.
    """
    try:
        with open(csv_path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            missing = {"figure_key", "action"} - set(reader.fieldnames or [])
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReviewError(f"{csv_path}: cannot be read ({exc})") from exc
    if missing:
        raise ReviewError(f"{csv_path}: missing column(s) {', '.join(sorted(missing))}")
    figures, documents = _warehouse_rows(db_path, rows)
    metrics = catalogue()
    decisions, problems = [], []
    for line, raw in enumerate(rows, start=2):
        row, why = _import_row({k: _clean(v) for k, v in raw.items() if k}, figures, documents, metrics, reviewer)
        problems += [f"{csv_path.name} line {line}: {w}" for w in why]
        decisions.append((line, row))
    if problems:
        raise ReviewError("nothing imported:\n" + "\n".join(problems))
    recorded = 0
    with _transaction(path) as con:
        for line, row in decisions:
            recorded += _import_one(con, line, row, csv_path.name)
    return recorded


def _warehouse_rows(db_path: Path, rows: list[dict]) -> tuple[dict[str, dict], dict[str, dict]]:
    keys = sorted({r.get("figure_key") or "" for r in rows} - {""})
    doc_ids = sorted({r.get("document_id") or "" for r in rows} - {""})
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as exc:
        raise ReviewError(f"{db_path}: cannot open the warehouse ({exc})") from exc
    with closing(con):
        figs = con.execute("""
            SELECT f.figure_key, f.document_id, d.source, f."start", f."end", f.quote, f.metric,
                   f.value, f.low, f.high, f.as_of, f.kind, f.qualifier, f.scope
            FROM figures AS f JOIN documents AS d ON d.id = f.document_id
            WHERE f.role = 'council' AND list_contains(?, f.figure_key)""", [keys]).df()
        docs = con.execute("SELECT id, source, text FROM documents WHERE list_contains(?, id)", [doc_ids]).df()
    return ({r["figure_key"]: r for r in figs.to_dict("records")}, {r["id"]: r for r in docs.to_dict("records")})


def _import_row(raw: dict, figures: dict[str, dict], documents: dict[str, dict], metrics: dict[str, str],
                reviewer: str | None) -> tuple[dict, list[str]]:
    """One CSV row as a decision row to insert, with what is wrong with it."""
    action, key = raw.get("action"), raw.get("figure_key")
    problems = []
    row: dict[str, object] = {"action": action, "reason": raw.get("reason"), "id": raw.get("id"),
                              "reviewer": raw.get("reviewer") or reviewer,
                              "decided_at": raw.get("decided_at") or _now()}
    if action not in ACTIONS:
        return row, [f"action {action!r} is not one of {', '.join(ACTIONS)}"]
    if not row["reviewer"]:
        problems.append("no reviewer (fill the reviewer column or pass --reviewer)")
    if action == "reject" and not row["reason"]:
        problems.append("a rejection needs a reason")
    for name in ("id", "supersedes"):
        if raw.get(name) is not None and not str(raw[name]).isdigit():
            problems.append(f"{name} {raw[name]!r} is not a whole number")
    row["supersedes_given"] = raw.get("supersedes")
    if action in ("correct", "add"):
        values, why = check_values({"metric": raw.get("new_metric"), **{f: raw.get(f"new_{f}") for f in FIELDS}},
                                   metrics)
        problems += [f"new {w}" for w in why]
        row |= {"new_metric": values["metric"], **{f"new_{f}": values[f] for f in FIELDS}}
    if action == "add":
        doc = documents.get(raw.get("document_id") or "")
        start, end = _int(raw.get("start")), _int(raw.get("end"))
        if doc is None:
            problems.append(f"document_id {raw.get('document_id')!r} is not in the warehouse")
        elif start is None or end is None or not 0 <= start < end <= len(doc["text"]):
            problems.append(f"start/end {raw.get('start')!r}–{raw.get('end')!r} is not a span of the document")
        elif row.get("new_metric") in metrics:
            row |= {"figure_key": figure_key(doc["id"], _Span(start, end, row["new_metric"])),
                    "document_id": doc["id"], "source": doc["source"], "start": start, "end": end,
                    "quote": doc["text"][start:end], "metric": row["new_metric"]}
            if key and key != row["figure_key"]:
                problems.append(f"figure_key {key} does not match document, span and metric")
        return row, problems
    fig = figures.get(key or "")
    if fig is None:
        return row, [*problems, f"figure_key {key!r} is not a figure in the warehouse"]
    row |= _span(fig) | {f"old_{f}": _old(fig, f) for f in FIELDS}
    if action == "correct" and not problems and all(row[f"new_{f}"] == row[f"old_{f}"] for f in FIELDS) \
            and row["new_metric"] == row["metric"]:
        problems.append("a correction that changes nothing (use accept)")
    return row, problems


def _int(v: object) -> int | None:
    try:
        return int(float(str(v)))
    except (TypeError, ValueError):
        return None


def _import_one(con: sqlite3.Connection, line: int, row: dict, name: str) -> int:
    """Insert one checked row inside the import's transaction; 0 when it is already recorded."""
    given, supersedes = row.pop("id"), row.pop("supersedes_given")
    if given is not None:
        known = con.execute("SELECT figure_key, action, reviewer, decided_at FROM reviews WHERE id = ?",
                            [int(given)]).fetchone()
        if known == (row["figure_key"], row["action"], row["reviewer"], row["decided_at"]):
            return 0
        if known is None:
            row["id"] = int(given)
    latest = _latest(con, row["figure_key"])
    current = latest[0] if latest else None
    if supersedes is not None and int(supersedes) != (current or 0):
        raise ReviewConflict(f"nothing imported: {name} line {line}: figure {row['figure_key']} was decided "
                             f"again ({latest[1]} by {latest[2]}) after this file was made")
    try:
        _insert(con, row, current)
    except ReviewConflict as exc:
        raise ReviewConflict(f"nothing imported: {name} line {line}: {exc}") from exc
    return 1

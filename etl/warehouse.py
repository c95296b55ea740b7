"""Load extracted documents into DuckDB and publish the database file atomically."""

from __future__ import annotations

import csv
import fcntl
import hashlib
import os
import shutil
import sys
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from etl.manifest import load_manifest
from etl.model import Document, Figure, ReadError
from etl.pipeline import ROOT, extract_file, extractor_version, list_files, source_name
from etl.readers import MAX_BYTES

DEFAULT_DB = ROOT / "data" / "kpi.duckdb"
SCHEMA = Path(__file__).with_name("schema.sql")
ROLLUPS = Path(__file__).with_name("rollups.sql")  # summaries for the dashboard, rebuilt before each publish
CATALOGUE = Path(__file__).with_name("kpi_catalogue.csv")
COUNCILS = ROOT / "data" / "reference" / "councils.csv"

Progress = Callable[[int, int, str], None]


@dataclass
class RunSummary:
    """What one run did, file by file."""

    run_id: str
    files_seen: int = 0
    loaded: int = 0
    unchanged: int = 0
    failed: int = 0
    figures_added: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary a person reads at the end of a run."""
        out = [
            f"files seen {self.files_seen}, loaded {self.loaded}, unchanged {self.unchanged}, "
            f"failed {self.failed}; figures added {self.figures_added}",
        ]
        out += [f"  failed: {name}: {reason}" for name, reason in self.errors]
        out += [f"  note: {name}: {reason}" for name, reason in self.notes]
        return out


def period_day(iso: str | None) -> date | None:
    """A date to chart an ISO period at: the day itself, the 1st of a month, 1 July of a year.

    >>> period_day("2019-02"), period_day("2017"), period_day(None)
    (datetime.date(2019, 2, 1), datetime.date(2017, 7, 1), None)
    """
    if not iso:
        return None
    parts = iso.split("-")
    try:
        if len(parts) == 1:
            return date(int(parts[0]), 7, 1)
        if len(parts) == 2:
            return date(int(parts[0]), int(parts[1]), 1)
        return date.fromisoformat(iso)
    except ValueError:
        return None


def figure_key(document_id: str, fig: Figure, ordinal: int = 0) -> str:
    """A figure's identity across re-runs: document hash, span and metric.

    One sentence can state several figures of one metric ("savings of £552K, of which £452K … and £100K …");
    the second and later keep their place in that sentence as an ordinal. The value is not part of the key,
    so a re-extraction that reads a different value for the same span is recognised as the same figure.
    """
    suffix = f":{ordinal}" if ordinal else ""
    return hashlib.sha256(f"{document_id}:{fig.start}:{fig.end}:{fig.metric}{suffix}".encode()).hexdigest()[:24]


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def init_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables and view, and (re)load the catalogue and council gazetteer."""
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    con.execute("DELETE FROM metrics")
    con.executemany("INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?)", _csv_rows(CATALOGUE, 6))
    con.execute("DELETE FROM councils")
    con.executemany(
        "INSERT INTO councils VALUES (?, ?, ?, ?, ?, NULLIF(?, '')::DATE, NULLIF(?, '')::DATE, ?, ?, ?, ?)",
        _csv_rows(COUNCILS, 11),
    )


def _csv_rows(path: Path, width: int) -> list[list[str | None]]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))[1:]
    return [[cell or None for cell in row[:width]] for row in rows if row]


@contextmanager
def building(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to a private copy of the database, published with os.replace on success.

    Only one build runs at a time (a lock file beside the database); readers of the published
    file never see a half-built one.
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with open(db_path.with_name(db_path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.building")
        tmp.unlink(missing_ok=True)
        if db_path.exists():
            shutil.copyfile(db_path, tmp)
        try:
            con = duckdb.connect(str(tmp))
            try:
                init_schema(con)
                yield con
                con.execute(ROLLUPS.read_text(encoding="utf-8"))
                con.execute("CHECKPOINT")
            finally:
                con.close()
            os.replace(tmp, db_path)
        finally:
            tmp.unlink(missing_ok=True)
            Path(str(tmp) + ".wal").unlink(missing_ok=True)


def run(paths: Iterable[Path], db_path: Path = DEFAULT_DB, manifest_path: Path | None = None,
        max_bytes: int = MAX_BYTES, progress: Progress | None = None) -> RunSummary:
    """Extract every minutes file under paths into the database; one bad file never stops the run."""
    files = list_files(paths)
    manifest = load_manifest(manifest_path)
    summary = RunSummary(run_id=uuid.uuid4().hex[:12], files_seen=len(files))
    version = extractor_version()
    started = datetime.now()
    with building(db_path) as con:
        known = {src: (doc_id, ver) for src, doc_id, ver in
                 con.execute("SELECT source, id, extractor_version FROM documents").fetchall()}
        ids = {doc_id: src for src, (doc_id, _) in known.items()}
        for i, path in enumerate(files):
            if progress:
                progress(i, len(files), path.name)
            _load_one(con, path, manifest.get(path.name), known, ids, version, max_bytes, summary)
        con.execute(
            "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [summary.run_id, started, datetime.now(), version, summary.files_seen, summary.loaded,
             summary.unchanged, summary.failed, summary.figures_added],
        )
    if progress:
        progress(len(files), len(files), "")
    return summary


def _load_one(con: duckdb.DuckDBPyConnection, path: Path, overrides: dict[str, str] | None,
              known: dict[str, tuple[str, str]], ids: dict[str, str], version: str, max_bytes: int,
              summary: RunSummary) -> None:
    source = source_name(path)
    try:
        sha = file_sha256(path) if path.is_file() else None
        if sha is not None and known.get(source) == (sha, version):
            summary.unchanged += 1
            return
        if sha is not None and sha in ids and ids[sha] != source:
            summary.unchanged += 1
            summary.notes.append((path.name, f"same content as {Path(ids[sha]).name}; not loaded twice"))
            return
        doc = extract_file(path, overrides, max_bytes)
    except ReadError as exc:
        _record_error(con, path, str(exc), summary)
        return
    except Exception as exc:  # one bad file must never abort the run
        _record_error(con, path, f"could not be processed ({type(exc).__name__}: {exc})", summary)
        return
    summary.figures_added += save_document(con, doc, version, summary.run_id)
    known[source] = (doc.sha256, version)
    ids[doc.sha256] = source
    summary.loaded += 1


def _record_error(con: duckdb.DuckDBPyConnection, path: Path, reason: str, summary: RunSummary) -> None:
    con.execute("INSERT OR REPLACE INTO load_errors VALUES (?, ?, ?, ?, ?)",
                [source_name(path), path.name, reason, summary.run_id, datetime.now()])
    summary.failed += 1
    summary.errors.append((path.name, reason))


def save_document(con: duckdb.DuckDBPyConnection, doc: Document, version: str, run_id: str | None) -> int:
    """Replace whatever this source held before with doc and its figures, in one transaction."""
    m = doc.meeting
    seen: Counter[tuple] = Counter()
    rows = []
    for role, figs in (("council", doc.figures), ("comparator", doc.comparators)):
        for f in figs:
            slot = (f.start, f.end, f.metric)
            rows.append(_figure_row(doc.sha256, f, role, version, seen[slot]))
            seen[slot] += 1
    con.begin()
    try:
        old = [r[0] for r in con.execute("SELECT id FROM documents WHERE source = ? OR id = ?",
                                         [doc.source, doc.sha256]).fetchall()]
        for doc_id in old:
            con.execute("DELETE FROM figures WHERE document_id = ?", [doc_id])
            con.execute("DELETE FROM documents WHERE id = ?", [doc_id])
        con.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [doc.sha256, doc.source, Path(doc.source).name, doc.url, m.title, m.council, m.committee,
             m.meeting_date, period_day(m.meeting_date), doc.text, version, run_id, datetime.now()],
        )
        if rows:
            con.executemany(f"INSERT INTO figures VALUES ({', '.join('?' * 19)})", rows)
        con.execute("DELETE FROM load_errors WHERE source = ?", [doc.source])
        con.commit()
    except Exception:
        con.rollback()
        raise
    return len(doc.figures)


def _figure_row(doc_id: str, f: Figure, role: str, version: str, ordinal: int) -> list:
    return [figure_key(doc_id, f, ordinal), doc_id, role, f.metric, f.value, f.low, f.high, f.unit, f.as_of,
            period_day(f.as_of), f.kind, f.qualifier, f.scope, f.quote, f.start, f.end, list(f.flags),
            f.confidence, version]


def tty_progress() -> Progress | None:
    """A tqdm bar on standard error when it is a terminal, else nothing."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar: list[tqdm] = []

    def update(done: int, total: int, name: str) -> None:
        if not bar:
            bar.append(tqdm(total=total, unit="file", file=sys.stderr))
        bar[0].n = done
        bar[0].set_postfix_str(name[-40:], refresh=True)
        if done >= total:
            bar[0].close()

    return update

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
from functools import partial
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.manifest import load_manifest, manifest_problems
from etl.model import Document, Figure
from etl.parallel import DEFAULT_TIMEOUT, Outcome, Task, extract_many
from etl.pipeline import ROOT, extractor_version, list_files, source_name
from etl.readers import MAX_BYTES

DEFAULT_DB = ROOT / "data" / "kpi.duckdb"
SCHEMA = Path(__file__).with_name("schema.sql")
ROLLUPS = Path(__file__).with_name("rollups.sql")  # summaries for the dashboard, rebuilt before each publish
BUILD_MEMORY = "256MB"  # DuckDB cache of the build copy: bounded however large the database grows
CATALOGUE = Path(__file__).with_name("kpi_catalogue.csv")
COUNCILS = ROOT / "data" / "reference" / "councils.csv"

Progress = Callable[[int, int, str], None]
Engine = Callable[..., Iterable[Outcome]]  # (tasks, max_bytes=...) -> (path, Document or reason)


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
    insert_rows(con, "metrics", _csv_rows(CATALOGUE, 6))
    con.execute("DELETE FROM councils")
    insert_rows(con, "councils", _csv_rows(COUNCILS, 11))  # '' became NULL; dates cast on insert


def _csv_rows(path: Path, width: int) -> list[list[str | None]]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))[1:]
    return [[cell or None for cell in row[:width]] for row in rows if row]


@contextmanager
def building(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to a private copy of the database, published with os.replace on success.

    Only one build runs at a time (a lock file beside the database, released by the kernel even when
    the process is killed); readers of the published file never see a half-built one, and a build
    killed part way leaves only its private copy, removed by the next build.
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with open(db_path.with_name(db_path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for stale in db_path.parent.glob(f".{db_path.name}.*.building*"):  # left by a killed run
            if stale.is_dir():  # DuckDB's spill folder (".building.tmp")
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
        tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.building")
        if db_path.exists():
            shutil.copyfile(db_path, tmp)
        try:
            con = duckdb.connect(str(tmp), config={"memory_limit": BUILD_MEMORY})
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
        max_bytes: int = MAX_BYTES, progress: Progress | None = None, workers: int = 1,
        file_timeout: float = DEFAULT_TIMEOUT, engine: Engine | None = None) -> RunSummary:
    """Extract every minutes file under paths into the database; one bad file never stops the run.

    `workers` processes extract side by side (or `engine`, e.g. a dask cluster); this process writes
    the documents in batches, each batch in one transaction, so a document is never half loaded.
    """
    files = list_files(paths)
    manifest = load_manifest(manifest_path)
    summary = RunSummary(run_id=uuid.uuid4().hex[:12], files_seen=len(files))
    summary.notes += manifest_problems(manifest_path, files)
    version = extractor_version()
    started = datetime.now()
    extract = engine or partial(extract_many, workers=workers, file_timeout=file_timeout)
    known = _published(db_path)
    ids = {doc_id: src for src, (doc_id, _) in known.items()}
    todo = list(_changed(files, manifest, known, ids, version, max_bytes, summary))
    if not todo and known:  # nothing to do: the published file stays as it is (no copy, no publish)
        return summary
    with building(db_path) as con:
        batch = _Batch(con, version, summary)
        done = summary.unchanged
        for path, result in extract(todo, max_bytes=max_bytes):
            if isinstance(result, Document):
                batch.add(result)
            else:
                _record_error(con, path, result, summary)
            done = summary.unchanged + summary.failed + summary.loaded + len(batch.docs)
            if progress:
                progress(done, len(files), path.name)
        batch.flush()
        con.execute(
            "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [summary.run_id, started, datetime.now(), version, summary.files_seen, summary.loaded,
             summary.unchanged, summary.failed, summary.figures_added],
        )
    if progress:
        progress(len(files), len(files), "")
    return summary


def _published(db_path: Path) -> dict[str, tuple[str, str]]:
    """{source: (document id, extractor version)} of the published database ({} when there is none yet)."""
    if not db_path.exists():
        return {}
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return {src: (doc_id, ver) for src, doc_id, ver in
                con.execute("SELECT source, id, extractor_version FROM documents").fetchall()}
    except duckdb.CatalogException:  # a database file without our tables
        return {}
    finally:
        con.close()


def _changed(files: list[Path], manifest: dict[str, dict[str, str]], known: dict[str, tuple[str, str]],
             ids: dict[str, str], version: str, max_bytes: int, summary: RunSummary) -> Iterator[Task]:
    """The files that need extracting; counts the unchanged ones and notes duplicates under other names."""
    for path in files:
        source = source_name(path)
        try:
            sha = file_sha256(path) if path.is_file() and path.stat().st_size <= max_bytes else None
        except OSError:
            sha = None  # the reader reports why it cannot be opened
        if sha is not None and known.get(source) == (sha, version):
            summary.unchanged += 1
            continue
        if sha is not None and sha in ids and ids[sha] != source:
            summary.unchanged += 1
            summary.notes.append((path.name, f"same content as {Path(ids[sha]).name}; not loaded twice"))
            continue
        if sha is not None:
            ids[sha] = source
        yield path, manifest.get(path.name)


class _Batch:
    """Documents waiting to be written; written together once enough text or figures pile up."""

    MAX_DOCS = 200
    MAX_CHARS = 32_000_000

    def __init__(self, con: duckdb.DuckDBPyConnection, version: str, summary: RunSummary) -> None:
        self.con, self.version, self.summary = con, version, summary
        self.docs: list[Document] = []
        self.chars = 0

    def add(self, doc: Document) -> None:
        self.docs.append(doc)
        self.chars += len(doc.text)
        if len(self.docs) >= self.MAX_DOCS or self.chars >= self.MAX_CHARS:
            self.flush()

    def flush(self) -> None:
        if self.docs:
            self.summary.figures_added += save_documents(self.con, self.docs, self.version, self.summary.run_id)
            self.summary.loaded += len(self.docs)
        self.docs, self.chars = [], 0


def _record_error(con: duckdb.DuckDBPyConnection, path: Path, reason: str, summary: RunSummary) -> None:
    con.execute("INSERT OR REPLACE INTO load_errors VALUES (?, ?, ?, ?, ?)",
                [source_name(path), path.name, reason, summary.run_id, datetime.now()])
    summary.failed += 1
    summary.errors.append((path.name, reason))


def save_document(con: duckdb.DuckDBPyConnection, doc: Document, version: str, run_id: str | None) -> int:
    """Replace whatever this source held before with doc and its figures, in one transaction."""
    return save_documents(con, [doc], version, run_id)


def save_documents(con: duckdb.DuckDBPyConnection, docs: list[Document], version: str, run_id: str | None) -> int:
    """Replace what these sources held before with the documents and their figures, all in one transaction.

    Returns how many council figures were added.
    """
    now = datetime.now()
    doc_rows = [_document_row(d, version, run_id, now) for d in docs]
    fig_rows = [row for d in docs for row in _figure_rows(d, version)]
    sources = pa.table({"source": [d.source for d in docs], "id": [d.sha256 for d in docs]})
    con.begin()
    try:
        con.register("_batch_sources", sources)
        old = "SELECT d.id FROM documents d JOIN _batch_sources b ON d.source = b.source OR d.id = b.id"
        con.execute(f"DELETE FROM figures WHERE document_id IN ({old})")
        con.execute(f"DELETE FROM documents WHERE id IN ({old})")
        con.execute("DELETE FROM load_errors WHERE source IN (SELECT source FROM _batch_sources)")
        insert_rows(con, "documents", doc_rows)
        insert_rows(con, "figures", fig_rows)
        con.commit()
    except Exception:
        con.rollback()
        raise
    finally:
        con.unregister("_batch_sources")
    return sum(len(d.figures) for d in docs)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[list]) -> None:
    """Insert rows (in the table's column order) as one Arrow scan: far faster than row-by-row."""
    if not rows:
        return
    names = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    arrow = pa.table({name: [row[i] for row in rows] for i, name in enumerate(names)})
    con.register("_batch_rows", arrow)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM _batch_rows")
    finally:
        con.unregister("_batch_rows")


def _document_row(doc: Document, version: str, run_id: str | None, now: datetime) -> list:
    m = doc.meeting
    return [doc.sha256, doc.source, Path(doc.source).name, doc.url, m.title, m.council, m.committee,
            m.meeting_date, period_day(m.meeting_date), doc.text, version, run_id, now]


def _figure_rows(doc: Document, version: str) -> list[list]:
    """The document's figures as table rows; a repeat of span and metric gets the next ordinal in its key."""
    seen: Counter[tuple] = Counter()
    rows = []
    for role, figs in (("council", doc.figures), ("comparator", doc.comparators)):
        for f in figs:
            slot = (f.start, f.end, f.metric)
            rows.append(_figure_row(doc.sha256, f, role, version, seen[slot]))
            seen[slot] += 1
    return rows


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

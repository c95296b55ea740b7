"""SIGKILL `python -m etl run` at any moment: the published database stays intact and the next run finishes."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl import warehouse
from tests.conftest import ROOT


def _documents(db: Path) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {row[0] for row in con.execute("SELECT source FROM documents").fetchall()}
    finally:
        con.close()


def _start(corpus: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "etl", "run", str(corpus), "--db", str(db), "--workers", "2"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _kill(proc: subprocess.Popen) -> None:
    """SIGKILL the run and its worker processes, as a power cut or the OOM killer would."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)


@pytest.fixture(scope="module")
def corpora(synth_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, float]:
    """A first corpus already published, the full corpus to load next, and how long a full run takes."""
    root = tmp_path_factory.mktemp("crash")
    first = root / "first"
    first.mkdir()
    for council in sorted(p for p in synth_corpus.iterdir() if p.is_dir())[:5]:
        shutil.copytree(council, first / council.name)
    timing_db = root / "timing.duckdb"
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "etl", "run", str(synth_corpus), "--db", str(timing_db), "--workers", "2"],
                   cwd=ROOT, check=True, capture_output=True, timeout=300)
    return first, synth_corpus, time.monotonic() - started


@pytest.mark.parametrize("when", [0.1, 0.5, 0.95])
def test_sigkill_keeps_the_published_database_and_the_next_run_completes(corpora, tmp_path: Path,
                                                                        when: float) -> None:
    first, full, duration = corpora
    db = tmp_path / "kpi.duckdb"
    warehouse.run([first], db)
    published = _documents(db)
    proc = _start(full, db)
    time.sleep(duration * when)
    _kill(proc)
    after_kill = _documents(db)  # opens read-only: the file is whole
    assert after_kill == published or len(after_kill) == 120
    summary = warehouse.run([full], db, full / "manifest.csv", workers=2)
    assert len(_documents(db)) == 120 and summary.failed == 0
    assert not [p.name for p in tmp_path.iterdir() if ".building" in p.name]


def test_a_killed_run_leaves_a_stale_copy_that_the_next_run_removes(corpora, tmp_path: Path) -> None:
    first, full, _ = corpora
    db = tmp_path / "kpi.duckdb"
    warehouse.run([first], db)
    proc = _start(full, db)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".kpi.duckdb.*.building")) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    _kill(proc)
    assert list(tmp_path.glob(".kpi.duckdb.*.building"))
    warehouse.run([full], db, full / "manifest.csv")
    assert not list(tmp_path.glob(".kpi.duckdb.*.building*"))

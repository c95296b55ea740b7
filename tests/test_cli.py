"""The command line as a person runs it: `python -m etl ...` in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def _etl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_run_prints_summary_and_exits_zero_despite_a_bad_file(minutes_dir: Path, db_file: Path) -> None:
    (minutes_dir / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    done = _etl("run", str(minutes_dir), "--db", str(db_file))
    assert done.returncode == 0, done.stderr
    assert "files seen 6, loaded 5, unchanged 0, failed 1" in done.stdout
    assert "broken.pdf" in done.stdout


def test_run_strict_exits_one_when_a_file_failed(minutes_dir: Path, db_file: Path) -> None:
    (minutes_dir / "empty.txt").write_bytes(b"")
    assert _etl("run", str(minutes_dir), "--db", str(db_file), "--strict").returncode == 1


def test_run_names_a_missing_path(db_file: Path, tmp_path: Path) -> None:
    done = _etl("run", str(tmp_path / "nowhere"), "--db", str(db_file))
    assert "nowhere: no such file or folder" in done.stderr


def test_extract_prints_one_json_object_per_document(minutes_dir: Path) -> None:
    done = _etl("extract", str(minutes_dir), "--manifest", str(minutes_dir / "manifest.csv"))
    docs = json.loads(done.stdout)
    assert sorted(Path(d["source"]).name for d in docs) == sorted(p.name for p in minutes_dir.glob("*.txt"))
    bromley = next(d for d in docs if "bromley" in d["source"])
    assert (bromley["council"], bromley["meeting_date"]) == ("Bromley", "2019-02")
    assert set(bromley) >= {"source", "title", "council", "committee", "meeting_date", "figures"}

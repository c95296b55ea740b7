"""Shared fixtures: paths to the corpora and a temporary DuckDB file built from them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "corpora" / "seeds"
DEV = ROOT / "tests" / "corpora" / "dev"
BUNDLED = ROOT / "data" / "minutes"


@pytest.fixture
def minutes_dir(tmp_path: Path) -> Path:
    """A writable copy of the bundled seed minutes with their manifest."""
    target = tmp_path / "minutes"
    shutil.copytree(BUNDLED, target)
    return target


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """Where a test's own database goes (not created yet)."""
    return tmp_path / "kpi.duckdb"


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built once from the bundled seed minutes; tests must not write to it."""
    from etl import warehouse

    db = tmp_path_factory.mktemp("seeded") / "kpi.duckdb"
    warehouse.run([BUNDLED], db, BUNDLED / "manifest.csv")
    return db


@pytest.fixture(scope="session")
def synth_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic corpus of 120 minutes files with manifest.csv and gold.json; tests must not write to it."""
    from etl.synth import write_corpus

    out = tmp_path_factory.mktemp("synth") / "minutes"
    write_corpus(out, 120, seed=7, pdf_share=0.05)
    return out

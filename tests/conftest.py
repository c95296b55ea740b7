"""Shared helpers: load a case table from tests/cases/*.csv as pytest params with readable ids."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases"


def case_params(name: str, status_column: str | None = None) -> list:
    """One pytest.param per CSV row, id '<group>: <text>', strict xfail where status says so."""
    with open(CASES / name, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    params = []
    for row in rows:
        marks = []
        if status_column and row.get(status_column) == "xfail":
            marks.append(pytest.mark.xfail(strict=True, reason="known failure: needs context outside the clause"))
        params.append(pytest.param(row, id=f"{row['group']}: {row['text'][:70]}", marks=marks))
    return params

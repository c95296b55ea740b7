"""Keep the docs honest: every CLI command is in the README, every catalogue metric has a label."""

from __future__ import annotations

import csv

import pytest

from etl.cli import build_parser
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return sorted(sub.choices)


@pytest.mark.parametrize("command", _commands())
def test_cli_command_is_documented_in_readme(command: str) -> None:
    assert f"python -m etl {command}" in README


def test_catalogue_metrics_have_unique_ids_and_known_units() -> None:
    with open(ROOT / "etl" / "kpi_catalogue.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    ids = [r["metric"] for r in rows]
    assert len(ids) == len(set(ids)) == 35
    assert {r["unit"] for r in rows} <= {"count", "pct", "gbp", "cases", "fte", "days", "per_10k"}
    assert all(r["label"] for r in rows)

"""The lexicon data file: every catalogue metric has a cue, patterns compile, units match the catalogue."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from etl.lexicon import RULES, accepts, catalogue_units, find_cues

ETL = Path(__file__).resolve().parents[1] / "etl"


def test_every_catalogue_metric_has_a_lexicon_row():
    assert set(catalogue_units()) <= {r.metric for r in RULES}


def test_lexicon_units_match_the_catalogue():
    units = catalogue_units()
    assert all(units[r.metric] == r.unit for r in RULES)


def test_lexicon_csv_has_the_expected_columns_and_compiling_patterns():
    with open(ETL / "lexicon.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["metric", "pattern", "unit", "priority", "sign", "notes"]
    for row in rows:
        re.compile(row["pattern"].replace("#", "1"))
        float(row["priority"])


def test_context_words_compile():
    with open(ETL / "context_words.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            re.compile(row["pattern"])


@pytest.mark.parametrize("text, metric", [
    ("44 vacancies", "vacancies"),
    ("newly qualified social workers", "newly_qualified_social_workers"),
    ("approved fostering households", "foster_carers"),
    ("children subject to a child protection plan", "child_protection_plans"),
    ("placed outside the county", "out_of_area_placements_pct"),
    ("the child's voice was evident", "child_voice_evident_pct"),
    ("Ofsted monitoring visits", "ofsted_monitoring_visits"),
    ("an underspend of", "overspend_gbp"),
    ("a reduction of £3.2m in the children's social care budget", "budget_reduction_gbp"),
    ("statements of SEN", "ehcps"),
])
def test_cue_words_name_their_metric(text, metric):
    assert metric in {c.rule.metric for c in find_cues(text, 0, len(text))}


def test_units_plain_numbers_are_counts_and_percentages_are_not():
    assert accepts("count", "bare") and not accepts("count", "pct") and accepts("pct", "pct")

"""The data files the meeting reader depends on are well formed: columns, unique aliases, known names."""

from __future__ import annotations

import csv
import re
import tomllib
from pathlib import Path

import pytest

from etl.councils import GAZETTEER, load_councils
from etl.councils import RULES as COUNCIL_RULES
from etl.meeting import RULES as MEETING_RULES
from etl.periods import MONTHS

COLUMNS = ["name", "official_name", "ons_code", "la_type", "region", "valid_from", "valid_to", "successor",
           "aliases", "dfe_la_code", "former_ons_codes"]
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _rows() -> list[dict]:
    with open(GAZETTEER, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _forms(row: dict) -> list[str]:
    return [row["name"], row["official_name"], *(a.strip() for a in row["aliases"].split(";") if a.strip())]


def test_gazetteer_has_the_expected_columns():
    with open(GAZETTEER, newline="", encoding="utf-8") as f:
        assert next(csv.reader(f)) == COLUMNS


def test_gazetteer_names_are_unique_and_filled():
    names = [row["name"] for row in _rows()]
    assert all(names) and len(names) == len(set(names))


def test_no_name_or_alias_belongs_to_two_councils():
    owner: dict[str, str] = {}
    clashes = []
    for row in _rows():
        for form in set(_forms(row)):
            key = " ".join(form.lower().replace("-", " ").split())
            if owner.setdefault(key, row["name"]) != row["name"]:
                clashes.append((form, owner[key], row["name"]))
    assert clashes == []


def test_validity_dates_are_iso_and_successors_exist():
    councils = load_councils()
    for row in _rows():
        for column in ("valid_from", "valid_to"):
            assert not row[column] or ISO_DATE.fullmatch(row[column]), (row["name"], column)
        assert all(successor in councils for successor in councils[row["name"]].successors), row["name"]
        assert not row["successor"] or row["valid_to"], f"{row['name']} has a successor but no valid_to"


def test_bare_ambiguous_place_names_are_not_aliases():
    forms = {form for row in _rows() for form in _forms(row)}
    assert not {"Kingston", "Newcastle", "Richmond"} & forms


@pytest.mark.parametrize("path", [COUNCIL_RULES, MEETING_RULES], ids=lambda p: p.name)
def test_rule_files_parse(path: Path):
    with open(path, "rb") as f:
        assert tomllib.load(f)


def test_council_rule_weights_and_lists():
    with open(COUNCIL_RULES, "rb") as f:
        rules = tomllib.load(f)
    assert set(rules["weights"]) == {"header", "council_word", "possessive", "plain", "comparator"}
    assert rules["weights"]["comparator"] <= 0 < rules["weights"]["plain"]
    forms = {form for row in _rows() for form in _forms(row)}
    assert set(rules["names"]["ambiguous"]) <= forms


def test_month_words_cover_the_year_in_lower_case():
    assert sorted(set(MONTHS.values())) == list(range(1, 13))
    assert all(word == word.lower() for word in MONTHS)


@pytest.mark.parametrize("path", sorted((Path(__file__).parents[1] / "etl").glob("*.csv")), ids=lambda p: p.name)
def test_every_rule_csv_row_has_as_many_fields_as_its_header(path: Path):
    with open(path, newline="", encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    assert [n for n, row in enumerate(rows, 2) if len(row) != len(header)] == []

"""When a figure holds: explicit dates, months, years, financial years, quarters, relative phrases.

Cases: tests/cases/periods.csv.
"""

from __future__ import annotations

import pytest
from conftest import case_params

from etl.periods import financial_year, find_periods, report_period, shift_years


@pytest.mark.parametrize("case", case_params("periods.csv"))
def test_time_phrase_gives_kind_and_as_of(case):
    found = find_periods(case["text"], case["meeting_date"])
    assert found, "no period found"
    p = found[0]
    assert p.kind == case["kind"]
    assert p.as_of == (case["as_of"] or None)


def test_financial_year_starts_in_april():
    assert financial_year("2023-03-31") == 2022 and financial_year("2023-04-01") == 2023


def test_heading_quarter_sets_report_default():
    assert report_period("CHILDREN'S SOCIAL CARE PERFORMANCE: QUARTER 4 2014/15", "2015-06") == ("2015-03", 2014)


def test_a_year_earlier_shifts_by_one_year():
    assert shift_years("2015-03-31", -1) == "2014-03-31"

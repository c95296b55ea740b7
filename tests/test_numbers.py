"""Number grammar: digits, money, percentages, words, fractions, ranges, qualifiers; and what is not a number.

Cases: tests/cases/numbers.csv (dev corpus phrases and invented held-out ones) and not_numbers.csv.
"""

from __future__ import annotations

import pytest
from conftest import case_params

from etl.numbers import find_quantities, parse_number


def _opt(x: str) -> float | None:
    return float(x) if x else None


@pytest.mark.parametrize("case", case_params("numbers.csv"))
def test_phrase_gives_value_range_unit_and_qualifier(case):
    found = [q for q in find_quantities(case["text"]) if q.unit != "duration"]
    assert found, "no quantity found"
    q = found[0]
    assert q.value == pytest.approx(float(case["value"]), rel=1e-3)
    assert (q.low, q.high) == (_opt(case["low"]), _opt(case["high"]))
    assert q.unit == case["unit"]
    assert q.qualifier == (case["qualifier"] or None)


@pytest.mark.parametrize("case", case_params("not_numbers.csv"))
def test_dates_times_references_and_ages_are_not_quantities(case):
    assert [case["text"][q.start:q.end] for q in find_quantities(case["text"])] == []


def test_range_between_x_and_y_gives_low_high():
    (q,) = find_quantities("between 12 and 15")
    assert (q.low, q.high, q.value) == (12, 15, 13.5)


def test_spaced_dash_at_a_row_end_is_an_empty_cell_not_a_range():
    assert [q.value for q in find_quantities("Children looked after per 10,000 66 68 – 70\nNext row")] == [66, 68, 70]


def test_change_from_x_to_y_is_two_numbers_not_a_range():
    assert [q.value for q in find_quantities("had fallen from 31% to 24%")] == [31, 24]


def test_parse_number_refuses_financial_year():
    assert parse_number("2017/18") is None


@pytest.mark.parametrize("prefix", ["", "İ\n"], ids=["ascii", "lower-case-changes-length"])
def test_section_number_at_line_start_is_refused_only_before_a_capital(prefix):
    text = prefix + "Intro\n7.1 Children in care\n7.2 per cent of staff left\n"
    assert [text[q.start:q.end] for q in find_quantities(text)] == ["7.2 per cent"]


def test_two_figures_joined_by_comma_and_are_not_a_range():
    found = find_quantities("against a target of 75%, and 83% of core assessments")
    assert [(q.value, q.low, q.high) for q in found] == [(75, None, None), (83, None, None)]


def test_rate_words_on_the_next_line_do_not_make_a_count_a_rate():
    (count, rate) = find_quantities("Children looked after 486\nRate per 10,000 children 93")
    assert (count.unit, rate.unit) == ("bare", "bare")


def test_numbers_a_per_10000_before_them_leads_to_are_rates():
    found = find_quantities("The rate of children in care per 10,000 fell from 80.2 in June to 78.9. We had 412.")
    assert [(q.value, q.unit) for q in found] == [(80.2, "per_10k"), (78.9, "per_10k"), (412, "bare")]


def test_numbers_that_days_lost_leads_to_are_days():
    found = find_quantities("FTE days lost was at 9.80, above the target of 7.5, with 412 staff.")
    assert [(q.value, q.unit) for q in found] == [(9.8, "days"), (7.5, "days"), (412, "bare")]

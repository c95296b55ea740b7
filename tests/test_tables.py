"""KPI tables inside minutes text: a table in, each cell out as (metric, value, as_of, kind, qualifier).

Each case is one table shape, written here (not copied from a corpus): header columns named by dates in
several spellings, Target columns, comparator columns (England, statistical neighbours, another council),
ruled PDF headers, empty cells ("–", "-"), signed targets ("<15%") and row labels that hold numbers of their
own. Every figure of the table is listed, so a cell read twice, or a comparator read as the council's own
figure, fails the case.
"""

from __future__ import annotations

import pytest

from etl.figures import find_figures
from etl.model import Meeting

# (id, text, meeting_date, figures, comparators); a figure is (metric, value, as_of, kind, qualifier)
SHAPES = [
    ("own and comparator columns, each with its date",
     "The Head of Service introduced the benchmarking table.\n\n"
     "Measure Sheffield Mar 2021 Sheffield Mar 2022 Statistical neighbours Mar 2022 England Mar 2022\n"
     "Children looked after per 10,000 78 75 88 70\n"
     "Social worker turnover 16.1% 13.0% 17.2% 15.4%\n",
     "2022-11-02",
     {("children_looked_after_rate", 78, "2021-03", "actual", None),
      ("children_looked_after_rate", 75, "2022-03", "actual", None),
      ("turnover_rate_pct", 16.1, "2021-03", "actual", None),
      ("turnover_rate_pct", 13.0, "2022-03", "actual", None)},
     {("children_looked_after_rate", 88, "2022-03", "actual", None),
      ("children_looked_after_rate", 70, "2022-03", "actual", None),
      ("turnover_rate_pct", 17.2, "2022-03", "actual", None),
      ("turnover_rate_pct", 15.4, "2022-03", "actual", None)}),
    ("a rate of a measure not in the catalogue gives no figure",
     "Measure Mar 2021 Mar 2022\n"
     "Children subject to a child protection plan per 10,000 40.2 38.5\n"
     "Children looked after per 10,000 78 75\n",
     "2022-11-02",
     {("children_looked_after_rate", 78, "2021-03", "actual", None),
      ("children_looked_after_rate", 75, "2022-03", "actual", None)},
     set()),
    ("another council's column is a comparator",
     "Bolton Council\nChildren's Services Scrutiny Committee\n\n"
     "Indicator Bolton 2022/23 Wigan 2022/23\n"
     "Children in need 2,870 3,140\n",
     "2023-06-20",
     {("children_in_need", 2870, "2022", "actual", None)},
     {("children_in_need", 3140, "2022", "actual", None)}),
    ("abbreviated statistical neighbours column is a comparator",
     "Indicator 2017/18 Q3 2018/19 Target England Stat. neighbours\n"
     "Agency social workers 9.5% 11.0% 8% 15.4% 13.9%\n",
     "2019-03-20",
     {("agency_staff_pct", 9.5, "2017", "actual", None), ("agency_staff_pct", 11.0, "2018-12", "actual", None),
      ("agency_staff_pct", 8, None, "target", None)},
     {("agency_staff_pct", 15.4, "2019-03-20", "actual", None),
      ("agency_staff_pct", 13.9, "2019-03-20", "actual", None)}),
    ("a target cell in words: 'below 10%' is at most 10",
     "Performance measure 31 Mar 2017 30 Jun 2017 Target\n\n"
     "Social worker vacancy rate 8.1% 7.4% below 10%\n",
     "2017-09-12",
     {("vacancy_rate_pct", 8.1, "2017-03-31", "actual", None), ("vacancy_rate_pct", 7.4, "2017-06-30", "actual", None),
      ("vacancy_rate_pct", 10, None, "target", "at_most")},
     set()),
    ("RAG and direction-of-travel columns hold words, so rows ending in them are still rows",
     "Measure Q4 2016/17 Q1 2018/19 Target Region Direction of travel\n"
     "Children looked after 641 690 n/a n/a Worsening\n"
     "Average social worker caseload 21.1 17.9 18 n/a Improving\n\n"
     "Indicator 2011/12 Q3 2012/13 England RAG\n"
     "Children looked after per 10,000 children 28 30 59 Green\n",
     "2018-07-17",
     {("children_looked_after", 641, "2017-03", "actual", None),
      ("children_looked_after", 690, "2018-06", "actual", None),
      ("caseload_per_worker", 21.1, "2017-03", "actual", None),
      ("caseload_per_worker", 17.9, "2018-06", "actual", None),
      ("caseload_per_worker", 18, None, "target", None), ("children_looked_after_rate", 28, "2011", "actual", None),
      ("children_looked_after_rate", 30, "2012-12", "actual", None)},
     {("children_looked_after_rate", 59, "2018-07-17", "actual", None)}),
    ("a spaced dash between two cells is an empty cell, not a range; '(%)' in a label makes its cells per cent",
     "Indicator 2010/11 2011/12 Target England Statistical neighbours\n"
     "CLA per 10,000 children 44 45 - 59 52\n"
     "SW vacancy rate (%) 12.4 8.9 7.0 - -\n",
     "2012-06-27",
     {("children_looked_after_rate", 44, "2010", "actual", None),
      ("children_looked_after_rate", 45, "2011", "actual", None),
      ("vacancy_rate_pct", 12.4, "2010", "actual", None), ("vacancy_rate_pct", 8.9, "2011", "actual", None),
      ("vacancy_rate_pct", 7, None, "target", None)},
     {("children_looked_after_rate", 59, "2012-06-27", "actual", None),
      ("children_looked_after_rate", 52, "2012-06-27", "actual", None)}),
    ("columns named 'Last year' / 'This quarter' / 'Target' take the dates the text before the table gives them",
     "In the table, Last year is the position at 31 March 2019; This quarter is the position at 30 September "
     "2019; Target is the level to be achieved by 31 March 2020.\n\n"
     "Measure Last year This quarter Target Trend\n"
     "Children subject to a child protection plan 512 478 480 Improving\n",
     "2019-11-20",
     {("child_protection_plans", 512, "2019-03-31", "actual", None),
      ("child_protection_plans", 478, "2019-09-30", "actual", None),
      ("child_protection_plans", 480, "2020-03-31", "target", None)},
     set()),
    ("columns named by councils: the other council's are comparators; a date in the label dates them",
     "Halton Borough Council\n\nMeasure (at 30 September 2020) Halton Warrington\n\n"
     "Children looked after 327 402\n\nRate per 10,000 children 120 86\n",
     "2020-11-16",
     {("children_looked_after", 327, "2020-09-30", "actual", None),
      ("children_looked_after_rate", 120, "2020-09-30", "actual", None)},
     {("children_looked_after", 402, "2020-09-30", "actual", None),
      ("children_looked_after_rate", 86, "2020-09-30", "actual", None)}),
    ("PDF table: ruled header, Target column, dash and signed cells, a number in a label",
     "Table 3: Social work workforce (FTE) Mar 2023 Mar 2024 Target\n"
     "----------------------------------------------------------------\n"
     "Social workers in post 310.5 322.0 -\n"
     "Agency rate 21.4% 16.9% <12%\n"
     "Turnover (rolling 12 months) 19.5% 17.1% 14%\n",
     "2024-05-09",
     {("social_workers", 310.5, "2023-03", "actual", None),
      ("social_workers", 322.0, "2024-03", "actual", None),
      ("agency_staff_pct", 21.4, "2023-03", "actual", None),
      ("agency_staff_pct", 16.9, "2024-03", "actual", None),
      ("agency_staff_pct", 12, None, "target", "at_most"),
      ("turnover_rate_pct", 19.5, "2023-03", "actual", None),
      ("turnover_rate_pct", 17.1, "2024-03", "actual", None),
      ("turnover_rate_pct", 14, None, "target", None)},
     set()),
    ("Target column after two month columns; a row of no catalogue metric gives nothing",
     "Performance scorecard\n\n"
     "Indicator Jun 2019 Dec 2019 Target\n"
     "Children looked after 512 498 –\n"
     "Re-referrals within 12 months 23% 21% 20%\n"
     "Agency social workers 29% 24% 18%\n",
     "2020-02-04",
     {("children_looked_after", 512, "2019-06", "actual", None),
      ("children_looked_after", 498, "2019-12", "actual", None),
      ("agency_staff_pct", 29, "2019-06", "actual", None),
      ("agency_staff_pct", 24, "2019-12", "actual", None),
      ("agency_staff_pct", 18, None, "target", None)},
     set()),
    ("dates as dd.mm.yy",
     "Table 2: Demand at year end\n\n"
     "31.03.19 31.03.20\n"
     "Children in need 3,410 3,655\n"
     "Child protection plans 402 388\n",
     "2020-07-15",
     {("children_in_need", 3410, "2019-03-31", "actual", None),
      ("children_in_need", 3655, "2020-03-31", "actual", None),
      ("child_protection_plans", 402, "2019-03-31", "actual", None),
      ("child_protection_plans", 388, "2020-03-31", "actual", None)},
     set()),
    ("months as Mon-yy",
     "Measure Sep-21 Mar-22\n"
     "Referrals 1,204 1,390\n",
     "2022-06-01",
     {("referrals", 1204, "2021-09", "actual", None), ("referrals", 1390, "2022-03", "actual", None)},
     set()),
    ("financial years and a range target",
     "Indicator 2017/18 2018/19 Target\n"
     "Average caseload 22 18 16-18\n",
     "2019-06-11",
     {("caseload_per_worker", 22, "2017", "actual", None), ("caseload_per_worker", 18, "2018", "actual", None),
      ("caseload_per_worker", 17, None, "target", None)},
     set()),
    ("a Change column and signed changes give no figure",
     "Key figures Mar 2022 Mar 2023 Change\n"
     "Children looked after 455 470 +15\n"
     "Agency rate 20% 18% -2%\n",
     "2023-06-01",
     {("children_looked_after", 455, "2022-03", "actual", None),
      ("children_looked_after", 470, "2023-03", "actual", None),
      ("agency_staff_pct", 20, "2022-03", "actual", None), ("agency_staff_pct", 18, "2023-03", "actual", None)},
     set()),
    ("a header of names: the money column names the metric",
     "Placements at 31 March 2022\n\n"
     "Placement type Children Average weekly cost\n"
     "Residential children's homes 41 £6,100\n",
     "2022-07-11",
     {("residential_placements", 41, "2022-03-31", "actual", None),
      ("placement_weekly_cost_gbp", 6100, "2022-03-31", "actual", None)},
     set()),
    ("a bracketed year in a header names its column",
     "Measure March 2021 September 2021 Target England (2020)\n"
     "Children looked after 301 296 – –\n"
     "Agency social workers (%) 31% 27% 20% 15.5%\n",
     "2021-11-09",
     {("children_looked_after", 301, "2021-03", "actual", None),
      ("children_looked_after", 296, "2021-09", "actual", None),
      ("agency_staff_pct", 31, "2021-03", "actual", None), ("agency_staff_pct", 27, "2021-09", "actual", None),
      ("agency_staff_pct", 20, None, "target", None)},
     {("agency_staff_pct", 15.5, "2020", "actual", None)}),
    ("a row labelled in days takes days",
     "Measure Mar 2021 Dec 2021\n"
     "Sickness days per FTE 10.5 9.1\n",
     "2022-01-20",
     {("sickness_absence_days", 10.5, "2021-03", "actual", None),
      ("sickness_absence_days", 9.1, "2021-12", "actual", None)},
     set()),
    ("a row followed by an 'of which' row is still a row",
     "31 March 2020 31 March 2021\n"
     "Approved fostering households 180 176\n"
     "of which connected persons households 40 44\n",
     "2021-06-20",
     {("foster_carers", 180, "2020-03-31", "actual", None), ("foster_carers", 176, "2021-03-31", "actual", None)},
     set()),
    ("columns that name measures make the row label a team, dated by the words before the table",
     "The workforce by service as at 30 September 2012 was:\n\n"
     "Service Social workers (FTE) Vacancies (FTE) Average caseload\n"
     "Referral and Assessment 31 4 21\n"
     "Looked After Children 19 2.5 15\n",
     "2012-11-20",
     {("social_workers", 31, "2012-09-30", "actual", None), ("vacancies", 4, "2012-09-30", "actual", None),
      ("caseload_per_worker", 21, "2012-09-30", "actual", None),
      ("social_workers", 19, "2012-09-30", "actual", None), ("vacancies", 2.5, "2012-09-30", "actual", None),
      ("caseload_per_worker", 15, "2012-09-30", "actual", None)},
     set()),
    ("a forecast variance column in £m with brackets gives overspends and underspends",
     "Service area Budget 2020/21 (£m) Forecast variance at Period 6 (£m)\n"
     "Placements 31.250 2.140\n"
     "Fostering 8.400 (0.210)\n",
     "2020-11-10",
     {("budget_gbp", 31250000, "2020", "actual", None), ("overspend_gbp", 2140000, "2020", "actual", None),
      ("budget_gbp", 8400000, "2020", "actual", None), ("overspend_gbp", -210000, "2020", "actual", None)},
     set()),
    ("quarters with two-digit years name their columns",
     "Measure                  Q1 19/20  Q2 19/20  Target  England\n"
     "Children looked after         298       305       -        -\n"
     "Approved fostering households 101        99     115        -\n",
     "2020-01-28",
     {("children_looked_after", 298, "2019-06", "actual", None),
      ("children_looked_after", 305, "2019-09", "actual", None),
      ("foster_carers", 101, "2019-06", "actual", None), ("foster_carers", 99, "2019-09", "actual", None),
      ("foster_carers", 115, None, "target", None)},
     set()),
    ("the council's own column beside statistical neighbours and England",
     "Kingston upon Hull City Council\n\n"
     "Indicator Hull Statistical neighbours England\n"
     "Average social worker caseload 17.8 16.9 16.3\n",
     "2019-11-29",
     {("caseload_per_worker", 17.8, "2019-11-29", "actual", None)},
     {("caseload_per_worker", 16.9, "2019-11-29", "actual", None),
      ("caseload_per_worker", 16.3, "2019-11-29", "actual", None)}),
    ("the words introducing a table name the measure its row labels do not",
     "The savings expected from each workstream were:\n\n"
     "Workstream 2021/22 2022/23\n"
     "Placement sufficiency £0.90m £1.75m\n",
     "2021-11-30",
     {("savings_gbp", 900000, "2021", "actual", None), ("savings_gbp", 1750000, "2022", "actual", None)},
     set()),
    ("a budget table in £000 gives the budget column only, for the year named above it",
     "The revenue budget for 2019/20 was monitored at Month 8. Figures in £000:\n\n"
     "Service Budget Forecast Variance\n"
     "Children in care placements 21,400 23,050 1,650\n"
     "Fostering service 6,310 6,020 (290)\n"
     "Total 27,710 29,070 1,360\n",
     "2020-01-14",
     {("budget_gbp", 21400000, "2019", "actual", None), ("budget_gbp", 6310000, "2019", "actual", None),
      ("budget_gbp", 27710000, "2019", "actual", None)},
     set()),
    ("rows labelled by financial year, counted at 31 March each year, hold that March",
     "The Council holds the following numbers.\n\n"
     "Year Children In Need Child Protection Plans Children In Care\n"
     "2018/19 3120 288 541\n"
     "2019/20 3075 312 566\n\n"
     "These are the numbers of children as at 31 March of each reporting year.\n",
     "2021-06-01",
     {("children_in_need", 3120, "2019-03-31", "actual", None),
      ("child_protection_plans", 288, "2019-03-31", "actual", None),
      ("children_looked_after", 541, "2019-03-31", "actual", None),
      ("children_in_need", 3075, "2020-03-31", "actual", None),
      ("child_protection_plans", 312, "2020-03-31", "actual", None),
      ("children_looked_after", 566, "2020-03-31", "actual", None)},
     set()),
    ("a numbered caption under the rows names the measure; the England row compares",
     "Level of need\n\n"
     "  2019 2020 2021\n"
     "Oakshire 512 530 498\n"
     "England 78,150 80,080 80,850\n"
     "Table 2: Number of looked after children as at 31 March each year.\n",
     "2022-01-10",
     {("children_looked_after", 512, "2019-03-31", "actual", None),
      ("children_looked_after", 530, "2020-03-31", "actual", None),
      ("children_looked_after", 498, "2021-03-31", "actual", None)},
     {("children_looked_after", 78150, "2019-03-31", "actual", None),
      ("children_looked_after", 80080, "2020-03-31", "actual", None),
      ("children_looked_after", 80850, "2021-03-31", "actual", None)}),
    ("an over/(under)spend column in brackets is an underspend",
     "Area Budget Over/(under)spend\n"
     "Leaving care £1,900,000 (£45,000)\n"
     "Fostering £6,000,000 £120,000\n",
     "2021-02-02",
     {("budget_gbp", 1900000, "2020", "actual", None), ("budget_gbp", 6000000, "2020", "actual", None),
      ("overspend_gbp", -45000, "2020", "actual", None), ("overspend_gbp", 120000, "2020", "actual", None)},
     set()),
]


def _rows(figures) -> set[tuple]:
    return {(f.metric, round(f.value, 2), f.as_of, f.kind, f.qualifier) for f in figures}


@pytest.mark.parametrize(("text", "meeting_date", "expected", "comparators"),
                         [pytest.param(*case[1:], id=case[0]) for case in SHAPES])
def test_table_shape_gives_each_cell_its_column(text, meeting_date, expected, comparators):
    figures, found_comparators = find_figures(text, Meeting(meeting_date=meeting_date))
    assert _rows(figures) == expected
    assert _rows(found_comparators) == comparators


def test_prose_line_ending_in_two_years_is_not_a_header():
    text = ("The Committee compared the position in 2019 and 2020\n"
            "Children looked after 436\n")
    figures, _ = find_figures(text, Meeting(meeting_date="2021-03-04"))
    assert [f.as_of for f in figures if f.value == 436] != ["2019"]


def test_wrapped_prose_line_ending_in_a_number_is_not_a_table_row():
    text = ("Measure Mar 2021 Mar 2022\n"
            "Children looked after 455 470\n\n"
            "2.1 The Director said that the agency rate compared with 17.9%\n"
            "for England, so the position had improved.\n")
    figures, comparators = find_figures(text, Meeting(meeting_date="2022-09-01"))
    assert 17.9 not in {f.value for f in figures}
    assert {f.value for f in comparators} == {17.9}


def test_manifest_council_decides_which_council_column_is_the_documents_own():
    text = ("Joint report of the Greater Manchester councils\n\n"
            "Indicator Trafford 2022/23 Stockport 2022/23\n"
            "Children in need 2,870 3,140\n")
    figures, comparators = find_figures(text, Meeting(council="Stockport", meeting_date="2023-06-20"))
    assert [f.value for f in figures] == [3140]
    assert [f.value for f in comparators] == [2870]

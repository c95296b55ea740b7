"""When a figure holds: dates, months, years, financial years, quarters and relative phrases.

Words live in ``months.csv`` and ``period_words.csv``. A financial year is its start year
("2017/18" is 2017); a quarter is its last month (Q2 of 2022/23 is 2022-09).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from etl.literals import caseless, fold

_HERE = Path(__file__).parent


def _rows(name: str) -> list[dict[str, str]]:
    with open(_HERE / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


MONTHS = {r["word"]: int(r["month"]) for r in _rows("months.csv")}  # month names and abbreviations → 1..12
_RELATIVE = {r["phrase"]: (r["kind"], int(r["years"])) for r in _rows("period_words.csv")}
MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))  # for regexes: longest first
_REL = "|".join(re.escape(p) for p in sorted(_RELATIVE, key=len, reverse=True))
_YEAR = r"(?:19|20)\d{2}"
# a year-shaped number that counts, not a year: "over 2000" children, "from 1996 in 18/19"; shared with numbers.py
NUMBER_NOT_YEAR_BEFORE = r"(?<!over\s)(?<!than\s)(?<!nearly\s)(?<!almost\s)(?<!approximately\s)"
NUMBER_NOT_YEAR_AFTER = rf"\s+in\s+(?:\d\d/\d\d|{_YEAR})"
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5, "one": 1, "1": 1}

_PERIOD = re.compile(rf"""
    \b                                                                   # a period starts a word
    (?P<prefix>by\s+(?:the\s+end\s+of\s+(?:the\s+)?)?|since\s+|before\s+   # target date / start of interval
      |(?:at\s+)?(?:the\s+)?(?:financial\s+)?year[\s-]end\s+(?:\(\d{{1,2}}(?:st|th)?\s+march\)\s+)?(?:of\s+)?
       (?=(?:19|20)\d\d\s?[/–-]))?                                       # at year end (31st March) 2015-16
    (?:
      (?:q|quarter\s*)(?P<q>[1-4])(?:\s+of)?\s+(?P<qy>{_YEAR}|\d{{2}}(?=[/-]\d{{2}}\b))\s?[/-]\s?\d{{2,4}}\b
                                                                         # Q2 2022/23, Q1 19/20
     |(?:at\s+|in\s+|for\s+|during\s+)(?:the\s+end\s+of\s+)?(?:q|quarter\s*)(?P<qn>[1-4])\b
       (?!\s+(?:of\s+)?(?:(?:19|20)\d\d|\d\d[/-]\d\d\b))                       # Q3 (no year)
     |(?:(?P<m0>{MONTH_WORDS})\s+(?:and|to|-|–)\s+)(?P<m1>{MONTH_WORDS})\.?,?\s+(?P<y1>{_YEAR})\b  # June to August 2017
     |(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<dm>{MONTH_WORDS})\.?,?\s+(?P<dy>{_YEAR})\b   # 31 March 2022
     |(?P<bd>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<bdm>{MONTH_WORDS})\b(?!\.?,?\s+\d)   # 31 March (the latest)
     |(?P<mm>{MONTH_WORDS})\.?,?\s+(?P<my>{_YEAR})\b                          # September 2022
     |(?P<fy>{_YEAR})\s?[/–-]\s?(?:\d{{2}}|{_YEAR})\b                    # 2017/18, 2012-13
     |(?<![\d/.£])(?P<sfy>[0-3]\d)/(?P<sfy2>[0-3]\d)\b(?![/.]\d)           # 18/19 (when the years follow)
     |{NUMBER_NOT_YEAR_BEFORE}(?P<y>{_YEAR})\b(?!\s?%|,\d|{NUMBER_NOT_YEAR_AFTER})  # 2017
     |(?:end\s+of\s+|last\s+day\s+of\s+|in\s+|at\s+)(?P<bm>{MONTH_WORDS})\b(?!\s+\d)   # the end of August
     |in\s+(?P<ahead>two|three|four|five|[1-5])\s+years?['’]?\s+time      # in three years' time
     |(?P<rel>{_REL})\b(?!\s+to\b)                                       # a year earlier, now
    )
""", re.IGNORECASE | re.VERBOSE)
# The same pattern, case-sensitive, run on lower-cased text: several times faster, same matches.
_FOLDED = re.compile(_PERIOD.pattern, re.VERBOSE) if caseless(_PERIOD.pattern, re.VERBOSE) else None
_QUARTER_NAME = r"(?:quarter\s*[1-4]|(?:first|second|third|fourth)\s+quarter)\b"
_HEADING_QUARTER = re.compile(
    rf"(?P<q>{_QUARTER_NAME}).{{0,60}}?(?P<y>{_YEAR})\s?[/-]\s?\d{{2}}"
    rf"|(?P<y2>{_YEAR})\s?[/-]\s?\d{{2}}\b.{{0,40}}?(?P<q2>{_QUARTER_NAME})|(?P<fy>{_YEAR})/\d{{2}}",
    re.IGNORECASE)  # "Quarter 3 … 2023/24", "2021/22 Finance Third Quarter Monitoring Report", "2019/20"
_ORDINAL_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


@dataclass(frozen=True)
class Period:
    """A time phrase: ``kind`` is at, by, since, earlier, now or fy; ``as_of`` is set for at and by."""

    start: int
    end: int
    kind: str
    as_of: str | None = None
    years: int = 0
    financial: bool = False  # a financial year ("2019/20"): the money figures of one clause share it


def find_periods(text: str, meeting_date: str | None = None) -> list[Period]:
    """Time phrases in ``text``, resolved against the meeting date where they need it.

    >>> [p.as_of for p in find_periods("as at 31 March 2022, in September 2022, in 2017/18, Q2 of 2022/23")]
    ['2022-03-31', '2022-09', '2017', '2022-09']
    >>> [(p.kind, p.as_of) for p in find_periods("by March 2025; since 2010", "2024-01-10")]
    [('by', '2025-03'), ('since', '2010')]
    >>> [p.as_of for p in find_periods("at the end of August, at Quarter 3", "2023-02-07")]
    ['2022-08', '2022-12']
    >>> [(p.kind, p.as_of) for p in find_periods("a year earlier, the year before last, now", "2011")]
    [('earlier', None), ('at', '2009'), ('now', None)]
    """
    folded = fold(text)
    matches = _PERIOD.finditer(text) if _FOLDED is None or len(folded) != len(text) else _FOLDED.finditer(folded)
    return [_period(m, meeting_date) for m in matches if not m.group("sfy") or _years_follow(m)]


def _years_follow(m: re.Match) -> bool:
    """"18/19" is a financial year; "5/22" or "18/12" is not."""
    return int(m.group("sfy2")) == int(m.group("sfy")) + 1


def dates_in(text: str, meeting_date: str | None = None, kinds: tuple[str, ...] = ("at",)) -> list[str]:
    """The dates (as_of) of the time phrases of ``kinds`` in ``text``, in order: a label's or a heading's dates.

    >>> dates_in("Measure (at 30 September 2020), by March 2021"), dates_in("by March 2021", kinds=("at", "by"))
    (['2020-09-30'], ['2021-03'])
    """
    return [p.as_of for p in find_periods(text, meeting_date) if p.kind in kinds and p.as_of]


_EACH_YEAR = re.compile(rf"\bat\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{MONTH_WORDS})\s+(?:of\s+)?each\s+"
                        r"(?:[a-z]+\s+)?year\b", re.IGNORECASE)  # "as at 31 March of each reporting year"


def yearly_counts(text: str) -> list[tuple[int, str]]:
    """Where ``text`` says its yearly figures are counted on one day ("as at 31 March each year"), and that day.

    >>> yearly_counts("Number of children as at 31 March each year. Rate at 31st March of each reporting year")
    [(22, '03-31'), (50, '03-31')]
    """
    return [(m.start(), f"{_month(m['month']):02d}-{int(m['day']):02d}") for m in _EACH_YEAR.finditer(text)]


def on_count_day(words: str, count_day: str | None, meeting_date: str | None = None) -> str | None:
    """The date of the year ``words`` name, on the day yearly figures are counted ("MM-DD"), when one is given:
    "2016/17" counted at 31 March is 2017-03-31, "2011" is 2011-03-31.

    >>> on_count_day("2016/17", "03-31"), on_count_day("2011", "03-31"), on_count_day("2016/17", None)
    ('2017-03-31', '2011-03-31', '2016')
    """
    found = [p for p in find_periods(words, meeting_date) if p.kind == "at" and p.as_of]
    if not found:
        return None
    as_of = found[-1].as_of
    if count_day is None or len(as_of) != 4:
        return as_of
    year = int(as_of) + (1 if found[-1].financial and int(count_day[:2]) < 4 else 0)
    return f"{year:04d}-{count_day}"


def shift_years(as_of: str | None, years: int) -> str | None:
    """``as_of`` moved by whole years.

    >>> shift_years("2014-02", -1), shift_years("2011", -2), shift_years(None, 1)
    ('2013-02', '2009', None)
    """
    if not as_of:
        return None
    return f"{int(as_of[:4]) + years:04d}{as_of[4:]}"


def financial_year(meeting_date: str | None) -> int | None:
    """Start year of the financial year (April to March) holding the date.

    >>> financial_year("2023-02-07"), financial_year("2021-10"), financial_year("2011"), financial_year(None)
    (2022, 2021, 2011, None)
    """
    if not meeting_date:
        return None
    year = int(meeting_date[:4])
    return year - 1 if len(meeting_date) >= 7 and int(meeting_date[5:7]) < 4 else year


def report_period(headings: str, meeting_date: str | None) -> tuple[str | None, int | None]:
    """Default as_of and financial year of a report, from its headings ("Quarter 3 ... 2023/24").

    >>> report_period("Minute 78: Quarter 3 Performance and Budget Monitoring 2023/24", "2024-03-22")
    ('2023-12', 2023)
    >>> report_period("74. 2020/21 Finance Quarter 3 Monitoring Report", "2021-04-06")
    ('2020-12', 2020)
    >>> report_period("2021/22 Finance Third Quarter Monitoring Report", "2022-04-13")
    ('2021-12', 2021)
    >>> report_period("Workforce update", "2021-10-13")
    ('2021-10-13', 2021)
    """
    m = _HEADING_QUARTER.search(headings)
    if m and (m.group("q") or m.group("q2")):
        name = (m.group("q") or m.group("q2")).lower()
        year, quarter = int(m.group("y") or m.group("y2")), _ORDINAL_QUARTERS.get(name.split()[0]) or int(name[-1])
        end = _quarter_end(year, quarter)
        if not meeting_date or end <= meeting_date[:7]:
            return end, year
    if m and m.group("fy"):
        return meeting_date, int(m.group("fy"))
    return meeting_date, financial_year(meeting_date)


def _quarter_end(fy_start: int, quarter: int) -> str:
    month = (3 + 3 * quarter - 1) % 12 + 1
    return f"{fy_start + (1 if quarter == 4 else 0):04d}-{month:02d}"


def _period(m: re.Match, meeting_date: str | None) -> Period:
    prefix = (m.group("prefix") or "").strip().lower()
    kind = {"by": "by", "since": "since", "before": "since"}.get(prefix.split(" ")[0], "at") if prefix else "at"
    end_of = "end of" in prefix or "year end" in prefix or "year-end" in prefix
    g = m.groupdict()
    if g["rel"]:
        rel_kind, years = _RELATIVE[" ".join(g["rel"].lower().split())]
        if rel_kind == "meeting":
            return Period(m.start(), m.end(), "at", shift_years(_year(meeting_date), years))
        if rel_kind == "quarter":  # "in the last quarter": the latest quarter ended before the meeting (its year
            end = _last_quarter_end(meeting_date)  # when that is all that is known of it)
            return Period(m.start(), m.end(), "at", end) if end else Period(m.start(), m.end(), "now")
        if rel_kind == "ended":  # "the outturn for the year": the financial year last ended by the meeting
            fy = financial_year(meeting_date)
            return Period(m.start(), m.end(), "at", None if fy is None else str(fy - years), financial=True)
        return Period(m.start(), m.end(), rel_kind, None, years)
    if g["ahead"]:
        years = _NUMBER_WORDS[g["ahead"].lower()]
        return Period(m.start(), m.end(), "at", shift_years(_year(meeting_date), years))
    return Period(m.start(), m.end(), kind, _as_of(g, meeting_date, end_of, kind == "by"),
                  financial=bool(g["fy"] or g["sfy"]))


def _as_of(g: dict, meeting_date: str | None, end_of: bool, ahead: bool = False) -> str | None:
    if g["q"]:
        return _quarter_end(int(g["qy"]) + (2000 if len(g["qy"]) == 2 else 0), int(g["q"]))
    if g["qn"]:  # the latest such quarter to have ended by the meeting
        fy = financial_year(meeting_date)
        if not fy or not meeting_date:
            return None
        ahead = _quarter_end(fy, int(g["qn"])) > meeting_date[:7]
        return _quarter_end(fy - 1 if ahead else fy, int(g["qn"]))
    if g["m1"]:
        return f"{g['y1']}-{_month(g['m1']):02d}"
    if g["d"]:
        return f"{g['dy']}-{_month(g['dm']):02d}-{int(g['d']):02d}"
    if g["bd"]:
        return _day_without_year(int(g["bd"]), _month(g["bdm"]), meeting_date, ahead)
    if g["mm"]:
        return f"{g['my']}-{_month(g['mm']):02d}"
    if g["fy"] or g["sfy"]:  # "by the end of the 2016/17 financial year": March 2017
        start = int(g["fy"]) if g["fy"] else 2000 + int(g["sfy"])
        return f"{start + 1}-03" if end_of else str(start)
    if g["y"]:
        return f"{g['y']}-12" if end_of else g["y"]
    return _month_without_year(_month(g["bm"]), meeting_date)


def _last_quarter_end(meeting_date: str | None) -> str | None:
    """The last month of the latest quarter ended before the meeting's month.

    >>> [_last_quarter_end(d) for d in ("2025-02-10", "2024-10", "2024", None)]
    ['2024-12', '2024-09', None, None]
    """
    if not meeting_date or len(meeting_date) < 7:
        return None
    year, month = int(meeting_date[:4]), int(meeting_date[5:7])
    end = (month - 1) // 3 * 3
    return f"{year - 1:04d}-12" if end == 0 else f"{year:04d}-{end:02d}"


def _month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _year(meeting_date: str | None) -> str | None:
    return meeting_date[:4] if meeting_date else None


def _day_without_year(day: int, month: int, meeting_date: str | None, ahead: bool) -> str | None:
    """"31 March" with no year: the latest such day by the meeting, or (``ahead``, a deadline) the next one.

    >>> _day_without_year(31, 3, "2020-06-01", False), _day_without_year(31, 3, "2020-03-10", False)
    ('2020-03-31', '2019-03-31')
    >>> _day_without_year(31, 3, "2020-06-01", True)
    '2021-03-31'

    A meeting known only to its year or month is compared at that precision: "29 November" at a 2021 meeting.

    >>> _day_without_year(29, 11, "2021", False), _day_without_year(29, 11, "2021-10", False)
    ('2021-11-29', '2020-11-29')
    """
    if not meeting_date or not 1 <= day <= 31:
        return None
    year = int(meeting_date[:4])
    known = f"{year:04d}-{month:02d}-{day:02d}"[:len(meeting_date)]
    if ahead and known < meeting_date:
        year += 1
    elif not ahead and known > meeting_date:
        year -= 1
    return f"{year:04d}-{month:02d}-{day:02d}"


def _month_without_year(month: int, meeting_date: str | None) -> str | None:
    if not meeting_date:
        return None
    year = int(meeting_date[:4])
    if len(meeting_date) >= 7 and month > int(meeting_date[5:7]):
        year -= 1
    return f"{year:04d}-{month:02d}"

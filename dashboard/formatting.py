"""How numbers, periods and figures are written for people: £1.2m, 42%, March 2019."""

from __future__ import annotations

import calendar
import math
import re


def money(value: float) -> str:
    """Pounds the way a finance report writes them.

    >>> money(40_800_000), money(552_000), money(6_100), money(-552_000), money(1_100_000_000)
    ('£40.8m', '£552k', '£6,100', '−£552k', '£1.1bn')
    """
    sign = "−" if value < 0 else ""
    v = abs(value)
    if v >= 1e9:
        text = f"£{_trim(v / 1e9)}bn"
    elif v >= 1e6:
        text = f"£{_trim(v / 1e6)}m"
    elif v >= 100_000:
        text = f"£{_trim(v / 1e3)}k"
    else:
        text = f"£{v:,.0f}"
    return sign + text


def number(value: float) -> str:
    """A count or rate with thousands separators and at most one decimal.

    >>> number(1020), number(13.5), number(16.0)
    ('1,020', '13.5', '16')
    """
    return f"{value:,.1f}".removesuffix(".0")


def _trim(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".") if v < 10 else f"{v:.1f}".removesuffix(".0")


UNIT_SUFFIX = {"pct": "%", "cases": " cases", "fte": " FTE", "days": " days", "per_10k": " per 10,000"}


def value(v: float | None, unit: str, low: float | None = None, high: float | None = None) -> str:
    """A figure with its unit; a range as its two ends.

    >>> value(42, "pct"), value(82.5, "pct", 80, 85), value(2e6, "gbp"), value(7, "count")
    ('42%', '80–85%', '£2m', '7')
    """
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if low is not None and high is not None and not _nan(low) and not _nan(high):
        if unit == "gbp":
            return f"{money(low)}–{money(high)}"
        return f"{number(low)}–{number(high)}{UNIT_SUFFIX.get(unit, '')}"
    if unit == "gbp":
        return money(v)
    return number(v) + UNIT_SUFFIX.get(unit, "")


def _nan(x: float) -> bool:
    return isinstance(x, float) and math.isnan(x)


def period(iso: str | None) -> str:
    """An ISO period as people say it.

    >>> period("2019-02-05"), period("2019-02"), period("2017"), period(None), period(float("nan"))
    ('5 February 2019', 'February 2019', '2017', 'undated', 'undated')
    """
    if not iso or (isinstance(iso, float) and math.isnan(iso)):
        return "undated"
    parts = str(iso).split("-")
    try:
        if len(parts) >= 2:
            month = calendar.month_name[int(parts[1])]
            return f"{int(parts[2])} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"
    except (ValueError, IndexError):
        return str(iso)
    return parts[0]


REVIEW_WORDS = {"unreviewed": "Not reviewed yet", "accepted": "Checked by a reviewer",
                "corrected": "Corrected by a reviewer", "added": "Added by a reviewer",
                "changed_since_review": "Changed since it was reviewed"}


def review(state: str | None) -> str:
    """A figure's review state in words.

    >>> review("corrected"), review(None)
    ('Corrected by a reviewer', 'Not reviewed yet')
    """
    return REVIEW_WORDS.get(state or "unreviewed", REVIEW_WORDS["unreviewed"])


QUALIFIER_WORDS = {"approx": "about ", "at_least": "at least ", "at_most": "at most "}


def qualified(v: float, unit: str, qualifier: str | None, low: float | None = None, high: float | None = None) -> str:
    """A figure as the minutes hedged it.

    >>> qualified(25, "pct", "approx"), qualified(5, "count", "at_most")
    ('about 25%', 'at most 5')
    """
    return QUALIFIER_WORDS.get(qualifier or "", "") + value(v, unit, low, high)


def change(new: float, old: float, unit: str) -> str:
    """The difference between two figures of one unit, signed; percentages change by points.

    >>> change(82.5, 42, "pct"), change(40.8e6, 41.4e6, "gbp"), change(13, 13, "cases"), change(7, 4, "count")
    ('+40.5 points', '−£600k', 'no change', '+3')
    """
    diff = new - old
    if abs(diff) < 1e-9:
        return "no change"
    sign = "+" if diff > 0 else "−"
    if unit == "pct":
        return f"{sign}{number(abs(diff))} points"
    if unit == "gbp":
        return sign + money(abs(diff))
    return sign + number(abs(diff)) + UNIT_SUFFIX.get(unit, "")


FAMILY_LABELS = {"workforce": "Workforce", "caseload": "Caseload", "placements": "Placements",
                 "budget": "Budget", "quality": "Quality"}
FAMILY_ORDER = list(FAMILY_LABELS)
KIND_LABELS = {"actual": "Reported figure", "target": "Target"}
UNIT_WORDS = {"pct": "per cent", "gbp": "pounds", "count": "number", "cases": "cases per worker",
              "fte": "full-time equivalent posts", "days": "days", "per_10k": "per 10,000 children"}


def words(code: str | None) -> str:
    """A stored code as words for people.

    >>> words("london_borough"), words("metropolitan_district"), words(None)
    ('London borough', 'Metropolitan district', 'Unknown')
    """
    if not code:
        return "Unknown"
    text = str(code).replace("_", " ")
    return text[:1].upper() + text[1:]


def month(day) -> str:
    """A date as a month and year, the way the minutes would say it.

    >>> import datetime
    >>> month(datetime.date(2019, 3, 14)), month(None)
    ('March 2019', 'undated')
    """
    if day is None or (isinstance(day, float) and math.isnan(day)) or str(day) in ("NaT", "nan"):
        return "undated"
    return f"{calendar.month_name[day.month]} {day.year}"


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text: str) -> str:
    """Untrusted text made inert inside Streamlit markdown (no links, emphasis, LaTeX or HTML).

    >>> md_escape("42% [click](javascript:x) $x$ <b>")
    '42% \\\\[click\\\\]\\\\(javascript\\\\:x\\\\) \\\\$x\\\\$ \\\\<b\\\\>'
    """
    return _MARKDOWN.sub(r"\\\1", str(text))

"""How a council's latest figure stands: red/amber/green against its own target, and whether it is stale."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

import pandas as pd

DIRECTIONS = Path(__file__).with_name("directions.csv")
AMBER_MARGIN = 0.10  # within 10% of the target (relative) counts as amber
STALE_DAYS = 365


@dataclass(frozen=True)
class Rag:
    """A rating with the words and icon that carry it without colour."""

    rating: str  # 'green', 'amber', 'red'
    words: str
    icon: str
    colour: str  # an st.badge colour


RATINGS = {
    "green": Rag("green", "On target", ":material/check_circle:", "green"),
    "amber": Rag("amber", "Close to target", ":material/warning:", "orange"),
    "red": Rag("red", "Off target", ":material/cancel:", "red"),
}


@cache
def better() -> dict[str, str]:
    """Which way is better for each metric: 'higher', 'lower' or 'neutral' (from directions.csv)."""
    with open(DIRECTIONS, newline="", encoding="utf-8") as f:
        return {row["metric"]: row["better"] for row in csv.DictReader(f)}


def rag(metric: str, value: float, target: float | None) -> Rag | None:
    """Rate a figure against the council's own target; None when there is no target or no better direction.

    >>> rag("permanent_staff_pct", 82.5, 90).rating, rag("permanent_staff_pct", 42, 90).rating
    ('amber', 'red')
    >>> rag("agency_staff_pct", 12, 15).rating, rag("referrals", 10, 12), rag("agency_staff_pct", 12, None)
    ('green', None, None)
    """
    way = better().get(metric, "neutral")
    if target is None or _missing(target) or _missing(value) or way == "neutral":
        return None
    gap = (target - value) if way == "higher" else (value - target)
    if gap <= 0:
        return RATINGS["green"]
    if gap <= AMBER_MARGIN * abs(target):
        return RATINGS["amber"]
    return RATINGS["red"]


def is_stale(latest: date | None, newest_minutes: date | None) -> bool:
    """True when a figure describes a time over 12 months before the newest minutes loaded.

    >>> is_stale(date(2017, 7, 1), date(2019, 2, 1)), is_stale(date(2018, 6, 1), date(2019, 2, 1))
    (True, False)
    """
    latest, newest = _day(latest), _day(newest_minutes)
    if latest is None or newest is None:
        return False
    return (newest - latest).days > STALE_DAYS


def _day(value) -> date | None:
    if value is None or _missing(value) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.date()
    return value


def _missing(x) -> bool:
    return isinstance(x, float) and math.isnan(x)

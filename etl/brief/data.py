"""Gather what a briefing needs from the warehouse, and the small series helpers the sections share."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd

from dashboard import brief_queries

SETTINGS = Path(__file__).with_name("settings.toml")


@cache
def settings() -> dict:
    """The briefing's settings: headline measures, which way is better, staleness."""
    with open(SETTINGS, "rb") as f:
        return tomllib.load(f)


@dataclass
class BriefData:
    """Everything one briefing is built from."""

    council: str
    as_of: date
    comparators: list[str]
    figures: pd.DataFrame                # council-wide figures of the council and comparators
    meetings: pd.DataFrame               # the council's meetings up to as_of
    official: pd.DataFrame | None        # England and per-council official statistics, if loaded
    checks: pd.DataFrame | None          # the council's figures that disagree with official statistics

    def actuals(self, metric: str, council: str | None = None) -> pd.DataFrame:
        """Reported figures of one metric, one per period (the latest said), oldest period first."""
        df = self.figures
        df = df[(df.council == (council or self.council)) & (df.metric == metric) & (df.kind == "actual")]
        df = df.sort_values(["period_day", "meeting_day"], na_position="first", kind="stable")
        return df.drop_duplicates("period_day", keep="last").reset_index(drop=True)

    def metrics(self, council: str | None = None) -> list[str]:
        """Metrics with at least one reported figure, headline measures first in settings order."""
        df = self.figures
        have = set(df[(df.council == (council or self.council)) & (df.kind == "actual")].metric)
        order = settings()["headline"]
        return [m for m in order if m in have] + sorted(have - set(order))

    def targets(self) -> pd.DataFrame:
        """The latest target set for each metric, oldest first."""
        df = self.figures
        df = df[(df.council == self.council) & (df.kind == "target")].sort_values("meeting_day", kind="stable")
        return df.drop_duplicates("metric", keep="last").reset_index(drop=True)

    def england(self, metric: str) -> pd.Series | None:
        """The latest official England figure for a metric, if loaded."""
        if self.official is None:
            return None
        df = self.official[(self.official.level == "national") & (self.official.metric == metric)]
        return None if df.empty else df.iloc[-1]

    def meeting_days(self) -> list[date]:
        """The council's meeting days up to as_of, oldest first."""
        return sorted({_day(d) for d in self.meetings.meeting_day})


def gather(db: Path, council: str, as_of: date, comparators: list[str] | None = None) -> BriefData:
    """Read the council's and comparators' figures, meetings and official statistics up to as_of."""
    known = brief_queries.councils(db)
    unknown = [c for c in [council, *(comparators or [])] if c not in known]
    if unknown:
        raise ValueError(f"{db}: no minutes loaded for {', '.join(unknown)}; councils with minutes: "
                         f"{', '.join(known) or 'none'}")
    comparators = [c for c in dict.fromkeys(comparators or []) if c != council]
    comparators = comparators[: settings()["max_comparators"]]
    everyone = [council, *comparators]
    figures = brief_queries.figures(db, everyone, as_of)
    for col in ("meeting_day", "period_day"):
        figures[col] = pd.to_datetime(figures[col]).dt.date
    meetings = brief_queries.meetings(db, council, as_of)
    meetings["meeting_day"] = pd.to_datetime(meetings.meeting_day).dt.date
    return BriefData(council, as_of, comparators, figures, meetings,
                     brief_queries.official(db, everyone, as_of), brief_queries.checks(db, council, as_of))


def _day(v: object) -> date:
    return pd.Timestamp(v).date()


def polarity(metric: str) -> int:
    """+1 when higher is better, −1 when lower is better, 0 when the catalogue does not say.

    >>> polarity("agency_staff_pct"), polarity("social_workers"), polarity("referrals")
    (-1, 1, 0)
    """
    s = settings()
    return 1 if metric in s["higher_is_better"] else -1 if metric in s["lower_is_better"] else 0


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from one day to another.

    >>> months_between(date(2019, 2, 1), date(2020, 3, 15))
    13
    """
    return (later.year - earlier.year) * 12 + later.month - earlier.month

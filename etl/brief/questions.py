"""Suggested questions: each rule in questions.toml names a check here that looks for its pattern in the data."""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from dashboard import formatting
from etl.brief.data import BriefData, months_between, polarity

RULES = Path(__file__).with_name("questions.toml")


@dataclass(frozen=True)
class Fig:
    """A figure from the minutes, to be written with its footnote."""

    row: pd.Series = field(compare=False)


@dataclass(frozen=True)
class Official:
    """An official statistic, to be written with its footnote."""

    row: pd.Series = field(compare=False)


@dataclass(frozen=True)
class Measure:
    """A measure named with its latest figure and when that was said."""

    row: pd.Series = field(compare=False)


@dataclass
class Question:
    """One suggested question: the rule that raised it, its wording and the values that fill it."""

    rule: str
    wording: str
    fields: dict[str, object]
    metric: str | None = None


@cache
def rules() -> list[dict]:
    """The question rules, in the order the briefing asks them."""
    with open(RULES, "rb") as f:
        return tomllib.load(f)["rule"]


def ask(data: BriefData) -> list[Question]:
    """The questions the rules raise for this council, in rule order.

    A rule with skip_if_asked leaves alone a measure an earlier rule has already asked about.
    """
    asked: set[str] = set()
    out = []
    for rule in rules():
        for q in CHECKS[rule["check"]](data, rule):
            if rule.get("skip_if_asked") and q.metric in asked:
                continue
            out.append(q)
            asked.add(q.metric or "")
    return out


def _question(rule: dict, row: pd.Series, **fields: object) -> Question:
    label = str(row["label"])
    return Question(rule["id"], rule["wording"], {"label": label, "label_lower": _lower(label), **fields},
                    str(row["metric"]))


def _lower(label: str) -> str:
    """A label inside a sentence: lower case unless it starts with an acronym.

    >>> _lower("Agency staff %"), _lower("CLA rate per 10k")
    ('agency staff %', 'CLA rate per 10k')
    """
    first = label.split(" ", 1)[0]
    return label if first.isupper() and len(first) > 1 else label[:1].lower() + label[1:]


def _sense(target: pd.Series) -> int:
    """+1 when a figure must be at or above the target, −1 at or below, 0 when unknown."""
    return {"at_least": 1, "at_most": -1}.get(target.get("qualifier") or "", polarity(str(target["metric"])))


def _misses(value: float, target: float, sense: int) -> bool:
    return (sense < 0 and value > target) or (sense > 0 and value < target)


def _off_target_running(data: BriefData, rule: dict) -> Iterator[Question]:
    targets = data.targets()
    for metric in rule["metrics"]:
        rows = targets[targets.metric == metric]
        if rows.empty:
            continue
        target = rows.iloc[-1]
        sense = _sense(target)
        acts = data.actuals(metric)
        acts = acts[acts.meeting_day >= target.meeting_day].drop_duplicates("meeting_day", keep="last")
        last = acts.tail(rule["meetings"])
        if sense and len(last) == rule["meetings"] and all(_misses(v, target.value, sense) for v in last.value):
            yield _question(rule, target, figures=[Fig(r) for _, r in last.iterrows()], meetings=words(len(last)),
                            target=Fig(target), set_in=_when(target.meeting_date))


def _growing(data: BriefData, rule: dict) -> Iterator[Question]:
    n = rule["rises"] + 1
    for metric in rule["metrics"]:
        last = data.actuals(metric).tail(n)
        if len(last) < n or last.value.iloc[-1] <= 0:
            continue
        days, values = list(last.period_day), list(last.value)
        rising = all(b > a for a, b in itertools.pairwise(values))
        close = all(months_between(a, b) <= rule["max_gap_months"] for a, b in itertools.pairwise(days))
        if rising and close:
            yield _question(rule, last.iloc[-1], figures=[Fig(r) for _, r in last.iterrows()],
                            rises=words(rule["rises"]))


def _target_unreported(data: BriefData, rule: dict) -> Iterator[Question]:
    for _, target in data.targets().iterrows():
        later = [d for d in data.meeting_days() if d > target.meeting_day]
        acts = data.actuals(str(target.metric))
        reported = acts[acts.meeting_day > target.meeting_day]
        if len(later) >= rule["min_later_meetings"] and reported.empty:
            later_words = "meeting" if len(later) == 1 else f"{words(len(later))} meetings"
            yield _question(rule, target, target=Fig(target), set_in=_when(target.meeting_date), later=later_words)


def _adverse_change(data: BriefData, rule: dict) -> Iterator[Question]:
    for metric in data.metrics():
        sense = polarity(metric)
        last = data.actuals(metric).tail(2)
        if not sense or len(last) < 2 or last.value.iloc[0] == 0:
            continue
        before, now = last.value.iloc[0], last.value.iloc[1]
        change = (now - before) / abs(before)
        if change * sense < 0 and abs(change) * 100 >= rule["min_change_pct"]:
            yield _question(rule, last.iloc[1], earlier=Fig(last.iloc[0]), figure=Fig(last.iloc[1]))


def _stale(data: BriefData, rule: dict) -> Iterator[Question]:
    stale = []
    for metric in data.metrics():
        latest = data.actuals(metric).sort_values("meeting_day", kind="stable").iloc[-1]
        if months_between(latest.meeting_day, data.as_of) > rule["months"]:
            stale.append(Measure(latest))
    if stale:
        yield Question(rule["id"], rule["wording"], {"measures": stale[: rule["max_measures"]],
                                                      "months": words(rule["months"])})


def _official_disagrees(data: BriefData, rule: dict) -> Iterator[Question]:
    if data.checks is None:
        return
    figures = data.figures.set_index("figure_key", drop=False)
    for _, check in data.checks.drop_duplicates("metric", keep="last").iterrows():
        if check.figure_key not in figures.index:
            continue
        row = figures.loc[check.figure_key]
        yield _question(rule, row, figure=Fig(row), official=Official(check))


def _worse_than_england(data: BriefData, rule: dict) -> Iterator[Question]:
    for metric in data.metrics():
        sense, england = polarity(metric), data.england(metric)
        if not sense or england is None or england.value == 0:
            continue
        latest = data.actuals(metric).iloc[-1]
        if england.unit != latest.unit:
            continue
        gap = (latest.value - england.value) / abs(england.value)
        if gap * sense < 0 and abs(gap) * 100 >= rule["min_gap_pct"]:
            yield _question(rule, latest, figure=Fig(latest), england=Official(england))


def words(n: int) -> str:
    """A small count in words, so the only digits in the briefing are figures with footnotes and dates.

    >>> words(2), words(12), words(40)
    ('two', 'twelve', '40')
    """
    names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
    return names[n] if 0 <= n < len(names) else str(n)


def _when(meeting_date: object) -> str:
    return formatting.period(str(meeting_date) if meeting_date else None)


CHECKS: dict[str, Callable[[BriefData, dict], Iterator[Question]]] = {
    "off_target_running": _off_target_running,
    "growing": _growing,
    "target_unreported": _target_unreported,
    "adverse_change": _adverse_change,
    "stale": _stale,
    "official_disagrees": _official_disagrees,
    "worse_than_england": _worse_than_england,
}

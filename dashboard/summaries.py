"""One plain-English sentence beside each chart, saying what it shows."""

from __future__ import annotations

import pandas as pd

from dashboard import formatting


def _figure(row) -> str:
    return formatting.qualified(row.value, row.unit, row.qualifier, row.low, row.high)


def trend_sentence(df: pd.DataFrame, label: str) -> str:
    """For each council: first and latest figure with their dates, and its target if any."""
    parts = []
    for council, rows in df.groupby("council", sort=True):
        actual = rows[rows.kind == "actual"].sort_values("period_day")
        targets = rows[rows.kind == "target"]
        if actual.empty:
            text = f"{council} has a target but no reported figure yet"
        else:
            first, last = actual.iloc[0], actual.iloc[-1]
            when_last = formatting.period(last.as_of or last.meeting_date)
            if len(actual) == 1:
                text = f"{council}: {_figure(last)} ({when_last}), the only figure"
            else:
                text = (f"{council}: {_figure(first)} ({formatting.period(first.as_of or first.meeting_date)}) "
                        f"to {_figure(last)} ({when_last}), {len(actual)} figures")
        if not targets.empty:
            text += f"; target {_figure(targets.iloc[-1])}"
        parts.append(text)
    return f"{label}. " + ". ".join(parts) + "."


def bar_sentence(df: pd.DataFrame, label: str) -> str:
    """Highest and lowest latest figure among the councils shown."""
    ordered = df.sort_values("value")
    top, bottom = ordered.iloc[-1], ordered.iloc[0]
    if len(df) == 1:
        return f"{label}: only {top.council} reports it, {_figure(top)} ({formatting.period(top.as_of)})."
    return (f"{label}, latest figure for {len(df)} councils: highest {top.council} {_figure(top)} "
            f"({formatting.period(top.as_of)}), lowest {bottom.council} {_figure(bottom)} "
            f"({formatting.period(bottom.as_of)}).")

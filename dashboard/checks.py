"""How a minutes figure stands against the official statistic: one escaped line with the DfE source a click away."""

from __future__ import annotations

import html

import pandas as pd

from dashboard import formatting

ICONS = {"discrepancy": "⚠️", "newer": "🆕", "agrees": "✓", "other": "ℹ️"}


def _kind(row) -> str:
    if row.newer_than_official:
        return "newer"
    if row.discrepancy:
        return "discrepancy"
    return "agrees" if row.comparable else "other"


def official_text(row) -> str:
    """The official value with its census day, e.g. '12.7% at 30 September 2024'; '' when there is none."""
    if pd.isna(row.official_value):
        return ""
    census = formatting.period(str(row.official_period)[:10])
    text = f"{formatting.value(row.official_value, row.official_unit)} at {census}"
    return text + (f" ({row.combined} together)" if isinstance(row.combined, str) else "")


def check_html(row) -> str:
    """One line of HTML: flag, verdict, official value, England, and links to the DfE source."""
    kind = _kind(row)
    parts = [f"{ICONS[kind]} <strong>{html.escape(row.check)}</strong>"]
    if kind == "newer":
        parts.append(f"the latest official figure is for {html.escape(formatting.period(str(row.latest_period)[:10]))}")
    official = official_text(row)
    if official:
        parts.append(f"DfE: {html.escape(official)}")
    if not pd.isna(row.england_value):
        parts.append(f"England {html.escape(formatting.value(row.england_value, row.official_unit))}")
    link = row.official_url if isinstance(row.official_url, str) and row.official_url.startswith("https://") else None
    if link and official:
        parts.append(f'<a href="{html.escape(link)}" target="_blank">{html.escape(row.official_source)}</a>')
    return (f'<div style="font-size:0.92em" title="{html.escape(row.official_definition)}">'
            + " · ".join(parts) + "</div>")


def summaries(df: pd.DataFrame) -> dict[str, str]:
    """figure_key → a short plain-text verdict with its flag and the official value, for tables."""
    return {row.figure_key: " ".join(p for p in (ICONS[_kind(row)], row.check, f"(DfE {official_text(row)})"
                                                   if official_text(row) else "") if p)
            for row in df.itertuples()}

"""Altair chart builders with one shared look: colour-blind-safe colours, shapes as well as colour."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard import formatting

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "wedge", "stroke"]


def with_labels(df: pd.DataFrame) -> pd.DataFrame:
    """Add the text columns tooltips show: the value as written and the period in words."""
    out = df.copy()
    out["shown"] = [formatting.qualified(v, u, q, lo, hi) for v, u, q, lo, hi in
                    zip(out.value, out.unit, out.qualifier, out.low, out.high, strict=True)]
    out["period"] = [formatting.period(a) for a in out.as_of]
    out["meeting"] = [formatting.period(m) for m in out.meeting_date]
    return out


def trend_chart(df: pd.DataFrame, y_title: str) -> alt.Chart:
    """Figures over time, one colour and shape per council; ranges as bars, targets as dashed rules."""
    df = with_labels(df)
    actual = df[df.kind == "actual"]
    targets = df[df.kind == "target"]
    councils = sorted(df.council.dropna().unique())
    colour = alt.Color("council:N", title="Council", scale=alt.Scale(domain=councils, range=PALETTE))
    shape = alt.Shape("council:N", title="Council", scale=alt.Scale(domain=councils, range=SHAPES))
    tooltip = [
        alt.Tooltip("council:N", title="Council"),
        alt.Tooltip("shown:N", title="Figure"),
        alt.Tooltip("period:N", title="Describes"),
        alt.Tooltip("meeting:N", title="Said at meeting"),
        alt.Tooltip("quote:N", title="Minutes say"),
    ]
    x = alt.X("period_day:T", title="Period the figure describes")
    y = alt.Y("value:Q", title=y_title)
    base = alt.Chart(actual)
    layers = [
        base.mark_rule(strokeWidth=3, opacity=0.5).encode(x=x, y="low:Q", y2="high:Q", color=colour)
        .transform_filter("isValid(datum.low)"),
        base.mark_line(opacity=0.4).encode(x=x, y=y, color=colour),
        base.mark_point(size=90, filled=True, opacity=0.95).encode(x=x, y=y, color=colour, shape=shape,
                                                                    tooltip=tooltip),
    ]
    if not targets.empty:
        layers.append(
            alt.Chart(targets).mark_rule(strokeDash=[6, 4], strokeWidth=2).encode(
                y="value:Q", color=colour, tooltip=tooltip)
        )
    return alt.layer(*layers).resolve_scale(color="shared", shape="shared").properties(height=380)

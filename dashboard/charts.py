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


def axis_title(label: str, unit: str) -> str:
    """A measure's name with its unit in words, for an axis.

    >>> axis_title("Permanent staff %", "pct"), axis_title("Budget", "gbp"), axis_title("Referrals", "count")
    ('Permanent staff (per cent)', 'Budget (pounds)', 'Referrals (number)')
    """
    return f"{label.removesuffix(' %').strip()} ({formatting.UNIT_WORDS.get(unit, unit)})"


def _value_axis(title: str, unit: str) -> alt.Axis:
    if unit == "gbp":
        expr = ("abs(datum.value) >= 1e6 ? '£' + format(datum.value / 1e6, '~r') + 'm' : "
                "abs(datum.value) >= 1e3 ? '£' + format(datum.value / 1e3, '~r') + 'k' : '£' + datum.value")
        return alt.Axis(title=title, labelExpr=expr)
    if unit == "pct":
        return alt.Axis(title=title, labelExpr="datum.value + '%'")
    return alt.Axis(title=title, format="~s")


def _short(text: str, limit: int = 220) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def trend_chart(df: pd.DataFrame, label: str, unit: str | None = None) -> alt.LayerChart:
    """Figures over time, one colour and shape per council; ranges as error bars, targets as dashed rules.

    Approximate figures are hollow. Clicking a point selects it (selection "pick", field figure_key).
    """
    df = with_labels(df)
    df["quote_short"] = [_short(q) for q in df.quote]
    df["approx"] = df.qualifier.fillna("").eq("approx")
    unit = unit or str(df.unit.iloc[0])
    actual = df[df.kind == "actual"]
    targets = df[df.kind == "target"].drop_duplicates(["council", "value"])
    councils = sorted(df.council.dropna().unique())
    colour = alt.Color("council:N", title="Council", scale=alt.Scale(domain=councils, range=PALETTE),
                       legend=alt.Legend(orient="top"))
    shape = alt.Shape("council:N", title="Council", scale=alt.Scale(domain=councils, range=SHAPES),
                      legend=alt.Legend(orient="top"))
    tooltip = [
        alt.Tooltip("council:N", title="Council"),
        alt.Tooltip("shown:N", title="Figure"),
        alt.Tooltip("period:N", title="Describes"),
        alt.Tooltip("meeting:N", title="Said at meeting"),
        alt.Tooltip("committee:N", title="Committee"),
        alt.Tooltip("quote_short:N", title="Minutes say"),
    ]
    x = alt.X("period_day:T", title="When the figure applies", axis=alt.Axis(format="%b %Y", labelAngle=0))
    y = alt.Y("value:Q", axis=_value_axis(axis_title(label, unit), unit), scale=alt.Scale(zero=unit != "gbp"))
    pick = alt.selection_point(name="pick", fields=["figure_key"], on="click", clear="dblclick")
    base = alt.Chart(actual)
    ranged = base.transform_filter("isValid(datum.low) && isValid(datum.high)")
    layers = [
        ranged.mark_rule(strokeWidth=2).encode(x=x, y="low:Q", y2="high:Q", color=colour),
        ranged.mark_tick(thickness=2, size=12).encode(x=x, y="low:Q", color=colour),
        ranged.mark_tick(thickness=2, size=12).encode(x=x, y="high:Q", color=colour),
        base.mark_line(opacity=0.5, strokeWidth=1.5).encode(x=x, y=y, color=colour),
        base.mark_point(size=110, strokeWidth=2).encode(
            x=x, y=y, color=colour, shape=shape, tooltip=tooltip,
            fill=alt.condition("datum.approx", alt.value("white"), colour),
        ).add_params(pick),
    ]
    if not targets.empty:
        rule = alt.Chart(targets)
        layers += [
            rule.mark_rule(strokeDash=[6, 4], strokeWidth=2).encode(y="value:Q", color=colour, tooltip=tooltip),
            rule.mark_text(align="left", dx=4, dy=-7, fontSize=12).encode(
                x=alt.value(0), y="value:Q", color=colour, text=alt.Text("target_text:N")
            ).transform_calculate(target_text="datum.council + ' target: ' + datum.shown"),
        ]
    return alt.layer(*layers).resolve_scale(color="shared", shape="shared").properties(height=380)


def bar_chart(df: pd.DataFrame, label: str, unit: str) -> alt.LayerChart:
    """One metric's latest figure per council as horizontal bars, each labelled with its value and date."""
    df = with_labels(df)
    df["text"] = [f"{s} ({p})" for s, p in zip(df.shown, df.period, strict=True)]
    order = df.sort_values("value", ascending=False).council.tolist()
    y = alt.Y("council:N", title=None, sort=order, axis=alt.Axis(labelLimit=220))
    x = alt.X("value:Q", axis=_value_axis(axis_title(label, unit), unit), scale=alt.Scale(zero=True))
    tooltip = [alt.Tooltip("council:N", title="Council"), alt.Tooltip("shown:N", title="Figure"),
               alt.Tooltip("period:N", title="Describes"), alt.Tooltip("meeting:N", title="Said at meeting")]
    base = alt.Chart(df)
    ranged = base.transform_filter("isValid(datum.low) && isValid(datum.high)")
    return alt.layer(
        base.mark_bar(color=PALETTE[0], height={"band": 0.7}).encode(x=x, y=y, tooltip=tooltip),
        ranged.mark_rule(color="black", strokeWidth=2).encode(x="low:Q", x2="high:Q", y=y),
        base.mark_text(align="left", dx=6, fontSize=12, color="black").encode(
            x=alt.X("label_at:Q"), y=y, text="text:N"
        ).transform_calculate(label_at="isValid(datum.high) ? max(datum.value, datum.high) : datum.value"),
    ).properties(height=max(120, 34 * len(df)))


CSV_COLUMNS = {"council": "council", "label": "measure", "family": "family", "shown": "figure", "value": "value",
               "low": "low", "high": "high", "unit": "unit", "qualifier": "qualifier", "kind": "kind",
               "as_of": "describes", "meeting_date": "meeting_date", "committee": "committee",
               "file_name": "document", "url": "url", "quote": "quote", "figure_key": "figure_key"}


def evidence_csv(df: pd.DataFrame) -> str:
    """Evidence rows as CSV with plain column names, the figure written out as well as its raw numbers."""
    out = with_labels(df)
    return out[list(CSV_COLUMNS)].rename(columns=CSV_COLUMNS).to_csv(index=False)

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


ENGLAND_COLOUR = "#555555"


def official_labels(df: pd.DataFrame) -> pd.DataFrame:
    """Add the text official values show: the value with its unit, the census day and a one-line source."""
    out = df.copy()
    out["shown"] = [formatting.value(v, u) for v, u in zip(out.value, out.unit, strict=True)]
    out["census"] = [formatting.period(str(p)[:10]) for p in out.period]
    return out


def official_layers(england: pd.DataFrame, own: pd.DataFrame, councils: list[str]) -> list[alt.Chart]:
    """Official reference lines: England in grey, each council's own series dashed in its colour, end-labelled."""
    tooltip = [
        alt.Tooltip("area:N", title="Official figure for"),
        alt.Tooltip("shown:N", title="Value"),
        alt.Tooltip("census:N", title="As at"),
        alt.Tooltip("source:N", title="Source"),
        alt.Tooltip("definition:N", title="Definition"),
    ]
    x = alt.X("period:T", axis=alt.Axis(format="%Y", tickCount="year"))
    y = alt.Y("value:Q")
    layers: list[alt.Chart] = []
    if not england.empty:
        eng = official_labels(england)
        base = alt.Chart(eng)
        last = eng.tail(1).assign(label=lambda d: "England (DfE, " + d.census + ")")
        layers += [
            base.mark_line(color=ENGLAND_COLOUR, strokeWidth=2, strokeDash=[8, 4]).encode(x=x, y=y),
            base.mark_point(color=ENGLAND_COLOUR, shape="square", size=40).encode(x=x, y=y, tooltip=tooltip),
            alt.Chart(last).mark_text(align="left", dx=8, dy=14, color=ENGLAND_COLOUR, fontWeight="bold")
            .encode(x=x, y=y, text="label:N"),
        ]
    if not own.empty:
        mine = official_labels(own).rename(columns={"area": "council"}).assign(area=lambda d: d.council)
        colour = alt.Color("council:N", scale=alt.Scale(domain=councils, range=PALETTE), legend=None)
        base = alt.Chart(mine)
        last = mine.sort_values("period").groupby("council").tail(1)
        last = last.assign(label=last.council + " (DfE)")
        layers += [
            base.mark_line(strokeWidth=1.5, strokeDash=[3, 3]).encode(x=x, y=y, color=colour),
            base.mark_point(shape="diamond", size=40, filled=False).encode(x=x, y=y, color=colour, tooltip=tooltip),
            alt.Chart(last).mark_text(align="left", dx=8, dy=-10).encode(x=x, y=y, text="label:N", color=colour),
        ]
    return layers


CHECK_FLAGS = {"discrepancy": "⚠️", "newer_than_official": "🆕"}


def check_labels(df: pd.DataFrame) -> pd.DataFrame:
    """Add the text a figure check shows: the figure as written, its period, the official value and a flag."""
    out = df.copy()
    if out.empty:
        return out.assign(shown=[], period=[], official=[], flag=[])
    out["shown"] = [formatting.qualified(v, u, q, lo, hi) for v, u, q, lo, hi in
                    zip(out.value, out.unit, out.qualifier, out.low, out.high, strict=True)]
    out["period"] = [formatting.period(a) for a in out.said_of]
    out["official"] = [
        "–" if pd.isna(v) else f"{formatting.value(v, u)} at {formatting.period(str(p)[:10])}"
        + (f" ({c} together)" if isinstance(c, str) else "")
        for v, u, p, c in zip(out.official_value, out.official_unit, out.official_period, out.combined, strict=True)]
    out["flag"] = ["".join(icon for col, icon in CHECK_FLAGS.items() if row[col]) for _, row in out.iterrows()]
    return out


def combined_note(own: pd.DataFrame) -> str:
    """A sentence naming the councils whose official figures DfE publishes together with another's.

    >>> combined_note(pd.DataFrame({"area": ["Kingston upon Thames"], "combined": ["Kingston upon Thames / Richmond"]}))
    'DfE publishes Kingston upon Thames together with Richmond.'
    >>> combined_note(pd.DataFrame({"area": ["Bromley"], "combined": [None]}))
    ''
    """
    if own.empty:
        return ""
    pairs = own.dropna(subset=["combined"]).drop_duplicates("area")
    parts = [f"{a} together with {' and '.join(p for p in c.split(' / ') if p != a)}"
             for a, c in zip(pairs.area, pairs.combined, strict=True)]
    return f"DfE publishes {'; '.join(parts)}." if parts else ""


def trend_with_official(df: pd.DataFrame, england: pd.DataFrame, own: pd.DataFrame, y_title: str) -> alt.LayerChart:
    """The minutes trend chart with official reference lines drawn behind it."""
    councils = sorted(df.council.dropna().unique())
    own = own[own.area.isin(councils)] if not own.empty else own
    minutes = trend_chart(df, y_title)
    return alt.layer(*official_layers(england, own, councils), *minutes.layer).resolve_scale(
        color="shared", shape="shared").properties(height=minutes.height)


def ranking_chart(df: pd.DataFrame, england: float | None, x_title: str, highlight: list[str] | None = None
                  ) -> alt.LayerChart:
    """Every council's official value as a ranked bar; councils whose minutes say something newer stand out.

    The England value, when given, is a dashed rule labelled "England".
    """
    df = df.assign(
        shown=[formatting.value(v, u) for v, u in zip(df.value, df.unit, strict=True)],
        census=[formatting.period(str(p)[:10]) for p in df.period],
        status=["Minutes say something newer" if n else "Official figure only" for n in df.minutes_newer],
        chosen=df.council.isin(highlight or []),
        newer=[formatting.period(a) if isinstance(a, str) else "" for a in df.minutes_as_of],
    )
    y = alt.Y("council:N", sort=alt.EncodingSortField("value", order="descending"), title=None,
              axis=alt.Axis(labelLimit=220))
    bars = alt.Chart(df).mark_bar(height={"band": 0.8}).encode(
        x=alt.X("value:Q", title=x_title),
        y=y,
        color=alt.Color("status:N", title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=["Official figure only", "Minutes say something newer"],
                                        range=["#9ECAE1", PALETTE[1]])),
        stroke=alt.condition("datum.chosen", alt.value("#000000"), alt.value(None)),
        strokeWidth=alt.value(2),
        tooltip=[alt.Tooltip("council:N", title="Council"), alt.Tooltip("shown:N", title="Official"),
                 alt.Tooltip("census:N", title="As at"), alt.Tooltip("source:N", title="Source"),
                 alt.Tooltip("combined:N", title="Published together as"),
                 alt.Tooltip("newer:N", title="Minutes give a figure for"),
                 alt.Tooltip("minutes_quote:N", title="Minutes say")],
    )
    layers = [bars]
    if england is not None:
        rule = pd.DataFrame({"value": [england], "label": [f"England {formatting.value(england, df.unit.iloc[0])}"]})
        layers += [alt.Chart(rule).mark_rule(color=ENGLAND_COLOUR, strokeDash=[6, 3], strokeWidth=2)
                   .encode(x="value:Q"),
                   alt.Chart(rule).mark_text(align="left", dx=4, dy=-4, color=ENGLAND_COLOUR, fontWeight="bold")
                   .encode(x="value:Q", y=alt.value(0), text="label:N")]
    return alt.layer(*layers).properties(height=alt.Step(14))

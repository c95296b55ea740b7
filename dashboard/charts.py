"""Altair chart builders with one shared look: colour-blind-safe colours, shapes as well as colour."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard import checks, formatting

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
    states = out.review_state if "review_state" in out else [None] * len(out)
    out["review"] = [formatting.review(s if isinstance(s, str) else None) for s in states]
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
    return alt.Axis(title=title, format="~s", tickMinStep=1 if unit in ("count", "fte") else None)


def _short(text: str, limit: int = 220) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def trend_chart(df: pd.DataFrame, label: str, unit: str | None = None, behind: list | None = None
                ) -> alt.LayerChart:
    """Figures over time, one colour and shape per council; ranges as error bars, targets as dashed rules.

    Approximate figures are hollow. Clicking a point selects it (selection "pick", field figure_key).
    `behind` are extra layers drawn underneath (e.g. official reference lines).
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
        alt.Tooltip("review:N", title="Review"),
    ]
    x = alt.X("period_day:T", title="When the figure applies", axis=alt.Axis(format="%b %Y", labelAngle=0),
              scale=alt.Scale(padding=18))
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
    return alt.layer(*(behind or []), *layers).resolve_scale(color="shared", shape="shared").properties(height=380)


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
        colour = alt.Color("council:N", title="Council", scale=alt.Scale(domain=councils, range=PALETTE),
                           legend=alt.Legend(orient="top"))
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
    out["official"] = [checks.official_text(row) or "–" for row in out.itertuples()]
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
    days = pd.to_datetime(df.period_day).dropna()
    if not days.empty:  # official years around the minutes shown, so they do not stretch the time axis
        first, last = days.min().year - 1, days.max().year + 1
        england = england[england.year.between(first, last)] if not england.empty else england
        own = own[own.year.between(first, last)] if not own.empty else own
    return trend_chart(df, y_title, behind=official_layers(england, own, councils))


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
              axis=alt.Axis(labelLimit=220, labelOverlap=False, labelFontSize=11))
    bars = alt.Chart(df).mark_bar(height={"band": 0.8}).encode(
        x=alt.X("value:Q", title=x_title),
        y=y,
        color=alt.Color("status:N", title=None, legend=alt.Legend(orient="top", labelLimit=320),
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
    return alt.layer(*layers).properties(height=alt.Step(18))

"""Small trend charts for the briefing, drawn offline to PNG with vl-convert."""

from __future__ import annotations

import altair as alt
import pandas as pd
import vl_convert

from dashboard import formatting
from dashboard.charts import PALETTE

WIDTH, HEIGHT = 250, 120


def trend_png(series: pd.DataFrame, title: str, target: float | None = None) -> bytes:
    """One council's figures for one measure over time as a PNG; a target as a dashed line."""
    df = series[["period_day", "value"]].assign(
        period_day=lambda d: pd.to_datetime(d.period_day).dt.strftime("%Y-%m-%d"))
    unit = str(series.unit.iloc[0])
    axis_title = formatting.UNIT_SUFFIX.get(unit, "").strip()
    x = alt.X("period_day:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=4))
    money = "'£' + format(datum.value / 1e6, '~g') + 'm'" if unit == "gbp" and series.value.max() >= 1e6 else None
    y = alt.Y("value:Q", title=None if unit == "gbp" else axis_title or None, scale=alt.Scale(zero=False),
              axis=alt.Axis(format=",.4~r", tickCount=4, **({"labelExpr": money} if money else {})))
    line = alt.Chart(df).mark_line(color=PALETTE[0], point=alt.OverlayMarkDef(size=50, filled=True)).encode(x=x, y=y)
    layers: list[alt.Chart] = [line]
    if target is not None:
        rule = pd.DataFrame({"value": [target]})
        dashed = alt.Chart(rule).mark_rule(color=PALETTE[5], strokeDash=[5, 3], strokeWidth=1.5)
        layers.append(dashed.encode(y="value:Q"))
    heading = alt.Title(title, fontSize=12, anchor="start")
    chart = alt.layer(*layers).properties(width=WIDTH, height=HEIGHT, title=heading)
    spec = chart.configure(font="DejaVu Sans").configure_view(stroke=None).to_dict()
    return vl_convert.vegalite_to_png(spec, scale=2)


def trend_alt(series: pd.DataFrame, label: str, council: str, target: float | None = None) -> str:
    """Alt text that says what the chart shows, point by point."""
    points = "; ".join(f"{formatting.period(r.as_of if isinstance(r.as_of, str) else r.meeting_date)}: "
                       f"{formatting.value(r.value, r.unit)}" for r in series.itertuples())
    aim = f" The dashed line is the target of {formatting.value(target, series.unit.iloc[0])}." if target else ""
    return f"Line chart of {label} in {council}, {len(series)} figures. {points}.{aim}"

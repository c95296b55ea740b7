"""Trends: one metric over time for the chosen councils, every point traceable to its sentence."""

import streamlit as st

from dashboard import charts, formatting, queries

st.title("Trends")

if not queries.has_figures():
    st.info(
        "No figures loaded yet. Build the database from the bundled minutes with "
        "`python -m etl run data/minutes` (or `make run`), then reload this page."
    )
    st.stop()

metrics = queries.metrics()
labels = dict(zip(metrics.metric, metrics.label, strict=True))
metric = st.selectbox("Measure", list(labels), format_func=labels.get)
available = queries.councils(metric).council.tolist()
chosen = st.multiselect("Councils", available, default=available[:4])

df = queries.trend(metric, chosen)
if df.empty:
    st.info("No figures for this measure and these councils. Choose another measure or add councils.")
    st.stop()

unit = df.unit.iloc[0]
st.caption(f"Each point is a figure officers reported in committee; hover for the sentence it came from. "
           f"Bars show ranges, dashed lines show targets. Unit: {formatting.UNIT_SUFFIX.get(unit, unit).strip()}.")
official = queries.official_metrics()
official = official[official.metric == metric]
show_official = not official.empty and st.toggle("Show official statistics (DfE)", value=True)
if show_official:
    england = queries.england_series(metric)
    own = queries.official_series(metric, chosen)
    chart = charts.trend_with_official(df, england, own, labels[metric])
    latest = england.iloc[-1]
    st.caption(f"Grey dashed line: England; dotted lines: each council's own official figure. "
               f"Source: [{latest.source}]({latest.source_url}), latest as at "
               f"{formatting.period(str(latest.period)[:10])}. Definition: {latest.definition}. "
               + charts.combined_note(own))
else:
    chart = charts.trend_chart(df, labels[metric])
st.altair_chart(chart, width="stretch")

table = charts.with_labels(df)[["council", "kind", "shown", "period", "meeting", "quote"]]
st.dataframe(table.rename(columns=str.capitalize), hide_index=True, width="stretch")

if show_official:
    st.subheader("Minutes against official statistics")
    checks = charts.check_labels(queries.figure_checks(chosen, metric))
    st.caption(f"{int(checks.newer_than_official.sum())} figure(s) newer than any official release; "
               f"{int(checks.discrepancy.sum())} differ from the official figure by more than the tolerance.")
    st.dataframe(
        checks[["flag", "council", "shown", "period", "official", "check", "quote", "official_url"]],
        hide_index=True, width="stretch",
        column_config={
            "flag": st.column_config.TextColumn("", width="small"),
            "council": "Council", "shown": "Minutes say", "period": "Describes", "quote": "Sentence in the minutes",
            "official": "Official (DfE)", "check": "Check",
            "official_url": st.column_config.LinkColumn("Official source", display_text="DfE statistics"),
        },
    )

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
st.altair_chart(charts.trend_chart(df, labels[metric]), width="stretch")

table = charts.with_labels(df)[["council", "kind", "shown", "period", "meeting", "quote"]]
st.dataframe(table.rename(columns=str.capitalize), hide_index=True, width="stretch")

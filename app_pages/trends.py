"""Trends: one measure over time for the chosen councils, every point traceable to its sentence."""

import streamlit as st

from dashboard import cards, charts, filters, formatting, queries, summaries

st.title("Trends")
filters.require_figures()
st.markdown("How one measure has changed over time, as officers reported it in committee. "
            "Pick a measure and councils; click a point to read the sentence it came from.")

metrics = queries.metrics()
left, right = st.columns([2, 3])
with left:
    metric = filters.metric(metrics)
available = queries.councils(metric)
top = available.sort_values("figures", ascending=False).council.head(4).tolist()
with right:
    chosen = filters.councils(available.council.tolist(), top)
span = queries.year_span()
years = filters.period(span)

row = metrics[metrics.metric == metric].iloc[0]
df = queries.trend_in(metric, chosen, *(years or span))
if df.empty:
    st.info("No figures for this measure, these councils and years. Add councils or widen the years.",
            icon=":material/info:")
    st.stop()

st.markdown(f"**{summaries.trend_sentence(df, row.label)}**")
event = st.altair_chart(charts.trend_chart(df, row.label, row.unit), width="stretch", key="trend_chart",
                        on_select="rerun", selection_mode="pick")
st.caption("Filled markers are figures as stated; hollow markers are approximate (“about 25%”). Vertical bars "
           "show ranges (“80–85%”) and dashed lines show the council's own targets. "
           "Hover for the sentence; click a point for its evidence, double-click to clear.")

picked = [p.get("figure_key") for p in (event.selection.get("pick") or [])] if event else []
if picked and picked[0] in set(df.figure_key):
    st.query_params["figure"] = picked[0]
key = st.query_params.get("figure")
if key:
    if key in set(df.figure_key):
        st.subheader("Evidence for the selected point")
        cards.evidence_card(key)
    else:
        st.caption("The figure named in the link is not among the points shown.")

table = charts.with_labels(df)
table["kind"] = table.kind.map(formatting.KIND_LABELS)
st.dataframe(
    table[["council", "shown", "period", "kind", "meeting", "committee", "quote"]],
    hide_index=True, width="stretch",
    column_config={"council": "Council", "shown": "Figure", "period": "Describes", "kind": "Kind",
                   "meeting": "Said at meeting", "committee": "Committee",
                   "quote": st.column_config.TextColumn("Minutes say", width="large")},
)

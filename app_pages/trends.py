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
df = queries.trend_in(metric, chosen, *(years or span or (0, 9999)))
if df.empty:
    st.info("No figures for this measure, these councils and years. Add councils or widen the years.",
            icon=":material/info:")
    st.stop()

st.markdown(f"**{summaries.trend_sentence(df, row.label)}**")
official = queries.official_metrics()
official = official[official.metric == metric] if not official.empty else official
show_official = not official.empty and st.toggle("Show official statistics (DfE)", value=True)
if show_official:
    england = queries.england_series(metric)
    own = queries.official_series(metric, chosen)
    chart = charts.trend_with_official(df, england, own, row.label)
else:
    chart = charts.trend_chart(df, row.label, row.unit)
event = st.altair_chart(chart, width="stretch", key="trend_chart", on_select="rerun", selection_mode="pick")
st.caption("Filled markers are figures as stated; hollow markers are approximate (“about 25%”). Vertical bars "
           "show ranges (“80–85%”) and dashed lines show the council's own targets. "
           "Hover for the sentence; click a point for its evidence, double-click to clear.")
if show_official and not england.empty:
    latest = england.iloc[-1]
    st.caption(f"Grey dashed line: England; dotted lines: each council's own official figure. "
               f"Source: [{latest.source}]({latest.source_url}), latest as at "
               f"{formatting.period(str(latest.period)[:10])}. Definition: {latest.definition}. "
               + charts.combined_note(own))

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
    table[["council", "shown", "period", "kind", "meeting", "committee", "quote", "review"]],
    hide_index=True, width="stretch",
    column_config={"council": "Council", "shown": "Figure", "period": "Describes", "kind": "Kind",
                   "meeting": "Said at meeting", "committee": "Committee",
                   "quote": st.column_config.TextColumn("Minutes say", width="large"), "review": "Review"},
)

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

"""Compare: councils side by side, latest figure of every measure, and one measure as a bar chart."""

import pandas as pd
import streamlit as st

from dashboard import charts, filters, formatting, queries, summaries

st.title("Compare councils")
filters.require_figures()
st.markdown("Councils side by side: the latest figure each council's minutes give for every measure, "
            "with its date. Narrow the councils by region or type of council.")

gazetteer = queries.gazetteer()
c1, c2 = st.columns(2)
with c1:
    regions = st.multiselect("Region", sorted(gazetteer.region.unique()), key="region", bind="query-params",
                             placeholder="All regions")
with c2:
    types = filters.synced(st.multiselect, "type", "Type of council", sorted(gazetteer.la_type.unique()), [],
                           formatting.words, "type of council", placeholder="All types")
pool = gazetteer[gazetteer.region.isin(regions or gazetteer.region)
                 & gazetteer.la_type.isin(types or gazetteer.la_type)]
if pool.empty:
    st.info("No council with figures matches that region and type.", icon=":material/info:")
    st.stop()
top = pool.sort_values("figures", ascending=False).council.head(8).tolist()
c3, c4 = st.columns([3, 2])
with c3:
    chosen = filters.councils(pool.council.tolist(), top, help="Up to about a dozen councils read well.",
                              known=gazetteer.council.tolist())
latest = queries.latest_values(chosen)
if latest.empty:
    st.info("Choose at least one council to compare.", icon=":material/info:")
    st.stop()

options = latest.groupby(["metric", "family", "label", "unit"], as_index=False).agg(figures=("council", "size"))
with c4:
    metric = filters.metric(options, label="Measure for the chart")
row = options[options.metric == metric].iloc[0]
one = latest[latest.metric == metric]

st.subheader(row.label)
st.markdown(f"**{summaries.bar_sentence(one, row.label)}**")
left, right = st.columns([1, 1])
with left:
    st.altair_chart(charts.bar_chart(one, row.label, row.unit), width="stretch")
with right:
    shown = charts.with_labels(one)
    st.dataframe(shown[["council", "shown", "period", "meeting"]], hide_index=True, width="stretch",
                 column_config={"council": "Council", "shown": "Latest figure", "period": "Describes",
                                "meeting": "Said at meeting"})
missing = sorted(set(chosen) - set(one.council))
if missing:
    st.caption(f"No figure for this measure from {', '.join(missing)}.")

st.subheader("Every measure, latest figure")
st.caption("Each cell is the latest figure with the period it describes; blank where the minutes give none. "
           "The sources for every cell are listed below the table.")
cells = charts.with_labels(latest)
cells["cell"] = [f"{s} ({p})" for s, p in zip(cells.shown, cells.period, strict=True)]
cells["measure"] = [f"{formatting.FAMILY_LABELS.get(f, formatting.words(f))}: {lab}"
                    for f, lab in zip(cells.family, cells.label, strict=True)]
grid = cells.pivot_table(index="measure", columns="council", values="cell", aggfunc="first").fillna("")
st.dataframe(grid.reindex(columns=[c for c in chosen if c in grid.columns]), width="stretch")
with st.expander("Sources for every figure in the table"):
    sources = cells[["measure", "council", "cell", "meeting", "committee", "file_name", "quote"]]
    st.dataframe(pd.DataFrame(sources), hide_index=True, width="stretch",
                 column_config={"measure": "Measure", "council": "Council", "cell": "Figure",
                                "meeting": "Said at meeting", "committee": "Committee", "file_name": "Document",
                                "quote": st.column_config.TextColumn("Minutes say", width="large")})

official = queries.official_metrics()
if not official.empty:
    st.subheader("Every council on the official statistics")
    st.caption("The Department for Education's published figure for every council, ranked. Orange bars are "
               "councils whose minutes give a figure newer than the latest official release; councils chosen "
               "above are outlined.")
    ids = official.metric.tolist()
    measure = st.selectbox("Official measure", ids, index=ids.index(metric) if metric in ids else 0,
                           format_func=dict(zip(official.metric, official.label, strict=True)).get,
                           key="official_metric")
    about = official[official.metric == measure].iloc[0]
    ranking = queries.official_ranking(measure)
    england = queries.england_series(measure)
    england_now = england[england.year == about.latest_year]
    st.altair_chart(charts.ranking_chart(ranking, None if england_now.empty else float(england_now.value.iloc[0]),
                                         f"{about.label} (DfE, {formatting.period(str(about.latest_period)[:10])})",
                                         chosen), width="stretch")
    source = england_now.iloc[0] if not england_now.empty else ranking.iloc[0]
    newer = ranking[ranking.minutes_newer]
    st.caption(f"Source: [{source.source}]({source.source_url}). Definition: {about.definition}. "
               f"{len(newer)} council{'s' if len(newer) != 1 else ''} with newer figures in their minutes. "
               + charts.combined_note(ranking.rename(columns={"council": "area"})))
    if not newer.empty:
        shown = newer.assign(official=[formatting.value(v, u) for v, u in zip(newer.value, newer.unit, strict=True)],
                             minutes=[f"{formatting.value(v, u)} ({formatting.period(a)})" for v, u, a in
                                      zip(newer.minutes_value, newer.unit, newer.minutes_as_of, strict=True)])
        st.dataframe(shown[["council", "official", "minutes", "minutes_quote", "minutes_file"]], hide_index=True,
                     width="stretch", column_config={
                         "council": "Council", "official": "Latest official (DfE)", "minutes": "Newer in the minutes",
                         "minutes_quote": st.column_config.TextColumn("Minutes say", width="large"),
                         "minutes_file": "Document"})

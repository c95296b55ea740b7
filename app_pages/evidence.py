"""Evidence: every figure with the sentence it came from, filterable, downloadable, and traceable to its document."""

import streamlit as st

from dashboard import cards, charts, checks, filters, formatting, queries

PAGE_SIZE = 20
TABLE_ROWS = 1000

st.title("Evidence")
filters.require_figures()
st.markdown("Every figure found in the minutes, with the sentence it came from and the number marked. "
            "Filter by council, measure, family, year and kind; open a figure's source document to read "
            "it in context, or download the rows as a spreadsheet (CSV).")

gazetteer, metrics, span = queries.gazetteer(), queries.metrics(all_figures=True), queries.year_span(True)
c1, c2 = st.columns(2)
with c1:
    councils = filters.councils(gazetteer.council.tolist(), [], placeholder="All councils")
with c2:
    chosen_metrics = filters.metrics(metrics)
c3, c4, c5 = st.columns([2, 2, 3])
with c3:
    families = filters.synced(st.multiselect, "family", "Family", sorted(metrics.family.unique()), [],
                              lambda f: formatting.FAMILY_LABELS.get(f, formatting.words(f)), "family",
                              placeholder="All families")
with c4:
    kinds = filters.synced(st.multiselect, "kind", "Kind", list(formatting.KIND_LABELS), [],
                           formatting.KIND_LABELS.get, "kind", placeholder="Figures and targets")
with c5:
    years = filters.period(span)

args = (councils, chosen_metrics, families, kinds, years)
total = queries.evidence_count(*args)
if not total:
    st.info("No figure matches these filters. Remove a filter or widen the years.", icon=":material/info:")
    st.stop()

rows = queries.evidence(*args, limit=TABLE_ROWS)
pages = -(-min(total, TABLE_ROWS) // PAGE_SIZE)
st.markdown(f"**{total:,} figure{'s' if total != 1 else ''} match**, newest first"
            + (f" (the first {TABLE_ROWS:,} are listed here; the download has them all)." if total > TABLE_ROWS
               else "."))
st.download_button(f"Download {'all ' if total > 1 else ''}{total:,} as CSV", file_name="kpi-evidence.csv",
                   mime="text/csv", icon=":material/download:", on_click="ignore",
                   data=lambda: charts.evidence_csv(queries.evidence(*args, limit=total)))

quotes, table = st.tabs(["Sentences", "Table"])
with quotes:
    page = st.pagination(pages, key="evidence_page") if pages > 1 else 1
    listed = rows.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    key = st.query_params.get("figure")
    if key and key not in set(listed.figure_key):
        st.markdown("**The figure you followed**")
        if not cards.evidence_card(key):
            st.warning("That link names a figure this database does not hold (it may have been re-extracted).",
                       icon=":material/link_off:")
    official = {r.figure_key: r for r in queries.figure_checks_for(listed.figure_key.tolist()).itertuples()}
    for n, row in enumerate(listed.itertuples()):
        with st.container(border=True):
            st.html(f"<div>{cards.meta_line(row)}</div>{cards.quote_block(row)}"
                    + (checks.check_html(official[row.figure_key]) if row.figure_key in official else ""))
            if row.figure_key == key:
                cards.source(row)
                if st.button("Close the source document", key=f"close-{n}-{row.figure_key}"):
                    del st.query_params["figure"]
                    st.rerun()
            elif st.button("Open the source document", key=f"open-{n}-{row.figure_key}",
                           icon=":material/description:"):
                st.query_params["figure"] = row.figure_key
                st.rerun()
with table:
    shown = charts.with_labels(rows)
    shown["kind"] = shown.kind.map(formatting.KIND_LABELS)
    verdicts = checks.summaries(queries.figure_checks_for(rows.figure_key.tolist()))
    shown["official"] = [verdicts.get(k, "") for k in shown.figure_key]
    st.dataframe(shown[["council", "label", "shown", "period", "kind", "official", "meeting", "committee", "quote",
                        "review"]],
                 hide_index=True, width="stretch",
                 column_config={"council": "Council", "label": "Measure", "shown": "Figure", "period": "Describes",
                                "kind": "Kind", "official": "Against official statistics (DfE)",
                                "meeting": "Said at meeting", "committee": "Committee",
                                "quote": st.column_config.TextColumn("Minutes say", width="large"),
                                "review": "Review"})

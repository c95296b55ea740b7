"""Briefing: a scrutiny councillor's pack for one council, previewed here and downloaded as PDF or HTML."""

from datetime import date

import streamlit as st

from dashboard import brief_queries, queries
from etl import brief

st.title("Scrutiny briefing")
st.caption("Two to four pages for a committee member: where the council stands, what changed since the last "
           "meeting, targets officers set, figures to check and questions to ask. Every number has a footnote "
           "with its meeting, date and quote.")


@st.cache_data(max_entries=16, show_spinner=False)
def _pack(version: str, council: str, as_of: date, compare: tuple[str, ...]) -> tuple[str, str, bytes]:
    pack = brief.build(queries.db_path(), council, as_of, list(compare))
    return brief.render_fragment(pack), brief.render_html(pack), brief.render_pdf(pack)


version = queries.db_version()
known = brief_queries.councils(queries.db_path()) if version else []
if not known:
    st.info("No minutes loaded yet. Build the database with `python -m etl run data/minutes` (or `make run`), "
            "then reload this page.")
    st.stop()

left, middle, right = st.columns([1, 1, 2])
council = left.selectbox("Council", known)
as_of = middle.date_input("Figures said up to", value=date.today(), format="DD/MM/YYYY")
compare = right.multiselect("Compare with (up to four)", [c for c in known if c != council], max_selections=4)

with st.spinner("Building the briefing…"):
    fragment, page, pdf = _pack(version, council, as_of, tuple(compare))

name = f"briefing-{council.lower().replace(' ', '-')}-{as_of.isoformat()}"
a, b = st.columns(2)
a.download_button("Download PDF", pdf, file_name=f"{name}.pdf", mime="application/pdf", type="primary",
                  icon=":material/picture_as_pdf:")
b.download_button("Download HTML", page, file_name=f"{name}.html", mime="text/html", icon=":material/html:")
with st.container(border=True):
    st.html(fragment)

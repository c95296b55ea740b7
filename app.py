"""Children's services KPIs from council minutes: the Streamlit entry point."""

import streamlit as st

st.set_page_config(page_title="Children's services KPIs from council minutes", page_icon="📊", layout="wide")

pages = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/trends.py", title="Trends", icon=":material/show_chart:", url_path="trends"),
    st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
    st.Page("pages/evidence.py", title="Evidence", icon=":material/format_quote:", url_path="evidence"),
    st.Page("pages/sources.py", title="Sources", icon=":material/folder_open:", url_path="sources"),
]
st.navigation(pages).run()

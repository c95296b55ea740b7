"""Children's services KPIs from council minutes: the Streamlit entry point."""

import streamlit as st

st.set_page_config(page_title="Children's services KPIs from council minutes", page_icon="📊", layout="wide")

pages = [
    st.Page("pages/trends.py", title="Trends", icon="📈", url_path="trends", default=True),
    st.Page("pages/briefing.py", title="Briefing", icon="📝", url_path="briefing"),
]
st.navigation(pages).run()

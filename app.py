"""Children's services KPIs from council minutes: the Streamlit entry point."""

import logging

import streamlit as st

from etl import users

st.set_page_config(page_title="Children's services KPIs from council minutes", page_icon="📊", layout="wide")

@st.cache_resource
def _log_first_admin_hint() -> None:
    """Once per server: say in the log how to create the first admin when nobody can sign in yet."""
    if not users.load_users():
        logging.getLogger("kpi").warning(users.first_admin_hint(users.users_path()))

_log_first_admin_hint()
# The pages live in app_pages/, not pages/: Streamlit treats a pages/ folder beside the entry point as the
# old automatic navigation and, on a server's first request for a page address such as /trends, runs that
# file alone (no wide layout, file names for menu entries) before st.navigation is ever reached.
pages = [
    st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("app_pages/trends.py", title="Trends", icon=":material/show_chart:", url_path="trends"),
    st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
    st.Page("app_pages/evidence.py", title="Evidence", icon=":material/format_quote:", url_path="evidence"),
    st.Page("app_pages/sources.py", title="Sources", icon=":material/folder_open:", url_path="sources"),
    st.Page("app_pages/briefing.py", title="Briefing", icon=":material/description:", url_path="briefing"),
    st.Page("app_pages/review.py", title="Review", icon=":material/fact_check:", url_path="review"),
]
st.sidebar.toggle("Only reviewed figures", key="reviewed_only",
                  help="Show only figures a reviewer has accepted, corrected or added.")
st.navigation(pages).run()

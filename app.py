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
pages = [
    st.Page("pages/trends.py", title="Trends", icon="📈", url_path="trends", default=True),
    st.Page("pages/review.py", title="Review", icon=":material/fact_check:", url_path="review"),
]
st.sidebar.toggle("Only reviewed figures", key="reviewed_only",
                  help="Show only figures a reviewer has accepted, corrected or added.")
st.navigation(pages).run()

"""The Streamlit dashboard's shared pieces: queries, charts and formatting."""

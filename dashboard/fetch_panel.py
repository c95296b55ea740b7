"""The Sources page's modern.gov section: councils fetched and when, and adding one with visible progress."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import queries
from etl import fetch, warehouse
from etl.manifest import find_manifest
from etl.polite import Client


def raw_dir() -> Path:
    """Where fetched minutes go: $KPI_RAW, else data/raw."""
    return Path(os.environ.get("KPI_RAW") or fetch.RAW)


def fetched_sites_table(raw: Path) -> pd.DataFrame:
    """One row per site fetched, newest first, in words a reader understands."""
    rows = fetch.fetched_sites(raw)
    return pd.DataFrame(
        [{"Council": r["council"], "modern.gov site": r["site"], "Read through": r["mode"],
          "Last fetched": _when(r["finished_at"]), "Meetings": int(r["meetings"]), "New files": int(r["fetched"]),
          "Already had": int(r["skipped"]), "Failed": int(r["failed"])} for r in rows],
        columns=["Council", "modern.gov site", "Read through", "Last fetched", "Meetings", "New files",
                 "Already had", "Failed"],
    )


def _when(iso: str) -> str:
    """'5 March 2024, 14:02' from an ISO timestamp."""
    try:
        return f"{datetime.fromisoformat(iso):%-d %B %Y, %H:%M}"
    except ValueError:
        return iso


def render(raw: Path | None = None, db: Path | None = None, sites: Path = fetch.SITES,
           client: Client | None = None) -> None:
    """Draw the section: the fetched-sites table and the add-and-fetch form."""
    raw = raw or raw_dir()
    db = db or queries.db_path()
    st.subheader("Councils fetched from modern.gov")
    table = fetched_sites_table(raw)
    if table.empty:
        st.caption("No council fetched yet. Add one below, or run `python -m etl fetch --site URL`.")
    else:
        st.dataframe(table, hide_index=True, width="stretch")
    with st.form("add_site"):
        st.markdown("**Add a council** that publishes its minutes on modern.gov (most English councils do).")
        council = st.text_input("Council", placeholder="Bromley")
        url = st.text_input("modern.gov address", placeholder="https://democracy.example.gov.uk")
        committees = st.text_input("Committees (optional)", placeholder="leave empty for every committee whose "
                                   "name mentions children, families, young people or corporate parenting")
        since = st.date_input("Meetings since", value=date.today() - timedelta(days=365))
        submitted = st.form_submit_button("Add and fetch minutes")
    if submitted:
        _add_and_fetch(council, url, [c for c in committees.split(",") if c.strip()], since, raw, db, sites, client)


def _add_and_fetch(council: str, url: str, committees: list[str], since: date, raw: Path, db: Path, sites: Path,
                   client: Client | None) -> None:
    try:
        council, url = fetch.add_site(council, url, sites)
    except ValueError as exc:
        st.error(str(exc))
        return
    with st.status(f"Fetching {council} minutes from {url}", expanded=True) as status:
        bar = st.progress(0.0, text="Finding the committees…")

        def progress(done: int, total: int, label: str) -> None:
            bar.progress(done / total if total else 1.0, text=f"Meeting {done} of {total} {label}".strip())

        summary = fetch.fetch_site(url, raw, committees, since, None, council, client, progress)
        st.text("\n".join(summary.lines()))
        if summary.fetched:
            status.update(label=f"Loading {summary.fetched} new files into the dashboard…")
            loaded = warehouse.run([raw], db, find_manifest([raw]), progress=progress)
            st.text("\n".join(loaded.lines()))
        ok = bool(summary.committees) and not (summary.failed and not summary.fetched and not summary.skipped)
        status.update(label=f"{council}: {summary.fetched} new files, {summary.skipped} already had, "
                      f"{summary.failed} failed", state="complete" if ok else "error", expanded=not ok)

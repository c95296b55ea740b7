"""Overview: one council's latest figure for each measure, the change since the one before, and its targets."""

import pandas as pd
import streamlit as st

from dashboard import checks, filters, formatting, queries, status

st.title("Council overview")
filters.require_figures()

with st.columns([1, 2])[0]:
    council = filters.council(queries.gazetteer())
df = queries.council_overview(council)
st.markdown(
    f"The latest figure **{council}**'s committee minutes give for each measure, the change since the figure "
    "before it, and how it compares with the council's own target where the minutes set one. "
    "Each tile links to the sentence it came from."
)

COLUMNS = 3
DELTA_COLOURS = {"higher": "normal", "lower": "inverse"}


def _figure(value, unit, qualifier=None, low=None, high=None) -> str:
    return formatting.qualified(value, unit, qualifier if isinstance(qualifier, str) else None,
                                None if pd.isna(low) else low, None if pd.isna(high) else high)


def _tile(row, newest) -> tuple[str | None, bool]:
    rating = status.rag(row.metric, row.value, None if pd.isna(row.target_value) else row.target_value)
    stale = status.is_stale(row.period_day, newest)
    delta, since, before = None, None, ""
    if not pd.isna(row.prev_value):
        delta = formatting.change(row.value, row.prev_value, row.unit)
        since = f"since {formatting.period(row.prev_as_of)}"
        before = f"; before that {_figure(row.prev_value, row.unit, None, row.prev_low, row.prev_high)} " \
                 f"({formatting.period(row.prev_as_of)})"
    with st.container(border=True):
        st.metric(
            row.label,
            _figure(row.value, row.unit, row.qualifier, row.low, row.high),
            delta=delta,
            delta_color=DELTA_COLOURS.get(status.better().get(row.metric), "off"),
            delta_description=since,
            help=f"Minutes say: “{formatting.md_escape(row.quote)}” ({formatting.md_escape(row.committee)}, "
                 f"{formatting.period(row.meeting_date)})",
        )
        st.caption(f"Figure for {formatting.period(row.as_of or row.meeting_date)}{before}")
        if rating:
            target = _figure(row.target_value, row.unit, None, row.target_low, row.target_high)
            st.badge(f"{rating.words} ({target})", icon=rating.icon, color=rating.colour,
                     help=f"The council's own target is {target}.")
        elif not pd.isna(row.target_value):
            st.badge(f"Target {_figure(row.target_value, row.unit)}", icon=":material/flag:", color="gray")
        if stale:
            st.badge("Stale", icon=":material/history:", color="gray",
                     help=f"Over a year older than {council}'s newest minutes loaded ({formatting.month(newest)}).")
        check = official.get(row.figure_key)
        if check is not None and check.newer_than_official:
            st.badge("Newer than official", icon=":material/fiber_new:", color="blue",
                     help=f"DfE's latest figure is for {formatting.period(str(check.latest_period)[:10])}.")
        elif check is not None and check.discrepancy:
            st.badge(f"DfE says {checks.official_text(check)}", icon=":material/warning:", color="orange",
                     help=f"{check.check}. {check.official_source}: {check.official_definition}")
        st.page_link("app_pages/evidence.py", label="Read the sentence", icon=":material/format_quote:",
                     query_params={"council": council, "metric": row.metric, "figure": row.figure_key})
    return (rating.rating if rating else None), stale


newest = df.newest_minutes.iloc[0] if not df.empty else None
official = {r.figure_key: r for r in queries.figure_checks_for(df.figure_key.tolist()).itertuples()} \
    if not df.empty else {}
ratings, stale_count = [], 0
families = [f for f in formatting.FAMILY_ORDER if f in set(df.family)] + sorted(
    set(df.family) - set(formatting.FAMILY_ORDER))
summary = st.empty()
for family in families:
    rows = df[df.family == family]
    st.subheader(formatting.FAMILY_LABELS.get(family, formatting.words(family)))
    for first in range(0, len(rows), COLUMNS):
        for column, row in zip(st.columns(COLUMNS), rows.iloc[first:first + COLUMNS].itertuples(), strict=False):
            with column:
                rating, stale = _tile(row, newest)
                ratings.append(rating)
                stale_count += stale

missing = [formatting.FAMILY_LABELS[f] for f in formatting.FAMILY_ORDER if f not in set(df.family)]
counts = {r: ratings.count(r) for r in ("green", "amber", "red")}
rated = sum(counts.values())
sentence = f"{len(df)} measure{'s' if len(df) != 1 else ''} reported"
if rated:
    sentence += (f"; against the council's own targets {counts['green']} on target, {counts['amber']} close "
                 f"and {counts['red']} off target")
if stale_count:
    sentence += f"; {stale_count} stale (over a year older than the newest minutes, {formatting.month(newest)})"
newer = queries.newer_than_official_count(council)
if newer:
    sentence += (f"; {newer} figure{'s' if newer != 1 else ''} in the minutes newer than the latest official "
                 "statistics")
summary.info(sentence + "." + (f" No figures yet for {', '.join(missing)}." if missing else ""),
             icon=":material/summarize:")

"""Shared filter widgets bound to the page address (?council=…&metric=…&period=…), so views can be shared.

Values in the address are checked against what the database holds: anything unknown is ignored with a
message, and only checked values ever reach a query (always as bound parameters).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboard import formatting, queries

EMPTY_DB = ("No figures are loaded yet. Add minutes on the **Sources** page, or build the database from the "
            "bundled minutes with `python -m etl run data/minutes` (or `make run`), then reload this page.")


def require_figures() -> None:
    """Stop the page with guidance when the database holds no figures."""
    if not queries.has_figures():
        st.info(EMPTY_DB, icon=":material/info:")
        st.stop()


def _shown(value: str) -> str:
    """A value from the address made safe to echo in a message.

    >>> _shown("Bromley"), _shown("x'); DROP TABLE kpi;--<script>")
    ('“Bromley”', '“x DROP TABLE kpi -- script”')
    """
    cleaned = " ".join(re.sub(r"[^A-Za-z0-9 '\\-]+", " ", value).replace("'", "").split())[:40]
    return f"“{cleaned}”"


def _reject_unknown(key: str, allowed: Sequence[str], noun: str) -> None:
    asked = st.query_params.get_all(key)
    bad = [a for a in asked if a not in set(allowed)]
    if bad:
        st.warning(f"The link asked for {noun} {', '.join(_shown(b) for b in bad[:3])}, which this database "
                   f"does not hold, so it was ignored.", icon=":material/link_off:")


def council(options: pd.DataFrame, label: str = "Council") -> str:
    """One council (key 'council'); the default is the one with most figures."""
    names = options.council.tolist()
    _reject_unknown("council", names, "council")
    default = names.index(options.sort_values("figures", ascending=False).council.iloc[0])
    return st.selectbox(label, names, index=default, key="council", bind="query-params")


def councils(names: list[str], default: list[str], label: str = "Councils", help: str | None = None,
             known: list[str] | None = None, placeholder: str = "Choose councils") -> list[str]:
    """Several councils (key 'council', repeated in the address); known = every council that has figures."""
    _reject_unknown("council", known or names, "council")
    return st.multiselect(label, names, default=[d for d in default if d in names], key="council",
                          bind="query-params", help=help, placeholder=placeholder)


def metric(options: pd.DataFrame, label: str = "Measure") -> str:
    """One metric (key 'metric', its id in the address), shown by its family and label."""
    ids = options.metric.tolist()
    default = options.sort_values("figures", ascending=False).metric.iloc[0]
    return synced(st.selectbox, "metric", label, ids, default, _metric_names(options).get, "measure")


def metrics(options: pd.DataFrame, label: str = "Measures") -> list[str]:
    """Any number of metrics (key 'metric'); none chosen means all."""
    return synced(st.multiselect, "metric", label, options.metric.tolist(), [], _metric_names(options).get,
                  "measure", placeholder="All measures")


def synced(widget, key: str, label: str, options: list[str], default, format_func, noun: str, **kwargs):
    """A select widget whose raw option ids (not their labels) live in the address under key.

    A value in the address wins when the address changed since this session last wrote it (a shared link,
    a page load); otherwise the widget's own state wins. Unknown ids are refused with a message.
    """
    multi = widget is st.multiselect
    _reject_unknown(key, options, noun)
    state, written = f"{key}_choice", f"_{key}_written"
    asked = [a for a in st.query_params.get_all(key) if a in set(options)]
    if st.query_params.get_all(key) != st.session_state.get(written) and asked:
        st.session_state[state] = asked if multi else asked[0]
    current = st.session_state.get(state)
    if current is None or (not multi and current not in options) or (multi and not set(current) <= set(options)):
        st.session_state[state] = default if not multi or current is None else [c for c in current if c in options]
    value = widget(label, options, format_func=format_func, key=state, **kwargs)
    chosen = list(value) if multi else [value]
    st.query_params[key] = chosen
    st.session_state[written] = chosen
    return value


def _metric_names(options: pd.DataFrame) -> dict[str, str]:
    return {m: f"{formatting.FAMILY_LABELS.get(f, formatting.words(f))}: {label}"
            for m, f, label in zip(options.metric, options.family, options.label, strict=True)}


def period(span: tuple[int, int] | None) -> tuple[int, int] | None:
    """A span of years (key 'period'); None when it covers every year (undated figures then stay in)."""
    if span is None:
        return None
    first, last = span
    years = [str(y) for y in range(first, last + 1)]
    _reject_unknown("period", years, "year")
    if first == last:
        st.caption(f"All figures describe {first}.")
        return None
    chosen = st.slider("Years", first, last, (first, last), key="period", bind="query-params",
                       help="The years the figures describe. Targets without a year are shown whenever "
                            "every year is chosen.")
    return None if tuple(chosen) == (first, last) else (int(chosen[0]), int(chosen[1]))

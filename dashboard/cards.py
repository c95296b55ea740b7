"""The evidence card: a figure, its highlighted sentence, its meeting, and the source document on request."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboard import formatting, highlight, queries

CONTEXT_CHARS = 400


def _figure_text(row) -> str:
    return formatting.qualified(row.value, row.unit, row.qualifier, row.low, row.high)


def meta_line(row) -> str:
    """Council, measure, figure, period and meeting in one escaped line of HTML."""
    kind = "target" if row.kind == "target" else formatting.period(row.as_of)
    where = ", ".join(str(p) for p in (row.committee, formatting.period(row.meeting_date)) if p and not pd.isna(p))
    return (f"<strong>{html.escape(str(row.council or 'Unknown council'))}</strong> · {html.escape(row.label)}: "
            f"<strong>{html.escape(_figure_text(row))}</strong> ({html.escape(kind)}) · said at "
            f"{html.escape(where or 'an undated meeting')}")


def quote_block(row) -> str:
    """The figure's sentence, escaped, with its number marked, as a block quote."""
    return ('<blockquote style="margin:0.3em 0;padding:0.2em 0.8em;border-left:4px solid #0072B2;'
            f'font-size:1.02em">“{highlight.quote_html(_clean(row.quote), row.value, row.low, row.high)}”</blockquote>')


def _clean(quote: str) -> str:
    """A quote without the list bullet it may start with.

    >>> _clean("· The vacancy rate was 5%"), _clean("• 42% permanent")
    ('The vacancy rate was 5%', '42% permanent')
    """
    return quote.lstrip("•·▪◦-–* \t")


def evidence_card(key: str) -> bool:
    """Show one figure with its sentence and the passage around it; False when the key is unknown."""
    df = queries.figure(key)
    if df.empty:
        return False
    row = df.iloc[0]
    with st.container(border=True):
        st.html(f"<div>{meta_line(row)}</div>{quote_block(row)}")
        source(row)
    return True


def source(row) -> None:
    """The passage around a figure's sentence, and the whole document in an expander, quote marked."""
    doc = queries.document(row.document_id)
    if doc.empty:
        st.caption("The source document is no longer in the database.")
        return
    text, start, end = doc.text.iloc[0], int(row.start), int(row.end)
    lo, hi = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    st.caption(f"From {formatting.md_escape(doc.file_name.iloc[0])}. The passage around it:")
    excerpt = highlight.document_html(text[lo:hi], start - lo, end - lo)
    st.html(f'<div style="font-size:0.92em;line-height:1.5">{"… " if lo else ""}{excerpt}'
            f'{" …" if hi < len(text) else ""}</div>')
    with st.expander("Open the whole source document"), st.container(height=420):
        st.html('<div style="font-size:0.92em;line-height:1.5">'
                f"{highlight.document_html(text, start, end)}</div>")

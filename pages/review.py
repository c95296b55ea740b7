"""Review: check what the extractor found, least sure first; accept, correct, reject, or add a missed figure."""

import pandas as pd
import streamlit as st

from dashboard import formatting, highlight, queries
from etl import reviews, users

STATE_WORDS = {"unreviewed": "Not reviewed", "changed_since_review": "Changed since review"}
QUALIFIERS = ["", *reviews.QUALIFIERS]

st.title("Review figures")
st.html(highlight.STYLE)


def signed_in() -> users.User | None:
    """The signed-in user; otherwise draw the sign-in form (or how to create the first admin) and return None."""
    if st.session_state.get("user"):
        return st.session_state.user
    try:
        known = users.load_users()
    except users.UserError as exc:
        st.error(str(exc))
        return None
    if not known:
        st.warning(users.first_admin_hint(users.users_path()))
        return None
    with st.expander("Sign in to accept, correct, reject or add figures (looking needs no sign-in)", expanded=True), \
            st.form("sign-in", enter_to_submit=True):
        name = st.text_input("Name", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        if st.form_submit_button("Sign in", type="primary"):
            user = users.authenticate(name, password)
            if user is None:
                st.error("That name and password do not match.")
            else:
                st.session_state.user = user
                st.rerun()
    return None


def record(action, *args, done: str, **kwargs) -> None:
    """Run one write; on success or a conflict show the next figure, on a bad value keep the form as typed."""
    try:
        action(*args, **kwargs)
    except reviews.ReviewConflict as exc:
        st.session_state.flash = ("warning", str(exc))
    except reviews.ReviewError as exc:
        st.error(str(exc))
        return
    else:
        st.session_state.flash = ("success", done)
    st.rerun()


def value_fields(key: str, fig: dict, catalogue: pd.DataFrame) -> dict:
    """Inputs for a figure's metric, value, range, period, kind, qualifier and scope, filled from fig."""
    labels = dict(zip(catalogue.metric, catalogue.label + " (" + catalogue.unit + ")", strict=True))
    metrics = list(labels)
    c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
    out = {"metric": c1.selectbox("Metric", metrics, index=metrics.index(fig["metric"]) if fig.get("metric") in labels
                                  else None, format_func=labels.get, key=f"{key}-metric")}
    for col, name in ((c2, "value"), (c3, "low"), (c4, "high")):
        out[name] = col.text_input(name.capitalize(), _text(fig.get(name)), key=f"{key}-{name}")
    c1, c2, c3, c4 = st.columns([1, 1, 1, 3])
    out["as_of"] = c1.text_input("As of (YYYY, YYYY-MM or YYYY-MM-DD)", _text(fig.get("as_of")), key=f"{key}-as_of")
    out["kind"] = c2.selectbox("Kind", reviews.KINDS, index=reviews.KINDS.index(fig.get("kind") or "actual"),
                               key=f"{key}-kind")
    out["qualifier"] = c3.selectbox("Qualifier", QUALIFIERS, index=QUALIFIERS.index(_text(fig.get("qualifier"))),
                                    format_func=lambda q: formatting.QUALIFIER_WORDS.get(q, "exact").strip(),
                                    key=f"{key}-qualifier")
    out["scope"] = c4.text_input("Scope (part of the service, if any)", _text(fig.get("scope")), key=f"{key}-scope")
    return out


def _text(v: object) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return ""
    return f"{v:g}" if isinstance(v, float) else str(v)


def shown(fig: dict) -> str:
    """The figure as the extractor read it, in words."""
    return formatting.qualified(fig["value"], fig["unit"], fig["qualifier"], fig["low"], fig["high"])


def show_figure(fig: dict) -> None:
    """The figure, where it was said, and its sentence in context with the number highlighted."""
    st.subheader(f"{fig['label']}: {shown(fig)}")
    facts = [fig["council"] or "council unknown", fig["committee"], formatting.period(fig["meeting_date"]),
             fig["file_name"], f"describes {formatting.period(fig['as_of'])}", fig["kind"],
             f"scope: {fig['scope']}" if fig["scope"] else None, f"confidence {fig['confidence']:.2f}",
             ("flags: " + ", ".join(fig["flags"])) if len(fig["flags"]) else None]
    st.caption(" · ".join(str(f) for f in facts if f))
    if fig["review_state"] == "changed_since_review":
        st.warning(f"Changed since review: {fig['reviewer']} chose **{fig['review_action']}** on "
                   f"{str(fig['reviewed_at'])[:10]}, but the extractor now reads this sentence differently.")
    doc = queries.review_document(fig["document_id"])
    text = doc.text.iloc[0] if not doc.empty else fig["quote"]
    start, end = (fig["start"], fig["end"]) if not doc.empty else (0, len(text))
    context = highlight.in_context(text, start, end, (fig["value"], fig["low"], fig["high"]))
    st.markdown(f'<div class="review-context">{context}</div>', unsafe_allow_html=True)


def decide(fig: dict, user: users.User, catalogue: pd.DataFrame) -> None:
    """Accept (A), skip (S), reject with a reason, or correct: each one write, then the next figure."""
    store = queries.reviews_path()
    key = fig["figure_key"]
    c1, c2, c3 = st.columns([1, 1, 4], vertical_alignment="bottom")
    if c1.button("Accept", type="primary", shortcut="A", key=f"accept-{key}", width="stretch"):
        record(reviews.decide, store, fig, "accept", user.name, done=f"Accepted {fig['label']} {shown(fig)}.")
    if c2.button("Skip for now", shortcut="S", key=f"skip-{key}", width="stretch"):
        st.session_state.setdefault("skipped", set()).add(key)
        st.rerun()
    with c3.form(f"reject-{key}", border=False), st.container(horizontal=True, vertical_alignment="bottom"):
        reason = st.text_input("Reason to reject", placeholder="e.g. a national figure, not this council's",
                               key=f"reason-{key}")
        if st.form_submit_button("Reject"):
            record(reviews.decide, store, fig, "reject", user.name, reason=reason, done=f"Rejected {fig['label']}.")
    with st.expander("Correct this figure", expanded=False), st.form(f"correct-{key}"):
        new = value_fields(f"correct-{key}", fig, catalogue)
        why = st.text_input("Note (optional)", key=f"why-{key}")
        if st.form_submit_button("Save correction", type="primary"):
            record(reviews.decide, store, fig, "correct", user.name, new=new, reason=why,
                   done=f"Corrected {fig['label']}.")


def add_missed(user: users.User | None, catalogue: pd.DataFrame, default_doc: str | None) -> None:
    """Find the words of a missed figure in a document's text, show them highlighted, then add the figure."""
    docs = queries.review_documents()
    if docs.empty:
        st.info("No documents loaded.")
        return
    names = {r.id: f"{r.council or 'Unknown council'} · {formatting.period(r.meeting_date)} · {r.file_name}"
             for r in docs.itertuples()}
    ids = list(names)
    doc_id = st.selectbox("Minutes", ids, index=ids.index(default_doc) if default_doc in names else 0,
                          format_func=names.get)
    doc = queries.review_document(doc_id).iloc[0]
    text = doc.text
    words = st.text_input("The exact words holding the figure (select and copy them from the minutes below)",
                          key=f"words-{doc_id}").strip()
    hits = [i for i in range(len(text)) if words and text.startswith(words, i)]
    if words and not hits:
        st.error("Those words are not in this document's text. Copy them exactly from the text below.")
    if hits:
        start = hits[0]
        if len(hits) > 1:
            n = st.number_input(f"Those words appear {len(hits)} times; which one?", 1, len(hits), 1)
            start = hits[n - 1]
        end = start + len(words)
        st.caption(f"Characters {start}–{end} of {len(text)}:")
        st.markdown(f'<div class="review-context">{highlight.in_context(text, start, end)}</div>',
                    unsafe_allow_html=True)
        if user and user.can_review:
            with st.form(f"add-{doc_id}-{start}-{end}"):
                new = value_fields(f"add-{doc_id}-{start}", {}, catalogue)
                why = st.text_input("Note (optional)")
                if st.form_submit_button("Add figure", type="primary"):
                    where = {"id": doc_id, "source": doc.source, "text": text}
                    record(reviews.add_figure, queries.reviews_path(), where, start, end, new, user.name, why,
                           done="Added the figure.")
    with st.expander("Minutes text", expanded=not words):
        st.code(text, language=None, wrap_lines=True, height=360)


user = signed_in()
if user:
    st.sidebar.caption(f"Signed in as **{user.name}** ({user.role})")
    if st.sidebar.button("Sign out"):
        del st.session_state.user
        st.rerun()
if "flash" in st.session_state:
    kind, message = st.session_state.pop("flash")
    (st.success if kind == "success" else st.warning)(message, icon="✅" if kind == "success" else "⚠️")

counts = queries.review_counts()
waiting = counts.get("unreviewed", 0) + counts.get("changed_since_review", 0)
done = sum(counts.get(s, 0) for s in ("accepted", "corrected", "rejected"))
st.progress(done / max(done + waiting, 1), text=f"**{waiting}** to review · {counts.get('accepted', 0)} accepted · "
            f"{counts.get('corrected', 0)} corrected · {counts.get('rejected', 0)} rejected · "
            f"{counts.get('added', 0)} added")
catalogue = queries.catalogue()
queue_tab, add_tab, log_tab = st.tabs(["Queue", "Add a missed figure", "Decisions"])
with queue_tab:
    queue = queries.review_queue()
    skipped = st.session_state.get("skipped", set())
    queue = queue[~queue.figure_key.isin(skipped)] if not queue.empty else queue
    current = queue.iloc[0].to_dict() if not queue.empty else None
    if current is None:
        st.success("Nothing left to review." + (" Some were skipped: reload the page to see them." if skipped else ""))
    else:
        st.caption(f"Least sure first: {len(queue)} waiting. Keys: **A** accept · **S** skip · type a reason and "
                   "press Enter to reject.")
        show_figure(current)
        if user and user.can_review:
            decide(current, user, catalogue)
        elif user:
            st.info("Your role is viewer: you can look, but only reviewers and admins can decide.")
with add_tab:
    add_missed(user, catalogue, current["document_id"] if current else None)
    if not (user and user.can_review):
        st.caption("Sign in as a reviewer to add figures.")
with log_tab:
    log = reviews.history(queries.reviews_path())
    st.dataframe(log.iloc[::-1][["decided_at", "reviewer", "action", "metric", "old_value", "new_metric", "new_value",
                                 "reason", "quote"]].head(200), hide_index=True, width="stretch")

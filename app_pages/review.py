"""Review: check what the extractor found, least sure first; accept, correct, reject, or add a missed figure."""

import pandas as pd
import streamlit as st

from dashboard import formatting, highlight, queries
from etl import reviews, users

STATE_WORDS = {"unreviewed": "Not reviewed", "changed_since_review": "Changed since review"}
QUALIFIERS = ["", *reviews.QUALIFIERS]

st.title("Review figures")
st.html(highlight.REVIEW_STYLE)


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


def act(action, *args, done: str, **kwargs) -> None:
    """A button's callback: one write about the figure as it was shown; the outcome shows on the next run.

    A callback keeps the figure the reviewer saw even when someone else decided on it meanwhile, so the
    reviewer is told instead of their click silently landing nowhere (or on another figure).
    """
    try:
        action(*args, **kwargs)
    except reviews.ReviewConflict as exc:
        st.session_state.flash = ("warning", str(exc))
    except reviews.ReviewError as exc:
        st.session_state.flash = ("error", str(exc))
    else:
        st.session_state.flash = ("success", done)


def from_form(key: str) -> dict:
    """The values typed into value_fields(key, ...)."""
    return {name: st.session_state.get(f"{key}-{name}") for name in ("metric", *reviews.FIELDS)}


def with_values(action, key: str, *args, **kwargs) -> None:
    """A form's callback: read its inputs, then act."""
    act(action, *args, from_form(key), **kwargs)


def value_fields(key: str, fig: dict, catalogue: pd.DataFrame) -> None:
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
             fig["file_name"], f"describes {formatting.period(_text(fig['as_of']) or None)}", fig["kind"],
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
    c1.button("Accept", type="primary", shortcut="A", key=f"accept-{key}", width="stretch", on_click=act,
              args=(reviews.decide, store, fig, "accept", user.name), kwargs={"done": f"Accepted {_said(fig)}."})
    if c2.button("Skip", shortcut="S", key=f"skip-{key}", width="stretch"):
        st.session_state.setdefault("skipped", set()).add(key)
        st.rerun()
    with c3.form(f"reject-{key}", border=False), st.container(horizontal=True, vertical_alignment="bottom"):
        st.text_input("Reason to reject", placeholder="e.g. a national figure, not this council's",
                      key=f"reason-{key}")
        st.form_submit_button("Reject", on_click=lambda: act(
            reviews.decide, store, fig, "reject", user.name, reason=st.session_state.get(f"reason-{key}"),
            done=f"Rejected {_said(fig)}."))
    with st.expander("Correct this figure", expanded=False), st.form(f"correct-{key}"):
        value_fields(f"correct-{key}", fig, catalogue)
        st.text_input("Note (optional)", key=f"why-{key}")
        st.form_submit_button("Save correction", type="primary", on_click=lambda: with_values(
            reviews.decide, f"correct-{key}", store, fig, "correct", user.name,
            reason=st.session_state.get(f"why-{key}"), done=f"Corrected {_said(fig)}."))


def _said(fig: dict) -> str:
    return f"{fig['label']} {shown(fig)} ({fig['council'] or 'council unknown'})"


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
            form = f"add-{doc_id}-{start}-{end}"
            with st.form(form):
                value_fields(form, {}, catalogue)
                st.text_input("Note (optional)", key=f"{form}-why")
                where = {"id": doc_id, "source": doc.source, "text": text}
                st.form_submit_button("Add figure", type="primary", on_click=lambda: act(
                    reviews.add_figure, queries.reviews_path(), where, start, end, from_form(form), user.name,
                    st.session_state.get(f"{form}-why"), done="Added the figure."))
    with st.expander("Minutes text", expanded=not words):
        st.code(text, language=None, wrap_lines=True, height=360)


user = signed_in()
if user:
    st.sidebar.caption(f"Signed in as **{user.name}** ({user.role})")
    if st.sidebar.button("Sign out"):
        del st.session_state.user
        st.session_state.pop("flash", None)
        st.rerun()
if "flash" in st.session_state:  # the last decision's outcome stays until the next one, whatever reruns between
    kind, message = st.session_state.flash
    {"success": st.success, "warning": st.warning, "error": st.error}[kind](message)

counts = queries.review_counts()
waiting = counts.get("unreviewed", 0) + counts.get("changed_since_review", 0)
done = sum(counts.get(s, 0) for s in ("accepted", "corrected", "rejected"))
st.progress(done / max(done + waiting, 1), text=f"**{waiting}** to review · {counts.get('accepted', 0)} accepted · "
            f"{counts.get('corrected', 0)} corrected · {counts.get('rejected', 0)} rejected · "
            f"{counts.get('added', 0)} added")
catalogue = queries.catalogue()
queue_tab, add_tab, log_tab = st.tabs(["Queue", "Add a missed figure", "Decisions"], key="review_tab",
                                     on_change="rerun")
queue = queries.review_queue()
skipped = st.session_state.get("skipped", set())
queue = queue[~queue.figure_key.isin(skipped)] if not queue.empty else queue
current = queue.iloc[0].to_dict() if not queue.empty else None
if queue_tab.open:
    with queue_tab:
        if current is None:
            st.success("Nothing left to review." + (" Some were skipped: reload the page to see them." if skipped
                                                     else ""))
        else:
            st.caption(f"Least sure first: {len(queue)} waiting. Keys: **A** accept · **S** skip · type a reason "
                       "and press Enter to reject.")
            show_figure(current)
            if user and user.can_review:
                decide(current, user, catalogue)
            elif user:
                st.info("Your role is viewer: you can look, but only reviewers and admins can decide.")
if add_tab.open:
    with add_tab:
        add_missed(user, catalogue, current["document_id"] if current else None)
        if not (user and user.can_review):
            st.caption("Sign in as a reviewer to add figures.")
if log_tab.open:
    with log_tab:
        log = reviews.history(queries.reviews_path())
        st.dataframe(log.iloc[::-1][["decided_at", "reviewer", "action", "metric", "old_value", "new_metric",
                                     "new_value", "reason", "quote"]].head(200), hide_index=True, width="stretch",
                     column_config={"decided_at": "When (UTC)", "reviewer": "Reviewer", "action": "Decision",
                                    "metric": "Metric", "old_value": "Extractor said", "new_metric": "New metric",
                                    "new_value": "New value", "reason": "Reason",
                                    "quote": st.column_config.TextColumn("Sentence", width="large")})

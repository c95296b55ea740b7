"""Sources: the minutes loaded, the files that failed and why, and an upload box for new minutes."""

import streamlit as st

from dashboard import fetch_panel, formatting, queries, uploads

st.title("Sources")
st.markdown("The committee minutes behind every figure: which documents are loaded, how many figures each "
            "gave, and which files could not be read and why. Add new minutes at the bottom of the page.")

if done := st.session_state.pop("upload_result", None):
    (st.success if done["ok"] else st.warning)(done["headline"], icon=":material/task_alt:")
    for name, reason in done["errors"]:
        st.error(f"{formatting.md_escape(name)}: {formatting.md_escape(reason)}", icon=":material/error:")

totals = queries.document_totals()
st.subheader("Documents loaded")
if totals.empty or not totals.documents[0]:
    st.info("No minutes are loaded yet. Upload some below, or run `python -m etl run data/minutes`.",
            icon=":material/info:")
else:
    count, total, empty = (int(totals[c][0]) for c in ("documents", "figures", "without_figures"))
    st.markdown(f"{count:,} document{'s' if count != 1 else ''} loaded, giving {total:,} "
                f"figure{'s' if total != 1 else ''}; {empty:,} gave none.")
    council = None
    if count > queries.DOCUMENTS_SHOWN:
        named = [c for c in totals.councils[0] if c]
        council = st.selectbox("Show the documents of", named, index=None,
                               placeholder=f"All councils (the newest {queries.DOCUMENTS_SHOWN:,})")
    docs = queries.documents(council, queries.DOCUMENTS_SHOWN)
    shown = docs.assign(
        council=docs.council.fillna("Not recognised"),
        committee=docs.committee.fillna("Not recognised"),
        meeting=[formatting.period(m) for m in docs.meeting_date],
        loaded=[formatting.period(str(t)[:10]) for t in docs.loaded_at],
    )
    st.dataframe(shown[["council", "committee", "meeting", "figures", "title", "file_name", "loaded"]],
                 hide_index=True, width="stretch",
                 column_config={"council": "Council", "committee": "Committee", "meeting": "Meeting",
                                "figures": st.column_config.NumberColumn("Figures found", format="%d"),
                                "title": "Title", "file_name": "File", "loaded": "Loaded"})
    if council is None and len(docs) < count:
        st.caption(f"Showing the newest {len(docs):,} of {count:,}; choose a council to see all of its documents.")

errors = queries.load_errors()
st.subheader("Files that could not be loaded")
if errors.empty:
    st.markdown("None: every file given to the loader was read.")
else:
    st.dataframe(errors.assign(when=[formatting.period(str(t)[:10]) for t in errors.failed_at])[
                     ["file_name", "reason", "when"]],
                 hide_index=True, width="stretch",
                 column_config={"file_name": "File", "reason": st.column_config.TextColumn("Reason", width="large"),
                                "when": "Tried"})

st.subheader("Add minutes")
st.markdown(f"Upload committee minutes as text, web page (modern.gov HTML) or PDF, up to {uploads.MAX_MB} MB "
            "each. They are read, their figures found and the database republished; the other pages keep "
            "working meanwhile and show the new figures when it finishes.")
files = st.file_uploader("Minutes files", type=uploads.SUFFIXES_ALLOWED, accept_multiple_files=True,
                         max_upload_size=uploads.MAX_MB, key="upload")
if files and st.button(f"Load {len(files)} file{'s' if len(files) != 1 else ''}", type="primary",
                       icon=":material/upload:"):
    saved, refused = [], []
    for f in files:
        try:
            saved.append(uploads.save(f.name, f.getvalue()))
        except uploads.UploadError as exc:
            refused.append((f.name, str(exc).split(": ", 1)[-1]))
    summary = None
    if saved:
        with st.status(f"Loading {len(saved)} file{'s' if len(saved) != 1 else ''}…", expanded=True) as box:
            bar = st.progress(0.0, text="Starting")

            def _progress(done: int, total: int, name: str) -> None:
                bar.progress(done / total if total else 1.0,
                             text=f"Reading {name} ({done + 1} of {total})" if name else "Publishing")

            summary = uploads.load(saved, _progress)
            box.update(label="Loaded" if not summary.failed else "Loaded with problems",
                       state="complete" if not summary.failed else "error")
    errors_seen = refused + (summary.errors if summary else [])
    added = summary.figures_added if summary else 0
    st.session_state["upload_result"] = {
        "ok": not errors_seen,
        "headline": f"{summary.loaded if summary else 0} file(s) loaded, {summary.unchanged if summary else 0} "
                    f"unchanged, {len(errors_seen)} failed; {added} figure{'s' if added != 1 else ''} added.",
        "errors": errors_seen,
    }
    st.rerun()

fetch_panel.render()

"""The scrutiny briefing pack: gather a council's figures, ask the question rules, render PDF or HTML.

gather (data.py, SQL in dashboard/brief_queries.py) → questions (questions.toml) → compose → pdf.py / html.py
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from etl.brief.compose import compose
from etl.brief.data import gather
from etl.brief.html import render_fragment, render_html
from etl.brief.pack import Pack
from etl.brief.pdf import render_pdf
from etl.brief.questions import ask

__all__ = ["Pack", "build", "render_fragment", "render_html", "render_pdf", "write"]


def build(db: Path, council: str, as_of: date | None = None, comparators: list[str] | None = None) -> Pack:
    """The briefing for one council as it stood on as_of (default today), beside the comparators."""
    data = gather(db, council, as_of or date.today(), comparators)
    return compose(data, ask(data))


def write(pack: Pack, out: Path) -> Path:
    """Write the briefing as PDF or HTML, chosen by out's suffix."""
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        raise ValueError(f"{out}: the briefing is written as .pdf or .html")
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".pdf":
        out.write_bytes(render_pdf(pack))
    else:
        out.write_text(render_html(pack), encoding="utf-8")
    return out

"""A small warehouse for the review tests: one council's minutes with figures of known confidence."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.queries import apply_reviews
from etl import reviews, warehouse
from etl.model import Document, Figure, Meeting

# (sentence, metric, unit, value, low, high, as_of, confidence, flags)
SENTENCES = [
    ("Permanent staff now make up 80-85% of the workforce.", "permanent_staff_pct", "pct", 82.5, 80.0, 85.0,
     "2019-02", 0.9, []),
    ("The agency rate stood at 18% in March 2023.", "agency_staff_pct", "pct", 18.0, None, None, "2023-03", 0.3,
     ["ambiguous_unit"]),
    ("There were 690 children looked after.", "children_looked_after", "count", 690.0, None, None, None, 0.6, []),
    ("The service overspent by about £552k <b>this</b> year.", "overspend_gbp", "gbp", 552_000.0, None, None,
     "2019", 0.5, []),
]
MISSED = "Average caseloads were 17 per social worker."


def document(sentences: list[tuple] = SENTENCES, preamble: str = "", source: str = "fixture/bromley.txt") -> Document:
    """Bromley minutes holding the sentences (and one the extractor missed), each figure on its own sentence."""
    text = f"Bromley Council\nChildren's Select Committee\nMinutes, February 2019\n{preamble}\n"
    figures = []
    for sentence, metric, unit, value, low, high, as_of, confidence, flags in sentences:
        start = len(text)
        text += sentence + "\n"
        figures.append(Figure(metric=metric, value=value, unit=unit, quote=sentence, start=start,
                              end=start + len(sentence), low=low, high=high, as_of=as_of, confidence=confidence,
                              flags=list(flags)))
    text += MISSED + "\n"
    return Document(source=source, sha256=hashlib.sha256(text.encode()).hexdigest(), text=text,
                    meeting=Meeting(council="Bromley", committee="Children's Select Committee",
                                    meeting_date="2019-02", title="Children's Select Committee, February 2019"),
                    figures=figures)


def build(db: Path, doc: Document | None = None) -> Path:
    """Publish a warehouse holding doc (default: the fixture document), replacing what its source held."""
    with warehouse.building(db) as con:
        warehouse.save_document(con, doc or document(), "fixture", "fixture-run")
    return db


def reviewed(db: Path, only_reviewed: bool = False) -> pd.DataFrame:
    """Every figure the app would show, decisions applied, with review_state (kpi_reviewed, or kpi when limited)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        apply_reviews(con, reviews.decisions_frame(reviews.reviews_path(db)), only_reviewed)
        view = "kpi" if only_reviewed else "kpi_reviewed"
        return con.execute(f"SELECT * FROM {view} ORDER BY \"start\"").df()
    finally:
        con.close()


def figure(db: Path, metric: str) -> dict:
    """The one figure of a metric as the app shows it."""
    df = reviewed(db)
    return df[df.metric == metric].iloc[0].to_dict()

"""A hand-made warehouse for the briefing tests: Northshire trips every question rule, its twin Southshire none.

The two councils have the same meetings and measures; only the values differ, each by just enough to cross a
rule's threshold. The minutes text is invented and says so.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from etl import official, warehouse
from etl.model import Document, Figure, Meeting

AS_OF = date(2023, 10, 1)
COMMITTEE = "Children's Scrutiny Committee"
MEETINGS = ["2022-01-20", "2023-03-15", "2023-06-14", "2023-09-13"]

LABELS = {"agency_staff_pct": "agency rate", "overspend_gbp": "forecast overspend", "vacancy_rate_pct": "vacancy rate",
          "turnover_rate_pct": "turnover", "permanent_staff_pct": "permanent staff", "social_workers": "social workers",
          "children_looked_after": "children in care", "caseload_per_worker": "average caseload"}
UNITS = {"overspend_gbp": "gbp", "social_workers": "count", "children_looked_after": "count",
         "caseload_per_worker": "cases"}

# (meeting index, metric, value, kind, as_of) per council. Comments say which rule each row is for.
NORTH = [
    (0, "turnover_rate_pct", 14.0, "actual", None),        # stale: nothing since January 2022
    (0, "agency_staff_pct", 30.0, "actual", None),
    (1, "agency_staff_pct", 15.0, "target", None),         # off_target_running: 22% and 21% above 15%
    (1, "agency_staff_pct", 20.0, "actual", None),
    (1, "permanent_staff_pct", 85.0, "target", None),      # target_unreported: never reported after
    (1, "overspend_gbp", 1_000_000.0, "actual", "2022-12"),
    (1, "vacancy_rate_pct", 12.0, "actual", None),
    (1, "social_workers", 250.0, "actual", None),
    (1, "children_looked_after", 400.0, "actual", None),
    (2, "agency_staff_pct", 22.0, "actual", None),
    (2, "overspend_gbp", 1_500_000.0, "actual", "2023-03"),  # overspend_growing: 1.0m → 1.5m → 2.1m
    (2, "vacancy_rate_pct", 12.5, "actual", None),
    (2, "social_workers", 255.0, "actual", None),
    (2, "children_looked_after", 420.0, "actual", None),
    (3, "agency_staff_pct", 21.0, "actual", None),
    (3, "overspend_gbp", 2_100_000.0, "actual", "2023-06"),
    (3, "vacancy_rate_pct", 15.0, "actual", None),          # adverse_change: 12.5% → 15% is +20%
    (3, "social_workers", 262.0, "actual", None),
    (3, "children_looked_after", 431.0, "actual", None),
    (3, "caseload_per_worker", 22.0, "actual", None),      # worse_than_england: 22 against 16.0 for England
]
SOUTH = [
    (0, "turnover_rate_pct", 14.0, "actual", None),
    (0, "agency_staff_pct", 30.0, "actual", None),
    (1, "agency_staff_pct", 25.0, "target", None),         # 22% and 21% are within a 25% target
    (1, "agency_staff_pct", 20.0, "actual", None),
    (1, "permanent_staff_pct", 85.0, "target", None),
    (2, "permanent_staff_pct", 86.0, "actual", None),      # the target was reported on
    (1, "overspend_gbp", 1_000_000.0, "actual", "2022-12"),
    (1, "vacancy_rate_pct", 12.0, "actual", None),
    (1, "social_workers", 250.0, "actual", None),
    (2, "agency_staff_pct", 22.0, "actual", None),
    (2, "overspend_gbp", 1_500_000.0, "actual", "2023-03"),
    (2, "vacancy_rate_pct", 12.5, "actual", None),
    (3, "agency_staff_pct", 21.0, "actual", None),
    (3, "overspend_gbp", 1_200_000.0, "actual", "2023-06"),  # fell back: not growing
    (3, "vacancy_rate_pct", 13.0, "actual", None),          # +4%: under the 10% threshold
    (3, "turnover_rate_pct", 13.0, "actual", None),         # reported recently: not stale
    (3, "social_workers", 251.0, "actual", None),
    (3, "caseload_per_worker", 16.5, "actual", None),       # within a fifth of England's 16.0
]

# Official agency rates for the invented councils at 30 September 2023 (England's come from data/reference/):
# Northshire's minutes say 21%, 7 points off (official_disagrees); Southshire's 21% is within 3 points of 20%.
OFFICIAL = {"Northshire": 14.0, "Southshire": 20.0}


def _sentence(metric: str, value: float, kind: str, as_of: str | None) -> str:
    unit = UNITS.get(metric, "pct")
    shown = f"£{value / 1e6:.1f}m" if unit == "gbp" else f"{value:g}%" if unit == "pct" else f"{value:g}"
    what = "the target for the" if kind == "target" else "the"
    when = f" for the period to {as_of}" if as_of else ""
    return f"Officers said {what} {LABELS[metric]} was {shown}{when}."


def _document(council: str, meeting: int, rows: list[tuple]) -> Document:
    text, figures = f"Invented minutes for tests: {council} {COMMITTEE}, {MEETINGS[meeting]}.", []
    for _, metric, value, kind, as_of in rows:
        sentence = _sentence(metric, value, kind, as_of)
        start = len(text) + 1
        text += " " + sentence
        figures.append(Figure(metric=metric, value=value, unit=UNITS.get(metric, "pct"), quote=sentence, start=start,
                              end=start + len(sentence), as_of=as_of, kind=kind, confidence=0.9))
    name = f"{council.lower()}-{MEETINGS[meeting]}.txt"
    return Document(source=f"fixture/{name}", sha256=f"{council}-{meeting}".ljust(64, "0"), text=text,
                    meeting=Meeting(council, COMMITTEE, MEETINGS[meeting], f"{COMMITTEE} minutes"), figures=figures)


def build(db: Path, with_official: bool = True) -> Path:
    """Write the fixture warehouse to db (with the real England statistics and invented council ones)."""
    with warehouse.building(db) as con:
        for council, rows in (("Northshire", NORTH), ("Southshire", SOUTH)):
            for meeting in range(len(MEETINGS)):
                mine = [r for r in rows if r[0] == meeting]
                if mine:
                    warehouse.save_document(con, _document(council, meeting, mine), "test", "fixture")
        if with_official:
            official.load(con, official.REFERENCE)
            for line, (council, value) in enumerate(OFFICIAL.items(), start=2):
                con.execute("""
                    INSERT INTO official VALUES ('Invented official figures for tests', NULL, 'fixture.csv', ?,
                        'agency_rate_fte', 'agency_staff_pct', ?, 'council', NULL, NULL, 2023, DATE '2023-09-30',
                        ?, 'pct', NULL)""", [line, council, value])
    return db

"""Hand-made warehouses for the dashboard tests: a few councils' figures with real sentences around them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from etl import warehouse
from etl.model import Document, Figure, Meeting

# (council, committee, meeting date, sentences); each sentence holds one figure:
# (sentence, metric, unit, value, low, high, as_of, kind, qualifier)
MEETINGS = [
    ("Bromley", "Children, Education and Families Select Committee", "2017-11", [
        ("In 2017 only 42% of social work staff were permanent.",
         "permanent_staff_pct", "pct", 42.0, None, None, "2017", "actual", None),
        ("The children's social care budget is £38.2m this year.",
         "budget_gbp", "gbp", 38.2e6, None, None, "2017", "actual", None),
    ]),
    ("Bromley", "Children, Education and Families Select Committee", "2019-02", [
        ("Permanent staff now make up 80-85% of the workforce.",
         "permanent_staff_pct", "pct", 82.5, 80.0, 85.0, "2019-02", "actual", None),
        ("The target is for 90% of social workers to be permanent.",
         "permanent_staff_pct", "pct", 90.0, None, None, None, "target", None),
        ("Average caseloads are between 12 and 15 per social worker.",
         "caseload_per_worker", "cases", 13.5, 12.0, 15.0, "2019-02", "actual", None),
        ("The service overspent by about £552k <script>alert('x')</script>.",
         "overspend_gbp", "gbp", 552_000.0, None, None, "2019-02", "actual", "approx"),
    ]),
    ("Bristol", "People Scrutiny Commission", "2023-03", [
        ("The agency rate stood at 18% in March 2023.",
         "agency_staff_pct", "pct", 18.0, None, None, "2023-03", "actual", None),
        ("Some 70% of social workers are now permanent.",
         "permanent_staff_pct", "pct", 70.0, None, None, "2023-03", "actual", "approx"),
        ("There were 690 children looked after.",
         "children_looked_after", "count", 690.0, None, None, "2023-03", "actual", None),
    ]),
    ("Wiltshire", "Children's Select Committee", "2023-01", [
        ("We have a five percent vacancy rate among social workers.",
         "vacancy_rate_pct", "pct", 5.0, None, None, "2023-01", "actual", None),
        ("Around 85% of social work posts are filled by permanent staff.",
         "permanent_staff_pct", "pct", 85.0, None, None, "2023-01", "actual", "approx"),
    ]),
]

SINGLE = [("Bromley", "Children, Education and Families Select Committee", "2019-02", [MEETINGS[1][3][0]])]


def with_sentence(text: str, sentence: str, **fields) -> tuple[str, Figure]:
    """The text with the sentence added as a line of its own, and a Figure quoting exactly that line."""
    start = len(text)
    return text + sentence + "\n", Figure(quote=sentence, start=start, end=start + len(sentence), **fields)


def document(council: str, committee: str, meeting_date: str, sentences: list[tuple]) -> Document:
    """A Document whose text is a heading plus the sentences, each figure pointing at its own sentence."""
    text = f"{council} Council\n{committee}\nMinutes of the meeting, {meeting_date}\n\n"
    figures = []
    for sentence, metric, unit, value, low, high, as_of, kind, qualifier in sentences:
        text, figure = with_sentence(text, sentence, metric=metric, value=value, unit=unit, low=low, high=high,
                                     as_of=as_of, kind=kind, qualifier=qualifier, confidence=0.9)
        figures.append(figure)
    sha = hashlib.sha256(text.encode()).hexdigest()
    name = f"{council.lower()}-{meeting_date}.txt"
    return Document(source=f"fixture/{name}", sha256=sha, text=text,
                    meeting=Meeting(council=council, committee=committee, meeting_date=meeting_date,
                                    title=f"{committee}, {meeting_date}"), figures=figures)


def build(db: Path, meetings: list = MEETINGS, errors: list[tuple[str, str]] = ()) -> Path:
    """Write a warehouse holding the given meetings and load errors; return its path."""
    with warehouse.building(db) as con:
        for meeting in meetings:
            warehouse.save_document(con, document(*meeting), "fixture", "fixture-run")
        for name, reason in errors:
            con.execute("INSERT INTO load_errors VALUES (?, ?, ?, ?, now())",
                        [f"fixture/{name}", name, reason, "fixture-run"])
    return db

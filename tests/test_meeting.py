"""Meeting metadata: council, committee, date and item title read from the minutes' own text.

Cases live in tests/cases/councils.csv and tests/cases/meeting_dates.csv, one row each, grouped by what
they exercise; "\\n" in a cell is a line break. A blank expected cell means "nothing should be read".
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from etl.councils import find_council
from etl.meeting import read_meeting
from etl.readers import read_file

CASES = Path(__file__).parent / "cases"
CORPORA = Path(__file__).parent / "corpora"


def _cases(name: str) -> list:
    with open(CASES / name, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [pytest.param(row, id=f"{row['group']}: {row['text'][:60]}") for row in rows]


def _text(row: dict) -> str:
    return row["text"].replace("\\n", "\n")


@pytest.mark.parametrize("row", _cases("councils.csv"))
def test_council_is_the_documents_own_or_none(row):
    text = _text(row)
    header_end = len(text.split("\n")[0])
    assert find_council(text, row["meeting_date"] or None, header_end) == (row["council"] or None)


@pytest.mark.parametrize("row", _cases("meeting_dates.csv"))
def test_meeting_date_and_committee_are_this_meetings(row):
    meeting = read_meeting(_text(row))
    assert (meeting.meeting_date, meeting.committee) == (row["meeting_date"] or None, row["committee"] or None)


@pytest.mark.parametrize(("text", "title", "expected"), [
    ("Meeting: 11/07/2022 - Cabinet (Item 5)\n\n5. Placement Sufficiency and Costs\n\nMinutes:\n\nText.",
     "Agenda item - 5. Placement Sufficiency and Costs", "5. Placement Sufficiency and Costs"),
    ("Agenda item\n\nRoadmap to Excellence\n\nTo receive an update.\n\nMinutes:\n\nText.", None,
     "Roadmap to Excellence"),
    ("Agenda item 7\n\nCHILDREN'S SOCIAL CARE: WORKFORCE UPDATE\n\nMinutes:\n\n7.1 The Committee received.", None,
     "CHILDREN'S SOCIAL CARE: WORKFORCE UPDATE"),
    ("Scrutiny Panel, 10 March 2021\nMinute 47 - Children's Social Care Scorecard\n47.1 The Director.",
     "Scrutiny Panel", "Minute 47 - Children's Social Care Scorecard"),
    ("Some minutes without any heading at all.", "Agenda item - Budget 2024/25", "Budget 2024/25"),
], ids=["modern.gov item", "after 'Agenda item'", "capitals after 'Agenda item 7'", "minute number", "html title"])
def test_title_is_the_agenda_item(text, title, expected):
    assert read_meeting(text, title).title == expected


def _gold(corpus: str) -> list[dict]:
    return json.loads((CORPORA / corpus / "gold.json").read_text(encoding="utf-8"))["documents"]


@pytest.mark.parametrize("doc", _gold("dev") + _gold("seeds"), ids=lambda doc: doc["file"])
def test_corpus_document_never_gets_a_wrong_council_or_date(doc):
    """Without a manifest a council may be unknown (many minutes never name theirs), but never wrong."""
    folder = CORPORA / ("dev" if (CORPORA / "dev" / doc["file"]).exists() else "seeds")
    read = read_file(folder / doc["file"])
    meeting = read_meeting(read.text, read.title)
    assert meeting.council in (doc["council"], None)
    if doc["meeting_date_in_text"]:
        assert meeting.meeting_date == doc["meeting_date"]
    else:
        assert meeting.meeting_date is None


@pytest.mark.parametrize(("text", "source", "council"), [
    ("Minutes\nThe vacancy rate was 12%.", "minutes/bromley-2019-02-item-5.txt", "Bromley"),
    ("Minutes\nThe vacancy rate was 12%.", "raw/north-yorkshire/2024-03-22-item-4.html", "North Yorkshire"),
    ("Minutes\nThe vacancy rate was 12%.", "unnamed-2017-07-corporate-parenting-panel.txt", None),
    ("Minutes of Wiltshire Council\nThe vacancy rate was 12%.", "bromley-2019.txt", "Wiltshire"),
], ids=["file-name", "fetched-folder", "no-council-anywhere", "text-wins-over-file-name"])
def test_file_name_names_the_council_only_when_the_text_does_not(text: str, source: str, council: str | None) -> None:
    assert read_meeting(text, None, source).council == council


@pytest.mark.parametrize(("text", "source", "meeting_date"), [
    ("Minutes\nThe vacancy rate was 12%.", "minutes/bromley-2019-02-item-5.txt", "2019-02"),
    ("Minutes\nThe vacancy rate was 12%.", "raw/north-yorkshire/2024-03-22-item-4.html", "2024-03-22"),
    ("Minutes\nThe vacancy rate was 12%.", "unnamed-corporate-parenting-panel.txt", None),
    ("Minutes of the meeting held on 5 February 2019\nThe vacancy rate was 12%.", "bromley-2018-07.txt", "2019-02-05"),
], ids=["year-month", "full-date", "no-date-anywhere", "text-wins-over-file-name"])
def test_file_name_dates_the_meeting_only_when_the_text_does_not(text: str, source: str, meeting_date) -> None:
    assert read_meeting(text, None, source).meeting_date == meeting_date

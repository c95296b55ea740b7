"""Council, committee and meeting date of a set of minutes, read from its own text."""

from __future__ import annotations

from etl.model import Meeting


def read_meeting(text: str, title: str | None = None) -> Meeting:
    """What the document says about its own meeting (first version: the title only)."""
    return Meeting(title=title)

"""The records every stage passes along: a read document and the figures found in it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Figure:
    """One KPI figure as the minutes state it, with its place in the document text."""

    metric: str
    value: float
    unit: str
    quote: str
    start: int
    end: int
    low: float | None = None
    high: float | None = None
    as_of: str | None = None
    kind: str = "actual"
    qualifier: str | None = None
    scope: str | None = None
    flags: list[str] = field(default_factory=list)
    confidence: float = 0.5

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Meeting:
    """What a document says about its own meeting."""

    council: str | None = None
    committee: str | None = None
    meeting_date: str | None = None
    title: str | None = None


@dataclass
class Document:
    """A read and extracted set of minutes."""

    source: str
    sha256: str
    text: str
    meeting: Meeting
    figures: list[Figure] = field(default_factory=list)
    comparators: list[Figure] = field(default_factory=list)
    url: str | None = None

    def to_json(self) -> dict:
        """The document in the shape `python -m etl extract` prints."""
        return {
            "source": self.source,
            "title": self.meeting.title,
            "council": self.meeting.council,
            "committee": self.meeting.committee,
            "meeting_date": self.meeting.meeting_date,
            "figures": [f.to_json() for f in self.figures],
            "comparators": [f.to_json() for f in self.comparators],
        }


class ReadError(Exception):
    """A file that cannot be read as minutes; the message is the one-line reason."""

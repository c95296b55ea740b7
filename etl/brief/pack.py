"""The briefing as a document both renderers draw: blocks of text whose numbers carry footnote citations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dashboard import formatting


@dataclass(frozen=True)
class Cite:
    """A footnote marker after a number; unreviewed figures are marked † as well."""

    n: int
    unreviewed: bool = False

    def marker(self) -> str:
        """The marker as printed.

        >>> Cite(3).marker(), Cite(4, unreviewed=True).marker()
        ('[3]', '[4†]')
        """
        return f"[{self.n}{'†' if self.unreviewed else ''}]"


Inline = list[str | Cite]


def plain(parts: Inline) -> str:
    """Inline text with its markers written out, for PDF cells and alt text.

    >>> plain(["18%", Cite(2), " in March 2019"])
    '18% [2] in March 2019'
    """
    return "".join(p if isinstance(p, str) else " " + p.marker() for p in parts)


@dataclass
class Note:
    """One footnote: where a number came from."""

    n: int
    text: str
    unreviewed: bool = False


class Notes:
    """Numbers footnotes in the order they are first cited; citing the same figure twice reuses its note."""

    def __init__(self) -> None:
        self.items: list[Note] = []
        self._by_key: dict[str, Cite] = {}

    def figure(self, row: Mapping[str, Any]) -> Cite:
        """The citation for a figure from the minutes: committee, meeting date and quote."""
        key = str(row["figure_key"])
        if key not in self._by_key:
            unreviewed = not bool(row.get("reviewed"))
            said = formatting.period(row.get("meeting_date"))
            describes = f" Describes {formatting.period(row['as_of'])}." if _present(row.get("as_of")) else ""
            text = (f"{row.get('committee') or 'Committee'} ({row['council']}), {said}: "
                    f"“{_clip(str(row['quote']))}”{describes} {row.get('file_name')}."
                    + (" Not yet reviewed." if unreviewed else ""))
            self._by_key[key] = self._add(text, unreviewed)
        return self._by_key[key]

    def official(self, row: Mapping[str, Any]) -> Cite:
        """The citation for an official statistic: publication, area, census day and file line."""
        key = f"official:{row['source_file']}:{row['source_line']}:{row['metric']}:{row['area']}"
        if key not in self._by_key:
            text = (f"{row['source']}, {row['area']}, {row.get('measure_label') or row['metric']} at "
                    f"{formatting.period(str(row['period'])[:10])}: {formatting.value(row['value'], row['unit'])}. "
                    f"Source: data/reference/{row['source_file']}, line {row['source_line']}.")
            self._by_key[key] = self._add(text, False)
        return self._by_key[key]

    def _add(self, text: str, unreviewed: bool) -> Cite:
        note = Note(len(self.items) + 1, text, unreviewed)
        self.items.append(note)
        return Cite(note.n, unreviewed)


def _present(v: Any) -> bool:
    return v is not None and v == v and v != ""


def _clip(quote: str, limit: int = 320) -> str:
    """A quote short enough for a footnote, cut at a word with an ellipsis.

    >>> _clip("one two three", 9)
    'one two…'
    """
    quote = " ".join(quote.split())
    return quote if len(quote) <= limit else quote[:limit].rsplit(" ", 1)[0] + "…"


def figure_text(notes: Notes, row: Mapping[str, Any]) -> Inline:
    """A figure as written, followed by its citation."""
    shown = formatting.qualified(row["value"], row["unit"], _none(row.get("qualifier")), _none(row.get("low")),
                                 _none(row.get("high")))
    return [shown, notes.figure(row)]


def official_text(notes: Notes, row: Mapping[str, Any]) -> Inline:
    """An official statistic as written, followed by its citation."""
    return [formatting.value(row["value"], row["unit"]), notes.official(row)]


def _none(v: Any) -> Any:
    return v if _present(v) else None


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Para:
    parts: Inline
    small: bool = False


@dataclass
class Bullets:
    items: list[Inline]
    numbered: bool = False


@dataclass
class Table:
    header: list[str]
    rows: list[list[Inline]]
    widths: list[float]
    caption: str = ""


@dataclass
class Chart:
    png: bytes
    alt: str
    caption: Inline


@dataclass
class Charts:
    charts: list[Chart]


Block = Heading | Para | Bullets | Table | Charts


@dataclass
class Pack:
    """A finished briefing: title, blocks in reading order, and the footnotes they cite."""

    title: str
    subtitle: str
    blocks: list[Block] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)   # ids of the question rules that fired

    def sections(self) -> list[str]:
        """The top-level headings, in order."""
        return [b.text for b in self.blocks if isinstance(b, Heading) and b.level == 1]

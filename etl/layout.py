"""Where a number sits: its sentence and clause, or its table row, header and column."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from etl.numbers import Quantity
from etl.periods import find_periods

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9(‘“'\"•·*-])")
_CLAUSE_END = re.compile(r";\s+|:\s+(?=[a-z])")
_WRAPPED = 60  # a PDF line at least this long, with no closing stop, runs on into the next
_LONGEST = 2000  # no real sentence is this long (the corpora's longest is 325): keeps work per sentence bounded
_COLUMN = re.compile(r"(?:Q[1-4]\s+)?(?:19|20)\d{2}(?:/\d{2})?|[A-Z][a-z]{2,8}\s+(?:19|20)\d{2}|Target|Actual",
                     re.IGNORECASE)
_HEADER = re.compile(rf"^(?P<label>[A-Za-z][^\d\n]*?)\s+"
                     rf"(?P<cols>(?:{_COLUMN.pattern})(?:\s+(?:{_COLUMN.pattern}))+)\s*$",
                     re.IGNORECASE)
_DASH_CELL = re.compile(r"\s*(?:–|-|—|n/a)\s*", re.IGNORECASE)


@dataclass
class Span:
    """A sentence (or table row) with its clauses; ``para`` numbers its paragraph."""

    start: int
    end: int
    para: int
    clauses: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Cell:
    """A quantity in a table: the row label, the column's as_of or target, the header text."""

    label: tuple[int, int]
    column: str | None = None
    header: tuple[int, int] | None = None
    intro_as_of: str | None = None


def sentences(text: str) -> list[Span]:
    """Sentences in order; a line break ends one unless a long PDF line runs on."""
    out: list[Span] = []
    for para, (start, end) in enumerate(_paragraphs(text), 1):
        pos = start
        for m in _SENTENCE_END.finditer(text, start, end):
            _add(out, text, pos, m.start(), para)
            pos = m.end()
        _add(out, text, pos, end, para)
    return out


def _paragraphs(text: str):
    start, pos = 0, 0
    for line in text.split("\n"):
        end = pos + len(line)
        stripped = line.rstrip()
        runs_on = len(stripped) >= _WRAPPED and stripped[-1:] not in ".:;!?"
        if not runs_on:
            yield start, end
            start = end + 1
        pos = end + 1
    if start < len(text):
        yield start, len(text)


def _add(out: list[Span], text: str, start: int, end: int, para: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start > _LONGEST:  # a run-on line (no stops): read it in pieces, cut at a space
        cut = text.rfind(" ", start + _LONGEST // 2, start + _LONGEST)
        cut = cut if cut > start else start + _LONGEST
        _add(out, text, start, cut, para)
        _add(out, text, cut, end, para)
        return
    if end > start:
        clauses, pos = [], start
        for m in _CLAUSE_END.finditer(text, start, end):
            clauses.append((pos, m.start() + 1))
            pos = m.end()
        clauses.append((pos, end))
        out.append(Span(start, end, para, clauses))


def table_cells(text: str, quantities: list[Quantity], meeting_date: str | None) -> dict[int, Cell]:
    """Quantities standing in table rows (label then cells), keyed by their index in ``quantities``."""
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    by_line: dict[int, list[int]] = {}
    for i, q in enumerate(quantities):
        by_line.setdefault(bisect.bisect_right(line_starts, q.start) - 1, []).append(i)
    cells: dict[int, Cell] = {}
    header: tuple[int, int, list[str | None]] | None = None
    plain: tuple[int, int] | None = None
    for n, ls in enumerate(line_starts):
        le = line_starts[n + 1] - 1 if n + 1 < len(line_starts) else len(text)
        line = text[ls:le]
        if _HEADER.match(line) and len(line) < 120:
            cols = [_column(c.group(), meeting_date) for c in _COLUMN.finditer(line[_HEADER.match(line).end("label"):])]
            header, plain = (ls, le, cols), None
            continue
        idx = by_line.get(n, [])
        found = _row(text, ls, le, [quantities[i] for i in idx])
        if found is None and idx and n > 0:
            found = _pdf_label(text, line_starts, n, [quantities[i] for i in idx])
        if found is None:
            if line.strip() and not idx and len(line) < 80 and line.rstrip()[-1:] not in ".;:,?!":
                plain = (ls, le)
            elif line.strip():
                header, plain = None, None
            continue
        label, slots = found
        cols = header[2] if header else []
        intro = None if cols else _intro_as_of(text, ls, meeting_date)
        head = (header[0], header[1]) if header else plain
        for i, slot in zip(idx, slots, strict=False):
            column = cols[slot] if slot < len(cols) else None
            cells[i] = Cell(label, column, head, intro)
    return cells


def _row(text: str, ls: int, le: int, qs: list[Quantity]):
    line = text[ls:le].rstrip()
    if not qs or len(line) > 150 or line[-1:] in ".;:,?!" or not re.search(r"[A-Za-z]", text[ls:qs[0].start]):
        return None
    pos, slots, slot = qs[0].start, [], 0
    for q in qs:
        gap = text[pos:q.start]
        if gap.strip():
            if not _DASH_CELL.fullmatch(gap):
                return None
            slot += 1
        slots.append(slot)
        slot += 1
        pos = q.end
    rest = text[pos:ls + len(line)]
    if rest.strip() and not _DASH_CELL.fullmatch(rest):
        return None
    label = text[ls:qs[0].start].rstrip()
    if len(label) > 80 or label[-1:] in ".,;:" or re.search(r"\b(?:was|were|is|are|had|of|to|and|by|than)$", label):
        return None
    return (ls, ls + len(label)), slots


def _pdf_label(text: str, line_starts: list[int], n: int, qs: list[Quantity]) -> tuple[int, int] | None:
    ls = line_starts[n]
    le = line_starts[n + 1] - 1 if n + 1 < len(line_starts) else len(text)
    if text[ls:qs[0].start].strip() or text[qs[-1].end:le].strip():
        return None
    ps, pe = line_starts[n - 1], ls - 1
    prev = text[ps:pe].strip()
    if not prev or len(prev) > 60 or prev[-1:] in ".;:,?!" or re.fullmatch(r"[\d,.£%\s–-]+", prev):
        return None
    return (ps, pe), list(range(len(qs)))


def _column(token: str, meeting_date: str | None) -> str | None:
    if token.lower() in ("target",):
        return "target"
    if token.lower() == "actual":
        return None
    found = find_periods(token, meeting_date)
    return found[0].as_of if found else None


def _intro_as_of(text: str, pos: int, meeting_date: str | None) -> str | None:
    window = text[max(0, pos - 400):pos]
    cut = window.rfind("\n\n", 0, max(0, len(window) - 200))
    found = [p for p in find_periods(window[cut + 1:] if cut >= 0 else window, meeting_date)
             if p.kind == "at" and p.as_of]
    return found[-1].as_of if found else None

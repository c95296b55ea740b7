"""Words around a number that change what it is: comparator, change, target, not a figure, scope.

The patterns live in ``context_words.csv`` (kind, pattern, notes).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from etl.numbers import Quantity

_CSV = Path(__file__).with_name("context_words.csv")
_LOOK = 80  # characters looked at on either side of a number


def _load() -> dict[str, re.Pattern]:
    kinds: dict[str, list[str]] = {}
    with open(_CSV, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            kinds.setdefault(row["kind"], []).append(f"(?:{row['pattern']})")
    return {k: re.compile("|".join(v), re.IGNORECASE) for k, v in kinds.items()}


_P = _load()
_COMPARATOR_AFTER = re.compile(
    r"\s*(?:per\s+10,?000\s+)?(?:children\s+)?(?:for\s+|in\s+|across\s+)?"
    r"(?:England|nationally|regionally|the region|London)\b",
    re.IGNORECASE)
_SCOPE = re.compile(r"""
    \b(?:in|across|within|for)\s+(?:the\s+)?                       # in the ...
    (?P<scope>(?:[A-Z][\w'’-]*\s+(?:and\s+)?){1,5}(?:teams?|service|services|quadrants?))\b  # Looked After teams
   |\b(?P<level>levels?\s+\d+(?:\s+and\s+\d+)?)                    # level 2 and 3
   |\((?P<fte>FTE)\)                                               # Social workers (FTE)
""", re.VERBOSE)


class Context:
    """Context checks over one document's text."""

    def __init__(self, text: str):
        self.text = text
        self.used_periods: set[int] = set()  # ids of the document's periods already given to a figure

    def _before(self, start: int, q: Quantity) -> str:
        return self.text[max(start, q.start - _LOOK):q.start]

    def _after(self, q: Quantity) -> str:
        return self.text[q.end:q.end + _LOOK]

    def not_a_figure(self, q: Quantity) -> bool:
        """A change amount, a capacity, a survey or attendance rate, a duration."""
        if q.unit == "duration":
            return True
        before, after = self._before(0, q), self._after(q)
        return bool(_P["change_before"].search(before) or _P["change_after"].search(after)
                    or _P["not_figure_after"].search(after) or _P["not_figure_before"].search(before))

    def is_comparator(self, q: Quantity, seg_start: int, seg_end: int) -> bool:
        """England, national, regional or neighbours' values: before the number in its segment, or just after."""
        before = self.text[max(seg_start, q.start - _LOOK):q.start]
        after = self.text[q.end:min(seg_end, q.end + 40)]
        return bool(_P["comparator"].search(before) or _COMPARATOR_AFTER.match(after))

    def is_target(self, seg_start: int, q_start: int) -> bool:
        return bool(_P["target"].search(self.text, max(seg_start, q_start - 120), q_start))

    def inherits(self, seg_start: int, q_start: int) -> bool:
        return bool(_P["inherit"].search(self.text[max(seg_start, q_start - 40):q_start]))

    def anaphoric(self, seg_start: int, q: Quantity) -> bool:
        """The words just before the number point back ("this had fallen to", "the target was")."""
        if self.text[q.start:q.end].lower() in ("one", "a"):
            return False
        return bool(_P["anaphora"].search(self.text, max(seg_start, q.start - 60), q.start))

    def ambiguous(self, start: int, end: int) -> bool:
        return bool(_P["ambiguous"].search(self.text, start, end))


def scope_of(text: str, q: Quantity, seg_start: int, seg_end: int) -> str | None:
    """The part of the service a figure is about, when the words say so ("in the Looked After teams")."""
    after = _SCOPE.search(text, q.end, min(seg_end, q.end + 90))
    m = after or _SCOPE.search(text, max(seg_start, q.start - 60), q.start)
    if not m:
        return None
    return (m.group("scope") or m.group("level") or m.group("fte")).strip()

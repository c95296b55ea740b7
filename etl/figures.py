"""Find KPI figures in minutes text (first version: nothing yet)."""

from __future__ import annotations

from etl.model import Figure, Meeting


def find_figures(text: str, meeting: Meeting) -> tuple[list[Figure], list[Figure]]:
    """The council's own figures and the comparator figures (England, regional, other councils)."""
    return [], []

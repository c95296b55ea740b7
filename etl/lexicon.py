"""Which words near a number make it which catalogue metric; the cues live in ``lexicon.csv``.

A pattern may hold ``#`` where the number itself stands ("loss of # FTE posts"), so that a cue
can wrap its number. Units: a pct metric needs a percentage, gbp money, per_10k a rate,
days a number of days; count, fte and cases take a plain number.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

_CSV = Path(__file__).with_name("lexicon.csv")
_CATALOGUE = Path(__file__).with_name("kpi_catalogue.csv")
_NUMBER = r"(?:£?\d[\d,.]*(?:\s?(?:m|k|bn|million))?(?:\s?%|\s+per\s?cent)?|[a-z]+(?:-[a-z]+)?(?: and a half)?)"
_PLAIN_UNITS = {"count", "fte", "cases"}


@dataclass(frozen=True)
class Rule:
    """One row of lexicon.csv."""

    metric: str
    pattern: re.Pattern
    unit: str
    priority: float
    sign: int
    anchored: re.Pattern
    wraps: bool


@dataclass(frozen=True)
class Cue:
    """Words at ``start:end`` that name ``rule.metric``."""

    start: int
    end: int
    rule: Rule


def load_rules(path: Path = _CSV) -> list[Rule]:
    """The lexicon rows, patterns compiled (case-insensitive, ``#`` standing for a number)."""
    with open(path, newline="", encoding="utf-8") as f:
        return [Rule(r["metric"], re.compile(_expand(r["pattern"]), re.IGNORECASE), r["unit"],
                     float(r["priority"]), int(r["sign"] or 1),
                     re.compile(rf"(?:{_expand(r['pattern'])})(?![\w])", re.IGNORECASE), "#" in r["pattern"])
                for r in csv.DictReader(f)]


def catalogue_units(path: Path = _CATALOGUE) -> dict[str, str]:
    """{metric: unit} from the catalogue."""
    with open(path, newline="", encoding="utf-8") as f:
        return {r["metric"]: r["unit"] for r in csv.DictReader(f)}


def accepts(rule_unit: str, quantity_unit: str) -> bool:
    """True when a quantity of ``quantity_unit`` can be a figure of a metric in ``rule_unit``.

    >>> accepts("pct", "pct"), accepts("count", "bare"), accepts("count", "pct"), accepts("days", "bare")
    (True, True, False, False)
    """
    if rule_unit in _PLAIN_UNITS:
        return quantity_unit == "bare"
    return rule_unit == quantity_unit


def find_cues(text: str, start: int, end: int) -> list[Cue]:
    """Every cue in ``text[start:end]``, one per rule that the matched words satisfy."""
    cues: list[Cue] = []
    pos = start
    while True:
        m = _COMBINED.search(text, pos, end)
        if m is None:
            return cues
        longest = m.end()
        for rule in RULES:
            rm = rule.anchored.match(text, m.start(), end)
            if rm:
                cues.append(Cue(m.start(), rm.end(), rule))
                longest = max(longest, rm.end())
        pos = longest if longest > m.start() else m.start() + 1


def _expand(pattern: str) -> str:
    return pattern.replace("#", _NUMBER)


def _split_top(pattern: str) -> list[str]:
    parts, depth, last = [], 0, 0
    for i, ch in enumerate(pattern):
        if ch == "(" and pattern[i - 1:i] != "\\":
            depth += 1
        elif ch == ")" and pattern[i - 1:i] != "\\":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[last:i])
            last = i + 1
    return parts + [pattern[last:]]


def _combined(rules_csv: Path = _CSV) -> re.Pattern:
    with open(rules_csv, newline="", encoding="utf-8") as f:
        terms = {t for r in csv.DictReader(f) for t in _split_top(r["pattern"])}
    ordered = sorted(terms, key=lambda t: (-t.count("#"), -len(t)))
    return re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{_expand(t)})" for t in ordered) + r")(?![\w])",
                      re.IGNORECASE)


RULES = load_rules()
_COMBINED = _combined()


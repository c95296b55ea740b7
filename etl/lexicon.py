"""Which words near a number make it which catalogue metric; the cues live in ``lexicon.csv``.

A pattern may hold ``#`` where the number itself stands ("loss of # FTE posts"), so that a cue
can wrap its number. Units: a pct metric needs a percentage, gbp money, per_10k a rate,
days a number of days; count, fte and cases take a plain number.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from etl.literals import fold, required

_CSV = Path(__file__).with_name("lexicon.csv")
_CATALOGUE = Path(__file__).with_name("kpi_catalogue.csv")
_WORD = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen"
         r"|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)")
_NUMBER = rf"""(?:(?:about|around|approximately|some|nearly|almost|over|under)\s+)?(?:between\s+)?
    (?:£?\d[\d,.]*(?:\s?(?:m|k|bn|million))?(?:\s?%|\s+per\s?cent)?
    |{_WORD}(?:-[a-z]+)?(?: and a half)?)
    (?:\s*(?:and|to|-|–)\s*£?\d[\d,.]*(?:\s?(?:m|k|bn|million))?(?:\s?%|\s+per\s?cent)?)?""".replace("\n    ", "")
_PLAIN_UNITS = {"count", "fte", "cases"}
_WORD_START = re.compile(r"(?<![\w-])")  # a cue starts at a word, not inside one


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
    needs: tuple[str, ...] = ("",)
    number_first: bool = False


@dataclass(frozen=True)
class Cue:
    """Words at ``start:end`` that name ``rule.metric``."""

    start: int
    end: int
    rule: Rule


def load_rules(path: Path = _CSV) -> list[Rule]:
    """The lexicon rows, patterns compiled (case-insensitive, ``#`` standing for a number)."""
    with open(path, newline="", encoding="utf-8") as f:
        return [Rule(r["metric"], re.compile(_expand(term), re.IGNORECASE), r["unit"],
                     float(r["priority"]), int(r["sign"] or 1),
                     re.compile(rf"(?:{_expand(term)})(?![\w])", re.IGNORECASE), "#" in term, required(_expand(term)),
                     term.startswith("#"))
                for r in csv.DictReader(f) for term in _split_top(r["pattern"])]


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    """The KPI catalogue's rows (label, unit, family, definition …) by metric id."""
    with open(_CATALOGUE, newline="", encoding="utf-8") as f:
        return {r["metric"]: r for r in csv.DictReader(f)}


def catalogue_units() -> dict[str, str]:
    """{metric: unit} from the catalogue."""
    return {metric: row["unit"] for metric, row in catalogue().items()}


def accepts(rule_unit: str, quantity_unit: str) -> bool:
    """True when a quantity of ``quantity_unit`` can be a figure of a metric in ``rule_unit``.

    >>> accepts("pct", "pct"), accepts("count", "bare"), accepts("count", "pct"), accepts("days", "bare")
    (True, True, False, False)
    """
    if rule_unit in _PLAIN_UNITS:
        return quantity_unit == "bare"
    return rule_unit == quantity_unit


def strongest(cues: list[Cue], unit: str) -> Cue | None:
    """The highest-priority cue that a quantity of ``unit`` fits (the first of equals), or None."""
    return max((c for c in cues if accepts(c.rule.unit, unit)), key=lambda c: c.rule.priority, default=None)


def find_cues(text: str, start: int, end: int) -> list[Cue]:
    """Every cue in ``text[start:end]``, one per rule that the matched words satisfy; cues start at a word."""
    folded = fold(text[start:end])
    active = {n for needed, rules in _BY_NEED.items() if needed in folded for n in rules}
    words: list[int] | None = None
    found: list[tuple[int, int, Cue]] = []
    for n in sorted(active):
        rule = RULES[n]
        if rule.number_first:  # costly to try everywhere: try word starts only
            words = words if words is not None else [m.start() for m in _WORD_START.finditer(text, start, end)]
            matches = (rule.anchored.match(text, at, end) for at in words)
        else:
            matches = _at_word_starts(rule.anchored, text, start, end)
        found.extend((m.start(), n, Cue(m.start(), m.end(), rule)) for m in matches if m)
    found.sort(key=lambda f: f[:2])
    return [cue for _, _, cue in found]


def _at_word_starts(pattern: re.Pattern, text: str, start: int, end: int):
    pos = start
    while (m := pattern.search(text, pos, end)) is not None:
        at = m.start()
        if at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_-"):
            yield m
        pos = at + 1


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
    return [*parts, pattern[last:]]


RULES = load_rules()


def _by_need() -> dict[str, list[int]]:
    """{text: indices of the rules that may match where it appears}; "" stands for rules that may match anywhere."""
    out: dict[str, list[int]] = {}
    for n, rule in enumerate(RULES):
        for needed in rule.needs:
            out.setdefault(needed, []).append(n)
    return out


_BY_NEED = _by_need()


@functools.cache
def described(metric: str) -> frozenset[str]:
    """The metrics whose words appear in ``metric``'s catalogue label and definition."""
    row = catalogue()[metric]
    words = f"{row['label']}. {row['definition']}"
    return frozenset(c.rule.metric for c in find_cues(words, 0, len(words)))

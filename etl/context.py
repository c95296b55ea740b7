"""Words around a number that change what it is: comparator, change, target, not a figure, scope.

The patterns live in ``context_words.csv`` (kind, pattern, notes).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from etl.literals import caseless, fold, required
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


_NEEDS = {k: required(p.pattern) for k, p in _P.items()}  # a window without any of these cannot match
_FOLDED = {k: re.compile(p.pattern) for k, p in _P.items() if caseless(p.pattern)}  # for fold(text): faster
_COMPARATOR_AFTER = re.compile(
    r"\s*(?:per\s+10,?000\s+)?(?:children\s+)?(?:for\s+|in\s+|across\s+)?"
    r"(?:England|nationally|regionally|the region|London|(?:our |its |their )?statistical neighbours?|comparators?"
    r"|similar (?:authorities|councils)|(?:the )?(?:North West|North East|South West|South East|West Midlands"
    r"|East Midlands|East of England|Yorkshire and (?:the )?Humber|inner London|outer London))\b"
    r"|\s*(?:children|young\s+people)\s+(?:[a-z]+\s+){1,3}?(?:in|across)\s+England\b",  # 78,150 children in care
    re.IGNORECASE)                                                                      # in England
# "..., many in neighbouring boroughs, and that ...", "£98.3m and that the forecast overspend"
_NEW_CLAUSE = re.compile(r",\s+(?:and|but|while|whereas)\b|\band\s+that\b")
_JOINED = re.compile(r"\s*,?\s*(?:and|but|while|whereas)\s+(?=(?:in|across|within|for)\s)")
_LINK = re.compile(r"\s+(?:was|were|is|are|had been|stood at|averaged|at)?\s*")
# a named body: "Children in Care Council", "Foster Carers Association" (not "the Council's care")
_BODY = re.compile(r"\b[A-Z][\w'’-]*\s+(?:(?:[A-Z][\w'’-]*|in|of|and|for)\s+){0,4}"
                   r"(?:Council|Association|Forum|Network|Partnership|Alliance)\b(?!['’])")
_CAUSE = re.compile(r"\b(?:due\s+to|because\s+of|as\s+a\s+result\s+of|owing\s+to|caused\s+by)\b", re.IGNORECASE)
_FROM_TO = re.compile(r"\bfrom\s+£?\d[\d,.]*\s*(?:%|per\s?cent|[mk]\b|million|per\s+10,?000)?"
                      r"(?:\s+(?:in|at|on)\s+[^\d,;.]{1,20}?)?\s+to\s+$", re.IGNORECASE)  # "from 35% to", "from 165.1
# in September to", "from 65 per 10,000 to"
_SCOPE = re.compile(r"""
    \b(?:(?:in|across|within|for)\s+(?:the\s+)?|[Tt]he\s+)          # in the ..., The ... teams had
    (?P<scope>(?:[A-Z][\w'’-]*\s+(?:and\s+)?){1,5}(?:[Tt]eams?|[Ss]ervices?|quadrants?))\b  # Looked After teams
   |\b(?P<level>levels?\s+\d+(?:\s+and\s+\d+)?)                    # level 2 and 3
   |\((?P<fte>FTE)\)                                               # Social workers (FTE)
""", re.VERBOSE)


def words(kind: str) -> str:
    """The patterns of one kind in context_words.csv, as one alternation (e.g. the comparator words)."""
    return _P[kind].pattern


class Context:
    """Context checks over one document's text."""

    def __init__(self, text: str):
        self.text = text
        folded = fold(text)
        self.folded = folded if len(folded) == len(text) else None
        self.used_periods: set[int] = set()  # ids of the document's periods already given to a figure

    def _found(self, kind: str, start: int, end: int, alone: bool = True) -> bool:
        """Words of ``kind`` in text[start:end], read as a text of its own or (not ``alone``) as a window."""
        text, pattern = self.text, _P[kind]
        if self.folded is not None:
            window = self.folded[start:end]
            if not any(map(window.__contains__, _NEEDS[kind])):
                return False
            if kind in _FOLDED:
                text, pattern = self.folded, _FOLDED[kind]
        return bool(pattern.search(text[start:end]) if alone else pattern.search(text, start, end))

    def not_a_figure(self, q: Quantity) -> bool:
        """A change amount, a capacity, a survey or attendance rate, a duration."""
        if q.unit == "duration":
            return True
        before, after = (max(0, q.start - _LOOK), q.start), (q.end, q.end + _LOOK)
        destination = self.destination(q)  # "from 35% to 21% over the year"
        return (self._found("change_before", *before) or (not destination and self._found("change_after", *after))
                or self._found("not_figure_after", *after) or self._found("not_figure_before", *before)
                or (q.unit != "pct" and self._found("part_of_after", *after)))

    def is_comparator(self, q: Quantity, seg_start: int, seg_end: int) -> bool:
        """England, national, regional or neighbours' values: before the number in its segment, or just after."""
        after = self.text[q.end:min(seg_end, q.end + 40)]
        return self._found("comparator", self.clause_start(max(seg_start, q.start - _LOOK), q.start), q.start) or bool(
            _COMPARATOR_AFTER.match(after))

    def clause_start(self, start: int, end: int) -> int:
        """Where the last clause joined by ", and" / "and that" in text[start:end] starts (else ``start``)."""
        joins = [m.end() for m in _NEW_CLAUSE.finditer(self.text, start, end)]
        return joins[-1] if joins else start

    def clause_join(self, start: int, end: int) -> int:
        """Where the next clause joined by ", and" / ", but" / ", while" starts in text[start:end] (else ``end``)."""
        m = _NEW_CLAUSE.search(self.text, start, end)
        return m.start() if m else end

    def dates_event(self, start: int, period_start: int) -> bool:
        """Words just before a date, in a later clause than ``start``, make it an event's date ("…, which reflected
        the campaign launched in April 2017"), and so does a cause ("increased to 44 due to the breakup of a camp in
        the previous year"); "12 had started their ASYE in September 2025" dates the figure."""
        comma = self.text.find(",", start, period_start)
        if comma < 0:  # "had increased to 44 due to the breakup of a camp in Calais in the previous year"
            cause = _CAUSE.search(self.text, start, period_start)
            return cause is not None and period_start - cause.end() <= 60
        return self._found("event_date_before", max(comma, period_start - 60), period_start)

    def starts_interval(self, period_start: int) -> bool:
        """The words before a date make it the start of an interval ("since the 2022 inspection")."""
        return self._found("interval_start_before", max(0, period_start - 50), period_start)

    def comparison_start(self, start: int, end: int) -> int:
        """Where words introducing a comparison ("compared with", "an improvement on") start in text[start:end]."""
        m = _P["comparison"].search(self.text, start, end)
        return m.start() if m else end

    def joins_clauses(self, start: int, end: int) -> bool:
        """text[start:end] holds ", and" / ", but" / "and that": what stands either side belongs to two clauses."""
        return self.clause_join(start, end) < end

    def is_target(self, seg_start: int, q: Quantity) -> bool:
        """Target words before the number in its segment, or "target" just after it ("a £2.4m savings target"),
        unless the words after say it is done ("£6.5 million had so far been delivered")."""
        if self._found("achieved_after", q.end, q.end + 40):
            return False
        return self._found("target", max(seg_start, q.start - 120), q.start, alone=False) \
            or self._found("target_after", q.end, q.end + 60)

    def plans_to(self, seg_start: int, q: Quantity) -> bool:
        """A plan's words lead to the number ("to bring this down to 12%"): with a date after, a target."""
        return self._found("plan_to", max(seg_start, q.start - 120), q.start, alone=False)

    def destination(self, q: Quantity) -> bool:
        """The number a change went to: "from 35% to 21%", "from 165.1 in September to 159.4"."""
        return _FROM_TO.search(self.text, max(0, q.start - _LOOK), q.start) is not None

    def inherits(self, seg_start: int, q_start: int) -> bool:
        return self._found("inherit", max(seg_start, q_start - 40), q_start)

    def anaphoric(self, seg_start: int, q: Quantity) -> bool:
        """The words just before the number point back ("this had fallen to", "the target was")."""
        if self.text[q.start:q.end].lower() in ("one", "a"):
            return False
        return self._found("anaphora", max(seg_start, q.start - 75), q.start, alone=False)

    def continues(self, sentence_start: int) -> bool:
        """The sentence opens by pointing back at the one before ("Of these, …", "The remainder were …")."""
        return _P["continues"].match(self.text, sentence_start) is not None

    def ambiguous(self, start: int, end: int) -> bool:
        return self._found("ambiguous", start, end, alone=False)


def scope_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Names of teams, services or bodies in text[start:end] ("the Children Looked After teams", "the Children in
    Care Council"): words there name a team or a body, not what a number counts."""
    return [m.span("scope") for m in _SCOPE.finditer(text, start, end) if m.group("scope")] + [
        m.span() for m in _BODY.finditer(text, start, end)]


def names_scope_next(text: str, end: int) -> bool:
    """A team or service is named right after a number ("19–22 in the Front Door service")."""
    m = _SCOPE.match(text, end + len(text[end:end + 4]) - len(text[end:end + 4].lstrip()))
    return bool(m and m.group("scope"))


def names_scope_before(text: str, start: int, end: int) -> bool:
    """text[start:end], just before a number, joins on a clause about another team (", and in the Children Looked
    After teams was 16"): the number is the same measure as the one before, for that team."""
    m = _JOINED.match(text, start, end)
    scope = _SCOPE.match(text, m.end(), end) if m else None
    return bool(scope and scope.group("scope") and _LINK.fullmatch(text, scope.end(), end))


def scope_of(text: str, q: Quantity, seg_start: int, seg_end: int) -> str | None:
    """The part of the service a figure is about, when the words say so ("in the Looked After teams")."""
    after = _SCOPE.search(text, q.end, min(seg_end, q.end + 90))
    m = after or _SCOPE.search(text, max(seg_start, q.start - 60), q.start)
    if not m:
        return None
    return (m.group("scope") or m.group("level") or m.group("fte")).strip()

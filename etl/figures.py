"""Find KPI figures in minutes text: numbers → metric, kind, as_of, qualifier, scope → Figure."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import NamedTuple

from etl.context import Context, names_scope_before, names_scope_next, scope_of, scope_spans
from etl.councils import at_date, find_mentions, load_councils
from etl.layout import Cell, Span, item_headings, list_after, sentences, table_cells, unwrapped
from etl.lexicon import Cue, accepts, catalogue, catalogue_units, described, find_cues, strongest
from etl.model import Figure, Meeting
from etl.numbers import Quantity, find_quantities
from etl.periods import Period, find_periods, on_count_day, report_period, shift_years

_UNITS = catalogue_units()
_FAMILIES = {metric: row["family"] for metric, row in catalogue().items()}
_THAT_EVENT = re.compile(r"\b(?:that|the\s+time\s+of\s+the)\s+(?P<event>inspection|visit|audit|review|survey|census)\b",
                         re.IGNORECASE)
_BY_DATE = re.compile(r"\s+by\s+(?:the\s+end\s+of\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:[A-Z][a-z]+\s+)?"
                      r"(?:19|20)\d\d\b")  # "… by September 2010"
_SHARE_OF = re.compile(r"\s+of\s+(?:the\s+|those\s+|these\s+)?(?:audited\s+|sampled\s+)?(?:cases|files|audits|them)\b")
_HEADING_CHARS = 1500
_PER = re.compile(r"\bper\s+(?!cent\b)(?:[a-z]+\s+)?$")  # "caseloads per qualified social worker": a rate's unit
_PART_OF = re.compile(r"\s+of\s+(?:these|those|the|our|all\s+(?:the\s+)?)\s*", re.IGNORECASE)
_OPEN_BRACKET = re.compile(r"\s*\(")
_BRACKETED_NUMBER = re.compile(r"\s*\(\s*£?\d")  # "in June 2021 (264)": the date is the bracketed number's
_MOVED_FROM = re.compile(r"\b(?:mov(?:e|es|ed|ing)|step(?:s|ped|ping)?\s+down)\s+(?:from|out\s+of)\s+$",
                         re.IGNORECASE)  # "moving from residential to foster care": where a child was, not a count
_NOT_A = re.compile(r"\bnot\s+an?\s+$", re.IGNORECASE)  # "Aspire House was not a children's home"
_WHOLE = re.compile(r"\bof\s+(?:the|our|its|all|their)\s+\d[\d,.]*\s+$", re.IGNORECASE)
_OF_TOTAL = re.compile(r"\bof\s+the\s+total(?:\s+number\s+of)?\s+$", re.IGNORECASE)  # "62% of the total number of
# looked after children": words naming the whole a share is of, so no number near them
_SINCE = re.compile(r"\bsince\b", re.IGNORECASE)
# another council's name just before a number: "(Leicestershire 11%", "Richmond reported an agency rate of about 24%"
_THEIRS = re.compile(r"(?:['’]s?)?(?:,\s+(?:whose|which|where)(?:\s+[a-z]+){0,4},?)?(?:\s+[a-z]+){0,6}\s*:?\s*",
                     re.IGNORECASE)
_ITEM_LABEL = re.compile(r"(?:[-•*·]|\(?[a-z0-9]{1,3}[.)])?\s*[^:\d\n]{2,60}(?::|\s[-–—])\s*$")  # "- foster care: 64",
# "• Child Protection Teams - £80,000"
_AGAINST = re.compile(r"\b(?:against|compared\s+(?:with|to))\s", re.IGNORECASE)  # a comparison's date follows
_WHEN_THERE = re.compile(r",?\s+when\s+(?:there\s+(?:were|was|had\s+been)|it\s+(?:was|had\s+been|stood\s+at))\s+"
                         r"(?:about\s+|around\s+)?", re.IGNORECASE)
_LEAD_IN_END = re.compile(r"(?::\s*[-–]?|\bincluding\s*;)$")  # "… was:", "… related to:-", "… including;"
_POINTS_BACK = re.compile(r"\s*(?:This|These|It|They|Which)\b", re.IGNORECASE)
_AND_TO = re.compile(r"\band\s+to\s+[a-z]")  # "aims to bring turnover below 15% … and to reduce agency staff to 15%"
_LEADS = re.compile(r"\s+(?:is|was|were|are|stood at|had been|has been|totalled|totals)\s+(?:about\s+|around\s+)?")
_THEIRS_AFTER = re.compile(r"\s+(?:in\s+)?")  # "£18.2m in Warrington", "nine Warrington children"
_FROM_BEFORE = re.compile(r"\bfrom\s*$", re.IGNORECASE)  # "from £2m in 2017/18 to …", "from 412 to 356"
_OVER_A_YEAR = re.compile(r"\s+to\s+[^\s,.;]+\s+(?:over|in|during)\s+the\s+(?:past|last|previous)\s+"
                          r"(?:year|twelve\s+months|12\s+months)\b", re.IGNORECASE)
_TO_IN_YEAR = re.compile(r"\s+to\s+[^\s,.;]+\s+(?:in|during)\s+", re.IGNORECASE)
_CHILDREN_AFTER = re.compile(r"\s+(?:[\w-]+-[\w-]+\s+)?(?:children|young\s+people|child|looked\s+after\s+children)\b",
                             re.IGNORECASE)  # "150 children", "3 care-experienced young people"
_CHILDREN_COUNTED = re.compile(r"\bnumber\s+of\s+(?:children|young\s+people)\b", re.IGNORECASE)  # "the number of
# children living with family and friends foster carers was 68" counts no carers
_NOT_CHILDREN = frozenset({"social_workers", "agency_staff", "newly_qualified_social_workers", "vacancies",
                           "foster_carers", "posts_reduced"})  # measures that never count children
# the number's own words say where: "51% are living in Torbay, 21% living in neighbouring authorities' areas"
_OWN_PLACE = re.compile(r"\s+(?:children\s+|young\s+people\s+)?(?:(?:are|were|was|is)\s+)?"
                        r"(?:living|placed|lived|lives)\s+(?:in|with|at|out)\b",
                        re.IGNORECASE)
_OF_THE = re.compile(r"\b[Oo]f\s+(?:the|these|those)\s+$")
_REMAINING = re.compile(r"\bthe\s+(?:remaining|other)\s+$", re.IGNORECASE)
_COMPARED = re.compile(r"\b(?:compared\s+(?:with|to)|against|from)\s+(?:around\s+|about\s+)?$", re.IGNORECASE)
_CUE_PHRASE_TO = re.compile(r"\s+(?:in|on|for|against|within)\s+[^.;,£\d]{1,40}?\s+of\s+(?:around\s+|about\s+)?")
_DATED_AFTER = re.compile(r"\s+(?:at|by|in|for)\s+[^,;.\d]{0,12}\d")  # "… at 31 March 2025"
_DATED_LIST_GAP = re.compile(_DATED_AFTER.pattern + r"[^,;.]{0,20}?\s*(?:,\s*(?:and\s+)?|\s+and\s+|;\s*)")
_OWN_WORDS = re.compile(r"(?:(?!\b(?:which|who|whom|that|and|but|while|whereas)\b)[^,;:.\d£%])*")  # one clause,
# no number between
_INCLUDES = re.compile(r"\b(?:includes?|included|including|comprises?|comprising)\b", re.IGNORECASE)
_LIST_GAP = re.compile(r"\s*(?:,|;|/|and|or|to|,\s*and|,\s*or)?\s*")  # "42, 45 and 50 children": one list


def find_figures(text: str, meeting: Meeting) -> tuple[list[Figure], list[Figure]]:
    """The council's own figures and the comparator figures (England, regional, other councils)."""
    if not text:
        return [], []
    # words are read across a wrapped line's break and with straight apostrophes ("children’s homes"); rows, lines
    # and quotes keep ``text`` (the same length, so the same offsets)
    flat = unwrapped(text).replace("’", "'")
    quantities = find_quantities(flat)
    if not quantities:
        return [], []
    items = _item_periods(text, meeting.meeting_date)
    mentions = find_mentions(flat)
    rivals = [m.start for m in mentions if m.comparator and m.council != meeting.council]
    others = [(m.start, m.end) for m in mentions if meeting.council and not _same_council(m.council, meeting)]
    doc = _Doc(text, flat, quantities, find_periods(flat, meeting.meeting_date), meeting.meeting_date,
               items, table_cells(text, quantities, meeting.meeting_date, meeting.council), rivals, others)
    figures: list[Figure] = []
    comparators: list[Figure] = []
    previous: list[Figure] = []
    for sentence in sentences(text):
        doc.read_sentence(sentence, figures, comparators, previous)
    return _unique(figures), comparators


def _same_council(name: str, meeting: Meeting) -> bool:
    """Whether a council named in the text is the meeting's own (allowing for a predecessor or successor name)."""
    if name == meeting.council or meeting.council not in load_councils():  # a manifest may name any council
        return name == meeting.council
    return at_date(name, meeting.meeting_date) == at_date(meeting.council, meeting.meeting_date)


def _headings(text: str) -> str:
    lines = [ln for ln in text[:_HEADING_CHARS].split("\n") if 0 < len(ln) < 120 and ln.rstrip()[-1:] not in ".,;"]
    return "\n".join(lines)


def _item_periods(text: str, meeting_date: str | None) -> list[tuple[int, str | None, int | None]]:
    """Where each part of the document starts, with its default as_of and financial year: the headings before the
    first agenda item give the first; an item whose heading names a quarter or a financial year gives its own
    ("74. 2020/21 Finance Quarter 3 Monitoring Report"); any other item goes back to the document's."""
    headings = item_headings(text)
    document = report_period(_headings(text[:headings[0][0]] if headings else text), meeting_date)
    unnamed = report_period("", meeting_date)
    items = [(0, *document)]
    for at, title in headings:
        named = report_period(title, meeting_date)
        items.append((at, *(document if named == unnamed else named)))
    return items


class _List(NamedTuple):
    """A lead-in's list: where it runs, the date and cues the lead-in gives, and the measure it points back to."""

    start: int
    end: int
    as_of: str | None
    cues: list[Cue]
    pointed: str | None


class _Doc:
    """One document's quantities, periods and tables, read sentence by sentence."""

    def __init__(self, source, text, quantities, periods, meeting_date, items, cells, rivals, others):
        self.source = source  # the document's text, for quotes and lines
        self.text, self.qs, self.periods = text, quantities, periods  # ``text``: wrapped lines joined, for words
        self.q_starts = [q.start for q in quantities]
        self.p_starts = [p.start for p in periods]
        self.meeting_date, self.items = meeting_date, items  # each part's start, default as_of and financial year
        self.item_starts = [at for at, _, _ in items]
        self.default_as_of, self.fy = items[0][1:]
        self.cells: dict[int, Cell] = cells
        self.ctx = Context(text)
        self.last_para, self.prev_span, self.prev_numbered = -1, None, False
        self.sentence_start, self.lead = 0, None  # the sentence read now; the first actual figure of the one before
        self.listed: _List | None = None
        self._last_cues: tuple[tuple[int, int] | None, list[Cue]] = (None, [])
        self.rivals: list[int] = rivals  # where other councils are named as comparators ("compared with Leeds")
        self.others: list[tuple[int, int]] = others  # any other council's name ("Leicestershire 11%", "9 in Leeds")

    def _range(self, starts, start, end):
        return range(bisect_left(starts, start), bisect_left(starts, end))

    def read_sentence(self, s: Span, figures, comparators, previous) -> None:
        idx = list(self._range(self.q_starts, s.start, s.end))
        if _LEAD_IN_END.search(self.text, s.start, s.end):
            self._lead_in(s)
        if s.para != self.last_para:
            if previous:  # a paragraph that gave figures lends no words to the next (a question or heading does)
                self.prev_span = None
            previous.clear()
            self.last_para, self.lead = s.para, None
        if not idx:
            self.prev_span, self.prev_numbered, self.lead = (s.start, s.end), False, None
            return
        self.sentence_start = s.start
        self.default_as_of, self.fy = self.items[bisect_right(self.item_starts, s.start) - 1][1:]
        cues = self._cues(s.start, s.end)
        periods = [self.periods[i] for i in self._range(self.p_starts, s.start, s.end)]
        local: list[tuple[int, Figure | None, str]] = []
        for i in idx:
            fig, where = self._read(i, s, idx, cues, periods, local, previous)
            local.append((i, fig, where))
            if fig is None:
                continue
            (comparators if where == "comparator" else figures).append(fig)
            if where != "comparator":
                previous.append(fig)
        own = [f for _, f, w in local if f is not None and w != "comparator"]
        if own or not any(f is not None for _, f, _ in local):  # a sentence of comparators keeps the subject
            self.lead = next((f for f in own if f.kind == "actual"), None)
        self.prev_span, self.prev_numbered = (s.start, s.end), True

    def _lead_in(self, s: Span) -> None:
        """A sentence ending with a colon that names and dates its list ("At 30 June 2016, by type of placement,
        was:", "The main areas of over-spend related to:-")."""
        end = list_after(self.source, s.end)
        dated = [self.periods[k].as_of for k in self._range(self.p_starts, s.start, s.end)
                 if self.periods[k].kind == "at" and self.periods[k].as_of]
        if end > s.end:
            cues = self._cues(s.start, s.end)
            pointed = self.lead.metric if not cues and self.lead is not None \
                and _POINTS_BACK.match(self.text, s.start) else None  # "This had come from sources including;"
            self.listed = _List(s.end, end, dated[-1] if dated else None, cues, pointed)

    @staticmethod
    def _pointed_metric(q: Quantity, metric: str | None):
        """The measure of the figure a lead-in points back to, if it fits the number."""
        return (metric, 1, 0.5) if metric is not None and accepts(_UNITS[metric], q.unit) else None

    def _listed(self, q: Quantity):
        """The lead-in whose list holds ``q``, if any."""
        return self.listed if self.listed is not None and self.listed.start < q.start < self.listed.end else None

    def _cues(self, start: int, end: int) -> list[Cue]:
        """Cues in text[start:end], except words naming a team ("the Children Looked After teams"), the unit of a
        rate ("per social worker") or what a thing is not ("not a children's home"); the last span asked is
        remembered (a sentence without numbers is read only when the next one borrows its metric)."""
        if self._last_cues[0] != (start, end):
            teams = scope_spans(self.text, start, end)
            cues = [c for c in find_cues(self.text, start, end) if not any(a < c.end and c.start < b for a, b in teams)
                    and not _PER.search(self.text, max(start, c.start - 25), c.start)
                    and not _NOT_A.search(self.text, max(start, c.start - 12), c.start)
                    and not _MOVED_FROM.search(self.text, max(start, c.start - 24), c.start)]
            self._last_cues = ((start, end), cues)
        return self._last_cues[1]

    def _read(self, i, s, idx, cues, periods, local, previous):
        q = self.qs[i]
        cell = self.cells.get(i)
        if cell is not None:
            return self._read_cell(i, q, cell), "comparator" if cell.comparator else "table"
        if _OF_THE.search(self.text, max(0, q.start - 12), q.start) and (self.text[q.end:q.end + 1] == "," or any(
                self.qs[j].value == q.value and self.qs[j].unit == q.unit for j in idx if j < i)):
            return None, "skip"  # "Of the 142, 27 were agency workers", "£4.1m of the £6m": the whole again
        if _REMAINING.search(self.text, max(0, q.start - 16), q.start) and self.text.startswith(" (", q.end):
            return None, "skip"  # "the remaining two (concerning health assessments for LAC)": things counted before
        # a change keeps its date ("an increase of 37 on a year earlier")
        if self.ctx.not_a_figure(q) and not _named_by_phrase(q, cues):
            if q.unit != "duration":
                self.ctx.used_periods.update(id(p) for p in periods if q.end <= p.start < q.end + 20)
            return None, "skip"
        clause = next(((a, b) for a, b in s.clauses if a <= q.start < b), (s.start, s.end))
        seg_start = max([self.qs[j].end for j in idx if j < i and self.qs[j].end <= q.start] + [clause[0]])
        seg_end = min([self.qs[j].start for j in idx if j > i and self.qs[j].unit != "duration"] + [clause[1]])
        parent = None
        before = next(((j, f) for j, f, _ in reversed(local) if self.qs[j].unit != "duration"), None)
        if before is not None and before[1] is None and self.qs[before[0]].end == seg_start \
                and self.ctx.inherits(seg_start, q.start) \
                and not any(q.end <= c.start <= q.end + 30 and accepts(c.rule.unit, q.unit) for c in cues):
            return None, "skip"  # "23 enquiries …, of which four had progressed": a part of what is no figure
        last_i, last = _last_figure(local)
        if last is not None and (self.ctx.inherits(seg_start, q.start) or (getattr(
                last, "_parent", False) and self.text[seg_start:q.start].rstrip().endswith(" and"))) \
                and not _COMPARED.search(self.text, max(0, self.qs[last_i].start - 25), self.qs[last_i].start):
            parent = last  # not a figure given for comparison ("compared with 297 a year earlier, a rate of 80")
        choice = self._metric(q, i, idx, cues, clause, parent)
        listed = self._listed(q)
        if listed is not None and _ITEM_LABEL.fullmatch(self.text, s.start, q.start):
            choice = self._lead_metric(q, listed.cues) or self._pointed_metric(q, listed.pointed) or choice
            # "The number placed outside at …, by type, was:"; "an overspend of £6m. This had come from, including;"
        if choice is None and self.ctx.anaphoric(clause[0], q) and not self._points_at_no_figure(before, clause):
            choice = self._borrow(q, previous)
        if choice is None and last is not None and self.ctx.destination(q) and accepts(_UNITS[last.metric], q.unit):
            choice = last.metric, -1 if last.value < 0 else 1, 0.5  # "… per 10,000 fell from 165.1 in June to 159.4"
        if choice is None and last is not None and self._another_team(q, seg_start, last):
            choice = last.metric, -1 if last.value < 0 else 1, 0.5
        if choice is None or (choice[0] in _NOT_CHILDREN and self._counts_children(q, seg_start)) \
                or self._rate_of_another(q, cues, clause, choice[0]):
            return None, "skip"  # "150 children in agency foster placements" counts no carers or staff
        metric, sign, confidence = choice
        if self.ctx.ambiguous(s.start, s.end) and any(f.value == q.value for f in previous):
            for f in previous:
                if f.value == q.value and "ambiguous_unit" not in f.flags:
                    f.flags.append("ambiguous_unit")
            return None, "skip"
        target = self._is_target(q, seg_start, last)
        as_of, cue_kind = self._as_of(q, metric, seg_start, seg_end, clause, periods, local, previous, target, parent)
        fig = self._figure(q, metric, sign, s, as_of, target, confidence)
        fig.scope = scope_of(self.text, q, seg_start, seg_end)
        rival = any(self.ctx.clause_start(s.start, q.start) <= at < q.start for at in self.rivals) or self._theirs(q)
        # a number read as no figure (a change) does not end what the words before say: "had increased nationally
        # by 8.75% since 2014 to 75,420"
        told = self._after_last_figure(clause, last_i)
        compared = last_i is not None and local[-1][0] == last_i and local[-1][2] == "comparator" \
            and self.ctx.destination(q)  # "the national average has risen from 65 per 10,000 to 67"
        where = "comparator" if rival or compared or self.ctx.is_comparator(q, told, seg_end) else "figure"
        fig._cue_kind = cue_kind  # type: ignore[attr-defined]
        fig._parent = parent is not None and fig.metric == parent.metric  # type: ignore[attr-defined]
        return fig, where

    def _after_last_figure(self, clause: tuple[int, int], last_i: int | None) -> int:
        """Where the words of a number's own start in its clause: after the last number that gave a figure."""
        return clause[0] if last_i is None else max(self.qs[last_i].end, clause[0])

    def _counts_children(self, q: Quantity, seg_start: int) -> bool:
        """The number counts children ("150 children in agency foster placements", "the number of children living
        with family and friends foster carers was 68"), so no carers or staff."""
        return bool(_CHILDREN_AFTER.match(self.text, q.end) or _CHILDREN_COUNTED.search(self.text, seg_start, q.start))

    def _points_at_no_figure(self, before, clause) -> bool:
        """The words pointing back come after a number read as no figure, so point at it: "12 had been placed for
        adoption and this had now increased to 20" (not "numbers had increased by 12.7% to 230")."""
        return before is not None and before[1] is None and not self.ctx.anaphoric(clause[0], self.qs[before[0]])

    def _rate_of_another(self, q: Quantity, cues: list[Cue], clause, metric: str) -> bool:
        """A rate per 10,000 of a measure outside the catalogue: the count named last before it is not the one the
        rate metric is defined on ("children in need stood at 1,486, equivalent to 271 per 10,000")."""
        if q.unit != "per_10k":
            return False
        own = [c for c in cues if q.end < c.start <= q.end + 2 and c.rule.unit == "count"]  # "314 referrals per …"
        counts = own or [c for c in cues if clause[0] <= c.start and c.end <= q.start and c.rule.unit == "count"]
        return bool(counts) and counts[-1].rule.metric not in described(metric)

    def _is_target(self, q: Quantity, seg_start: int, last: Figure | None) -> bool:
        """Target words before the number; a second aim "and to …"; or a bound or plan due by a date ("no more
        than 18 by September 2010", "below 10% by March 2025", "to bring this down to 12% by March 2021")."""
        if self.ctx.is_target(seg_start, q):
            return True
        if last is not None and last.kind == "target" and (_AND_TO.search(self.text, seg_start, q.start) or (
                _DATED_LIST_GAP.fullmatch(self.text, seg_start, q.start) and _DATED_AFTER.match(self.text, q.end))):
            return True  # "… and to reduce agency staff to 15%"; "350 at 31 March 2024, 300 at 31 March 2025 and …"
        by = _BY_DATE.match(self.text, q.end)
        if by is None:
            return False
        if self.ctx.destination(q):  # "a reduction … from 651 to 600 by March 2021": a plan while the date is ahead
            ahead = not self.meeting_date or by.group()[-4:] >= self.meeting_date[:4]
            return ahead and (q.qualifier in ("at_most", "at_least") or self.ctx.plans_to(0, q))
        return q.qualifier in ("at_most", "at_least") or self.ctx.plans_to(seg_start, q)

    def _theirs(self, q: Quantity) -> bool:
        """Another council's name stands just before the number ("Leicestershire 11%") or right after it
        ("£18.2m in Warrington", "nine Warrington children")."""
        return any((0 <= q.start - end <= 70 and _THEIRS.fullmatch(self.text, end, q.start))
                   or (0 < start - q.end <= 5 and _THEIRS_AFTER.fullmatch(self.text, q.end, start))
                   for start, end in self.others)

    def _another_team(self, q: Quantity, seg_start: int, last: Figure) -> bool:
        """The number gives the figure before it for another team: "14-17 in the locality teams, and 19-22 in the
        Front Door service"; "18.4 in the Court Teams, and in the Looked After teams was 16"."""
        if not accepts(_UNITS[last.metric], q.unit):
            return False
        return (self.text[seg_start:q.start].rstrip().endswith(("and", ",")) and names_scope_next(self.text, q.end)) \
            or names_scope_before(self.text, seg_start, q.start)

    def _metric(self, q: Quantity, i: int, idx, cues: list[Cue], clause, parent):
        best: tuple[float, str, int, float] | None = None
        near = False  # the best cue stands right after the number ("of whom 68 were agency staff")
        own = any(q.end <= c.start <= q.end + 30 and accepts(c.rule.unit, q.unit)
                  and "," not in self.text[q.end:c.start] for c in cues)  # the number's own words name a measure
        scored = [(self._score(q, i, idx, c, clause, own), c) for c in cues if accepts(c.rule.unit, q.unit)
                  and not (c.rule.wraps and not (c.start < q.end and c.end > q.start))]
        chosen: Cue | None = None
        for score, c in scored:
            if best is None or score > best[0]:
                best, chosen = (score, c.rule.metric, c.rule.sign, score), c
                near = q.end <= c.start <= q.end + 8
        narrower = None if chosen is None else self._narrower(q, idx, chosen, best[0], scored, clause)
        if narrower is not None:  # "96 looked after children were placed outside the city": the part named after
            best = (best[0], narrower.rule.metric, narrower.rule.sign, best[0])
        if parent is not None and accepts(_UNITS[parent.metric], q.unit) and (best is None or best[0] < 3.2) \
                and not near:
            best = (3.2, parent.metric, -1 if parent.value < 0 else 1, 3.2)
        if best is None or best[0] < -1.5:
            return None
        return best[1], best[2], max(0.3, min(0.95, 0.55 + best[0] / 10))

    def _narrower(self, q: Quantity, idx, chosen: Cue, best: float, scored, clause) -> Cue | None:
        """A more specific measure of the same family that the words after the noun right after ``q`` name
        ("96 looked after children were placed outside the city", "40 social workers were agency staff")."""
        if not (q.end <= chosen.start <= q.end + 3):
            return None
        fits = [(score, c) for score, c in scored if score >= best - 1.5 and c.start >= chosen.end
                and c.start < clause[1] and c.rule.priority > chosen.rule.priority
                and _FAMILIES[c.rule.metric] == _FAMILIES[chosen.rule.metric]
                and not any(q.end <= self.qs[j].start < c.start for j in idx)]
        return max(fits, key=lambda sc: sc[0])[1] if fits else None

    def _score(self, q: Quantity, i: int, idx, c: Cue, clause, own: bool) -> float:
        """How well cue ``c`` names ``q``; ``own``: a cue stands in the words right after ``q``."""
        if (c.start <= q.start and c.end >= q.end) or q.start <= c.start < q.end:
            return c.rule.priority + 2
        if c.end <= q.start:
            gap, between = q.start - c.end, self._competitors(idx, c.end, q.start, c.rule.unit)
        else:
            gap, between = c.start - q.end, self._competitors(idx, q.end, c.start, c.rule.unit)
        score = c.rule.priority - gap / 60 - 1.5 * between - (5.0 if _OF_TOTAL.search(
            self.text, max(0, c.start - 30), c.start) else 0.0)
        if own and c.end <= q.start and _INCLUDES.search(self.text, c.end, q.start):
            score -= 2.0  # "The total looked after children includes 75 children in residential placements": a part
        # another clause: "£98.3m and that the forecast overspend", "… outside the borough, and 29 children were in"
        crosses = self.ctx.joins_clauses(min(c.end, q.end), max(c.start, q.start))
        if crosses:
            score -= 1.5
        if c.start >= q.end:  # a cue after the number that other words or numbers claim first
            if _PART_OF.fullmatch(self.text, q.end, c.start):
                score -= 5.0  # "75 of these looked after children have an EHCP": the cue names the whole
            if "," in self.text[q.end:c.start]:  # "a budget of £111m, the overspend was"
                score -= 1.0
            nearer = next((self.qs[j] for j in idx if q.end <= self.qs[j].start and self.qs[j].end <= c.start
                           and accepts(c.rule.unit, self.qs[j].unit)), None)
            if nearer is not None and not _LIST_GAP.fullmatch(self.text[q.end:nearer.start]):
                score -= 3.0  # "273 were placed far away and 118 were placed outside": the nearer number's cue
            following = next((self.qs[j] for j in idx if self.qs[j].start >= c.end), None)
            if following is not None and accepts(c.rule.unit, following.unit):
                if _CUE_PHRASE_TO.fullmatch(self.text, c.end, following.start):
                    score -= 2.5  # "£24k and an underspend in accommodation of £65k": the cue's phrase ends on £65k
                elif following.start - c.end < gap and not self.ctx.joins_clauses(c.end, following.start):
                    score -= 1.0  # "budget of £58.7m was forecast to overspend by £2.4m" (not "…homes, and 3 were")
                    if following.start - c.end <= 4:
                        score -= 1.5  # "£31.2m, after savings of £1,850,000": the cue's own number follows it
        elif _WHOLE.search(self.text, max(0, c.start - 30), c.start):
            score -= 5.0  # "Of the 410 children in care, 52 …": the cue names the whole, not the part
        elif (own or _OWN_PLACE.match(self.text, q.end)) and self._claimed(idx, c):
            score -= 3.0 if own else 5.0  # "62 were placed outside the borough and 23 were in residential homes": 62's
            # words; "51% are living in Torbay, 21% living in neighbouring areas": 21 has words of its own
        if gap <= 15 and between == 0 and not crosses:
            score += 1.0
        if not (clause[0] <= c.start < clause[1]):
            score -= 1.0
        return score

    def _claimed(self, idx, c: Cue) -> bool:
        """The cue stands in the words right after an earlier number that it fits ("62 children were placed
        outside the borough")."""
        before = [j for j in idx if self.qs[j].end <= c.start and accepts(c.rule.unit, self.qs[j].unit)]
        return bool(before) and c.start - self.qs[before[-1]].end <= 40 \
            and "," not in self.text[self.qs[before[-1]].end:c.start]  # not "£61.3m, which included investment"

    def _competitors(self, idx, start: int, end: int, unit: str) -> int:
        """Numbers standing wholly in text[start:end] that could take a cue of ``unit``."""
        return sum(1 for j in idx
                   if start <= self.qs[j].start and self.qs[j].end <= end and accepts(unit, self.qs[j].unit))

    def _borrow(self, q: Quantity, previous: list[Figure]):
        """The metric "it" / "this" points back to: the sentence just before when it only named a measure
        ("The number of agency staff had fallen. It was now three."), else the last figure, else that sentence."""
        before = self._cues(*self.prev_span) if self.prev_span else []
        named = None if self.prev_numbered else strongest(before, q.unit)
        if named is not None:
            return named.rule.metric, named.rule.sign, 0.45
        for f in reversed(previous):  # a rate given again without "per 10,000" ("This is a rise from 53.2")
            if accepts(_UNITS[f.metric], q.unit) or (f.unit == "per_10k" and q.unit == "bare" and q.value % 1):
                return f.metric, 1, 0.45
        for c in reversed(before):
            if accepts(c.rule.unit, q.unit):
                return c.rule.metric, c.rule.sign, 0.4
        return None

    def _lead_metric(self, q: Quantity, cues: list[Cue]):
        best = strongest(cues, q.unit)
        return None if best is None else (best.rule.metric, best.rule.sign, 0.6)

    def _as_of(self, q, metric, seg_start, seg_end, clause, periods: list[Period], local, previous, target, parent):
        # a date after ", and ..." belongs to the next number when one follows ("a third were agency staff,
        # and turnover for 2016/17 had been 23.5%"), else to the whole sentence
        before = [p for p in periods if seg_start <= p.start and p.end <= q.start
                  and id(p) not in self.ctx.used_periods]
        # ... unless the number has a date of its own before it ("Turnover in 2008/09 had been 18.7%, and … this year")
        joined = seg_end < clause[1] or any(p.kind == "at" for p in before)
        after_end = self.ctx.clause_join(q.end, seg_end) if joined else seg_end
        after_end = self.ctx.comparison_start(q.end, after_end)
        after = [p for p in periods if q.end <= p.start < after_end]
        if target:  # "by March 2025"; "a target of £3m for the year": the financial year
            dated = [p for p in after + before if p.kind in ("by", "at") and p.as_of]
            yearly = [p for p in after if p.kind == "fy"]
            return (dated[0].as_of if dated else self._resolve(yearly[0], previous) if yearly else None), "target"
        bracketed = next((p for p in periods if p.as_of and p.end <= q.start
                          and _OPEN_BRACKET.fullmatch(self.text, p.end, q.start)), None)
        if bracketed is not None:  # "the number in care in June 2021 (264)": the date the bracket hangs on
            return self._resolve(bracketed, previous), "before"
        # past numbers read as no figure ("In 2011 some 2,300 young people took part in 41 schemes, at a cost of
        # £186,000"), back to the last one that gave a figure
        last_i, last = _last_figure(local)
        reach = self._after_last_figure(clause, last_i)
        past = [p for p in periods if reach <= p.start and p.end <= seg_start and id(p) not in self.ctx.used_periods]
        for kind, found in (("after", after), ("before", list(reversed(before))), ("before", list(reversed(past)))):
            for p in found:
                if self._not_the_figures(p, kind, q):
                    continue
                if kind == "after":
                    self.ctx.used_periods.add(id(p))
                if p.kind == "fy" and parent is not None and parent.as_of:  # "which included £6.2m ... in the year"
                    return parent.as_of, "inherited"
                if p.kind == "fy" and self._resolve(p, previous) is None:
                    continue  # "for the year end 2021/22" at a meeting of unknown date: the year named next
                return self._resolve(p, previous), "after-fy" if kind == "after" and p.financial else kind
        if parent is not None:
            return parent.as_of, "inherited"
        named = self._that_event(self.ctx.clause_start(seg_start, q.start), self.ctx.clause_join(q.end, seg_end))
        if named is not None:  # "the inspection in 2014. Ofsted had made 14 recommendations at that inspection"
            return named, "event"
        whole = self._whole_counted(q, metric, previous)
        if whole is not None:  # "240 cases had been audited in Q3. The child's voice was evident in 71% of cases."
            return whole.as_of, "inherited"
        listed = self._listed(q)
        if listed is not None and listed.as_of is not None:
            return listed.as_of, "inherited"
        if self.lead is not None and self.ctx.continues(self.sentence_start):  # "… at 31 December. Of these, 77%"
            return self.lead.as_of, "inherited"
        if _FROM_BEFORE.search(self.text, max(0, q.start - 8), q.start):
            if _OVER_A_YEAR.match(self.text, q.end):
                return shift_years(self.default_as_of, -1), "earlier"  # "had fallen from 412 to 356 over the past year"
            in_year = _TO_IN_YEAR.match(self.text, q.end)
            year = in_year and next((p.as_of for p in periods if p.start == in_year.end() and len(p.as_of or "") == 4),
                                    None)
            if year:
                return shift_years(year, -1), "earlier"  # "increased from 103 to 107 in 2010/11": 103 at its start
        # the figure before it in its clause, past numbers read as no figure ("89 households caring for 159 children
        # and 62 connected carer households")
        if last is not None and self.qs[last_i].start >= clause[0] \
                and self._shares_date(q, self.qs[last_i], last):
            return last.as_of, "inherited"
        return self.default_as_of, "default"

    def _that_event(self, seg_start: int, seg_end: int) -> str | None:
        """The date of "that inspection" (or visit, audit, review) in a number's words: where the text before
        named it with a date."""
        m = _THAT_EVENT.search(self.text, seg_start, seg_end)
        if m is None:
            return None
        named = re.compile(rf"\b{m.group('event')}s?\s+(?:in|of|on|at|dated)\s+$", re.IGNORECASE)
        for k in range(bisect_left(self.p_starts, m.start()) - 1, bisect_left(self.p_starts, m.start() - 600) - 1, -1):
            p = self.periods[k]
            if p.kind == "at" and p.as_of and named.search(self.text, max(0, p.start - 40), p.start):
                return p.as_of
        return None

    def _whole_counted(self, q: Quantity, metric: str, previous: list[Figure]) -> Figure | None:
        """The dated count a share is "of" ("71% of cases", "88% of them"): the paragraph's last figure that
        counts items of the share's own family (audited cases for the child's voice)."""
        if q.unit != "pct" or not _SHARE_OF.match(self.text, q.end):
            return None
        return next((f for f in reversed(previous) if f.unit == "count" and getattr(f, "_cue_kind", "") != "default"
                     and _FAMILIES[f.metric] == _FAMILIES[metric]), None)

    def _not_the_figures(self, p: Period, kind: str, q: Quantity) -> bool:
        """A date near the number that is not when it holds: an interval's start ("since the 2022 inspection"),
        a deadline before it, a "now" further on, or an event's date in a later clause."""
        if p.kind == "since" and kind == "after" and p.start - q.end <= 3 \
                and _FROM_BEFORE.search(self.text, max(0, q.start - 8), q.start):
            return False  # "had decreased to 831 from 855 since November 2021": where the change started
        if kind == "before" and _WHEN_THERE.fullmatch(self.text, p.end, q.start):
            return False  # "a reduction since December 2015 when there were 208": the number then
        if p.kind == "since" or self.ctx.starts_interval(p.start):
            return True
        if kind == "before":  # "judged inadequate in 2022 and Ofsted had since carried out eight visits"
            return p.kind == "by" or _SINCE.search(self.text, p.end, q.start) is not None
        return (p.kind == "now" and p.start - q.end > 3 and not self._now_in_own_words(q, p)) \
            or self.ctx.dates_event(q.end, p.start) \
            or self._dates_next(p) or _BRACKETED_NUMBER.match(self.text, p.end) is not None

    def _now_in_own_words(self, q: Quantity, p: Period) -> bool:
        """ "Currently" or "at the time of the meeting" in the number's own words ("212 children were currently
        placed", "1,006 looked after children (LAC) at the time of the meeting"), in a part of the document whose
        default is another time (a quarter's report): the figure holds at the meeting."""
        return self.default_as_of != self.meeting_date and p.end - q.end <= 60 \
            and _OWN_WORDS.fullmatch(self.text, q.end, p.start) is not None and self.text[p.start:p.end] != "to date"

    def _dates_next(self, p: Period) -> bool:
        """The date leads the next number's verb ("… the overspend for 2011/12 is £1.35m"): that number's date."""
        k = bisect_left(self.q_starts, p.end)
        return k < len(self.qs) and _LEADS.fullmatch(self.text, p.end, self.qs[k].start) is not None

    def _shares_date(self, q: Quantity, before: Quantity, fig: Figure) -> bool:
        """A number with no date of its own takes the date of the figure before it in its clause when that date
        stood before it, or was a financial year both amounts of money fall in ("a budget of £48.3m for 2019/20
        was forecast to overspend by £3.9m"), but not "from £2m in 2017/18 to £3m"."""
        kind = getattr(fig, "_cue_kind", "")
        if self.ctx.destination(q) and _AGAINST.search(self.text, max(0, before.start - 60), before.start):
            return False  # "increased against Q2 17/18, up 34.3% from 654 to 878": the start had the comparison's date
        if kind in ("before", "inherited"):
            return True
        return kind == "after-fy" and q.unit == before.unit == "gbp" \
            and not _FROM_BEFORE.search(self.text, max(0, before.start - 8), before.start)

    def _resolve(self, p: Period, previous: list[Figure]) -> str | None:
        if p.kind == "earlier":
            ref = previous[-1].as_of if previous else self.default_as_of
            return shift_years(ref, -p.years)
        if p.kind == "now":
            return self.meeting_date
        if p.kind == "fy":
            return str(self.fy) if self.fy else self.default_as_of
        return p.as_of

    def _figure(self, q: Quantity, metric: str, sign: int, s: Span, as_of, target, confidence) -> Figure:
        quote_start, quote_end = _quote(self.text, s, q)
        return Figure(metric=metric, value=sign * q.value, unit=_UNITS[metric],
                      quote=self.source[quote_start:quote_end], start=quote_start, end=quote_end,
                      low=None if q.low is None else sign * q.low, high=None if q.high is None else sign * q.high,
                      as_of=as_of, kind="target" if target else "actual", qualifier=q.qualifier,
                      confidence=round(confidence, 2))

    def _read_cell(self, i: int, q: Quantity, cell: Cell) -> Figure | None:
        label = self.text[cell.label[0]:cell.label[1]]
        unit = q.unit
        if q.unit == "bare" and re.search(r"per 10,?000|per 10k", label, re.IGNORECASE):
            unit = "per_10k"
        elif q.unit == "bare" and re.search(r"\bdays\b", label, re.IGNORECASE):
            unit = "days"  # "Sickness days per FTE 11.0 8.2"
        elif q.unit == "bare" and re.search(r"\(%\)|\bper cent\b|%$", label):
            unit = "pct"  # "SW vacancy rate (%) 12.4 8.9"
        q = Quantity(q.start, q.end, q.value, unit, q.low, q.high, cell.qualifier or q.qualifier)
        if cell.metrics:
            return self._column_cell(q, cell, label)
        cue = cell.cue(self.text, q.unit) or self._caption_cue(cell, q)
        if cue is None:
            return None
        as_of = cell.column if cell.target else (cell.column or on_count_day(label, cell.count_day, self.meeting_date)
                                                 or cell.intro_as_of or self.default_as_of)
        span = Span(cell.label[0], max(q.end, cell.label[1]), -1)
        confidence = 0.8 if cell.column or cell.target else 0.7
        fig = self._figure(q, cue.rule.metric, cue.rule.sign, span, as_of, cell.target, confidence)
        fig._cue_kind = "table"  # type: ignore[attr-defined]
        return fig


    def _caption_cue(self, cell: Cell, q: Quantity) -> Cue | None:
        """The measure the words introducing a table name, for a row whose label names none ("The savings expected
        from each workstream were:" / "Placement sufficiency £1.20m £2.35m")."""
        if cell.caption is None:
            return None
        return strongest(self._cues(*cell.caption), q.unit)

    def _column_cell(self, q: Quantity, cell: Cell, label: str) -> Figure | None:
        """A cell under a column that names its measure: the row label is the scope; money is for the financial
        year named last above the table; "(228)" in a money column is an underspend."""
        if q.unit == "bare" and cell.scale:
            q = Quantity(q.start, q.end, q.value * cell.scale, "gbp", qualifier=q.qualifier)
        metric = next((m for m in cell.metrics if accepts(_UNITS[m], q.unit)), None)
        if metric is None:
            return None
        money = q.unit == "gbp"
        sign = -1 if money and self.text[q.start - 1:q.start] == "(" and self.text[q.end:q.end + 1] == ")" else 1
        years = [self.periods[k].as_of for k in self._range(self.p_starts, cell.label[0] - 1500, cell.label[0])
                 if self.periods[k].financial and self.periods[k].as_of] if money else []  # "the budget for 2013/14"
        as_of = cell.column or on_count_day(label, cell.count_day, self.meeting_date) \
            or (years[-1] if years else None) or cell.intro_as_of \
            or (str(self.fy) if money and self.fy else self.default_as_of)
        fig = self._figure(q, metric, sign, Span(cell.label[0], q.end, -1), as_of, cell.target, 0.75)
        fig.scope = label.strip()
        fig._cue_kind = "table"  # type: ignore[attr-defined]
        return fig


def _last_figure(local: list[tuple[int, Figure | None, str]]) -> tuple[int | None, Figure | None]:
    """The index and figure of the last number read so far in the sentence that gave a figure."""
    return next(((j, f) for j, f, _ in reversed(local) if f is not None), (None, None))


def _named_by_phrase(q: Quantity, cues: list[Cue]) -> bool:
    """A strong lexicon phrase holds the number ("the budget would be reduced by £120k"): the catalogue names
    that change, so the change words around it do not make it a non-figure."""
    return any(c.rule.wraps and c.rule.priority >= 3 and c.start <= q.start and q.end <= c.end
               and accepts(c.rule.unit, q.unit) for c in cues)


def _quote(text: str, s: Span, q: Quantity) -> tuple[int, int]:
    start, end = s.start, max(s.end, q.end)
    if end - start > 320:
        clause = next(((a, b) for a, b in s.clauses if a <= q.start < b), (start, end))
        start, end = clause[0], max(clause[1], q.end)
    return start, end


def _unique(figures: list[Figure]) -> list[Figure]:
    seen, out = set(), []
    for f in figures:
        key = (f.metric, f.value, f.low, f.high, f.kind, (f.as_of or "")[:4])
        if key in seen:
            continue
        seen.add(key)
        for attr in ("_cue_kind", "_parent"):
            if hasattr(f, attr):
                delattr(f, attr)
        out.append(f)
    return out

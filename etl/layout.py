"""Where a number sits: its sentence and clause, or its table row, header and column."""

from __future__ import annotations

import bisect
import csv
import functools
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from etl.context import words
from etl.councils import find_council, find_mentions
from etl.lexicon import Cue, accepts, described, find_cues, strongest
from etl.numbers import Quantity
from etl.periods import MONTH_WORDS, dates_in, on_count_day, yearly_counts

# a stop ends a sentence, except after an abbreviation ("(c. 90)", "approx. 40", "para. 3.2", "e.g. 12")
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\bc\.)(?<!\bca\.)(?<!\bapprox\.)(?<!\bpara\.)(?<!\bparas\.)(?<!\bpp\.)"
                           r"(?<!\bp\.)(?<!\bvs\.)(?<!\bcf\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bno\.)(?<!\bNo\.)"
                           r"[\"”’)]?\s+(?=[A-Z0-9(‘“'\"•·*-])")
_CLAUSE_END = re.compile(r";\s+|:\s+(?=[a-z])")
_WRAPPED = 60  # a PDF line at least this long, with no closing stop, runs on into the next
_ITEM_START = re.compile(r"\s*(?:[-•*·]\s|\(?[a-z0-9]{1,3}[.)]\s)")  # "3. the Children …", "(b) the", "- foster"
_ROW_LIKE = re.compile(r"[^.;:!?]{3,100}?(?:\s+[£$]?\d[\d,.]*%?){2,}")  # a short label and two cells or more
_LIST_LINE = 300  # a line of a list is shorter than this
_BULLET = re.compile(r"[ \t\u00a0]*[-•*·▪◦]\s")  # a bulleted list item
_WORDS_LINE = re.compile(r"^[ \t\u00a0]*\S", re.MULTILINE)
_NUMBERED = re.compile(r"\s*\d+(?:\.\d+)+\s")  # "8.3 Members noted …": a new numbered paragraph, not a list item
_MONEY_CSV = Path(__file__).with_name("money_columns.csv")
_SCALE = re.compile(r"£\s?['’]?(?P<k>000s?\b|k\b|thousands?\b)|£\s?(?:m\b|millions?\b)", re.IGNORECASE)  # £000, £m
_HEAD_JOIN = re.compile(r"\s*(?:(?:per|of|in|on|for|the|to|and|&)\s+)*")  # "Forecast variance", "caseload per worker"
_LONGEST = 2000  # no real sentence is this long (the corpora's longest is 325): keeps work per sentence bounded


_MONTH = rf"(?:{MONTH_WORDS})\.?"
_PERIOD = "|".join((
    r"\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})",            # 31.03.15, 31/03/2016
    rf"\d{{1,2}}\s+{_MONTH}\s+(?:19|20)\d{{2}}",           # 31 March 2021
    rf"{_MONTH}[\s-]+(?:19|20)\d{{2}}",                     # Mar 2020, March-2021
    rf"{_MONTH}[\s-]'?\d{{2}}",                              # Mar-21, Mar '21
    r"(?:Q[1-4]\s+)?(?:19|20)\d{2}(?:[/-]\d{2})?",         # 2019, 2017/18, Q3 2019/20
    r"Q[1-4]\s+\d{2}[/-]\d{2}",                            # Q1 19/20
))
_TARGET = re.compile(r"\b(?:target|aim|ambition|goal|(?:local\s+)?standard|tolerance)\b", re.IGNORECASE)
_COMPARATOR = re.compile(words("comparator"), re.IGNORECASE)
_TOKEN = re.compile(rf"(?<![\w/.])(?:(?P<period>{_PERIOD})|(?P<target>{_TARGET.pattern})|(?P<actual>actual|outturn)"
                    r"|(?P<change>change|difference|variance|trend|direction of travel)"
                    r"|(?P<status>RAG(?:\s+(?:rating|status))?|status|rating)"  # a column of words ("Green")
                    r"|(?P<relative>(?:last|this|previous|current)\s+(?:year|quarter|month)|latest|current)"
                    rf"|(?P<comparator>{_COMPARATOR.pattern}))(?![\w/])", re.IGNORECASE)
_NAME_GAP = re.compile(r"\s+(?:[A-Z][^\s\d]*(?:\s+(?:and|the|of|&))*\s+){0,4}")  # "Leeds", "Yorkshire and the Humber"
_NAME_END = re.compile(r"(?:[^\s\d]+\s+){0,4}$")
_NUMERIC_DATE = re.compile(r"(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>\d{4}|\d{2})")
_SHORT_YEAR = re.compile(rf"(?P<month>{_MONTH})[\s-]'?(?P<year>\d{{2}})", re.IGNORECASE)
_ITEM_HEADING = re.compile(r"^[ \t]*(?:(?:minute|item|agenda\s+item)\s+)?\d{1,3}[.:)]?[ \t]+"
                           rf"(?!(?i:{_MONTH})\b)(?P<title>[A-Z0-9][^\n]{{3,118}}?)[ \t]*$",
                           re.MULTILINE)  # "74. 2020/21 Finance Quarter 3 Monitoring Report", not "13 April 2022"
_NUMBERED_CAPTION = re.compile(r"\s*(?:Table|Figure|Chart|Graph)\s+\d+[a-z]?\s*[:.–-]\s*\S",
                               re.IGNORECASE)  # "Table 1: Number of looked after children …"
_RULE = re.compile(r"[-=_–—\s]{5,}")  # a ruled line under a PDF table's header
_DASHES = r"–|—|-|n/a|\.\.|\*"
_SIGN = r"<=|>=|<|>|≤|≥|\+|-|−|±|(?:below|under|less than|no more than|up to|above|over|more than|at least)\s+"
_SIGNS = {"<": "at_most", "<=": "at_most", "≤": "at_most", ">": "at_least", ">=": "at_least", "≥": "at_least",
          "+": "change", "-": "change", "−": "change", "±": "change",  # "+15", "-3%": a change, not a figure
          **{w: "at_most" for w in ("below", "under", "less than", "no more than", "up to")},  # "below 10%"
          **{w: "at_least" for w in ("above", "over", "more than", "at least")}}
_DASH = re.compile(_DASHES, re.IGNORECASE)
# between two cells; "(228)" is an accounting cell in brackets (a negative amount)
_GAP = re.compile(rf"\)?(?P<dashes>(?:\s+(?:{_DASHES}))*)\s+(?:(?P<sign>{_SIGN})|(?P<open>\())?", re.IGNORECASE)
_LEADING = re.compile(rf"(?P<dashes>(?:\s+(?:{_DASHES}))*)\s+(?P<sign>{_SIGN})?$", re.IGNORECASE)  # label to cell
_STATUS_WORDS = (r"green|amber|red|amber/green|red/amber|g|a|r|improving|improved|worsening|worse|deteriorating"
                 r"|better|stable|same|no change|static|↑|↓|→|▲|▼|up|down")  # a RAG or direction-of-travel cell
_TAIL = re.compile(rf"\)?(?:\s+(?:{_DASHES}))*(?:\s+(?:{_STATUS_WORDS}))?\s*", re.IGNORECASE)  # empty cells, a status
_SHARES = ("pct", "per_10k")  # units whose label must name the measure they are a share or rate of
_NUMERAL = re.compile(r"[£$]?\d")
_PROSE_END = re.compile(r"\b(?:was|were|is|are|had|been|of|to|and|by|than|from|at|with|the|a|about|around|over"
                        r"|under|nearly|some|compared|in|on|for|since|between|during|until)$", re.IGNORECASE)
_PARAGRAPH = re.compile(r"\s*(?:\d+(?:\.\d+)+|\(?[a-z0-9]{1,3}\))\s")  # "1.2 The Director said", "(2) At"


@dataclass
class Span:
    """A sentence (or table row) with its clauses; ``para`` numbers its paragraph."""

    start: int
    end: int
    para: int
    clauses: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Cell:
    """A quantity in a table: its row label, its column's as_of, target or comparator, and a header of names."""

    label: tuple[int, int]
    column: str | None = None
    header: tuple[int, int] | None = None
    intro_as_of: str | None = None
    target: bool = False
    comparator: bool = False
    qualifier: str | None = None
    change: bool = False  # a change column ("Change", "+15"): no figure
    metrics: tuple[str, ...] = ()  # a column that names its measure ("Vacancies (FTE)", "Budget"): label = scope
    scale: float | None = None  # "figures in £000": a bare cell is thousands of pounds
    caption: tuple[int, int] | None = None  # the line before the header, ending in a colon ("The savings … were:")
    count_day: str | None = None  # "as at 31 March each year" near the table: the day ("03-31") its years are counted

    def cue(self, text: str, unit: str) -> Cue | None:
        """The cue naming a cell's metric: the row label's own measure, else (a header of names) its column's words.

        A share or rate is of the measure its label names most strongly: when that is a measure the cell's unit
        does not fit, only a metric defined as that measure's share or rate may take it ("Children looked after
        per 10,000" is the looked-after rate; "child protection plans per 10,000" is no catalogue metric).
        """
        if self.change:
            return None
        cues = find_cues(text, *self.label)
        best = strongest(cues, unit)
        if best is not None:
            clash = unit in _SHARES and any(
                c.rule.priority > best.rule.priority and not accepts(c.rule.unit, unit)
                and c.rule.metric not in described(best.rule.metric) for c in cues)
            return None if clash else best
        return None if self.header is None else strongest(find_cues(text, *self.header), unit)


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


def list_after(text: str, end: int) -> int:
    r"""Where the list of short lines after a lead-in ending at ``end`` ("… the county had:") stops: at the
    first blank, long or numbered-paragraph line once items began (``end`` when no list follows).

    >>> t = "It had:\n\n- a: 1\n- b: 2\n\nNext."; t[7:list_after(t, 7)]
    '\n\n- a: 1\n- b: 2'
    >>> t = "It had:\n- a: 1\n8.3 Members noted"; t[7:list_after(t, 7)]
    '\n- a: 1'

    Bulleted items may stand apart, a blank line between each, as modern.gov pages print them:

    >>> t = "Made up of:\n\n• a - £1m;\n\n• b - £2m.\n\nNext."; t[11:list_after(t, 11)]
    '\n\n• a - £1m;\n\n• b - £2m.'
    """
    pos, stop, begun, bulleted = text.find("\n", end), end, False, False
    while pos >= 0 and pos + 1 < len(text):
        nl = text.find("\n", pos + 1)
        line = text[pos + 1:len(text) if nl < 0 else nl]
        if not line.strip():
            if begun and not (bulleted and _BULLET.match(text, _next_line_start(text, pos + 1))):
                break
        elif len(line) > _LIST_LINE or _NUMBERED.match(line):
            break
        else:
            stop, bulleted = pos + 1 + len(line), bool(_BULLET.match(line)) and (bulleted or not begun)
            begun = True
        pos = nl
    return stop


def _next_line_start(text: str, pos: int) -> int:
    """Where the next line with words on it starts, at or after ``pos``."""
    m = _WORDS_LINE.search(text, pos)
    return m.start() if m else len(text)


def unwrapped(text: str) -> str:
    """``text`` with each line break inside a wrapped paragraph made a space: same length, same offsets, so
    words broken over two lines ("children in\\ncare") read as one phrase.

    >>> unwrapped("The number of looked after children in the borough had risen to 412 by the\\nend of June.\\nNext")
    'The number of looked after children in the borough had risen to 412 by the end of June.\\nNext'
    """
    lines = text.split("\n")
    return "".join(line + (" " if _runs_on(line, after) and not _ITEM_START.match(after) else "\n")
                   for line, after in itertools.pairwise(lines)) + lines[-1]


_OPEN_END = re.compile(r"\b(?:was|were|is|are|of|to|at|by|from|and|or|the|a|an|with|for|than|approximately|around"
                       r"|about|been|had|has|have)$", re.IGNORECASE)


def _runs_on(line: str, after: str) -> bool:
    """A line with no closing stop that runs on into the next: long (a PDF or hard-wrapped line), or followed by
    a line that starts in lower case ("The number of children looked after" / "had risen from 409 …"), or
    one that ends on a word no sentence ends on ("the forecast expenditure was" / "£41.4 million")."""
    stripped = line.rstrip()
    if not stripped or stripped[-1] in ".:;!?":
        return False
    return len(stripped) >= _WRAPPED or (after.lstrip(" \t")[:1].islower() and not stripped[-1].isdigit()) \
        or (bool(after.strip()) and _OPEN_END.search(stripped) is not None)


def _paragraphs(text: str):
    start, pos = 0, 0
    lines = text.split("\n")
    for line, after in itertools.zip_longest(lines, lines[1:], fillvalue=""):
        end = pos + len(line)
        if not _runs_on(line, after):
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


def item_headings(text: str) -> list[tuple[int, str]]:
    """Numbered agenda-item headings ("74. 2020/21 Finance Quarter 3 Monitoring Report"): where each starts, its title.

    >>> item_headings("13 April 2022\\n73. Public Participation\\nNone.\\n74. 2020/21 Quarter 3\\n12 were seen.")
    [(14, 'Public Participation'), (45, '2020/21 Quarter 3')]
    """
    return [(m.start(), m["title"]) for m in _ITEM_HEADING.finditer(text) if m["title"][-1] not in ".;,:"]


def table_cells(text: str, quantities: list[Quantity], meeting_date: str | None,
                council: str | None = None) -> dict[int, Cell]:
    """Quantities standing in table rows (label then cells), keyed by their index in ``quantities``.

    A header line names the columns: dates ("Mar 2020", "2017/18", "31.03.15"), Target, Change, and comparators
    (England, statistical neighbours, another council). A row is a label and a run of cells to the line's end;
    "–" is an empty cell, "<15%" a cell with its sign. A ruled line is skipped; a prose line ends the table.
    ``council`` is the document's own (found in the text when not given).
    """
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    by_line: dict[int, list[int]] = {}
    for i, q in enumerate(quantities):
        by_line.setdefault(bisect.bisect_right(line_starts, q.start) - 1, []).append(i)
    cells: dict[int, Cell] = {}
    own = _OwnCouncil(text, meeting_date, council)
    header: tuple[int, int, list[_Column]] | None = None
    caption: tuple[int, int] | None = None
    plain: tuple[int, int] | None = None
    counts = yearly_counts(text)
    for n, ls in enumerate(line_starts):
        le = line_starts[n + 1] - 1 if n + 1 < len(line_starts) else len(text)
        line = text[ls:le].strip()
        if not line or _RULE.fullmatch(line):
            continue
        count_day = next((day for at, day in counts if ls - 600 <= at <= ls + 1500), None)
        columns = _header(text[ls:le], meeting_date, own, text, ls, count_day)
        if columns is None and n not in by_line and len(line) < 150 and line[-1:] not in ".;,?!:":
            columns = _council_columns(line, meeting_date, own) or _measure_columns(
                line, text[max(0, ls - 300):ls], meeting_date, _next_row_size(by_line, line_starts, text, n))
        if columns is not None:
            header, plain, caption = (ls, le, columns), None, _caption(text, line_starts, n)
            continue
        idx = [i for i in by_line.get(n, []) if quantities[i].end <= le]
        found = _row(text, ls, le, [quantities[i] for i in idx], _next_line(text, line_starts, n)) if idx else None
        if found is None:
            if not idx and len(line) < 80 and line[-1:] not in ".;:,?!":
                plain = (ls, le)
            else:
                header, plain = None, None
            continue
        label, slots = found
        if label is None:
            label = _pdf_label(text, line_starts, n)
            if label is None:
                header, plain = None, None
                continue
        cols = header[2] if header else []
        intro = None if cols and not any(c.metrics for c in cols) else _intro_as_of(text, ls, meeting_date)
        theirs = _names_another(text[label[0]:label[1]], own)
        for k, slot, qualifier in slots:
            col = cols[slot] if slot < len(cols) else _Column()
            cells[idx[k]] = Cell(label, col.as_of, None if cols else plain, intro, col.target, col.comparator or theirs,
                                 qualifier, col.change or qualifier == "change", col.metrics, col.scale,
                                 caption if cols else None, count_day)
    return cells


def _names_another(label: str, own: _OwnCouncil) -> bool:
    """A row label that is England, the neighbours or another council ("England", "Kent"): its row compares."""
    return _COMPARATOR.match(label.strip()) is not None or (len(label.split()) <= 4 and own.other(label))


@dataclass
class _Column:
    """One column of a table header: the time it describes, and whether it holds targets or comparators."""

    as_of: str | None = None
    target: bool = False
    comparator: bool = False
    change: bool = False
    metrics: tuple[str, ...] = ()
    scale: float | None = None


class _OwnCouncil:
    """Whether a header's column names a council other than the document's own (given, or found when first asked)."""

    def __init__(self, text: str, meeting_date: str | None, council: str | None = None):
        self.text, self.meeting_date = text, meeting_date
        self.name: str | None = council
        self.found = council is not None

    def other(self, words: str) -> bool:
        named = {m.council for m in find_mentions(words)}
        if not named:
            return False
        if not self.found:
            self.name, self.found = find_council(self.text, self.meeting_date), True
        if self.name is None:
            self.name = sorted(named)[0]
        return self.name not in named


def _header(line: str, meeting_date: str | None, own: _OwnCouncil, text: str = "", at: int = 0,
            count_day: str | None = None) -> list[_Column] | None:
    """The columns of a header line ("Measure Mar 2020 Mar 2021 Target"), or None when it is not one; a year
    column is dated on the ``count_day`` ("03-31") the words near the table give.

    Columns named "Last year", "This quarter" or "Target" take the date the ``text`` just before ``at`` gives them
    ("Last year is the position at 31 March 2019; … Target is the level to be achieved by 31 March 2020").

    >>> [(c.as_of, c.target) for c in _header("Indicator Mar 2017 Dec 2017 Target", None, _OwnCouncil("", None))]
    [('2017-03', False), ('2017-12', False), (None, True)]
    >>> [c.as_of for c in _header("31.03.15 31.03.16", None, _OwnCouncil("", None))]
    ['2015-03-31', '2016-03-31']
    >>> _header("In March 2021 the rate was 42 and in 2022 it was 40.", None, _OwnCouncil("", None)) is None
    True
    """
    stripped = line.rstrip()
    if len(stripped) > 150 or stripped[-1:] in ".;,?!:":
        return None
    stripped = stripped.replace("(", " ").replace(")", " ").rstrip()  # "England (2022)": the bracket is no word
    tokens = list(_TOKEN.finditer(stripped))
    label = stripped[:tokens[0].start()].rstrip() if tokens else ""
    if len(tokens) < 2 or stripped[tokens[-1].end():].strip() or _PROSE_END.search(label):
        return None
    columns, name_start = [], 0
    for k, t in enumerate(tokens):
        if k and not _NAME_GAP.fullmatch(stripped[tokens[k - 1].end():t.start()]):
            return None
        following = tokens[k + 1] if k + 1 < len(tokens) else None
        if t.lastgroup == "status":  # its cells are words, so it takes no numbers
            name_start = t.end()
            continue
        if t.lastgroup != "period" and following is not None and following.lastgroup == "period" \
                and not stripped[t.end():following.start()].strip():
            continue  # "Target 2024/25", "England Mar 2021": the word names the date's column
        name = _NAME_END.search(stripped[name_start:t.start()]).group() + stripped[t.start():t.end()]
        as_of = _token_as_of(t.group(), meeting_date, count_day) if t.lastgroup == "period" else None
        if as_of is None and t.lastgroup in ("relative", "target"):
            as_of = _defined_as_of(text[max(0, at - 1000):at], t.group(), meeting_date)
        columns.append(_Column(as_of, bool(_TARGET.search(name)), bool(_COMPARATOR.search(name)) or own.other(name),
                               t.lastgroup == "change"))
        name_start = t.end()
    if not any(c.as_of or c.target for c in columns):
        return None
    return columns


def _council_columns(line: str, meeting_date: str | None, own: _OwnCouncil) -> list[_Column] | None:
    """Columns named by councils ("Measure (at 30 September 2020) Halton Warrington", "Indicator Hull Statistical
    neighbours England"): another council's, England's or neighbours' are comparators; a date in the label dates
    them all."""
    stripped = line.rstrip()
    heads = sorted([(m.start, m.end, False) for m in find_mentions(stripped, header_end=len(stripped))]  # "Halton"
                   + [(m.start(), m.end(), True) for m in _COMPARATOR.finditer(stripped)])  # "England"
    if len(heads) < 2 or all(h[2] for h in heads) or stripped[heads[-1][1]:].strip() or any(
            stripped[a[1]:b[0]].strip() not in ("", "/", "|") for a, b in itertools.pairwise(heads)):
        return None
    found = dates_in(stripped[:heads[0][0]], meeting_date)
    as_of = found[-1] if found else None
    return [_Column(as_of, comparator=word or own.other(stripped[a:b])) for a, b, word in heads]


@functools.cache
def _money_word() -> re.Pattern:
    with open(_MONEY_CSV, newline="", encoding="utf-8") as f:
        words = [row["word"] for row in csv.DictReader(f)]
    return re.compile(rf"\b(?:{'|'.join(words)})\b", re.IGNORECASE)


def _measure_columns(line: str, before: str, meeting_date: str | None, row_size: int) -> list[_Column] | None:
    """Columns that each name a measure, one per cell of the row below ("Service  Social workers (FTE)
    Vacancies (FTE)  Average caseload"; "Service area  Budget 2019/20 (£m)  Forecast variance (£m)"): the row
    label then names the part of the service. "£000" or "£m" in the header or the words before it scales bare cells.

    >>> [(c.metrics, c.scale) for c in _measure_columns("Service Budget Forecast Variance", "in £000:", None, 3)]
    [(('budget_gbp',), 1000.0), ((), 1000.0), ((), 1000.0)]
    >>> [c.metrics[0] for c in _measure_columns("Team Social workers (FTE) Vacancies Average caseload", "", None, 3)]
    ['social_workers', 'vacancies', 'caseload_per_worker']
    >>> [(c.metrics, c.as_of) for c in _measure_columns("Area Budget 2019/20 (£m) Forecast variance", "", None, 2)]
    [(('budget_gbp',), '2019'), (('overspend_gbp',), None)]
    """
    if row_size < 2:
        return None
    heads = sorted([(c.start, c.end, c.rule.metric, c.rule.priority) for c in find_cues(line, 0, len(line))]
                   + [(m.start(), m.end(), m.group().lower(), -1.0) for m in _money_word().finditer(line)])
    groups = next((g for g in (_grouped(line, heads, True), _grouped(line, heads, False)) if len(g) == row_size), [])
    if len(groups) < 2 or not line[:groups[0][0][0]].strip():
        return None
    forecast = any(all(p < 0 for *_, p in g) and not any(m == "variance" for _, _, m, _ in g) for g in groups)
    scale = _scale(line) or _scale(before)
    columns = []
    for k, group in enumerate(groups):
        metrics = tuple(dict.fromkeys(m for *_, m, p in sorted(group, key=lambda h: -h[3]) if p >= 0))
        if not metrics and not forecast and any(m == "variance" for _, _, m, _ in group):
            metrics = ("overspend_gbp",)
        end = groups[k + 1][0][0] if k + 1 < len(groups) else len(line)
        dated = dates_in(line[group[0][0]:end], meeting_date)
        columns.append(_Column(dated[0] if dated else None, metrics=metrics, scale=scale, change=not metrics))
    return columns


def _grouped(line: str, heads: list[tuple[int, int, str, float]], spaces: bool) -> list[list]:
    """Measure words grouped into column headings: overlapping words, or words joined by "per", "of" … (and, when
    ``spaces``, by a space alone: "Forecast variance" is one heading, or two when the row has a cell for each)."""
    groups: list[list[tuple[int, int, str, float]]] = []
    for head in heads:
        end = max(h[1] for h in groups[-1]) if groups else 0
        join = _HEAD_JOIN.fullmatch(line, end, head[0]) if groups else None
        if groups and (head[0] < end or (join and (spaces or line[end:head[0]].strip()))):
            groups[-1].append(head)
        else:
            groups.append([head])
    return groups


def _scale(words: str) -> float | None:
    """What a bare amount is worth in pounds under "£000" (1000) or "£m" (1,000,000)."""
    m = _SCALE.search(words)
    return None if m is None else 1000.0 if m.group("k") else 1e6


def _next_row_size(by_line: dict[int, list[int]], line_starts: list[int], text: str, n: int) -> int:
    """How many amounts the next non-blank line holds."""
    for m in range(n + 1, min(n + 4, len(line_starts))):
        end = line_starts[m + 1] if m + 1 < len(line_starts) else len(text)
        if text[line_starts[m]:end].strip():
            return len(by_line.get(m, []))
    return 0


def _defined_as_of(before: str, name: str, meeting_date: str | None) -> str | None:
    """The date a sentence before a table gives a column ("This quarter is the position at 30 September 2019")."""
    m = re.search(rf"\b{re.escape(name)}\s+(?:is|are|was|shows?|means?|gives?)\b[^.;]{{0,100}}", before, re.IGNORECASE)
    words = m.group()[len(name):] if m else ""  # after the name: "Last year" is itself a time phrase
    found = dates_in(words, meeting_date, ("at", "by"))
    return found[0] if found else None


def _token_as_of(token: str, meeting_date: str | None, count_day: str | None = None) -> str | None:
    """The as_of of a column's date: "31.03.15" → 2015-03-31, "Mar-21" → 2021-03, "2017/18" → 2017 (2018-03-31
    when the table's years are counted at 31 March)."""
    m = _NUMERIC_DATE.fullmatch(token)
    if m:
        day, month, year = int(m["day"]), int(m["month"]), int(m["year"])
        year += 2000 if year < 100 else 0
        return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None
    m = _SHORT_YEAR.fullmatch(token)
    return on_count_day(f"{m['month']} 20{m['year']}" if m else token, count_day, meeting_date)


def _row(text: str, ls: int, le: int, qs: list[Quantity], following: str):
    """A table row: its label span (None when the line holds only cells) and its cells as (index, slot, qualifier)."""
    line = text[ls:le].rstrip()
    if len(line) > 150 or line[-1:] in ".;:,?!" or (following[:1].islower() and not _ROW_LIKE.fullmatch(following)):
        return None  # "of which connected persons households 58 63" is the next row, not the line's run-on
    for k in range(len(qs)):
        cells = _cells(text, qs, k, ls + len(line))
        if cells is not None:
            break
    else:
        return None
    lead = _LEADING.search(text, ls, qs[k].start)
    label = text[ls:lead.start() if lead else qs[k].start].rstrip()
    if lead:
        shift = len(_DASH.findall(lead["dashes"]))
        cells = [(j, slot + shift, _sign(lead["sign"]) if j == k else qualifier) for j, slot, qualifier in cells]
    if not label.strip():
        return None, cells
    if not (re.search(r"[A-Za-z]", label) or dates_in(label)) or len(label) > 80 or len(label.split()) > 12 \
            or not re.match(r"[\w)\]%]", label[-1]) or _PROSE_END.search(label) or _PARAGRAPH.match(label):
        return None
    return (ls, ls + len(label)), cells


def _cells(text: str, qs: list[Quantity], k: int, line_end: int) -> list[tuple[int, int, str | None]] | None:
    """The quantities qs[k:] as (index, slot, qualifier) when they run, with dashes and signs between, to the line end.

    A dash ("–", "n/a") is an empty cell and takes a slot; "<15%" is 15% at most.
    """
    cells, slot = [], 0
    for j in range(k, len(qs)):
        if not _NUMERAL.match(text, qs[j].start):
            return None
        qualifier = None
        if j > k:
            gap = _GAP.fullmatch(text, qs[j - 1].end, qs[j].start)
            if gap is None or (gap["open"] and not _closed(text, qs[j])):
                return None
            slot += 1 + len(_DASH.findall(gap["dashes"]))
            qualifier = _sign(gap["sign"])
        cells.append((j, slot, qualifier))
    return cells if _TAIL.fullmatch(text, qs[-1].end, line_end) else None


def _closed(text: str, q: Quantity) -> bool:
    """An amount whose bracket closes right after it: "(228)", "(£45,000)"."""
    return q.unit in ("bare", "gbp") and text[q.end:q.end + 1] == ")"


def _sign(written: str | None) -> str | None:
    """The qualifier a cell's sign gives ("<", "below " → at_most), or None."""
    return _SIGNS.get(" ".join(written.lower().split())) if written else None


def _caption(text: str, line_starts: list[int], n: int) -> tuple[int, int] | None:
    """The words naming the table whose header is line ``n``: the last non-blank line before it when that
    introduces the table (ends with a colon, or is numbered: "Table 1: …"), else a numbered caption under its rows."""
    for m in range(n - 1, max(-1, n - 3), -1):
        line = _line(text, line_starts, m)
        if line:
            if line.endswith(":") or _NUMBERED_CAPTION.match(line):
                return line_starts[m], line_starts[m] + len(line)
            break
    for m in range(n + 1, min(len(line_starts), n + 25)):
        line = _line(text, line_starts, m)
        if not line:
            return None
        if _NUMBERED_CAPTION.match(line):
            return line_starts[m], line_starts[m] + len(line)
    return None


def _line(text: str, line_starts: list[int], n: int) -> str:
    """Line ``n`` without its trailing space."""
    end = line_starts[n + 1] - 1 if n + 1 < len(line_starts) else len(text)
    return text[line_starts[n]:end].rstrip()


def _next_line(text: str, line_starts: list[int], n: int) -> str:
    """The next line, stripped: a row followed by a lower-case line of prose is itself a wrapped sentence."""
    if n + 1 >= len(line_starts):
        return ""
    end = line_starts[n + 2] - 1 if n + 2 < len(line_starts) else len(text)
    return text[line_starts[n + 1]:end].strip()


def _pdf_label(text: str, line_starts: list[int], n: int) -> tuple[int, int] | None:
    """A PDF row whose cells fell onto their own line: the label is the line above."""
    ps, pe = line_starts[n - 1] if n else 0, line_starts[n] - 1
    prev = text[ps:pe].strip() if n else ""
    if not prev or len(prev) > 60 or prev[-1:] in ".;:,?!" or re.fullmatch(r"[\d,.£%\s–-]+", prev):
        return None
    return ps, pe


def _intro_as_of(text: str, pos: int, meeting_date: str | None) -> str | None:
    window = text[max(0, pos - 400):pos]
    cut = window.rfind("\n\n", 0, max(0, len(window) - 200))
    found = dates_in(window[cut + 1:] if cut >= 0 else window, meeting_date)
    return found[-1] if found else None

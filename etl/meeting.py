"""Council, committee, meeting date and item title of a set of minutes, read from its own text."""

from __future__ import annotations

import itertools
import re
import tomllib
from datetime import date
from functools import cache
from pathlib import Path

from etl.councils import council_from_path, find_council, is_council_name
from etl.model import Meeting
from etl.periods import MONTH_WORDS, MONTHS

RULES = Path(__file__).with_name("meeting_words.toml")
_MINOR = {"and", "of", "the", "for", "on", "in", "with", "to", "&", "a", "an", "at", "by"}
_COUNCIL_HEADER_LINES = 3
_HOUR = r"\d{1,2}(?:[.:]\d{2})?\s*"  # "6.00 ", "2"
_AM_PM = r"(?:am|pm|a\.m\.|p\.m\.)"
_CLOCK = rf"{_HOUR}{_AM_PM}?"
_TIME = rf"(?:,?\s*(?:at\s+)?{_CLOCK}(?:\s*(?:-|–|to)\s*{_CLOCK})?)?\s*\.?"  # "6.00 pm", "2.00 pm - 4.15 pm"
# "…, 5.30 pm, Meeting Room G.01, City Hall": a time on the heading's date line may be followed by the venue
_TIME_AND_VENUE = rf",?\s*(?:at\s+)?{_HOUR}{_AM_PM}(?:\s*(?:-|–|to)\s*{_CLOCK})?" \
    r"(?:(?:\s*,\s*|\s+(?:in|at)\s+)[^\n]{0,150})?"
_LABEL = re.compile(r"[A-Za-z][\w ]{0,20}:")  # "Date:", "Venue:", "Present:"
_PATH_DATE = re.compile(r"(?<![0-9])((?:19|20)\d\d)(?:[-_](0[1-9]|1[0-2])(?:[-_](0[1-9]|[12]\d|3[01]))?)?(?![0-9])")
_ITEM = re.compile(r"(?:Agenda\s+)?(?:Item|Minute)\s+\d+[A-Za-z]?\s*[:.\-–]\s*\S|\d{1,3}[A-Za-z]?\.\s+[A-Z'‘]")


@cache
def _rules() -> dict:
    with open(RULES, "rb") as f:
        return tomllib.load(f)


@cache
def _date_pattern() -> re.Pattern[str]:
    """Written and numeric dates with a year."""
    mon = MONTH_WORDS  # short, so each alternative fits on its line
    return re.compile(
        rf"""(?<![\w/])
        (?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?                          # optional weekday
        (?:(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{mon})\.?,?\s+(?P<y>(?:19|20)\d\d)  # 5th March, 2019
          |(?P<mon2>{mon})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d\d)        # March 5, 2019
          |(?P<d3>\d{{1,2}})[/.](?P<m3>\d{{1,2}})[/.](?P<y3>(?:19|20)\d\d)                        # 05/03/2019
        )(?![\w/])""",
        re.VERBOSE | re.IGNORECASE,
    )


def _iso(match: re.Match[str]) -> str | None:
    """The ISO date of a _date_pattern match, or None when it is not a real day."""
    day, month, year = next(
        (g[0], g[1], g[2]) for g in (("d", "mon", "y"), ("d2", "mon2", "y2"), ("d3", "m3", "y3")) if match.group(g[0]))
    number = int(match.group(month)) if month == "m3" else MONTHS[match.group(month).lower()]
    try:
        return date(int(match.group(year)), number, int(match.group(day))).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """The first real date in a piece of text, as YYYY-MM-DD.

    >>> parse_date("Tuesday, 18th March, 2014 6.00 pm"), parse_date("Meeting: 27/10/2021 - Cabinet")
    ('2014-03-18', '2021-10-27')
    >>> parse_date("31/02/2020") is None, parse_date("on 2 February") is None
    (True, True)
    """
    for match in _date_pattern().finditer(text):
        iso = _iso(match)
        if iso:
            return iso
    return None


def _header_lines(text: str) -> list[str]:
    """The first lines of the document, before the minutes proper begin."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[:_rules()["date"]["header_lines"]]


def _header_end(text: str, lines: int) -> int:
    """The offset just after the first `lines` non-empty lines."""
    for seen, match in enumerate(re.finditer(r"[^\n]*\S[^\n]*", text), start=1):
        if seen == lines:
            return match.end()
    return len(text)


def _is_committee(name: str) -> bool:
    """True for a heading that names a committee, panel, board or commission.

    >>> _is_committee("CHILDREN AND YOUNG PEOPLE SELECT COMMITTEE"), _is_committee("The Committee noted the report.")
    (True, False)
    """
    words = _rules()["committee"]["words"]
    if not re.search(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", name, re.IGNORECASE):
        return False
    if name.endswith(".") or len(name) > 120 or name in _rules()["committee"]["not_names"] or is_council_name(name):
        return False
    tokens = re.findall(r"[A-Za-z][\w'’]*", name)
    return bool(tokens) and tokens[0].lower() not in _MINOR and all(
        t[0].isupper() or t.lower() in _MINOR for t in tokens)


def _tidy(name: str) -> str:
    """A committee name in title case when it was written in capitals, without an '(Item N)' tail.

    >>> _tidy("CHILDREN AND YOUNG PEOPLE'S SELECT COMMITTEE (Item 5)")
    "Children and Young People's Select Committee"
    >>> _tidy("MINUTES OF THE CABINET")
    'Cabinet'

    """
    name = re.sub(r"\s*\(Item\s+[^)]*\)\s*$", "", " ".join(name.split())).strip(" -–,:")
    name = re.sub(r"^(?:minutes|agenda|decisions)\s+(?:of|for)\s+(?:the\s+|a\s+)?(?:meeting\s+of\s+(?:the\s+)?)?", "",
                  name, flags=re.IGNORECASE)
    if name.isupper():
        words = name.lower().split()
        name = " ".join(w if i and w in _MINOR else w[:1].upper() + w[1:] for i, w in enumerate(words))
    return name


def _modern_gov(text: str) -> tuple[str | None, str | None]:
    """Committee and date from a modern.gov line "Meeting: 11/07/2022 - Committee name (Item 5)"."""
    match = re.search(r"^Meeting:\s*(\d{1,2}/\d{1,2}/\d{4})\s*[-–]\s*([^\n]+(?:\n[^\n]*\))?)", text, re.MULTILINE)
    if not match:
        return None, None
    return _tidy(match.group(2)) or None, parse_date(match.group(1))


def _dated_heading(lines: list[str]) -> tuple[str | None, str | None]:
    """Committee and date from a heading like "Scrutiny Committee, 16 January 2025" or a date-only line."""
    pattern = _date_pattern().pattern
    heading = re.compile(
        rf"^(?:(?:Agenda|Minutes|Decisions)\s+(?:for|of)\s+(?:the\s+)?)?(?P<name>.{{0,120}}?)\s*[,\-–—:]?\s*"
        rf"(?:held\s+)?(?:on\s+)?(?P<date>{pattern})(?:{_TIME_AND_VENUE}|{_TIME})$", re.VERBOSE | re.IGNORECASE)
    candidates = [*lines, *(f"{a} {b}" for a, b in itertools.pairwise(lines) if not _LABEL.match(b))]
    for line in candidates:
        match = heading.match(line)
        if not match:
            continue
        name = match.group("name").strip(" ,-–—:")
        if not name or _is_committee(name):
            return (_tidy(name) or None), parse_date(match.group("date"))
    return None, None


def _labelled_date(lines: list[str]) -> str | None:
    """A date after a label in the heading: "Date: Tuesday, 5th March, 2019"."""
    labels = "|".join(map(re.escape, _rules()["date"]["labels"]))
    for line in lines:
        if re.match(rf"(?:{labels})\s*:", line, re.IGNORECASE):
            found = parse_date(line)
            if found:
                return found
    return None


def _held_on(text: str) -> str | None:
    """The date in "Minutes of the meeting ... held on <date>", unless the sentence is about another meeting."""
    cues = _rules()["date"]["other_meeting"]
    region = text[:2000].split("\nMinutes:")[0]
    for sentence in re.split(r"(?<=[.;])\s+|\n\s*\n|\n(?=[A-Z][\w ]{0,20}:)", region):  # a wrapped line runs on
        if not re.search(r"\bheld\b|^\s*minutes of (?:the |a )?meeting\b", sentence, re.IGNORECASE):
            continue
        if any(re.search(r"(?<!\w)" + re.escape(cue) + r"(?!\w)", sentence, re.IGNORECASE) for cue in cues):
            continue
        found = parse_date(sentence)
        if found:
            return found
    return None


def _committee_heading(text: str, lines: list[str]) -> str | None:
    """A committee named by a heading line or by "Minutes of the meeting of the X Committee held on …"."""
    for line in lines:
        match = re.match(r"(?:Minutes|Meeting) of (?:a |the )?(?:meeting of (?:the )?)?(.+?)\s+(?:held|on)\b", line,
                         re.IGNORECASE)
        if match and _is_committee(match.group(1)):
            return _tidy(match.group(1))
        if _is_committee(line):
            return _tidy(line)
    return None


def _item_title(text: str) -> str | None:
    """The agenda item's title: "5. Placement Sufficiency and Costs", "Minute 47 - …", or the heading after
    "Agenda item"."""
    region = text.split("\nMinutes:")[0][:3000]
    lines = [line.strip() for line in region.splitlines() if line.strip()][:20]
    for line in lines:
        if _ITEM.match(line) and len(line) <= 150 and not line.endswith(".") and not _is_committee(line) and \
                not _is_procedural(line):
            return line
    for before, line in itertools.pairwise(lines):
        if re.fullmatch(r"Agenda\s+item(?:\s+\d+[A-Za-z]?)?", before, re.IGNORECASE) and _looks_like_title(line):
            return line
    return next((line for line in lines if _is_capitals_heading(line)), None)


def _is_capitals_heading(line: str) -> bool:
    """An item heading in capitals; not a committee, a council or a date line."""
    return line.isupper() and len(line.split()) >= 3 and not (
        _is_committee(line) or is_council_name(line) or parse_date(line) or line.startswith("MINUTES"))


def _is_procedural(line: str) -> bool:
    """A standing item such as "1. Apologies for absence" or "Item 2: Declarations of interest"."""
    words = _rules()["title"]["procedural"]
    return bool(re.match(r"(?:(?:Agenda\s+)?(?:Item|Minute)\s+)?\d+[A-Za-z]?\s*[:.\-–]?\s*(?:" +
                         "|".join(map(re.escape, words)) + r")\b", line, re.IGNORECASE))


def _looks_like_title(line: str) -> bool:
    """A short line that is not a sentence or a "Label: value" line."""
    starts_well = line[:1].isupper() or line[:1] in "'‘\"“"
    return starts_well and len(line) <= 150 and not line.endswith(".") and ":" not in line[:12]


def _clean_title(title: str | None) -> str | None:
    """An HTML/PDF title without its page-kind prefix ("Agenda item - ")."""
    if not title:
        return None
    for prefix in _rules()["title"]["prefixes"]:
        title = title.removeprefix(prefix)
    return title.strip() or None


def date_from_path(source: str) -> str | None:
    """The meeting date a file's name gives (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), for minutes whose text has none.

    >>> date_from_path("raw/bromley/2019-02-05-item-5.html"), date_from_path("essex-2012-workforce.txt")
    ('2019-02-05', '2012')
    >>> date_from_path("birmingham-2016-09-osc.txt"), date_from_path("item-5.txt"), date_from_path("ref-20190.txt")
    ('2016-09', None, None)
    """
    m = _PATH_DATE.search(Path(source).name)
    return "-".join(part for part in m.groups() if part) if m else None


def read_meeting(text: str, title: str | None = None, source: str | None = None) -> Meeting:
    """What the document says about its own meeting: council, committee, date and item title.

    Where the text names no council or date of its own, the file's name or folder may (see council_from_path
    and date_from_path).
    """
    lines = _header_lines(text)
    committee, when = _modern_gov(text)
    if when is None:
        heading_committee, when = _dated_heading(lines)
        committee = committee or heading_committee
    when = when or _labelled_date(lines) or _held_on(text) or _dated_heading([_clean_title(title) or ""])[1]
    if when is None and source:
        when = date_from_path(source)
    committee = committee or _committee_heading(text, lines)
    item = _item_title(text) or _clean_title(title)
    council = find_council(text, when, _header_end(text, _COUNCIL_HEADER_LINES), (title, committee))
    if council is None and source:
        council = council_from_path(source, when)
    return Meeting(council=council, committee=committee, meeting_date=when, title=item)

"""Number grammar: every quantity in a text, with its value, range, unit and qualifier.

Dates, times, years, financial years, item/page/minute numbers, phone numbers and ages are
refused here, so later stages only ever see amounts. Words live in ``number_words.csv``.
"""

from __future__ import annotations

import csv
import functools
import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from pathlib import Path

from etl.literals import fold
from etl.periods import MONTH_WORDS, NUMBER_NOT_YEAR_AFTER, NUMBER_NOT_YEAR_BEFORE

_WORDS_CSV = Path(__file__).with_name("number_words.csv")


@dataclass(frozen=True)
class Quantity:
    """One amount as written: ``text[start:end]``; unit is pct, gbp, per_10k, days, duration or bare."""

    start: int
    end: int
    value: float
    unit: str
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None


def _load_words() -> dict[str, dict[str, str]]:
    kinds: dict[str, dict[str, str]] = {}
    with open(_WORDS_CSV, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            kinds.setdefault(row["kind"], {})[row["word"]] = row["value"]
    return kinds


_WORDS = _load_words()


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_UNIT = _alt(_WORDS["unit"])
_TEN = _alt(_WORDS["ten"])
_DIGIT_WORD = _alt(w for w, v in _WORDS["unit"].items() if 1 <= float(v) <= 9)
_FRACTION = _alt(_WORDS["fraction"])
_QUALIFIER = _alt(_WORDS["qualifier"])
_SCALE_WORD = _alt(_WORDS["scale"])
_MULTIPLIERS = {"bn": 1e9, "billion": 1e9, "m": 1e6, "million": 1e6, "k": 1e3, "thousand": 1e3}
_MULTIPLIER = _alt(_MULTIPLIERS)
_MONTH = f"(?:{MONTH_WORDS})"

_TEN_THOUSAND = r"10(?:,?000|k)\b"  # "per 10,000", "per 10k"
# The refusal pattern's case-sensitive tests, and what they become in the copy run on lower-cased text.
_CASED = {"(?-i:[A-Z(])": "[a-z(]",                                      # "7.1 The …": a capital after a number
          "(?-i:[A-Z]{2,}[ ,:]+[A-Z]{2,})": "[a-z]{2,}[ ,:]+[a-z]{2,}",  # "4 CHILDREN IN CARE"
          "(?-i:[A-Z]{3})": "[a-z]{3}",                                  # "ANALYSIS 1. Systems": a heading before
          "(?-i:(?:The|A|An|This|These|There|It|In|Members|Officers|We|Our)\\b)":
              "(?:the|a|an|this|these|there|it|in|members|officers|we|our)\\b"}  # "5 The number of …": a sentence
_CAPITAL, _CAPITALS, _HEADING_WORD, _SENTENCE_START = _CASED
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORD_NUM = rf"""
    (?:(?:a|{_DIGIT_WORD})\s+(?:{_SCALE_WORD})     # "a hundred", "two hundred", "a thousand"
       (?:\s+and\s+(?:(?:{_TEN})(?:[-\s](?:{_DIGIT_WORD}))?|{_UNIT}))?   # "... and twenty"
     |(?:{_TEN})(?:-(?:{_DIGIT_WORD}))?             # "twenty", "twenty-three"
     |(?:{_UNIT}))                                  # "zero" .. "nineteen"
    (?:\s+and\s+a\s+half)?                          # "four and a half"
"""
_CORE = re.compile(rf"""
    (?:(?<![\w.,/£&])|(?<=\bc)(?=£|\d{{1,3}},\d{{3}}\b)|(?<=\bc\.)(?=£|\d{{1,3}},\d{{3}}\b))
                                                    # not inside a word, code or number; c.£3.2m, c£14.2m, c7,000
    (?:
      (?P<money>(?:£|gbp\s?)(?:{_NUM}))              # £40.8, GBP 31.6 (multiplier read after)
     |(?P<onein>(?:one|{_DIGIT_WORD}|\d)\s+(?:in|out\s+of)\s+(?:{_UNIT}|{_TEN}|\d+))\b   # one in six, 4 out of 5
     |(?P<digits>{_NUM})(?=(?:bn|m|k|fte)\b|[^\w/]|$|(?<!(?:19|20)\d\d)(?:in|at|on|of|to)\s)
                                                    # 3,412  27.5  12  10m  175FTE  307in March (a lost space)
     |(?P<frac>(?:a|one|{_DIGIT_WORD})\s+(?:{_FRACTION})|half)\b(?!-)  # a third, two thirds, half
     |(?P<word>{_WORD_NUM})\b(?!-[a-z])             # twelve, four and a half (not "one-off")
     |(?P<zero>['‘]no['’]                           # aim for ‘no’ young people
       |no(?=\s+(?:child|children|young\s+(?:people|person))\s+(?:(?:is|are|was|were|had\s+been|has\s+been|have\s+been)
             \s+)?(?:currently\s+|now\s+)?(?:placed\b|in\s+(?:an?\s+)?(?:unregistered|unregulated)\b))
                                                    # no child is placed …, no children in unregistered provision
       |no(?=\s+(?:(?:social\s+work(?:er)?|qualified|permanent)\s+)?(?:vacancies|vacant\s+posts)\b))
                                                    # there were no (social work) vacancies
    )
""", re.IGNORECASE | re.VERBOSE)

_SUFFIX = re.compile(rf"""
    (?P<mult>\s?(?:{_MULTIPLIER})s?\b)?             # £1.2 million, £552K, £9.9 millions
    (?P<pounds>\s+pounds\b)?                        # 2.3 million pounds
    (?:
      (?P<pct>\s?%|\s+(?:per\s?cent|percent|pc)\b)  # 5%, five per cent
     |(?P<per10k>\s+per\s+{_TEN_THOUSAND})          # 66 per 10,000, 85 per 10k
     |(?P<rate>(?=(?:[ \t]+(?!(?:and|or|but|rate|was|were|is|while|whilst)\b)[a-z'’]+){{1,4}}
                 [ \t]+(?:per|for[ \t]+every)[ \t]+{_TEN_THOUSAND}))
                                   # 74 children looked after per 10,000 (on one line, not consumed)
     |(?P<days>(?=\s+(?:working\s+)?days?\b))        # 11.3 days (unit only, not consumed)
     |(?P<duration>(?=[-\s]+(?:years?|months?|weeks?|hours?|minutes?|miles?|years’|years')\b))
    )?
""", re.IGNORECASE | re.VERBOSE)

_IN_ROW = re.compile(r"\d%?[ \t]+$")  # a number just before, on the same line
_ROW_NEXT = re.compile(r"[ \t]+(?:£?\d|-|–|n/a)")  # another cell just after, on the same line
_LINE_END = re.compile(r"[ \t]*(?:\n|$)")
_ONE_BEFORE = re.compile(r"\b(?:a|an|the|this|that|each|every|any|another)\s+(?:[a-z]+\s+)?$", re.IGNORECASE)
_ONE_POINT = re.compile(r"\s+(?:point|stage|time|day|occasion)\b", re.IGNORECASE)
_IN_OR_OUT_OF = re.compile(r"\s+(?:in|out\s+of)\s+")  # "one in six", "four out of five"
_ONE_NAME = re.compile(r"One\s+[A-Z]")  # "One Call": part of a name (not at a sentence start)
_NAME_BEFORE = re.compile(r"[a-z,;(]\s*\(?$")
_ONE_OF = re.compile(r"[\s-]+(?:in|of)\b", re.IGNORECASE)  # "one in six", "one of the": not a pronoun
_RANGE_LINK = re.compile(r"\s*(?:-|–|—|to)\s*|\s+and\s+", re.IGNORECASE)  # the whole text between two ends
# Branches that start at a word are grouped behind one ``\b(?=\w)`` (several times faster); their order is kept.
_NOT_QUANTITY = re.compile(rf"""
    \b(?=\w)(?:
      \d{{1,2}}(?:st|nd|rd|th)?(?:\s*(?:and|to|&|-|–)\s*\d{{1,2}}(?:st|nd|rd|th)?)?\s+{_MONTH}\b(?:\s+\d{{4}})?
                                                                    # 31 March 2022, 22nd February, 15 and 16 October
     |{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!,\d)                 # September 28, March 2022
     |\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b                          # 31/03/2022
     |\d{{1,2}}(?:[.:]\d{{2}})?\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w)    # 2.15pm, 3pm, 6.00 pm
     |\d{{1,2}}(?:st|nd|rd|th)\b                                     # 22nd
     |(?:19|20)\d{{2}}\s?[-/–]\s?\d{{2,4}}\b                         # 2012-13, 2017/18
     |(?<![£\d,.]){NUMBER_NOT_YEAR_BEFORE}(?:19|20)\d{{2}}\b(?!\s?%|,\d|\.\d|{NUMBER_NOT_YEAR_AFTER})  # 2017
     |\w*\d/\d\w*                                                    # 5/22, A1/19, 2015/042 (no \d+: quadratic)
     |0\d{{2,4}}\s?\d{{3,4}}\s?\d{{3,4}}\b                            # 0121 303 1234
     |(?:(?:aged?|ages)\s+(?:of\s+)?(?:between\s+)?|(?:child|children|young\s+(?:people|person)|aged?|uasc)\s+(?:under|over|below|up\s+to)\s+)\d+
                                                                    # aged 16-17, children under 16
       (?:\s*(?:-|–|to|and|or)\s*\d+)?
     |(?:items?|minutes?|pages?|paragraphs?|paras?|sections?|appendix|levels?|tiers?|stages?
       |quarter|period|month|round|wave|tranche|covid|year|years|phase|version|no\.|ref|rec|recommendation|board|panel
       |committee|group|step|option|priority|route|area|ward|school|schools|room|floor|chapter
       |part|table|annex|act|clause|regulation|order|rule|article|grades?|graphs?|charts?|figures?|slides?|diagrams?)
       [\s-]*\(?(?:\d+(?:\.\d+)+\)?(?:\s*(?:-|–|to|and|&)\s*\d+(?:\.\d+)+)?      # paragraphs 2.1 to 2.5
                 |\d+(?![,.]?\d)\)?(?:\s*(?:-|–|to|and|&)\s*\d+(?![,.]?\d))?)  # Item 6, page 3, level 2 and 3
                                                                    # (not "quarter 3 to 54.9")
     |q[1-4]\b                                                       # Q3
     |0\d+\b                                                         # 000, 007 (a stray group or a code)
     |1\d\+                                                          # young people 16+ (an age)
     |(?<!£)\d{{1,2}}\s+and\s+(?:over|under|above)\b(?!\s*£)              # 41% were 10 and over (an age)
     |a\s+zero\b                                                      # workers with a zero caseload
     |year\s+(?:one|two|three|four|five)\b                           # in year one
     |\d{{1,2}}\.\s+(?=(?:asks|notes|agrees|recommends|requests|approves|endorses|resolves|welcomes|supports)\b)
                                                                    # "2. asks officers …" (a numbered resolution)
     |[a-z]{{2,6}}-\d{{1,4}}\b                                        # CPP-17 (a reference)
     |\d+(?:\.\d+)?\s?[km]b\b                                          # PDF 58 KB (a file's size)
     |\d+(?:\.\d+)?\s?(?:square\s+)?(?:miles|kilometres|km|metres|acres|hectares)\b  # 20 miles (a distance or area)
    )
   |(?P<line>^\s*(?:\(?\d+[.):]|\d+(?:\.\d+)+[a-z]?(?=\s+(?:{_CAPITAL}|£?\d[\d,.]*\s+[a-z]))
      |\d{{1,3}}(?=\s+{_CAPITALS})|\d{{1,3}}(?=\s[^\n]{{0,150}}?\bpdf\s+icon\b)
      |\d{{1,3}}(?=\s+{_SENTENCE_START}))(?=\s)
                                        # 7.1 / (1) / 2. / "4 CHILDREN IN CARE" / "67 Residential Provision pdf icon"
                                        # / "5 The number of" at line start, or "8.7 197 children"
      |(?:(?<=[.!?)]\s)|(?<={_HEADING_WORD}\s))\d{{1,2}}\.(?=\s+{_CAPITAL}[a-z]))
                                        # a paragraph's number inside one-line text: "… monitored. 3. All cases",
                                        # "CASELOADS ANALYSIS 1. Systems are", "(date) 2. Using"
   |\(\d{{1,2}}\)                                                  # (2) list marker
   |\[\d{{1,3}}\]                                                  # [1] a footnote's mark
   |\((?:aged\s+)?(?:under|over)\s+\d{{1,2}}\)                          # (under 18): an age
   |\b(?:under|over)[-\s]\d{{1,2}}s\b                                   # under-18s, over 18s
   |\b(?:beyond|turning|turned|turns|turn)\s+(?:the\s+age\s+of\s+)?(?:1[6-9]|2[0-5])\b(?!\s*%)  # turning 18
   |\b(?:until|till)\s+(?:they|he|she)\s+(?:were|was|are|is|reach(?:es|ed)?)\s+(?:the\s+age\s+of\s+)?1\d\b  # until 18
   |\b(?=\w)(?:
      (?:1|one)\s+(?:social\s+worker|sw|worker)\s+to\b                    # 1 social worker to 17.2 cases
     |(?:first|second|last|next|past)\s+(?:\w+\s+)?(?:half|quarters?)\b  # first three quarters
     |the\s+(?:two|three|four)\s+quarters(?=\s*[,.;]|\s+(?:to|since|ending|ended|of\s+(?:19|20)\d\d)\b)  # the three
                                                                    # quarters to December (time, not 75%)
     |one\s+(?:would|could|might|should|must|can|may)\b                 # as one would parent (a pronoun)
     |one\s+of\s+(?:the|its|our|their|these|those|them|which)\b  # one of the Council's own homes, one of which
     |more\s+than\s+one\b(?!\s+(?:in|out\s+of)\b)                 # more than one referral (not "one in five")
     |\d{{1,2}}\s*(?:-|–|to)\s*(?:1\d|2[0-5])\s*(?:population|year[\s-]?olds?|years?\s+of\s+age)\b
                                                                    # the 0-17 population, 16-17 year olds (an age)
     |covid[\s-]*19\b                                               # COVID-19
     |(?:per|every)\s+{_TEN_THOUSAND}                                 # rate per 10,000 (no number)
     |\d+(?:\.\d+){{2,}}                                              # 2.11.6 (a paragraph)
    )
""", re.IGNORECASE | re.VERBOSE | re.MULTILINE)
# Case-sensitive copies run on fold(text): several times faster, same matches. The refusal pattern's one
# case-sensitive test (a capital after "7.1") is loosened there, and a line-start match is redone on the text.
_CORE_FOLDED = re.compile(_CORE.pattern, re.VERBOSE)
_NOT_QUANTITY_FOLDED = re.compile(functools.reduce(lambda pattern, cased: pattern.replace(*cased), _CASED.items(),
                                                    _NOT_QUANTITY.pattern), re.VERBOSE | re.MULTILINE)
_QUALIFIER_BEFORE = re.compile(rf"(?:^|[\s(])(?P<q>{_QUALIFIER})\s+(?:between\s+)?['‘]?$", re.IGNORECASE)
_POINT_THOUSANDS = re.compile(r"£\d{1,3}\.\d{3}")
_WENT_BEFORE = re.compile(r"\b(?:gone|go|goes|going|went|come|came|moved|risen|rose|crept|jumped|shot)\s+$",
                          re.IGNORECASE)
_CIRCA_BEFORE = re.compile(r"(?:^|[\s(])c\.?$", re.IGNORECASE)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_FROM_CHANGE_BEFORE = re.compile(  # "rose from 313 to 380", "an increase in LAC from 691 to 698": two figures
    r"\b(?:fallen|fell|falling|risen|rose|rising|increased|increasing|decreased|decreasing|reduced|reducing|dropped|"
    r"grown|growing|gone|improved|moved|"
    r"changed|increases?|rises?|falls?|reductions?|decreases?|drops?|growth|change)\b[^.;:\n]{0,45}?\bfrom\s+$"
    r"|\b(?:up|down)\s+(?:[\w.%]+\s+)?from\s+$", re.IGNORECASE)
_CHANGE_IN_BRACKETS = re.compile(r"\b(?:increase|rise|fall|reduction|decrease|drop|change|movement|growth)s?\b"
                                 r"[^.;:\n()]{0,45}\(\s*$", re.IGNORECASE)
_UNIT_NAMED = re.compile(rf"\b(?:(?P<per10k>(?:per|for\s+every)\s+{_TEN_THOUSAND})|days\s+lost\b)", re.IGNORECASE)
_RATE_LINK = re.compile(r"\b(?:from|was|were|is|are|at|to|stood|been|reached|remained|rose|fell|averaged|averaging"
                        r"|(?:target|average|rate|figure) of)\s+"
                        r"(?:about\s+|around\s+|just\s+)?$", re.IGNORECASE)  # the words that give it the number
_SENTENCE_END = re.compile(r"[.;](?:\s|$)|\n")  # the end of a sentence, or of a table's row
_MULTIPLIER_END = re.compile(rf"\d\s?({_MULTIPLIER})s?$", re.IGNORECASE)
_FRACTION_VALUES = {w.lower(): float(v) for w, v in _WORDS["fraction"].items()}
_QUALIFIERS = {w.lower(): v for w, v in _WORDS["qualifier"].items()}
_SMALL = {w.lower(): float(v) for w, v in {**_WORDS["unit"], **_WORDS["ten"]}.items()}
_SCALES = {w.lower(): float(v) for w, v in _WORDS["scale"].items()}


def find_quantities(text: str) -> list[Quantity]:
    """Every amount in ``text``, in order, ranges merged, dates and references refused.

    >>> [(q.value, q.unit) for q in find_quantities("£40.8m, 552 and five per cent")]
    [(40800000.0, 'gbp'), (552.0, 'bare'), (5.0, 'pct')]
    >>> [(q.low, q.high, q.value) for q in find_quantities("between 80% and 85%")]
    [(80.0, 85.0, 82.5)]
    >>> find_quantities("Item 6, 2.15pm on 22nd February, 2012-13, aged 16-17, 0121 303 1234")
    []
    """
    folded = fold(text)
    blocked = _blocked_spans(text, folded)
    atoms = [q for q in _atoms(text, folded) if not _inside(q, blocked) and not _pronoun_one(text, q)]
    return _with_qualifiers(text, _rated(text, _merge_ranges(text, atoms)))


def _rated(text: str, found: list[Quantity]) -> list[Quantity]:
    """Plain numbers said to be what a unit named before them in their sentence was take that unit: "the rate of
    looked after children per 10,000 fell from 165.1 to 159.4", "FTE days lost was at 9.80" (not a table's row;
    not a number's own "per 10,000")."""
    out = list(found)
    for m in _UNIT_NAMED.finditer(text):
        if any(q.start <= m.start() < q.end for q in found):
            continue
        unit = "per_10k" if m.group("per10k") else "days"
        stop = _SENTENCE_END.search(text, m.end(), m.end() + 120)
        end = stop.start() if stop else m.end() + 120
        out = [replace(q, unit=unit) if q.unit == "bare" and m.end() <= q.start < end
               and _RATE_LINK.search(text, max(m.end(), q.start - 25), q.start) else q for q in out]
    return out


def parse_number(phrase: str) -> float | None:
    """The value of one number phrase (digits, words, fractions, money), or None.

    >>> [parse_number(p) for p in ("3,412", "twenty-three", "four and a half", "a hundred and twenty")]
    [3412.0, 23.0, 4.5, 120.0]
    >>> [parse_number(p) for p in ("a third", "two thirds", "one in six", "£552K", "2.3 million pounds")]
    [33.33, 66.67, 16.67, 552000.0, 2300000.0]
    >>> parse_number("2017/18") is None
    True
    """
    found = find_quantities(phrase)
    if len(found) != 1 or found[0].start != 0 or found[0].end != len(phrase.rstrip(". ")):
        return None
    return found[0].value


def _blocked_spans(text: str, folded: str) -> list[tuple[int, int]]:
    if len(folded) != len(text):
        return [m.span() for m in _NOT_QUANTITY.finditer(text)]
    spans: list[tuple[int, int]] = []
    pos = 0
    while (m := _NOT_QUANTITY_FOLDED.search(folded, pos)) is not None:
        if m.group("line") is not None and (m := _NOT_QUANTITY.search(text, m.start())) is None:
            break
        spans.append(m.span())
        pos = m.end()
    return spans


def _pronoun_one(text: str, q: Quantity) -> bool:
    """ "one" standing for a thing, not a count: "a local one", "each one", "at one point"."""
    if text[q.start:q.end].lower() != "one":
        return False
    if _ONE_POINT.match(text, q.end) or (_ONE_NAME.match(text, q.start)
                                         and _NAME_BEFORE.search(text, max(0, q.start - 3), q.start)):
        return True  # "at one point"; "the front door (One Call)", "Team One Stop": a name
    return _ONE_BEFORE.search(text, max(0, q.start - 30), q.start) is not None and not _ONE_OF.match(text, q.end)


def _inside(q: Quantity, spans: list[tuple[int, int]]) -> bool:
    i = bisect_right(spans, (q.start, float("inf"))) - 1
    while i >= 0 and spans[i][1] > q.start:
        if spans[i][0] <= q.start < spans[i][1]:
            return True
        i -= 1
    return False


def _atoms(text: str, folded: str):
    for m in (_CORE_FOLDED.finditer(folded) if len(folded) == len(text) else _CORE.finditer(text)):
        kind = m.lastgroup
        core = m.group(kind)
        if kind == "zero":
            yield Quantity(m.start(), m.end(), 0.0, "bare")
            continue
        value, unit = _core_value(kind, core)
        if value is None:
            continue
        suffix = _SUFFIX.match(text, m.end())
        end = m.end()
        if suffix:
            value, unit, end = _apply_suffix(suffix, value, unit, kind, end)
        if kind == "money" and end == m.end() and _POINT_THOUSANDS.fullmatch(core):
            value *= 1000  # "£911.000": a point for a thousands comma (pence have two digits)
        yield Quantity(m.start(), end, round(value, 4), unit)


def _core_value(kind: str, core: str) -> tuple[float | None, str]:
    if kind in ("money", "digits"):
        return float(core.lstrip("£GBPgbp ").replace(",", "")), "gbp" if kind == "money" else "bare"
    if kind == "onein":
        numerator, denominator = (_SMALL.get(w, float(w) if w.isdigit() else None)
                                  for w in _IN_OR_OUT_OF.split(core.lower()))
        if not numerator or not denominator or numerator >= denominator:
            return None, "bare"
        return round(100 * numerator / denominator, 2), "pct"
    if kind == "frac":
        words = core.lower().split()
        denominator = _FRACTION_VALUES[words[-1]]
        count = _SMALL.get(words[0], 1.0) if len(words) > 1 and words[0] not in ("a", "one") else 1.0
        return round(100 * count / denominator, 2), "pct"
    return _word_value(core), "bare"


def _word_value(core: str) -> float | None:
    total = 0.0
    for w in re.split(r"[\s-]+", core.lower()):
        if w == "half":
            total += 0.5
        elif w in _SCALES:
            total = (total or 1.0) * _SCALES[w]
        elif w in _SMALL:
            total += _SMALL[w]
        elif w not in ("a", "and"):
            return None
    return total


def _apply_suffix(suffix: re.Match, value: float, unit: str, kind: str, end: int):
    mult = (suffix.group("mult") or "").strip().lower().removesuffix("s")
    if mult and (unit == "gbp" or suffix.group("pounds") or kind == "digits"):
        value *= _MULTIPLIERS[mult]
        end = suffix.end("mult")
    if suffix.group("pounds"):
        unit, end = "gbp", suffix.end("pounds")
    for name in ("pct", "per10k"):
        if suffix.group(name) is not None and unit != "gbp":
            unit, end = ("pct" if name == "pct" else "per_10k"), suffix.end(name)
    if suffix.group("rate") is not None and unit == "bare":
        unit = "per_10k"
    if suffix.group("days") is not None and unit == "bare":
        unit = "days"
    if suffix.group("duration") is not None and unit == "bare":
        unit = "duration"
    return value, unit, end


def _merge_ranges(text: str, atoms: list[Quantity]) -> list[Quantity]:
    out: list[Quantity] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        scale = 0.0 if b is None else _shared_multiplier(text, a, b)
        if scale:  # "£8-10m": both ends in millions of pounds, when that reads as a range
            scaled = replace(a, value=a.value * scale), replace(b, unit="gbp")
            a, b = scaled if _is_range(text, *scaled) else (a, b)
        if b is not None and _is_range(text, a, b):
            unit = b.unit if a.unit in ("bare", b.unit) else a.unit
            low, high = a.value, b.value
            out.append(Quantity(a.start, b.end, round((low + high) / 2, 4), unit, low, high))
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def _shared_multiplier(text: str, a: Quantity, b: Quantity) -> float:
    """The high end's multiplier when the low end is pounds without one ("£8-10m": £8m to £10m), else 0."""
    if a.unit != "gbp" or b.unit != "bare" or _MULTIPLIER_END.search(text, a.start, a.end):
        return 0.0
    m = _MULTIPLIER_END.search(text, b.start, b.end)
    return _MULTIPLIERS[m.group(1).lower()] if m else 0.0


def _is_range(text: str, a: Quantity, b: Quantity) -> bool:
    link = text[a.end:b.start]
    if len(link) > 6 or not _RANGE_LINK.fullmatch(link) or a.unit not in ("bare", b.unit):
        return False
    before = text[max(0, a.start - 60):a.start]
    if link.strip() in ("-", "–") and link != link.strip() and _IN_ROW.search(before) \
            and (_ROW_NEXT.match(text, b.end) or _LINE_END.match(text, b.end)):
        return False  # "28 30 - 59 41", "66 68 – 70": an empty cell between numbers of a table row, not "30 to 59"
    if link.strip().lower() == "and":
        return bool(_BETWEEN_BEFORE.search(before))
    if link.strip().lower() == "to" and _CHANGE_IN_BRACKETS.search(before):
        return False  # "a slight increase in forecast overspend (£11.8m to £12.4m)": where it went from and to
    return not _FROM_CHANGE_BEFORE.search(before) and a.value <= b.value * (1e6 if a.unit == "gbp" else 1)


def _with_qualifiers(text: str, found: list[Quantity]) -> list[Quantity]:
    out = []
    for q in found:
        m = _QUALIFIER_BEFORE.search(text, max(0, q.start - 24), q.start)
        qualifier = _QUALIFIERS.get(" ".join(m.group("q").lower().split())) if m else None
        if m and _WENT_BEFORE.search(text, max(0, m.start("q") - 12), m.start("q")) \
                and m.group("q").lower().startswith("up"):
            qualifier = None  # "they had now gone up to 430": a movement, not a bound
        if _CIRCA_BEFORE.search(text, max(0, q.start - 4), q.start):
            qualifier = "approx"  # c.£3.2m, c£14.2m
        if qualifier:
            q = Quantity(q.start, q.end, q.value, q.unit, q.low, q.high, qualifier)
        out.append(q)
    return out

"""Which council a set of minutes belongs to, from the council names it mentions and where it mentions them."""

from __future__ import annotations

import csv
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "data" / "reference" / "councils.csv"
RULES = Path(__file__).with_name("council_rules.toml")
_COUNCIL_FORM = re.compile(r"\b(?:Council|Borough of|Corporation)\b")
_WORD = re.compile(r"(?<![\w&])[A-Z][A-Za-z&]*")
_SENTENCE_END = re.compile(r"[.;:!?](?=\s)|\n")


@dataclass(frozen=True)
class Council:
    """One row of the gazetteer."""

    name: str
    official_name: str
    aliases: tuple[str, ...]
    valid_from: str | None
    valid_to: str | None
    successors: tuple[str, ...]


@dataclass(frozen=True)
class Mention:
    """A council name found in the text, and how much it says the document is that council's."""

    council: str
    start: int
    end: int
    weight: int
    comparator: bool


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


@cache
def load_councils(path: Path = GAZETTEER) -> dict[str, Council]:
    """The gazetteer keyed by canonical name."""
    with open(path, newline="", encoding="utf-8") as f:
        return {
            row["name"]: Council(row["name"], row["official_name"], _split(row["aliases"]),
                                 row["valid_from"] or None, row["valid_to"] or None, _split(row["successor"]))
            for row in csv.DictReader(f)
        }


@cache
def _rules() -> dict:
    with open(RULES, "rb") as f:
        return tomllib.load(f)


def _key(form: str) -> str:
    """A name reduced for lookup: lower case, hyphens and runs of spaces as one space."""
    return " ".join(re.split(r"[\s\-]+", form.lower().replace("’", "'")))


@cache
def _forms() -> dict[str, tuple[str, str]]:
    """Every name, official name and alias, keyed by _key, with its council and exact spelling."""
    forms: dict[str, tuple[str, str]] = {}
    for council in load_councils().values():
        for form in (council.name, council.official_name, *council.aliases):
            forms.setdefault(_key(form), (council.name, form))
    return forms


@cache
def _patterns_by_first_word() -> dict[str, re.Pattern[str]]:
    """For each first word of a form, one alternation of the forms starting with it, longest first.

    Scanning capitalised words and trying only the forms that start with them keeps long documents fast.
    """
    grouped: dict[str, list[str]] = defaultdict(list)
    for _, spelling in _forms().values():
        grouped[re.match(r"[A-Za-z&]*", spelling).group().lower()].append(spelling)
    patterns = {}
    for first, spellings in grouped.items():
        parts = [r"[\s\-]+".join(re.escape(tok) for tok in re.split(r"[\s\-]+", s))
                 for s in sorted(set(spellings), key=len, reverse=True)]
        patterns[first] = re.compile(r"(?:" + "|".join(parts) + r")(?![\w&])", re.IGNORECASE)
    return patterns


def _matches(text: str) -> list[re.Match[str]]:
    """Non-overlapping matches of gazetteer forms, in order."""
    patterns = _patterns_by_first_word()
    found: list[re.Match[str]] = []
    for word in _WORD.finditer(text):
        if found and word.start() < found[-1].end():
            continue
        pattern = patterns.get(word.group().lower())
        match = pattern.match(text, word.start()) if pattern else None
        if match:
            found.append(match)
    return found


def _same_spelling(found: str, spelling: str) -> bool:
    """True when text spells a name as the gazetteer does (spaces and hyphens aside) or in capitals.

    >>> _same_spelling("Stoke on Trent", "Stoke-on-Trent"), _same_spelling("READING", "Reading")
    (True, True)
    >>> _same_spelling("reading", "Reading")
    False
    """
    split = re.compile(r"[\s\-]+")
    return split.split(found) == split.split(spelling) or (found.isupper() and len(found) > 2)


def _cue_in(cues: list[str], words: str) -> bool:
    return any(re.search(r"(?<!\w)" + re.escape(cue) + r"(?!\w)", words) for cue in cues)


def _sentence_before(text: str, start: int) -> str:
    """The part of the sentence before a position."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 300), start)]
    return text[ends[-1] if ends else max(0, start - 300):start]


def _is_comparator(before: str, after: str) -> bool:
    """True when the words around a mention make it another council's value, a case name or a place."""
    rules = _rules()["comparator"]
    words = before.lower().replace("’", "'").split()
    if _cue_in(rules["before"], " ".join(words[-rules["words"]:])):
        return True
    if _cue_in(rules["near"], " ".join(words[-2:])):
        return True
    return _names_a_body(after)


def _names_a_body(after: str) -> bool:
    """True when the words after a mention make it a case or another body ("Devon and Cornwall Police").

    >>> _names_a_body(" and Cornwall Police said"), _names_a_body(" had 40 children")
    (True, False)
    """
    rules = _rules()["comparator"]
    for word in after.split()[:3]:
        word = word.strip(".,;:()")
        if word in rules["after"]:
            return True
        if not (word in rules["chain"] or word[:1].isupper()):
            return False
    return False


def _weight(text: str, start: int, end: int, spelling: str, header_end: int) -> int | None:
    """How strongly one mention says 'this council'; None when it is not a council at all (a person, a verb)."""
    rules = _rules()["names"]
    weights = _rules()["weights"]
    before = _sentence_before(text, start)
    prev_word = before.split()[-1].rstrip(".") if before.split() else ""
    if prev_word in rules["honorifics"] or prev_word in rules["part_of"]:
        return None
    after = text[end:end + 60]
    possessive = after.startswith(("'s", "’s", "'", "’"))
    council_word = bool(_COUNCIL_FORM.search(spelling)) or any(
        re.match(r"\s+" + re.escape(word) + r"\b", after) for word in rules["council_words"])
    candidates = [weights["plain"]]
    if start < header_end:
        candidates.append(weights["header"])
    if council_word:
        candidates.append(weights["council_word"])
    if possessive:
        candidates.append(weights["possessive"])
    if spelling in rules["ambiguous"] and prev_word.lower() not in rules["places"] and (
            len(candidates) == 1 or re.match(r"\s+[a-z]", after)):
        return None
    return max(candidates)


def is_council_name(line: str) -> bool:
    """True when a whole line is one council's name ("LONDON BOROUGH OF CROYDON", "Kent County Council").

    >>> is_council_name("Kent County Council"), is_council_name("Kent Scrutiny Committee")
    (True, False)
    """
    line = line.strip()
    found = _matches(line)
    return len(found) == 1 and found[0].start() == 0 and found[0].end() == len(line)


def find_mentions(text: str, header_end: int = 0) -> list[Mention]:
    """Council mentions in order; people's names, lower-case words and case names are left out.

    >>> [(m.council, m.comparator) for m in find_mentions("Bromley's rate was 42%, compared with Croydon.")]
    [('Bromley', False), ('Croydon', True)]
    """
    forms = _forms()
    chain = _rules()["comparator"]["chain"]
    mentions: list[Mention] = []
    for match in _matches(text):
        council, spelling = forms[_key(match.group())]
        if not _same_spelling(match.group(), spelling):
            continue
        weight = _weight(text, match.start(), match.end(), spelling, header_end)
        if weight is None:
            continue
        comparator = _is_comparator(_sentence_before(text, match.start()), text[match.end():match.end() + 60])
        gap = text[mentions[-1].end:match.start()].strip().lower() if mentions else None
        if gap in chain and mentions[-1].comparator:
            comparator = True
        mentions.append(Mention(council, match.start(), match.end(), weight, comparator))
    return mentions


def at_date(name: str, date: str | None) -> str:
    """The council that a name meant on a date: a successor after abolition, a predecessor before creation.

    >>> at_date("North Yorkshire", "2019-05-01"), at_date("North Yorkshire County", "2024-01-01")
    ('North Yorkshire County', 'North Yorkshire')
    >>> at_date("Northamptonshire", "2022-01-01")
    'Northamptonshire'
    """
    councils = load_councils()
    council = councils[name]
    if not date:
        return name
    if council.valid_to and date > council.valid_to and len(council.successors) == 1:
        return council.successors[0]
    if council.valid_from and date < council.valid_from:
        before = [c.name for c in councils.values() if name in c.successors and (not c.valid_to or date <= c.valid_to)]
        if len(before) == 1:
            return before[0]
    return name


def find_council(text: str, meeting_date: str | None = None, header_end: int = 0,
                 headings: tuple[str | None, ...] = ()) -> str | None:
    """The document's own council, or None when no council is named except as a comparator, or two tie.

    >>> find_council("Minutes\\nThe Chair welcomed officers. Kingston upon Thames had 120 children in care.")
    'Kingston upon Thames'
    >>> find_council("Our rate was 58, compared with Leeds at 71.") is None
    True
    """
    scores: dict[str, int] = defaultdict(int)
    for heading in headings:
        for mention in find_mentions(heading or "", header_end=len(heading or "")):
            scores[at_date(mention.council, meeting_date)] += 0 if mention.comparator else mention.weight
    for mention in find_mentions(text, header_end):
        scores[at_date(mention.council, meeting_date)] += _rules()["weights"]["comparator"] if mention.comparator \
            else mention.weight
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1] <= 0 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def council_from_path(source: str, meeting_date: str | None = None) -> str | None:
    """The council a file's name or folder starts with, for minutes whose text never names it.

    Downloads are usually named for their council ("kingston-upon-thames-2019-03-item-5.html") or filed
    under its folder ("raw/bromley/..."); only the words before the first number count, longest name first.

    >>> council_from_path("minutes/kingston-upon-thames-2019-03-item5.html")
    'Kingston upon Thames'
    >>> council_from_path("raw/bromley/2019-02-05-item-5.html"), council_from_path("unnamed-2017-07-panel.txt")
    ('Bromley', None)
    """
    forms = _forms()
    path = Path(source)
    for part in (path.stem, path.parent.name):
        words: list[str] = []
        for word in re.split(r"[\s\-_.]+", part.lower().replace("&", "and")):
            if not word or word[0].isdigit():
                break
            words.append(word)
        for n in range(len(words), 0, -1):
            found = forms.get(" ".join(words[:n]))
            if found:
                return at_date(found[0], meeting_date)
    return None

"""Cheap prefilters for costly regexes: the plain text every match of a pattern must contain.

A pattern whose required text is absent from a (case-folded) stretch of minutes cannot match
there, so the regex need not run at all. Only a top-level run of literal characters counts,
so the answer is always safe: at worst it is empty and filters nothing.
"""

from __future__ import annotations

from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

# Characters outside ASCII that re.IGNORECASE matches to an ASCII letter but str.lower() keeps apart.
_FOLD = str.maketrans({"ſ": "s", "ı": "i", "K": "k"})


def fold(text: str) -> str:
    """``text`` lower-cased so that an IGNORECASE match implies a plain substring match.

    >>> fold("Social WORKERS ſ")
    'social workers s'
    """
    return text.lower().translate(_FOLD)


def required(pattern: str, flags: int = 0) -> str:
    """The longest lower-case literal run that every match of ``pattern`` contains ("" when none).

    >>> required(r"(?:loss|cut) of \\d+ (?:FTE )?posts"), required(r"\\bSWs?\\b"), required(r"caseloads?|rate")
    ('posts', 'sw', '')
    """
    best, run = "", ""
    for op, av in _flat(_parser.parse(pattern, flags).data):
        if op is _c.LITERAL:
            run += chr(av).lower()
            best = max(best, run, key=len)
        else:
            run = ""
    return best


def _flat(items):
    """The top-level items, with groups opened in place."""
    for op, av in items:
        if op is _c.SUBPATTERN:
            yield from _flat(av[3].data)
        else:
            yield op, av


"""Cheap prefilters for costly regexes: the plain text every match of a pattern must contain.

A pattern whose required text is absent from a (case-folded) stretch of minutes cannot match
there, so the regex need not run at all. Only a top-level run of literal characters counts,
so the answer is always safe: at worst it is empty and filters nothing.
"""

from __future__ import annotations

import re
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

# Characters outside ASCII that re.IGNORECASE matches to an ASCII letter but str.lower() keeps apart.
_FOLD = str.maketrans({"ſ": "s", "ı": "i"})  # the Kelvin sign K already lowers to k


def fold(text: str) -> str:
    """``text`` lower-cased so that an IGNORECASE match implies a plain substring match.

    >>> fold("Social WORKERS ſ")
    'social workers s'
    """
    lowered = text.lower()
    return lowered.translate(_FOLD) if "ſ" in lowered or "ı" in lowered else lowered


def required(pattern: str, flags: int = 0) -> tuple[str, ...]:
    """Lower-case texts of which every match of ``pattern`` contains at least one (``("",)`` when unknown).

    >>> required(r"(?:loss|cut) of \\d+ (?:FTE )?posts"), required(r"\\bSWs?\\b"), required(r"caseloads?|rates?")
    (('posts',), ('sw',), ('caseload', 'rate'))
    """
    return _required(_parser.parse(pattern, flags).data)


def _required(items) -> tuple[str, ...]:
    best, run = ("",), ""
    for op, av in _flat(items):
        if op is _c.LITERAL:
            run += chr(av).lower()
            best = max(best, (run,), key=_strength)
            continue
        run = ""
        if op is _c.BRANCH:
            best = max(best, tuple(n for b in av[1] for n in _required(b.data)), key=_strength)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            best = max(best, _required(av[2].data), key=_strength)
    return best


def _strength(needs: tuple[str, ...]) -> int:
    return min(len(n) for n in needs)


def _flat(items):
    """The items in sequence, with groups opened in place."""
    for op, av in items:
        if op is _c.SUBPATTERN:
            yield from _flat(av[3].data)
        else:
            yield op, av


def caseless(pattern: str, flags: int = 0) -> bool:
    """True when ``pattern`` (meant for re.IGNORECASE) names no upper-case letter and never turns case back on,
    so that, compiled without IGNORECASE, it finds the same matches in ``fold(text)``.

    >>> caseless(r"(?P<month>may|june)\\s+\\d{4}  # Month YEAR", re.VERBOSE), caseless(r"Q[1-4]")
    (True, False)
    >>> caseless(r"(?-i:[a-z])")
    False
    """
    return _caseless(_parser.parse(pattern, flags).data)


def _caseless(items) -> bool:
    for op, av in items:
        if op in (_c.LITERAL, _c.NOT_LITERAL) and chr(av) != chr(av).lower():
            return False
        if op is _c.IN and not _caseless(av):
            return False
        if op is _c.RANGE and any(chr(c) != chr(c).lower() for c in range(av[0], av[1] + 1)):
            return False
        if op is _c.SUBPATTERN and (av[2] & re.IGNORECASE or not _caseless(av[3].data)):
            return False
        if op is _c.BRANCH and not all(_caseless(b.data) for b in av[1]):
            return False
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and not _caseless(av[2].data):
            return False
        if op in (_c.ASSERT, _c.ASSERT_NOT) and not _caseless(av[1].data):
            return False
        if op is _c.ATOMIC_GROUP and not _caseless(av.data):
            return False
    return True

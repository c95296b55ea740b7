"""A figure's sentence in its surrounding minutes, escaped, with the quote marked and its numbers picked out."""

from __future__ import annotations

import html
import math
import re

_NUMBER = re.compile(r"""
    £?\d[\d,]*(?:\.\d+)?            # 18, 1,020, £38.2, 4.5
    (?:\s?(?:%|per\s?cent|bn|m|k)\b|%)?  # 18%, 20 per cent, £38.2m, £552k
    | \b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|
          hundred|thousand|million|half|third|quarter)s?\b
""", re.IGNORECASE | re.VERBOSE)
_SCALE = {"k": 1e3, "m": 1e6, "bn": 1e9}


def number_spans(quote: str) -> list[tuple[int, int]]:
    """Where numbers and number words are in a sentence.

    >>> q = "The agency rate was 18% against a target of ten per cent (£1.2m)."
    >>> [q[s:e] for s, e in number_spans(q)]
    ['18%', 'ten', '£1.2m']
    """
    return [m.span() for m in _NUMBER.finditer(quote)]


def number_value(token: str) -> float | None:
    """A digit number as written, scaled by k / m / bn.

    >>> number_value("£552k"), number_value("1,020"), number_value("18%"), number_value("ten")
    (552000.0, 1020.0, 18.0, None)
    """
    m = re.match(r"£?(\d[\d,]*(?:\.\d+)?)\s?(bn|m|k)?\b", token, re.IGNORECASE)
    if not m:
        return None
    return float(m.group(1).replace(",", "")) * _SCALE.get((m.group(2) or "").lower(), 1)


def in_context(text: str, start: int, end: int, values: tuple = (), width: int = 280) -> str:
    """HTML: up to `width` characters either side of text[start:end], the quote marked, the figure's numbers bold.

    >>> in_context("Before. Staff were 42% <b>permanent</b>. After.", 8, 40, (42.0,), width=5)
    '…ore. <mark class="quote">Staff were <strong class="figure">42%</strong> &lt;b&gt;permanent&lt;/b&gt;.</mark> Afte…'
    """  # noqa: E501
    lo, hi = max(0, start - width), min(len(text), end + width)
    quote = text[start:end]
    marked, last = [], 0
    wanted = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    for s, e in number_spans(quote):
        token = quote[s:e]
        n = number_value(token)
        hit = not wanted or (n is not None and any(math.isclose(n, v, rel_tol=1e-6) for v in wanted))
        tag = "strong" if hit else "b"
        marked += [html.escape(quote[last:s]), f'<{tag} class="{"figure" if hit else "number"}">'
                   f"{html.escape(token)}</{tag}>"]
        last = e
    marked.append(html.escape(quote[last:]))
    return (("…" if lo > 0 else "") + html.escape(text[lo:start]) + '<mark class="quote">' + "".join(marked)
            + "</mark>" + html.escape(text[end:hi]) + ("…" if hi < len(text) else ""))


STYLE = """<style>
.review-context { white-space: pre-wrap; font-size: 1.02rem; line-height: 1.55; padding: .8rem 1rem;
  border-left: 4px solid #0b5cad; background: #f6f8fb; border-radius: 4px; color: #333; }
.review-context mark.quote { background: #fff3bf; color: #111; padding: 0 .1rem; }
.review-context strong.figure { background: #ffd43b; outline: 2px solid #e67700; border-radius: 2px; }
.review-context b.number { text-decoration: underline dotted; font-weight: 600; }
</style>"""

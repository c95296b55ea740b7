"""Untrusted minutes text made safe to show, with the figure's number or quoted span marked."""

from __future__ import annotations

import html
import math
import re

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_SCALES = (1, 1e3, 1e6, 1e9)
_STYLE = 'style="background:#FFE08A;color:#000;padding:0 2px;border-radius:2px"'
MARK = f"<mark {_STYLE}>"
QUOTED = f'<mark id="quoted" {_STYLE}>'


def _matches(token: str, targets: list[float]) -> bool:
    try:
        number = float(token.replace(",", ""))
    except ValueError:
        return False
    return any(math.isclose(number * scale, t, rel_tol=1e-6) for t in targets for scale in _SCALES)


def quote_html(quote: str, value: float | None, low: float | None = None, high: float | None = None) -> str:
    """The quote escaped, with digits that state the figure (value, or a range's ends) wrapped in <mark>.

    >>> quote_html("Permanent staff were 42% <b>then</b>", 42)
    'Permanent staff were <mark ...>42</mark>% &lt;b&gt;then&lt;/b&gt;'
    >>> quote_html("now 80-85% of 120 staff", 82.5, 80, 85).count("<mark")
    2
    """
    targets = [float(t) for t in (value, low, high) if t is not None and not _nan(t)]
    out, last = [], 0
    for m in _NUMBER.finditer(quote):
        if _matches(m.group(), targets):
            out += [html.escape(quote[last:m.start()]), MARK, html.escape(m.group()), "</mark>"]
            last = m.end()
    out.append(html.escape(quote[last:]))
    return "".join(out)


def document_html(text: str, start: int, end: int) -> str:
    """A whole document escaped, line breaks kept, with text[start:end] marked and given an anchor id.

    >>> document_html("a <i>b</i>\\nc", 3, 4)
    'a &lt;<mark id="quoted" ...>i</mark>&gt;b&lt;/i&gt;<br>c'
    """
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    before, span, after = (html.escape(part).replace("\n", "<br>")
                           for part in (text[:start], text[start:end], text[end:]))
    return f"{before}{QUOTED}{span}</mark>{after}"


def _nan(x) -> bool:
    return isinstance(x, float) and math.isnan(x)


def in_context(text: str, start: int, end: int, values: tuple = (), width: int = 280) -> str:
    """Up to `width` characters either side of text[start:end], escaped, the quote marked, its figure's numbers too.

    >>> in_context("Before. Staff were 42% <b>then</b>. After.", 8, 35, (42.0,), width=5)
    '…ore. <mark class="quote">Staff were <mark ...>42</mark>% &lt;b&gt;then&lt;/b&gt;.</mark> Afte…'
    """
    lo, hi = max(0, start - width), min(len(text), end + width)
    value, low, high = (*values, None, None, None)[:3]
    quote = quote_html(text[start:end], value, low, high) if values else html.escape(text[start:end])
    return ("…" if lo > 0 else "") + html.escape(text[lo:start]) + f'<mark class="quote">{quote}</mark>' \
        + html.escape(text[end:hi]) + ("…" if hi < len(text) else "")


REVIEW_STYLE = """<style>
.review-context { white-space: pre-wrap; font-size: 1.02rem; line-height: 1.55; padding: .8rem 1rem;
  border-left: 4px solid #0b5cad; background: #f6f8fb; border-radius: 4px; color: #333; }
.review-context mark.quote { background: #fff3bf; color: #111; padding: 0 .1rem; }
.review-context mark.quote mark { outline: 2px solid #e67700; }
</style>"""

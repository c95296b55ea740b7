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

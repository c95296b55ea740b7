"""The briefing as one self-contained HTML page: escaped text, linked footnotes, charts inline with alt text."""

from __future__ import annotations

import base64
from html import escape

from etl.brief.pack import Bullets, Charts, Cite, Heading, Inline, Pack, Para, Table

STYLE = """
.brief { font-family: "DejaVu Sans", Verdana, sans-serif; font-size: 14px; color: #1a1a1a; max-width: 60em;
         margin: 1.5em auto; padding: 0 1em; line-height: 1.4; }
.brief h1 { font-size: 1.5em; margin-bottom: 0.1em; color: #0a3d62; }
.brief h2 { font-size: 1.15em; margin-top: 1.4em; border-bottom: 1px solid #0072B2; color: #0a3d62; }
.brief .subtitle { color: #444; margin-top: 0; } .brief .small { font-size: 0.85em; color: #444; }
.brief table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
.brief th, .brief td { border: 1px solid #bbb; padding: 0.25em 0.4em; text-align: left; vertical-align: top; }
.brief th { background: #e8f1f8; } .brief sup { font-size: 0.7em; } .brief sup a { text-decoration: none; }
.brief figure { display: inline-block; margin: 0.3em 1em 0.6em 0; width: 30em; max-width: 100%; vertical-align: top; }
.brief figure img { width: 100%; } .brief figcaption { font-size: 0.85em; color: #333; }
.brief ol.notes { font-size: 0.8em; color: #333; } .brief .unreviewed { color: #8a4b00; }
"""


def render_html(pack: Pack) -> str:
    """The whole briefing as an HTML document (UTF-8, lang en-GB)."""
    return (f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>{escape(pack.title)}</title>'
            f"<style>{STYLE}</style></head><body>\n{_main(pack)}\n</body></html>\n")


def render_fragment(pack: Pack) -> str:
    """The briefing as an HTML fragment with its own scoped style, for previewing inside the app."""
    return f"<style>{STYLE}</style>{_main(pack)}"


def _main(pack: Pack) -> str:
    body = [f"<h1>{escape(pack.title)}</h1>", f'<p class="subtitle">{escape(pack.subtitle)}</p>']
    body += [_block(b) for b in pack.blocks]
    notes = "".join(
        f'<li id="note-{n.n}"{" class=unreviewed" if n.unreviewed else ""}>{escape(n.text)}</li>' for n in pack.notes)
    body.append(f'<ol class="notes">{notes}</ol>' if notes else "<p>No figures cited.</p>")
    return '<main class="brief">\n' + "\n".join(body) + "\n</main>"


def _block(block: object) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level + 1}>{escape(block.text)}</h{block.level + 1}>"
    if isinstance(block, Para):
        return f'<p{" class=small" if block.small else ""}>{inline(block.parts)}</p>'
    if isinstance(block, Bullets):
        tag = "ol" if block.numbered else "ul"
        return f"<{tag}>" + "".join(f"<li>{inline(i)}</li>" for i in block.items) + f"</{tag}>"
    if isinstance(block, Table):
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in block.header)
        rows = "".join("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in row) + "</tr>" for row in block.rows)
        caption = f"<caption class=small>{escape(block.caption)}</caption>" if block.caption else ""
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    if isinstance(block, Charts):
        return "".join(
            f'<figure><img src="data:image/png;base64,{base64.b64encode(c.png).decode()}" alt="{escape(c.alt)}">'
            f"<figcaption>{inline(c.caption)}</figcaption></figure>" for c in block.charts)
    raise TypeError(f"unknown block {block!r}")


def inline(parts: Inline) -> str:
    """Escaped text with footnote marks as superscript links.

    >>> inline(["<b>18%", Cite(2, True)])
    '&lt;b&gt;18%<sup><a href="#note-2" title="note 2, not yet reviewed">[2†]</a></sup>'
    """
    out = []
    for p in parts:
        if isinstance(p, Cite):
            title = f"note {p.n}" + (", not yet reviewed" if p.unreviewed else "")
            out.append(f'<sup><a href="#note-{p.n}" title="{title}">{escape(p.marker())}</a></sup>')
        else:
            out.append(escape(p))
    return "".join(out)

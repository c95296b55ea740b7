"""The briefing as an accessible A4 PDF: real text in an embedded Unicode font, outline headings, alt text."""

from __future__ import annotations

import io
import struct
from pathlib import Path

from fpdf import FPDF, FontFace, TextStyle
from fpdf.enums import XPos, YPos

from etl.brief.pack import Bullets, Chart, Charts, Heading, Pack, Para, Table, plain

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"
BLUE, GREY = (10, 61, 98), (70, 70, 70)
LINE = 4.6          # mm per line of body text
CHART_W = 88        # mm: two charts side by side on A4


class _Briefing(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=7.5)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"{self.title}  ·  page {self.page_no()} of {{nb}}", align="C")


def render_pdf(pack: Pack) -> bytes:
    """The whole briefing as PDF bytes."""
    pdf = _new(pack)
    pdf.start_section(pack.title, level=0)
    _text(pdf, pack.subtitle, size=10, colour=GREY)
    pdf.ln(1)
    for block in pack.blocks:
        _draw(pdf, block)
    _notes(pdf, pack)
    return bytes(pdf.output())


def _new(pack: Pack) -> _Briefing:
    missing = [n for n in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf") if not (FONT_DIR / n).exists()]
    if missing:
        raise FileNotFoundError(f"{FONT_DIR}: {', '.join(missing)} missing; install Debian's fonts-dejavu-core")
    pdf = _Briefing(format="A4")
    pdf.title = pack.title
    pdf.set_title(pack.title)
    pdf.set_subject(pack.subtitle)
    pdf.set_lang("en-GB")
    pdf.set_creator("Children's services KPIs from council minutes")
    pdf.set_display_mode("fullwidth")
    pdf.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    pdf.set_margins(15, 14, 15)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_section_title_styles(
        TextStyle(font_family=FONT, font_style="B", font_size_pt=17, color=BLUE, t_margin=0, b_margin=1),
        TextStyle(font_family=FONT, font_style="B", font_size_pt=12.5, color=BLUE, t_margin=4, b_margin=1.5),
    )
    pdf.add_page()
    pdf.set_font(FONT, size=9.5)
    return pdf


def _draw(pdf: _Briefing, block: object) -> None:
    if isinstance(block, Heading):
        if pdf.will_page_break(22):   # keep a heading with the first lines under it
            pdf.add_page()
        pdf.start_section(block.text, level=block.level)
    elif isinstance(block, Para):
        _text(pdf, plain(block.parts), size=8.5 if block.small else 9.5, colour=GREY if block.small else (0, 0, 0))
    elif isinstance(block, Bullets):
        for i, item in enumerate(block.items, start=1):
            _bullet(pdf, f"{i}." if block.numbered else "•", plain(item))
    elif isinstance(block, Table):
        _table(pdf, block)
    elif isinstance(block, Charts):
        _charts(pdf, block.charts)
    else:
        raise TypeError(f"unknown block {block!r}")


def _text(pdf: _Briefing, text: str, size: float = 9.5, colour: tuple[int, int, int] = (0, 0, 0)) -> None:
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, size * 0.48, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _bullet(pdf: _Briefing, mark: str, text: str) -> None:
    pdf.set_font(FONT, size=9.5)
    pdf.set_text_color(0, 0, 0)
    indent = 6
    pdf.cell(indent, LINE, mark)
    pdf.multi_cell(pdf.epw - indent, LINE, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(0.8)


def _table(pdf: _Briefing, table: Table) -> None:
    pdf.set_font(FONT, size=8.5)
    pdf.set_text_color(0, 0, 0)
    headings = FontFace(family=FONT, emphasis="BOLD", fill_color=(232, 241, 248), color=BLUE)
    with pdf.table(col_widths=tuple(table.widths), text_align="LEFT", line_height=4, padding=1,
                   headings_style=headings, borders_layout="HORIZONTAL_LINES", v_align="TOP") as t:
        t.row(table.header)
        for cells in table.rows:
            row = t.row()
            for cell in cells:
                row.cell(plain(cell))
    if table.caption:
        _text(pdf, table.caption, size=7.5, colour=GREY)
    pdf.ln(1)


def _charts(pdf: _Briefing, charts: list[Chart]) -> None:
    for pair in (charts[i:i + 2] for i in range(0, len(charts), 2)):
        heights = [CHART_W * _aspect(c.png) for c in pair]
        if pdf.will_page_break(max(heights) + 14):
            pdf.add_page()
        top, bottom = pdf.y, pdf.y
        for i, (chart, h) in enumerate(zip(pair, heights, strict=True)):
            x = pdf.l_margin + i * (CHART_W + 4)
            pdf.image(io.BytesIO(chart.png), x=x, y=top, w=CHART_W, h=h, alt_text=chart.alt)
            pdf.set_xy(x, top + h + 0.5)
            pdf.set_font(FONT, size=7.5)
            pdf.set_text_color(*GREY)
            pdf.multi_cell(CHART_W, 3.4, plain(chart.caption), align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
            bottom = max(bottom, pdf.y)
        pdf.set_xy(pdf.l_margin, bottom + 2)


def _aspect(png: bytes) -> float:
    """Height over width of a PNG, from its header."""
    width, height = struct.unpack(">II", png[16:24])
    return height / width


def _notes(pdf: _Briefing, pack: Pack) -> None:
    pdf.set_font(FONT, size=7.5)
    pdf.set_text_color(*GREY)
    if not pack.notes:
        _text(pdf, "No figures cited.", size=8.5)
    for note in pack.notes:
        pdf.cell(7, 3.5, f"[{note.n}]")
        pdf.multi_cell(pdf.epw - 7, 3.5, note.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(0.6)

"""The annual report as a PDF in the official layout: title
``<机关名称><Y>年政府信息公开工作年度报告``, preamble, sections 一 to 六,
the three tables with their merged header cells, an embedded CJK font
(:mod:`.fonts`), A4 portrait, page numbers ``— n —`` at the foot."""

from __future__ import annotations

import os
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle,
)

from ..domain import report_model as rm
from ..files.atomic import atomic_path
from . import layout as _layout  # page geometry and 避头 line-breaking, shared by every PDF
from .fonts import resolve_fonts
from ..domain.report_layout import HEADER, LABEL, NUMBER, Grid, section2_grid, section3_grid, section4_grid

# GB/T 9704 (党政机关公文格式): the same page as every notice (.layout).
PAGE_MARGINS = dict(leftMargin=_layout.MARGIN_LEFT, rightMargin=_layout.MARGIN_RIGHT,
                    topMargin=_layout.MARGIN_TOP, bottomMargin=_layout.MARGIN_BOTTOM)
TEXT_WIDTH = _layout.TEXT_WIDTH  # 156 mm
BODY_SIZE = _layout.BODY_SIZE    # 三号
LINE = _layout.LINE              # 22 lines on the type area

# Chinese line-breaking (避头) is set up once, for every PDF, in .layout.


class _Styles:
    def __init__(self, settings: dict | None):
        fonts = resolve_fonts(settings or {})
        self.fonts = fonts
        self.title = ParagraphStyle("title", fontName=fonts.title, fontSize=22, leading=LINE * 1.3,
                                    alignment=TA_CENTER, spaceAfter=LINE)
        self.heading = ParagraphStyle("heading", fontName=fonts.heading, fontSize=BODY_SIZE, leading=LINE,
                                      firstLineIndent=2 * BODY_SIZE, wordWrap="CJK")
        self.body = ParagraphStyle("body", fontName=fonts.body, fontSize=BODY_SIZE, leading=LINE,
                                   alignment=TA_JUSTIFY, firstLineIndent=2 * BODY_SIZE, wordWrap="CJK")
        self.cell = ParagraphStyle("cell", fontName=fonts.body, fontSize=9, leading=11.5,
                                   alignment=TA_CENTER, wordWrap="CJK")
        self.cell_left = ParagraphStyle("cell_left", parent=self.cell, alignment=TA_LEFT)


def _paragraphs(text: str, style) -> list:
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            out.append(Paragraph(escape(line), style))
    return out


def grid_table(grid: Grid, styles: _Styles, width: float = TEXT_WIDTH) -> Table:
    """A reportlab table of a layout grid: merged cells, grid lines,
    header cells centred, row labels left-aligned, numbers centred."""
    total = sum(grid.widths)
    col_widths = [w * width / total for w in grid.widths]
    data = [["" for _ in range(grid.cols)] for _ in range(grid.rows)]
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    for c in grid.cells:
        style = styles.cell_left if c.role == LABEL else styles.cell
        data[c.row][c.col] = Paragraph(escape(c.text), style) if c.text else ""
        if c.rowspan > 1 or c.colspan > 1:
            commands.append(("SPAN", (c.col, c.row), (c.col + c.colspan - 1, c.row + c.rowspan - 1)))
    table = Table(data, colWidths=col_widths, repeatRows=grid.header_rows, hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    return table


def _page_number(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(doc.report_font, 14)  # 四号
    canvas.drawCentredString(A4[0] / 2, 35 * mm - 7 * mm - 14, f"— {doc.page} —")
    canvas.restoreState()


def story(document: dict, styles: _Styles) -> list:
    title = document.get("title") or rm.report_title(document.get("agency", ""), document["year"])
    agency = document.get("agency") or ""
    if agency and title.startswith(agency) and len(title) > 24:
        # long titles break after the agency name, as printed reports do
        title_markup = escape(agency) + "<br/>" + escape(title[len(agency):])
    else:
        title_markup = escape(title)
    out: list = [Paragraph(title_markup, styles.title)]
    out += _paragraphs(document.get("preamble", ""), styles.body)
    texts = {0: "section1", 4: "section5", 5: "section6"}
    tables = {1: section2_grid, 2: section3_grid, 3: section4_grid}
    for i, heading in enumerate(rm.SECTION_TITLES):
        head = Paragraph(escape(heading), styles.heading)
        if i in texts:
            body = _paragraphs(document.get(texts[i], ""), styles.body)
            out.append(CondPageBreak(3 * LINE))  # never a heading alone at a page foot
            out.append(head)
            out += body
        else:
            # a table is never split from its heading nor across pages
            # when it fits on one (section 三 takes most of a page)
            table = grid_table(tables[i](document), styles)
            out.append(KeepTogether([head, Spacer(1, 2 * mm), table]))
            out.append(Spacer(1, LINE / 2))
    return out


def write_report_pdf(document: dict, path: str | os.PathLike, settings: dict | None = None) -> str | None:
    """Write the report to ``path`` (atomically).  Returns the font
    warning (a Chinese sentence) when no font could be embedded."""
    styles = _Styles(settings)
    with atomic_path(path) as tmp:
        doc = SimpleDocTemplate(str(tmp), pagesize=A4, title=document.get("title", ""),
                                author=document.get("agency", ""), subject="政府信息公开工作年度报告",
                                creator=document.get("generator", ""), **PAGE_MARGINS)
        doc.report_font = styles.fonts.body
        doc.build(story(document, styles), onFirstPage=_page_number, onLaterPages=_page_number)
    return styles.fonts.warning

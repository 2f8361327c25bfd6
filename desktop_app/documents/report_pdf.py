"""The annual report as a PDF in the official layout: title
``<机关名称><Y>年政府信息公开工作年度报告``, preamble, sections 一 to 六,
the three tables with their merged header cells, an embedded CJK font
(:mod:`.fonts`), A4 portrait, page numbers ``— n —`` at the foot."""

from __future__ import annotations

import os
import re
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak, KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle,
)

from ..domain import report_model as rm
from ..domain.report_layout import LABEL, Grid, section2_grid, section3_grid, section4_grid
from ..domain.report_narrative import PLACEHOLDER_OPEN
from ..files.atomic import atomic_path
from . import layout as _layout  # page geometry and 避头 line-breaking, shared by every PDF
from .fonts import optical_scale, resolve_fonts
from .layout import Paragraph  # the Chinese line-breaking rules of every PDF

# GB/T 9704 (党政机关公文格式): the same page as every notice (.layout).
# SimpleDocTemplate's frame pads its content by 6 pt on each side: the
# margins give that back, so the text area is the standard's 156×225 mm.
_FRAME_PADDING = 6
PAGE_MARGINS = dict(leftMargin=_layout.MARGIN_LEFT - _FRAME_PADDING,
                    rightMargin=_layout.MARGIN_RIGHT - _FRAME_PADDING,
                    topMargin=_layout.MARGIN_TOP - _FRAME_PADDING,
                    bottomMargin=_layout.MARGIN_BOTTOM - _FRAME_PADDING)
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
        # 楷体 lead-ins as big to the eye as the body (see fonts.optical_scale)
        self.kai_scale = (optical_scale(fonts.kai_face, fonts.body_face)
                          if fonts.kai_face is not None and fonts.kai != fonts.body else 1.0)


#: A second-level heading run into its paragraph: "（一）主动公开。"
_LEAD_IN = re.compile(r"^(（[一二三四五六七八九十]+）[^。：（）]{1,24}[。：])")


def _paragraphs(text: str, style, lead_in_font: str | None = None, lead_in_scale: float = 1.0) -> list:
    """One paragraph per line; a leading "（一）……。" is set in
    ``lead_in_font`` (楷体, GB/T 9704's second-level heading face), at
    ``lead_in_scale`` times the body size so it looks as big as the body."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        m = _LEAD_IN.match(line) if lead_in_font else None
        if m:
            size = f' size="{style.fontSize * lead_in_scale:.1f}"' if lead_in_scale != 1.0 else ""
            markup = (f'<font name="{lead_in_font}"{size}>{escape(m.group(1))}</font>'
                      + escape(line[m.end():]))
        else:
            markup = escape(line)
        out.append(Paragraph(markup, style))
    return out


def grid_table(grid: Grid, styles: _Styles, width: float = TEXT_WIDTH) -> Table:
    """A reportlab table of a layout grid: merged cells, grid lines,
    header cells centred, row labels left-aligned, numbers centred; the
    columns sized by their content over the whole text width (a header
    never breaks leaving one character alone)."""
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
    spans = [((c.col, c.row), (c.col + c.colspan - 1, c.row + c.rowspan - 1))
             for c in grid.cells if c.rowspan > 1 or c.colspan > 1]
    col_widths = _layout.fit_columns(data, width, spans=spans, padding=4)
    table = Table(data, colWidths=col_widths, repeatRows=grid.header_rows, hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    return table


def _page_number(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(doc.report_font, 14)  # 四号
    canvas.drawCentredString(A4[0] / 2, 35 * mm - 7 * mm - 14, f"— {doc.page} —")
    canvas.restoreState()


DRAFT_MARK = "草稿"


def placeholders(document: dict) -> int:
    """How many 【请补充…】 passages the narrative parts still hold."""
    return sum(str(document.get(k) or "").count(PLACEHOLDER_OPEN) for k in rm.NARRATIVE_KEYS)


def _draft_mark(canvas, doc) -> None:
    """A draft (passages still to write) says so on every page: 草稿
    across the page in light red, and a line above the text."""
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.85, 0.1, 0.1))
    canvas.setFont(doc.report_font, 10.5)
    canvas.drawString(_layout.MARGIN_LEFT, A4[1] - _layout.MARGIN_TOP + 14,
                      f"草稿：文中尚有{doc.report_draft}处“【请补充…】”未填写，定稿前不得印发或公开")
    canvas.setFillAlpha(0.2)
    canvas.setFont(doc.report_font, 150)
    canvas.translate(A4[0] / 2, A4[1] / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, -50, DRAFT_MARK)
    canvas.restoreState()


def _decorate(canvas, doc) -> None:
    _page_number(canvas, doc)
    if getattr(doc, "report_draft", 0):
        _draft_mark(canvas, doc)


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
            body = _paragraphs(document.get(texts[i], ""), styles.body, styles.fonts.kai or None,
                               styles.kai_scale)
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
        doc.report_font = styles.fonts.song or styles.fonts.body  # page numbers: 4号宋体
        doc.report_draft = placeholders(document)
        doc.build(story(document, styles), onFirstPage=_decorate, onLaterPages=_decorate)
    return styles.fonts.warning

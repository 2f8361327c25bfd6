"""The annual report as a Word document (python-docx), for agencies that
pass it through Word or WPS before publishing: same title, sections and
tables with the same merged cells as the PDF."""

from __future__ import annotations

import os

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..domain import report_model as rm
from ..storage.atomic import atomic_path
from .report_layout import LABEL, Grid, section2_grid, section3_grid, section4_grid

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"
TABLE_FONT = "宋体"


def _set_font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), name)


def _paragraph(doc, text: str, font: str, size: float, *, align=None, indent: bool = True,
               bold: bool = False, space_after: float = 0):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after = Pt(space_after)
    fmt.line_spacing = Pt(size * 1.75)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    _set_font(p.add_run(text), font, size, bold)
    return p


def grid_docx_table(doc, grid: Grid, width_mm: float = 160):
    """Add a Word table for a layout grid, merging the same cells."""
    table = doc.add_table(rows=grid.rows, cols=grid.cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = sum(grid.widths)
    widths = [Mm(w * width_mm / total) for w in grid.widths]
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            cell.width = widths[i]
    for c in grid.cells:
        cell = table.cell(c.row, c.col)
        if c.rowspan > 1 or c.colspan > 1:
            cell = cell.merge(table.cell(c.row + c.rowspan - 1, c.col + c.colspan - 1))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT if c.role == LABEL else WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        if c.text:
            _set_font(p.add_run(c.text), TABLE_FONT, 9)
    # header rows repeat on each page
    for r in range(grid.header_rows):
        trpr = table.rows[r]._tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    return table


def build_docx(document: dict):
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(28), Mm(25)
    _add_page_number(section)

    title = document.get("title") or rm.report_title(document.get("agency", ""), document["year"])
    _paragraph(doc, title, TITLE_FONT, 18, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
               bold=True, space_after=12)
    for line in (document.get("preamble") or "").splitlines():
        if line.strip():
            _paragraph(doc, line.strip(), BODY_FONT, 12)
    texts = {0: "section1", 4: "section5", 5: "section6"}
    tables = {1: section2_grid, 2: section3_grid, 3: section4_grid}
    for i, heading in enumerate(rm.SECTION_TITLES):
        h = _paragraph(doc, heading, HEADING_FONT, 14, space_after=4)
        h.paragraph_format.keep_with_next = True
        if i in texts:
            for line in (document.get(texts[i]) or "").splitlines():
                if line.strip():
                    _paragraph(doc, line.strip(), BODY_FONT, 12)
        else:
            grid_docx_table(doc, tables[i](document))
            doc.add_paragraph()
    return doc


def _add_page_number(section) -> None:
    """A centred ``— PAGE —`` field in the footer."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(p.add_run("— "), TABLE_FONT, 11)
    run = p.add_run()
    _set_font(run, TABLE_FONT, 11)
    for tag, attrs in (("w:fldChar", {qn("w:fldCharType"): "begin"}),
                       ("w:instrText", {}),
                       ("w:fldChar", {qn("w:fldCharType"): "end"})):
        el = run._element.makeelement(qn(tag), attrs)
        if tag == "w:instrText":
            el.set(qn("xml:space"), "preserve")
            el.text = "PAGE"
        run._element.append(el)
    _set_font(p.add_run(" —"), TABLE_FONT, 11)


def write_report_docx(document: dict, path: str | os.PathLike) -> None:
    doc = build_docx(document)
    with atomic_path(path) as tmp:
        doc.save(str(tmp))

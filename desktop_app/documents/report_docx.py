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
from ..files.atomic import atomic_path
from ..domain.report_layout import LABEL, Grid, section2_grid, section3_grid, section4_grid

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"
TABLE_FONT = "宋体"
BODY_SIZE = 16  # 三号


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
    fmt.line_spacing = Pt(28.95) if size == BODY_SIZE else Pt(size * 1.5)
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
    # fixed layout with the grid's column widths (Word, WPS and LibreOffice
    # read w:tblGrid; each cell's w:tcW must agree)
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.makeelement(qn("w:tblLayout"), {qn("w:type"): "fixed"})
    tbl_pr.append(layout)
    # narrow cell margins (default 1.9 mm a side leaves a 10 mm number
    # column one character wide)
    margins = tbl_pr.makeelement(qn("w:tblCellMar"), {})
    for side, twips in (("top", 0), ("left", 45), ("bottom", 0), ("right", 45)):
        margins.append(margins.makeelement(qn(f"w:{side}"), {qn("w:w"): str(twips), qn("w:type"): "dxa"}))
    tbl_pr.append(margins)
    for i, col in enumerate(table.columns):
        col.width = widths[i]
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
    # keep the table on one page when it fits (as the PDF does): every row
    # keeps with the next and no row splits
    for r, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:cantSplit"), {qn("w:val"): "true"}))
        trpr.append(trpr.makeelement(qn("w:trHeight"), {qn("w:val"): "300", qn("w:hRule"): "atLeast"}))
        if r < len(table.rows) - 1:
            for cell in row.cells:
                for p in cell.paragraphs:
                    p.paragraph_format.keep_with_next = True
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
    # GB/T 9704: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    _add_page_number(section)

    title = document.get("title") or rm.report_title(document.get("agency", ""), document["year"])
    agency = document.get("agency") or ""
    lines = [agency, title[len(agency):]] if agency and title.startswith(agency) and len(title) > 24 else [title]
    for k, line in enumerate(lines):
        _paragraph(doc, line, TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
                   bold=True, space_after=16 if k == len(lines) - 1 else 0)
    for line in (document.get("preamble") or "").splitlines():
        if line.strip():
            _paragraph(doc, line.strip(), BODY_FONT, BODY_SIZE)
    texts = {0: "section1", 4: "section5", 5: "section6"}
    tables = {1: section2_grid, 2: section3_grid, 3: section4_grid}
    for i, heading in enumerate(rm.SECTION_TITLES):
        h = _paragraph(doc, heading, HEADING_FONT, BODY_SIZE)
        h.paragraph_format.keep_with_next = True
        if i == 2:
            # the section 三 table takes most of a page: start it on its own
            # page so it is never split (Word and WPS honour this)
            h.paragraph_format.page_break_before = True
        if i in texts:
            for line in (document.get(texts[i]) or "").splitlines():
                if line.strip():
                    _paragraph(doc, line.strip(), BODY_FONT, BODY_SIZE)
        else:
            grid_docx_table(doc, tables[i](document), width_mm=156)
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

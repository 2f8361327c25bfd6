"""The tables of the annual report as a workbook (openpyxl): one sheet per
table, with the merged header cells of the format, borders and numbers
stored as numbers."""

from __future__ import annotations

import os

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ..domain import report_model as rm
from ..files.atomic import atomic_path
from ..domain.report_layout import HEADER, LABEL, NUMBER, Grid, section2_grid, section3_grid, section4_grid

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
FONT = "宋体"


def _number(text: str):
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        return float(text)


def write_grid(ws, grid: Grid, top: int = 3) -> None:
    """Write a layout grid into a sheet from row ``top`` (1-based)."""
    for i, w in enumerate(grid.widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(6.0, w * 0.75)
    for r in range(grid.rows):
        for c in range(grid.cols):
            ws.cell(top + r, c + 1).border = _BORDER
    for cell in grid.cells:
        target = ws.cell(top + cell.row, cell.col + 1)
        target.value = _number(cell.text) if cell.role == NUMBER else cell.text
        target.font = Font(name=FONT, size=10, bold=cell.role == HEADER)
        target.alignment = Alignment(horizontal="left" if cell.role == LABEL else "center",
                                     vertical="center", wrap_text=True)
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(start_row=top + cell.row, start_column=cell.col + 1,
                           end_row=top + cell.row + cell.rowspan - 1,
                           end_column=cell.col + cell.colspan)


def build_workbook(document: dict) -> Workbook:
    wb = Workbook()
    sheets = [
        ("二、主动公开", rm.SECTION_TITLES[1], section2_grid),
        ("三、依申请公开", rm.SECTION_TITLES[2], section3_grid),
        ("四、复议诉讼", rm.SECTION_TITLES[3], section4_grid),
    ]
    title = document.get("title") or rm.report_title(document.get("agency", ""), document["year"])
    for i, (name, heading, make) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        grid = make(document)
        ws.cell(1, 1, title).font = Font(name=FONT, size=14, bold=True)
        ws.cell(2, 1, heading).font = Font(name=FONT, size=12, bold=True)
        write_grid(ws, grid)
        if name.startswith("三"):
            for r in range(4, 3 + grid.rows):
                ws.row_dimensions[r].height = 24
            ws.row_dimensions[3].height = 30
        ws.freeze_panes = ws.cell(3 + grid.header_rows, 1)
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if name.startswith("四") else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToHeight = 0
    return wb


def write_report_xlsx(document: dict, path: str | os.PathLike) -> None:
    wb = build_workbook(document)
    with atomic_path(path) as tmp:
        wb.save(str(tmp))

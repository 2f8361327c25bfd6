"""The tables of the annual report as a workbook (openpyxl): one sheet per
table, with the merged header cells of the format, borders and numbers
stored as numbers."""

from __future__ import annotations

import math
import os
import unicodedata

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


FONT_SIZE = 10
LINE_HEIGHT = FONT_SIZE * 1.35  # points per line of 10 pt text in a row
ROW_PADDING = 4                 # points above and below the text of a row


def text_units(text: str) -> float:
    """Width of ``text`` in Excel's column units (one unit: a digit of the
    default font); a Chinese character takes two at 11 pt, scaled to
    the sheet's font size."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return (2 * wide + (len(text) - wide)) * FONT_SIZE / 11


def wrapped_lines(text: str, width_units: float) -> int:
    """Lines ``text`` takes in a cell ``width_units`` wide (Excel keeps
    about one unit for the cell's margins)."""
    room = max(width_units - 1, 1)
    return sum(max(1, math.ceil(text_units(part) / room)) for part in str(text).split("\n"))


def _row_heights(grid: Grid, widths: list[float]) -> list[float]:
    """Each grid row's height in points, tall enough for the wrapped text
    of every cell (a cell merged over rows shares its height out)."""
    heights = [LINE_HEIGHT + 2 * ROW_PADDING] * grid.rows
    for cell in sorted(grid.cells, key=lambda c: c.rowspan):
        width = sum(widths[cell.col:cell.col + cell.colspan])
        need = wrapped_lines(cell.text, width) * LINE_HEIGHT + 2 * ROW_PADDING
        rows = range(cell.row, cell.row + cell.rowspan)
        have = sum(heights[r] for r in rows)
        if need > have:
            for r in rows:
                heights[r] += (need - have) / cell.rowspan
    return heights


def write_grid(ws, grid: Grid, top: int = 3) -> None:
    """Write a layout grid into a sheet from row ``top`` (1-based); rows
    are as tall as their wrapped text (Excel never fits merged cells
    by itself, and WPS keeps whatever height the file says)."""
    widths = [max(6.0, w * 0.75) for w in grid.widths]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for r, h in enumerate(_row_heights(grid, widths)):
        ws.row_dimensions[top + r].height = round(h, 1)
    for r in range(grid.rows):
        for c in range(grid.cols):
            ws.cell(top + r, c + 1).border = _BORDER
    for cell in grid.cells:
        target = ws.cell(top + cell.row, cell.col + 1)
        target.value = _number(cell.text) if cell.role == NUMBER else cell.text
        target.font = Font(name=FONT, size=FONT_SIZE, bold=cell.role == HEADER)
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
        ws.freeze_panes = ws.cell(3 + grid.header_rows, 1)
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if name.startswith("四") else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToHeight = 0
    detail = document.get("section2_detail")
    if detail:
        _write_section2_detail(wb.create_sheet("二、明细"), title, detail)
    return wb


DETAIL_HEADERS = ["信息内容", "统计项", "数字", "来源", "索引号", "信息名称", "文号", "制发日期", "废止日期"]


def _write_section2_detail(ws, title: str, detail: list) -> None:
    """Section 二's drill-down: each figure with the documents it counts or
    the source it was typed from."""
    ws.cell(1, 1, title).font = Font(name=FONT, size=14, bold=True)
    ws.cell(2, 1, "二、主动公开政府信息情况：各项数字的来源和计入的文件").font = Font(name=FONT, size=12, bold=True)
    for c, h in enumerate(DETAIL_HEADERS, start=1):
        ws.cell(3, c, h).font = Font(name=FONT, bold=True)
    row = 4
    for entry in detail:
        first = [entry["label"], entry["column"], entry["value"], entry["source"]]
        rows = entry["items"] or [["", "", "", "", ""]]
        for i, item in enumerate(rows):
            for c, v in enumerate((first if i == 0 else ["", "", None, ""]) + list(item), start=1):
                if v not in (None, ""):
                    ws.cell(row, c, v).font = Font(name=FONT)
            row += 1
    for c, width in enumerate([16, 14, 8, 24, 22, 40, 20, 12, 12], start=1):
        ws.column_dimensions[ws.cell(3, c).column_letter].width = width
    ws.freeze_panes = "A4"


def write_report_xlsx(document: dict, path: str | os.PathLike) -> None:
    wb = build_workbook(document)
    with atomic_path(path) as tmp:
        wb.save(str(tmp))

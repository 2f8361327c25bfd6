"""The three tables of the annual report as grids of merged cells, drawn
exactly as the national format (国办公开办函〔2021〕30号) prints them.  The
PDF, DOCX and XLSX exports and the report page all render these grids, so
the merged cells are the same everywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import catalog
from . import report_model as rm
from . import report_stats as rs

HEADER = "header"
LABEL = "label"
NUMBER = "number"


@dataclass
class Cell:
    row: int
    col: int
    text: str
    role: str = NUMBER  # header | label | number
    rowspan: int = 1
    colspan: int = 1
    #: Drill-down target: ("section3", row_key, column_code),
    #: ("section4", kind, column_code) or ("section2", field_code); None
    #: for header and label cells.
    ref: tuple[str, ...] | None = None


@dataclass
class Grid:
    rows: int
    cols: int
    cells: list[Cell] = field(default_factory=list)
    #: relative column widths (millimetres on A4 portrait, 160 mm in all)
    widths: list[float] = field(default_factory=list)
    header_rows: int = 0

    def add(self, *args: Any, **kwargs: Any) -> Cell:
        cell = Cell(*args, **kwargs)
        self.cells.append(cell)
        return cell

    def spans(self) -> list[tuple[int, int, int, int]]:
        return [(c.row, c.col, c.rowspan, c.colspan) for c in self.cells if c.rowspan > 1 or c.colspan > 1]

    def text_at(self, row: int, col: int) -> str:
        for c in self.cells:
            if c.row == row and c.col == col:
                return c.text
        return ""


def format_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return rm.format_amount(v)
    return str(v)


# --- Section 二 -----------------------------------------------------------------


def section2_grid(document: dict[str, Any]) -> Grid:
    rows = document["section2"]
    n = sum(2 + len(b.rows) for b in rs.SECTION2_BLOCKS)
    g = Grid(n, 4, widths=[52, 36, 36, 36])
    r = 0
    i = 0
    for block in rs.SECTION2_BLOCKS:
        g.add(r, 0, block.heading, HEADER, colspan=4)
        r += 1
        g.add(r, 0, block.headers[0], HEADER)
        if len(block.headers) == 4:
            for k, h in enumerate(block.headers[1:], start=1):
                g.add(r, k, h, HEADER)
        else:
            g.add(r, 1, block.headers[1], HEADER, colspan=3)
        r += 1
        for label, fields in block.rows:
            values = list(rows[i]["values"].values())
            i += 1
            g.add(r, 0, label, LABEL)
            if len(values) == 3:
                for k, (v, code) in enumerate(zip(values, fields), start=1):
                    g.add(r, k, format_value(v), ref=("section2", code))
            else:
                g.add(r, 1, format_value(values[0]), colspan=3, ref=("section2", fields[0]))
            r += 1
    return g


# --- Section 三 ------------------------------------------------------------------

SECTION3_WIDTHS = [15, 25, 50] + [10] * 7


def _printed_rows() -> list[rs.Row]:
    """Rows that carry numbers in the printed table (categories with
    numbered reasons print only as a merged label beside them)."""
    return [r for r in rs.SECTION3_ROWS
            if r.key != "results" and not (r.kind == "category" and r.key in catalog.OUTCOMES
                                           and catalog.OUTCOMES[r.key].reasons)]


def section3_grid(document: dict[str, Any]) -> Grid:
    values = {row["label"]: row["values"] for row in document["section3"]}
    printed = _printed_rows()
    g = Grid(3 + len(printed), 10, widths=list(SECTION3_WIDTHS), header_rows=3)
    g.add(0, 0, rs.IDENTITY_NOTE, HEADER, rowspan=3, colspan=3)
    g.add(0, 3, "申请人情况", HEADER, colspan=7)
    g.add(1, 3, "自然人", HEADER, rowspan=2)
    g.add(1, 4, "法人或其他组织", HEADER, colspan=5)
    g.add(1, 9, "总计", HEADER, rowspan=2)
    for k, (_code, label) in enumerate(catalog.REPORT_COLUMNS[1:]):
        g.add(2, 4 + k, label, HEADER)
    first_result: int | None = None
    r = 3
    category_start: dict[str, int] = {}
    for row in printed:
        if row.kind == "item":
            g.add(r, 0, row.label, LABEL, colspan=3)
        elif row.kind == "category":  # （一）（二）（七）
            if first_result is None:
                first_result = r
            g.add(r, 1, row.label, LABEL, colspan=2)
        else:  # a numbered reason
            if first_result is None:
                first_result = r
            assert row.parent is not None  # a numbered reason belongs to its category
            if row.parent not in category_start:
                category_start[row.parent] = r
                n = len(catalog.OUTCOMES[row.parent].reasons)
                g.add(r, 1, rs.SECTION3_ROW_BY_KEY[row.parent].label, LABEL, rowspan=n)
            g.add(r, 2, row.label, LABEL)
        for k, code in enumerate(rs.COLUMN_CODES):
            g.add(r, 3 + k, format_value(values[row.label][rs.COLUMN_LABELS[code]]),
                  ref=("section3", row.key, code))
        if row.key == "total":
            assert first_result is not None  # the results come before their total
            g.add(first_result, 0, "三、本年度办理结果", LABEL, rowspan=r - first_result + 1)
        r += 1
    return g


# --- Section 四 ------------------------------------------------------------------


def section4_grid(document: dict[str, Any]) -> Grid:
    g = Grid(4, 15, widths=[160 / 15] * 15, header_rows=3)
    g.add(0, 0, "行政复议", HEADER, rowspan=2, colspan=5)
    g.add(0, 5, "行政诉讼", HEADER, colspan=10)
    g.add(1, 5, "未经复议直接起诉", HEADER, colspan=5)
    g.add(1, 10, "复议后起诉", HEADER, colspan=5)
    for k, (kind, row) in enumerate(zip(rs.CASE_KINDS, document["section4"])):
        for j, code in enumerate(rs.SECTION4_COLUMNS):
            label = rs.SECTION4_COLUMN_LABELS[code]
            g.add(2, 5 * k + j, label, HEADER)
            g.add(3, 5 * k + j, format_value(row["values"][label]), ref=("section4", kind, code))
    return g

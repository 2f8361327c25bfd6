"""Exporting the register as a ledger file, and the import template.

The export holds the import format's columns (plus the optional extra
columns of the application form), so it re-imports unchanged.  XLSX
dates are real date cells; CSV is UTF-8 with BOM so Excel opens it.
Every file is written atomically (temporary file, then rename), and every
text cell that a spreadsheet would run as a formula is neutralised with a
leading ``'`` (undone by the importer).
"""

from __future__ import annotations

import csv
import datetime as _dt
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..domain import catalog
from ..domain.privacy import mask_record
from ..domain.records import Application
from ..files.atomic import atomic_open, atomic_path
from .columns import EXPORT_COLUMNS, STANDARD_COLUMNS, Column, neutralise, record_to_cells
from .importer import TEMPLATE_MARK
from .reader import LedgerFileError

SHEET_TITLE = "申请台账"
HELP_SHEET_TITLE = "填写说明"


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return "xlsx"
    if suffix == ".csv":
        return "csv"
    raise LedgerFileError(f"不支持导出为“{suffix or '无扩展名'}”格式，请使用 .xlsx 或 .csv 作为文件扩展名。")


#: Control characters no spreadsheet cell may hold (XLSX forbids them and
#: the importer refuses them); tab and line breaks are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _cells(record: Mapping[str, Any], columns: list[Column]) -> list:
    """Exported cells: control characters (which the register may hold
    from an old paste) dropped, formula-like text neutralised."""
    out = []
    for c in record_to_cells(record, columns):
        if isinstance(c, str):
            c = neutralise(_CONTROL.sub("", c))
        out.append(c)
    return out


def _write_csv(path: Path, header: list[str], rows: Iterable[list]) -> None:
    with atomic_open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if c is None else c.isoformat() if isinstance(c, _dt.date) else c
                             for c in row])


def _write_xlsx(path: Path, header: list[str], rows: Iterable[list], columns: list[Column], *,
                required_marks: bool = False, help_sheet: bool = False,
                validations: bool = False, title: str = SHEET_TITLE) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    for i, col in enumerate(columns):
        letter = _column_letter(i)
        ws.column_dimensions[letter].width = col.width
        if col.field in ("id_number", "phone", "serial", "fax", "postcode"):
            ws.column_dimensions[letter].number_format = "@"
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    red = Font(bold=True, color="C00000")
    fill = PatternFill("solid", fgColor="DDEBF7")
    head = []
    for text, col in zip(header, columns):
        cell = WriteOnlyCell(ws, value=text)
        cell.font = red if (required_marks and col.required) else bold
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        head.append(cell)
    if validations:
        _add_validations(ws, columns)
    ws.append(head)
    n = 0
    for row in rows:
        out = []
        for value, _col in zip(row, columns):
            if isinstance(value, _dt.date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "yyyy-mm-dd"
                out.append(cell)
            elif isinstance(value, str) and value:
                # A plain string: neutralised, so it cannot start with "="
                # and openpyxl writes it as text, never as a formula.
                out.append(value)
            else:
                out.append(None)
        ws.append(out)
        n += 1
    ws.auto_filter.ref = f"A1:{_column_letter(len(columns) - 1)}{n + 1}"
    if help_sheet:
        _write_help_sheet(wb, columns)
    with atomic_path(path) as tmp:
        wb.save(tmp)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _add_validations(ws, columns: list[Column]) -> None:
    """Drop-down lists for the columns with a fixed vocabulary."""
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = {
        "channel": list(catalog.CHANNELS.values()),
        "applicant_type": ["自然人", *catalog.ORG_KINDS.values()],
        "outcome": list(catalog.OUTCOME_SHORT_LABELS.values()),
    }
    for i, col in enumerate(columns):
        values = lists.get(col.field)
        if not values:
            continue
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                            showErrorMessage=False)
        dv.promptTitle = col.header
        dv.prompt = "请从下拉列表中选择"
        dv.showInputMessage = True
        letter = _column_letter(i)
        dv.add(f"{letter}2:{letter}5000")
        ws.data_validations.append(dv)


def _help_rows(columns: list[Column]) -> list[list[str]]:
    rows = []
    for col in columns:
        rows.append([col.header, "必填" if col.required else ("选填" if col.standard else "选填（扩展列）"),
                     col.help, col.allowed])
    rows.append(["", "", "", ""])
    rows.append(["办理结果及结果细项", "", "结果细项可带或不带序号填写，如“4.保护第三方合法权益”或“保护第三方合法权益”。", ""])
    for outcome in catalog.OUTCOMES.values():
        reasons = "；".join(f"{i}.{r}" for i, r in enumerate(outcome.reasons, 1)) or "（无细项，留空）"
        rows.append([catalog.OUTCOME_SHORT_LABELS[outcome.code], "", outcome.row_label, reasons])
    rows.append(["", "", "", ""])
    for line in [
        "1. 表头上方可以有标题行，列的顺序不限；带*的列必须有（也认得常见写法，如受理日期、收件日期、申请人姓名、"
        "身份证号、申请公开内容、答复时间、答复结果）。表头分两行（如“申请人信息”下分“姓名”“身份证号”）也可以。",
        "2. 导入时逐行检查。缺收到日期、日期无效、缺申请人或申请内容、答复日期早于收到日期、申请编号重复的行是错误："
        "有任何一行错误都不会导入任何数据，并列出每个错误行的行号和原因；改正后重新导入即可。",
        "3. 证件号码校验位不对、电话或邮编格式不对、申请方式或办理结果无法识别的行，照原样导入并标为“待核实”，"
        "导入后可在台账中筛选“待核实”逐件核对；年度报告导出前的检查也会列出它们。",
        "4. 申请编号按原样保留（如 望政依申〔2025〕3号、YSQ2025001）。填写了已存在的申请编号的行，会更新该申请而不会"
        "重复登记；同一文件重复导入不会产生变化。只是1、2、3行序号的“序号”列会被忽略。",
        "5. 没有申请编号的行，若收到日期、申请人和申请内容与已有申请完全相同，视为同一申请；否则按“设置 → 机关信息 → "
        "申请编号格式”和收到年份自动编号。",
        "6. 空白单元格不会清除程序中已有的内容；如需清空某项，请在程序中编辑该申请。合计行、表尾的“制表人”等行自动忽略。",
        "7. 合并单元格（如几件申请共用一个收到日期）对所合并的每一行都有效；每年一个工作表的，可以一次全部导入。",
        "8. 证件号码、联系电话请设置为“文本”格式，以免 Excel 把长号码变成科学计数而丢失位数。",
        "9. 可保存为 Excel 工作簿（.xlsx）、Excel 97-2003 工作簿（.xls），或 CSV（UTF-8 或 GBK 编码均可）；WPS 保存的同样可以。",
    ]:
        rows.append([line, "", "", ""])
    return rows


def _write_help_sheet(wb, columns: list[Column]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.create_sheet(HELP_SHEET_TITLE)
    for letter, width in zip("ABCD", (20, 14, 60, 70)):
        ws.column_dimensions[letter].width = width
    head = []
    for text in ("列名", "是否必填", "说明", "可填写的值"):
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        head.append(cell)
    ws.append(head)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in _help_rows(columns):
        cells = []
        for value in row:
            cell = WriteOnlyCell(ws, value=neutralise(value))
            cell.alignment = wrap
            cells.append(cell)
        ws.append(cells)


class ExportCancelled(Exception):
    """The clerk cancelled; no file was written (an existing one is kept)."""


def export_ledger(applications: Iterable[Application], total: int, path: str | os.PathLike[str], *,
                  mask: bool = False, columns: list[Column] | None = None,
                  progress: Callable[[int, int], object] | None = None) -> int:
    """Write ``applications`` (``total`` of them, for the progress) to
    ``path`` (.xlsx or .csv by extension); ``mask`` hides ID numbers and
    phones (for sharing).  Returns the number written.
    ``progress(done, total)`` returning ``False`` cancels
    (:class:`ExportCancelled`)."""
    path = Path(path)
    fmt = _format(path)
    columns = columns or EXPORT_COLUMNS
    header = [c.header for c in columns]
    count = 0

    def rows() -> Iterator[list]:
        nonlocal count
        for app in applications:
            record: dict[str, Any] = {**app.values(), "review": app.review_text}
            if mask:
                record = mask_record(record)
            count += 1
            if progress and count % 500 == 0 and progress(count, total) is False:
                raise ExportCancelled()  # the temporary file is removed; no file is left
            yield _cells(record, columns)

    if fmt == "csv":
        _write_csv(path, header, rows())
    else:
        _write_xlsx(path, header, rows(), columns)
    if progress:
        progress(count, total)
    return count


#: The example row of the template (fictional; a valid ID number).
TEMPLATE_EXAMPLE = {
    "serial": "",
    "receipt_date": "2026-03-05",
    "channel": "online",
    "applicant_type": "natural_person",
    "applicant_name": "张某某",
    "id_number": "11010519491231002X",
    "phone": "13812345678",
    "address": "某某市某某区某某路1号",
    "email": "zhang@example.com",
    "info_description": "2025年本区老旧小区改造项目的立项批复文件",
    "reply_date": "2026-03-20",
    "outcome": "withheld",
    "outcome_reason": 4,
    "notes": TEMPLATE_MARK,
}


def write_template(path) -> None:
    """The import template: headers (required ones marked ``*``), one
    example row and, in .xlsx, a 填写说明 sheet and drop-down lists."""
    path = Path(path)
    fmt = _format(path)
    columns = STANDARD_COLUMNS
    header = [c.header + ("*" if c.required else "") for c in columns]
    rows = [_cells(TEMPLATE_EXAMPLE, columns)]
    if fmt == "csv":
        _write_csv(path, header, rows)
    else:
        _write_xlsx(path, header, rows, columns, required_marks=True, help_sheet=True, validations=True)

"""Reading a ledger file (CSV or XLSX) into rows of cells, with the row
numbers the clerk sees in Excel (the header is row 1).

CSV files may be UTF-8 (with or without BOM), GBK/GB18030 (what Excel on
a Chinese Windows PC writes with “CSV（逗号分隔）”) or UTF-16 (Excel's
“Unicode 文本”); the delimiter (comma, semicolon or tab) is detected.
XLSX files are read with openpyxl in read-only mode (the first sheet that
holds the ledger's headers).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .columns import BY_HEADER, REQUIRED_HEADERS, normalise_header

#: How far down a header row is looked for (a title row may sit above it).
HEADER_SEARCH_ROWS = 5


class LedgerFileError(Exception):
    """The file as a whole cannot be read; the message is for the clerk."""


@dataclass
class Table:
    """Header cells and data rows (``(row_number, cells)``)."""

    headers: list[str]
    header_row: int
    rows: list[tuple[int, list]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def detect_encoding(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        raise LedgerFileError(
            "无法识别文件的文字编码（既不是 UTF-8，也不是 GBK/GB18030）。"
            "请在 Excel 中打开后“另存为”Excel 工作簿（.xlsx）或“CSV UTF-8（逗号分隔）”再导入。") from None


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "，")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_csv(path: Path) -> list[list]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LedgerFileError(f"无法读取文件“{path}”：{exc.strerror or exc}。") from None
    if not data.strip():
        raise LedgerFileError("文件是空的，没有表头和数据。请使用导入模板填写后再导入。")
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    if text.count("\x00") > max(16, len(text) // 100):
        raise LedgerFileError("文件含有大量空字符（\\0），不是 CSV 文本文件。请从 Excel 另存为 .xlsx 或 CSV 后再导入。")
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""),
                        delimiter=_sniff_delimiter(first_line))
    rows: list[list] = []
    try:
        for cells in reader:
            rows.append(cells)
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise LedgerFileError(
                f"CSV 文件第{len(rows) + 1}行有单元格内容过长（超过{csv.field_size_limit()}字），"
                "可能是引号不成对导致多行连成了一格。请检查该行后重新导入。") from None
        raise LedgerFileError(f"CSV 文件第{len(rows) + 1}行格式有误（{exc}），请检查引号是否成对。") from None
    return rows


def read_xlsx(path: Path) -> list[list]:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a declared dependency
        raise LedgerFileError("缺少读取 Excel 文件所需的组件 openpyxl，请重新安装本程序。") from None
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise LedgerFileError(
            f"无法作为 Excel 工作簿读取“{path.name}”（{type(exc).__name__}）。文件可能已损坏或不是 .xlsx 格式；"
            "请在 Excel 中打开后另存为 .xlsx 再导入。") from None
    except Exception as exc:  # openpyxl raises assorted errors on malformed XML
        raise LedgerFileError(
            f"无法读取 Excel 文件“{path.name}”：{exc}。请在 Excel 中打开后另存为 .xlsx 再导入。") from None
    try:
        chosen = None
        for ws in wb.worksheets:
            rows = []
            try:
                for cells in ws.iter_rows(values_only=True):
                    rows.append(list(cells))
            except Exception as exc:
                raise LedgerFileError(
                    f"读取工作表“{ws.title}”时出错：{exc}。请在 Excel 中打开后另存为 .xlsx 再导入。") from None
            if chosen is None:
                chosen = rows
            if _find_header(rows) is not None:
                return rows
            if ws.title == "填写说明":
                continue
        return chosen or []
    finally:
        wb.close()


def _find_header(rows: list[list]) -> int | None:
    required = set(REQUIRED_HEADERS)
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {normalise_header(c) for c in cells}
        if required <= names:
            return i
    return None


def _blank(cells: list) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def read_table(path) -> Table:
    """Read the file and locate its header row; raise
    :class:`LedgerFileError` when the file or its headers are unusable."""
    path = Path(path)
    if not path.exists():
        raise LedgerFileError(f"文件“{path}”不存在，请检查路径。")
    if path.is_dir():
        raise LedgerFileError(f"“{path}”是一个文件夹，请选择 .xlsx 或 .csv 文件。")
    suffix = path.suffix.lower()
    try:
        with open(path, "rb") as fh:
            magic = fh.read(8)
    except OSError as exc:
        raise LedgerFileError(f"无法读取文件“{path}”：{exc.strerror or exc}。") from None
    if suffix == ".xls" or magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise LedgerFileError("不支持旧版 Excel 97-2003 格式（.xls）或设置了打开密码的 Excel 文件。"
                              "请在 Excel 中取消密码，并“另存为”Excel 工作簿（.xlsx）后再导入。")
    if magic.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm"):
        rows = read_xlsx(path)
    elif suffix in (".csv", ".txt", ".tsv", ""):
        rows = read_csv(path)
    else:
        raise LedgerFileError(f"不支持“{suffix}”格式的文件，请选择 .xlsx 或 .csv 文件。")

    if not rows or all(_blank(r) for r in rows):
        raise LedgerFileError("文件是空的，没有表头和数据。请使用导入模板填写后再导入。")
    header_index = _find_header(rows)
    if header_index is None:
        first = next(i for i, r in enumerate(rows) if not _blank(r))
        names = {normalise_header(c) for c in rows[first]}
        missing = [h for h in REQUIRED_HEADERS if h not in names]
        raise LedgerFileError(
            f"第{first + 1}行的表头缺少必填列：{'、'.join(missing)}。"
            "表头应包含：申请编号、收到日期*、申请方式、申请人类型*、申请人*、证件号码、联系电话、通信地址、"
            "电子邮箱、申请内容*、答复日期、办理结果、结果细项、备注（*为必填列，顺序不限）。"
            "可下载导入模板对照填写。")
    headers = [normalise_header(c) for c in rows[header_index]]
    table = Table(headers=headers, header_row=header_index + 1)
    seen: dict[str, int] = {}
    for i, h in enumerate(headers):
        if not h:
            continue
        if h in seen and h in BY_HEADER:
            raise LedgerFileError(f"表头中“{h}”出现了两次（第{seen[h] + 1}列和第{i + 1}列），请删除其中一列。")
        seen[h] = i
    unknown = [h for h in headers if h and h not in BY_HEADER]
    if unknown:
        table.warnings.append(f"以下列不属于台账格式，已忽略：{'、'.join(dict.fromkeys(unknown))}。")
    for offset, cells in enumerate(rows[header_index + 1:], start=header_index + 2):
        if not _blank(cells):
            table.rows.append((offset, cells))
    return table

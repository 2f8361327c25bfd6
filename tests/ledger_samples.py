"""Ledgers built the way agencies build them (issue 10): a title row, synonym
headers, a row counter, blank rows, merged cells, a total row and a footer,
two yearly sheets; written as .xlsx (openpyxl), .xls (xlwt, as Excel 97-2003
and WPS save them) and GBK CSV.  Also hostile archives for the reader limits
(issue 11).  And the expected side of the tests of the .xlsx reader against
openpyxl's own reading."""

from __future__ import annotations

import csv
import datetime as dt
import struct
import zlib
from pathlib import Path

from desktop_app.domain.validation import resident_id_check_char

HEADERS = ["序号", "受理编号", "收件日期", "申请人姓名", "身份证号", "联系电话", "申请公开内容", "申请方式",
           "答复时间", "答复结果", "经办人"]


def good_id(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


def bad_id(first17: str) -> str:
    good = resident_id_check_char(first17)
    return first17 + ("1" if good != "1" else "2")


NAMES = {2024: ["张伟", "王芳", "李娜", "刘洋"], 2025: ["陈静", "杨磊", "赵敏", "黄勇"]}


def name_of(year: int, i: int) -> str:
    return NAMES.get(year, NAMES[2025])[i - 1]


def yearly_rows(year: int, numbering, n: int = 4) -> list[list]:
    """Data rows of one year; ``numbering(year, i)`` gives the agency's serial
    (None: the ledger has none).  Row 2 carries a wrong ID check digit and
    row 3 a ten-digit phone (old mistakes: imported, flagged 待核实)."""
    rows = []
    for i in range(1, n + 1):
        rows.append([
            i, numbering(year, i) if numbering else None,
            f"{year}.3.{i + 4}" if i % 2 else dt.datetime(year, 3, i + 4),
            name_of(year, i), good_id(f"11010519800101{i:03d}") if i != 2 else bad_id("11010519800101002"),
            "13812345678" if i != 3 else "1381234567",
            f"{year}年第{i}项政府信息", "网上申请" if i != 4 else "微信",
            f"{year}-4-{i + 1}", "同意公开" if i != 4 else "已答复", "王某",
        ])
    return rows


NUMBERINGS = {
    "望政依申〔2025〕N号": lambda y, i: f"望政依申〔{y}〕{i}号",
    "依申请2025-00N": lambda y, i: f"依申请{y}-{i:03d}",
    "YSQ2025001": lambda y, i: f"YSQ{y}{i:03d}",
    "25-N": lambda y, i: f"{y % 100}-{i}",
    "none": None,
}


def sheet_rows(year: int, numbering) -> list[list]:
    """Everything on one yearly sheet, from the title to the footer."""
    rows = [[f"望城区人民政府办公室{year}年依申请公开政府信息登记台账"], [], HEADERS]
    data = yearly_rows(year, numbering)
    rows.append(data[0])
    rows.append([])  # a blank row between applications
    rows += data[1:]
    rows.append(["合计", None, f"{len(data)}件"])
    rows.append(["制表人：王某    审核人：李某"])
    return rows


def write_xlsx(path: Path, numbering, years=(2024, 2025), merged_date=True) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for year in years:
        ws = wb.create_sheet(f"{year}年")
        for row in sheet_rows(year, numbering):
            ws.append(row)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
        if merged_date:
            # rows 6 and 7 (two applications received the same day) share one merged date cell
            ws.cell(7, 3).value = None
            ws.merge_cells(start_row=6, start_column=3, end_row=7, end_column=3)
    notes = wb.create_sheet("填写说明")
    notes.append(["本台账由办公室政务公开科维护"])
    wb.save(path)
    return path


def write_xls(path: Path, numbering, years=(2024, 2025), merged_date=True) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for year in years:
        sh = book.add_sheet(f"{year}年")
        rows = sheet_rows(year, numbering)
        merge_value = None
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None or (r == 0 and c == 0):
                    continue
                if merged_date and r in (5, 6) and c == 2:
                    if r == 5:
                        merge_value = v
                    continue
                if isinstance(v, dt.datetime):
                    sh.write(r, c, v, date_style)
                else:
                    sh.write(r, c, v)
        sh.write_merge(0, 0, 0, len(HEADERS) - 1, rows[0][0])
        if merged_date:
            style = date_style if isinstance(merge_value, dt.datetime) else xlwt.Style.default_style
            sh.write_merge(5, 6, 2, 2, merge_value, style)
    book.add_sheet("填写说明").write(0, 0, "本台账由办公室政务公开科维护")
    book.save(str(path))
    return path


def write_gbk_csv(path: Path, numbering, year=2025) -> Path:
    rows = sheet_rows(year, numbering)
    with open(path, "w", encoding="gbk", newline="") as fh:
        w = csv.writer(fh)
        for row in rows:
            w.writerow(["" if v is None else (v.strftime("%Y年%m月%d日") if isinstance(v, dt.datetime) else v)
                        for v in row])
    return path


# --- hostile archives (issue 11) -------------------------------------------------------------


def _raw_deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def bomb_stream(prefix: bytes, filler: bytes, repeat: int, suffix: bytes) -> tuple[bytes, int, int]:
    """A raw deflate stream of ``prefix + filler * repeat + suffix`` built
    without inflating it (each segment compressed once from a fresh state
    and repeated): (compressed, uncompressed size, crc32)."""
    def segment(data: bytes) -> bytes:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)

    head, body = segment(prefix), segment(filler)
    tail_c = zlib.compressobj(9, zlib.DEFLATED, -15)
    tail = tail_c.compress(suffix) + tail_c.flush()
    crc = zlib.crc32(prefix)
    for _ in range(repeat):
        crc = zlib.crc32(filler, crc)
    crc = zlib.crc32(suffix, crc)
    size = len(prefix) + len(filler) * repeat + len(suffix)
    return head + body * repeat + tail, size, crc


def write_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> Path:
    """Write a zip of already-deflated members ``(name, data, size, crc)``
    (sizes below 4 GB)."""
    out = bytearray()
    central = bytearray()
    for name, data, size, crc in members:
        offset = len(out)
        raw = name.encode()
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(raw), 0)
        out += raw + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size,
                               len(raw), 0, 0, 0, 0, 0, offset)
        central += raw
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def members_of(xlsx: Path) -> list[tuple[str, bytes, int, int]]:
    """The members of a real .xlsx, deflated again (to be mixed with bombs)."""
    import zipfile

    out = []
    with zipfile.ZipFile(xlsx) as zf:
        for info in zf.infolist():
            data = zf.read(info.filename)
            out.append((info.filename, _raw_deflate(data), len(data), zlib.crc32(data)))
    return out


def small_xlsx(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["收到日期", "申请人类型", "申请人", "申请内容"])
    ws.append(["2025-03-05", "自然人", "张三", "征地补偿方案"])
    wb.save(path)
    return path


def with_part(base: Path, path: Path, name: str, data_or_stream) -> Path:
    """``base`` with the member ``name`` replaced (or added): bytes, or a
    ``(compressed, size, crc)`` stream from :func:`bomb_stream`."""
    members = [m for m in members_of(base) if m[0] != name]
    if isinstance(data_or_stream, bytes):
        data = data_or_stream
        entry = (name, _raw_deflate(data), len(data), zlib.crc32(data))
    else:
        compressed, size, crc = data_or_stream
        entry = (name, compressed, size, crc)
    return write_zip(path, members + [entry])


# --- the .xlsx reader against openpyxl's own reading ---------------------------------------
# The expected side of tests/ledger/test_xlsx_differential.py and
# test_inline_strings.py: openpyxl's values, normalised as the reader
# documents (written out here on their own, not taken from the reader).


def normalise(value):
    if isinstance(value, str):
        return value or None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and abs(value) > 2 ** 53:
        return int(float(value))
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def expected_sheets(path: Path, merged: list | None = None) -> list[tuple[str, bool, list, list]]:
    """(title, hidden, rows, merges) of each sheet as openpyxl reads them;
    the merged ranges openpyxl's full reading gives, or ``merged``."""
    import openpyxl

    values_book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    if merged is None:
        merged = [sorted((r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges)
                  for ws in openpyxl.load_workbook(path).worksheets]
    sheets = []
    try:
        for ws, merges in zip(values_book.worksheets, merged):
            rows = []
            for number, row in enumerate(ws.iter_rows(min_row=1, min_col=1), 1):
                values = [None if getattr(c, "data_type", None) == "e" else normalise(c.value) for c in row]
                while values and values[-1] is None:
                    values.pop()
                if values and not blank(values):
                    rows.append((number, values))
            sheets.append((ws.title, ws.sheet_state != "visible", rows, merges))
    finally:
        values_book.close()
    return sheets


def actual_sheets(path: Path) -> list[tuple[str, bool, list, list]]:
    """The same, as the reader gives them."""
    from desktop_app.ledger.reader import read_workbook

    book = read_workbook(path)
    assert not any(s.cut_columns for s in book.sheets)
    return [(s.name, s.hidden, s.rows, sorted(s.merges)) for s in book.sheets]


NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def with_sheet(tmp_path: Path, sheet_xml: str, sst: str | None = None, styles: str | None = None) -> Path:
    """A workbook written by openpyxl, its first sheet (and shared strings,
    styles) replaced."""
    import zipfile

    import openpyxl

    src = tmp_path / "base.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "台账"
    wb.save(src)
    dst = tmp_path / "book.xlsx"
    parts = {"xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet {NS}>{sheet_xml}</worksheet>'}
    if sst is not None:
        parts["xl/sharedStrings.xml"] = f'<?xml version="1.0"?><sst {NS}>{sst}</sst>'
    if styles is not None:
        parts["xl/styles.xml"] = styles
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml" and sst is not None:
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            zout.writestr(info.filename, parts.pop(info.filename, data))
        for name, data in parts.items():
            zout.writestr(name, data)
    return dst


def as_excel_writes(src: Path, dst: Path) -> Path:
    """``src`` (written by openpyxl, every text an inline string) with every
    text moved to a shared-strings part, each distinct text once, as Excel
    and WPS write them."""
    import re
    import zipfile

    inline_cell = re.compile(r'<c ([^>]*?)t="inlineStr"([^>]*)><is>(.*?)</is></c>', re.S)
    entries: dict[str, int] = {}

    def shared(match) -> str:
        index = entries.setdefault(match.group(3), len(entries))
        return f'<c {match.group(1)}t="s"{match.group(2)}><v>{index}</v></c>'

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = inline_cell.sub(shared, data.decode()).encode()
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            zout.writestr(info.filename, data)
        sst = "".join(f"<si>{inner}</si>" for inner in entries)
        zout.writestr("xl/sharedStrings.xml",
                      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                      '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                      f'count="{len(entries)}" uniqueCount="{len(entries)}">{sst}</sst>')
    return dst

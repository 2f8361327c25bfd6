"""The 主动公开 catalogue as a spreadsheet: an agency's existing catalogue
or its website's export (Excel or CSV, its own headers, its own 索引号)
read into item rows, and the register written back as 政府信息公开目录.

The file is read by the ledger's reader (size limits, encodings, merged
cells, .xls/.xlsx/.csv) and cells convert with the ledger's converters
(dates as agencies write them, formula neutralisation undone); only the
columns and their synonym headers are the catalogue's own.  Plain Python.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain import proactive as pr
from ..domain.items import ItemRecord
from .columns import IGNORE, CellError, Column, cell_date, cell_text, clean_header, neutralise
from .exporter import _write_csv, _write_xlsx
from .reader import LedgerFileError, read_workbook

SHEET_TITLE = "政府信息公开目录"
HEADER_SEARCH_ROWS = 10

COLUMNS: list[Column] = [
    Column("索引号", "index_no", width=22),
    Column("信息名称", "title", True, width=40),
    Column("文号", "doc_number", width=20),
    Column("发布机构", "issuer", width=18),
    Column("生成日期", "formed_on", width=12),
    Column("公开日期", "published_on", width=12),
    Column("内容概述", "summary", width=40),
    Column("公开渠道", "channels", width=16),
    Column("公开属性", "attribute", width=10),
    Column("不公开理由", "attribute_reason", width=20),
    Column("条例第二十条事项", "art20", width=14),
    Column("主题分类", "topic", width=12),
    Column("类别", "kind", width=12),
    Column("生效日期", "effective_on", width=12),
    Column("废止日期", "repealed_on", width=12),
    Column("有效性", "validity", width=10, exported=True),
]
BY_HEADER = {c.header: c for c in COLUMNS}
DATE_FIELDS = {"formed_on", "published_on", "effective_on", "repealed_on"}
#: Headers websites and older catalogues use, best first.
SYNONYMS: dict[str, list[str]] = {
    "索引号": ["索引", "索 引 号", "信息索引号", "索引编号"],
    "信息名称": ["名称", "标题", "文件名称", "信息标题", "文件标题", "政府信息名称", "题名"],
    "文号": ["发文字号", "发文文号", "文件编号", "文件字号", "字号"],
    "发布机构": ["发文机关", "发布单位", "发文单位", "制发机关", "主办单位", "信息来源", "来源", "生成机构"],
    "生成日期": ["成文日期", "形成日期", "制发日期", "印发日期", "发文日期", "形成或者变更日期", "产生日期", "生成时间"],
    "公开日期": ["发布日期", "发布时间", "公开时间", "发文时间", "上网日期"],
    "内容概述": ["内容摘要", "摘要", "主要内容", "内容简介", "概述", "内容描述"],
    "公开渠道": ["公开方式", "发布渠道", "公开途径", "公开形式", "载体"],
    "公开属性": ["公开方式属性", "公开类型", "属性"],
    "不公开理由": ["不予公开理由", "理由", "依申请公开理由"],
    "条例第二十条事项": ["第二十条事项", "条例事项", "公开事项类别", "事项类别"],
    "主题分类": ["主题", "主题词", "分类", "信息分类", "公开目录分类"],
    "类别": ["文件类别", "文种", "信息类别", "文件类型"],
    "生效日期": ["施行日期", "实施日期", "生效时间"],
    "废止日期": ["失效日期", "废止时间"],
    "有效性": ["效力", "时效性", "效力状态"],
}
_ALIASES = {clean_header(s): h for h, syns in SYNONYMS.items() for s in syns} | {h: h for h in BY_HEADER}
REQUIRED = ("信息名称",)
#: Vocabulary the importer accepts for 类别.
KIND_WORDS = {"规章": "rule", "政府规章": "rule", "部门规章": "rule", "行政规范性文件": "normative",
              "规范性文件": "normative", "政策解读": "interpretation", "解读": "interpretation",
              "其他": "other", "其他文件": "other"}


@dataclass
class CatalogueRow:
    number: int                 # row number as the spreadsheet shows it
    values: dict[str, Any]      # field -> cell value (text, dates as ISO)
    problems: dict[str, str] = field(default_factory=dict)


@dataclass
class Catalogue:
    path: Path
    sheet: str
    headers: dict[str, str]     # our header -> the file's header
    rows: list[CatalogueRow]
    notes: list[str]


def _header_of(text: Any, mapping: dict[str, str]) -> str | None:
    t = clean_header(text)
    if t in mapping:
        return None if mapping[t] == IGNORE else mapping[t]
    return _ALIASES.get(t) or _ALIASES.get(t.split("（")[0].split("(")[0])


def check_mapping(mapping: dict[str, str] | None) -> dict[str, str]:
    """``{file header: our header or 忽略}`` folded and checked."""
    out: dict[str, str] = {}
    for file_header, ours in (mapping or {}).items():
        target = clean_header(ours)
        if target != IGNORE and target not in BY_HEADER:
            target = _ALIASES.get(target, "")
        if not target:
            raise LedgerFileError(f"“{ours}”不是目录的列名。可用的列名：{'、'.join(BY_HEADER)}，或“{IGNORE}”。")
        out[clean_header(file_header)] = target
    return out


def read_catalogue(path: str | os.PathLike[str], mapping: dict[str, str] | None = None) -> Catalogue:
    """The first sheet of ``path`` with a catalogue header (信息名称 or a
    synonym within the first rows; ``mapping`` names the columns the app
    does not know: ``{"稿件标题": "信息名称"}``); :class:`LedgerFileError`
    with a Chinese message when there is none."""
    mapping = check_mapping(mapping)
    workbook = read_workbook(path)
    for sheet in workbook.sheets:
        for n, (_row_no, cells) in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            found: dict[int, str] = {}
            for i, c in enumerate(cells):
                h = _header_of(c, mapping)
                if h and h not in found.values():
                    found[i] = h
            if not all(r in found.values() for r in REQUIRED) or len(found) < 2:
                continue
            notes = []
            unknown = [clean_header(c) for i, c in enumerate(cells)
                       if i not in found and clean_header(c) and mapping.get(clean_header(c)) != IGNORE]
            if unknown:
                notes.append(f"未能识别的列已忽略：{'、'.join(unknown)}。")
            headers = {h: clean_header(cells[i]) for i, h in found.items()}
            rows = [_row(rn, rc, found) for rn, rc in sheet.rows[n + 1:] if any(_filled(v) for v in rc)]
            return Catalogue(Path(path), sheet.name, headers, rows, notes)
    raise LedgerFileError(
        "文件中找不到主动公开目录的表头（前10行中没有“信息名称”或“标题”“文件名称”等列名）。"
        f"目录应包含：{'、'.join(c.header for c in COLUMNS[:8])}等列（顺序不限，只有“信息名称”必填），"
        "可先从本程序导出一份目录对照填写；表头写法不同的，可指定对应关系（命令行：--map “稿件标题=信息名称”）。")


def _filled(v: Any) -> bool:
    return v is not None and not (isinstance(v, str) and not v.strip())


def _row(number: int, cells: Sequence[Any], columns: dict[int, str]) -> CatalogueRow:
    row = CatalogueRow(number, {})
    for i, header in columns.items():
        column = BY_HEADER[header]
        value = cells[i] if i < len(cells) else None
        try:
            if column.field in DATE_FIELDS:
                row.values[column.field] = cell_date(value)
            elif column.field == "validity":
                continue  # follows from the dates
            else:
                text = cell_text(value, column)
                if column.field == "kind" and text:
                    text = KIND_WORDS.get(text, text)
                row.values[column.field] = text
        except CellError as exc:
            row.problems[column.field] = f"“{header}”{exc}"
    return row


def _cell(record: ItemRecord, column: Column, today: _dt.date) -> Any:
    from ..domain.items import validity

    f = column.field
    if f == "validity":
        return validity(record, today) or None
    value = getattr(record, f)
    if f in DATE_FIELDS:
        return _dt.date.fromisoformat(value) if value else None
    if f == "channels":
        return record.channel_labels or None
    if f == "attribute":
        return record.attribute_label
    if f == "art20":
        return pr.art20_label(value) if value else None
    if f == "kind":
        return record.kind_label
    return neutralise(str(value)) if value not in (None, "") else None


def write_catalogue(records: Iterable[ItemRecord], path: str | os.PathLike[str], *,
                    today: _dt.date | None = None) -> int:
    """The register as a spreadsheet (.xlsx or .csv) that re-imports
    unchanged; returns the number of rows written."""
    path = Path(path)
    today = today or _dt.date.today()
    rows = [[_cell(r, c, today) for c in COLUMNS] for r in records]
    header = [c.header for c in COLUMNS]
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        _write_xlsx(path, header, rows, COLUMNS, title=SHEET_TITLE)
    elif suffix == ".csv":
        _write_csv(path, header, rows)
    else:
        raise LedgerFileError(f"不支持导出为“{suffix or '无扩展名'}”格式，目录请导出为 .xlsx、.csv 或 .pdf。")
    return len(rows)

"""Section 二 figures from other systems as a spreadsheet: one row per
month (or per year, month left blank or 全年) with the decisions and fees
of that period and their source.  Read with the ledger's reader and cell
converters; plain Python."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from .columns import CellError, Column, cell_text, clean_header
from .reader import LedgerFileError, read_workbook

#: Field -> header and its synonyms.
HEADERS: dict[str, list[str]] = {
    "year": ["年份", "年度", "年"],
    "month": ["月份", "月"],
    "licensing_decisions": ["行政许可", "行政许可决定", "许可决定数", "许可"],
    "penalty_decisions": ["行政处罚", "行政处罚决定", "处罚决定数", "处罚"],
    "enforcement_decisions": ["行政强制", "行政强制决定", "强制决定数", "强制"],
    "fees_amount": ["行政事业性收费", "收费金额", "收费金额（万元）", "收费金额(万元)", "收费（万元）", "收费"],
    "source": ["来源", "数据来源", "统计来源"],
}
_ALIASES = {clean_header(h): f for f, hs in HEADERS.items() for h in hs}
_TEXT = Column("figure", "figure")


@dataclass
class FigureRow:
    number: int
    year: Any
    month: Any
    values: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    problems: list[str] = field(default_factory=list)


def read_figures(path: str | os.PathLike[str]) -> list[FigureRow]:
    workbook = read_workbook(path)
    for sheet in workbook.sheets:
        for n, (_row_no, cells) in enumerate(sheet.rows[:10]):
            found = {i: _ALIASES[clean_header(c)] for i, c in enumerate(cells) if clean_header(c) in _ALIASES}
            if "year" not in found.values() or len(set(found.values()) - {"year", "month", "source"}) < 1:
                continue
            out = []
            for row_no, row in sheet.rows[n + 1:]:
                fr = FigureRow(row_no, None, None)
                for i, f in found.items():
                    try:
                        text = cell_text(row[i] if i < len(row) else None, _TEXT)
                    except CellError as exc:
                        fr.problems.append(str(exc))
                        continue
                    if f == "year":
                        fr.year = text
                    elif f == "month":
                        fr.month = text
                    elif f == "source":
                        fr.source = text or ""
                    elif text is not None:
                        fr.values[f] = text
                if fr.year is None and not fr.values:
                    continue
                out.append(fr)
            return out
    raise LedgerFileError("文件中找不到第二部分数字的表头（前10行中应有“年份”和“行政许可”“行政处罚”“行政强制”“收费金额”"
                          "中的至少一列，可另有“月份”“来源”列）。")

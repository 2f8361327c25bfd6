"""Finding the ledger in a sheet as agencies make them: title rows above
the header, a header of one or two rows (merged group headings such as
申请人信息 over 姓名 | 身份证号), synonym headers (受理日期 for 收到日期),
a 序号 column that is only a row counter, merged cells over several rows
(one date for three applications), total and footer rows, blank rows.

The result, :class:`SheetLayout`, says which file column feeds which of
our columns, which data rows there are (merged values filled in) and what
was left out and why.  Plain Python: used by the importer, the CLI's
error messages and the GUI's mapping step alike.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field

from .columns import (
    BY_HEADER, IGNORE, MAYBE_COUNTER_HEADERS, Column, clean_header, header_canonical,
)
from .reader import LedgerFileError, Sheet, Workbook

#: How far down (non-blank rows) a header row is looked for.
HEADER_SEARCH_ROWS = 10
#: Required columns without which a sheet is not a ledger; 申请人类型 may
#: be missing (it is then inferred from the ID number and name).
ESSENTIAL_HEADERS = ("收到日期", "申请人", "申请内容")

_TOTAL = re.compile(r"^(合计|总计|小计|共计|累计|总数|合\s*计|总\s*计)")
_FOOTER = re.compile(r"^(制表|填表|审核|审批|负责人|单位负责人|分管领导|经办人|联系人|注[:：]|备注[:：]|说明[:：]|"
                     r"填报|报送|签字|盖章|日期[:：])")
_SEPARATOR = re.compile(r"^(\d{4}年)?\d{1,2}月(份)?$|^(\d{4}年)?第[一二三四1-4]季度$|^(\d{4}年)?(上|下)半年$")
_YEAR_IN = re.compile(r"(20\d{2}|19\d{2})\s*年?")
#: Sheets that accompany a ledger (the template's 填写说明, a summary…).
AUX_SHEET = re.compile(r"说明|帮助|指南|统计|汇总|目录|字典|下拉|选项|参数|设置|图表")


@dataclass
class ColumnUse:
    index: int             # 0-based column of the file
    header: str            # as written (folded)
    column: Column | None  # what it feeds, None when left out
    why: str = ""          # why it is left out


@dataclass
class SheetLayout:
    name: str
    header_rows: tuple[int, ...] = ()
    uses: list[ColumnUse] = field(default_factory=list)
    rows: list[tuple[int, list]] = field(default_factory=list)
    #: Rows left out: (row number, why)
    ignored_rows: list[tuple[int, str]] = field(default_factory=list)
    #: Notes about the sheet (columns left out…)
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    #: The year the sheet is named or titled after (for dates written 3月5日)
    year: int | None = None
    hidden: bool = False
    score: int = 0
    #: our headers found among the file's
    found: frozenset = frozenset()
    #: non-blank rows on the sheet (whatever they hold)
    row_count: int = 0

    @property
    def columns(self) -> list[tuple[int, Column]]:
        return [(u.index, u.column) for u in self.uses if u.column is not None]

    @property
    def headers(self) -> list[str]:
        """Our header for each file column (empty for one left out)."""
        width = max((u.index for u in self.uses), default=-1) + 1
        out = [""] * width
        for u in self.uses:
            if u.column is not None:
                out[u.index] = u.column.header
        return out

    @property
    def is_ledger(self) -> bool:
        return bool(self.header_rows) and not self.missing

    @property
    def looks_like_ledger(self) -> bool:
        """A header was found (even if a required column is still missing):
        two of our columns, one of them essential, on a sheet not named as
        an aid (填写说明, 统计…)."""
        return (bool(self.header_rows) and self.score >= 2 and bool(self.found & set(ESSENTIAL_HEADERS))
                and not AUX_SHEET.search(self.name))

    def unmatched_headers(self) -> list[str]:
        return [u.header for u in self.uses if u.column is None and u.header and not u.why.startswith("与")]

    def header_signature(self) -> str:
        return "|".join(u.header for u in sorted(self.uses, key=lambda u: u.index))


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return unicodedata.normalize("NFKC", str(v)).strip()


def _cell(cells: list, i: int):
    return cells[i] if i < len(cells) else None


def _target(header: str, mapping: dict[str, str] | None) -> tuple[str, int, bool]:
    """(canonical header or "", rank, explicitly mapped)."""
    if mapping:
        key = clean_header(header)
        if key in mapping:
            target = mapping[key]
            if not target or target == IGNORE:
                return "", 99, True
            return target, -1, True
    canonical, rank = header_canonical(header)
    return canonical, rank, False


def _score(cells: list, mapping) -> int:
    found = set()
    for v in cells:
        canonical, _rank, _explicit = _target(_text(v), mapping)
        if canonical:
            found.add(canonical)
    return len(found)


def _merged_value_map(sheet: Sheet) -> dict[tuple[int, int], tuple[int, int]]:
    """(row, col) → the top-left (row, col) of the merged range it is in."""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for r1, c1, r2, c2 in sheet.merges:
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 200_000:
            continue
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    out[(r, c)] = (r1, c1)
    return out


def analyse_sheet(sheet: Sheet, mapping: dict[str, str] | None = None) -> SheetLayout:
    """Find the header and the data rows of one sheet."""
    return _SheetReading(sheet, mapping).layout()


class _SheetReading:
    """One sheet read for its layout: the header (of one or two rows), the
    column uses, the data rows (merged values filled in) and what was left
    out.  Each step is a method; :meth:`layout` runs them in order."""

    def __init__(self, sheet: Sheet, mapping: dict[str, str] | None) -> None:
        self.sheet = sheet
        self.mapping = mapping
        self.rows = sheet.rows
        self.by_number = {n: cells for n, cells in self.rows}
        self.merged = _merged_value_map(sheet) if sheet.merges else {}
        self.result = SheetLayout(sheet.name, hidden=sheet.hidden, row_count=len(sheet.rows))

    def value_at(self, r: int, c: int):
        """The value of a cell, or of the merged range it belongs to."""
        v = _cell(self.by_number.get(r, []), c - 1)
        if (v is None or _text(v) == "") and (r, c) in self.merged:
            r0, c0 = self.merged[(r, c)]
            v = _cell(self.by_number.get(r0, []), c0 - 1)
        return v

    def layout(self) -> SheetLayout:
        layout = self.result
        named = _YEAR_IN.search(self.sheet.name)
        if named:
            layout.year = int(named.group(1))
        if not self.rows:
            return layout
        best = self._header_position()
        if best is None:
            layout.missing = list(ESSENTIAL_HEADERS)
            return layout
        header_rows, heads, width = self._header(best)
        best_top = next(i for i, (n, _c) in enumerate(self.rows) if n == header_rows[0])
        layout.header_rows = header_rows
        for number, _cells in self.rows[:best_top]:
            layout.ignored_rows.append((number, "表头上方的标题行"))
        if named is None:
            for _number, cells in self.rows[:best_top]:
                ym = _YEAR_IN.search(" ".join(_text(c) for c in cells))
                if ym:
                    layout.year = int(ym.group(1))
                    break
        chosen = self._choose_columns(heads)
        layout.score = max(layout.score, len(chosen))
        columns = [(u.index, u.column) for u in layout.uses if u.column is not None]
        for number, cells in self._data_rows(header_rows[-1], width):
            why = _ignored_row(cells, columns, heads)
            if why:
                layout.ignored_rows.append((number, why))
            else:
                layout.rows.append((number, cells))
        self._drop_row_counter(chosen)
        layout.missing = [h for h in ESSENTIAL_HEADERS if h not in chosen]
        layout.found = frozenset(chosen)
        left_out = [u for u in layout.uses if u.column is None and u.header]
        if left_out:
            layout.notes += [f"“{u.header}”列（第{u.index + 1}列）{u.why}，已忽略。" for u in left_out]
        if self.sheet.cut_columns:
            layout.notes.append(f"第{200}列以后的内容不属于台账，已忽略。")
        return layout

    def _header_position(self) -> int | None:
        """The header: the row (of the first few) that names most of our
        columns; failing that the likeliest header row (most text cells),
        so that the clerk can say which column is which.  None when no row
        looks like a header at all."""
        best, best_score = None, 0
        for pos, (_number, cells) in enumerate(self.rows[:HEADER_SEARCH_ROWS]):
            score = _score(cells, self.mapping)
            if score > best_score:
                best, best_score = pos, score
        self.result.score = best_score
        if best is not None and best_score >= 2:
            return best
        texts = [sum(1 for v in cells if isinstance(v, str) and v.strip())
                 for _n, cells in self.rows[:HEADER_SEARCH_ROWS]]
        if max(texts) < 2:
            return None
        return texts.index(max(texts))

    def _header(self, best: int) -> tuple[tuple[int, ...], list[str], int]:
        """(header row numbers, the header of each column, width).  A header
        may take two rows: group headings (申请人信息, 办理情况) over the
        columns' own names (姓名 | 身份证号, 办结时间 | 处理结果)."""
        rows, mapping = self.rows, self.mapping
        width = max(len(c) for _n, c in rows[max(0, best - 1):best + 2])
        header_rows: tuple[int, ...] = (rows[best][0],)
        heads = [_text(self.value_at(rows[best][0], c + 1)) for c in range(width)]
        best_score = _score(heads, mapping)
        for top_pos in (best - 1, best):
            if top_pos < 0 or top_pos + 1 >= len(rows) or rows[top_pos + 1][0] != rows[top_pos][0] + 1:
                continue
            top_number, sub_number = rows[top_pos][0], rows[top_pos + 1][0]
            top = [_text(self.value_at(top_number, c + 1)) for c in range(width)]
            sub_cells = rows[top_pos + 1][1]
            sub = [_text(_cell(sub_cells, c)) if (sub_number, c + 1) not in self.merged else ""
                   for c in range(width)]
            combined = [s if s and _target(s, mapping)[0] else (t or s) for t, s in zip(top, sub)]
            score = _score(combined, mapping)
            if _score(sub, mapping) >= 1 and score > best_score and score > _score(top, mapping) \
                    and not any(_looks_like_data(v) for v in sub_cells):
                header_rows, heads, best_score = (top_number, sub_number), combined, score
        return header_rows, heads, width

    def _choose_columns(self, heads: list[str]) -> dict[str, tuple[int, int]]:
        """Which file column feeds which of our columns; sets the layout's
        uses and returns canonical header → (rank, index)."""
        chosen: dict[str, tuple[int, int]] = {}
        uses: list[ColumnUse] = []
        for index, head in enumerate(heads):
            canonical, rank, explicit = _target(head, self.mapping)
            use = ColumnUse(index, head, None)
            uses.append(use)
            if not canonical:
                if head:
                    use.why = "已按设定忽略" if explicit else "不属于台账格式"
                continue
            if canonical not in BY_HEADER:
                use.why = f"“{canonical}”不是台账的列"
                continue
            if canonical in chosen:
                prev_rank, prev_index = chosen[canonical]
                if prev_rank == rank and not explicit:
                    raise LedgerFileError(
                        f"工作表“{self.sheet.name}”的表头中“{canonical}”出现了两次（第{prev_index + 1}列"
                        f"“{heads[prev_index]}”和第{index + 1}列“{head}”），请删除其中一列，或指定各列的对应关系。")
                if rank < prev_rank:
                    uses[prev_index].column = None
                    uses[prev_index].why = f"与第{index + 1}列“{head}”都可作为{canonical}，已采用后者"
                else:
                    use.why = f"与第{prev_index + 1}列“{heads[prev_index]}”都可作为{canonical}，已采用前者"
                    continue
            chosen[canonical] = (rank, index)
            use.column = BY_HEADER[canonical]
        self.result.uses = uses
        return chosen

    def _data_rows(self, last_header: int, width: int) -> list[tuple[int, list]]:
        """The rows below the header, with merged values filled in (a date
        merged over three applications applies to each of them)."""
        data = []
        for number, cells in self.rows:
            if number <= last_header:
                continue
            if self.merged:
                cells = list(cells)
                for index in range(max(len(cells), width)):
                    if (number, index + 1) in self.merged and \
                            (_cell(cells, index) is None or _text(_cell(cells, index)) == ""):
                        while len(cells) <= index:
                            cells.append(None)
                        cells[index] = self.value_at(number, index + 1)
            data.append((number, cells))
        return data

    def _drop_row_counter(self, chosen: dict[str, tuple[int, int]]) -> None:
        """A 序号 column that only counts rows is not the agency's numbering."""
        for use in self.result.uses:
            target, _rank, explicit = _target(use.header, self.mapping)
            if clean_header(use.header) in MAYBE_COUNTER_HEADERS and target == "申请编号" \
                    and explicit is False and _is_counter(self.result.rows, use.index):
                if use.column is not None:
                    chosen.pop("申请编号", None)
                use.column = None
                use.why = "是行序号（1、2、3…），不是申请编号；申请编号将按设定的格式自动生成"


def _looks_like_data(v) -> bool:
    return isinstance(v, (_dt.date, _dt.datetime)) or (isinstance(v, (int, float)) and not isinstance(v, bool)
                                                      and v > 1000)


def _is_counter(data: list[tuple[int, list]], index: int) -> bool:
    values = []
    for _n, cells in data:
        v = _cell(cells, index)
        t = _text(v)
        if not t:
            continue
        if isinstance(v, bool):
            return False
        if isinstance(v, (int, float)) and float(v).is_integer():
            values.append(int(v))
        elif t.isdigit() and len(t) <= 5:
            values.append(int(t))
        else:
            return False
    if not values or max(values) > 99_999:
        return False
    steps = sum(1 for a, b in zip(values, values[1:]) if b == a + 1)
    return len(values) == 1 and values[0] <= 1 or steps >= 0.8 * (len(values) - 1)


def _ignored_row(cells: list, columns: list[tuple[int, Column]], heads: list[str]) -> str | None:
    texts = [_text(c) for c in cells]
    filled = [t for t in texts if t]
    if not filled:
        return "空行"
    first = next(str(c).strip() for c, t in zip(cells, texts) if t)
    by_field = {col.field: texts[i] if i < len(texts) else "" for i, col in columns}
    if any(_TOTAL.match(t) for t in filled[:3]) and not (by_field.get("applicant_name")
                                                        and by_field.get("info_description")):
        return f"合计行（“{first[:20]}”）"
    if len(filled) <= 2 and _FOOTER.match(filled[0]) and not by_field.get("info_description"):
        return f"表尾说明（“{first[:20]}”）"
    if len(filled) == 1 and _SEPARATOR.match(filled[0]):
        return f"分隔行（“{first}”）"
    if len(filled) >= 3 and sum(1 for t, h in zip(texts, heads) if t and t == h) >= 3:
        return "重复的表头行"
    return None


def analyse(workbook: Workbook, mapping: dict[str, str] | None = None) -> list[SheetLayout]:
    return [analyse_sheet(sheet, mapping) for sheet in workbook.sheets]

"""Reading a ledger file for import: all or nothing, as the agency made it.

This module reads and converts; ``services.ledger`` checks every row
against the register and writes them.

1. The file is read (:mod:`reader`, with limits against hostile files),
   each sheet's header and data rows are found (:mod:`layout`: title
   rows, synonym headers, merged cells, total rows…), and every row is
   converted and checked (the same validation the form uses, plus
   duplicate 申请编号 in the file).
2. Errors make a row unusable (no receipt date, an impossible date, no
   applicant, no content, a reply before the receipt, a duplicate
   number…): any such row → :class:`LedgerImportError` listing every one
   with its row number (as Excel shows it) and reason; nothing is written.
3. Doubtful values that an old ledger carries (a wrong ID check digit, a
   malformed phone, postcode or email, an unknown channel word, an
   outcome that cannot be matched) are warnings: the row is imported with
   the value as written and the application is flagged 待核实 (needs
   review) with the reason.
4. Otherwise every row is written in ONE transaction.

Which application a row belongs to:

* a row with a 申请编号 that exists updates that application (the number
  is the agency's own: any text, kept exactly);
* a row without 申请编号 whose 收到日期, 申请人 and 申请内容 equal those of
  an existing application updates that application (so importing the same
  file twice adds nothing, even for rows the system numbered the first
  time); identical rows without 申请编号 are matched one to one;
* any other row is added (with its 申请编号, or the next number of its
  receipt year in the agency's numbering pattern).

An update changes only the fields whose cells hold a value that differs:
an empty cell never erases what the register already holds (to clear a
field, edit the application in the program), and an application whose
cells all agree is left untouched.  Importing the same file twice
therefore changes nothing.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain import catalog
from ..domain.records import clean_values
from ..domain.validation import FIELD_LABELS
from .columns import (
    BY_HEADER, IGNORE, CellError, Column, clean_header, convert_cell, infer_applicant_type, resolve_reason,
)
from .layout import SheetLayout, analyse_sheet
from .reader import LedgerFileError, Workbook, read_workbook

#: The 备注 of the template's example row: such a row is skipped.
TEMPLATE_MARK = "示例行，导入前请删除"

#: ``progress(stage, done, total)``; stage is ``"read"``, ``"check"``,
#: ``"backup"`` or ``"write"``.
#: Returning ``False`` cancels the import (nothing is written).
ProgressCallback = Callable[[str, int, int], "bool | None"]

#: At most this many bad rows are listed (the count says how many there are).
MAX_LISTED_PROBLEMS = 500
#: Setting that keeps the column mappings the clerk chose, per set of headers.
MAPPINGS_SETTING = "ledger_header_mappings"
#: Fields the extra 待核实 keys stand for in messages.
_FLAG_LABELS = {"note": "待核实", "applicant_type": "申请人类型"}


@dataclass(frozen=True)
class RowProblem:
    """An error (the row is refused) or a warning (the row is imported
    flagged 待核实) of one row."""

    row: int
    reasons: tuple[str, ...]
    sheet: str | None = None
    #: who the row is about (申请编号 or 申请人), for warning lists
    label: str = ""

    @property
    def message(self) -> str:
        return "；".join(r.rstrip("。") for r in self.reasons) + "。"

    @property
    def where(self) -> str:
        place = f"“{self.sheet}”第{self.row}行" if self.sheet else f"第{self.row}行"
        return f"{place}（{self.label}）" if self.label else place

    def text(self) -> str:
        return f"{self.where}：{self.message}"


class LedgerImportError(Exception):
    """The file has bad rows; nothing was imported."""

    def __init__(self, problems: list[RowProblem], total_rows: int = 0, *,
                 review: list[RowProblem] | None = None, ignored: list[str] | None = None):
        self.problems = problems
        self.total_rows = total_rows
        self.review = review or []
        self.ignored = ignored or []
        super().__init__("\n".join(p.text() for p in problems[:20]))


class LedgerMappingNeeded(LedgerFileError):
    """A sheet's required columns cannot be found among its headers: the
    clerk says which header is which (the GUI's mapping step, the CLI's
    ``--map``).  ``preview`` holds the sheets as read."""

    def __init__(self, message: str, preview: LedgerPreview):
        super().__init__(message)
        self.preview = preview


class ImportCancelled(Exception):
    """The clerk cancelled; nothing was imported."""


@dataclass
class ImportOptions:
    #: header as written → our header (or 忽略), e.g. {"受理时间": "收到日期"}
    mapping: dict[str, str] = field(default_factory=dict)
    #: sheets to import by name; None: every sheet that holds a ledger
    sheets: list[str] | None = None
    #: also apply the mappings chosen before for files with the same headers
    remembered: bool = True


def parse_mapping(items) -> dict[str, str]:
    """``["受理日期=收到日期", "经办人=忽略"]`` → a mapping; LedgerFileError
    naming what is wrong."""
    out: dict[str, str] = {}
    for item in items or []:
        header, sep, target = str(item).partition("=")
        header, target = clean_header(header), clean_header(target)
        if not sep or not header:
            raise LedgerFileError(f"对应关系“{item}”的写法不对，应为“文件中的表头=台账列名”，如 受理日期=收到日期。")
        if target and target != IGNORE and target not in BY_HEADER:
            names = "、".join(c.header for c in BY_HEADER.values())
            raise LedgerFileError(f"对应关系“{item}”中的“{target}”不是台账的列。可用的列：{names}；"
                                  f"不导入某列请写“{header}={IGNORE}”。")
        out[header] = target or IGNORE
    return out


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    #: File-level notes (inferred applicant types, published reports…).
    warnings: list[str] = field(default_factory=list)
    added_serials: list[str] = field(default_factory=list)
    updated_serials: list[str] = field(default_factory=list)
    #: Published annual reports whose figures the import changes (warned
    #: about before importing; the import is still allowed).
    published_years: list[int] = field(default_factory=list)
    #: Rows imported (or to be imported) flagged 待核实, with the reasons.
    review: list[RowProblem] = field(default_factory=list)
    #: Rows and columns left out, and why.
    ignored: list[str] = field(default_factory=list)
    #: Sheets imported.
    sheets: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged

    @property
    def flagged(self) -> int:
        return len(self.review)

    def text(self) -> str:
        flagged = f"其中 {self.flagged} 件待核实。" if self.flagged else ""
        return (f"导入完成：共 {self.total} 行，新增 {self.added} 件，更新 {self.updated} 件，"
                f"未变化 {self.unchanged} 件。{flagged}")


@dataclass
class Planned:
    row: int
    record: dict                # fields read from the row (only present columns)
    app_id: int | None = None   # existing application to update
    changes: dict | None = None
    flags: dict = field(default_factory=dict)   # 待核实 reasons the import gives
    sheet: str | None = None
    #: ``clean_values(record)``, once taken (the record is not changed after planning)
    clean: dict | None = None


@dataclass
class LedgerPreview:
    """A file as read: its sheets with their layouts, which of them would
    be imported, and which still need their columns mapped."""

    path: Path
    kind: str
    layouts: list[SheetLayout]
    chosen: list[SheetLayout]
    #: sheets that look like a ledger but miss a required column
    incomplete: list[SheetLayout]
    ignored: list[str] = field(default_factory=list)

    @property
    def needs_mapping(self) -> bool:
        return bool(self.incomplete)


#: Labels of errors the register raises beyond the record's own fields.
_EXTRA_LABELS = {"deadline": "办理期限"}

_NO_ORG_KIND = ("申请人类型只写了“法人或其他组织”，没有写明类别。请在“申请人类型”中直接填写商业企业、"
                "科研机构、社会公益组织、法律服务机构或其他组织（或增加一列“组织类别”）。")


def describe(errors: dict[str, str]) -> tuple[str, ...]:
    if "org_kind" in errors:
        errors = {("applicant_type" if k == "org_kind" else k): (_NO_ORG_KIND if k == "org_kind" else v)
                  for k, v in errors.items()}
    parts = []
    for f, message in errors.items():
        label = FIELD_LABELS.get(f) or _EXTRA_LABELS.get(f) or _FLAG_LABELS.get(f, "")
        parts.append(message if not label or message.startswith(label) else f"{label}：{message}")
    return tuple(parts)


def match_key(record: dict) -> tuple:
    return (record.get("receipt_date"), (record.get("applicant_name") or "").strip(),
            (record.get("info_description") or "").strip())


# --- the file's sheets -----------------------------------------------------------------------


def _layouts(workbook: Workbook, options: ImportOptions,
             remembered: Mapping[str, Mapping[str, str]]) -> list[SheetLayout]:
    layouts = []
    saved = remembered if options.remembered else {}
    for sheet in workbook.sheets:
        layout = analyse_sheet(sheet, options.mapping or None)
        if saved:
            extra = saved.get(layout.header_signature())
            if extra:
                layout = analyse_sheet(sheet, {**extra, **options.mapping})
        layouts.append(layout)
    return layouts


def inspect_ledger(path: str | os.PathLike[str], options: ImportOptions | None = None,
                   remembered: Mapping[str, Mapping[str, str]] | None = None) -> LedgerPreview:
    """Read the file and find its ledger sheets, without checking rows;
    ``remembered``: the column mappings chosen before, by header signature."""
    options = options or ImportOptions()
    workbook = read_workbook(path)
    layouts = _layouts(workbook, options, remembered or {})
    ignored: list[str] = []
    if options.sheets:
        names = [layout.name for layout in layouts]
        unknown = [n for n in options.sheets if n not in names]
        if unknown:
            raise LedgerFileError(f"文件中没有名为“{'、'.join(unknown)}”的工作表。文件中的工作表：{'、'.join(names)}。")
        chosen = [layout for layout in layouts if layout.name in options.sheets]
        incomplete = [layout for layout in chosen if not layout.is_ledger]
    else:
        chosen = [layout for layout in layouts if layout.is_ledger and layout.looks_like_ledger]
        incomplete = [layout for layout in layouts if layout.looks_like_ledger and not layout.is_ledger]
        if not chosen and not incomplete:
            chosen = [layout for layout in layouts if layout.is_ledger][:1]
        if not chosen and not incomplete and layouts:
            # nothing looks like a ledger: the fullest sheet is the one to map
            incomplete = [max(layouts, key=lambda lay: (bool(lay.rows) or bool(lay.header_rows), lay.score))]
    multiple = len(chosen) > 1
    for layout in layouts:
        if layout in chosen:
            continue
        if layout in incomplete:
            continue
        if layout.row_count:
            why = "未选择导入" if options.sheets else "没有台账的表头（不是申请台账）"
            ignored.append(f"工作表“{layout.name}”{why}，已忽略。")
    for layout in chosen:
        place = f"工作表“{layout.name}”" if multiple or len(layouts) > 1 else ""
        for number, why in layout.ignored_rows:
            if why != "空行":
                ignored.append(f"{place}第{number}行：{why}，已忽略。")
        ignored += [f"{place}{note}" for note in layout.notes]
    return LedgerPreview(Path(path), workbook.kind, layouts, chosen, incomplete, ignored)


def mapping_message(layout: SheetLayout, many: bool) -> str:
    place = f"工作表“{layout.name}”" if many else "文件"
    if not layout.header_rows:
        return (f"{place}中找不到台账的表头（前10行中没有“收到日期”“申请人”“申请内容”等列名）。"
                "表头应包含：申请编号、收到日期*、申请方式、申请人类型、申请人*、证件号码、联系电话、通信地址、"
                "电子邮箱、申请内容*、答复日期、办理结果、结果细项、备注（*为必填列，顺序不限，也可用常见的写法，"
                "如受理日期、申请人姓名、申请公开内容）。可下载导入模板对照填写。")
    unmatched = layout.unmatched_headers()
    text = (f"{place}的表头缺少必填列：{'、'.join(layout.missing)}（表头在第"
            f"{'、'.join(str(n) for n in layout.header_rows)}行）。")
    if unmatched:
        text += f"未能识别的表头：{'、'.join(unmatched)}。"
    example = unmatched[0] if unmatched else "表头"
    text += (f"请在导入时指定对应关系（命令行：--map “{example}={layout.missing[0]}”，可重复），"
             "或把表头改为台账的列名。")
    return text


# --- the rows ---------------------------------------------------------------------------------


def row_record(columns: list[tuple[int, Column]], cells: list, year: int | None
                ) -> tuple[dict, dict[str, str], dict[str, str]]:
    """(fields read from the row, 待核实 flags, {field: message} of unusable cells)."""
    record: dict = {}
    flags: dict[str, str] = {}
    problems: dict[str, str] = {}
    for i, column in columns:
        value = cells[i] if i < len(cells) else None
        try:
            convert_cell(column, value, record, flags, default_year=year)
        except CellError as exc:
            problems.setdefault(column.field, str(exc))
    try:
        resolve_reason(record, flags)
    except CellError as exc:
        problems["outcome_reason"] = str(exc)
    return record, flags, problems


def complete_row(record: dict, flags: dict[str, str], notes: defaultdict) -> None:
    """Fill in what an old ledger leaves out: the applicant type (from the
    ID number and name), the ID type, the status of a reply whose outcome
    cannot be matched."""
    if not record.get("applicant_type") and record.get("applicant_name"):
        atype, kind, doubt = infer_applicant_type(record.get("applicant_name"), record.get("id_number"))
        record["applicant_type"], record["org_kind"] = atype, kind
        notes["inferred"] += 1
        if doubt:
            flags["applicant_type"] = doubt
    elif record.get("applicant_type") == catalog.ORGANISATION and not record.get("org_kind"):
        atype, kind, _doubt = infer_applicant_type(record.get("applicant_name"), None)
        if atype == catalog.ORGANISATION:
            record["org_kind"] = kind
    if record.get("reply_date") and not record.get("outcome"):
        record["status"] = "closed"  # answered; the outcome is for the clerk to check (待核实)


def note_flags(note: str | None, flags: dict[str, str]) -> None:
    """The 待核实 column of an exported ledger: reasons not found afresh are kept."""
    if not note:
        return
    known = {r.rstrip("。；") for r in flags.values()}
    labels = sorted(((label, f) for f, label in {**FIELD_LABELS, **_FLAG_LABELS}.items()),
                    key=lambda pair: -len(pair[0]))
    rest = []
    for part in note.split("；"):
        part = part.strip().rstrip("。")
        if not part or part in known:
            continue
        # “申请方式“微信”无法识别…”: the reason of that field, as it was
        field = next((f for label, f in labels if part.startswith(label) and f != "note"), None)
        if field and field not in flags or field in ("channel", "outcome", "outcome_reason"):
            flags[field] = part + "。"
        else:
            rest.append(part + "。")
    if rest:
        flags["note"] = "".join(rest)


def changes_to(existing: Mapping[str, Any], record: Mapping[str, Any]) -> dict[str, Any]:
    """Fields of ``record`` (non-empty) that differ from ``existing``."""
    cleaned = clean_values({k: v for k, v in record.items() if v is not None or k == "outcome_reason"})
    changes = {}
    for key, value in cleaned.items():
        if key == "outcome_reason":
            # follows the outcome: cleared with it, kept when the row says nothing
            if value is None and "outcome" not in cleaned:
                continue
        if existing.get(key) != value:
            changes[key] = value
    if "id_type" in changes and record.get("_id_type_inferred") \
            and existing.get("id_number") == cleaned.get("id_number", existing.get("id_number")):
        changes.pop("id_type")  # inferred type, same number: keep the stored type
    if record.get("_type_inferred") and "applicant_type" in changes:
        changes.pop("applicant_type")  # a guess never overrides the stored type
        changes.pop("org_kind", None)
    if changes.get("applicant_type") == "natural_person" and existing.get("org_kind"):
        changes["org_kind"] = None  # a person has no organisation kind
    if "outcome" in changes and "outcome_reason" not in cleaned and existing.get("outcome_reason"):
        changes["outcome_reason"] = None  # a new outcome without a reason column
    if changes.get("status") == "closed" and existing.get("outcome"):
        changes.pop("status")
    return changes


_OUTCOME_GROUP = {"outcome", "outcome_reason", "reply_date"}


def fields_touched(changes: dict) -> set[str]:
    touched = set(changes)
    if touched & _OUTCOME_GROUP:
        touched |= _OUTCOME_GROUP
    return touched


def row_label(record: dict) -> str:
    return record.get("serial") or record.get("applicant_name") or ""


# --- compatibility -----------------------------------------------------------------------------


@dataclass
class Table:
    """The first ledger sheet of a file: our header of each column, the
    data rows and the notes (what :func:`read_table` returned before)."""

    headers: list[str]
    header_row: int
    rows: list[tuple[int, list]]
    warnings: list[str]


def read_table(path) -> Table:
    """The first ledger sheet of a file (rows left out already dropped)."""
    from .reader import read_workbook as _read

    for sheet in _read(path).sheets:
        layout = analyse_sheet(sheet)
        if layout.is_ledger:
            return Table(layout.headers, layout.header_rows[-1], layout.rows, list(layout.notes))
    raise LedgerFileError("文件中找不到台账的表头（收到日期、申请人、申请内容等列）。")


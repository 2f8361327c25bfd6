"""Importing a ledger file: all or nothing.

1. Every row is read, converted and validated (the same
   :meth:`Register.validate` the form uses, plus duplicate 申请编号 in the
   file).  Every bad row is collected with its row number (as Excel shows
   it: the header is row 1) and the reason in Chinese.
2. Any bad row → :class:`LedgerImportError` and nothing is written.
3. Otherwise every row is written in ONE transaction through the register.

Which application a row belongs to:

* a row with a 申请编号 that exists updates that application;
* a row without 申请编号 whose 收到日期, 申请人 and 申请内容 equal those of
  an existing application updates that application (so importing the same
  file twice adds nothing, even for rows the system numbered the first
  time); identical rows without 申请编号 are matched one to one;
* any other row is added (with its 申请编号, or the next serial of its
  receipt year).

An update changes only the fields whose cells hold a value that differs:
an empty cell never erases what the register already holds (to clear a
field, edit the application in the program), and an application whose
cells all agree is left untouched.  Importing the same file twice
therefore changes nothing.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.validation import FIELD_LABELS
from ..storage import report_store
from ..storage.register import APPLICATION_FIELDS, Register, ValidationError, _clean
from .columns import BY_HEADER, CellError, convert_cell, infer_id_type, resolve_reason, unneutralise
from .reader import LedgerFileError, read_table

#: The 备注 of the template's example row: such a row is skipped.
TEMPLATE_MARK = "示例行，导入前请删除"

#: ``progress(stage, done, total)``; stage is ``"check"``, ``"backup"`` or
#: ``"write"``.
#: Returning ``False`` cancels the import (nothing is written).
ProgressCallback = Callable[[str, int, int], "bool | None"]

#: At most this many bad rows are listed (the count says how many there are).
MAX_LISTED_PROBLEMS = 500


@dataclass(frozen=True)
class RowProblem:
    row: int
    reasons: tuple[str, ...]

    @property
    def message(self) -> str:
        return "；".join(r.rstrip("。") for r in self.reasons) + "。"

    def text(self) -> str:
        return f"第{self.row}行：{self.message}"


class LedgerImportError(Exception):
    """The file has bad rows; nothing was imported."""

    def __init__(self, problems: list[RowProblem], total_rows: int = 0):
        self.problems = problems
        self.total_rows = total_rows
        super().__init__("\n".join(p.text() for p in problems[:20]))


class ImportCancelled(Exception):
    """The clerk cancelled; nothing was imported."""


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    added_serials: list[str] = field(default_factory=list)
    updated_serials: list[str] = field(default_factory=list)
    #: Published annual reports whose figures the import changes (warned
    #: about before importing; the import is still allowed).
    published_years: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged

    def text(self) -> str:
        return (f"导入完成：共 {self.total} 行，新增 {self.added} 件，更新 {self.updated} 件，"
                f"未变化 {self.unchanged} 件。")


@dataclass
class _Planned:
    row: int
    record: dict                # fields read from the row (only present columns)
    app_id: int | None = None   # existing application to update
    changes: dict | None = None


#: Labels of errors the register raises beyond the record's own fields.
_EXTRA_LABELS = {"deadline": "办理期限"}

_NO_ORG_KIND = ("申请人类型只写了“法人或其他组织”，没有写明类别。请在“申请人类型”中直接填写商业企业、"
                "科研机构、社会公益组织、法律服务机构或其他组织（或增加一列“组织类别”）。")


def _describe(errors: dict[str, str]) -> tuple[str, ...]:
    if "org_kind" in errors:
        errors = {("applicant_type" if k == "org_kind" else k): (_NO_ORG_KIND if k == "org_kind" else v)
                  for k, v in errors.items()}
    parts = []
    for f, message in errors.items():
        label = FIELD_LABELS.get(f) or _EXTRA_LABELS.get(f, "")
        parts.append(message if not label or message.startswith(label) else f"{label}：{message}")
    return tuple(parts)


def _match_key(record: dict) -> tuple:
    return (record.get("receipt_date"), (record.get("applicant_name") or "").strip(),
            (record.get("info_description") or "").strip())




def _row_record(headers: list[str], cells: list) -> tuple[dict, dict[str, str]]:
    """(fields read from the row, {field: message} of unreadable cells)."""
    record: dict = {}
    problems: dict[str, str] = {}
    for i, header in enumerate(headers):
        column = BY_HEADER.get(header)
        if column is None:
            continue
        value = cells[i] if i < len(cells) else None
        try:
            convert_cell(column, value, record)
        except CellError as exc:
            problems.setdefault(column.field, str(exc))
    try:
        resolve_reason(record)
    except CellError as exc:
        problems["outcome_reason"] = str(exc)
    return record, problems


def _changes(existing: dict, record: dict) -> dict:
    """Fields of ``record`` (non-empty) that differ from ``existing``."""
    cleaned = _clean({k: v for k, v in record.items() if v is not None or k == "outcome_reason"})
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
    if changes.get("applicant_type") == "natural_person" and existing.get("org_kind"):
        changes["org_kind"] = None  # a person has no organisation kind
    if "outcome" in changes and "outcome_reason" not in cleaned and existing.get("outcome_reason"):
        changes["outcome_reason"] = None  # a new outcome without a reason column
    return changes


def plan_import(register: Register, path, *, today: _dt.date | None = None,
                progress: ProgressCallback | None = None) -> tuple[list[_Planned], list[str]]:
    """Read and validate every row; return the plan and warnings, or
    raise :class:`LedgerImportError` listing every bad row."""
    today = today or _dt.date.today()
    table = read_table(path)
    total = len(table.rows)
    if total == 0:
        raise LedgerFileError("文件只有表头，没有数据行。")
    explicit_id_type = "证件类型" in table.headers
    warnings = list(table.warnings)

    # Existing applications, for matching rows without 申请编号.
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for app in register.iter_applications(
            columns="id, receipt_date, applicant_name, info_description", order_by="id"):
        by_key[_match_key(app)].append(app["id"])
    # Applications a row names by 申请编号 are not matched by content too.
    claimed: set[int] = set()
    if "申请编号" in table.headers:
        col = table.headers.index("申请编号")
        serials = {str(cells[col]).strip() for _, cells in table.rows
                   if col < len(cells) and cells[col] is not None and str(cells[col]).strip()}
        for serial in serials:
            existing = register.find_by_serial(unneutralise(serial))
            if existing is not None:
                claimed.add(existing["id"])

    problems: list[RowProblem] = []
    plan: list[_Planned] = []
    serial_rows: dict[str, int] = {}
    step = max(1, total // 200)
    for n, (row_number, cells) in enumerate(table.rows, start=1):
        if progress and n % step == 0 and progress("check", n, total) is False:
            raise ImportCancelled()
        record, cell_problems = _row_record(table.headers, cells)
        if record.get("notes") == TEMPLATE_MARK:
            warnings.append(f"第{row_number}行是导入模板的示例行，已跳过。")
            continue
        if cell_problems:
            # Say everything wrong with the row at once: the unreadable
            # cells, then what validation finds in the rest.
            rest = {k: v for k, v in record.items() if k not in cell_problems}
            rest.setdefault("applicant_type", "natural_person" if "applicant_type" in cell_problems else None)
            if "outcome" in cell_problems or "outcome_reason" in cell_problems:
                rest.pop("outcome", None)
                rest.pop("outcome_reason", None)
                rest.pop("reply_date", None)
            errors = {k: v for k, v in register.validate(_clean(rest), today=today).items()
                      if k not in cell_problems and k != "org_kind"}
            problems.append(RowProblem(row_number, _describe({**cell_problems, **errors})))
            continue
        if not explicit_id_type or not record.get("id_type"):
            record["id_type"] = infer_id_type(record)
            record["_id_type_inferred"] = True
        item = _Planned(row_number, record)

        serial = record.get("serial")
        if serial:
            if serial in serial_rows:
                problems.append(RowProblem(row_number, (f"申请编号 {serial} 与第{serial_rows[serial]}行重复。"
                                                        "同一申请只能出现一次，请删除重复行或更正编号。",)))
                continue
            serial_rows[serial] = row_number
            existing = register.find_by_serial(serial)
            if existing is not None:
                if existing.get("deleted_at"):
                    problems.append(RowProblem(row_number, (f"申请编号 {serial} 的申请在回收站中。"
                                                            "请先在回收站恢复它，或把此行的申请编号留空。",)))
                    continue
                item.app_id = existing["id"]
        else:
            candidates = [i for i in by_key.get(_match_key(_clean(record)), []) if i not in claimed]
            if candidates:
                item.app_id = candidates[0]
                claimed.add(item.app_id)

        if item.app_id is not None:
            existing = register.get_application(item.app_id)
            item.changes = _changes(existing, record)
            merged = dict(existing)
            merged.update(_clean(item.changes))
            if merged.get("outcome") and merged.get("status") != "closed":
                merged["status"] = "closed"
            errors = register.validate(merged, app_id=item.app_id, today=today)
        else:
            errors = register.validate(_clean(record), today=today)
        if errors:
            problems.append(RowProblem(row_number, _describe(errors)))
            continue
        plan.append(item)

    if progress:
        progress("check", total, total)
    if problems:
        raise LedgerImportError(problems, total)
    return plan, warnings


def _serial_of(db, app_id: int) -> str:
    return db.execute("SELECT serial FROM applications WHERE id = ?", [app_id]).fetchone()[0]


def check_ledger(register: Register, path, *, today: _dt.date | None = None,
                 progress: ProgressCallback | None = None) -> ImportSummary:
    """Check a ledger file without writing anything: the summary of what
    an import would add, update and leave unchanged (or the same
    :class:`LedgerImportError` an import would raise)."""
    plan, warnings = plan_import(register, path, today=today, progress=progress)
    summary = ImportSummary(warnings=list(warnings))
    for item in plan:
        if item.app_id is None:
            summary.added += 1
        elif item.changes:
            summary.updated += 1
        else:
            summary.unchanged += 1
    summary.published_years = published_years_changed(register, plan)
    if summary.published_years:
        summary.warnings.append(_published_note(summary.published_years))
    return summary


def _published_note(years: list[int]) -> str:
    text = "、".join(f"{y}年" for y in years)
    return (f"此次导入会改变已发布的{text}政府信息公开工作年度报告中的数字；"
            "导入后可在“年度报告”页查看与已发布数字的差异。")


def published_years_changed(register: Register, plan: list[_Planned]) -> list[int]:
    """Published report years whose figures the planned rows would alter."""
    if not report_store.published_years(register):
        return []
    years: set[int] = set()
    for item in plan:
        if item.app_id is None:
            old, new = None, _clean(item.record)
        elif item.changes:
            old = register.get_application(item.app_id)
            new = dict(old)
            new.update(_clean(item.changes))
        else:
            continue
        years.update(report_store.published_years_touched(register, old, new))
    return sorted(years)


def import_ledger(register: Register, path, *, today: _dt.date | None = None,
                  progress: ProgressCallback | None = None, backup: bool = True) -> ImportSummary:
    """Import a ledger file (see the module docstring); returns what was
    added, updated and left unchanged.  Raises :class:`LedgerFileError`
    (unusable file, or the backup before the import failed),
    :class:`LedgerImportError` (bad rows; nothing written) or
    :class:`ImportCancelled`.

    With ``backup`` (the default) the database is backed up (kind
    ``pre-import``) once the file has passed every check and before
    anything is written, so a bulk import can be undone by a restore."""
    today = today or _dt.date.today()
    plan, warnings = plan_import(register, path, today=today, progress=progress)
    if backup and any(item.app_id is None or item.changes for item in plan):
        from ..storage.backup import BackupError, backup_connection

        if progress:
            progress("backup", 0, 1)
        try:
            backup_connection(register.db, "pre-import")
        except BackupError as exc:
            raise LedgerFileError(f"导入前备份失败：{exc} 为保护现有数据，本次没有导入。") from None
    summary = ImportSummary(warnings=list(warnings))
    summary.published_years = published_years_changed(register, plan)
    if summary.published_years:
        summary.warnings.append(_published_note(summary.published_years))
    source = Path(path).name
    total = len(plan)
    step = max(1, total // 200)
    # Updates, then new rows with their own 申请编号, then rows to be
    # numbered: a number the system hands out never collides with one the
    # file names further down.
    plan.sort(key=lambda item: (item.app_id is None, not item.record.get("serial"), item.row))
    db = register.db
    with db.atomic():
        for n, item in enumerate(plan, start=1):
            if progress and n % step == 0 and progress("write", n, total) is False:
                raise ImportCancelled()  # rolls the whole transaction back
            try:
                if item.app_id is None:
                    record = {k: v for k, v in item.record.items() if k in APPLICATION_FIELDS}
                    app_id = register.add_application(
                        record, today=today,
                        event_data={"channel": record.get("channel"), "imported_from": source})
                    summary.added += 1
                    summary.added_serials.append(_serial_of(db, app_id))
                elif item.changes:
                    diff = register.update_application(item.app_id, item.changes, today=today)
                    if diff:
                        summary.updated += 1
                        summary.updated_serials.append(_serial_of(db, item.app_id))
                    else:
                        summary.unchanged += 1
                else:
                    summary.unchanged += 1
            except ValidationError as exc:  # should have been caught in planning
                raise LedgerImportError([RowProblem(item.row, _describe(exc.errors))], total) from None
    if progress:
        progress("write", total, total)
    return summary

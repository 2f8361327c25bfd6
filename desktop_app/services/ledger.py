"""The ledger file (台账): import an agency's own ledger all or nothing,
check it first, export the register (full or masked), and the template.

The ledger package reads the file and converts each row; here every row
is checked against the register (the same validation the form uses), and
the whole file is written in ONE transaction after a backup.  See
``ledger.importer`` for which application a row belongs to and what an
update changes.

The pipeline is generic over the kind of record: a second register
(proactive disclosure items) brings its own columns (``ledger.columns``)
and row check, and reuses the reader, the layout analysis and this
all-or-nothing plan/check/write sequence.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..domain.records import ApplicationFields, clean_values
from ..ledger import exporter
from ..ledger.columns import (
    BY_HEADER, COLUMNS, IGNORE, REQUIRED_HEADERS, STANDARD_COLUMNS, clean_header, infer_id_type, unneutralise,
)
from ..ledger.exporter import ExportCancelled
from ..ledger.importer import (
    MAPPINGS_SETTING, MAX_LISTED_PROBLEMS, TEMPLATE_MARK, ImportCancelled, ImportOptions, ImportSummary, LedgerImportError,
    LedgerMappingNeeded, LedgerPreview, Planned, ProgressCallback, RowProblem, changes_to, complete_row,
    describe, fields_touched, mapping_message, match_key, note_flags, parse_mapping, row_label,
    row_record,
)
from ..ledger.importer import inspect_ledger as inspect_file
from ..ledger.layout import ESSENTIAL_HEADERS
from ..ledger.reader import LedgerFileError, LedgerLimitError
from ..storage.backups import BackupError
from ..storage.store import Store
from .applications import BatchRowError, CheckedApplication, add_checked_many, change, check_import
from .errors import ServiceError, ValidationError, is_busy
from .report import years_touched
from .session import Session
from .year_lock import require_unlocked
from .settings import setting, update_settings

__all__ = [
    "BY_HEADER", "COLUMNS", "ESSENTIAL_HEADERS", "IGNORE", "REQUIRED_HEADERS", "STANDARD_COLUMNS",
    "ExportCancelled", "ImportCancelled", "LedgerDatabaseError", "ImportOptions", "ImportSummary", "LedgerFileError",
    "LedgerImportError", "LedgerLimitError", "LedgerMappingNeeded", "LedgerPreview", "MAX_LISTED_PROBLEMS", "RowProblem",
    "check_ledger", "clean_header", "export_ledger", "import_ledger", "inspect_ledger", "parse_mapping",
    "remember_mapping", "remembered_mappings", "write_template",
]


class LedgerDatabaseError(ServiceError):
    """The register could not be read or written during an import or an
    export (busy: another program is writing); nothing was changed."""


@contextlib.contextmanager
def _database_errors(what: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            message = f"数据库正被其他程序（如正在保存的办理台窗口）占用，{what}没有进行，台账没有改动。请稍后再试。"
        else:
            message = f"{what}时数据库出错：{exc}。台账没有改动。"
        raise LedgerDatabaseError(message) from None


# --- the column mappings the clerk chose ----------------------------------------------------------


def remembered_mappings(session: Session) -> dict[str, dict[str, str]]:
    value = setting(session, MAPPINGS_SETTING, {}) or {}
    return value if isinstance(value, dict) else {}


def remember_mapping(session: Session, preview: LedgerPreview, mapping: Mapping[str, str]) -> None:
    """Keep ``mapping`` for files whose sheets have the same headers as
    those of ``preview`` (the GUI's mapping step)."""
    if not mapping:
        return
    saved = dict(remembered_mappings(session))
    for layout in preview.layouts:
        if layout.header_rows or layout.uses:
            heads = {clean_header(u.header) for u in layout.uses}
            saved[layout.header_signature()] = {k: v for k, v in mapping.items() if k in heads}
    saved = dict(list(saved.items())[-50:])  # the most recent fifty files' headers
    update_settings(session, {MAPPINGS_SETTING: saved})


def inspect_ledger(session: Session, path: str | os.PathLike[str],
                   options: ImportOptions | None = None) -> LedgerPreview:
    """Read the file and find its ledger sheets, without checking rows."""
    return inspect_file(path, options, remembered_mappings(session))


# --- planning: every row read and checked ---------------------------------------------------------


def _clean(item: Planned) -> dict[str, Any]:
    """The row's application fields, cleaned (taken once)."""
    if item.clean is None:
        item.clean = clean_values(item.record)
    return item.clean


class _Planner:
    """Reads and checks every row of a file against the register."""

    def __init__(self, session: Session, preview: LedgerPreview, today: _dt.date):
        self.store: Store = session.store
        self.today = today
        self.preview = preview
        self.multiple = len(preview.chosen) > 1
        self.summary = ImportSummary(ignored=list(preview.ignored), sheets=[lay.name for lay in preview.chosen])
        self.notes: defaultdict[str, int] = defaultdict(int)
        self.problems: list[RowProblem] = []
        self.plan: list[Planned] = []
        self.serial_rows: dict[str, str] = {}
        # existing applications, for matching rows without 申请编号
        self.by_key: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        for app_id, receipt, name, content in self.store.applications.match_keys():
            self.by_key[match_key({"receipt_date": receipt, "applicant_name": name,
                                   "info_description": content})].append(app_id)
        self.holders: dict[str, tuple[int, bool]] = {}
        self.unheld: set[str] = set()
        self.claimed = self._claimed_by_serial()

    def _claimed_by_serial(self) -> set[int]:
        """Applications a row names by 申请编号 are not matched by content
        too (the holders of the file's serials read in one query)."""
        texts: set[str] = set()
        for layout in self.preview.chosen:
            col = next((i for i, c in layout.columns if c.field == "serial"), None)
            if col is None:
                continue
            for _n, cells in layout.rows:
                v = cells[col] if col < len(cells) else None
                text = unneutralise(str(v).strip()) if v is not None else ""
                if isinstance(v, float) and v.is_integer():
                    text = str(int(v))
                if text:
                    texts.add(text)
        self.holders.update(self.store.applications.serial_holders(texts))
        self.unheld.update(texts - self.holders.keys())
        return {app_id for app_id, _deleted in self.holders.values()}

    def _holder(self, serial: str) -> tuple[int, bool] | None:
        """(id, in the recycle bin) of the application holding ``serial``."""
        if serial in self.holders:
            return self.holders[serial]
        if serial in self.unheld:
            return None
        found = self.store.applications.serial_holders([serial]).get(serial)
        if found is not None:
            self.holders[serial] = found
        else:
            self.unheld.add(serial)
        return found

    def row(self, layout: Any, row_number: int, cells: list[Any]) -> None:
        """Check one row: planned, flagged, ignored or a problem."""
        sheet = layout.name if self.multiple else None
        place = f"“{layout.name}”第{row_number}行" if self.multiple else f"第{row_number}行"
        record, flags, cell_problems = row_record(layout.columns, cells, layout.year)
        if record.get("notes") == TEMPLATE_MARK:
            self.summary.ignored.append(f"{place}是导入模板的示例行，已忽略。")
            return
        if not cell_problems.get("applicant_type"):
            had_type = bool(record.get("applicant_type"))
            complete_row(record, flags, self.notes)
            if not had_type and record.get("applicant_type"):
                record["_type_inferred"] = True
        note = record.pop("_review_note", None)
        if cell_problems:
            self._unreadable(record, cell_problems, row_number, sheet)
            return
        if not record.get("id_type"):
            record["id_type"] = infer_id_type(record)
            record["_id_type_inferred"] = True
        item = Planned(row_number, record, sheet=sheet)
        if not self._match(item, place):
            return
        errors = self._check(item, flags, note)
        if errors:
            self.problems.append(RowProblem(row_number, describe(errors), sheet))
            return
        if item.flags:
            self.summary.review.append(RowProblem(row_number, describe(item.flags), sheet, row_label(record)))
        self.plan.append(item)

    def _unreadable(self, record: dict[str, Any], cell_problems: dict[str, str], row_number: int,
                    sheet: str | None) -> None:
        # Say everything wrong with the row at once: the unreadable cells,
        # then what validation finds in the rest.
        rest = {k: v for k, v in record.items() if k not in cell_problems}
        rest.setdefault("applicant_type", "natural_person" if "applicant_type" in cell_problems else None)
        errors, _soft = check_import(self.store, clean_values(rest), today=self.today)
        errors = {k: v for k, v in errors.items() if k not in cell_problems and k != "org_kind"}
        self.problems.append(RowProblem(row_number, describe({**cell_problems, **errors}), sheet))

    def _match(self, item: Planned, place: str) -> bool:
        """Which application the row updates (False: the row is refused)."""
        serial = item.record.get("serial")
        if not serial:
            candidates = [i for i in self.by_key.get(match_key(_clean(item)), [])
                          if i not in self.claimed]
            if candidates:
                item.app_id = candidates[0]
                self.claimed.add(item.app_id)
            return True
        if serial in self.serial_rows:
            self.problems.append(RowProblem(item.row, (f"申请编号 {serial} 与{self.serial_rows[serial]}重复。"
                                                       "同一申请只能出现一次，请删除重复行或更正编号。",), item.sheet))
            return False
        self.serial_rows[serial] = place
        holder = self._holder(serial)
        if holder is not None:
            if holder[1]:
                self.problems.append(RowProblem(item.row, (f"申请编号 {serial} 的申请在回收站中。"
                                                           "请先在回收站恢复它，或把此行的申请编号留空。",), item.sheet))
                return False
            item.app_id = holder[0]
        return True

    def _check(self, item: Planned, flags: dict[str, str], note: str | None) -> dict[str, str]:
        if item.app_id is None:
            errors, soft = check_import(self.store, _clean(item), today=self.today)
            item.flags = {**soft, **flags}
            note_flags(note, item.flags)
            return errors
        existing = self.store.applications.get(item.app_id)
        assert existing is not None  # matched above
        item.changes = changes_to(existing.values(), item.record)
        merged = existing.fields.with_values(item.changes).values()
        if merged.get("outcome") and merged.get("status") != "closed":
            merged["status"] = "closed"
        errors, soft = check_import(self.store, merged, app_id=item.app_id, today=self.today)
        touched = fields_touched(item.changes)
        item.flags = {k: v for k, v in {**soft, **flags}.items() if k in touched}
        return errors


def plan_import(session: Session, path: str | os.PathLike[str], *, today: _dt.date | None = None,
                progress: ProgressCallback | None = None, options: ImportOptions | None = None
                ) -> tuple[list[Planned], ImportSummary]:
    """Read and check every row; return the plan and what the import will
    say (notes, rows to flag, rows and columns left out), or raise
    :class:`LedgerImportError` listing every bad row."""
    options = options or ImportOptions()
    if progress and progress("read", 0, 0) is False:
        raise ImportCancelled()
    preview = inspect_ledger(session, path, options)
    if preview.incomplete:
        raise LedgerMappingNeeded(mapping_message(preview.incomplete[0], len(preview.layouts) > 1), preview)
    if not preview.chosen:
        raise LedgerFileError("文件是空的，没有表头和数据。请使用导入模板填写后再导入。")
    rows = [(layout, number, cells) for layout in preview.chosen for number, cells in layout.rows]
    total = len(rows)
    if total == 0:
        raise LedgerFileError("文件只有表头，没有数据行。")
    planner = _Planner(session, preview, today or _dt.date.today())
    step = max(1, total // 200)
    for n, (layout, row_number, cells) in enumerate(rows, start=1):
        if progress and n % step == 0 and progress("check", n, total) is False:
            raise ImportCancelled()
        planner.row(layout, row_number, cells)
    if progress:
        progress("check", total, total)
    summary = planner.summary
    if planner.notes["inferred"]:
        summary.warnings.append(
            f"台账没有写明申请人类型的 {planner.notes['inferred']} 行，已按证件号码和姓名或名称判断"
            "（自然人，或公司、律师事务所等组织的类别）；拿不准的已标为待核实。")
    if planner.problems:
        raise LedgerImportError(planner.problems, total, review=summary.review, ignored=summary.ignored)
    return planner.plan, summary


def _published_note(years: list[int]) -> str:
    text = "、".join(f"{y}年" for y in years)
    return (f"此次导入会改变已发布的{text}政府信息公开工作年度报告中的数字；"
            "导入后可在“年度报告”页查看与已发布数字的差异。")


def published_years_changed(store: Store, plan: list[Planned]) -> list[int]:
    """Published report years whose figures the planned rows would alter."""
    if not store.report.published_years():
        return []
    years: set[int] = set()
    for item in plan:
        if item.app_id is None:
            years.update(years_touched(store, None, _clean(item)))
        elif item.changes:
            old = store.applications.get(item.app_id)
            assert old is not None
            years.update(years_touched(store, old, old.fields.with_values(item.changes).values()))
    return sorted(years)


def check_ledger(session: Session, path: str | os.PathLike[str], *, today: _dt.date | None = None,
                 progress: ProgressCallback | None = None, options: ImportOptions | None = None) -> ImportSummary:
    """Check a ledger file without writing anything: the summary of what
    an import would add, update, leave unchanged and flag (or the same
    :class:`LedgerImportError` an import would raise)."""
    with _database_errors("导入"):
        plan, summary = plan_import(session, path, today=today, progress=progress, options=options)
    for item in plan:
        if item.app_id is None:
            summary.added += 1
        elif item.changes or item.flags:
            summary.updated += 1
        else:
            summary.unchanged += 1
    summary.published_years = published_years_changed(session.store, plan)
    if summary.published_years:
        summary.warnings.append(_published_note(summary.published_years))
    return summary


# --- writing ------------------------------------------------------------------------------------------


#: New rows written at a time (one statement each for their rows, events
#: and audit entries, one pass for their deadlines).
WRITE_BATCH = 500


def _write(store: Store, plan: list[Planned], summary: ImportSummary, source: str, today: _dt.date,
           progress: ProgressCallback | None) -> dict[tuple[str | None, int], str]:
    """Write the planned rows in file order (inside the caller's
    transaction): consecutive new rows in batches, each update on its own;
    returns the serial each added row got."""
    total = len(plan)
    labels: dict[tuple[str | None, int], str] = {}
    pending: list[Planned] = []
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        before, done = done, done + n
        step = max(1, total // 200)
        if progress and (done // step != before // step or done == total) \
                and progress("write", done, total) is False:
            raise ImportCancelled()  # rolls the whole transaction back

    def flush() -> None:
        if not pending:
            return
        batch = []
        for item in pending:
            fields = ApplicationFields(**_clean(item))
            batch.append(CheckedApplication(fields, item.flags or {},
                                            {"channel": fields.channel, "imported_from": source}))
        try:
            ids = add_checked_many(store, batch)
        except BatchRowError as exc:  # (checked in planning: a timeline rule seen only on writing)
            bad = pending[exc.index]
            raise LedgerImportError([RowProblem(bad.row, describe(exc.errors), bad.sheet)], total) from None
        serials = store.applications.serials_of(ids)
        for item, app_id in zip(pending, ids):
            summary.added += 1
            summary.added_serials.append(serials[app_id])
            labels[(item.sheet, item.row)] = serials[app_id]
        tick(len(pending))
        pending.clear()

    for item in plan:
        if item.app_id is None:
            pending.append(item)
            if len(pending) >= WRITE_BATCH:
                flush()
            continue
        flush()
        try:
            if item.changes or item.flags:
                if change(store, item.app_id, item.changes or {}, today=today, review=item.flags):
                    summary.updated += 1
                    summary.updated_serials.append(_serial(store, item.app_id))
                else:
                    summary.unchanged += 1
            else:
                summary.unchanged += 1
        except ValidationError as exc:  # should have been caught in planning
            raise LedgerImportError([RowProblem(item.row, describe(exc.errors), item.sheet)], total) from None
        tick(1)
    flush()
    return labels


def _serial(store: Store, app_id: int) -> str:
    return store.applications.serial_of(app_id) or ""


def import_ledger(session: Session, path: str | os.PathLike[str], *, today: _dt.date | None = None,
                  progress: ProgressCallback | None = None, backup: bool = True,
                  options: ImportOptions | None = None) -> ImportSummary:
    """Import a ledger file (see ``ledger.importer``); returns what was
    added, updated, left unchanged and flagged 待核实.  Raises
    :class:`LedgerFileError` (unusable file, or the backup before the
    import failed), :class:`LedgerMappingNeeded` (a required column is not
    found), :class:`LedgerImportError` (bad rows; nothing written) or
    :class:`ImportCancelled`.

    With ``backup`` (the default) the database is backed up (kind
    ``pre-import``) once the file has passed every check and before
    anything is written, so a bulk import can be undone by a restore."""
    with _database_errors("导入"):
        return _import(session, path, today or _dt.date.today(), progress, backup, options)


def _import(session: Session, path: str | os.PathLike[str], today: _dt.date, progress: ProgressCallback | None,
            backup: bool, options: ImportOptions | None) -> ImportSummary:
    store = session.store
    plan, summary = plan_import(session, path, today=today, progress=progress, options=options)
    require_unlocked(store, published_years_changed(store, plan), "此次导入")
    if backup and any(item.app_id is None or item.changes or item.flags for item in plan):
        if progress:
            progress("backup", 0, 1)
        try:
            store.backup("pre-import")
        except BackupError as exc:
            raise LedgerFileError(f"导入前备份失败：{exc} 为保护现有数据，本次没有导入。") from None
    summary.published_years = published_years_changed(store, plan)
    if summary.published_years:
        summary.warnings.append(_published_note(summary.published_years))
    # Updates, then new rows with their own 申请编号, then rows to be
    # numbered: a number the system hands out never collides with one the
    # file names further down.
    plan.sort(key=lambda item: (item.app_id is None, not item.record.get("serial"), item.sheet or "", item.row))
    with store.transaction():
        labels = _write(store, plan, summary, Path(path).name, today, progress)
    # the flagged rows, named by the serial they now have
    summary.review = [RowProblem(p.row, p.reasons, p.sheet, labels.get((p.sheet, p.row), p.label))
                      for p in summary.review]
    if progress:
        progress("write", len(plan), len(plan))
    return summary


# --- export ---------------------------------------------------------------------------------------------


def export_ledger(session: Session, path: str | os.PathLike[str], *, mask: bool = False,
                  progress: Any = None) -> int:
    """Write every application (not those in the recycle bin) to ``path``
    (.xlsx or .csv by extension); ``mask`` hides ID numbers and phones.
    Returns the number written; ``progress(done, total)`` returning
    ``False`` cancels (:class:`ExportCancelled`)."""
    store = session.store
    with _database_errors("导出"):
        return exporter.export_ledger(store.applications.all(), store.applications.count(), path, mask=mask,
                                      progress=progress)


def write_template(path: str | os.PathLike[str]) -> None:
    """The import template (headers, one example row, 填写说明)."""
    exporter.write_template(path)

"""复议诉讼: the register of reconsideration and litigation cases about
disclosure (section 四 of the annual report), with an add/edit dialog;
and the start-up hook that warns when a change alters the figures of a
year whose report is marked published."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..domain import report_stats as rs
from ..domain.report_cases import CASE_FIELD_LABELS, ReviewCase
from ..services import applications, cases, report
from ..services.errors import NotFoundError, PublishedChange, ValidationError
from ..services.year_lock import YearLockedError
from .widgets import ErrorLabel, OptionalDateEdit, mark_invalid


class CaseDialog(QDialog):
    """Add or edit one case; validation messages appear under the fields
    and nothing is saved until the record is valid."""

    def __init__(self, context, case_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.session = context.session
        self.case_id = case_id
        self.saved_id: int | None = None
        self.setWindowTitle("编辑复议诉讼案件" if case_id else "登记复议诉讼案件")
        self.setMinimumWidth(520)

        self.kind = QComboBox()
        for code, label in rs.CASE_KINDS.items():
            self.kind.addItem(label, code)
        self.case_number = QLineEdit()
        self.case_number.setPlaceholderText("如 望政复〔2025〕12号、（2025）湘0112行初45号")
        self.filed = QDateEdit()
        self.filed.setCalendarPopup(True)
        self.filed.setDisplayFormat("yyyy-MM-dd")
        self.filed.setDate(QDate.currentDate())
        self.closed = OptionalDateEdit("已审结")
        self.result = QComboBox()
        for code, label in rs.CASE_RESULTS.items():
            self.result.addItem(label, code)
        self.result.setCurrentIndex(list(rs.CASE_RESULTS).index("pending"))
        self.application = QLineEdit()
        self.application.setPlaceholderText("关联申请的申请编号，如 2025-0012（可不填）")
        self.party = QLineEdit()
        self.body = QLineEdit()
        self.body.setPlaceholderText("复议机关或人民法院")
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(70)

        self.errors: dict[str, ErrorLabel] = {}
        self.widgets = {"kind": self.kind, "case_number": self.case_number, "filed_date": self.filed,
                        "closed_date": self.closed, "result": self.result, "application_id": self.application,
                        "party": self.party, "body": self.body, "notes": self.notes}
        form = QFormLayout()
        for key, widget in self.widgets.items():
            box = QWidget()
            v = QVBoxLayout(box)
            v.setContentsMargins(0, 0, 0, 0)
            v.setSpacing(2)
            v.addWidget(widget)
            err = ErrorLabel()
            v.addWidget(err)
            self.errors[key] = err
            form.addRow(CASE_FIELD_LABELS[key] + "：", box)
        self.general_error = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("保存")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        self.closed.changed.connect(self._closed_changed)
        if case_id:
            self._load(cases.get_case(self.session, case_id))

    def _closed_changed(self) -> None:
        if self.closed.value() is None:
            self.result.setCurrentIndex(list(rs.CASE_RESULTS).index("pending"))

    def _load(self, case: ReviewCase) -> None:
        self.original = case.values()
        self.kind.setCurrentIndex(list(rs.CASE_KINDS).index(case.kind))
        self.case_number.setText(case.case_number or "")
        d = _dt.date.fromisoformat(case.filed_date)
        self.filed.setDate(QDate(d.year, d.month, d.day))
        self.closed.set_value(case.closed_date)
        self.result.setCurrentIndex(list(rs.CASE_RESULTS).index(case.result))
        if case.application_id:
            try:
                self.application.setText(applications.get(self.session, case.application_id).serial or "")
            except NotFoundError:
                pass
        self.party.setText(case.party or "")
        self.body.setText(case.body or "")
        self.notes.setPlainText(case.notes or "")

    def record(self) -> tuple[dict, dict]:
        """(record, local errors) from the fields."""
        errors = {}
        app_id = None
        serial = self.application.text().strip()
        if serial:
            app = applications.find_by_serial(self.session, serial)
            if app is None:
                errors["application_id"] = f"找不到申请编号为 {serial} 的申请，请核对或清空。"
            else:
                app_id = app.id
        return {
            "kind": self.kind.currentData(),
            "case_number": self.case_number.text(),
            "filed_date": self.filed.date().toString("yyyy-MM-dd"),
            "closed_date": self.closed.value(),
            "result": self.result.currentData(),
            "application_id": app_id,
            "party": self.party.text(),
            "body": self.body.text(),
            "notes": self.notes.toPlainText(),
        }, errors

    def _show_errors(self, errors: dict) -> None:
        for key, label in self.errors.items():
            label.show_message(errors.get(key))
            mark_invalid(self.widgets[key], key in errors)

    def _refused(self, errors: dict) -> None:
        self._show_errors(errors)
        self.general_error.show_message("未保存：请按红字提示改正。")

    def save(self) -> None:
        record, errors = self.record()
        if errors:  # every problem at once: the form's own and the rule's
            self._refused({**cases.validate(self.session, record), **errors})
            return
        agreed: list[int] = []
        while True:
            try:
                if self.case_id:
                    cases.update_case(self.session, self.case_id, record, published_agreed=agreed)
                    self.saved_id = self.case_id
                else:
                    self.saved_id = cases.add_case(self.session, record, published_agreed=agreed)
                break
            except ValidationError as exc:
                self._refused(exc.errors)
                return
            except YearLockedError as exc:
                from .published_check import ask_unlock

                if not ask_unlock(self.context, self, exc):
                    return
            except PublishedChange as exc:
                if QMessageBox.warning(self, "已发布的年度", str(exc) + "\n\n确定保存吗？",
                                       QMessageBox.Yes | QMessageBox.No, QMessageBox.No) != QMessageBox.Yes:
                    return
                agreed += exc.years
        self._show_errors({})
        self.general_error.show_message(None)
        self.context.notify_changed()
        self.accept()


class CasesPage(QWidget):
    HEADERS = ["类型", "案号", "立案（申请）日期", "审结日期", "结果", "关联申请", "申请人（原告）", "复议机关（法院）"]

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.session = context.session
        self.year_filter = QComboBox()
        self.year_filter.addItem("全部案件", None)
        this = _dt.date.today().year
        for y in range(this, this - 8, -1):
            self.year_filter.addItem(f"计入{y}年报告的案件", y)
        self.add_button = QPushButton("登记案件…")
        self.edit_button = QPushButton("编辑…")
        self.delete_button = QPushButton("删除")
        self.open_button = QPushButton("打开关联申请")
        top = QHBoxLayout()
        top.addWidget(QLabel("显示："))
        top.addWidget(self.year_filter)
        top.addStretch(1)
        for b in (self.add_button, self.edit_button, self.delete_button, self.open_button):
            top.addWidget(b)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        # room for a date or a short case number even while the list is empty
        self.table.horizontalHeader().setMinimumSectionSize(
            self.table.fontMetrics().horizontalAdvance("0000-00-00") + 24)
        self.summary = QLabel()
        note = QLabel("年度报告第四部分统计在该年度内未审结过的案件：当年审结的按结果计数，年底仍未审结的计入“尚未审结”。"
                      "复议机关作共同被告的，只计原行政行为机关的案件。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(note)
        self.add_button.clicked.connect(self.add_case)
        self.edit_button.clicked.connect(self.edit_case)
        self.delete_button.clicked.connect(self.delete_case)
        self.open_button.clicked.connect(self.open_application)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit_case())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.year_filter.currentIndexChanged.connect(lambda _=None: self.reload())
        context.data_changed.connect(self.reload)
        self.cases: list[ReviewCase] = []
        self.reload()

    def reload(self) -> None:
        year = self.year_filter.currentData()
        self.cases = cases.list_cases(self.session, year)
        self.table.setRowCount(0)
        for i, c in enumerate(self.cases):
            self.table.insertRow(i)
            values = (rs.CASE_KINDS.get(c.kind, c.kind), c.case_number or "", c.filed_date,
                      c.closed_date or "", rs.CASE_RESULTS.get(c.result, c.result),
                      c.application_serial or "", c.party or "", c.body or "")
            for j, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setData(Qt.UserRole, c.id)
                self.table.setItem(i, j, item)
        if year:
            s4 = report.section4(self.session, year)
            parts = [f"{rs.CASE_KINDS[k]} {s4.value(k)} 件" for k in rs.CASE_KINDS]
            self.summary.setText(f"{year}年：" + "，".join(parts))
        else:
            self.summary.setText(f"共 {len(self.cases)} 件案件")
        self._update_buttons()

    def selected_id(self) -> int | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self.cases[min(rows)].id if rows else None

    def _update_buttons(self) -> None:
        cid = self.selected_id()
        self.edit_button.setEnabled(cid is not None)
        self.delete_button.setEnabled(cid is not None)
        case = next((c for c in self.cases if c.id == cid), None)
        self.open_button.setEnabled(bool(case and case.application_id))

    def add_case(self) -> None:
        CaseDialog(self.context, parent=self).exec()

    def edit_case(self) -> None:
        cid = self.selected_id()
        if cid is not None:
            CaseDialog(self.context, cid, parent=self).exec()

    def delete_case(self) -> None:
        cid = self.selected_id()
        if cid is None:
            return
        case = cases.get_case(self.session, cid)
        years = report.published_years_touched_by_case(self.session, case.values(), None)
        text = f"删除案件“{case.case_number or rs.CASE_KINDS[case.kind]}”？此操作不能撤销。"
        if years:
            text += "\n\n" + report.published_warning(years)
        if QMessageBox.question(self, "删除案件", text) != QMessageBox.Yes:
            return
        cases.delete_case(self.session, cid)
        self.context.notify_changed()

    def open_application(self) -> None:
        case = next((c for c in self.cases if c.id == self.selected_id()), None)
        if case and case.application_id:
            self.context.application_requested.emit(case.application_id)


# --- start-up hook: warn when a published year's figures change -----------------------


class PublishedGuard:
    """Watches ``data_changed``: when a write changes a figure of a year
    whose report is marked published, shows a (non-blocking) warning once
    per new difference, so such a change is never silent."""

    def __init__(self, context, parent: QWidget | None):
        self.context = context
        self.parent = parent
        self.known = self._differences()
        self.last_box: QMessageBox | None = None
        context.data_changed.connect(self.check)

    def _differences(self) -> dict[int, int]:
        session = self.context.session
        return {y: len(report.differences(session, y)) for y in report.published_years(session)}

    def check(self) -> list[int]:
        now = self._differences()
        grown = [y for y, n in now.items() if n > self.known.get(y, 0)]
        self.known = now
        # Years the clerk confirmed in the warning before saving
        # (ui.published_check) are not warned about a second time.
        confirmed = getattr(self.context, "confirmed_published_years", None)
        if isinstance(confirmed, set):
            grown = [y for y in grown if y not in confirmed]
            confirmed.clear()
        if grown:
            box = QMessageBox(QMessageBox.Warning, "已发布的年度报告有变化",
                              report.published_warning(grown), QMessageBox.Ok, self.parent)
            box.setWindowModality(Qt.NonModal)
            box.show()
            self.last_box = box
        return grown


def install_published_guard(context, main_window) -> PublishedGuard:
    guard = PublishedGuard(context, main_window)
    main_window._published_guard = guard  # keep it alive with the window
    return guard

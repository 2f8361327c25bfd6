"""新建/编辑申请: the form for one application.

Every field of the record, in the order of the paper form.  Validation is
the save's own (``services.applications``, one rule place): each message
is shown under its field with a red border, the first bad field gets the
focus, and nothing is saved while anything is wrong.

Keyboard: Tab moves through the fields in reading order; Enter saves
(Ctrl+Enter inside a multi-line field); Esc cancels, asking first when
something was changed.
"""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout,
    QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPlainTextEdit,
    QRadioButton, QScrollArea, QVBoxLayout, QWidget,
)

from ..domain import catalog
from ..domain.records import APPLICATION_FIELDS
from ..domain.validation import parse_date
from ..services import applications
from ..services.errors import NotFoundError, PublishedChange, ValidationError
from ..services.year_lock import YearLockedError
from .qt_workarounds import available_geometry
from .widgets import ERROR_COLOR, ErrorLabel, OptionalDateEdit, mark_invalid


class _CtrlEnterFilter(QObject):
    """Ctrl+Enter in a multi-line field saves the form."""

    def __init__(self, callback, parent=None):
        super().__init__(parent)
        self.callback = callback

    def eventFilter(self, obj, event) -> bool:
        if (event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Return, Qt.Key_Enter)
                and event.modifiers() & Qt.ControlModifier):
            self.callback()
            return True
        return False


class _TabLeavesDateFilter(QObject):
    """Tab leaves a date field at once (Qt would step through year, month
    and day first; the arrow keys still do that)."""

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Tab, Qt.Key_Backtab):
            dialog = obj.window()
            forward = event.key() == Qt.Key_Tab and not event.modifiers() & Qt.ShiftModifier
            next_widget = obj.nextInFocusChain() if forward else obj.previousInFocusChain()
            # skip the date edit's own inner line edit
            while next_widget is not None and next_widget is not obj and (
                    next_widget.parent() is obj or not next_widget.isVisible()
                    or not next_widget.isEnabled() or not next_widget.focusPolicy() & Qt.TabFocus):
                next_widget = next_widget.nextInFocusChain() if forward else next_widget.previousInFocusChain()
            if next_widget is not None and next_widget is not obj and dialog.isAncestorOf(next_widget):
                next_widget.setFocus(Qt.TabFocusReason if forward else Qt.BacktabFocusReason)
                return True
        return False


def _plain_text(max_height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setMaximumHeight(max_height)
    edit.setMinimumHeight(max(48, max_height - 20))
    return edit


def _combo(items: dict[str, str] | list[tuple[str, str]], blank: str | None = None) -> QComboBox:
    combo = QComboBox()
    if blank is not None:
        combo.addItem(blank, None)
    for code, label in (items.items() if isinstance(items, dict) else items):
        combo.addItem(label, code)
    return combo


def _set_combo(combo: QComboBox, code) -> None:
    i = combo.findData(code)
    combo.setCurrentIndex(i if i >= 0 else 0)


#: (what it does, key sequence) of the application form's own shortcuts.
SHORTCUTS = (
    ("保存申请", "Ctrl+S"),
    ("保存申请（在多行文本框中也可用）", "Ctrl+Return"),
)


class ApplicationDialog(QDialog):
    """Add (``app_id`` None) or edit one application.  After ``exec()``
    returns Accepted, ``saved_id`` is the application's id."""

    def __init__(self, context, app_id: int | None = None, parent: QWidget | None = None,
                 today: _dt.date | None = None):
        super().__init__(parent)
        self.context = context
        self.session = context.session
        self.app_id = app_id
        self.saved_id: int | None = None
        self.saved_serial: str | None = None
        self.load_failed = False
        self.today = today or _dt.date.today()
        self._errors: dict[str, str] = {}
        self.error_labels: dict[str, ErrorLabel] = {}
        self._ctrl_enter = _CtrlEnterFilter(self.save, self)
        self._holders: dict[QWidget, QWidget] = {}
        self._last_error: ErrorLabel | None = None
        self.setWindowTitle("新建申请" if app_id is None else "编辑申请")
        self.setSizeGripEnabled(True)

        self._build()
        original: dict = {}
        if app_id is not None:
            try:
                original = applications.get(self.session, app_id).values()
            except NotFoundError as exc:
                self.load_failed = True
                QMessageBox.warning(parent, "编辑申请", str(exc))
                return
            self.setWindowTitle(f"编辑申请 {original.get('serial') or ''}")
        self.set_record(original or self._defaults())
        # A new application's serial follows the receipt year until the clerk edits it.
        self._auto_serial = self.serial_edit.text() if app_id is None else None
        self.receipt_edit.dateChanged.connect(self._follow_receipt_year)
        self._initial = self.record()
        self._wire_live_checks()
        self._fit_to_screen(1040, 700)

    # --- layout -------------------------------------------------------------------------

    def _field(self, form: QFormLayout, label: str, widget: QWidget, key: str | None = None, *,
               required: bool = False) -> QWidget:
        text = f"{label}<span style='color:{ERROR_COLOR}'>*</span>" if required else label
        lab = QLabel(text)
        lab.setBuddy(widget.focusProxy() or widget)
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(1)
        box.addWidget(widget)
        err = ErrorLabel()
        box.addWidget(err)
        self._last_error = err
        if key:
            self.error_labels.setdefault(key, err)
        self._holders[widget] = holder
        form.addRow(lab, holder)
        return widget

    @staticmethod
    def _form() -> QFormLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(8)
        form.setVerticalSpacing(5)
        return form

    def _build(self) -> None:
        reg_box = self._registration_box()
        app_box = self._applicant_box()
        info_box = self._information_box()
        result_box = self._result_box()
        for edit in (self.description_edit, self.notes_edit):
            edit.installEventFilter(self._ctrl_enter)
        self._tab_leaves = _TabLeavesDateFilter(self)
        for edit in (self.receipt_edit, self.reply_edit.edit):
            edit.installEventFilter(self._tab_leaves)
        self._lay_out(reg_box, app_box, info_box, result_box)
        for _label, keys in SHORTCUTS:  # 帮助 → 键盘快捷键 lists the same table
            QShortcut(QKeySequence(keys), self, activated=self.save)
        self.person_radio.toggled.connect(self._on_type_changed)
        self.channel_combo.currentIndexChanged.connect(self._update_channel_hint)
        self.outcome_combo.currentIndexChanged.connect(self._on_outcome_changed)
        self._set_tab_order()

    def _registration_box(self) -> QGroupBox:
        """受理登记: serial, date received, channel, status."""
        reg_box = QGroupBox("受理登记")
        reg = self._form()
        reg_box.setLayout(reg)
        self.serial_edit = self._field(reg, "申请编号", QLineEdit(), "serial", required=True)
        self.serial_edit.setPlaceholderText("如 2026-0001")
        self.receipt_edit = QDateEdit()
        self.receipt_edit.setCalendarPopup(True)
        self.receipt_edit.setDisplayFormat("yyyy-MM-dd")
        self.receipt_edit.setMinimumDate(QDate(2000, 1, 1))
        self.receipt_edit.setMaximumDate(QDate(self.today.year, self.today.month, self.today.day))
        self._field(reg, "收到日期", self.receipt_edit, "receipt_date", required=True)
        self.channel_combo = self._field(reg, "申请方式", _combo(catalog.CHANNELS), "channel")
        self.channel_hint = QLabel()
        self.channel_hint.setWordWrap(True)
        self.channel_hint.setStyleSheet("color: #555;")
        reg.addRow("", self.channel_hint)
        self.status_combo = self._field(reg, "办理状态", _combo(catalog.STATUSES), "status")
        # 已办结 follows from a reply with an outcome; it is never picked by hand.
        self.status_combo.model().item(self.status_combo.findData("closed")).setEnabled(False)
        return reg_box

    def _applicant_box(self) -> QGroupBox:
        """申请人信息: one form; the rows of the other applicant type are hidden."""
        app_box = QGroupBox("申请人信息")
        af = self._form()
        app_box.setLayout(af)
        self.applicant_form = af
        type_widget = QWidget()
        type_row = QHBoxLayout(type_widget)
        type_row.setContentsMargins(0, 0, 0, 0)
        self.person_radio = QRadioButton("自然人（公民）")
        self.org_radio = QRadioButton("法人或其他组织")
        self.type_group = QButtonGroup(self)
        self.type_group.addButton(self.person_radio)
        self.type_group.addButton(self.org_radio)
        type_row.addWidget(self.person_radio)
        type_row.addWidget(self.org_radio)
        type_row.addStretch(1)
        type_widget.setFocusProxy(self.person_radio)
        self._field(af, "申请人类型", type_widget, "applicant_type", required=True)

        self.person_name = self._field(af, "姓名", QLineEdit(), required=True)
        self.person_name_error = self._last_error
        self.work_unit_edit = self._field(af, "工作单位", QLineEdit(), "work_unit")
        self.person_id_type = self._field(
            af, "证件类型", _combo([(c, catalog.ID_TYPES[c]) for c in catalog.PERSON_ID_TYPES]))
        self.person_id_number = self._field(af, "证件号码", QLineEdit())
        self.person_id_number.setPlaceholderText("居民身份证为18位")
        self.person_id_error = self._last_error
        self.person_rows = [self.person_name, self.work_unit_edit, self.person_id_type,
                            self.person_id_number]

        self.org_name = self._field(af, "名称", QLineEdit(), required=True)
        self.org_name_error = self._last_error
        self.org_kind_combo = self._field(af, "组织类别", _combo(catalog.ORG_KINDS, "（请选择）"),
                                          "org_kind", required=True)
        self.org_id_type = self._field(
            af, "证件类型", _combo([(c, catalog.ID_TYPES[c]) for c in catalog.ORG_ID_TYPES]))
        self.org_id_number = self._field(af, "代码/证件号", QLineEdit())
        self.org_id_number.setPlaceholderText("18位统一社会信用代码")
        self.org_id_error = self._last_error
        self.legal_rep_edit = self._field(af, "法定代表人", QLineEdit(), "legal_rep")
        self.contact_edit = self._field(af, "联系人", QLineEdit(), "contact_name")
        self.org_rows = [self.org_name, self.org_kind_combo, self.org_id_type, self.org_id_number,
                         self.legal_rep_edit, self.contact_edit]
        self._contact_rows(af)
        return app_box

    def _contact_rows(self, contact: QFormLayout) -> None:
        self.phone_edit = self._field(contact, "联系电话", QLineEdit(), "phone")
        self.phone_edit.setPlaceholderText("手机或固定电话，如 0571-88888888")
        self.fax_edit = self._field(contact, "传真", QLineEdit(), "fax")
        self.address_edit = self._field(contact, "通信地址", QLineEdit(), "address")
        self.postcode_edit = self._field(contact, "邮政编码", QLineEdit(), "postcode")
        self.postcode_edit.setMaxLength(6)
        self.email_edit = self._field(contact, "电子邮箱", QLineEdit(), "email")

    def _information_box(self) -> QGroupBox:
        """所需信息: what is asked for, and in which form."""
        info_box = QGroupBox("所需信息")
        inf = self._form()
        info_box.setLayout(inf)
        self.description_edit = self._field(inf, "申请内容", _plain_text(78), "info_description",
                                            required=True)
        self.description_edit.setPlaceholderText("所需政府信息的名称、文号或者其他特征性描述")
        self.title_edit = self._field(inf, "文件名称", QLineEdit(), "info_title")
        self.doc_number_edit = self._field(inf, "文号", QLineEdit(), "info_doc_number")
        self.index_edit = self._field(inf, "索引号", QLineEdit(), "info_index_number")
        self.purpose_edit = self._field(inf, "用途", QLineEdit(), "info_purpose")
        self.purpose_edit.setPlaceholderText("选填")
        self.delivery_checks = self._check_row(inf, "载体形式", catalog.DELIVERY_FORMS, "delivery_forms")
        self.obtain_checks = self._check_row(inf, "获取方式", catalog.OBTAIN_METHODS, "obtain_methods",
                                             columns=3)
        return info_box

    def _result_box(self) -> QGroupBox:
        """答复与办理结果: reply date, outcome and its detail, notes."""
        result_box = QGroupBox("答复与办理结果")
        res = self._form()
        result_box.setLayout(res)
        self.reply_edit = OptionalDateEdit("已答复")
        self.reply_edit.edit.setMinimumDate(QDate(2000, 1, 1))
        self._field(res, "答复日期", self.reply_edit, "reply_date")
        self.outcome_combo = self._field(
            res, "办理结果",
            _combo([(c, o.row_label) for c, o in catalog.OUTCOMES.items()], "（尚未办结）"), "outcome")
        self.reason_combo = self._field(res, "结果细项", QComboBox(), "outcome_reason")
        self.notes_edit = self._field(res, "备注", _plain_text(60), "notes")
        return result_box

    def _lay_out(self, reg_box: QGroupBox, app_box: QGroupBox, info_box: QGroupBox,
                 result_box: QGroupBox) -> None:
        """Two columns (who and when on the left, what and the answer on the
        right) in a scroll area, the error summary and the buttons below."""
        columns = QWidget()
        grid = QHBoxLayout(columns)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        left = QVBoxLayout()
        left.addWidget(reg_box)
        left.addWidget(app_box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(info_box)
        right.addWidget(result_box)
        right.addStretch(1)
        grid.addLayout(left, 1)
        grid.addLayout(right, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setWidget(columns)
        self.scroll = scroll

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setStyleSheet(f"color: {ERROR_COLOR}; font-weight: bold;")
        self.summary_label.hide()
        hint = QLabel("带 <span style='color:%s'>*</span> 的为必填项。回车保存，Esc 取消。" % ERROR_COLOR)
        hint.setStyleSheet("color: #666;")

        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.save_button = self.buttons.button(QDialogButtonBox.Save)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(self.buttons)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 10, 10, 10)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.summary_label)
        outer.addLayout(bottom)

    def _check_row(self, form: QFormLayout, label: str, options: dict[str, str], key: str,
                   columns: int = 4) -> dict[str, QCheckBox]:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        checks = {}
        for n, (code, text) in enumerate(options.items()):
            cb = QCheckBox(text)
            grid.addWidget(cb, n // columns, n % columns)
            checks[code] = cb
        box.setFocusProxy(next(iter(checks.values())))
        self._field(form, label, box, key)
        return checks

    def _set_tab_order(self) -> None:
        order = [
            self.serial_edit, self.receipt_edit, self.channel_combo, self.status_combo,
            self.person_radio, self.org_radio,
            self.person_name, self.work_unit_edit, self.person_id_type, self.person_id_number,
            self.org_name, self.org_kind_combo, self.org_id_type, self.org_id_number,
            self.legal_rep_edit, self.contact_edit,
            self.phone_edit, self.fax_edit, self.address_edit, self.postcode_edit, self.email_edit,
            self.description_edit, self.title_edit, self.doc_number_edit, self.index_edit,
            self.purpose_edit, *self.delivery_checks.values(), *self.obtain_checks.values(),
            self.reply_edit.check, self.reply_edit.edit, self.outcome_combo, self.reason_combo,
            self.notes_edit, self.save_button, self.buttons.button(QDialogButtonBox.Cancel),
        ]
        for a, b in zip(order, order[1:]):
            QWidget.setTabOrder(a, b)

    def _fit_to_screen(self, width: int, height: int) -> None:
        """The preferred size, but never taller or wider than the screen
        (a 1366x768 laptop with a taskbar); the form scrolls instead."""
        avail = available_geometry(self.parentWidget())
        if avail is not None:
            width = min(width, avail.width() - 40)
            height = min(height, avail.height() - 60)  # room for the title bar
        self.resize(width, height)

    # --- reactions ------------------------------------------------------------------------

    def is_organisation(self) -> bool:
        return self.org_radio.isChecked()

    def _on_type_changed(self, *_args) -> None:
        is_org = self.is_organisation()
        for widget in self.person_rows:
            self.applicant_form.setRowVisible(self._holders[widget], not is_org)
        for widget in self.org_rows:
            self.applicant_form.setRowVisible(self._holders[widget], is_org)

    def _follow_receipt_year(self, qdate) -> None:
        if self._auto_serial is None or self.serial_edit.text().strip() != self._auto_serial:
            self._auto_serial = None  # typed by hand: leave it alone
            return
        upcoming = applications.next_serial(self.session, qdate.year())  # in the agency's numbering pattern
        if upcoming == self._auto_serial:
            return
        self._auto_serial = upcoming
        self.serial_edit.setText(self._auto_serial)

    def _update_channel_hint(self, *_args) -> None:
        code = self.channel_combo.currentData()
        self.channel_hint.setText(catalog.CHANNEL_RECEIPT_RULES.get(code, ""))

    def _on_outcome_changed(self, *_args) -> None:
        code = self.outcome_combo.currentData()
        current = self.reason_combo.currentData()
        self.reason_combo.clear()
        reasons = catalog.OUTCOMES[code].reasons if code else ()
        if reasons:
            self.reason_combo.addItem("（请选择）", None)
            for n, text in enumerate(reasons, start=1):
                self.reason_combo.addItem(f"{n}. {text}", n)
            _set_combo(self.reason_combo, current)
        else:
            self.reason_combo.addItem("（无细项）" if code else "", None)
        self.reason_combo.setEnabled(bool(reasons))
        # A reply closes the application; an open one keeps its status.
        if code:
            _set_combo(self.status_combo, "closed")
            self.status_combo.setEnabled(False)
            if not self.reply_edit.check.isChecked():
                self.reply_edit.set_value(self.today)
        else:
            self.status_combo.setEnabled(True)
            if self.status_combo.currentData() == "closed":
                _set_combo(self.status_combo, "in_progress")

    def _wire_live_checks(self) -> None:
        """Once an error is shown, re-check as the clerk fixes it."""
        for w in self.findChildren(QLineEdit):
            w.textChanged.connect(self._recheck)
        for w in self.findChildren(QPlainTextEdit):
            w.textChanged.connect(self._recheck)
        for w in self.findChildren(QComboBox):
            w.currentIndexChanged.connect(self._recheck)
        for w in self.findChildren(QCheckBox):
            w.toggled.connect(self._recheck)
        self.receipt_edit.dateChanged.connect(self._recheck)
        self.reply_edit.changed.connect(self._recheck)
        self.person_radio.toggled.connect(self._recheck)

    def _recheck(self, *_args) -> None:
        if self._errors:
            self.show_errors(applications.validate(self.session, self.record(), app_id=self.app_id,
                                                   today=self.today), focus=False)

    # --- record <-> widgets -----------------------------------------------------------------

    def _defaults(self) -> dict:
        return {
            "serial": applications.next_serial(self.session, self.today.year),
            "receipt_date": self.today.isoformat(),
            "channel": "in_person",
            "applicant_type": catalog.NATURAL_PERSON,
            "id_type": "resident_id",
            "status": "received",
            "delivery_forms": "paper",
        }

    def set_record(self, rec: dict) -> None:
        self.serial_edit.setText(rec.get("serial") or "")
        d = parse_date(rec.get("receipt_date")) or self.today
        self.receipt_edit.setDate(QDate(d.year, d.month, d.day))
        _set_combo(self.channel_combo, rec.get("channel") or "in_person")
        self._update_channel_hint()
        _set_combo(self.status_combo, rec.get("status") or "received")
        is_org = rec.get("applicant_type") == catalog.ORGANISATION
        (self.org_radio if is_org else self.person_radio).setChecked(True)
        self._on_type_changed()
        name, id_type, id_number = rec.get("applicant_name") or "", rec.get("id_type"), rec.get("id_number") or ""
        if is_org:
            self.org_name.setText(name)
            _set_combo(self.org_kind_combo, rec.get("org_kind"))
            _set_combo(self.org_id_type, id_type or "uscc")
            self.org_id_number.setText(id_number)
            self.legal_rep_edit.setText(rec.get("legal_rep") or "")
            self.contact_edit.setText(rec.get("contact_name") or "")
        else:
            self.person_name.setText(name)
            self.work_unit_edit.setText(rec.get("work_unit") or "")
            _set_combo(self.person_id_type, id_type or "resident_id")
            self.person_id_number.setText(id_number)
        self.phone_edit.setText(rec.get("phone") or "")
        self.fax_edit.setText(rec.get("fax") or "")
        self.address_edit.setText(rec.get("address") or "")
        self.postcode_edit.setText(rec.get("postcode") or "")
        self.email_edit.setText(rec.get("email") or "")
        self.description_edit.setPlainText(rec.get("info_description") or "")
        self.title_edit.setText(rec.get("info_title") or "")
        self.doc_number_edit.setText(rec.get("info_doc_number") or "")
        self.index_edit.setText(rec.get("info_index_number") or "")
        self.purpose_edit.setText(rec.get("info_purpose") or "")
        for checks, key in ((self.delivery_checks, "delivery_forms"), (self.obtain_checks, "obtain_methods")):
            codes = {c.strip() for c in (rec.get(key) or "").split(",") if c.strip()}
            for code, cb in checks.items():
                cb.setChecked(code in codes)
        self.reply_edit.set_value(rec.get("reply_date"))
        _set_combo(self.outcome_combo, rec.get("outcome"))
        self._on_outcome_changed()
        _set_combo(self.reason_combo, rec.get("outcome_reason"))
        if not rec.get("outcome"):
            _set_combo(self.status_combo, rec.get("status") or "received")
        self.notes_edit.setPlainText(rec.get("notes") or "")

    def record(self) -> dict:
        """The form's content as a record (codes and ISO dates)."""
        is_org = self.is_organisation()
        qd = self.receipt_edit.date()
        rec = {
            "serial": self.serial_edit.text().strip(),
            "receipt_date": _dt.date(qd.year(), qd.month(), qd.day()).isoformat(),
            "channel": self.channel_combo.currentData(),
            "status": self.status_combo.currentData(),
            "applicant_type": catalog.ORGANISATION if is_org else catalog.NATURAL_PERSON,
            "org_kind": self.org_kind_combo.currentData() if is_org else None,
            "applicant_name": (self.org_name if is_org else self.person_name).text().strip(),
            "id_type": (self.org_id_type if is_org else self.person_id_type).currentData(),
            "id_number": (self.org_id_number if is_org else self.person_id_number).text().strip().upper(),
            "work_unit": None if is_org else self.work_unit_edit.text().strip(),
            "legal_rep": self.legal_rep_edit.text().strip() if is_org else None,
            "contact_name": self.contact_edit.text().strip() if is_org else None,
            "phone": self.phone_edit.text().strip(),
            "fax": self.fax_edit.text().strip(),
            "address": self.address_edit.text().strip(),
            "postcode": self.postcode_edit.text().strip(),
            "email": self.email_edit.text().strip(),
            "info_description": self.description_edit.toPlainText().strip(),
            "info_title": self.title_edit.text().strip(),
            "info_doc_number": self.doc_number_edit.text().strip(),
            "info_index_number": self.index_edit.text().strip(),
            "info_purpose": self.purpose_edit.text().strip(),
            "delivery_forms": ",".join(c for c, cb in self.delivery_checks.items() if cb.isChecked()),
            "obtain_methods": ",".join(c for c, cb in self.obtain_checks.items() if cb.isChecked()),
            "reply_date": self.reply_edit.value(),
            "outcome": self.outcome_combo.currentData(),
            "outcome_reason": self.reason_combo.currentData(),
            "notes": self.notes_edit.toPlainText().strip(),
        }
        # Blank strings are stored as NULL, as the register does.
        return {k: (v if v != "" else None) for k, v in rec.items() if k in APPLICATION_FIELDS}

    def is_dirty(self) -> bool:
        return self.record() != self._initial

    # --- errors ------------------------------------------------------------------------------

    def _widget_for(self, field: str) -> QWidget | None:
        is_org = self.is_organisation()
        return {
            "serial": self.serial_edit,
            "receipt_date": self.receipt_edit,
            "channel": self.channel_combo,
            "status": self.status_combo,
            "applicant_type": self.person_radio,
            "org_kind": self.org_kind_combo,
            "applicant_name": self.org_name if is_org else self.person_name,
            "id_type": self.org_id_type if is_org else self.person_id_type,
            "id_number": self.org_id_number if is_org else self.person_id_number,
            "work_unit": self.work_unit_edit,
            "legal_rep": self.legal_rep_edit,
            "contact_name": self.contact_edit,
            "phone": self.phone_edit,
            "fax": self.fax_edit,
            "address": self.address_edit,
            "postcode": self.postcode_edit,
            "email": self.email_edit,
            "info_description": self.description_edit,
            "info_title": self.title_edit,
            "info_doc_number": self.doc_number_edit,
            "info_index_number": self.index_edit,
            "info_purpose": self.purpose_edit,
            "delivery_forms": next(iter(self.delivery_checks.values())),
            "obtain_methods": next(iter(self.obtain_checks.values())),
            "reply_date": self.reply_edit,
            "outcome": self.outcome_combo,
            "outcome_reason": self.reason_combo,
            "notes": self.notes_edit,
        }.get(field)

    def _label_for(self, field: str) -> ErrorLabel | None:
        is_org = self.is_organisation()
        if field == "applicant_name":
            return self.org_name_error if is_org else self.person_name_error
        if field == "id_number":
            return self.org_id_error if is_org else self.person_id_error
        return self.error_labels.get(field)

    #: Fields in the order they appear, for "focus the first bad one".
    _ORDER = ["serial", "receipt_date", "channel", "status", "applicant_type", "applicant_name",
              "org_kind", "work_unit", "id_type", "id_number", "legal_rep", "contact_name", "phone",
              "fax", "address", "postcode", "email", "info_description", "info_title",
              "info_doc_number", "info_index_number", "info_purpose", "delivery_forms",
              "obtain_methods", "reply_date", "outcome", "outcome_reason", "notes"]

    def show_errors(self, errors: dict[str, str], focus: bool = True) -> None:
        self._errors = dict(errors)
        all_labels = set(self.error_labels.values()) | {
            self.person_name_error, self.person_id_error, self.org_name_error, self.org_id_error}
        for label in all_labels:
            label.show_message(None)
        for field in APPLICATION_FIELDS:
            w = self._widget_for(field)
            if w is not None:
                mark_invalid(w, False)
        for w in (self.person_name, self.org_name, self.person_id_number, self.org_id_number):
            mark_invalid(w, False)
        unplaced = []
        for field, message in errors.items():
            label, widget = self._label_for(field), self._widget_for(field)
            if label is not None:
                label.show_message(message)
            else:
                unplaced.append(message)
            if widget is not None and field != "applicant_type":
                mark_invalid(widget, True)
        if errors:
            n = len(errors)
            extra = ("：" + "；".join(unplaced)) if unplaced else ""
            self.summary_label.setText(f"有 {n} 处需要修改，已用红框标出，请修改后再保存{extra}。")
            self.summary_label.show()
        else:
            self.summary_label.hide()
        if focus and errors:
            first = min(errors, key=lambda f: self._ORDER.index(f) if f in self._ORDER else 99)
            widget = self._widget_for(first)
            if widget is not None:
                target = widget.check if isinstance(widget, OptionalDateEdit) else widget
                self.scroll.ensureWidgetVisible(target)
                target.setFocus(Qt.OtherFocusReason)
                if isinstance(target, QLineEdit):
                    target.selectAll()

    # --- save / cancel ---------------------------------------------------------------------------

    def save(self) -> bool:
        """Save (the service validates); True when saved.  A save that
        would change a figure of a published annual report (a back-dated
        application, a changed outcome…) asks first; the clerk may go ahead."""
        rec = self.record()
        agreed: list[int] = []
        while True:
            try:
                if self.app_id is None:
                    saved = applications.register_application(self.session, rec, today=self.today,
                                                              published_agreed=agreed)
                else:
                    saved = applications.update_application(self.session, self.app_id, rec, today=self.today,
                                                            published_agreed=agreed)
                break
            except ValidationError as exc:
                self.show_errors(exc.errors)
                return False
            except YearLockedError as exc:
                from .published_check import ask_unlock

                if not ask_unlock(self.context, self, exc):
                    return False
            except PublishedChange as exc:
                from .published_check import ask

                if not ask(self.context, self, exc.years, exc.changes):
                    return False
                agreed += exc.years
            except NotFoundError as exc:
                QMessageBox.warning(self, self.windowTitle(), str(exc))
                return False
        self.saved_id = saved.app_id
        self.show_errors({}, focus=False)
        self._initial = rec
        self.saved_serial = saved.serial
        self.context.notify_changed()
        super().accept()
        return True

    def accept(self) -> None:  # Enter on the default button, or a caller
        self.save()

    def reject(self) -> None:
        if self.is_dirty():
            answer = QMessageBox.question(
                self, "放弃修改", "表单内容已修改，尚未保存。确定放弃这些修改吗？",
                QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Cancel)
            if answer != QMessageBox.Discard:
                return
        super().reject()

    def closeEvent(self, event) -> None:
        if self.isVisible() and self.is_dirty():
            answer = QMessageBox.question(
                self, "放弃修改", "表单内容已修改，尚未保存。确定放弃这些修改吗？",
                QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Cancel)
            if answer != QMessageBox.Discard:
                event.ignore()
                return
            self._initial = self.record()
        super().closeEvent(event)

"""Settings tab 期限与日历: the agency's time limits, the years whose
holiday schedule is known, the agency's own calendar adjustments and the
entry of a new year's official schedule.  Every change recomputes the
open applications and shows the deadlines that moved."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QSpinBox,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..domain import deadlines as dl
from ..domain.workdays import parse_schedule_notice, year_ranges
from ..services import calendar as cs
from ..services import deadlines as ds
from ..services.errors import CalendarError
from .deadline_dialogs import date_edit, pydate, show_moved

INT_RULES = ["reply_days", "extension_days", "correction_notice_days", "correction_period_days",
             "third_party_days", "fee_payment_days"]


class DeadlineSettingsTab(QWidget):
    # Long: builds the widgets top to bottom, in the order the clerk sees them
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setMinimumSize(820, 540)
        layout = QHBoxLayout(self)

        rules_box = QGroupBox("期限规则（工作日）")
        form = QFormLayout(rules_box)
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.preset = QComboBox()
        self.preset.addItem("自定义", None)
        for key, (label, _rules) in dl.PRESETS.items():
            self.preset.addItem(label, key)
        self.preset.activated.connect(self._apply_preset)
        form.addRow("预设：", self.preset)
        self.spins: dict[str, QSpinBox] = {}
        for name in INT_RULES:
            spin = QSpinBox()
            spin.setRange(1, 60)
            spin.setSuffix(" 个工作日")
            self.spins[name] = spin
            form.addRow(dl.DeadlineRules.LABELS[name].split("（")[0] + "：", spin)
        self.fee_counted = QCheckBox("缴费期间计入答复期限")
        self.fee_counted.setToolTip("默认不计入：自发出收费通知至申请人缴费之日不计入答复期限。")
        form.addRow("", self.fee_counted)
        self.old_rules = QCheckBox("2019年5月15日前收到的申请\n按2008年条例（15+15）计算")
        form.addRow("", self.old_rules)
        note = QLabel("条例规定：答复20个工作日，延期最长20个工作日（可设置更短）；"
                      "补正告知7个工作日内；第三方15个工作日；缴费20个工作日。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        form.addRow(note)
        layout.addWidget(rules_box, 5)

        cal_box = QGroupBox("工作日历")
        cl = QVBoxLayout(cal_box)
        self.covered = QLabel()
        self.covered.setWordWrap(True)
        self.covered.setTextFormat(Qt.RichText)
        cl.addWidget(self.covered)
        row = QHBoxLayout()
        self.schedule_button = QPushButton("录入新一年放假安排…")
        self.schedule_button.clicked.connect(self.enter_schedule)
        row.addWidget(self.schedule_button)
        self.remove_year_button = QPushButton("删除录入的年份…")
        self.remove_year_button.clicked.connect(self.remove_year)
        row.addWidget(self.remove_year_button)
        row.addStretch(1)
        cl.addLayout(row)
        cl.addWidget(QLabel("本机关的调整（如因灾害停止办公、集中补班）："))
        self.overrides = QTableWidget(0, 3)
        self.overrides.setHorizontalHeaderLabels(["日期", "设为", "原因"])
        self.overrides.verticalHeader().hide()
        self.overrides.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.overrides.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.overrides.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.overrides.setColumnWidth(0, 100)
        self.overrides.setColumnWidth(1, 64)
        cl.addWidget(self.overrides, 1)
        add_row = QHBoxLayout()
        self.override_date = date_edit()
        add_row.addWidget(self.override_date)
        self.override_kind = QComboBox()
        self.override_kind.addItems(["休息日", "工作日"])
        add_row.addWidget(self.override_kind)
        self.override_note = QLineEdit()
        self.override_note.setPlaceholderText("原因，如“台风停止办公”")
        add_row.addWidget(self.override_note, 1)
        cl.addLayout(add_row)
        buttons = QHBoxLayout()
        add = QPushButton("添加调整")
        add.clicked.connect(self.add_override)
        buttons.addWidget(add)
        remove = QPushButton("删除选中的调整")
        remove.clicked.connect(self.remove_override)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        cl.addLayout(buttons)
        hint = QLabel("日历调整和放假安排立即生效，并自动重新计算未办结申请的期限。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        cl.addWidget(hint)
        layout.addWidget(cal_box, 6)

        self.load()

    # --- rules ---------------------------------------------------------------------------

    def load(self) -> None:
        rules = ds.load_rules(self.context.session)
        self.set_rules(rules)
        self.refresh_calendar()

    def set_rules(self, rules: dl.DeadlineRules) -> None:
        for name, spin in self.spins.items():
            spin.setValue(getattr(rules, name))
        self.fee_counted.setChecked(rules.fee_time_counted)
        self.old_rules.setChecked(rules.old_rules_before_2019)
        idx = 0
        for i in range(1, self.preset.count()):
            key = self.preset.itemData(i)
            preset = dl.PRESETS[key][1]
            if all(getattr(preset, n) == getattr(rules, n) for n in ("reply_days", "extension_days")):
                idx = i
                break
        self.preset.setCurrentIndex(idx)

    def _apply_preset(self, index: int) -> None:
        key = self.preset.itemData(index)
        if key is None:
            return
        preset = dl.PRESETS[key][1]
        self.spins["reply_days"].setValue(preset.reply_days)
        self.spins["extension_days"].setValue(preset.extension_days)
        if key == "2008":
            QMessageBox.information(self, "预设", "2008年条例的15+15个工作日只适用于2019年5月15日前收到的申请。"
                                    "如只是处理旧记录，保持2019年条例并勾选“按2008年条例计算旧申请”即可。")

    def rules(self) -> dl.DeadlineRules:
        values = {name: spin.value() for name, spin in self.spins.items()}
        return dl.DeadlineRules(**values, fee_time_counted=self.fee_counted.isChecked(),
                                old_rules_before_2019=self.old_rules.isChecked())

    def validate(self) -> str | None:
        errors = self.rules().errors()
        return "\n".join(errors.values()) if errors else None

    def save(self) -> None:
        new = self.rules()
        if new == ds.load_rules(self.context.session):
            return
        moved = ds.save_rules(self.context.session, new)
        self.context.notify_changed()
        show_moved(self.context, moved, "期限规则已修改。", self.window())

    # --- calendar --------------------------------------------------------------------------

    def refresh_calendar(self) -> None:
        session = self.context.session
        calendar = cs.load_calendar(session)
        years = calendar.covered_years()
        this_year = _dt.date.today().year
        missing = [y for y in (this_year, this_year + 1) if y not in years]
        text = f"已掌握国家放假安排的年份：<b>{year_ranges(years)}</b>"
        entered = cs.entered_years(session)
        if entered:
            text += "<br>其中本机关录入：" + "、".join(
                f"{r.year}年{('（' + r.note + '）') if r.note else ''}" for r in entered)
        if missing:
            text += ("<br><span style='color:#c62828'>" + "、".join(f"{y}年" for y in missing) +
                     "的放假安排尚未录入：涉及这些年份的期限为暂定。国务院办公厅公布后请录入。</span>")
        self.covered.setText(text)
        self.remove_year_button.setEnabled(bool(entered))
        rows = cs.list_overrides(session)
        self.overrides.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for j, text in enumerate([r.date, "工作日" if r.is_workday else "休息日", r.note]):
                it = QTableWidgetItem(text)
                it.setData(Qt.UserRole, r.date)
                self.overrides.setItem(i, j, it)

    def add_override(self) -> None:
        d = pydate(self.override_date.date())
        on = self.override_kind.currentIndex() == 1
        try:
            moved = cs.set_override(self.context.session, d, on, self.override_note.text())
        except CalendarError as exc:
            QMessageBox.warning(self, "日历调整", str(exc))
            return
        self.override_note.clear()
        self.refresh_calendar()
        self.context.notify_changed()
        show_moved(self.context, moved, f"已将 {d.isoformat()} 设为本机关{'工作日' if on else '休息日'}。", self)

    def remove_override(self) -> None:
        items = self.overrides.selectedItems()
        if not items:
            QMessageBox.information(self, "日历调整", "请先在表格中选择要删除的调整。")
            return
        date = items[0].data(Qt.UserRole)
        try:
            moved = cs.remove_override(self.context.session, date)
        except CalendarError as exc:
            QMessageBox.warning(self, "日历调整", str(exc))
            return
        self.refresh_calendar()
        self.context.notify_changed()
        show_moved(self.context, moved, f"已取消 {date} 的调整。", self)

    def enter_schedule(self) -> None:
        dialog = ScheduleDialog(self.context, self)
        if dialog.exec():
            self.refresh_calendar()
            self.context.notify_changed()
            show_moved(self.context, dialog.moved, f"已录入{dialog.year}年放假安排。", self)

    def remove_year(self) -> None:
        entered = cs.entered_years(self.context.session)
        if not entered:
            return
        from PySide6.QtWidgets import QInputDialog

        labels = [f"{r.year}年" for r in entered]
        label, ok = QInputDialog.getItem(self, "删除录入的年份", "删除哪一年的放假安排：", labels, 0, False)
        if not ok:
            return
        year = int(label[:4])
        moved = cs.remove_year_schedule(self.context.session, year)
        self.refresh_calendar()
        self.context.notify_changed()
        show_moved(self.context, moved, f"已删除{year}年放假安排，涉及该年的期限恢复为暂定。", self)


class ScheduleDialog(QDialog):
    """Enter a year's official holiday schedule by pasting the notice."""

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.moved: list = []
        self.parsed: tuple[dict, dict] | None = None
        self.setWindowTitle("录入放假安排")
        self.resize(720, 620)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2060)
        covered = cs.load_calendar(context.session).covered_years()
        nxt = _dt.date.today().year + 1
        self.year_spin.setValue(nxt if nxt not in covered else max(covered) + 1)
        form.addRow("年份：", self.year_spin)
        self.note = QLineEdit()
        self.note.setPlaceholderText("通知文号，如 国办发明电〔2026〕5号")
        form.addRow("依据：", self.note)
        layout.addLayout(form)
        layout.addWidget(QLabel("把国务院办公厅《关于××××年部分节假日安排的通知》的正文粘贴在下面："))
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
                                     "二、春节：2月6日（农历腊月三十、周六）至14日放假调休，共9天。2月20日（周六）上班。\n…")
        layout.addWidget(self.text, 1)
        self.text.textChanged.connect(self._invalidate)
        self.year_spin.valueChanged.connect(self._invalidate)
        parse = QPushButton("识别")
        parse.clicked.connect(self.parse)
        layout.addWidget(parse, 0, Qt.AlignLeft)
        self.preview = QTableWidget(0, 3)
        self.preview.setHorizontalHeaderLabels(["日期", "安排", "节日"])
        self.preview.verticalHeader().hide()
        self.preview.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        layout.addWidget(self.preview, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("录入")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _invalidate(self, *_):
        self.parsed = None

    @property
    def year(self) -> int:
        return self.year_spin.value()

    def parse(self) -> bool:
        try:
            holidays, workdays = parse_schedule_notice(self.text.toPlainText(), self.year)
        except ValueError as exc:
            self.parsed = None
            self.preview.setRowCount(0)
            self.message.setStyleSheet("color: #c62828;")
            self.message.setText(str(exc))
            return False
        self.parsed = (holidays, workdays)
        rows = sorted([(d, "放假", n) for d, n in holidays.items()] + [(d, "调休上班", n) for d, n in workdays.items()])
        self.preview.setRowCount(len(rows))
        for i, (d, kind, name) in enumerate(rows):
            for j, text in enumerate([f"{d.isoformat()} 周{'一二三四五六日'[d.weekday()]}", kind, name]):
                self.preview.setItem(i, j, QTableWidgetItem(text))
        self.preview.resizeColumnsToContents()
        self.message.setStyleSheet("color: #2e7d32;")
        self.message.setText(f"识别出放假 {len(holidays)} 天、调休上班 {len(workdays)} 天。请核对后点“录入”。")
        return True

    def accept(self) -> None:
        if self.parsed is None and not self.parse():
            return
        holidays, workdays = self.parsed
        try:
            self.moved = cs.enter_year_schedule(self.context.session, self.year, holidays, workdays,
                                                self.note.text())
        except CalendarError as exc:
            self.message.setStyleSheet("color: #c62828;")
            self.message.setText(str(exc))
            return
        super().accept()

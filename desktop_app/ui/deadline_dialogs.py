"""Deadline dialogs: the workflow steps that move a deadline (补正告知,
收到补正, 延期, 第三方意见, 收费), the breakdown of a period (期限计算明细),
the deadline calculator and the list of deadlines a change moved.

The rules live in :mod:`desktop_app.domain.deadlines`; these dialogs only
collect input, show what the rules say and call
:func:`desktop_app.services.steps.record_step`.
"""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QCursor, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu, QMessageBox, QPlainTextEdit, QPushButton,
    QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..domain import deadlines as dl
from ..domain import fees
from ..services import applications, deadlines, notices, printing, steps
from ..services.errors import StepError
from ..services.settings import get_settings
from .party_type import party_type_combo

WEEKDAYS = "一二三四五六日"
HOLIDAY_BG = QColor("#fde7e7")
WEEKEND_BG = QColor("#f1f1f1")
PAUSE_BG = QColor("#fff1dc")
ADJUSTED_BG = QColor("#e3f0ff")
END_BG = QColor("#d9f2dc")


def today() -> _dt.date:
    return _dt.date.today()


def qdate(d: _dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> _dt.date:
    return _dt.date(q.year(), q.month(), q.day())


def date_edit(value: _dt.date | None = None) -> QDateEdit:
    w = QDateEdit()
    w.setCalendarPopup(True)
    w.setDisplayFormat("yyyy-MM-dd")
    w.setDate(qdate(value or today()))
    w.setMinimumWidth(130)
    return w


def fmt(d: _dt.date | None) -> str:
    if d is None:
        return "—"
    return f"{d.isoformat()}（周{WEEKDAYS[d.weekday()]}）"


def _info_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.RichText)
    label.setStyleSheet("QLabel { background: #f3f6fa; border: 1px solid #d5dde8; border-radius: 3px;"
                        " padding: 8px; }")
    return label


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #c62828;")
    label.hide()
    return label


# --- the workflow steps --------------------------------------------------------------------


class StepDialog(QDialog):
    """Record one workflow step on an application."""

    def __init__(self, context, app_id: int, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.app_id = app_id
        self.kind = kind
        self.state = deadlines.state_of(context.session, app_id)
        self.calendar = deadlines.load_calendar(context.session)
        self.rules = self.state.rules
        app = applications.get(context.session, app_id)
        self.setWindowTitle(f"{dl.STEP_LABELS[kind]} – {app.serial} {app.applicant_name}")
        self.setMinimumWidth(520)

        layout = QVBoxLayout(self)
        self.header = QLabel(f"<b>{app.serial}</b>　{app.applicant_name}　收到日期：{app.receipt_date}")
        layout.addWidget(self.header)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
        layout.addLayout(self.form)
        self.date = date_edit()
        self.date.setMaximumDate(qdate(today()))
        self.date.setMinimumDate(qdate(self.state.receipt))
        self.fields: dict[str, QWidget] = {}
        getattr(self, f"_build_{kind}")()
        self.info = _info_label()
        layout.addWidget(self.info)
        self.errors = _error_label()
        layout.addWidget(self.errors)
        layout.addStretch(1)  # spare height above the buttons, not around the header
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("记录")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.date.dateChanged.connect(self._update_info)
        for w in self.fields.values():
            for signal in ("valueChanged", "textChanged", "currentIndexChanged", "dateChanged"):
                if hasattr(w, signal):
                    getattr(w, signal).connect(self._update_info)
                    break
        self._update_info()

    # builders -------------------------------------------------------------------------------

    def _text(self, name, label, placeholder="", multiline=False):
        w = QPlainTextEdit() if multiline else QLineEdit()
        w.setPlaceholderText(placeholder)
        if multiline:
            w.setFixedHeight(80)
        self.fields[name] = w
        self.form.addRow(label, w)
        return w

    def _build_correction_requested(self):
        self.form.addRow("发出日期：", self.date)
        self._text("items", "需补正事项：", "一次性列明需要补正的全部事项", multiline=True)
        spin = QSpinBox()
        spin.setRange(1, 60)
        spin.setValue(self.rules.correction_period_days)
        spin.setSuffix(" 个工作日")
        self.fields["period_days"] = spin
        self.form.addRow("补正期限：", spin)

    def _build_corrected(self):
        self.form.addRow("收到补正材料日期：", self.date)
        self._text("note", "说明：", "可留空")

    def _build_extension(self):
        self.form.addRow("决定延期日期：", self.date)
        self._text("approver", "批准人：", "政府信息公开工作机构负责人姓名")
        approved = date_edit()
        approved.setMaximumDate(qdate(today()))
        self.fields["approved_on"] = approved
        self.form.addRow("批准日期：", approved)
        spin = QSpinBox()
        spin.setRange(1, self.rules.extension_days)
        spin.setValue(self.rules.extension_days)
        spin.setSuffix(" 个工作日")
        self.fields["days"] = spin
        self.form.addRow("延长期限：", spin)
        self._text("reason", "延期理由：", "如：所需信息涉及多个部门，需调取档案核查", multiline=True)
        if self.state.due_date and today() > self.state.due_date:
            self.date.setDate(qdate(self.state.due_date))

    def _build_third_party_sent(self):
        self.form.addRow("发函日期：", self.date)
        role = QComboBox()
        role.addItem("第三方（条例第三十二条）", "third_party")
        role.addItem("共同制作的行政机关（条例第三十四条，逾期视为同意）", "co_maker")
        self.fields["role"] = role
        self.form.addRow("征求对象：", role)
        self._text("third_party", "名称：", "第三方或共同制作机关的名称、姓名")
        party = party_type_combo()
        self.fields["party_type"] = party
        self.form.addRow("第三方是：", party)
        self._text("matter", "征求意见事项：", "可留空")
        note = QLabel("其15个工作日自收到征求意见函之日起计算：送达后请记录“征求意见函送达”。")
        note.setWordWrap(True)
        self.form.addRow(note)

    def _build_third_party_delivered(self):
        self.form.addRow("送达日期：", self.date)
        combo = QComboBox()
        for p in self.state.pauses:
            if p.kind == "third_party" and p.end is None:
                combo.addItem(f"{p.label or '第三方'}（{p.start.isoformat()}发函）", p.label)
        self.fields["third_party"] = combo
        self.form.addRow("第三方：", combo)

    def _build_third_party_replied(self):
        self.form.addRow("收到答复日期：", self.date)
        combo = QComboBox()
        for p in self.state.pauses:
            if p.kind == "third_party" and p.end is None:
                combo.addItem(f"{p.label or '第三方'}（{p.start.isoformat()}发函）", p.label)
        self.fields["third_party"] = combo
        self.form.addRow("第三方：", combo)
        opinion = QComboBox()
        opinion.addItems(["同意公开", "不同意公开", "部分同意", "其他"])
        self.fields["opinion"] = opinion
        self.form.addRow("意见：", opinion)
        self._text("note", "说明：", "可留空")

    def _build_fee_notice(self):
        self.form.addRow("通知日期：", self.date)
        amount = QDoubleSpinBox()
        amount.setRange(0, 1_000_000)
        amount.setDecimals(2)
        amount.setSuffix(" 元")
        self.fields["amount"] = amount
        method = QComboBox()
        for label in fees.FEE_METHODS.values():
            method.addItem(label, label)  # the step records the method's name
        default = get_settings(self.context.session).get("fee_method") or fees.PER_PIECE
        method.setCurrentIndex(max(0, method.findData(fees.FEE_METHODS.get(default, ""))))
        self.fields["method"] = method
        self.form.addRow("计收方式：", method)
        # 按量计收 needs the pages provided; the amount follows the quote (still editable)
        self.fee_pages = QSpinBox()
        self.fee_pages.setRange(0, 100_000)
        self.fee_pages.setSuffix(" 页")
        self.form.addRow("提供信息页数：", self.fee_pages)
        self.fee_quote_label = QLabel()
        self.fee_quote_label.setWordWrap(True)
        self.form.addRow("", self.fee_quote_label)
        self.form.addRow("收费金额：", amount)
        method.currentIndexChanged.connect(self._update_fee_quote)
        self.fee_pages.valueChanged.connect(self._update_fee_quote)
        self._update_fee_quote()

    def fee_method_code(self) -> str:
        label = self.fields["method"].currentData()
        return next((code for code, text in fees.FEE_METHODS.items() if text == label), fees.PER_PIECE)

    def _update_fee_quote(self, *_args) -> None:
        """The amount the fee rules give for this application, said in words
        (free when it is within the free range), and where 按量计收 is set."""
        code = self.fee_method_code()
        per_page = code == fees.PER_PAGE
        self.fee_pages.setEnabled(per_page)
        try:
            quote = notices.fee_quote(self.context.session, self.app_id, code,
                                      self.fee_pages.value() if per_page else None)
        except notices.NoticeError as exc:  # e.g. a page count that cannot be used: the reason is shown
            text = str(exc)
            free = False
        else:
            self.fields["amount"].setValue(quote.amount)
            text = quote.explanation()
            free = quote.free
        if free:
            text += "<br><b>不需要发出收费通知。</b>"
        other = "按件计收" if per_page else "按量计收（按提供的页数计收）"
        text += (f"<br><span style='color:#666'>改用{other}：在上面的“计收方式”中选择"
                 + ("" if per_page else "并填写页数") + "。本机关默认的计收方式在"
                 "“文件 → 设置 → 文书 → 收费方式”中设置。</span>")
        self.fee_quote_label.setText(text)

    def _build_deadline_set(self):
        self.form.addRow("决定日期：", self.date)
        due = date_edit(self.calendar._add(self.state.due_date or today(), 20))
        self.fields["due_date"] = due
        self.form.addRow("另行确定的答复期限：", due)
        self._text("reason", "理由：", "申请数量、频次明显超过合理范围，理由合理但无法在规定期限内答复", multiline=True)

    def _build_fee_paid(self):
        self.form.addRow("缴费日期：", self.date)
        self._text("note", "说明：", "可留空（如缴费凭证号）")

    # values ---------------------------------------------------------------------------------

    def data(self) -> dict:
        out = {}
        for name, w in self.fields.items():
            if name == "doc_number":
                continue
            if isinstance(w, QPlainTextEdit):
                out[name] = w.toPlainText().strip()
            elif isinstance(w, QLineEdit):
                out[name] = w.text().strip()
            elif isinstance(w, QDoubleSpinBox):
                out[name] = round(w.value(), 2)
            elif isinstance(w, QSpinBox):
                out[name] = w.value()
            elif isinstance(w, QDateEdit):
                out[name] = pydate(w.date()).isoformat()
            elif isinstance(w, QComboBox):
                out[name] = w.currentData() if w.currentData() is not None else w.currentText()
        return {k: v for k, v in out.items() if v not in ("", None)}

    def doc_number(self) -> str | None:
        w = self.fields.get("doc_number")
        return (w.text().strip() or None) if w is not None else None

    def step_date(self) -> _dt.date:
        return pydate(self.date.date())

    def _update_info(self, *_):
        d = self.step_date()
        cal, st, r = self.calendar, self.state, self.rules
        lines = []
        data = self.data()
        if self.kind == "correction_requested":
            lines.append(f"补正告知期限：收到申请后{r.correction_notice_days}个工作日内，即{fmt(st.correction_notice_due)}前。")
            period = data.get("period_days", r.correction_period_days)
            res = cal.due(d, period)
            lines.append(f"申请人应于 <b>{fmt(res.date)}</b> 前补正{'（暂定）' if res.provisional else ''}。")
            lines.append("发出后答复期限暂停；收到补正材料之日起重新计算"
                         f"{st.limit_days}个工作日。逾期不补正的，可按“其他处理（逾期不补正）”办结。")
        elif self.kind == "corrected":
            res = cal.due(d, st.limit_days)
            lines.append(f"答复期限自本日起重新计算{st.limit_days}个工作日，至 <b>{fmt(res.date)}</b>"
                         f"{'（暂定）' if res.provisional else ''}。")
            if st.correction and d > st.correction["deadline"]:
                lines.append(f"<span style='color:#b26a00'>补正期限已于{st.correction['deadline'].isoformat()}届满。</span>")
        elif self.kind == "extension":
            days = data.get("days", r.extension_days)
            lines.append(f"当前答复期限：{fmt(st.due_date)}。")
            if st.due_date:
                new, _ = dl.end_of_period(cal, st.clock_start, st.limit_days + days,
                                          [(p.start, p.effective_end() or p.limit) for p in st.pauses
                                           if (p.effective_end() or p.limit)])
                lines.append(f"延长{days}个工作日后：<b>{fmt(new)}</b>。")
            lines.append("依照条例第三十三条，延期须经政府信息公开工作机构负责人同意，只能延长一次，"
                         "并书面告知申请人。")
        elif self.kind == "third_party_sent":
            res = cal.due(d, r.third_party_days)
            lines.append(f"第三方应于 <b>{fmt(res.date)}</b> 前提出意见（{r.third_party_days}个工作日）；"
                         "逾期未提出的，由本机关依法决定。")
            lines.append("征求意见期间不计入答复期限（条例第三十二条、第三十三条）。")
        elif self.kind == "third_party_replied":
            lines.append("收到答复后恢复计算答复期限。")
        elif self.kind == "third_party_delivered":
            res = cal.due(d, r.third_party_days)
            lines.append(f"第三方自送达之日起{r.third_party_days}个工作日内提出意见，即 <b>{fmt(res.date)}</b> 前"
                         f"{'（暂定）' if res.provisional else ''}；其间不计入答复期限。")
        elif self.kind == "fee_notice":
            res = cal.due(d, r.fee_payment_days)
            lines.append(f"申请人应于 <b>{fmt(res.date)}</b> 前缴费（{r.fee_payment_days}个工作日）；"
                         "逾期未缴费的，可按“其他处理（逾期未缴费）”办结。")
            lines.append("缴费期间不计入答复期限。" if not r.fee_time_counted else "按本机关设置，缴费期间计入答复期限。")
        elif self.kind == "deadline_set":
            lines.append(f"现行答复期限：{fmt(st.due_date)}。")
            new = data.get("due_date")
            if new:
                lines.append(f"另行确定为：<b>{fmt(_dt.date.fromisoformat(new))}</b>。")
            lines.append("依照条例第三十五条，申请人的申请数量、频次明显超过合理范围，说明理由合理，"
                         "但无法在规定期限内答复的，可以确定合理的答复期限并告知申请人。")
        elif self.kind == "fee_paid":
            if st.fee:
                lines.append(f"收费通知：{st.fee['notice'].isoformat()}，缴费期限 {fmt(st.fee['deadline'])}。")
            lines.append("缴费后恢复计算答复期限。")
        self.info.setText("<br>".join(lines))

    def accept(self) -> None:
        errors, warnings = steps.check_step(self.context.session, self.app_id, self.kind, self.step_date(),
                                            self.data(), today())
        if errors:
            self.errors.setText("\n".join(errors))
            self.errors.show()
            return
        if warnings:
            answer = QMessageBox.question(
                self, "请确认", "\n".join(warnings) + "\n\n仍要记录吗？",
                QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
            if answer != QMessageBox.Yes:
                return
        try:
            steps.record_step(self.context.session, self.app_id, self.kind, self.step_date(), self.data(),
                              self.doc_number(), today())
        except (StepError, ValueError) as exc:
            self.errors.setText(str(exc))
            self.errors.show()
            return
        self.context.notify_changed()
        super().accept()


#: The written notice that goes with a step (打印文书).
STEP_NOTICES = {
    "correction_requested": ("correction", "补正告知书"),
    "extension": ("extension", "延期答复告知书"),
    "third_party_sent": ("third_party", "征求第三方意见函"),
    "fee_notice": ("fee", "收费通知书"),
    "deadline_set": ("later_date", "另行确定答复期限告知书"),
}


def open_step(context, app_id: int, kind: str, parent: QWidget | None = None, *,
              offer_notice: bool = True) -> bool:
    """Open the dialog of a step, or say why the step is not possible now.
    After a step that needs a written notice, offer to issue it."""
    st = deadlines.state_of(context.session, app_id)
    reason = dl.step_unavailable(kind, st)
    if reason:
        QMessageBox.information(parent, dl.STEP_LABELS[kind], reason)
        return False
    if not StepDialog(context, app_id, kind, parent).exec():
        return False
    if offer_notice and kind in STEP_NOTICES:
        offer_notice_for(context, app_id, kind, parent)
    return True


def offer_notice_for(context, app_id: int, kind: str, parent: QWidget | None = None) -> None:
    from .documents_actions import NoticeDialog

    notice_kind, title = STEP_NOTICES[kind]
    answer = QMessageBox.question(parent, dl.STEP_LABELS[kind], f"已记录。现在出具《{title}》吗？",
                                  QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes)
    if answer == QMessageBox.Yes:
        dialog = NoticeDialog(context, app_id, parent, kind=notice_kind)
        dialog.exec()
        dialog.deleteLater()


def _step_action(kind):
    def action(context, app_id, parent):
        return open_step(context, app_id, kind, parent)
    action.__name__ = f"{kind}_action"
    return action


correction_action = _step_action("correction_requested")
corrected_action = _step_action("corrected")
extension_action = _step_action("extension")
third_party_action = _step_action("third_party_sent")
third_party_replied_action = _step_action("third_party_replied")
fee_notice_action = _step_action("fee_notice")
fee_paid_action = _step_action("fee_paid")


def steps_menu(context, app_id: int, parent: QWidget | None = None) -> QMenu:
    """A menu of the workflow steps; impossible ones are disabled with
    the reason as their tooltip."""
    st = deadlines.state_of(context.session, app_id)
    menu = QMenu(parent)
    menu.setToolTipsVisible(True)
    for kind, label in dl.STEP_LABELS.items():
        act = menu.addAction(label + "…", lambda k=kind: open_step(context, app_id, k, parent))
        reason = dl.step_unavailable(kind, st)
        if reason:
            act.setEnabled(False)
            act.setToolTip(reason)
    menu.addSeparator()
    last = steps.last_step(context.session, app_id)
    label = (f"撤销最近一步（{dl.STEP_LABELS.get(last.kind, last.kind)} {last.date}）…"
             if last else "撤销最近一步…")
    act = menu.addAction(label, lambda: cancel_step(context, app_id, parent))
    if last is None or st.closed:
        act.setEnabled(False)
        act.setToolTip("没有可以撤销的办理步骤。" if last is None else "该申请已办结。")
    menu.addSeparator()
    menu.addAction("期限计算明细…", lambda: BreakdownDialog.for_application(context, app_id, parent).exec())
    return menu


def cancel_step(context, app_id: int, parent: QWidget | None = None, reason: str | None = None) -> bool:
    """Cancel the most recent workflow step after asking why; the
    timeline keeps the step and the cancellation."""
    from PySide6.QtWidgets import QInputDialog

    last = steps.last_step(context.session, app_id)
    if last is None:
        QMessageBox.information(parent, "撤销办理步骤", "本申请没有可以撤销的办理步骤。")
        return False
    label = dl.STEP_LABELS.get(last.kind, last.kind)
    if reason is None:
        reason, ok = QInputDialog.getText(
            parent, "撤销办理步骤",
            f"撤销{last.date}记录的“{label}”，答复期限将按撤销后的记录重新计算。\n"
            "原记录和撤销记录都会保留在办理记录中。\n\n撤销原因：")
        if not ok:
            return False
    try:
        steps.cancel_last_step(context.session, app_id, reason, today())
    except StepError as exc:
        QMessageBox.warning(parent, "撤销办理步骤", str(exc))
        return False
    context.notify_changed()
    return True


def workflow_action(context, app_id: int, parent: QWidget | None = None) -> None:
    """APPLICATION_ACTIONS entry: the menu of workflow steps at the cursor."""
    steps_menu(context, app_id, parent).exec(QCursor.pos())


def breakdown_action(context, app_id: int, parent: QWidget | None = None) -> None:
    BreakdownDialog.for_application(context, app_id, parent).exec()


# --- the breakdown -------------------------------------------------------------------------


class BreakdownTable(QTableWidget):
    """Day by day: the start day, each skipped day and why, each counted
    working day, the end day."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 4, parent)
        self.setHorizontalHeaderLabels(["日期", "星期", "计数", "说明"])
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        h = self.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        h.setSectionResizeMode(2, QHeaderView.ResizeToContents)
        h.setSectionResizeMode(3, QHeaderView.Stretch)
        self.verticalHeader().setDefaultSectionSize(24)

    def show_breakdown(self, b: dl.Breakdown) -> None:
        rows = [(b.start, "起算日", f"{b.start_note}（当日不计）", None)] + [
            (r.date, f"第{r.counted}日" if r.counted else "不计", r.reason, r) for r in b.rows]
        self.setRowCount(len(rows))
        for i, (d, count, note, r) in enumerate(rows):
            if r is not None and r.counted and d == b.end:
                note = ("届满日" + ("，" + note if note else "")) if note else "届满日"
            items = [QTableWidgetItem(d.isoformat()), QTableWidgetItem("周" + WEEKDAYS[d.weekday()]),
                     QTableWidgetItem(count), QTableWidgetItem(note)]
            items[1].setTextAlignment(Qt.AlignCenter)
            items[2].setTextAlignment(Qt.AlignCenter)
            bg = None
            if r is None:
                bg = QColor("#e8eef7")
            elif r.counted and d == b.end:
                bg = END_BG
                for it in items:
                    f = it.font()
                    f.setBold(True)
                    it.setFont(f)
            elif r.counted is None:
                if "不计入" in r.reason:
                    bg = PAUSE_BG
                elif r.reason == "周末":
                    bg = WEEKEND_BG
                else:
                    bg = HOLIDAY_BG
            elif "调休" in r.reason or "本机关" in r.reason:
                bg = ADJUSTED_BG
            for col, it in enumerate(items):
                if bg is not None:
                    it.setBackground(QBrush(bg))
                self.setItem(i, col, it)
        if b.end is not None:
            self.scrollToItem(self.item(len(rows) - 1, 0))


class BreakdownDialog(QDialog):
    """期限计算明细: choose a period, see every day."""

    def __init__(self, breakdowns: list[dl.Breakdown], title: str = "期限计算明细",
                 subtitle: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("期限计算明细")
        self.breakdowns = breakdowns
        self.header: list[tuple[str, str]] = []
        self.settings: dict = {}
        self.file_stem = "期限计算说明"
        self.resize(620, 640)
        layout = QVBoxLayout(self)
        head = QLabel(f"<b>{title}</b>" + (f"<br><span style='color:#555'>{subtitle}</span>" if subtitle else ""))
        head.setWordWrap(True)
        layout.addWidget(head)
        row = QHBoxLayout()
        row.addWidget(QLabel("期限："))
        self.choice = QComboBox()
        for b in breakdowns:
            self.choice.addItem(b.title)
        row.addWidget(self.choice, 1)
        layout.addLayout(row)
        self.summary = _info_label()
        layout.addWidget(self.summary)
        self.table = BreakdownTable()
        layout.addWidget(self.table, 1)
        legend = QLabel(
            "<span style='background:#fde7e7'>&nbsp;法定节假日&nbsp;</span>　"
            "<span style='background:#f1f1f1'>&nbsp;周末&nbsp;</span>　"
            "<span style='background:#fff1dc'>&nbsp;暂停不计&nbsp;</span>　"
            "<span style='background:#e3f0ff'>&nbsp;调休上班/本机关调整&nbsp;</span>　"
            "<span style='background:#d9f2dc'>&nbsp;届满日&nbsp;</span>")
        layout.addWidget(legend)
        buttons = QHBoxLayout()
        copy = QPushButton("复制明细")
        copy.setToolTip("把明细以文字复制到剪贴板，可粘贴到答复材料或说明中")
        copy.clicked.connect(self.copy_text)
        buttons.addWidget(copy)
        export = QPushButton("导出PDF…")
        export.setToolTip("把全部期限的逐日明细导出为“期限计算说明”PDF，可打印存档或提供给复议机关")
        export.clicked.connect(lambda: self.export_pdf())
        buttons.addWidget(export)
        self.export_button = export
        buttons.addStretch(1)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.choice.currentIndexChanged.connect(self._show)
        self._show(0)

    @classmethod
    def for_application(cls, context, app_id: int, parent: QWidget | None = None) -> BreakdownDialog:
        session = context.session
        app = applications.get(session, app_id)
        view = deadlines.view_of(session, app_id, today())
        subtitle = f"收到日期：{app.receipt_date}　状态：{view.label}"
        if view.due_date:
            subtitle += f"　答复期限：{view.due_date.isoformat()}"
        dialog = cls(deadlines.breakdowns(session, app_id), f"{app.serial}　{app.applicant_name}",
                     subtitle, parent)
        settings = get_settings(session)
        dialog.settings = settings
        dialog.file_stem = f"{app.serial}期限计算说明"
        dialog.header = [("机关", settings.get("agency_name") or ""), ("申请编号", app.serial or ""),
                         ("申请人", app.applicant_name or ""), ("收到日期", app.receipt_date or ""),
                         ("当前状态", view.label + (f"，答复期限 {view.due_date.isoformat()}" if view.due_date else ""))]
        return dialog

    def export_pdf(self, path: str | None = None) -> str | None:
        """Save every period's breakdown as a PDF; returns the path."""
        from PySide6.QtWidgets import QFileDialog

        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "导出期限计算说明", f"{self.file_stem}.pdf",
                                                  "PDF 文件 (*.pdf)")
            if not path:
                return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            printing.breakdown_pdf(self.breakdowns, self.header, path, settings=self.settings)
        except OSError as exc:
            QMessageBox.warning(self, "导出PDF", f"无法保存“{path}”：{exc.strerror or exc}。请换一个位置。")
            return None
        QMessageBox.information(self, "导出PDF", f"已保存：{path}")
        return path

    def current(self) -> dl.Breakdown | None:
        i = self.choice.currentIndex()
        return self.breakdowns[i] if 0 <= i < len(self.breakdowns) else None

    def _show(self, _i: int) -> None:
        b = self.current()
        if b is None:
            return
        skipped = [r for r in b.rows if r.counted is None]
        text = (f"起算日 {fmt(b.start)}（{b.start_note}，当日不计）→ 届满日 <b>{fmt(b.end)}</b>"
                f"<br>计入 {b.days} 个工作日，不计 {len(skipped)} 天"
                f"（周末 {sum(1 for r in skipped if r.reason == '周末')} 天，"
                f"节假日 {sum(1 for r in skipped if r.reason != '周末' and '不计入' not in r.reason)} 天，"
                f"暂停 {sum(1 for r in skipped if '不计入' in r.reason)} 天）")
        for note in b.notes:
            color = "#b26a00" if "暂定" in note or "注意" in note else "#333"
            text += f"<br><span style='color:{color}'>{note}</span>"
        self.summary.setText(text)
        self.table.show_breakdown(b)

    def copy_text(self) -> None:
        b = self.current()
        if b is not None:
            QGuiApplication.clipboard().setText(b.as_text())


# --- the calculator ----------------------------------------------------------------------------


class CalculatorDialog(QDialog):
    """期限计算器: a start date and N working days → the end date, with
    the day-by-day breakdown."""

    PRESETS = [("答复 20", 20), ("延期后 40", 40), ("补正告知 7", 7), ("第三方 15", 15), ("缴费 20", 20)]

    def __init__(self, context=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("期限计算器")
        self.resize(600, 640)
        session = context.session if context is not None else None
        self.calendar = deadlines.load_calendar(session)
        rules = deadlines.load_rules(session)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.start = date_edit()
        form.addRow("起算日（收到日期）：", self.start)
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setValue(rules.reply_days)
        self.days.setSuffix(" 个工作日")
        presets = QHBoxLayout()
        presets.addWidget(self.days)
        self.preset_buttons = []
        for label, n in [("答复", rules.reply_days), ("延期后", rules.reply_days + rules.extension_days),
                         ("补正告知", rules.correction_notice_days), ("第三方", rules.third_party_days),
                         ("缴费", rules.fee_payment_days)]:
            b = QPushButton(f"{label} {n}")
            b.setToolTip(f"{label}：{n}个工作日")
            b.clicked.connect(lambda _=False, v=n: self.days.setValue(v))
            presets.addWidget(b)
            self.preset_buttons.append(b)
        presets.addStretch(1)
        form.addRow("期限：", presets)
        layout.addLayout(form)
        self.result = QLabel()
        font = self.result.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.result.setFont(font)
        self.result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.result)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b26a00;")
        layout.addWidget(self.warning)
        note = QLabel("收到当日不计，N 个工作日的期限届满于其后第 N 个工作日；按国家法定节假日、调休安排及本机关设定的调整计算。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        self.table = BreakdownTable()
        layout.addWidget(self.table, 1)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.button(QDialogButtonBox.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.start.dateChanged.connect(self.recalculate)
        self.days.valueChanged.connect(self.recalculate)
        self.recalculate()

    def recalculate(self, *_):
        start = pydate(self.start.date())
        n = self.days.value()
        res = self.calendar.due(start, n)
        self.result_date = res.date
        self.result.setText(f"届满日：{fmt(res.date)}" + ("（暂定）" if res.provisional else ""))
        self.warning.setText(res.warning)
        self.warning.setVisible(res.provisional)
        self.table.show_breakdown(dl.period_breakdown(self.calendar, "", start, "起算日", n))


def calculator_action(context, main_window) -> None:
    """FILE_ACTIONS entry."""
    CalculatorDialog(context, main_window).exec()


# --- deadlines a change moved -------------------------------------------------------------------


class MovedDialog(QDialog):
    """The applications whose due date moved after a calendar or rules
    change, from what to what; double-click opens one."""

    def __init__(self, context, moved: list, reason: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.moved = moved
        self.setWindowTitle("答复期限已重新计算")
        self.resize(620, 420)
        layout = QVBoxLayout(self)
        head = QLabel(f"{reason}<br>以下 <b>{len(moved)}</b> 件未办结申请的答复期限发生了变化，请核对并视需要告知申请人：")
        head.setWordWrap(True)
        layout.addWidget(head)
        self.table = QTableWidget(len(moved), 4)
        self.table.setHorizontalHeaderLabels(["申请编号", "申请人", "原期限", "新期限"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        for i, m in enumerate(moved):
            for j, text in enumerate([m.serial, m.applicant_name, m.old or "—", m.new or "—"]):
                it = QTableWidgetItem(text)
                it.setData(Qt.UserRole, m.app_id)
                if j == 3:
                    f = it.font()
                    f.setBold(True)
                    it.setFont(f)
                self.table.setItem(i, j, it)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.itemDoubleClicked.connect(self._open)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok)
        buttons.button(QDialogButtonBox.Ok).setText("知道了")
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def _open(self, item) -> None:
        self.context.application_requested.emit(int(item.data(Qt.UserRole)))


def show_moved(context, moved: list, reason: str, parent: QWidget | None = None) -> None:
    """Tell the clerk what a change moved (a message when nothing did)."""
    if not moved:
        QMessageBox.information(parent, "答复期限", f"{reason}\n没有未办结申请的答复期限因此改变。")
        return
    MovedDialog(context, moved, reason, parent).exec()


def bold(label: QLabel) -> QLabel:
    f = QFont(label.font())
    f.setBold(True)
    label.setFont(f)
    return label

"""The 办理期限 section of the detail pane: the current due date, the
working days left, whether the clock runs or is paused (and why), the
steps that moved it, and buttons for the workflow steps and the
breakdown (期限计算明细)."""

from __future__ import annotations

import datetime as _dt
import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ..domain import deadlines as dl
from ..services import applications, deadlines
from ..services.errors import NotFoundError
from .deadline_dialogs import BreakdownDialog

WEEKDAYS = "一二三四五六日"


def _fmt(d: _dt.date | None) -> str:
    return f"{d.isoformat()}（周{WEEKDAYS[d.weekday()]}）" if d else "—"


class DeadlineSection(QWidget):
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.app_id: int | None = None
        self.today_override: _dt.date | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.badge = QLabel()
        self.badge.setTextFormat(Qt.RichText)
        layout.addWidget(self.badge)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.RichText)
        self.body.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.body.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.body.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
        layout.addWidget(self.body)
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        self.breakdown_button = QPushButton("期限计算明细…")
        self.breakdown_button.clicked.connect(self.open_breakdown)
        buttons.addWidget(self.breakdown_button)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close_as_lapsed)
        self.close_button.hide()
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        context.data_changed.connect(self.refresh)

    def today(self) -> _dt.date:
        return self.today_override or _dt.date.today()

    def set_application(self, app_id: int | None) -> None:
        self.app_id = app_id
        self.refresh()

    def _closed_text(self) -> str:
        try:
            app = applications.get(self.context.session, self.app_id)
        except NotFoundError:  # deleted meanwhile: the badge shows the state alone
            return ""
        return f"{app.reply_date}答复" if app.reply_date else ""

    def refresh(self) -> None:
        if self.app_id is None:
            self.badge.clear()
            self.body.clear()
            self.setEnabled(False)
            return
        try:
            st = deadlines.state_of(self.context.session, self.app_id)
            view = deadlines.view_of(self.context.session, self.app_id, self.today())
        except (LookupError, ValueError):
            self.badge.setText("无法计算期限（收到日期无效）。")
            self.body.clear()
            return
        self.setEnabled(True)
        color = {"overdue": "#c62828", "soon": "#e65100"}.get(view.level or "", "#2f6db5")
        if view.state == dl.CLOSED:
            color = "#555"
        # closed: “已办结” once, with the reply date (its state label would repeat it)
        second = view.label if view.label != view.days_text else self._closed_text()
        self.badge.setText(
            f"<span style='font-size:15pt; font-weight:bold; color:{color}'>{html.escape(view.days_text)}</span>"
            + (f"　<span style='color:{color}'>{html.escape(second)}</span>" if second else ""))
        rows = _fact_rows(st, view, self.today())
        lapse = dl.lapse_outcome(view)
        self.lapse = lapse
        if lapse:
            self.close_button.setText("按“其他处理（逾期不补正）”办结…" if lapse[1] == 1
                                      else "按“其他处理（逾期未缴费）”办结…")
        self.close_button.setVisible(bool(lapse))
        notes = list(st.warnings)
        if lapse:
            reason = "逾期不补正" if lapse[1] == 1 else "逾期未缴费"
            notes.insert(0, f"申请人{reason}，可按“其他处理（{reason}）”办结，不再处理该申请。")
        if view.provisional:
            notes.append("期限涉及放假安排尚未录入的年份，为暂定结果。")
        table = "".join(
            f"<tr><td style='color:#555; padding:1px 10px 1px 0; white-space:nowrap;'>{html.escape(k)}</td>"
            f"<td style='padding:1px 0;'>{html.escape(v)}</td></tr>" for k, v in rows)
        notes_html = "".join(f"<div style='color:#b26a00'>⚠ {html.escape(n)}</div>" for n in notes)
        self.body.setText(f"<table cellspacing='0'>{table}</table>{notes_html}")
        self.updateGeometry()

    def open_breakdown(self) -> None:
        if self.app_id is not None:
            BreakdownDialog.for_application(self.context, self.app_id, self).exec()

    def close_as_lapsed(self) -> None:
        """Close an application whose applicant let the correction or the
        payment period lapse: 其他处理, reason 1 or 2, replied today."""
        from PySide6.QtWidgets import QMessageBox

        from ..domain import catalog
        from ..services.errors import PublishedChange, ValidationError
        from ..services.year_lock import YearLockedError

        if self.app_id is None or not getattr(self, "lapse", None):
            return
        outcome, reason = self.lapse
        label = catalog.outcome_label(outcome, reason, short=True)
        day = min(self.today(), _dt.date.today())
        answer = QMessageBox.question(
            self, "办结", f"将本申请办结为“{label}”，答复日期为{day.isoformat()}？\n"
                        "办结后请向申请人出具相应告知书。",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if answer != QMessageBox.Yes:
            return
        from .published_check import ask

        changes = {"outcome": outcome, "outcome_reason": reason, "reply_date": day.isoformat()}
        agreed: list[int] = []
        while True:
            try:
                applications.update_application(self.context.session, self.app_id, changes,
                                                published_agreed=agreed)
                break
            except ValidationError as exc:
                QMessageBox.warning(self, "办结", str(exc))
                return
            except YearLockedError as exc:
                from .published_check import ask_unlock

                if not ask_unlock(self.context, self, exc):
                    return
            except PublishedChange as exc:
                if not ask(self.context, self, exc.years, exc.changes, action="办结"):
                    return
                agreed += exc.years
        self.context.notify_changed()


def _fact_rows(st, view, today: _dt.date) -> list[tuple[str, str]]:
    """(label, text) of each fact of the deadline worth showing."""
    rows = []
    if view.due_date:
        rows.append(("答复期限", _fmt(view.due_date) + ("（暂定）" if view.provisional else "")))
    elif st.correction and not st.correction.get("received"):
        rows.append(("答复期限", "收到补正材料后重新起算"))
    rows.append(("起算日", _fmt(st.clock_start) + ("（收到补正材料）" if st.clock_start != st.receipt else "")))
    rows.append(("期限", f"{st.limit_days}个工作日" + (f" + 延期{st.extension_days}个工作日" if st.extension_days else "")))
    if st.paused_days:
        rows.append(("不计入", f"{st.paused_days}个工作日（第三方意见、缴费期间）"))
    if not st.closed and st.correction is None and today <= st.correction_notice_due:
        rows.append(("补正告知期限", _fmt(st.correction_notice_due)))
    if st.correction:
        c = st.correction
        text = f"{c['sent'].isoformat()}发出，补正期限至{c['deadline'].isoformat()}"
        text += f"，{c['received'].isoformat()}收到补正" if c.get("received") else ""
        rows.append(("补正", text))
    for tp in st.third_parties:
        who = "共同制作机关" if tp.get("role") == "co_maker" else "第三方"
        text = f"{tp['name'] or who}：{tp['sent'].isoformat()}发函，"
        if tp.get("delivered"):
            text += f"{tp['delivered'].isoformat()}送达，意见期限{tp['deadline'].isoformat()}"
        else:
            text += f"意见期限暂按发函日计至{tp['deadline'].isoformat()}（送达后请记录送达日期）"
        if tp.get("replied"):
            text += f"，{tp['replied'].isoformat()}答复"
        elif tp.get("role") == "co_maker":
            text += "；逾期未答复视为同意"
        rows.append((who, text))
    if st.fee:
        f = st.fee
        text = f"{f['notice'].isoformat()}通知"
        if f.get("amount"):
            text += f"（{f['amount']}元）"
        text += f"，缴费期限{f['deadline'].isoformat()}"
        text += f"，{f['paid'].isoformat()}已缴费" if f.get("paid") else ""
        rows.append(("收费", text))
    if st.fixed_due:
        f = st.fixed_due
        rows.append(("另行确定", f"{f['date'].isoformat()}依照条例第三十五条确定答复期限至{f['due'].isoformat()}，"
                               f"理由：{f['reason']}"))
    if st.extension:
        e = st.extension
        rows.append(("延期", f"{e['date'].isoformat()}决定，批准人{e['approver']}（{e['approved_on']}），理由：{e['reason']}"))
    if st.closed and st.reply_date and st.due_date:
        rows.append(("答复", f"{st.reply_date.isoformat()}" + ("，逾期答复" if st.replied_late else "，按期答复")))
    return rows

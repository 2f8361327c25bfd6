"""打印文书: the notices of one application, the blank form, batch print,
and the 文书与收费 section of the detail pane.

Every document is shown in :class:`print_preview.PdfPreviewDialog` before
it is printed or saved.  A notice previewed from here is a draft: it takes
its document number (文号) and is recorded on the timeline only when the
clerk prints or exports it.
"""

from __future__ import annotations

import datetime as _dt
import gc
import logging

from PySide6.QtCore import QDate, Qt, QThread, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout,
    QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QProgressDialog,
    QPushButton, QSpinBox, QStackedWidget, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..domain import catalog, fees, reply_grounds
from ..domain.validation import parse_date
from ..services import applications, deadlines, notices, printing
from ..services import settings as settings_service
from ..services.applications import ApplicationQuery
from ..services.session import open_register
from ..services.settings import get_settings
from .print_preview import PdfPreviewDialog, suggested_path
from .widgets import ErrorLabel

log = logging.getLogger(__name__)

#: What 打印文书 offers: notice kinds, then the filled form and the envelope.
DOCUMENT_CHOICES: list[tuple[str, str]] = [
    *notices.NOTICE_KINDS.items(),
    ("form", "申请表（按本申请填写）"),
    ("envelope", "信封（DL 220×110mm）"),
]
SERVICE_MANNERS = ["直接送达", "邮寄送达", "留置送达", "电子送达", "委托送达"]


def _qdate(d: _dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> _dt.date:
    return _dt.date(q.year(), q.month(), q.day())


def _date_edit(value: _dt.date) -> QDateEdit:
    w = QDateEdit(_qdate(value))
    w.setCalendarPopup(True)
    w.setDisplayFormat("yyyy-MM-dd")
    w.setMinimumWidth(130)
    return w


def _deadline_state(context, app_id: int):
    try:
        return deadlines.state_of(context.session, app_id)
    except ValueError:  # no valid receipt date: the notice says what it needs
        return None


def font_warning(context) -> str | None:
    return printing.font_warning(context.session)


def show_preview(context, parent, pdf: bytes, *, title: str, file_name: str, commit=None, note: str = "") -> PdfPreviewDialog:
    dialog = PdfPreviewDialog(pdf, title=title, file_name=suggested_path(file_name), parent=parent,
                              commit=commit, note=note, warning=font_warning(context))
    dialog.exec()
    dialog.deleteLater()  # delete in the GUI thread, not whenever the garbage collector runs
    return dialog


def reprint(context, issued_id: int, parent) -> None:
    doc = notices.get_issued(context.session, issued_id)
    pdf = printing.notice_pdf(doc.snapshot)
    show_preview(context, parent, pdf, title=f"{doc.snapshot.get('label')} {doc.doc_number}",
                 file_name=f"{doc.snapshot.get('serial') or ''}_{doc.snapshot.get('label')}_{doc.doc_number}",
                 note=f"重新打印已出具的文书（{doc.issued_on}，{doc.doc_number}），内容与原件相同。")


# --- 打印文书 (one application) ----------------------------------------------------------


class NoticeDialog(QDialog):
    """Choose a document for one application, fill in what the record
    does not say, preview, then print or export."""

    # Long: builds the widgets top to bottom, in the order the clerk sees them
    def __init__(self, context, app_id: int, parent: QWidget | None = None, kind: str | None = None):
        super().__init__(parent)
        self.context = context
        self.app_id = app_id
        self.record = applications.get(context.session, app_id)
        self.state = _deadline_state(context, app_id)
        self.setWindowTitle(f"打印文书 — {self.record.serial} {self.record.applicant_name}")
        layout = QVBoxLayout(self)

        top = QFormLayout()
        top.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.kind_combo = QComboBox()
        for code, label in DOCUMENT_CHOICES:
            self.kind_combo.addItem(label, code)
        if not self.record.outcome:
            i = self.kind_combo.findData("reply")
            self.kind_combo.setItemText(i, "答复告知书（须先填写办理结果）")
        top.addRow("文书：", self.kind_combo)
        self.date_edit = _date_edit(_dt.date.today())
        top.addRow("发文日期：", self.date_edit)
        self.envelope_check = QCheckBox("文书之后附信封（DL 220×110mm）")
        self.envelope_check.setChecked(self.record.channel in ("letter", "online", "email", "fax", "other"))
        top.addRow("", self.envelope_check)
        layout.addLayout(top)

        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        self.fields: dict[str, object] = {}
        for code, _label in DOCUMENT_CHOICES:
            page = self._build_page(code)
            self.pages[code] = page
            self.stack.addWidget(page)
        layout.addWidget(self.stack, 1)

        self.error = ErrorLabel()
        layout.addWidget(self.error)

        issued_box = QGroupBox("本申请已出具的文书")
        ib = QVBoxLayout(issued_box)
        self.issued_table = QTableWidget(0, 3)
        self.issued_table.setHorizontalHeaderLabels(["日期", "文号", "文书"])
        self.issued_table.verticalHeader().hide()
        self.issued_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.issued_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.issued_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.issued_table.setMaximumHeight(130)
        self.issued_table.doubleClicked.connect(self.reprint_selected)
        ib.addWidget(self.issued_table)
        self.reprint_button = QPushButton("重新打印所选文书…")
        self.reprint_button.clicked.connect(self.reprint_selected)
        rb = QHBoxLayout()
        rb.addStretch(1)
        rb.addWidget(self.reprint_button)
        ib.addLayout(rb)
        layout.addWidget(issued_box)

        buttons = QDialogButtonBox()
        self.preview_button = buttons.addButton("预览…", QDialogButtonBox.AcceptRole)
        self.preview_button.setDefault(True)
        buttons.addButton("关闭", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.preview)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        if kind:
            i = self.kind_combo.findData(kind)
            if i >= 0:
                self.kind_combo.setCurrentIndex(i)
        self._kind_changed()
        self._load_issued()
        self.resize(640, 620)

    # --- the per-kind fields -----------------------------------------------------------

    def _text(self, key: str, value: str = "", multiline: bool = False, placeholder: str = ""):
        w = QPlainTextEdit(value) if multiline else QLineEdit(value)
        w.setPlaceholderText(placeholder)
        if multiline:
            w.setTabChangesFocus(True)
            w.setMinimumHeight(70)
        self.fields[key] = w
        return w

    # Long: one settings page's fields, top to bottom as the clerk sees them
    def _build_page(self, code: str) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        st = self.state
        rec = self.record
        note = None
        if code == "receipt":
            note = "回执写明收到日期、申请方式、申请内容和答复期限（按工作日历计算）。"
        elif code == "correction":
            items = str((getattr(st, "correction", None) or {}).get("items") or "")
            form.addRow("需要补正的事项：", self._text(
                "correction.补正内容", items, True, "一次性列明全部需要补正的内容，每项一行"))
            note = ("补正期限按“期限与日历”设置中的补正期限自发文日期起计算。"
                    "发出告知后，请在“办理步骤”中记录补正告知，以暂停计算答复期限。")
        elif code == "extension":
            ext = getattr(st, "extension", None) or {}
            form.addRow("延期理由：", self._text("extension.延期理由", str(ext.get("reason") or ""), False,
                                               "如：所需信息涉及多个部门，需要协调"))
            if ext:
                note = (f"延期已记录（批准人：{ext.get('approver', '')}，延长{ext.get('days', '')}个工作日），"
                        "告知书采用其中的日期。")
            else:
                form.addRow("批准人：", self._text("extension.批准人", "", False, "政府信息公开工作机构负责人"))
                note = ("本申请尚未记录延期：出具本告知书将同时记录延期（以发文日期为决定和批准日期，"
                        "延长天数按“期限与日历”设置）。")
        elif code == "third_party":
            from .party_type import party_type_combo

            tps = list(getattr(st, "third_parties", None) or [])
            last = tps[-1] if tps else {}
            form.addRow("第三方名称：", self._text("third_party.第三方", str(last.get("name") or "")))
            role = QComboBox()
            role.addItem("第三方（条例第三十二条）", "third_party")
            role.addItem("共同制作的行政机关（条例第三十四条）", "co_maker")
            if last.get("role") == "co_maker":
                role.setCurrentIndex(1)
            self.fields["third_party.征求对象"] = role
            form.addRow("征求对象：", role)
            # the recorded type, else 法人或者其他组织: the letter says 你单位 or 您 by it
            party = party_type_combo(str(last.get("party_type") or "") or None)
            self.fields["third_party.第三方类型"] = party
            form.addRow("第三方是：", party)
            form.addRow("第三方地址：", self._text("third_party.第三方地址", "", False, "用于信封"))
            form.addRow("第三方邮编：", self._text("third_party.第三方邮编"))
            form.addRow("涉及的信息：", self._text("third_party.涉及信息", rec.info_description or "", True))
            form.addRow("征求理由：", self._text("third_party.征求理由", "", True,
                                               "留空时使用：该信息可能涉及你单位（自然人称“您”）的商业秘密、个人隐私等合法权益……"))
        elif code == "fee":
            self.fee_method = QComboBox()
            for m, label in fees.FEE_METHODS.items():
                self.fee_method.addItem(label, m)
            method = self.context.settings().get("fee_method") or fees.PER_PIECE
            self.fee_method.setCurrentIndex(max(0, self.fee_method.findData(method)))
            self.fee_pages = QSpinBox()
            self.fee_pages.setRange(0, 100000)
            self.fee_pages.setSuffix(" 页")
            self.fee_label = QLabel()
            self.fee_label.setWordWrap(True)
            form.addRow("收费方式：", self.fee_method)
            form.addRow("提供信息页数：", self.fee_pages)
            form.addRow("应缴金额：", self.fee_label)
            self.fee_method.currentIndexChanged.connect(self._update_fee)
            self.fee_pages.valueChanged.connect(self._update_fee)
            self._update_fee()
        elif code == "reply":
            outcome = rec.outcome
            if outcome:
                form.addRow("办理结果：", QLabel(catalog.outcome_label(outcome, rec.outcome_reason)))
                self.ground_combo = QComboBox()
                choices = reply_grounds.grounds_for(outcome, int(rec.outcome_reason) if rec.outcome_reason else None)
                for g in choices:
                    self.ground_combo.addItem(g.label, g.code)
                form.addRow("答复类型：", self.ground_combo)
                self.ground_citation = QLabel()
                self.ground_citation.setWordWrap(True)
                form.addRow("依据条款：", self.ground_citation)
                self.need_rows: dict[str, list[str]] = {}
                seen: set[str] = set()
                for g in choices:
                    self.need_rows[g.code] = [n.label for n in g.needs]
                    for n in g.needs:
                        if n.label in seen:
                            continue
                        seen.add(n.label)
                        form.addRow(f"{n.label}：", self._text(f"reply.{n.label}", "", n.multiline, n.hint))
                if outcome == "withheld":
                    form.addRow("具体理由：", self._text("reply.理由", "", True, "可留空；填写后附在决定之后"))
                else:
                    form.addRow("补充内容：", self._text("reply.答复内容", "", True, "可留空"))
                self.ground_combo.currentIndexChanged.connect(self._ground_changed)
                self._reply_form = form
                self._ground_changed()
                note = ("答复告知书以答复日期为发文日期；救济途径按“设置 → 文书 → 救济途径”中的机关类别和答复日期写明"
                        "（2024年1月1日起，不予公开须先申请行政复议）。")
            else:
                note = "本申请尚未填写办理结果。请先在申请中填写办理结果和答复日期，再出具答复告知书。"
        elif code == "service":
            served = QComboBox()
            served.setEditable(True)
            for d in notices.list_issued(self.context.session, self.app_id):
                if d.kind != "service":
                    served.insertItem(0, f"{d.snapshot.get('title') or d.kind}（{d.doc_number}）")
            served.setCurrentIndex(0)
            self.fields["service.送达文书"] = served
            form.addRow("送达文书：", served)
            manner = QComboBox()
            manner.setEditable(True)
            manner.addItems(SERVICE_MANNERS)
            manner.setCurrentText("直接送达" if rec.channel == "in_person" else "邮寄送达")
            self.fields["service.送达方式"] = manner
            form.addRow("送达方式：", manner)
            form.addRow("送达地点：", self._text("service.送达地点", rec.address or ""))
        elif code == "later_date":
            fixed = getattr(st, "fixed_due", None) or {}
            form.addRow("另行确定的答复期限：", self._text(
                "later_date.另行确定期限", fixed["due"].isoformat() if fixed.get("due") else "", False, "如 2026-06-30"))
            form.addRow("理由：", self._text("later_date.理由", str(fixed.get("reason") or ""), True,
                                           "申请人说明的理由合理，但无法在规定期限内答复的原因"))
            note = "条例第三十五条。尚未记录“另行确定答复期限”的，出具本告知书时一并记录。"
        elif code == "form":
            note = "按本申请的登记信息填好的《政府信息公开申请表》，不编文号。"
        elif code == "envelope":
            note = "收件人为申请人（地址、邮编取自申请），寄件人为本机关（见“设置 → 机关信息”）。"
        if note:
            lab = QLabel(note)
            lab.setWordWrap(True)
            lab.setStyleSheet("color: #555;")
            form.addRow(lab)
        return page

    def _ground_changed(self, *_args) -> None:
        code = self.ground_combo.currentData()
        ground = reply_grounds.BY_CODE[code]
        clause = reply_grounds.clause_for(ground, settings_service.remedy_first_grounds(self.context.session))
        self.ground_citation.setText(
            f"条例{ground.citation or '（按所写依据）'}；救济途径："
            + ("先申请行政复议（复议前置）" if clause.value == "reconsideration_first" else "行政复议或者行政诉讼"))
        wanted = set(self.need_rows.get(code, []))
        for labels in self.need_rows.values():
            for label in labels:
                self._reply_form.setRowVisible(self.fields[f"reply.{label}"], label in wanted)

    def _update_fee(self) -> None:
        method = self.fee_method.currentData()
        self.fee_pages.setEnabled(method == fees.PER_PAGE)
        try:
            quote = notices.fee_quote(self.context.session, self.app_id, method,
                                      self.fee_pages.value() if method == fees.PER_PAGE else None)
            self.fee_label.setText(quote.explanation())
        except (notices.NoticeError, ValueError) as exc:
            self.fee_label.setText(str(exc))

    def _kind_changed(self) -> None:
        code = self.kind_combo.currentData()
        self.stack.setCurrentWidget(self.pages[code])
        self.error.show_message(None)
        reply = parse_date(self.record.reply_date) if self.record.reply_date else None
        if code == "reply" and reply is not None:
            self.date_edit.setDate(_qdate(reply))
        elif code != "reply":
            self.date_edit.setDate(_qdate(_dt.date.today()))
        self.date_edit.setEnabled(code not in ("form", "envelope"))
        self.envelope_check.setEnabled(code not in ("form", "envelope"))
        self.preview_button.setEnabled(not (code == "reply" and not self.record.outcome))

    def extras(self, code: str) -> dict:
        out: dict = {}
        prefix = code + "."
        for key, w in self.fields.items():
            if not key.startswith(prefix):
                continue
            name = key[len(prefix):]
            if isinstance(w, QPlainTextEdit):
                value = w.toPlainText().strip()
            elif isinstance(w, QComboBox):
                value = w.currentData() if w.currentData() is not None else w.currentText().strip()
            else:
                value = w.text().strip()
            if value:
                out[name] = value
        if code == "reply" and hasattr(self, "ground_combo"):
            out["答复类型"] = self.ground_combo.currentData()
        if code == "fee":
            out["收费方式代码"] = self.fee_method.currentData()
            if self.fee_method.currentData() == fees.PER_PAGE:
                out["页数"] = self.fee_pages.value()
        return out

    # --- preview / print -------------------------------------------------------------------

    def preview(self) -> None:
        code = self.kind_combo.currentData()
        session = self.context.session
        record = applications.get(session, self.app_id)
        if code == "form":
            pdf = printing.form_pdf(session, self.app_id)
            show_preview(self.context, self, pdf, title=f"申请表 {record.serial}",
                         file_name=f"{record.serial}_申请表")
            return
        if code == "envelope":
            if not (record.address or "").strip():
                self.error.show_message("本申请没有通信地址，无法打印信封。请先在申请中填写通信地址和邮政编码。")
                return
            pdf = printing.envelope_pdf(notices.envelope_snapshot(session, self.app_id))
            show_preview(self.context, self, pdf, title=f"信封 {record.serial}", file_name=f"{record.serial}_信封")
            return
        try:
            draft = self._prepare(code)
        except notices.NoticeError as exc:
            self.error.show_message(str(exc))
            return
        if draft is None:
            return
        self.error.show_message(None)
        with_envelope = self.envelope_check.isChecked()
        pdf = printing.notice_pdf(draft.snapshot, with_envelope=with_envelope)

        def commit() -> bytes:
            issued = notices.issue(self.context.session, draft)
            return printing.notice_pdf(issued.snapshot, with_envelope=with_envelope)

        dialog = show_preview(
            self.context, self, pdf, title=f"{draft.label} {record.serial}",
            file_name=f"{record.serial}_{draft.label}_{draft.doc_number}", commit=commit,
            note=f"预览为草稿。打印或导出时，本文书编为 {draft.doc_number}，并记入本申请的办理记录。"
                 + "".join("\n⚠ " + w for w in draft.warnings or []))
        if dialog.committed:
            self.context.notify_changed()
            self._load_issued()

    def _prepare(self, code: str):
        """The draft; a kind already issued asks first (a new 文号 is
        taken).  None when the clerk declines."""
        session = self.context.session
        day = _pydate(self.date_edit.date())
        try:
            return notices.prepare(session, self.app_id, code, issue_date=day, extras=self.extras(code))
        except notices.AlreadyIssuedError as exc:
            answer = QMessageBox.question(self, "再次出具", f"{exc}\n\n仍要再次出具吗？",
                                          QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
            if answer != QMessageBox.Yes:
                return None
            return notices.prepare(session, self.app_id, code, issue_date=day, extras=self.extras(code),
                                   again=True)

    def _load_issued(self) -> None:
        docs = notices.list_issued(self.context.session, self.app_id)
        self.issued_table.setRowCount(len(docs))
        for row, d in enumerate(docs):
            for col, value in enumerate([d.issued_on, d.doc_number, d.snapshot.get("label") or d.kind]):
                item = QTableWidgetItem(value)
                item.setData(Qt.UserRole, d.id)
                self.issued_table.setItem(row, col, item)
        self.issued_table.resizeColumnsToContents()
        # room for a date and a 文号 even while the list is empty
        fm = self.issued_table.fontMetrics()
        for col, sample in ((0, "0000-00-00"), (1, "望政公开〔0000〕第000号")):
            self.issued_table.setColumnWidth(
                col, max(self.issued_table.columnWidth(col), fm.horizontalAdvance(sample) + 16))
        self.issued_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.reprint_button.setEnabled(bool(docs))

    def reprint_selected(self, *_args) -> None:
        row = self.issued_table.currentRow()
        if row < 0:
            self.error.show_message("请先在列表中选择要重新打印的文书。")
            return
        reprint(self.context, self.issued_table.item(row, 0).data(Qt.UserRole), self)


def print_documents_action(context, app_id: int, parent) -> None:
    """The application action 打印文书…"""
    dialog = NoticeDialog(context, app_id, parent)
    dialog.exec()
    dialog.deleteLater()


def blank_form_action(context, main_window) -> None:
    """The 文件 menu entry 打印空白申请表."""
    pdf = printing.form_pdf(context.session)
    show_preview(context, main_window, pdf, title="政府信息公开申请表（空白）", file_name="政府信息公开申请表")


# --- batch print ---------------------------------------------------------------------------


class BatchWorker(QThread):
    """Prepare, number and render the notices of several applications in
    a thread with its own database connection."""

    progress = Signal(int, int, str)
    done = Signal(bytes, list)
    failed = Signal(str)

    def __init__(self, db_path, app_ids: list[int], kind: str, envelopes: str, issue_date: _dt.date | None):
        super().__init__()
        self.db_path, self.app_ids, self.kind = db_path, app_ids, kind
        self.envelopes, self.issue_date = envelopes, issue_date

    def run(self) -> None:
        result = error = None
        try:
            with open_register(self.db_path) as session:
                n = len(self.app_ids)
                self.progress.emit(0, n * 2, "正在检查所选申请…")
                drafts = notices.prepare_many(session, self.app_ids, self.kind, issue_date=self.issue_date)
                issued = notices.issue_many(session, drafts,
                                            progress=lambda i, t: self.progress.emit(i // 2, n * 2, "正在编号…"))
                settings = get_settings(session)
            pdf = printing.batch_pdf([d.snapshot for d in issued], envelopes=self.envelopes, settings=settings,
                                     progress=lambda i, t: self.progress.emit(n // 2 + i // 2, n * 2, "正在排版…"))
            self.progress.emit(n * 2, n * 2, "完成")
            result = (pdf, [d.doc_number for d in issued])
        except notices.NoticeError as exc:
            error = str(exc)
        except Exception as exc:  # any failure is reported to the clerk, never lost in the thread
            log.exception("batch print failed")
            error = f"批量生成文书失败：{exc}"
        if result is not None:
            self.done.emit(*result)
        else:
            self.failed.emit(error)


class BatchDialog(QDialog):
    """Select applications, a notice kind and envelopes; number them all
    and preview one PDF for one print run."""

    # Long: builds the widgets top to bottom, in the order the clerk sees them
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("批量打印文书")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.kind_combo = QComboBox()
        for code, label in notices.NOTICE_KINDS.items():
            self.kind_combo.addItem(label, code)
        self.envelope_combo = QComboBox()
        self.envelope_combo.addItem("文书并附信封", printing.WITH_ENVELOPE)
        self.envelope_combo.addItem("只打印文书", printing.NONE)
        self.envelope_combo.addItem("只打印信封", printing.ENVELOPE_ONLY)
        self.open_only = QCheckBox("只列出未办结的申请")
        self.open_only.setChecked(True)
        self.date_edit = _date_edit(_dt.date.today())
        self.same_date = QCheckBox("统一发文日期")
        self.same_date.setToolTip("不勾选时：答复告知书用各自的答复日期，其他文书用今天。")
        for w in (QLabel("文书："), self.kind_combo, QLabel("信封："), self.envelope_combo, self.same_date,
                  self.date_edit):
            top.addWidget(w)
        top.addStretch(1)
        layout.addLayout(top)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("按申请人、编号或内容筛选")
        self.search.setClearButtonEnabled(True)
        self.select_all = QPushButton("全选")
        self.select_none = QPushButton("全不选")
        filters.addWidget(self.open_only)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.select_all)
        filters.addWidget(self.select_none)
        layout.addLayout(filters)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["", "申请编号", "申请人", "收到日期", "状态 / 结果"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        layout.addWidget(self.table, 1)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.go_button = buttons.addButton("编号并预览…", QDialogButtonBox.AcceptRole)
        buttons.addButton("关闭", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.worker: BatchWorker | None = None
        self.result_pdf: bytes | None = None

        self.date_edit.setEnabled(False)
        self.same_date.toggled.connect(self.date_edit.setEnabled)
        self.open_only.toggled.connect(self.load)
        self.search.textChanged.connect(self.load)
        self.kind_combo.currentIndexChanged.connect(self.load)
        self.select_all.clicked.connect(lambda: self._check_all(True))
        self.select_none.clicked.connect(lambda: self._check_all(False))
        self.table.itemChanged.connect(self._update_summary)
        self.load()
        self.resize(820, 560)

    def load(self) -> None:
        kind = self.kind_combo.currentData()
        status = "open" if self.open_only.isChecked() and kind != "reply" else None
        rows = applications.search(self.context.session,
                                   ApplicationQuery(status=status, text=self.search.text() or None))
        if kind == "reply":
            rows = [r for r in rows if r.outcome]
        rows = [r for r in rows if not r.deleted_at]
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemIsUserCheckable | Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            check.setCheckState(Qt.Unchecked)
            check.setData(Qt.UserRole, r.id)
            self.table.setItem(i, 0, check)
            state = catalog.outcome_label(r.outcome, r.outcome_reason) or catalog.STATUSES.get(r.status or "", "")
            for col, value in enumerate([r.serial, r.applicant_name, r.receipt_date, state], start=1):
                self.table.setItem(i, col, QTableWidgetItem(str(value or "")))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.table.blockSignals(False)
        self._update_summary()

    def _check_all(self, on: bool) -> None:
        self.table.blockSignals(True)
        for i in range(self.table.rowCount()):
            self.table.item(i, 0).setCheckState(Qt.Checked if on else Qt.Unchecked)
        self.table.blockSignals(False)
        self._update_summary()

    def checked_ids(self) -> list[int]:
        return [self.table.item(i, 0).data(Qt.UserRole) for i in range(self.table.rowCount())
                if self.table.item(i, 0).checkState() == Qt.Checked]

    def _update_summary(self, *_args) -> None:
        n = len(self.checked_ids())
        self.summary.setText(f"已选 {n} 件（共列出 {self.table.rowCount()} 件）。"
                             "每件文书将编文号并记入办理记录。")
        self.go_button.setEnabled(n > 0)

    def start(self) -> None:
        ids = self.checked_ids()
        if not ids:
            return
        self.error.show_message(None)
        kind = self.kind_combo.currentData()
        ids, done = notices.split_issued(self.context.session, ids, kind)
        if done:
            listed = "\n".join(f"{serial}：{doc.issued_on}（{doc.doc_number}）" for serial, doc in done[:12])
            more = f"\n……共{len(done)}件" if len(done) > 12 else ""
            if not ids:
                QMessageBox.information(self, "批量打印文书", f"所选申请都已出具过该文书，本次不出具：\n{listed}{more}\n\n"
                                        "只需再打印一份的，请在该申请的“打印文书”中选择重新打印。")
                return
            answer = QMessageBox.question(
                self, "批量打印文书",
                f"以下{len(done)}件申请已出具过该文书，将跳过（不再编新的文号）：\n{listed}{more}\n\n"
                f"为其余{len(ids)}件出具吗？", QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes)
            if answer != QMessageBox.Yes:
                return
        issue_date = _pydate(self.date_edit.date()) if self.same_date.isChecked() else None
        self.go_button.setEnabled(False)
        self.progress = QProgressDialog("正在准备…", None, 0, len(ids) * 2, self)
        self.progress.setWindowTitle("批量打印文书")
        self.progress.setWindowModality(Qt.WindowModal)
        self.progress.setMinimumDuration(0)
        # Python's cyclic garbage collector must not run in the worker
        # thread: it could finalise a closed Qt widget there, which Qt
        # aborts on.  Collect now, in the GUI thread, and pause it while
        # the worker runs (reference counting still frees everything else).
        gc.collect()
        gc.disable()
        self.worker = BatchWorker(self.context.db_path, ids, kind, self.envelope_combo.currentData(), issue_date)
        self.worker.progress.connect(self._on_progress)
        self.worker.done.connect(self._on_done)
        self.worker.failed.connect(self._on_failed)
        self.worker.finished.connect(self._on_finished)
        self.worker.start()

    def _on_finished(self) -> None:
        # Only now may the QThread object go: dropping it while run() is
        # still returning would abort the process.
        gc.enable()
        if self.worker is not None:
            self.worker.deleteLater()
            self.worker = None

    def _on_progress(self, value: int, total: int, text: str) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(value)
        self.progress.setLabelText(text)

    def _on_failed(self, message: str) -> None:
        self.progress.close()
        self.go_button.setEnabled(True)
        self.error.show_message(message)

    def _on_done(self, pdf: bytes, numbers: list) -> None:
        self.progress.close()
        self.result_pdf = pdf
        self.context.notify_changed()
        self.load()
        show_preview(self.context, self, pdf, title=f"批量打印（{len(numbers)}件）",
                     file_name=f"批量文书_{numbers[0]}_{len(numbers)}件",
                     note=f"已出具 {len(numbers)} 件文书：{numbers[0]} 至 {numbers[-1]}，已记入各申请的办理记录。")

    def reject(self) -> None:
        if self.worker is not None and self.worker.isRunning():
            QMessageBox.information(self, "批量打印文书", "正在生成文书，请稍候。")
            return
        super().reject()


def batch_print_action(context, main_window) -> None:
    """FILE_ACTIONS entry 批量打印文书…"""
    dialog = BatchDialog(context, main_window)
    dialog.exec()
    dialog.deleteLater()


# --- detail section ----------------------------------------------------------------------------


class DocumentsSection(QWidget):
    """DETAIL_SECTIONS entry 文书与收费: the processing fee under the
    agency's method, and the documents issued for this application."""

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.app_id: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.fee_label = QLabel()
        self.fee_label.setWordWrap(True)
        self.fee_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.fee_label)
        self.docs_label = QLabel()
        self.docs_label.setWordWrap(True)
        self.docs_label.setTextFormat(Qt.RichText)
        self.docs_label.setTextInteractionFlags(Qt.TextBrowserInteraction)
        self.docs_label.linkActivated.connect(self._link)
        layout.addWidget(self.docs_label)
        row = QHBoxLayout()
        self.print_button = QPushButton("打印文书…")
        self.print_button.clicked.connect(self._print)
        row.addWidget(self.print_button)
        row.addStretch(1)
        layout.addLayout(row)
        context.data_changed.connect(self.refresh)

    def _print(self) -> None:
        if self.app_id is not None:
            print_documents_action(self.context, self.app_id, self)

    def set_application(self, app_id: int | None) -> None:
        self.app_id = app_id
        self.refresh()

    def refresh(self) -> None:
        if self.app_id is None:
            self.fee_label.clear()
            self.docs_label.clear()
            self.setEnabled(False)
            return
        try:
            applications.get(self.context.session, self.app_id)
        except LookupError:
            self.set_application(None)
            return
        self.setEnabled(True)
        self.fee_label.setText("信息处理费：" + fee_summary(self.context, self.app_id))
        docs = notices.list_issued(self.context.session, self.app_id)
        if not docs:
            self.docs_label.setText("已出具文书：无")
            return
        items = "".join(
            f"<li>{d.issued_on}　{d.snapshot.get('label') or d.kind}　{d.doc_number}　"
            f"<a href='reprint:{d.id}'>重新打印</a></li>" for d in docs)
        self.docs_label.setText(f"已出具文书：<ul style='margin-left:-20px'>{items}</ul>")

    def _link(self, href: str) -> None:
        if href.startswith("reprint:"):
            reprint(self.context, int(href.split(":", 1)[1]), self)


def fee_summary(context, app_id: int) -> str:
    method = context.settings().get("fee_method") or fees.PER_PIECE
    if method == fees.PER_PAGE:
        return "按量计收：30页以下（含）不收费，出具收费通知书时按提供的页数计算。"
    try:
        return notices.fee_quote(context.session, app_id, method).explanation()
    except (ValueError, notices.NoticeError) as exc:
        return str(exc)

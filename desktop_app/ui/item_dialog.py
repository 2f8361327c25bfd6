"""The form of one proactive-disclosure item (主动公开事项): what it is,
when it was formed and published and where, its 公开属性 and Art. 20 item,
a document's life (生效、修订、废止), its interpretations and comment
periods, who checked it.  Validation is the service's; errors show in red
beside each field.  Thin over :mod:`desktop_app.services.items`."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QGroupBox,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QScrollArea,
    QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from ..domain import items as di
from ..domain import proactive as pr
from ..services import items
from ..services.errors import ValidationError
from .widgets import ErrorLabel, OptionalDateEdit, mark_invalid

PERIOD_HEADERS = ["开始日期", "结束日期", "征求渠道", "收到意见（条）", "意见采纳情况"]
PERIOD_KEYS = ["start_on", "end_on", "channel", "comments_received", "usage"]


class ItemDialog(QDialog):
    """New item (``item_id`` None) or an existing one.  ``saved_id`` is set
    after a successful save."""

    def __init__(self, context, item_id: int | None = None, parent: QWidget | None = None, *,
                 interpretation_of: int | None = None):
        super().__init__(parent)
        self.context = context
        self.session = context.session
        self.item_id = item_id
        self.saved_id: int | None = None
        self.record = items.get(self.session, item_id) if item_id else None
        self.setWindowTitle("主动公开事项" + (f"：{self.record.index_no}" if self.record else "（新增）"))
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, ErrorLabel] = {}

        tabs = QTabWidget()
        tabs.addTab(self._scroll(self._basic_tab()), "基本信息")
        tabs.addTab(self._scroll(self._document_tab()), "文件效力与解读")
        tabs.addTab(self._scroll(self._review_tab()), "审查与征求意见")
        self.tabs = tabs
        self.deadline_label = QLabel()
        self.deadline_label.setWordWrap(True)
        self.deadline_label.setTextFormat(Qt.RichText)
        self.summary_error = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("保存")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.deadline_label)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.summary_error)
        layout.addWidget(buttons)
        self.resize(820, 660)
        self._load(interpretation_of)

    # --- building ---------------------------------------------------------------------------

    @staticmethod
    def _scroll(w: QWidget) -> QScrollArea:
        s = QScrollArea()
        s.setWidgetResizable(True)
        s.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        s.setWidget(w)
        return s

    def _row(self, form: QFormLayout, key: str, widget: QWidget, label: str | None = None) -> None:
        self.widgets[key] = widget
        err = ErrorLabel()
        self.errors[key] = err
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addWidget(widget)
        v.addWidget(err)
        v.addStretch(1)
        form.addRow((label or di.FIELD_LABELS[key]) + "：", box)
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)

    def _date(self) -> OptionalDateEdit:
        return OptionalDateEdit("有")

    def _basic_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        index = QLineEdit()
        index.setPlaceholderText(f"留空自动编号，如 {items.next_index_no(self.session, self.context.today().year)}")
        self._row(form, "index_no", index)
        self._row(form, "title", QLineEdit(), "信息名称 *")
        self._row(form, "doc_number", QLineEdit())
        issuer = QLineEdit()
        issuer.setPlaceholderText("联合发文的，填牵头机关")
        self._row(form, "issuer", issuer)
        kind = QComboBox()
        for k in pr.DocKind:
            kind.addItem(k.label, k.value)
        self._row(form, "kind", kind)
        self._row(form, "formed_on", self._date(), "形成或者变更日期")
        self._row(form, "published_on", self._date())
        channels = QWidget()
        grid = QGridLayout(channels)
        grid.setContentsMargins(0, 0, 0, 0)
        self.channel_boxes: dict[str, QCheckBox] = {}
        for i, (code, label) in enumerate(pr.CHANNELS.items()):
            box = QCheckBox(label)
            self.channel_boxes[code] = box
            grid.addWidget(box, i // 3, i % 3)
        self._row(form, "channels", channels)
        attribute = QComboBox()
        for a in pr.Attribute:
            attribute.addItem(a.label, a.value)
        self._row(form, "attribute", attribute)
        reason = QLineEdit()
        reason.setPlaceholderText("依申请公开或不予公开时必填，如“《条例》第十六条 内部事务信息”")
        self._row(form, "attribute_reason", reason, "理由")
        art20 = QComboBox()
        art20.addItem("（不属于第二十条所列事项）", None)
        for n, text in pr.ART20_ITEMS.items():
            label = pr.art20_label(n)
            art20.addItem(f"{label[label.index('（'):]} {text}", n)
            art20.setItemData(art20.count() - 1, f"{label}：{text}", Qt.ToolTipRole)
        art20.setMaximumWidth(520)
        self._row(form, "art20", art20)
        self._row(form, "topic", QLineEdit())
        summary = QPlainTextEdit()
        summary.setTabChangesFocus(True)
        summary.setFixedHeight(80)
        self._row(form, "summary", summary)
        attribute.currentIndexChanged.connect(self._attribute_changed)
        kind.currentIndexChanged.connect(self._kind_changed)
        return w

    def _document_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.life_box = QGroupBox("规章、行政规范性文件的效力")
        form = QFormLayout(self.life_box)
        self._row(form, "issued_on", self._date(), "制发日期（留空同形成日期）")
        self._row(form, "effective_on", self._date())
        self._row(form, "amended_on", self._date())
        self._row(form, "repealed_on", self._date())
        self._row(form, "expires_on", self._date())
        self.validity_label = QLabel()
        form.addRow("有效性：", self.validity_label)
        v.addWidget(self.life_box)
        self.interp_box = QGroupBox("政策解读")
        f2 = QFormLayout(self.interp_box)
        parent = QComboBox()
        parent.addItem("（请选择所解读的文件）", None)
        for r in items.list_items(self.session, items.ItemFilter(kind="normative"), limit=5000) + \
                items.list_items(self.session, items.ItemFilter(kind="rule"), limit=5000) + \
                items.list_items(self.session, items.ItemFilter(kind="other"), limit=2000):
            if r.id != self.item_id:
                parent.addItem(f"{r.title}" + (f"（{r.doc_number}）" if r.doc_number else ""), r.id)
        parent.setMaximumWidth(520)
        self._row(f2, "interpretation_of", parent)
        v.addWidget(self.interp_box)
        self.children_box = QGroupBox("本文件的政策解读")
        cv = QVBoxLayout(self.children_box)
        self.children_label = QLabel()
        self.children_label.setWordWrap(True)
        cv.addWidget(self.children_label)
        v.addWidget(self.children_box)
        self._row(QFormLayout(), "due_override", self._date())  # kept on the review tab
        v.addStretch(1)
        return w

    def _review_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        box = QGroupBox("保密审查和签发")
        form = QFormLayout(box)
        self._row(form, "reviewed_by", QLineEdit())
        self._row(form, "reviewed_on", self._date())
        self._row(form, "signed_off_by", QLineEdit())
        self._row(form, "signed_off_on", self._date())
        due = self.widgets["due_override"]
        err = self.errors["due_override"]
        holder = QWidget()
        hv = QVBoxLayout(holder)
        hv.setContentsMargins(0, 0, 0, 0)
        hv.addWidget(due)
        hv.addWidget(err)
        form.addRow("法律、法规另定的公开期限：", holder)
        v.addWidget(box)
        pbox = QGroupBox("征求意见（草案公开征求意见的期间、渠道和意见采纳情况）")
        pv = QVBoxLayout(pbox)
        self.periods = QTableWidget(0, len(PERIOD_HEADERS))
        self.periods.setHorizontalHeaderLabels(PERIOD_HEADERS)
        self.periods.verticalHeader().hide()
        self.periods.horizontalHeader().setSectionResizeMode(4, QHeaderView.Stretch)
        self.periods.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.periods.setMinimumHeight(120)
        row = QHBoxLayout()
        add = QPushButton("添加征求意见期")
        add.clicked.connect(lambda: self._add_period({}))
        remove = QPushButton("删除所选")
        remove.clicked.connect(lambda: self.periods.removeRow(self.periods.currentRow()))
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        pv.addWidget(self.periods)
        pv.addLayout(row)
        self.period_error = ErrorLabel()
        pv.addWidget(self.period_error)
        v.addWidget(pbox)
        self._row(QFormLayout(), "notes", QPlainTextEdit())
        notes = QGroupBox("备注")
        nv = QVBoxLayout(notes)
        nv.addWidget(self.widgets["notes"])
        nv.addWidget(self.errors["notes"])
        self.widgets["notes"].setMaximumHeight(70)
        v.addWidget(notes)
        v.addStretch(1)
        return w

    def _add_period(self, values: dict) -> None:
        r = self.periods.rowCount()
        self.periods.insertRow(r)
        for c, key in enumerate(PERIOD_KEYS):
            v = values.get(key)
            self.periods.setItem(r, c, QTableWidgetItem("" if v is None else str(v)))

    # --- values -------------------------------------------------------------------------------

    def _load(self, interpretation_of: int | None) -> None:
        r = self.record
        if r is None:
            if interpretation_of:
                self._set("kind", "interpretation")
                self._set("interpretation_of", interpretation_of)
            self._kind_changed()
            self._attribute_changed()
            self._show_deadline()
            return
        for key in di.EDITABLE_FIELDS:
            self._set(key, getattr(r, key))
        for p in r.comment_periods:
            self._add_period({k: getattr(p, k) for k in PERIOD_KEYS})
        children = items.interpretations(self.session, r.id)
        self.children_label.setText("；".join(f"{c.title}（{c.published_on or '未公开'}）" for c in children)
                                    or "尚无。新增解读时在“类别”中选“政策解读”并选择本文件。")
        self.validity_label.setText(di.validity(r, self.context.today()) or "—")
        self._kind_changed()
        self._attribute_changed()
        self._show_deadline()

    def _set(self, key: str, value) -> None:
        w = self.widgets[key]
        if key == "channels":
            for code, box in self.channel_boxes.items():
                box.setChecked(code in (value or ()))
        elif isinstance(w, OptionalDateEdit):
            w.set_value(value)
        elif isinstance(w, QComboBox):
            i = w.findData(value)
            w.setCurrentIndex(max(i, 0))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(value or "")
        elif isinstance(w, QLineEdit):
            w.setText("" if value is None else str(value))

    def values(self) -> dict:
        out: dict = {}
        for key, w in self.widgets.items():
            if key == "channels":
                out[key] = [c for c, box in self.channel_boxes.items() if box.isChecked()]
            elif isinstance(w, OptionalDateEdit):
                out[key] = w.value()
            elif isinstance(w, QComboBox):
                out[key] = w.currentData()
            elif isinstance(w, QPlainTextEdit):
                out[key] = w.toPlainText()
            elif isinstance(w, QLineEdit):
                out[key] = w.text()
        periods = []
        for r in range(self.periods.rowCount()):
            row = {k: (self.periods.item(r, c).text().strip() if self.periods.item(r, c) else "")
                   for c, k in enumerate(PERIOD_KEYS)}
            if any(row.values()):
                periods.append(row)
        out["comment_periods"] = periods
        return out

    def _kind_changed(self) -> None:
        kind = self.widgets["kind"].currentData()
        self.life_box.setEnabled(kind in ("rule", "normative"))
        self.interp_box.setEnabled(kind == "interpretation")
        self.children_box.setVisible(self.record is not None and kind in ("rule", "normative", "other"))
        if kind == "rule" and not items.may_make_rules(self.session) and not (self.record and self.record.kind == "rule"):
            self.errors["kind"].show_message(di.RULES_REFUSED)
        else:
            self.errors["kind"].show_message(None)

    def _attribute_changed(self) -> None:
        proactive = self.widgets["attribute"].currentData() == "proactive"
        self.widgets["attribute_reason"].setEnabled(not proactive)

    def _show_deadline(self) -> None:
        if self.record is None:
            self.deadline_label.setText("应在信息形成或者变更之日起20个工作日内公开；政策解读在文件公开后3个工作日内公开。")
            return
        dl = items.deadline(self.session, self.record, self.context.today())
        color = {"overdue": "#b3261e", "late": "#b3261e", "due_soon": "#e65100"}.get(dl.state.value, "#1b5e20")
        extra = ""
        if dl.state in (pr.Timeliness.OVERDUE, pr.Timeliness.LATE):
            extra = f"（晚{dl.working_days_late}个工作日）"
        elif dl.state in (pr.Timeliness.OPEN, pr.Timeliness.DUE_SOON):
            extra = f"（还有{dl.working_days_left}个工作日）"
        due = f"应公开日期 <b>{dl.due}</b>，" if dl.due else ""
        self.deadline_label.setText(f"{due}<span style='color:{color}'><b>{dl.state.label}</b>{extra}</span>"
                                    + (f"　<span style='color:#666'>{dl.basis}</span>" if dl.basis else ""))

    # --- saving ----------------------------------------------------------------------------------

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.show_message(errors.get(key))
            w = self.widgets[key]
            if key != "channels":
                mark_invalid(w, key in errors)
        periods = [m for k, m in errors.items() if k.startswith("comment_period")]
        self.period_error.show_message("；".join(periods) or None)
        names = [di.FIELD_LABELS.get(k, "征求意见") for k in errors]
        self.summary_error.show_message(f"有{len(errors)}处需要修改，未保存：{'、'.join(dict.fromkeys(names))}。"
                                        "请按各项下方的红字修改。" if errors else None)
        for i, tab_keys in enumerate((("index_no", "title", "doc_number", "issuer", "kind", "formed_on",
                                       "published_on", "channels", "attribute", "attribute_reason", "art20",
                                       "topic", "summary"),
                                      ("issued_on", "effective_on", "amended_on", "repealed_on", "expires_on",
                                       "interpretation_of"))):
            if any(k in errors for k in tab_keys):
                self.tabs.setCurrentIndex(i)
                break
        else:
            if errors:
                self.tabs.setCurrentIndex(2)

    def save(self) -> bool:
        values = self.values()
        today = self.context.today()
        try:
            old = self.record
            years = items.published_years_changed_by_item(self.session, old, values)
            if years:
                answer = QMessageBox.warning(
                    self, "已发布的年度报告", f"此修改会改变已发布的{'、'.join(f'{y}年' for y in years)}"
                    "年度报告第二部分的数字。确定要保存吗？", QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
                if answer != QMessageBox.Yes:
                    return False
            if self.item_id is None:
                self.saved_id = items.add(self.session, values, today=today)
            else:
                items.change(self.session, self.item_id, values, today=today)
                self.saved_id = self.item_id
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return False
        self.show_errors({})
        self.context.notify_changed()
        self.accept()
        return True


def open_item_dialog(context, item_id: int | None, parent: QWidget | None) -> int | None:
    """Open the form (modal); the saved item's id, or None when cancelled."""
    dialog = ItemDialog(context, item_id, parent)
    dialog.exec()
    return dialog.saved_id


def today_of(context) -> _dt.date:
    return context.today()

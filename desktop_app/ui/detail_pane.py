"""The detail pane beside the register: one application's full record
(unmasked: this is the clerk's own screen), its timeline, the sections
and the commands on it that ``ui.features`` lists."""

from __future__ import annotations

import html
import re
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame, QLabel, QLayout, QPushButton, QScrollArea, QSizePolicy, QToolButton, QVBoxLayout, QWidget,
)

from ..domain import catalog
from ..domain.records import Application, Event
from ..domain.validation import format_date_cn
from ..services import applications
from ..services.errors import NotFoundError
from .registry import Feature
from .widgets import CollapsibleSection, FlowLayout, PlaceholderPage, heading_label, load_feature, run_feature

log = logging.getLogger(__name__)

_DATA_LABELS = {
    "channel": ("申请方式", lambda v: catalog.CHANNELS.get(v, v)),
    "due_date": ("答复期限", None),
    "new_due_date": ("延长后期限", None),
    "deadline": ("期限", None),
    "reason": ("理由", None),
    "note": ("备注", None),
    "text": ("说明", None),
    "summary": ("说明", None),
    "amount": ("金额", None),
    "third_party": ("第三方", None),
    "document": ("文书", None),
    "title": ("文书", None),
}


def _codes_label(mapping: dict[str, str], value: str | None) -> str:
    if not value:
        return ""
    return "、".join(mapping.get(c.strip(), c.strip()) for c in value.split(",") if c.strip())


def describe_event(event: Event) -> str:
    """A one-line Chinese description of an event's data."""
    data = event.data or {}
    if event.kind == "replied" and data.get("outcome"):
        return catalog.outcome_label(data.get("outcome"), data.get("outcome_reason"))
    if isinstance(data.get("summary"), str):
        return data["summary"]
    parts = []
    for key, value in data.items():
        if value in (None, "", [], {}):
            continue
        label, fmt = _DATA_LABELS.get(key, (None, None))
        if label is None:
            continue
        parts.append(f"{label}：{fmt(value) if fmt else value}")
    return "；".join(parts)


def application_field_rows(record: Application) -> list[tuple[str, str]]:
    """(label, text) pairs of an application for display, unmasked,
    skipping empty fields."""
    app = record.values()
    is_org = app.get("applicant_type") == catalog.ORGANISATION
    rows = [
        ("申请编号", app.get("serial")),
        ("收到日期", format_date_cn(app.get("receipt_date"))),
        ("申请方式", catalog.CHANNELS.get(app.get("channel"), app.get("channel") or "")),
        ("申请人类型", catalog.APPLICANT_TYPES.get(app.get("applicant_type"), "")
         + (f"（{catalog.ORG_KINDS.get(app.get('org_kind'), '')}）" if is_org else "")),
        ("名称" if is_org else "姓名", app.get("applicant_name")),
        (catalog.ID_TYPES.get(app.get("id_type"), "证件号码") if app.get("id_type") else "证件号码",
         app.get("id_number")),
        ("工作单位", None if is_org else app.get("work_unit")),
        ("法定代表人", app.get("legal_rep") if is_org else None),
        ("联系人", app.get("contact_name") if is_org else None),
        ("联系电话", app.get("phone")),
        ("传真", app.get("fax")),
        ("通信地址", app.get("address")),
        ("邮政编码", app.get("postcode")),
        ("电子邮箱", app.get("email")),
        ("申请内容", app.get("info_description")),
        ("文件名称", app.get("info_title")),
        ("文号", app.get("info_doc_number")),
        ("索引号", app.get("info_index_number")),
        ("用途", app.get("info_purpose")),
        ("载体形式", _codes_label(catalog.DELIVERY_FORMS, app.get("delivery_forms"))),
        ("获取方式", _codes_label(catalog.OBTAIN_METHODS, app.get("obtain_methods"))),
        ("办理状态", catalog.STATUSES.get(app.get("status"), app.get("status") or "")),
        ("答复日期", format_date_cn(app.get("reply_date"))),
        ("办理结果", catalog.outcome_label(app.get("outcome"), app.get("outcome_reason"), short=False)),
        ("备注", app.get("notes")),
    ]
    return [(label, str(text)) for label, text in rows if text not in (None, "")]


_LONG_TOKEN = re.compile(r"[!-~]{19,}")


def _breakable(match: re.Match) -> str:
    """A long e-mail address, web address or file name may wrap after its
    separators (an 18-character ID or credit code stays whole)."""
    return re.sub(r"([@./_\-?&=])", "\\1\u200b", match.group(0))


def _rich(text: str) -> str:
    return html.escape(_LONG_TOKEN.sub(_breakable, text)).replace("\n", "<br>")


class DetailPane(QScrollArea):
    """Shows one application; ``set_application(None)`` shows a hint."""

    edit_requested = Signal(int)

    # Long: builds the widgets top to bottom, in the order the clerk sees them
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.app_id: int | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.StyledPanel)
        # an 18-character credit code or ID number beside its label fits without sideways scrolling
        # (about 270 pixels); narrower would hide the register's deadline columns at 1024×768
        self.setMinimumWidth(290)
        body = QWidget()
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)

        self.empty_label = QLabel("在表格中选择一件申请，\n即可在此查看详情与办理记录。")
        self.empty_label.setAlignment(Qt.AlignCenter)
        self.empty_label.setStyleSheet("color: #777;")
        layout.addWidget(self.empty_label)

        self.content = QWidget()
        c = QVBoxLayout(self.content)
        c.setContentsMargins(0, 0, 0, 0)
        c.setSpacing(6)
        self.title_label = heading_label("")
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        c.addWidget(self.title_label)

        self.button_row = QWidget()
        buttons = FlowLayout(self.button_row)
        self.edit_button = QPushButton("编辑")
        self.edit_button.setToolTip("编辑这件申请（回车）")
        self.edit_button.clicked.connect(lambda: self.app_id is not None and self.edit_requested.emit(self.app_id))
        buttons.addWidget(self.edit_button)
        self.action_buttons: list[QToolButton] = []
        for ext in context.features.application_actions:
            b = QPushButton(ext.label)
            b.clicked.connect(lambda _=False, e=ext: self._run_action(e))
            buttons.addWidget(b)
            self.action_buttons.append(b)
        c.addWidget(self.button_row)

        self.fields_label = QLabel()
        self.fields_label.setWordWrap(True)
        self.fields_label.setTextFormat(Qt.RichText)
        self.fields_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.fields_label.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.fields_label.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
        c.addWidget(CollapsibleSection("申请信息", self.fields_label))

        self.timeline_label = QLabel()
        self.timeline_label.setWordWrap(True)
        self.timeline_label.setTextFormat(Qt.RichText)
        self.timeline_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        c.addWidget(CollapsibleSection("办理记录", self.timeline_label))

        self.sections: list = []
        self._sections_built = False
        self.sections_box = QVBoxLayout()
        self.sections_box.setContentsMargins(0, 0, 0, 0)
        c.addLayout(self.sections_box)
        c.addStretch(1)
        layout.addWidget(self.content)
        self.content.hide()

    # --- sections from features -----------------------------------------------------

    def _build_sections(self) -> None:
        self._sections_built = True
        for ext in self.context.features.detail_sections:
            cls, error = load_feature(ext)
            widget = None
            if cls is not None:
                try:
                    widget = cls(self.context, self)
                except Exception as exc:  # a broken section shows its error; the pane stays
                    log.exception("detail section %s failed", ext.key)
                    error = str(exc)
            if widget is None:
                placeholder = PlaceholderPage(ext.label, error)
                placeholder.setMaximumHeight(90)
                self.sections_box.addWidget(CollapsibleSection(ext.label, placeholder, expanded=False))
                continue
            self.sections.append(widget)
            self.sections_box.addWidget(CollapsibleSection(ext.label, widget))

    # --- showing one application ------------------------------------------------------

    def set_application(self, app_id: int | None) -> None:
        another = app_id != self.app_id
        self.app_id = app_id
        self.refresh()
        if another:  # another application starts at its header, not where the last one was scrolled to
            self.verticalScrollBar().setValue(0)

    def set_empty_hint(self, text: str) -> None:
        """What the pane says while no application is shown."""
        self.empty_label.setText(text)

    def refresh(self) -> None:
        app = None
        if self.app_id is not None:
            try:
                app = applications.get(self.context.session, self.app_id)
            except NotFoundError:
                self.app_id = None
        if app is None:
            self.content.hide()
            self.empty_label.show()
            for s in self.sections:
                s.set_application(None)
            return
        if not self._sections_built:
            self._build_sections()
        self.empty_label.hide()
        self.content.show()
        self.title_label.setText(f"{app.serial}　{app.applicant_name}")
        rows = "".join(
            f"<tr><td style='color:#555; padding:2px 10px 2px 0; white-space:nowrap;'>{html.escape(label)}</td>"
            f"<td style='padding:2px 0;'>{_rich(text)}</td></tr>"
            for label, text in application_field_rows(app)
        )
        self.fields_label.setText(f"<table cellspacing='0'>{rows}</table>")
        self.timeline_label.setText(self._timeline_html(self.app_id))
        for s in self.sections:
            try:
                s.set_application(self.app_id)
            except Exception:  # one section failing is logged; the others still show
                log.exception("detail section failed to show application %s", self.app_id)
        self.fit_body()

    def fit_body(self) -> None:
        """Give the body the full height its sections need at the pane's
        width now, not after the layout requests have travelled up the
        nested sections (until then a section was squeezed and its last
        lines cut off); the pane scrolls, it never clips."""
        body = self.widget()
        width = self.viewport().width()
        if width <= 0:
            return
        # Drop the sizes each layout cached for the previous application.
        for widget in body.findChildren(QWidget):
            widget.updateGeometry()
        for layout in body.findChildren(QLayout):
            layout.invalidate()
        width = max(width, body.minimumSizeHint().width())
        need = body.heightForWidth(width) if body.hasHeightForWidth() else body.sizeHint().height()
        body.resize(width, max(need, self.viewport().height()))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.app_id is not None:
            self.fit_body()

    def _timeline_html(self, app_id: int) -> str:
        events = applications.events(self.context.session, app_id)
        if not events:
            return "<span style='color:#777'>暂无办理记录。</span>"
        items = []
        for ev in events:
            label = catalog.EVENT_LABELS.get(ev.kind, ev.kind)
            extra = describe_event(ev)
            doc = f"<br><span style='color:#555'>文号：{html.escape(ev.doc_number)}</span>" if ev.doc_number else ""
            detail = f"<br><span style='color:#555'>{_rich(extra)}</span>" if extra else ""
            items.append(
                f"<tr><td style='padding:3px 10px 3px 0; white-space:nowrap; vertical-align:top;'>"
                f"{html.escape(str(ev.date or ''))}</td>"
                f"<td style='padding:3px 0;'><b>{html.escape(label)}</b>{doc}{detail}</td></tr>"
            )
        return f"<table cellspacing='0'>{''.join(items)}</table>"

    def _run_action(self, ext: Feature) -> None:
        run_application_action(self.context, ext, self.app_id, self)


def run_application_action(context, ext: Feature, app_id: int | None, parent: QWidget) -> None:
    """Run one application action on an application; a feature not built
    yet says so instead of failing."""
    if app_id is None:
        return
    run_feature(ext, parent, context, app_id, parent)

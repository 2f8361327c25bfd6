"""修改记录: the detail-pane section with an application's audit trail,
newest first: when, which clerk, what, and each field's old → new value
(Chinese field labels, codes shown as their labels)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..domain import catalog
from ..domain.catalog import AUDIT_ACTION_LABELS as ACTION_LABELS
from ..domain.records import AuditEntry
from ..domain.validation import FIELD_LABELS
from ..services import history

MAX_ENTRIES = 60

_CODE_LABELS = {
    "channel": catalog.CHANNELS,
    "applicant_type": catalog.APPLICANT_TYPES,
    "org_kind": catalog.ORG_KINDS,
    "id_type": catalog.ID_TYPES,
    "status": catalog.STATUSES,
    "outcome": catalog.OUTCOME_SHORT_LABELS,
    "delivery_forms": catalog.DELIVERY_FORMS,
    "obtain_methods": catalog.OBTAIN_METHODS,
}
_HIDDEN = {"created_at", "updated_at", "deleted_at"}


def value_text(field: str, value) -> str:
    if value is None or value == "":
        return "（空）"
    labels = _CODE_LABELS.get(field)
    if labels and isinstance(value, str):
        parts = [p for p in value.replace("，", ",").split(",") if p]
        return "、".join(labels.get(p, p) for p in parts) if len(parts) > 1 else labels.get(value, value)
    text = str(value)
    return text if len(text) <= 120 else text[:119] + "…"


def describe_entry(entry: AuditEntry) -> tuple[str, list[tuple[str, str, str]]]:
    """(headline, [(field label, old, new)]) of one audit entry."""
    action = entry.action
    old = entry.old_values or {}
    new = entry.new_values or {}
    if entry.entity == "event":
        data = new or old
        kind = catalog.EVENT_LABELS.get(data.get("kind"), data.get("kind") or "")
        verb = "新增办理记录" if action == "create" else ACTION_LABELS.get(action, action) + "办理记录"
        head = f"{verb}：{kind}（{data.get('date') or ''}）"
        if data.get("doc_number"):
            head += f"，文号 {data['doc_number']}"
        return head, []
    if action == "create":
        return "登记申请", []
    if action == "update":
        rows = []
        for key in dict.fromkeys(list(old) + list(new)):
            if key in _HIDDEN or old.get(key) == new.get(key):
                continue
            rows.append((FIELD_LABELS.get(key, key), value_text(key, old.get(key)),
                         value_text(key, new.get(key))))
        return "修改", rows
    return ACTION_LABELS.get(action, action), []


class HistorySection(QWidget):
    """The detail section 修改记录."""

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.app_id: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.RichText)
        self.label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.label.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        layout.addWidget(self.label)

    def set_application(self, app_id: int | None) -> None:
        self.app_id = app_id
        if app_id is None:
            self.label.setText("")
            return
        entries = history.of_application(self.context.session, app_id)
        self.label.setText(self.render(entries))

    @staticmethod
    def render(entries: list[AuditEntry]) -> str:
        if not entries:
            return "<span style='color:#777'>暂无修改记录（本功能启用之前的修改没有记录）。</span>"
        shown = list(reversed(entries))[:MAX_ENTRIES]
        out = []
        for e in shown:
            head, rows = describe_entry(e)
            when = html.escape(e.time.replace("T", " ")[:16])
            clerk = html.escape(e.clerk or "")
            lines = "".join(
                f"<br><span style='color:#555'>{html.escape(label)}：</span>"
                f"<span style='color:#9e2a2a; text-decoration:line-through'>{html.escape(o)}</span>"
                f" → <span style='color:#1b5e20'>{html.escape(n)}</span>"
                for label, o, n in rows)
            out.append(
                "<tr><td style='padding:3px 10px 3px 0; white-space:nowrap; vertical-align:top; color:#555'>"
                f"{when}<br>{clerk}</td><td style='padding:3px 0; vertical-align:top'>"
                f"<b>{html.escape(head)}</b>{lines}</td></tr>")
        more = ""
        if len(entries) > MAX_ENTRIES:
            more = f"<p style='color:#777'>只显示最近 {MAX_ENTRIES} 条，共 {len(entries)} 条。</p>"
        return f"<table cellspacing='0'>{''.join(out)}</table>{more}"

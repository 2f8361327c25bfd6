"""The 工作台's strip for proactive disclosure: items due soon, overdue
and published late this year; a click shows them on the 主动公开 page."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget

CARDS = [
    ("due_soon", "公开即将到期", "#e65100", "尚未公开、5个工作日内到期的主动公开事项"),
    ("overdue", "公开已逾期", "#b3261e", "已超过20个工作日（解读3个工作日）仍未公开的事项"),
    ("late", "本年逾期公开", "#8e24aa", "今年公开、但晚于应公开日期的事项（年度报告第五部分会写到）"),
]


class _Card(QFrame):
    def __init__(self, key: str, label: str, color: str, hint: str, strip: ProactiveStrip):
        super().__init__(strip)
        self.key, self.color, self.strip = key, color, strip
        self.setObjectName("itemcard")  # (the hand cursor: ProactiveStrip.set_hand_cursor)
        self.setToolTip(hint)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.number = QLabel("…")
        f = self.number.font()
        f.setPointSizeF(f.pointSizeF() * 1.6)
        f.setBold(True)
        self.number.setFont(f)
        self.label = QLabel(label)
        layout.addWidget(self.number)
        layout.addWidget(self.label, 1)
        self.set_count(None)

    def set_count(self, n: int | None) -> None:
        """The card's number; None until the strip is first counted ("…")."""
        self.count = n
        self.number.setText("…" if n is None else str(n))
        self.number.setStyleSheet(f"color: {self.color if n else '#9e9e9e'};")
        self.label.setStyleSheet("color: #333;" if n else "color: #777;")
        self.setStyleSheet("QFrame#itemcard { background: #ffffff; border: 1px solid #d5dde8; border-radius: 6px; }"
                           "QFrame#itemcard QLabel { border: none; background: transparent; }")

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self.strip.open_group(self.key)
        super().mousePressEvent(event)


class ProactiveStrip(QWidget):
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.today = _dt.date.today()
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        title = QLabel("主动公开：")
        f = title.font()
        f.setBold(True)
        title.setFont(f)
        layout.addWidget(title)
        self.cards = {key: _Card(key, label, color, hint, self) for key, label, color, hint in CARDS}
        for card in self.cards.values():
            layout.addWidget(card, 1)

    def set_hand_cursor(self) -> None:
        """(Once the 工作台 is up: ``Qt``, the enum namespace, is no part of the first paint.)"""
        from PySide6.QtCore import Qt

        for card in self.cards.values():
            card.setCursor(Qt.PointingHandCursor)

    def refresh(self, today: _dt.date) -> None:
        from ..services import items  # (the proactive register's modules: after the first paint)

        self.today = today
        counts = items.dashboard_counts(self.context.session, today)
        self.cards["due_soon"].set_count(counts.due_soon)
        self.cards["overdue"].set_count(counts.overdue)
        self.cards["late"].set_count(counts.late_this_year)

    def open_group(self, key: str) -> None:
        window = self.window()
        show = getattr(window, "show_page", None)
        page = show("proactive") if show else None
        if page is not None and hasattr(page, "set_state_filter"):
            page.set_state_filter(key, self.today.year if key == "late" else None)

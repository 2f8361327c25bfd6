"""Small widgets the register, the form and the settings share: the
placeholder for features not built yet, loading a feature safely, an
optional date, field-error marking and a collapsible section."""

from __future__ import annotations

import datetime as _dt
import logging
import traceback
from typing import Any

# (``Qt``, the enum namespace, is imported where used: this module is on the way
# to the first screen, which never needs it)
from PySide6.QtCore import QDate, QPoint, QRect, QSize, Signal
# (the date edit, check box and tool button are imported by the widgets that
# use them: PySide makes a class with its enums when first named, and the
# first screen needs none of them)
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLayout, QSizePolicy, QVBoxLayout, QWidget

from .registry import Feature

log = logging.getLogger(__name__)

ERROR_COLOR = "#c62828"
_INVALID_STYLE = f"border: 1px solid {ERROR_COLOR}; border-radius: 2px;"


def load_feature(feature: Feature) -> tuple[Any, str | None]:
    """The target of a :class:`~desktop_app.ui.features.Feature`, or
    ``(None, reason)`` when it cannot be imported.  A module of the app
    that does not exist (yet) means "under construction"; any other error
    is logged with its traceback, so a broken feature never takes the
    whole window down."""
    try:
        return feature.load(), None
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("desktop_app."):
            return None, "building"
        log.exception("feature %s failed to import", feature.key)
        return None, f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # isolate a broken feature: the reason is shown in its place
        log.exception("feature %s failed to import", feature.key)
        return None, f"{type(exc).__name__}: {exc}"


def run_feature(feature: Feature, parent: QWidget | None, *args: Any) -> None:
    """Call an application action or a 文件 menu entry with ``args``; a
    feature not built yet, or one that fails, says so in a message instead
    of closing the window."""
    from PySide6.QtWidgets import QMessageBox

    fn, error = load_feature(feature)
    if fn is None:
        if error == "building":
            QMessageBox.information(parent, feature.label, f"“{feature.label}”功能正在建设中，将在后续版本中提供。")
        else:
            QMessageBox.warning(parent, feature.label, f"“{feature.label}”功能暂时无法使用：{error}")
        return
    try:
        fn(*args)
    except Exception as exc:  # a failing feature is reported in a message, never closes the window
        log.exception("action %s failed", feature.key)
        QMessageBox.warning(parent, feature.label, f"“{feature.label}”执行失败：{exc}")


class PlaceholderPage(QWidget):
    """Shown in place of a page whose feature is not built yet (or failed
    to load): a clear Chinese notice, never a crash."""

    def __init__(self, title: str, reason: str | None = "building", parent: QWidget | None = None):
        from PySide6.QtCore import Qt

        super().__init__(parent)
        self.reason = reason
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        heading = QLabel(title)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        heading.setAlignment(Qt.AlignCenter)
        layout.addWidget(heading)
        if reason == "building":
            text = "该功能正在建设中，将在后续版本中提供。"
        else:
            text = f"该功能暂时无法加载，请联系技术人员。\n（{reason}）"
        self.message = QLabel(text)
        self.message.setAlignment(Qt.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #666;")
        layout.addWidget(self.message)
        layout.addStretch(2)


def format_exception(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


class OptionalDateEdit(QWidget):
    """A date that may be left empty: a check box turns the date on."""

    changed = Signal()

    def __init__(self, label: str, parent: QWidget | None = None):
        from PySide6.QtWidgets import QCheckBox, QDateEdit

        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox(label)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setDate(QDate.currentDate())
        self.edit.setEnabled(False)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(lambda _=None: self.changed.emit())
        self.edit.dateChanged.connect(lambda _=None: self.changed.emit())
        self.setFocusProxy(self.check)

    def value(self) -> str | None:
        if not self.check.isChecked():
            return None
        return self.edit.date().toString("yyyy-MM-dd")

    def set_value(self, value: str | _dt.date | None) -> None:
        if not value:
            self.check.setChecked(False)
            return
        if isinstance(value, str):
            value = _dt.date.fromisoformat(value[:10])
        self.edit.setDate(QDate(value.year, value.month, value.day))
        self.check.setChecked(True)


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """A red border on a field with an error (cleared when fixed)."""
    target = widget.edit if isinstance(widget, OptionalDateEdit) else widget
    if bool(target.property("invalid")) == invalid:
        return
    target.setProperty("invalid", invalid)
    target.setStyleSheet(_INVALID_STYLE if invalid else "")


class ErrorLabel(QLabel):
    """The red message under a field; hidden while the field is fine."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {ERROR_COLOR};")
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
        self.hide()

    def show_message(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))


class CollapsibleSection(QWidget):
    """A titled section that folds away (detail-pane sections)."""

    def __init__(self, title: str, content: QWidget, expanded: bool = True,
                 parent: QWidget | None = None):
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QToolButton

        super().__init__(parent)
        self.content = content
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        self.toggle = QToolButton()
        self.toggle.setText(title)
        self.toggle.setCheckable(True)
        self.toggle.setChecked(expanded)
        self.toggle.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.DownArrow if expanded else Qt.RightArrow)
        self.toggle.setAutoRaise(True)
        font = self.toggle.font()
        font.setBold(True)
        self.toggle.setFont(font)
        self.toggle.toggled.connect(self._on_toggled)
        line = QFrame()
        line.setFrameShape(QFrame.HLine)
        line.setFrameShadow(QFrame.Sunken)
        layout.addWidget(self.toggle)
        layout.addWidget(line)
        layout.addWidget(content)
        content.setVisible(expanded)

    def _on_toggled(self, on: bool) -> None:
        from PySide6.QtCore import Qt

        self.toggle.setArrowType(Qt.DownArrow if on else Qt.RightArrow)
        self.content.setVisible(on)


def heading_label(text: str, scale: float = 1.25) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


class FlowLayout(QLayout):
    """Lays widgets out left to right, wrapping to the next line when the
    width runs out (the detail pane's command buttons)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4):
        super().__init__(parent)
        self._items = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):
        from PySide6.QtCore import Qt

        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self):
        return self.minimumSize()

    def minimumSize(self):
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            if item.widget() is not None and item.widget().isHidden():
                continue
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line_height > 0:
                x = area.x()
                y += line_height + self._spacing
                line_height = 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + m.bottom()

"""帮助: the short manual (resources/help/manual.html) and the keyboard
shortcuts, read from the window's actions and the dialogs' shortcut tables
so the list cannot drift from what the keys really do."""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..files import paths

log = logging.getLogger(__name__)

MANUAL_FILE = ("help", "manual.html")


def manual_html() -> str:
    path = paths.resources_dir().joinpath(*MANUAL_FILE)
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        log.warning("manual missing: %s", exc)
        return f"<p>找不到使用说明文件（{html.escape(str(path))}）。请重新安装本程序。</p>"


def key_text(keys) -> str:
    """“Ctrl+N” as the platform writes it; several bindings joined by “ / ”."""
    if isinstance(keys, QKeySequence):
        sequences = [keys]
    elif isinstance(keys, (list, tuple)):
        sequences = [QKeySequence(k) for k in keys]
    else:
        sequences = [QKeySequence(keys)]  # a standard key: its primary binding (Ctrl+S, not also “Save”)
    texts = [s.toString(QKeySequence.NativeText) for s in sequences if not s.isEmpty()]
    return " / ".join(dict.fromkeys(texts))


def _action_label(action: QAction) -> str:
    return action.text().replace("&", "").replace("…", "").strip()


def window_shortcuts(window: QWidget) -> list[tuple[str, str, str]]:
    """(where, what, keys) for every action of the main window and its
    pages that has a shortcut and a name."""
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for action in window.findChildren(QAction):
        keys = key_text(list(action.shortcuts()))
        label = _action_label(action)
        if not keys or not label or (label, keys) in seen:
            continue
        seen.add((label, keys))
        where = action.property("help_where") or "主窗口"
        rows.append((str(where), label, keys))
    return rows


def dialog_shortcuts() -> list[tuple[str, str, str]]:
    from .application_dialog import SHORTCUTS as FORM
    from .print_preview import SHORTCUTS as PREVIEW

    rows = [("申请登记表", label, key_text(keys)) for label, keys in FORM]
    rows += [("文书预览", label, key_text(keys)) for label, keys, _method in PREVIEW]
    return rows


def all_shortcuts(window: QWidget | None) -> list[tuple[str, str, str]]:
    page = getattr(window, "page", None)
    if callable(page):
        page("register")  # its shortcuts (Ctrl+F) are listed even before it was first shown
    rows = window_shortcuts(window) if window is not None else []
    order = {"主窗口": 0, "申请台账": 1}
    rows.sort(key=lambda r: order.get(r[0], 2))
    return rows + dialog_shortcuts()


class HelpWindow(QDialog):
    """Two tabs: 使用说明 and 键盘快捷键.  Not modal: the clerk reads it beside the work."""

    def __init__(self, window: QWidget | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("帮助")
        self.tabs = QTabWidget()
        self.manual = QTextBrowser()
        self.manual.setOpenExternalLinks(False)
        self.manual.setHtml(manual_html())
        self.manual.document().setDocumentMargin(14)
        self.tabs.addTab(self.manual, "使用说明")
        rows = all_shortcuts(window)
        self.shortcut_table = QTableWidget(len(rows), 3)
        self.shortcut_table.setHorizontalHeaderLabels(["适用范围", "操作", "快捷键"])
        self.shortcut_table.verticalHeader().hide()
        self.shortcut_table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.shortcut_table.setSelectionBehavior(QTableWidget.SelectRows)
        self.shortcut_table.setAlternatingRowColors(True)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.shortcut_table.setItem(r, c, QTableWidgetItem(text))
        header = self.shortcut_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeToContents)
        self.tabs.addTab(self.shortcut_table, "键盘快捷键")
        buttons = QDialogButtonBox()
        close = buttons.addButton("关闭", QDialogButtonBox.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.setWindowFlag(Qt.WindowContextHelpButtonHint, False)
        self.resize(760, 600)

    def show_tab(self, tab: str) -> None:
        self.tabs.setCurrentIndex(1 if tab == "shortcuts" else 0)


def show_help(window: QWidget, tab: str = "manual") -> HelpWindow:
    """Open (or raise) the help window of ``window`` at ``tab``."""
    helper = getattr(window, "_help_window", None)
    if helper is None:
        helper = HelpWindow(window, window)
        window._help_window = helper
    helper.show_tab(tab)
    helper.show()
    helper.raise_()
    helper.activateWindow()
    return helper

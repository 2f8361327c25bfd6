"""The main window: left navigation over the pages of ``ui.features``, the
文件 and 帮助 menus, and a status bar with the database and its size.

Pages are created when first shown, so opening the window never waits on
a page it does not show; a page whose feature is not built yet shows a
clearly marked placeholder.
"""

from __future__ import annotations

import logging

# ``Qt`` (the enum namespace, ~12 ms to import) is imported where it is
# used, after the frame is on screen: nothing before the first show needs it.
from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QStackedWidget,
    QWidget,
)

from .. import APP_NAME
from .features import FEATURES
from .registry import Feature, Features

log = logging.getLogger(__name__)

REGISTER_PAGE_KEY = "register"


class MainWindow(QMainWindow):
    """``MainWindow(context)`` is ready at once.  ``MainWindow(None)`` is
    the frame alone (navigation, menus, "正在打开台账…"), shown while the
    database is opened; :meth:`attach` then brings it to life."""

    def __init__(self, context=None, parent: QWidget | None = None, *, start_page: str | None = None,
                 features: Features | None = None):
        super().__init__(parent)
        self.context = None
        self.features = features or (context.features if context is not None else FEATURES)
        self.page_exts: list[Feature] = list(self.features.pages)
        self.pages: dict[str, QWidget] = {}

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(132)
        self.nav.setSpacing(1)
        self.nav.setFrameShape(QListWidget.NoFrame)
        self.nav.setStyleSheet(
            "QListWidget#navigation { background: #eef2f7; padding-top: 8px; outline: 0; }"
            "QListWidget#navigation::item { padding: 9px 12px; border-radius: 3px; }"
            "QListWidget#navigation::item:selected { background: #2f6db5; color: white; }"
            "QListWidget#navigation::item:hover:!selected { background: #dde5f0; }")
        font = self.nav.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.nav.setFont(font)
        self.stack = QStackedWidget()
        self.opening_label = QLabel("正在打开台账…")
        self.opening_label.setStyleSheet("color: #777; qproperty-alignment: AlignCenter;")
        self.stack.addWidget(self.opening_label)
        for ext in self.page_exts:
            item = QListWidgetItem(ext.label)
            item.setSizeHint(QSize(120, 38))
            self.nav.addItem(item)
            self.stack.addWidget(QWidget())  # replaced by the page when first shown

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self.path_label = QLabel()
        self.count_label = QLabel()
        self.path_label.setContentsMargins(8, 0, 0, 0)  # off the window's edges
        self.count_label.setContentsMargins(0, 0, 8, 0)
        self.statusBar().addWidget(self.path_label, 1)
        self.statusBar().addPermanentWidget(self.count_label)

        self.setMinimumSize(960, 600)
        self._restore_geometry()
        self.setWindowTitle(APP_NAME)
        self._set_enabled(False)
        if context is not None:
            self.attach(context, start_page=start_page)

    def _set_enabled(self, on: bool) -> None:
        self.nav.setEnabled(on)
        for action in [self.new_action, self.settings_action, self.guide_action, *self.file_actions]:
            action.setEnabled(on)

    def attach(self, context, *, start_page: str | None = None) -> None:
        """Show the open register: status, title, and the start page."""
        self.context = context
        # (a style sheet property: ``Qt``, the enum namespace, is no part of the first screen)
        self.path_label.setStyleSheet("qproperty-textInteractionFlags: TextSelectableByMouse;")
        # (key sequences pull in Qt's enums: after the first show.  ``setShortcuts([…])``
        # sets the same single shortcut as ``setShortcut(…)``, whose overloads would
        # import ``Qt``, the enum namespace, ~30 ms, before the 工作台 is drawn)
        for action, keys in self._shortcuts:
            action.setShortcuts([QKeySequence(keys)])
        for row in range(min(9, self.nav.count())):  # Ctrl+1 … Ctrl+9: the pages in order
            go = QAction(f"转到“{self.nav.item(row).text()}”", self)  # named for 帮助 → 键盘快捷键
            go.setShortcuts([QKeySequence(f"Ctrl+{row + 1}")])
            go.triggered.connect(lambda _=False, r=row: self.nav.setCurrentRow(r))
            self.addAction(go)
            self.nav.item(row).setToolTip(f"{self.nav.item(row).text()}（Ctrl+{row + 1}）")
        self.nav.currentRowChanged.connect(self._show_page)
        context.data_changed.connect(self.refresh_status)
        context.application_requested.connect(self.show_application)
        self.refresh_status()
        self._set_enabled(True)
        self.stack.removeWidget(self.opening_label)  # page i is stack widget i from here on
        self.opening_label.deleteLater()
        keys = [e.key for e in self.page_exts]
        start = start_page if start_page in keys else (keys[0] if keys else None)
        if start is not None:
            self.nav.setCurrentRow(keys.index(start))

    # --- menus -------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        self.new_action = QAction("新建申请…", self)
        self._shortcuts = [(self.new_action, QKeySequence.New)]
        self.new_action.triggered.connect(self.new_application)
        file_menu.addAction(self.new_action)
        if self.features.file_actions:
            file_menu.addSeparator()
        self.file_actions: list[QAction] = []
        groups = self.features.file_menu_groups
        group = None
        for ext in self.features.file_actions:
            if group is not None and groups.get(ext.key, ext.key) != group:
                file_menu.addSeparator()
            group = groups.get(ext.key, ext.key)
            action = QAction(ext.label, self)
            action.triggered.connect(lambda _=False, e=ext: self.run_file_action(e))
            file_menu.addAction(action)
            self.file_actions.append(action)
        file_menu.addSeparator()
        self.settings_action = QAction("设置…", self)
        self._shortcuts.append((self.settings_action, "Ctrl+,"))
        self.settings_action.triggered.connect(self.open_settings)
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        quit_action = QAction("退出", self)
        self._shortcuts.append((quit_action, "Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        help_menu = self.menuBar().addMenu("帮助(&H)")
        self.manual_action = QAction("使用说明", self)
        self._shortcuts.append((self.manual_action, QKeySequence.HelpContents))
        self.manual_action.triggered.connect(lambda: self.show_help("manual"))
        help_menu.addAction(self.manual_action)
        self.shortcuts_action = QAction("键盘快捷键", self)
        self.shortcuts_action.triggered.connect(lambda: self.show_help("shortcuts"))
        help_menu.addAction(self.shortcuts_action)
        self.guide_action = QAction("首次使用向导…", self)
        self.guide_action.triggered.connect(self.open_first_start_guide)
        help_menu.addAction(self.guide_action)
        help_menu.addSeparator()
        about = QAction("关于", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    # --- pages -----------------------------------------------------------------------------

    def page(self, key: str) -> QWidget | None:
        """The page of ``key``, created on first use."""
        keys = [e.key for e in self.page_exts]
        if key not in keys:
            return None
        if key not in self.pages:
            index = keys.index(key)
            ext = self.page_exts[index]
            from .widgets import PlaceholderPage, load_feature

            cls, error = load_feature(ext)
            widget = None
            if cls is not None:
                try:
                    widget = cls(self.context, self)
                except Exception as exc:  # noqa: BLE001 - a broken page shows its error in its place, the window stays
                    log.exception("page %s failed", ext.key)
                    error = str(exc)
            if widget is None:
                widget = PlaceholderPage(ext.label, error)
            old = self.stack.widget(index)
            self.stack.insertWidget(index, widget)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.pages[key] = widget
        return self.pages[key]

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        key = self.page_exts[row].key
        self.page(key)
        self.stack.setCurrentIndex(row)

    def show_page(self, key: str) -> QWidget | None:
        keys = [e.key for e in self.page_exts]
        if key not in keys:
            return None
        self.nav.setCurrentRow(keys.index(key))
        return self.pages.get(key)

    def current_page_key(self) -> str | None:
        row = self.nav.currentRow()
        return self.page_exts[row].key if row >= 0 else None

    def register_page(self):
        return self.show_page(REGISTER_PAGE_KEY)

    def new_application(self) -> None:
        page = self.register_page()
        if page is not None and hasattr(page, "new_application"):
            page.new_application()

    def show_application(self, app_id: int) -> None:
        page = self.register_page()
        if page is not None and hasattr(page, "select_application"):
            page.select_application(app_id)

    # --- menu commands -----------------------------------------------------------------------

    def run_file_action(self, ext: Feature) -> None:
        from .widgets import run_feature

        run_feature(ext, self, self.context, self)

    def open_settings(self) -> bool:
        from .settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.context, self)
        saved = bool(dialog.exec())
        if dialog.wants_guide:
            self.open_first_start_guide()
        return saved

    def open_first_start_guide(self) -> bool:
        from .first_start_guide import run_guide

        return run_guide(self.context, self)

    def show_help(self, tab: str = "manual") -> None:
        from .help_window import show_help  # the manual and the shortcuts read from the actions

        show_help(self, tab)

    def show_about(self) -> None:
        from .about_dialog import AboutDialog  # version, data/backup folders, calendar, PDF font

        AboutDialog(self.context, self).exec()

    # --- status and title ------------------------------------------------------------------------

    def refresh_status(self) -> None:
        from ..services import counts  # (after the frame is on screen: storage is imported then)
        from ..services.settings import setting

        session = self.context.session
        agency = (setting(session, "agency_name") or "").strip()
        # The platform appends the application display name (“ — 政府信息公开办理台”)
        # on Windows and Linux, so the title names only the agency.
        self.setWindowTitle(agency or "请在“设置”中填写机关名称")
        self.path_label.setText(f"数据库：{self.context.db_path}")
        self.count_label.setText(f"共 {counts.registered(session):,} 件申请")

    # --- geometry -------------------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = QSettings().value("main_window/geometry")
        if geometry is not None and self.restoreGeometry(geometry):
            return
        from .qt_workarounds import available_geometry

        avail = available_geometry(self)
        if avail is None:
            self.resize(1280, 760)
            return
        # A laptop screen (1366x768) is used best maximised; on a large one
        # open a comfortable window in the middle.
        self.resize(min(1440, avail.width()), min(880, avail.height()))
        self.move(avail.center() - self.rect().center())
        # (windowState() would import the whole Qt enum namespace before the
        # first show; show() maximises instead.)
        self._start_maximized = avail.width() < 1500 or avail.height() < 850

    def show(self) -> None:
        if getattr(self, "_start_maximized", False):
            self._start_maximized = False
            self.showMaximized()
        else:
            super().show()

    def closeEvent(self, event) -> None:
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        for page in self.pages.values():
            shutdown = getattr(page, "shutdown", None)
            if callable(shutdown):
                try:
                    shutdown()
                except Exception:  # noqa: BLE001 - one page failing to shut down must not stop the window closing
                    log.exception("page shutdown failed")
        super().closeEvent(event)

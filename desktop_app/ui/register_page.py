"""申请台账: the register page — filters, the table, and the detail pane.

Rows are read when the page is first shown; the table's model reads only
the ids of the selected rows through indexed SQL and the rows themselves
as they scroll into view (``register_model``), so a register of any size
opens, filters and sorts on the GUI thread's own connection at once.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu,
    QPushButton, QSplitter, QTableView, QToolBar, QToolButton, QVBoxLayout, QWidget,
)

from ..domain import catalog
from .detail_pane import DetailPane, run_application_action
from .register_model import RegisterFilter, RegisterModel, SessionSource, register_columns
from .registry import Feature

log = logging.getLogger(__name__)

#: Pause after the last keystroke before the text filter runs.
FILTER_DELAY_MS = 200
#: A page narrower than this (a 1024-pixel screen) gets the compact columns.
COMPACT_BELOW = 1000


class EmptyState(QWidget):
    """What the table shows when it has no row: on an empty register, how
    to begin (新建申请 or 导入台账); when the filters hide every row, that
    they do (清除筛选)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAutoFillBackground(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addStretch(1)
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignCenter)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel()
        self.text.setAlignment(Qt.AlignCenter)
        self.text.setWordWrap(True)
        self.text.setStyleSheet("color: #555;")
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.new_button = QPushButton("新建申请")
        self.import_button = QPushButton("导入台账…")
        self.clear_button = QPushButton("清除筛选")
        for b in (self.new_button, self.import_button, self.clear_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        layout.addStretch(2)
        self.mode = ""

    def show_mode(self, mode: str) -> None:
        """``"empty"`` (no application yet), ``"filtered"`` or ``""`` (hidden)."""
        self.mode = mode
        if mode == "empty":
            self.title.setText("还没有申请")
            self.text.setText("点击“新建申请”登记第一件，或从“文件 → 导入台账”导入已有台账。")
        elif mode == "filtered":
            self.title.setText("没有符合筛选条件的申请")
            self.text.setText("换一个年份、状态或搜索词，或点击“清除筛选”显示全部申请。")
        self.new_button.setVisible(mode == "empty")
        self.import_button.setVisible(mode == "empty")
        self.clear_button.setVisible(mode == "filtered")
        self.setVisible(bool(mode))
        if mode:
            self.raise_()


class RegisterTable(QTableView):
    """The table; Enter opens the selected application like a double-click.
    On a wide screen the content column takes the spare width."""

    open_requested = Signal()
    fill_column = -1
    fill_min_width = 0

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.empty_state = EmptyState(self.viewport())
        self.empty_state.hide()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_fill_column()
        self.empty_state.setGeometry(self.viewport().rect())

    def fit_fill_column(self) -> None:
        header = self.horizontalHeader()
        col = self.fill_column
        if col < 0 or col >= header.count() or header.isSectionHidden(col):
            return
        others = sum(header.sectionSize(i) for i in range(header.count())
                     if i != col and not header.isSectionHidden(i))
        spare = self.viewport().width() - others
        header.resizeSection(col, max(self.fill_min_width, spare))

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit()
            return
        super().keyPressEvent(event)


class RegisterPage(QWidget):
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.model = RegisterModel(register_columns(context), parent=self)
        self.model.followed = lambda: [self.current_app_id()]  # (a sort keeps the selection, not the focus)
        self._loaded_once = False
        self._stale = True
        self._loading = False
        self._pending_select: int | None = None
        self._active_dialog = None  # the form opened from this page, while it is open
        self._compact = False

        self._build_toolbar()
        self._build_filters()
        self._build_table()
        self.detail = DetailPane(context, self)
        self.detail.edit_requested.connect(self.edit_application)

        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([900, 360])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(4)
        top = QHBoxLayout()  # the count and 待核实 beside the commands: the filter row keeps its width
        top.setSpacing(8)
        top.addWidget(self.toolbar, 1)
        top.addWidget(self.review_check)
        top.addWidget(self.count_label)
        layout.addLayout(top)
        layout.addLayout(self.filter_row)
        layout.addWidget(self.splitter, 1)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filters)

        context.data_changed.connect(self._on_data_changed)
        self._restore_state()
        self._update_actions()

    # --- construction -------------------------------------------------------------

    def _build_toolbar(self) -> None:
        tb = QToolBar("台账操作")
        tb.setToolButtonStyle(Qt.ToolButtonTextOnly)
        tb.setMovable(False)
        self.new_action = QAction("新建申请", self)
        self.new_action.setToolTip("登记一件新的政府信息公开申请（Ctrl+N）")
        self.new_action.triggered.connect(self.new_application)
        self.edit_action = QAction("编辑", self)
        self.edit_action.setToolTip("编辑所选申请（回车或双击）")
        self.edit_action.triggered.connect(lambda: self.edit_application())
        tb.addAction(self.new_action)
        tb.addAction(self.edit_action)
        self.application_actions: list[QAction] = []
        if self.context.features.application_actions:
            tb.addSeparator()
        for ext in self.context.features.application_actions:
            action = QAction(ext.label, self)
            action.triggered.connect(lambda _=False, e=ext: self.run_application_action(e))
            tb.addAction(action)
            self.application_actions.append(action)
        self.toolbar = tb

    def _build_filters(self) -> None:
        row = QHBoxLayout()
        row.setSpacing(6)
        self.year_combo = QComboBox()
        self.year_combo.addItem("全部年份", None)
        self.year_combo.setMinimumContentsLength(8)
        self.status_combo = QComboBox()
        self.status_combo.addItem("全部状态", None)
        self.status_combo.addItem("未办结", "open")
        self.status_combo.addItem("逾期（已过答复期限仍未答复）", "overdue")
        for code, label in catalog.STATUSES.items():
            self.status_combo.addItem(label, code)
        self.category_combo = QComboBox()
        self.category_combo.addItem("全部申请人", None)
        for code, label in catalog.REPORT_COLUMNS:
            self.category_combo.addItem(label, code)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索申请人、申请内容、编号…（Ctrl+F）")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(180)
        self.count_label = QLabel("")
        self.count_label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.count_label.setContentsMargins(0, 0, 4, 0)
        for label, widget in (("年份", self.year_combo), ("状态", self.status_combo),
                              ("申请人类型", self.category_combo)):
            lab = QLabel(label)
            lab.setBuddy(widget)
            row.addWidget(lab)
            row.addWidget(widget)
            row.addSpacing(6)
        row.addWidget(self.search_edit, 1)
        # 待核实: imported applications with doubtful values (shown while there are any)
        self.review_check = QCheckBox("待核实")
        self.review_check.setToolTip("只显示导入时有存疑内容、标为“待核实”的申请（证件号码校验位不对、"
                                     "申请方式或办理结果无法识别等）")
        self.review_check.setStyleSheet("QCheckBox { color: #8a5a00; }")
        self.review_check.hide()
        self.review_check.toggled.connect(self.apply_filters)
        self.clear_button = QToolButton()
        self.clear_button.setText("清除筛选")
        self.clear_button.setToolTip("显示全部申请")
        self.clear_button.clicked.connect(self.clear_filters)
        self.clear_button.setEnabled(False)
        row.addWidget(self.clear_button)
        self.filter_row = row
        for combo in (self.year_combo, self.status_combo, self.category_combo):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.search_edit.textChanged.connect(self._on_text_changed)
        self.search_edit.returnPressed.connect(self.apply_filters)
        find = QAction("搜索申请", self)  # named for 帮助 → 键盘快捷键
        find.setProperty("help_where", "申请台账")
        find.setShortcut(QKeySequence.Find)
        # the whole window while this page is shown (focus is often still on
        # the navigation after the clerk clicked 申请台账); hidden pages' actions
        # are inactive, so no other page's Ctrl+F competes
        find.setShortcutContext(Qt.WindowShortcut)
        find.triggered.connect(lambda: (self.search_edit.setFocus(), self.search_edit.selectAll()))
        self.addAction(find)

    def _build_table(self) -> None:
        t = RegisterTable()
        t.setModel(self.model)
        t.setSelectionBehavior(QAbstractItemView.SelectRows)
        t.setSelectionMode(QAbstractItemView.SingleSelection)
        t.setAlternatingRowColors(True)
        t.setWordWrap(False)
        t.setTextElideMode(Qt.ElideRight)
        t.setEditTriggers(QAbstractItemView.NoEditTriggers)
        t.verticalHeader().hide()
        vh = t.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.Fixed)
        vh.setDefaultSectionSize(t.fontMetrics().height() + 10)
        hh = t.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setStretchLastSection(False)
        hh.setSectionsMovable(True)
        for i, col in enumerate(self.model.columns):
            if col.width:
                t.setColumnWidth(i, col.width)
        self.table = t
        self._place_deadline_columns()
        t.fill_column = self.model.column_index("info_description")
        if t.fill_column >= 0:
            t.fill_min_width = self.model.columns[t.fill_column].width or 200
        sort_col, sort_order = self.model.sort_state()
        hh.setSortIndicator(sort_col, sort_order)
        t.setSortingEnabled(True)
        t.doubleClicked.connect(lambda _idx: self.edit_application())
        t.open_requested.connect(lambda: self.edit_application())
        t.setContextMenuPolicy(Qt.CustomContextMenu)
        t.customContextMenuRequested.connect(self._context_menu)
        hh.setContextMenuPolicy(Qt.CustomContextMenu)
        hh.customContextMenuRequested.connect(self._header_menu)
        t.selectionModel().selectionChanged.connect(self._on_selection_changed)
        t.empty_state.new_button.clicked.connect(self.new_application)
        t.empty_state.import_button.clicked.connect(self._import_ledger)
        t.empty_state.clear_button.clicked.connect(self.clear_filters)
        self.table = t

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        compact = self.width() < COMPACT_BELOW
        if compact != self._compact:
            self._set_compact(compact)

    def _set_compact(self, compact: bool) -> None:
        """On a narrow screen (1024×768) the columns take their content's
        width and the detail pane its minimum, so that 申请编号 to 剩余工作日
        stay in view; on a wider one the comfortable widths come back."""
        self._compact = compact
        metrics = self.table.fontMetrics()
        compact_widths = {
            "serial": metrics.horizontalAdvance("2026-0000") + 24,
            "receipt_date": metrics.horizontalAdvance("0000-00-00") + 20,
            "applicant_name": metrics.horizontalAdvance("某某某某某某") + 12,
        }
        for i, col in enumerate(self.model.columns):
            if col.key in compact_widths and col.width:
                self.table.setColumnWidth(i, compact_widths[col.key] if compact else col.width)
        total = sum(self.splitter.sizes())
        if total > 0:
            detail = self.detail.minimumWidth() if compact else max(self.detail.minimumWidth(), 360)
            if compact or self.splitter.sizes()[1] < detail:
                self.splitter.setSizes([max(0, total - detail), detail])
        self.table.fit_fill_column()

    def _place_deadline_columns(self) -> None:
        """Where the work stands (办理状态, 答复期限, 剩余工作日) right after
        who applied, before the long 申请内容, so that they stay in view
        beside the detail pane on a 1024-pixel screen (display order only)."""
        header = self.table.horizontalHeader()
        content = self.model.column_index("info_description")
        if content < 0:
            return
        for key in ("status", "due_date", "days_left"):
            index = self.model.column_index(key)
            if index >= 0 and header.visualIndex(index) > header.visualIndex(content):
                header.moveSection(header.visualIndex(index), header.visualIndex(content))

    # --- loading ----------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _on_data_changed(self) -> None:
        self._stale = True
        if self.isVisible():
            self.reload()
        else:
            self.detail.refresh()

    def refresh_applications(self, ids: list[int]) -> None:
        """Bring the register up to date after a change to ``ids`` (reads the
        ids again through the indexes; the rows as they are shown)."""
        self.reload()

    def reload(self) -> None:
        """Read the register again: the ids of the selected rows in order,
        the totals; selection, filters and sort order are kept."""
        self._stale = False
        if self._pending_select is None:
            self._pending_select = self.current_app_id()
        source = self.model.source()
        if not isinstance(source, SessionSource) or source.session is not self.context.session:
            self.model.set_source(SessionSource(self.context.session, self.model.fields(), self.model.columns))
        else:
            self.model.refresh()
        self._loaded_once = True
        self._refresh_years()
        self._after_model_reset()

    def is_loading(self) -> bool:
        return self._loading

    def _refresh_years(self) -> None:
        current = self.year_combo.currentData()
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        self.year_combo.addItem("全部年份", None)
        for y in self.model.years():
            self.year_combo.addItem(f"{y}年", y)
        i = self.year_combo.findData(current)
        self.year_combo.setCurrentIndex(i if i >= 0 else 0)
        self.year_combo.blockSignals(False)
        if i < 0 and current is not None:
            self.apply_filters()

    # --- filtering ----------------------------------------------------------------------

    def _on_text_changed(self, _text: str) -> None:
        self._filter_timer.start()

    def current_filter(self) -> RegisterFilter:
        return RegisterFilter(
            year=self.year_combo.currentData(),
            status=self.status_combo.currentData(),
            category=self.category_combo.currentData(),
            text=self.search_edit.text(),
            needs_review=self.review_check.isChecked(),
        )

    def apply_filters(self) -> None:
        self._filter_timer.stop()
        if self._pending_select is None:
            self._pending_select = self.current_app_id()
        self.model.set_filter(self.current_filter())
        self._after_model_reset()

    def _after_model_reset(self) -> None:
        wanted = self._pending_select
        self._pending_select = None
        row = self.model.row_of(wanted) if wanted is not None else -1
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0), QAbstractItemView.EnsureVisible)
        else:
            self.table.clearSelection()
            self.detail.set_application(None)
        self._update_count()
        self._update_actions()

    def _update_count(self) -> None:
        f = self.model.filter
        self.clear_button.setEnabled(bool(f.year or f.status or f.category or f.text.strip() or f.needs_review))
        flagged = self.model.review_count()
        self.review_check.setText(f"待核实（{flagged:,}）")
        self.review_check.setVisible(bool(flagged) or self.review_check.isChecked())
        shown, total = self.model.visible_count(), self.model.total_count()
        self._update_empty_state(shown, total)
        if shown == total:
            self.count_label.setText(f"共 {total:,} 件")
        else:
            self.count_label.setText(f"筛选出 {shown:,} 件（共 {total:,} 件）")

    def _update_empty_state(self, shown: int, total: int) -> None:
        mode = "" if shown else ("empty" if total == 0 else "filtered")
        self.table.empty_state.setGeometry(self.table.viewport().rect())
        self.table.empty_state.show_mode(mode)
        self.detail.set_empty_hint(
            "登记第一件申请后，\n在此查看它的详情与办理记录。" if mode == "empty"
            else "在表格中选择一件申请，\n即可在此查看详情与办理记录。")

    def _import_ledger(self) -> None:
        """文件 → 导入台账…, from the empty register."""
        ext = next((e for e in self.context.features.file_actions if e.key == "import_ledger"), None)
        window = self.window()
        if ext is not None and hasattr(window, "run_file_action"):
            window.run_file_action(ext)

    # --- selection -------------------------------------------------------------------------

    def current_app_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.app_id(rows[0].row())

    def _on_selection_changed(self, *_args) -> None:
        self.detail.set_application(self.current_app_id())
        self._update_actions()

    def _update_actions(self) -> None:
        has = self.current_app_id() is not None
        self.edit_action.setEnabled(has)
        for action in self.application_actions:
            action.setEnabled(has)

    def select_application(self, app_id: int) -> bool:
        """Show one application; clears filters that hide it."""
        if self._stale or self._loading:
            self._pending_select = app_id
            if self._stale and self.isVisible():
                self.reload()
            return True
        row = self.model.row_of(app_id)
        if row < 0 and self.model.contains_id(app_id):
            self.clear_filters()
            row = self.model.row_of(app_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0), QAbstractItemView.PositionAtCenter)
        return True

    def clear_filters(self) -> None:
        for combo in (self.year_combo, self.status_combo, self.category_combo):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.review_check.blockSignals(True)
        self.review_check.setChecked(False)
        self.review_check.blockSignals(False)
        self.apply_filters()

    def show_needs_review(self) -> None:
        """Only the applications flagged 待核实 (after an import)."""
        self.clear_filters()
        self.review_check.setVisible(True)
        self.review_check.setChecked(True)

    # --- commands ---------------------------------------------------------------------------

    def new_application(self) -> int | None:
        from .application_dialog import ApplicationDialog

        dialog = ApplicationDialog(self.context, None, self)
        if self._exec_form(dialog) and dialog.saved_id is not None:
            self.select_application(dialog.saved_id)
            self._status_message(f"已登记申请 {dialog.saved_serial}")
            return dialog.saved_id
        return None

    def edit_application(self, app_id: int | None = None) -> bool:
        from .application_dialog import ApplicationDialog

        app_id = app_id if app_id is not None else self.current_app_id()
        if app_id is None:
            return False
        dialog = ApplicationDialog(self.context, app_id, self)
        if dialog.load_failed:
            return False
        accepted = self._exec_form(dialog)
        if accepted:
            self.select_application(app_id)
            self._status_message(f"已保存申请 {dialog.saved_serial}")
        return accepted

    def _exec_form(self, dialog) -> bool:
        self._active_dialog = dialog
        try:
            return bool(dialog.exec())
        finally:
            self._active_dialog = None

    def _status_message(self, text: str) -> None:
        bar = getattr(self.window(), "statusBar", None)
        if callable(bar):
            bar().showMessage(text, 5000)

    def run_application_action(self, ext: Feature, app_id: int | None = None) -> None:
        run_application_action(self.context, ext, app_id if app_id is not None else self.current_app_id(), self)

    def _context_menu(self, pos) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction("编辑…", lambda: self.edit_application())
        if self.context.features.application_actions:
            menu.addSeparator()
        for ext in self.context.features.application_actions:
            menu.addAction(ext.label, lambda e=ext: self.run_application_action(e))
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _header_menu(self, pos) -> None:
        """Show or hide columns (remembered between sessions)."""
        menu = QMenu(self)
        header = self.table.horizontalHeader()
        for i, col in enumerate(self.model.columns):
            action = menu.addAction(col.header)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(i))
            action.toggled.connect(lambda on, n=i: self._set_column_visible(n, on))
        menu.exec(header.mapToGlobal(pos))

    def _set_column_visible(self, column: int, visible: bool) -> None:
        header = self.table.horizontalHeader()
        if not visible and header.count() - header.hiddenSectionCount() <= 1:
            return
        header.setSectionHidden(column, not visible)
        self.table.fit_fill_column()
        self._save_state()

    # --- remembered layout -------------------------------------------------------------------

    def _restore_state(self) -> None:
        s = QSettings()
        state = s.value("register/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        hidden = s.value("register/hidden_columns") or []
        if isinstance(hidden, str):
            hidden = [hidden]
        for key in hidden:
            i = self.model.column_index(key)
            if i >= 0:
                self.table.horizontalHeader().setSectionHidden(i, True)

    def _save_state(self) -> None:
        s = QSettings()
        s.setValue("register/splitter", self.splitter.saveState())
        header = self.table.horizontalHeader()
        s.setValue("register/hidden_columns",
                   [c.key for i, c in enumerate(self.model.columns) if header.isSectionHidden(i)])

    def hideEvent(self, event) -> None:
        self._save_state()
        super().hideEvent(event)

    def shutdown(self) -> None:
        """The window is closing: remember the layout."""
        self._save_state()

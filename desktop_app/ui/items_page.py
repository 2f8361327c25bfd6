"""主动公开: the register of the items the agency publishes, filtered by
timeliness (due soon, overdue, published late), year, Art. 20 item and
type; the list reads one window of rows at a time from SQL, so tens of
thousands of items scroll without delay.  Import and export of the
catalogue and the disclosure guide live here too.  Thin over
:mod:`desktop_app.services.items`."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QEventLoop, QModelIndex, Qt, QThread, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QMessageBox, QPlainTextEdit, QProgressDialog, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from ..domain import items as di
from ..domain import proactive as pr
from ..domain.items import ItemFilter, ItemRecord
from ..services import items
from ..services.errors import ServiceError
from ..services.items import LedgerFileError
from ..services.session import DatabaseOpenError, open_register
from .item_dialog import ItemDialog

COLUMNS: list[tuple[str, str | None, int]] = [
    ("索引号", "index_no", 140),
    ("信息名称", "title", 300),
    ("文号", "doc_number", 140),
    ("类别", "kind", 96),
    ("形成日期", "formed_on", 88),
    ("公开日期", "published_on", 88),
    ("应公开日期", "due_date", 88),
    ("时效", "days_late", 132),
    ("第二十条", "art20", 72),
    ("公开渠道", None, 130),
]
STATE_COLORS = {"overdue": "#b3261e", "late": "#b3261e", "due_soon": "#e65100"}
PAGE = 200

class ItemsModel(QAbstractTableModel):
    """The filtered register, fetched from SQL a block of rows at a time."""

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.filter = ItemFilter()
        self.sort_key = "published_on"
        self.descending = True
        self.total = 0
        self.blocks: dict[int, list[ItemRecord]] = {}
        self.calendar = None

    def reload(self) -> None:
        self.beginResetModel()
        self.blocks = {}
        self.total = items.count(self.context.session, self.filter, today=self.context.today())
        self.calendar = self.context.calendar()
        self.endResetModel()

    def record(self, row: int) -> ItemRecord | None:
        if not 0 <= row < self.total:
            return None
        block = row // PAGE
        if block not in self.blocks:
            self.blocks[block] = items.list_items(
                self.context.session, self.filter, today=self.context.today(), sort=self.sort_key,
                descending=self.descending, offset=block * PAGE, limit=PAGE)
        rows = self.blocks[block]
        i = row - block * PAGE
        return rows[i] if i < len(rows) else None

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else self.total

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section][0]
        return None

    def _state(self, r: ItemRecord) -> pr.ItemDeadline:
        # the stored due date already counts from the right start (an
        # interpretation from its document's publication)
        item = di.rule_item(r)
        due = _dt.date.fromisoformat(r.due_date) if r.due_date else None
        today = self.context.today()
        if item.attribute is not pr.Attribute.PROACTIVE or due is None:
            return pr.ItemDeadline(None, pr.Timeliness.NOT_DUE)
        if item.published_on:
            if item.published_on <= due:
                return pr.ItemDeadline(due, pr.Timeliness.ON_TIME)
            return pr.ItemDeadline(due, pr.Timeliness.LATE, working_days_late=r.days_late)
        cal = self.calendar
        if today > due:
            return pr.ItemDeadline(due, pr.Timeliness.OVERDUE, working_days_late=max(1, cal.working_days_between(due, today)))
        left = cal.working_days_between(today, due)
        return pr.ItemDeadline(due, pr.Timeliness.DUE_SOON if left <= pr.DUE_SOON_DAYS else pr.Timeliness.OPEN,
                               working_days_left=left)

    def data(self, index, role=Qt.DisplayRole):
        r = self.record(index.row())
        if r is None:
            return None
        key = COLUMNS[index.column()][1]
        if role == Qt.DisplayRole:
            if key == "kind":
                return r.kind_label
            if key == "art20":
                return pr.art20_label(r.art20)[5:-1] if r.art20 else ""  # （十一）
            if key == "days_late":
                st = self._state(r)
                if st.state in (pr.Timeliness.OVERDUE, pr.Timeliness.LATE):
                    return f"{st.state.label}{st.working_days_late}个工作日"
                if st.state in (pr.Timeliness.OPEN, pr.Timeliness.DUE_SOON):
                    return f"{st.state.label}（剩{st.working_days_left}日）"
                return st.state.label if st.state is not pr.Timeliness.NOT_DUE else r.attribute_label
            if key is None:
                return r.channel_labels
            return getattr(r, key) or ""
        if role == Qt.ForegroundRole and key in ("days_late", "due_date"):
            color = STATE_COLORS.get(self._state(r).state.value)
            return QBrush(QColor(color)) if color else None
        if role == Qt.ToolTipRole and key == "title":
            return r.title + (f"\n{r.summary}" if r.summary else "")
        if role == Qt.UserRole:
            return r.id
        return None

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        key = COLUMNS[column][1]
        if key is None:
            return
        self.sort_key = key
        self.descending = order == Qt.DescendingOrder
        self.reload()

class ItemsPage(QWidget):
    # Long: builds the widgets top to bottom, in the order the clerk sees them
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.session = context.session
        self._dirty = False

        title = QLabel("主动公开目录")
        f = title.font()
        f.setPointSizeF(f.pointSizeF() * 1.4)
        f.setBold(True)
        title.setFont(f)
        self.new_button = QPushButton("新增事项")
        self.new_button.clicked.connect(self.new_item)
        self.interp_button = QPushButton("为所选文件添加解读")
        self.interp_button.clicked.connect(self.new_interpretation)
        self.import_button = QPushButton("导入目录…")
        self.import_button.setToolTip("导入本机关原有的主动公开目录或网站导出的目录（Excel 或 CSV）；有错误的行使整个文件不导入")
        self.import_button.clicked.connect(self.import_dialog)
        self.export_button = QPushButton("导出目录…")
        self.export_button.setToolTip("导出政府信息公开目录：Excel/CSV 可再导入，PDF 供打印公布")
        self.export_button.clicked.connect(self.export_dialog)
        self.delete_button = QPushButton("删除")
        self.delete_button.setToolTip("删除所选事项（登记错误时使用；修改记录中保留删除前的内容）")
        self.delete_button.clicked.connect(self.delete_selected)
        self.guide_button = QPushButton("公开指南…")
        self.guide_button.clicked.connect(self.edit_guide)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        for b in (self.new_button, self.interp_button, self.delete_button, self.import_button, self.export_button,
                  self.guide_button):
            head.addWidget(b)

        self.state = QComboBox()
        self.state.addItem("全部事项", None)
        for key, label in di.STATE_FILTERS.items():
            self.state.addItem(label, key)
        self.year = QComboBox()
        self.year.addItem("全部年份", None)
        this_year = context.today().year
        for y in range(this_year, this_year - 10, -1):
            self.year.addItem(f"{y}年", y)
        self.art20 = QComboBox()
        self.art20.addItem("第二十条：全部", None)
        for n, text in pr.ART20_ITEMS.items():
            label = pr.art20_label(n)
            self.art20.addItem(f"{label[label.index('（'):]} {text[:14]}{'…' if len(text) > 14 else ''}", n)
            self.art20.setItemData(self.art20.count() - 1, text, Qt.ToolTipRole)
        self.kind = QComboBox()
        self.kind.addItem("全部类别", None)
        for k in pr.DocKind:
            self.kind.addItem(k.label, k.value)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索名称、文号、索引号")
        self.search.setClearButtonEnabled(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("筛选："))
        for w in (self.state, self.year, self.art20, self.kind):
            bar.addWidget(w)
        bar.addWidget(self.search, 1)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        for combo in (self.state, self.year, self.art20, self.kind):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())

        self.model = ItemsModel(context, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(5, Qt.DescendingOrder)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(26)
        for i, (_h, _k, width) in enumerate(COLUMNS):
            self.view.setColumnWidth(i, width)
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)  # the name takes the room left
        self.view.doubleClicked.connect(self._open_index)
        self.status = QLabel()
        self.status.setStyleSheet("color: #555;")
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(head)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        context.data_changed.connect(self._on_data_changed)
        self.apply_filter()

    # --- filters ---------------------------------------------------------------------------------

    def current_filter(self) -> ItemFilter:
        return ItemFilter(state=self.state.currentData(), year=self.year.currentData(),
                          art20=self.art20.currentData(), kind=self.kind.currentData(),
                          text=self.search.text())

    def set_state_filter(self, state: str | None, year: int | None = None) -> None:
        """Show one timeliness group (the dashboard's cards call this)."""
        self.blockSignals(True)
        for combo, value in ((self.state, state), (self.year, year)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            combo.blockSignals(False)
        self.blockSignals(False)
        self.apply_filter()

    def apply_filter(self) -> None:
        self._search_timer.stop()  # typed text is applied now
        self.model.filter = self.current_filter()
        self.model.reload()
        total = items.count(self.session)
        shown = self.model.total
        counts = items.dashboard_counts(self.session, self.context.today())
        self.status.setText(
            f"共 {total} 条，当前显示 {shown} 条。　即将到期 {counts.due_soon} 条，已逾期未公开 {counts.overdue} 条，"
            f"本年逾期公开 {counts.late_this_year} 条。双击一行打开。"
            if total else "主动公开目录还是空的。点“新增事项”登记一条，或点“导入目录…”导入本机关原有的目录。")

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dirty:
            self._dirty = False
            self.apply_filter()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if self._search_timer.isActive():  # typed, then left the page: filter when shown again
            self._search_timer.stop()
            self._dirty = True
        super().hideEvent(event)

    def _on_data_changed(self) -> None:
        if self.isVisible():
            self.apply_filter()
        else:
            self._dirty = True

    # --- actions -----------------------------------------------------------------------------------

    def selected_id(self) -> int | None:
        index = self.view.currentIndex()
        return index.data(Qt.UserRole) if index.isValid() else None

    def _open_index(self, index) -> None:
        if index.isValid():
            self.open_item(index.data(Qt.UserRole))

    def open_item(self, item_id: int | None) -> None:
        dialog = ItemDialog(self.context, item_id, self.window())
        dialog.exec()

    def new_item(self) -> None:
        self.open_item(None)

    def new_interpretation(self) -> None:
        item_id = self.selected_id()
        if item_id is None:
            QMessageBox.information(self, "添加解读", "请先在列表中选中要解读的文件。")
            return
        dialog = ItemDialog(self.context, None, self.window(), interpretation_of=item_id)
        dialog.exec()

    def delete_selected(self, *, confirm: bool = True) -> bool:
        item_id = self.selected_id()
        if item_id is None:
            QMessageBox.information(self, "删除", "请先在列表中选中要删除的事项。")
            return False
        record = items.get(self.session, item_id)
        children = items.interpretations(self.session, item_id)
        years = items.published_years_changed_by_item(self.session, record, None)
        text = f"删除“{record.title}”（{record.index_no or '无索引号'}）？"
        if children:
            text += f"\n\n它有{len(children)}篇政策解读，删除后这些解读不再关联到文件。"
        if years:
            text += f"\n\n注意：删除会改变已发布的{'、'.join(f'{y}年' for y in years)}年度报告第二部分的数字。"
        if confirm and QMessageBox.question(self, "删除事项", text) != QMessageBox.Yes:
            return False
        items.delete(self.session, item_id)
        self.context.notify_changed()
        return True

    def import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "导入主动公开目录", str(Path.home()),
                                              "目录文件 (*.xlsx *.xls *.csv);;所有文件 (*)")
        if path:
            self.import_file(path)

    def import_file(self, path: str, *, confirm: bool = True) -> bool:
        today = self.context.today()
        try:
            checked = run_in_thread(self, "导入目录", "正在检查目录文件…", self.context.db_path,
                                    lambda s: items.import_catalogue(s, path, check_only=True, today=today))
            if confirm and QMessageBox.question(
                    self, "导入目录", checked.text + ("\n" + "\n".join(checked.notes) if checked.notes else "")
                    + "\n\n导入前会自动备份。确定导入吗？") != QMessageBox.Yes:
                return False
            summary = run_in_thread(self, "导入目录", "正在备份并导入目录…", self.context.db_path,
                                    lambda s: items.import_catalogue(s, path, today=today))
        except (ServiceError, LedgerFileError, DatabaseOpenError) as exc:
            QMessageBox.warning(self, "无法导入", str(exc))
            return False
        self.context.notify_changed()
        QMessageBox.information(self, "已导入", summary.text)
        return True

    def export_dialog(self) -> None:
        name = f"政府信息公开目录{self.context.today().isoformat()}"
        path, chosen = QFileDialog.getSaveFileName(
            self, "导出政府信息公开目录", str(Path.home() / f"{name}.xlsx"),
            "Excel 表格 (*.xlsx);;PDF 文档 (*.pdf);;CSV 文件 (*.csv)")
        if not path:
            return
        if not Path(path).suffix:
            path += ".pdf" if "pdf" in chosen.lower() else ".csv" if "csv" in chosen.lower() else ".xlsx"
        flt, today = self.current_filter(), self.context.today()
        try:
            n = run_in_thread(self, "导出目录", "正在导出政府信息公开目录…", self.context.db_path,
                              lambda s: items.export_catalogue(s, path, flt, today=today))
        except (OSError, ServiceError, LedgerFileError, DatabaseOpenError) as exc:
            QMessageBox.warning(self, "导出失败", f"无法导出：{exc}")
            return
        QMessageBox.information(self, "已导出", f"已导出 {n} 条到 {path}")

    def edit_guide(self) -> None:
        GuideDialog(self.context, self.window()).exec()

class GuideDialog(QDialog):
    """政府信息公开指南: an editable text with the office's details, saved and printed."""

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("政府信息公开指南")
        self.edit = QPlainTextEdit(items.guide_text(context.session))
        hint = QLabel("指南按“设置 → 机关信息”中的机关名称、地址、电话起草，请按本机关实际修改后保存；"
                      "“打印…”生成 PDF 供打印或上网公布。")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Save).setText("保存")
        buttons.button(QDialogButtonBox.Close).setText("关闭")
        self.print_button = buttons.addButton("打印…", QDialogButtonBox.ActionRole)
        self.print_button.clicked.connect(self.print_pdf)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.edit, 1)
        layout.addWidget(buttons)
        self.resize(720, 560)

    def save(self) -> bool:
        try:
            items.save_guide(self.context.session, self.edit.toPlainText())
        except ServiceError as exc:
            QMessageBox.warning(self, "未保存", str(exc))
            return False
        self.accept()
        return True

    def print_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "保存指南 PDF", str(Path.home() / "政府信息公开指南.pdf"),
                                              "PDF 文档 (*.pdf)")
        if not path:
            return
        try:
            items.print_guide(self.context.session, self.edit.toPlainText(), path)
        except (OSError, ServiceError) as exc:
            QMessageBox.warning(self, "打印失败", str(exc))
            return
        QMessageBox.information(self, "已生成", f"已生成：{path}")

def open_item_from(context, item_id: int, parent: QWidget | None) -> None:
    """Open one item's form from another page (dashboard, calendar, report)."""
    ItemDialog(context, item_id, parent).exec()



class _Job(QThread):
    """Runs ``work(session)`` with its own connection (a connection stays in
    the thread that made it); the result or the exception is kept."""

    def __init__(self, db_path, work, parent=None):
        super().__init__(parent)
        self.db_path, self.work = db_path, work
        self.result = None
        self.error: BaseException | None = None

    def run(self) -> None:
        session = None
        try:
            session = open_register(self.db_path)
            self.result = self.work(session)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, shown there
            self.error = exc
        finally:
            if session is not None:
                session.close()


def run_in_thread(parent: QWidget, title: str, label: str, db_path, work):
    """``work(session)`` off the GUI thread with a busy dialog; returns its
    result or raises its exception (on the GUI thread)."""
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModal)
    dialog.setMinimumDuration(300)
    job = _Job(db_path, work)
    loop = QEventLoop()
    job.finished.connect(loop.quit)
    job.start()
    if job.isRunning():
        loop.exec()
    job.wait()
    dialog.close()
    dialog.deleteLater()
    if job.error is not None:
        raise job.error
    return job.result

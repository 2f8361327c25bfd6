"""回收站: deleted applications, restored or purged for good (both recorded
in the audit trail); and the 删除 action of the register and detail pane."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from .. import APP_NAME
from ..domain.records import Application
from ..services import applications, recycle_bin
from ..services.errors import NotFoundError
from .widgets import heading_label


def _short(text: str | None, n: int = 40) -> str:
    t = (text or "").replace("\n", " ")
    return t if len(t) <= n else t[: n - 1] + "…"


def delete_application_action(context, app_id: int, parent: QWidget | None = None) -> None:
    """The application action 删除: move to the recycle bin, after confirmation."""
    try:
        app = applications.get(context.session, app_id)
    except NotFoundError as exc:
        QMessageBox.warning(parent, APP_NAME, str(exc))
        return
    box = QMessageBox(QMessageBox.Question, f"{APP_NAME} – 删除申请",
                      f"把申请 {app.serial}（{app.applicant_name}）移入回收站？", parent=parent)
    box.setInformativeText("移入回收站后，它不再出现在台账、期限提醒和年度报告中；"
                           "可以在“回收站”页恢复。申请编号不会被重新使用。")
    yes = box.addButton("移入回收站", QMessageBox.DestructiveRole)
    box.addButton("取消", QMessageBox.RejectRole)
    box.exec()
    if box.clickedButton() is not yes:
        return
    from .published_check import confirm_published_change

    if not confirm_published_change(context, parent, app, None, action="移入回收站"):
        return
    from ..services.year_lock import YearLockedError
    from .published_check import ask_unlock

    try:
        recycle_bin.delete_application(context.session, app_id)
    except YearLockedError as exc:
        if not ask_unlock(context, parent, exc):
            return
        recycle_bin.delete_application(context.session, app_id)
    context.notify_changed()


class RecycleBinPage(QWidget):
    COLUMNS = ["申请编号", "收到日期", "申请人", "申请内容", "删除时间"]

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.rows: list[Application] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        title = heading_label("回收站", 1.4)
        layout.addWidget(title)
        intro = QLabel("删除的申请先放在这里，可以恢复到台账。彻底删除后只能从备份中找回；"
                       "删除、恢复和彻底删除都会记入修改记录。")
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555;")
        layout.addWidget(intro)

        row = QHBoxLayout()
        self.restore_button = QPushButton("恢复到台账")
        self.purge_button = QPushButton("彻底删除…")
        self.count_label = QLabel()
        row.addWidget(self.restore_button)
        row.addWidget(self.purge_button)
        row.addStretch(1)
        row.addWidget(self.count_label)
        layout.addLayout(row)

        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        for i in (0, 1, 2, 4):
            header.setSectionResizeMode(i, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.Stretch)
        layout.addWidget(self.table, 1)
        self.empty_label = QLabel("回收站是空的。")
        self.empty_label.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
        self.empty_label.setStyleSheet("color: #777; padding: 24px;")
        # takes the table's room when the table is hidden, so the page keeps its shape
        layout.addWidget(self.empty_label, 1)

        self.restore_button.clicked.connect(self.restore_selected)
        self.purge_button.clicked.connect(self.purge_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        context.data_changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        self.rows = recycle_bin.contents(self.context.session)
        self.table.setRowCount(len(self.rows))
        for r, app in enumerate(self.rows):
            deleted = (app.deleted_at or "").replace("T", " ")[:16]
            cells = [app.serial, app.receipt_date, app.applicant_name, _short(app.info_description), deleted]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text or "")
                if c == 3:
                    item.setToolTip(app.info_description or "")
                self.table.setItem(r, c, item)
        self.table.setVisible(bool(self.rows))
        self.empty_label.setVisible(not self.rows)
        self.count_label.setText(f"共 {len(self.rows)} 件" if self.rows else "")
        self._update_buttons()

    def selected(self) -> list[Application]:
        return [self.rows[i.row()] for i in self.table.selectionModel().selectedRows()]

    def _update_buttons(self) -> None:
        has = bool(self.selected())
        self.restore_button.setEnabled(has)
        self.purge_button.setEnabled(has)

    def restore_selected(self) -> None:
        apps = self.selected()
        if not apps:
            return
        from ..services.year_lock import YearLockedError
        from .published_check import ask_unlock, confirm_published_change

        done = []
        for app in apps:
            if not confirm_published_change(self.context, self, None, app.replace(deleted_at=None),
                                            action="恢复到台账"):
                continue
            try:
                recycle_bin.restore_application(self.context.session, app.id)
            except YearLockedError as exc:
                if not ask_unlock(self.context, self, exc):
                    continue
                recycle_bin.restore_application(self.context.session, app.id)
            done.append(app.id)
        if not done:
            return
        self.context.notify_changed()
        if len(done) == 1:
            self.context.application_requested.emit(done[0])

    def purge_selected(self) -> None:
        apps = self.selected()
        if not apps:
            return
        names = "、".join(a.serial or "" for a in apps[:5]) + ("等" if len(apps) > 5 else "")
        box = QMessageBox(QMessageBox.Warning, f"{APP_NAME} – 彻底删除",
                          f"彻底删除 {len(apps)} 件申请（{names}）及其全部办理记录？", parent=self)
        box.setInformativeText("彻底删除后不能在程序中恢复，只能从删除之前的备份中找回。"
                               "申请编号不会被重新使用；这次删除会记入修改记录。")
        yes = box.addButton("彻底删除", QMessageBox.DestructiveRole)
        box.addButton("取消", QMessageBox.RejectRole)
        box.exec()
        if box.clickedButton() is not yes:
            return
        for app in apps:
            recycle_bin.purge_application(self.context.session, app.id)
        self.context.notify_changed()

"""数据备份: the backups of this register, 立即备份 (in a worker thread, with
progress, the window stays responsive), 恢复 with confirmation, and the
backup folder the clerk can point at another drive."""

from __future__ import annotations

import datetime as _dt
import logging
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QFrame, QHBoxLayout, QHeaderView, QLabel, QMessageBox,
    QProgressBar, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from .. import APP_NAME
from ..services import applications
from ..services import backups as backup_mod
from ..services.backups import folder_problem
from .safety import BackupThread, RestoreThread
from .widgets import heading_label

log = logging.getLogger(__name__)


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{max(1, round(n / 1024))} KB"


def human_age(when: _dt.datetime, now: _dt.datetime | None = None) -> str:
    delta = (now or _dt.datetime.now()) - when
    if delta < _dt.timedelta(minutes=1):
        return "刚刚"
    if delta < _dt.timedelta(hours=1):
        return f"{delta.seconds // 60} 分钟前"
    if delta < _dt.timedelta(days=1):
        return f"{delta.seconds // 3600} 小时前"
    return f"{delta.days} 天前"


def set_backup_folder(context, folder: str | None) -> None:
    """Save the backup folder (None: the default) in the settings and
    outside the database (so a damaged database still finds its backups)."""
    backup_mod.set_backup_dir(context.session, folder)


class BackupPage(QWidget):
    #: a backup finished (BackupInfo) — for tests and the status bar
    backup_finished = Signal(object)
    backup_failed = Signal(str)
    restore_finished = Signal(object)

    COLUMNS = ["备份时间", "类型", "大小", "申请件数", "文件名"]

    # Long: builds the widgets top to bottom, in the order the clerk sees them
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.thread: BackupThread | RestoreThread | None = None
        self.backups: list[backup_mod.BackupInfo] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)

        title = heading_label("数据备份", 1.4)
        layout.addWidget(title)

        intro = QLabel("程序每天第一次启动时和退出时自动备份，升级、导入和恢复之前也会先备份。"
                       "建议把备份文件夹设在另一块硬盘或移动硬盘上，以防电脑损坏或重装系统。")
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555;")
        layout.addWidget(intro)

        # backup folder
        folder_box = QFrame()
        folder_box.setFrameShape(QFrame.StyledPanel)
        fl = QHBoxLayout(folder_box)
        fl.setContentsMargins(10, 6, 10, 6)
        fl.addWidget(QLabel("备份文件夹："))
        self.folder_label = QLabel()
        self.folder_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        fl.addWidget(self.folder_label, 1)
        self.choose_button = QPushButton("更改…")
        self.choose_button.setToolTip("把备份保存到其他文件夹，例如另一块硬盘或移动硬盘")
        self.default_button = QPushButton("恢复默认")
        self.open_button = QPushButton("打开文件夹")
        for b in (self.choose_button, self.default_button, self.open_button):
            fl.addWidget(b)
        layout.addWidget(folder_box)

        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)

        # actions
        row = QHBoxLayout()
        self.backup_button = QPushButton("立即备份")
        self.backup_button.setDefault(True)
        self.backup_button.setMinimumWidth(110)
        self.restore_button = QPushButton("用所选备份恢复…")
        self.restore_file_button = QPushButton("从其他文件恢复…")
        self.refresh_button = QPushButton("刷新")
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        row.addWidget(self.restore_file_button)
        row.addStretch(1)
        row.addWidget(self.refresh_button)
        layout.addLayout(row)

        prow = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(True)
        self.progress_label = QLabel()
        prow.addWidget(self.progress_label)
        prow.addWidget(self.progress, 1)
        layout.addLayout(prow)
        self.progress.hide()
        self.progress_label.hide()

        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        for i in range(4):
            header.setSectionResizeMode(i, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.Stretch)
        layout.addWidget(self.table, 1)

        self.empty_label = QLabel("还没有备份。请点击“立即备份”。")
        self.empty_label.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
        self.empty_label.setStyleSheet("color: #777; padding: 12px;")
        # takes the table's room when the table is hidden, so the page keeps its shape
        layout.addWidget(self.empty_label, 1)

        self.backup_button.clicked.connect(self.start_backup)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button.clicked.connect(self.restore_from_file)
        self.refresh_button.clicked.connect(self.reload)
        self.choose_button.clicked.connect(self.choose_folder)
        self.default_button.clicked.connect(self.use_default_folder)
        self.open_button.clicked.connect(self.open_folder)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda *_: self.restore_selected())
        context.data_changed.connect(self._on_data_changed)
        self.reload()

    # --- state ---------------------------------------------------------------------------------

    def folder(self) -> Path:
        return backup_mod.backup_dir(self.context.session)

    def busy(self) -> bool:
        return self.thread is not None and self.thread.isRunning()

    def _on_data_changed(self) -> None:
        if not self.busy():
            self._update_status()

    def reload(self) -> None:
        folder = self.folder()
        default = backup_mod.default_backup_dir(self.context.db_path)
        self.folder_label.setText(str(folder) + ("（默认）" if folder == default else ""))
        self.default_button.setEnabled(folder != default)
        self.backups = backup_mod.list_backups(self.context.db_path, folder)
        self.table.setRowCount(len(self.backups))
        for r, b in enumerate(self.backups):
            apps = "—" if b.applications is None else str(b.applications)
            cells = [f"{b.created:%Y-%m-%d %H:%M:%S}", b.kind_label, human_size(b.size), apps, b.path.name]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (2, 3):
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                item.setToolTip(str(b.path))
                self.table.setItem(r, c, item)
        self.table.setVisible(bool(self.backups))
        self.empty_label.setVisible(not self.backups)
        if self.backups:
            self.table.selectRow(0)
        self._update_status()
        self._update_buttons()

    def _update_status(self) -> None:
        if not self.backups:
            self.status_label.setText("<b style='color:#c62828'>这个台账还没有任何备份。</b>")
            return
        newest = self.backups[0]
        age = _dt.datetime.now() - newest.created
        text = (f"最近一次备份：{newest.created:%Y-%m-%d %H:%M}（{human_age(newest.created)}，"
                f"{newest.kind_label}），共 {len(self.backups)} 份备份，"
                f"占用 {human_size(sum(b.size for b in self.backups))}。")
        if age > _dt.timedelta(days=2):
            text = f"<b style='color:#c62828'>{text} 已超过两天没有备份，建议立即备份。</b>"
        self.status_label.setText(text)

    def _update_buttons(self) -> None:
        busy = self.busy()
        for b in (self.backup_button, self.restore_file_button, self.choose_button, self.refresh_button):
            b.setEnabled(not busy)
        self.restore_button.setEnabled(not busy and bool(self.table.selectionModel().selectedRows()))
        self.default_button.setEnabled(
            not busy and self.folder() != backup_mod.default_backup_dir(self.context.db_path))

    def selected_backup(self) -> backup_mod.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.backups[rows[0].row()]

    # --- backup ----------------------------------------------------------------------------------

    def _show_progress(self, label: str) -> None:
        self.progress_label.setText(label)
        self.progress.setValue(0)
        self.progress.show()
        self.progress_label.show()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setValue(int(done * 100 / total) if total else 100)

    def _finish_thread(self) -> None:
        self.progress.hide()
        self.progress_label.hide()
        self.thread = None
        self._update_buttons()

    def start_backup(self) -> None:
        if self.busy():
            return
        self._show_progress("正在备份…")
        self.thread = BackupThread(self.context.db_path, "manual", self.folder(), parent=self)
        self.thread.progress.connect(self._on_progress)
        self.thread.succeeded.connect(self._backup_done)
        self.thread.failed.connect(self._backup_failed)
        self.thread.start()
        self._update_buttons()

    def _backup_done(self, info) -> None:
        self.thread.wait()
        self._finish_thread()
        self.reload()
        self.status_label.setText(
            f"<b style='color:#2e7d32'>备份完成并已通过完整性校验：</b>{info.path.name}"
            f"（{human_size(info.size)}，{info.applications} 件申请）")
        self.backup_finished.emit(info)

    def _backup_failed(self, message: str) -> None:
        self.thread.wait()
        self._finish_thread()
        QMessageBox.warning(self, f"{APP_NAME} – 备份失败", message)
        self.backup_failed.emit(message)

    # --- restore -------------------------------------------------------------------------------

    def restore_selected(self) -> None:
        info = self.selected_backup()
        if info is not None:
            self.confirm_and_restore(info.path, info)

    def restore_from_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择要恢复的备份文件", str(self.folder()),
                                              "数据库备份 (*.db);;所有文件 (*)")
        if name:
            self.confirm_and_restore(Path(name), None)

    def confirm_and_restore(self, path: Path, info: backup_mod.BackupInfo | None) -> None:
        ok, message, apps = backup_mod.verify_backup(path)
        if not ok:
            QMessageBox.warning(self, f"{APP_NAME} – 不能使用这个备份", message + "当前台账没有被改动。")
            return
        when = f"{info.created:%Y-%m-%d %H:%M} 的备份" if info else f"备份文件“{path.name}”"
        current = applications.count(self.context.session)
        box = QMessageBox(QMessageBox.Warning, f"{APP_NAME} – 确认恢复",
                          f"用{when}（{apps} 件申请）替换当前台账（{current} 件申请）？", parent=self)
        box.setInformativeText("恢复前会自动备份当前台账（“恢复前备份”），如果恢复错了，"
                               "可以再用那份备份恢复回来。备份之后录入的内容将不在恢复后的台账中。")
        yes = box.addButton("恢复", QMessageBox.AcceptRole)
        box.addButton("取消", QMessageBox.RejectRole)
        box.setDefaultButton(QMessageBox.NoButton)
        box.exec()
        if box.clickedButton() is not yes:
            return
        self.start_restore(path)

    def start_restore(self, path: Path) -> None:
        if self.busy():
            return
        self._show_progress("正在备份当前台账并恢复…")
        self.progress.setRange(0, 0)  # busy indicator
        self.thread = RestoreThread(self.context.db_path, path, parent=self)
        self.thread.succeeded.connect(self._restore_done)
        self.thread.failed.connect(self._restore_failed)
        self.thread.start()
        self._update_buttons()

    def _restore_done(self, result) -> None:
        self.thread.wait()
        self.progress.setRange(0, 100)
        self._finish_thread()
        self.context.notify_changed()
        self.reload()
        text = f"已恢复（{result.applications} 件申请），恢复后的台账已通过完整性检查。"
        if result.undo_backup:
            text += f"\n\n恢复前的台账已备份为“{result.undo_backup.path.name}”（列表中的“恢复前备份”），" \
                    "如需撤销这次恢复，用它再恢复一次即可。"
        QMessageBox.information(self, f"{APP_NAME} – 恢复完成", text)
        self.restore_finished.emit(result)

    def _restore_failed(self, message: str) -> None:
        self.thread.wait()
        self.progress.setRange(0, 100)
        self._finish_thread()
        QMessageBox.warning(self, f"{APP_NAME} – 恢复失败", message)
        self.reload()

    # --- folder ----------------------------------------------------------------------------------

    def choose_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "选择备份文件夹", str(self.folder()))
        if name:
            self.apply_folder(Path(name))

    def apply_folder(self, folder: Path | None) -> bool:
        if folder is not None:
            problem = folder_problem(folder)
            if problem:
                QMessageBox.warning(self, f"{APP_NAME} – 不能使用这个文件夹", problem)
                return False
        set_backup_folder(self.context, str(folder) if folder else None)
        self.reload()
        return True

    def use_default_folder(self) -> None:
        self.apply_folder(None)

    def open_folder(self) -> None:
        folder = self.folder()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def backup_now_action(context, window) -> None:
    """FILE_ACTIONS 立即备份: open the 数据备份 page and start a backup there
    (in its worker thread, with its progress bar)."""
    page = window.show_page("backup") if hasattr(window, "show_page") else None
    if isinstance(page, BackupPage):
        page.start_backup()
        return
    QMessageBox.warning(window, f"{APP_NAME} – 备份", "“数据备份”页暂时无法打开，请在命令行运行 disclosure-desk backup。")

"""设置 › 安全: the start-up password (on, change, off), the idle minutes
before the app locks itself, and the backup folder."""

from __future__ import annotations

import getpass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from .. import APP_NAME
from ..domain.password import (
    DEFAULT_IDLE_MINUTES, IDLE_SETTING, PASSWORD_SETTING, hash_password, password_problem,
    verify_password,
)
from ..domain.password import UNAVAILABLE_MESSAGE as PASSWORD_UNAVAILABLE
from ..domain.password import available as password_available
from ..services import backups as backup_mod
from ..services.settings import update_settings
from .backup_page import folder_problem, set_backup_folder

ERROR_STYLE = "color: #c62828;"
NOTE_STYLE = "color: #666;"


class PasswordDialog(QDialog):
    """Set, change or remove the password.  ``mode``: set | change | remove."""

    def __init__(self, mode: str, stored_hash: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.mode = mode
        self.stored_hash = stored_hash
        self.new_hash: str | None = None
        titles = {"set": "设置启动密码", "change": "修改启动密码", "remove": "取消启动密码"}
        self.setWindowTitle(f"{APP_NAME} – {titles[mode]}")
        self.setMinimumWidth(400)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.current = QLineEdit()
        self.new = QLineEdit()
        self.repeat = QLineEdit()
        for e in (self.current, self.new, self.repeat):
            e.setEchoMode(QLineEdit.Password)
        if mode in ("change", "remove"):
            form.addRow("当前密码：", self.current)
        if mode in ("set", "change"):
            form.addRow("新密码：", self.new)
            form.addRow("再输入一次：", self.repeat)
        layout.addLayout(form)
        if mode in ("set", "change"):
            note = QLabel("请记住这个密码：忘记密码时只能由技术人员处理。密码只以加盐散列的形式保存。")
            note.setWordWrap(True)
            note.setStyleSheet(NOTE_STYLE)
            layout.addWidget(note)
        self.error = QLabel("")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("确定")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def problem(self) -> str | None:
        if self.mode in ("change", "remove") and not verify_password(self.current.text(), self.stored_hash):
            return "当前密码不正确。"
        if self.mode in ("set", "change"):
            return password_problem(self.new.text(), self.repeat.text())
        return None

    def try_accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            return
        self.new_hash = hash_password(self.new.text()) if self.mode != "remove" else ""
        self.accept()


class SecuritySettingsTab(QWidget):
    """The settings tab 安全."""

    # Long: builds the widgets top to bottom, in the order the clerk sees them
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        settings = context.settings()
        self.stored_hash: str | None = settings.get(PASSWORD_SETTING) or None
        self.pending_hash: str | None = None   # None: unchanged; "": remove
        self.original_folder = settings.get(backup_mod.BACKUP_DIR_SETTING) or ""

        form = QFormLayout(self)
        form.setContentsMargins(16, 16, 16, 16)
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(10)

        clerk = settings.get("clerk_name") or ""
        who = f"“{clerk}”" if clerk else f"系统用户名“{_os_user()}”（未填写经办人）"
        clerk_note = QLabel(f"修改记录中的经办人：{who}。经办人姓名在“机关信息”页填写。")
        clerk_note.setWordWrap(True)
        form.addRow("经办人：", clerk_note)

        pw_row = QHBoxLayout()
        self.pw_status = QLabel()
        self.set_button = QPushButton("设置密码…")
        self.change_button = QPushButton("修改密码…")
        self.remove_button = QPushButton("取消密码…")
        pw_row.addWidget(self.pw_status, 1)
        for b in (self.set_button, self.change_button, self.remove_button):
            pw_row.addWidget(b)
        form.addRow("启动密码：", _with_note(pw_row, "设置后，打开程序、自动锁定后，以及用命令行导出、查看台账时"
                                               "都要输入密码，防止他人借用这台电脑查看申请人的个人信息。"
                                               "密码不加密数据库文件本身：文件和备份仍须靠 Windows 账户权限"
                                               "和磁盘加密保护。"))

        idle_row = QHBoxLayout()
        self.idle = QSpinBox()
        self.idle.setRange(0, 480)
        self.idle.setSuffix(" 分钟")
        self.idle.setSpecialValueText("不自动锁定")
        try:
            self.idle.setValue(int(settings.get(IDLE_SETTING, DEFAULT_IDLE_MINUTES)))
        except (TypeError, ValueError):
            self.idle.setValue(DEFAULT_IDLE_MINUTES)
        self.idle.setMinimumWidth(130)
        idle_row.addWidget(self.idle)
        idle_row.addSpacing(8)
        self.idle_note = QLabel("无人操作这么久后自动锁定（需先设置启动密码）")
        self.idle_note.setStyleSheet(NOTE_STYLE)
        idle_row.addWidget(self.idle_note, 1)
        form.addRow("空闲自动锁定：", idle_row)

        folder_row = QHBoxLayout()
        self.folder = QLineEdit(self.original_folder)
        self.folder.setPlaceholderText(f"默认：{backup_mod.default_backup_dir(context.db_path)}")
        self.folder_button = QPushButton("选择…")
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.folder_button)
        form.addRow("备份文件夹：", _with_note(folder_row, "建议选择另一块硬盘或移动硬盘上的文件夹。留空则使用默认位置。"))
        self.error = QLabel("")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        form.addRow("", self.error)

        self.set_button.clicked.connect(lambda: self._password("set"))
        self.change_button.clicked.connect(lambda: self._password("change"))
        self.remove_button.clicked.connect(lambda: self._password("remove"))
        self.folder_button.clicked.connect(self._choose_folder)
        self._update()

    def has_password(self) -> bool:
        if self.pending_hash is not None:
            return bool(self.pending_hash)
        return bool(self.stored_hash)

    def _update(self) -> None:
        on = self.has_password()
        pending = "（保存后生效）" if self.pending_hash is not None else ""
        self.pw_status.setText(("已设置" if on else "未设置") + pending)
        self.set_button.setVisible(not on)
        self.change_button.setVisible(on)
        self.remove_button.setVisible(on)
        self.idle.setEnabled(on)
        if not password_available():
            self.pw_status.setText(PASSWORD_UNAVAILABLE)
            self.pw_status.setWordWrap(True)
            for b in (self.set_button, self.change_button, self.remove_button):
                b.setEnabled(False)

    def _password(self, mode: str) -> None:
        current = self.pending_hash if self.pending_hash else self.stored_hash
        dialog = PasswordDialog(mode, current, self)
        if dialog.exec() == QDialog.Accepted:
            self.pending_hash = dialog.new_hash
            self._update()

    def _choose_folder(self) -> None:
        start = self.folder.text().strip() or str(backup_mod.default_backup_dir(self.context.db_path))
        name = QFileDialog.getExistingDirectory(self, "选择备份文件夹", start)
        if name:
            self.folder.setText(name)

    def validate(self) -> str | None:
        text = self.folder.text().strip()
        if text and text != self.original_folder:
            problem = folder_problem(Path(text).expanduser())
            if problem:
                self.error.setText(problem)
                return problem
        self.error.setText("")
        return None

    def save(self) -> None:
        values: dict = {IDLE_SETTING: self.idle.value()}
        if self.pending_hash is not None:
            values[PASSWORD_SETTING] = self.pending_hash
        update_settings(self.context.session, values)
        text = self.folder.text().strip()
        if text != self.original_folder:
            set_backup_folder(self.context, text or None)
            self.original_folder = text
        if self.pending_hash is not None:
            self.stored_hash = self.pending_hash or None
            self.pending_hash = None
        self._update()


def _with_note(row: QHBoxLayout, note: str) -> QWidget:
    """A form field with a grey explanation right under it."""
    holder = QWidget()
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(3)
    box.addLayout(row)
    label = QLabel(note)
    label.setWordWrap(True)
    label.setStyleSheet(NOTE_STYLE)
    box.addWidget(label)
    return holder


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (service accounts, odd environments)
        return "未知"
